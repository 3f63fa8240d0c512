package org.measureflow.ot.sinkhorn;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.measureflow.core.iteration.IterationObserver;
import org.measureflow.core.iteration.Termination;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.ot.CostMatrix;
import org.measureflow.ot.unbalanced.UnbalancedSinkhorn;
import org.measureflow.testing.Property;

/**
 * Seeded API fuzzing of the public solvers of {@code ot.sinkhorn} and {@code ot.unbalanced} ({@link SinkhornSolver}
 * on costs and clouds, with and without warm starts, {@link UnbalancedSinkhorn}, {@link SinkhornDivergence},
 * {@link SemiDualNewton}): random settings and inputs with hostile values mixed in (NaN, infinities, zero, negative,
 * {@code Double.MIN_VALUE}, 1e300, coordinates up to 1e160 and down to 1e-300, wrong lengths, mismatched dimensions,
 * empty clouds, huge warm starts, endless epsilon schedules, observers that stop). Every call either throws an
 * {@link IllegalArgumentException} whose message starts with the name of an argument, or returns finite numbers with
 * an honest convergence flag: converged means the error is within the tolerance and the plan's marginals (balanced)
 * or first-order conditions (unbalanced), summed here independently, agree with it; not converged means the budget
 * was used up or the observer stopped the run.
 */
class EntropicSolversFuzzTest {
    /** The argument names (and the names of the inputs' own factories) an exception message may start with. */
    private static final List<String> NAMES = List.of("a", "b", "c", "x", "y", "epsilon", "rho", "rhoSource",
            "rhoTarget", "tolerance", "maxIterations", "fInit", "gInit", "massX", "massY", "n * m", "factor", "start",
            "cab", "caa", "cbb", "points", "flat", "weights", "values", "rows", "cols", "observer", "f", "g", "ground",
            "stored");
    private static final double[] HOSTILE = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0, -1,
        -0.0, Double.MIN_VALUE, 1e-300, 1e300, Double.MAX_VALUE};

    static java.util.stream.LongStream seeds() {
        return org.measureflow.testing.Seeds.of(250);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void everyCallIsRejectedNamingAnArgumentOrReturnsFiniteHonestResults(long seed) {
        Property.check(seed, rng -> {
            for (int k = 0; k < 4; k++) {
                call(rng);
            }
        });
    }

    private static void call(SplittableRandom rng) {
        int n = size(rng);
        int m = size(rng);
        int d = 1 + rng.nextInt(3);
        double tol = rng.nextInt(8) == 0 ? hostile(rng) : Math.pow(10, -3 - 9 * rng.nextDouble());
        long cap = rng.nextInt(8) == 0 ? -rng.nextInt(2) : new long[] {1, 3, 40, 400, 10_000}[rng.nextInt(5)];
        double eps = rng.nextInt(6) == 0 ? hostile(rng) : Math.pow(10, -5 + 6 * rng.nextDouble());
        IterationObserver observer = rng.nextInt(6) == 0 ? stopAfter(1 + rng.nextInt(30)) : IterationObserver.none();
        int kind = rng.nextInt(6);
        switch (kind) {
            case 0, 1 -> {
                // balanced, dense cost (stored kernel or log domain), maybe warm-started
                double[] a = weights(rng, n, true);
                double[] b = weights(rng, m, true);
                double[] cost = costs(rng, n, m);
                double[] fInit = rng.nextInt(3) == 0 ? warmStart(rng, n) : null;
                double[] gInit = rng.nextInt(3) == 0 ? warmStart(rng, m) : null;
                boolean log = rng.nextBoolean();
                Supplier<SinkhornSolver> solver = configure(rng, eps, tol, cap);
                outcome(() -> {
                    SinkhornSolver s = solver.get().withLogDomain(log);
                    CostMatrix c = CostMatrix.of(n, m, cost);
                    return balanced(s.solve(a, b, c, fInit, gInit, observer), a, b, s.tolerance(), s.maxIterations());
                });
            }
            case 2 -> {
                double[] px = points(rng, n, d);
                double[] py = points(rng, m, rng.nextInt(10) == 0 ? d + 1 : d);
                double[] wx = weights(rng, n, false);
                double[] wy = weights(rng, m, false);
                double[] fInit = rng.nextInt(4) == 0 ? warmStart(rng, n) : null;
                Supplier<SinkhornSolver> solver = configure(rng, eps, tol, cap);
                outcome(() -> {
                    SinkhornSolver s = solver.get();
                    ParticleMeasure x = cloud(px, wx, d);
                    ParticleMeasure y = cloud(py, wy, py.length == 0 ? d : py.length / Math.max(1, m));
                    SinkhornResult r = s.solve(x, y, fInit, null, observer);
                    return balanced(r, x.weights(), y.weights(), s.tolerance(), s.maxIterations());
                });
            }
            case 3 -> {
                // unbalanced, dense cost, any masses
                double[] a = weights(rng, n, false);
                double[] b = weights(rng, m, false);
                double[] cost = costs(rng, n, m);
                double rho = rng.nextInt(5) == 0 ? hostile(rng) : Math.pow(10, -2 + 4 * rng.nextDouble());
                double rhoTarget = rng.nextInt(4) == 0 ? Double.POSITIVE_INFINITY : rho;
                double[] fInit = rng.nextInt(3) == 0 ? warmStart(rng, n) : null;
                boolean log = rng.nextBoolean();
                outcome(() -> {
                    UnbalancedSinkhorn u = UnbalancedSinkhorn.of(eps, rho).withRhoTarget(rhoTarget).withTolerance(tol)
                            .withMaxIterations(cap).withLogDomain(log);
                    SinkhornResult r = u.solve(a, b, CostMatrix.of(n, m, cost), fInit, null, observer);
                    return unbalanced(r, a, b, u);
                });
            }
            case 4 -> {
                double[] px = points(rng, n, d);
                double[] py = points(rng, m, d);
                double massX = rng.nextInt(6) == 0 ? hostile(rng) : Math.pow(10, -1 + 2 * rng.nextDouble());
                double massY = rng.nextInt(6) == 0 ? hostile(rng) : Math.pow(10, -1 + 2 * rng.nextDouble());
                double rho = rng.nextInt(5) == 0 ? hostile(rng) : Math.pow(10, -2 + 4 * rng.nextDouble());
                outcome(() -> {
                    UnbalancedSinkhorn u = UnbalancedSinkhorn.of(eps, rho).withTolerance(tol).withMaxIterations(cap);
                    ParticleMeasure x = cloud(px, null, d);
                    ParticleMeasure y = cloud(py, null, d);
                    SinkhornResult r = u.solve(x, massX, y, massY, observer);
                    return unbalanced(r, times(x.weights(), massX), times(y.weights(), massY), u);
                });
            }
            default -> {
                double[] px = points(rng, n, d);
                double[] py = points(rng, m, d);
                Supplier<SinkhornSolver> solver = configure(rng, eps, tol, Math.min(cap, 400));
                boolean dense = rng.nextBoolean();
                outcome(() -> {
                    SinkhornSolver s = solver.get();
                    ParticleMeasure x = cloud(px, null, d);
                    ParticleMeasure y = cloud(py, null, d);
                    SinkhornDivergenceResult r = dense
                            ? SinkhornDivergence.of(s).compute(x.weights(), y.weights(), CostMatrix.squaredEuclidean(
                                    x, y), CostMatrix.squaredEuclidean(x, x), CostMatrix.squaredEuclidean(y, y))
                            : SinkhornDivergence.of(s).valueAndGradient(x, y, observer);
                    assertTrue(Double.isFinite(r.value()) && Double.isFinite(r.crossTerm())
                            && Double.isFinite(r.selfSource()) && Double.isFinite(r.selfTarget())
                            && Double.isFinite(r.error()), r.toString());
                    if (r.gradient() != null) {
                        assertFinite("gradient", r.gradient());
                    }
                    honest(r.converged(), r.error(), s.tolerance(), r.termination(), true, r.toString());
                    return r;
                });
            }
        }
        if (kind == 0 && rng.nextInt(4) == 0) {
            newton(rng, n, m, eps, tol, cap);
        }
    }

    /** {@link SemiDualNewton} on its own, from hostile potentials. */
    private static void newton(SplittableRandom rng, int n, int m, double eps, double tol, long cap) {
        double[] a = weights(rng, n, true);
        double[] b = weights(rng, m, true);
        double[] cost = costs(rng, n, m);
        double[] f = warmStart(rng, n);
        double[] g = warmStart(rng, m);
        double rho = rng.nextBoolean() ? Double.POSITIVE_INFINITY : Math.pow(10, -1 + 2 * rng.nextDouble());
        outcome(() -> {
            LogDomainGibbsKernel ground = LogDomainGibbsKernel.of(CostMatrix.of(n, m, cost), false);
            SemiDualNewton newton = SemiDualNewton.of(ground, null, a, b, rho, rho, eps);
            long it = newton.polish(f, g, tol, Math.max(cap, 1), 0, IterationObserver.none());
            assertTrue(it >= 1 && it <= Math.max(cap, 1) + 1, "iterations " + it);
            assertFinite("f", f);
            assertFinite("g", g);
            assertTrue(Double.isFinite(newton.error()), newton.toString());
            return newton;
        });
    }

    /** Runs {@code call}: an IllegalArgumentException must name an argument; any other exception fails. */
    private static void outcome(Supplier<Object> call) {
        try {
            call.get();
        } catch (IllegalArgumentException e) {
            String msg = e.getMessage();
            boolean named = msg != null && NAMES.stream().anyMatch(name -> msg.startsWith(name)
                    && (msg.length() == name.length() || !Character.isLetterOrDigit(msg.charAt(name.length()))));
            assertTrue(named, "the message names no argument: " + msg);
        } catch (RuntimeException e) {
            fail("not an IllegalArgumentException: " + e, e);
        }
    }

    private static SinkhornResult balanced(SinkhornResult r, double[] a, double[] b, double tol, long cap) {
        assertFiniteResult(r);
        honest(r.converged(), r.error(), tol, r.termination(), r.iterations() >= cap, r.toString());
        if (r.converged()) {
            double[] rows = r.plan().apply(ones(b.length));
            double[] cols = r.plan().applyTransposed(ones(a.length));
            double l1 = 0;
            for (int i = 0; i < a.length; i++) {
                l1 += Math.abs(rows[i] - a[i]);
            }
            for (int j = 0; j < b.length; j++) {
                l1 += Math.abs(cols[j] - b[j]);
            }
            // the same L1 error the solver reports, summed in another order: rounding of at most n m terms
            assertTrue(l1 <= tol + 1e-12, "marginals " + l1 + " against " + r);
        }
        return r;
    }

    private static SinkhornResult unbalanced(SinkhornResult r, double[] a, double[] b, UnbalancedSinkhorn u) {
        assertFiniteResult(r);
        honest(r.converged(), r.error(), u.tolerance(), r.termination(), r.iterations() >= u.maxIterations(),
                r.toString());
        if (r.converged()) {
            double[] f = r.f();
            double[] g = r.g();
            double[] rows = r.plan().apply(ones(b.length));
            double[] cols = r.plan().applyTransposed(ones(a.length));
            double residual = 0;
            double mass = 0;
            for (int i = 0; i < a.length; i++) {
                residual += Math.abs(rows[i] - relaxed(a[i], f[i], u.rhoSource()));
                mass += a[i];
            }
            for (int j = 0; j < b.length; j++) {
                residual += Math.abs(cols[j] - relaxed(b[j], g[j], u.rhoTarget()));
                mass += b[j];
            }
            // the solver's KKT residual summed in another order: rounding relative to the masses involved
            assertTrue(residual <= u.tolerance() + 1e-12 * (1 + mass), "KKT residual " + residual + " for " + r);
        }
        return r;
    }

    /** \( w e^{-f/\rho} \), taken as \( e^{\log w - f/\rho} \) so that a tiny weight times a huge factor is finite. */
    private static double relaxed(double w, double f, double rho) {
        return rho == Double.POSITIVE_INFINITY ? w : Math.exp(Math.log(w) - f / rho);
    }

    /** Converged means within tolerance; not converged means the budget ran out or the observer stopped. */
    private static void honest(boolean converged, double error, double tol, Termination t, boolean budgetUsed,
            String what) {
        if (converged) {
            assertTrue(error <= tol, "converged above tolerance: " + what);
        } else {
            assertTrue(t == Termination.STOPPED || budgetUsed, "ended early without converging: " + what);
        }
    }

    private static void assertFiniteResult(SinkhornResult r) {
        assertFinite("f", r.f());
        assertFinite("g", r.g());
        assertTrue(Double.isFinite(r.cost()) && Double.isFinite(r.objective()) && Double.isFinite(r.dualObjective())
                && Double.isFinite(r.error()) && Double.isFinite(r.epsilon()), r.toString());
        if ((long) r.f().length * r.g().length <= 400) {
            assertFinite("plan", r.plan().toDense());
        }
    }

    private static void assertFinite(String name, double[] v) {
        for (int i = 0; i < v.length; i++) {
            assertTrue(Double.isFinite(v[i]), name + "[" + i + "] = " + v[i]);
        }
    }

    private static Supplier<SinkhornSolver> configure(SplittableRandom rng, double eps, double tol, long cap) {
        boolean scaling = rng.nextInt(4) != 0;
        double start = rng.nextInt(5) == 0 ? (rng.nextBoolean() ? hostile(rng) : 10 * rng.nextDouble()) : Double.NaN;
        double factor = rng.nextInt(5) == 0 ? (rng.nextBoolean() ? hostile(rng) : 1 - Math.pow(10, -16 * rng
                .nextDouble())) : 0.5;
        boolean relax = rng.nextInt(4) != 0;
        boolean mixed = rng.nextBoolean();
        // point clouds: every kernel; the multiscale one with tiny levels so that small clouds run all of it
        SinkhornSolver.PointCloudKernel kernel = SinkhornSolver.PointCloudKernel.values()[rng.nextInt(4)];
        return () -> {
            SinkhornSolver s = SinkhornSolver.of(eps).withTolerance(tol).withMaxIterations(cap)
                    .withOverRelaxation(relax).withMixedPrecision(mixed).withEpsilonScaling(scaling)
                    .withPointCloudKernel(kernel).withMultiscaleSizes(8, 40);
            if (!Double.isNaN(start)) {
                s = s.withEpsilonScalingStart(start);
            }
            return s.withEpsilonScalingFactor(factor);
        };
    }

    private static IterationObserver stopAfter(int iterations) {
        return status -> status.iteration() < iterations;
    }

    private static int size(SplittableRandom rng) {
        return rng.nextInt(12) == 0 ? 0 : new int[] {1, 2, 3, 5, 12}[rng.nextInt(5)];
    }

    private static double hostile(SplittableRandom rng) {
        return HOSTILE[rng.nextInt(HOSTILE.length)];
    }

    /** Normalised weights (or not), sometimes with zeros, a hostile entry, or the wrong length. */
    private static double[] weights(SplittableRandom rng, int n, boolean normalise) {
        int length = rng.nextInt(12) == 0 ? Math.max(0, n + (rng.nextBoolean() ? 1 : -1)) : n;
        double[] w = new double[length];
        double sum = 0;
        for (int i = 0; i < length; i++) {
            w[i] = rng.nextInt(8) == 0 ? 0 : 0.1 + rng.nextDouble();
            sum += w[i];
        }
        for (int i = 0; normalise && sum > 0 && i < length; i++) {
            w[i] /= sum;
        }
        if (length > 0 && rng.nextInt(10) == 0) {
            w[rng.nextInt(length)] = hostile(rng);
        }
        return w;
    }

    /** Coordinates of {@code n} points in dimension {@code d}, sometimes scaled far up or down. */
    private static double[] points(SplittableRandom rng, int n, int d) {
        double scale = rng.nextInt(5) == 0 ? new double[] {1e150, 1e160, 1e-160, 1e-300, 1e100}[rng.nextInt(5)] : 1;
        double[] p = new double[n * d];
        for (int i = 0; i < p.length; i++) {
            p[i] = scale * rng.nextGaussian();
        }
        return p;
    }

    /** A cost matrix's entries, sometimes huge, negative or not finite. */
    private static double[] costs(SplittableRandom rng, int n, int m) {
        double[] c = new double[n * m];
        double scale = rng.nextInt(6) == 0 ? new double[] {1e301, 1e-300, 1e200}[rng.nextInt(3)] : 1;
        for (int i = 0; i < c.length; i++) {
            c[i] = scale * rng.nextDouble() * 4;
        }
        if (c.length > 0 && rng.nextInt(8) == 0) {
            c[rng.nextInt(c.length)] = hostile(rng);
        }
        return c;
    }

    /** A warm start: moderate, shifted by a huge constant, huge, or not finite; sometimes of the wrong length. */
    private static double[] warmStart(SplittableRandom rng, int n) {
        int length = rng.nextInt(8) == 0 ? n + 1 : n;
        double shift = rng.nextInt(4) == 0 ? new double[] {1e300, -1e12, 1e6}[rng.nextInt(3)] : 0;
        double[] v = new double[length];
        for (int i = 0; i < length; i++) {
            v[i] = shift + rng.nextGaussian() * (rng.nextInt(10) == 0 ? 1e300 : 1);
        }
        if (length > 0 && rng.nextInt(8) == 0) {
            v[rng.nextInt(length)] = hostile(rng);
        }
        return v;
    }

    private static ParticleMeasure cloud(double[] flat, double[] weights, int d) {
        if (weights == null) {
            return ParticleMeasure.fromFlat(flat, d);
        }
        int n = flat.length / d;
        double[][] points = new double[n][d];
        for (int i = 0; i < n; i++) {
            System.arraycopy(flat, i * d, points[i], 0, d);
        }
        return ParticleMeasure.of(points, weights);
    }

    private static double[] times(double[] v, double factor) {
        double[] out = v.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] *= factor;
        }
        return out;
    }

    private static double[] ones(int n) {
        double[] v = new double[n];
        java.util.Arrays.fill(v, 1.0);
        return v;
    }
}
