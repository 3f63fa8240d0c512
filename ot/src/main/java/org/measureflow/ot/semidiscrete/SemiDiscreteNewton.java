package org.measureflow.ot.semidiscrete;

import java.util.Arrays;

import org.measureflow.core.Arguments;
import org.measureflow.core.iteration.Convergence;
import org.measureflow.core.iteration.IterationObserver;
import org.measureflow.core.iteration.IterationStatus;
import org.measureflow.core.measure.GridDensity;
import org.measureflow.core.measure.ParticleMeasure;

/**
 * Semi-discrete optimal transport in the plane by the damped Newton method of Kitagawa, M&eacute;rigot and Thibert
 * (JEMS 2019): between a density \( \rho \) on a rectangle \( D \) (uniform, or piecewise constant on a
 * {@link GridDensity}) and weighted points \( \nu = \sum_i b_i \delta_{y_i} \), cost \( |x-y|^2 \) (survey &sect;4,
 * eq. 10 with one measure absolutely continuous). It maximises the concave semi-dual
 * \[ \Phi(\psi) = \sum_i \int_{\mathrm{Lag}_i(\psi)} \big(|x-y_i|^2 - \psi_i\big) \rho(x)\,dx + \sum_i b_i\psi_i,
 * \qquad \mathrm{Lag}_i(\psi) = \{x \in D: |x-y_i|^2 - \psi_i \le |x-y_j|^2 - \psi_j\ \forall j\}, \]
 * i.e. solves \( G(\psi) = b \) for the cell masses \( G_i(\psi) = \rho(\mathrm{Lag}_i(\psi)) \). The Jacobian is the
 * weighted graph Laplacian of the diagram:
 * \[ \frac{\partial G_i}{\partial \psi_j} = -\frac{1}{2|y_i - y_j|}\int_{\mathrm{Lag}_i\cap\mathrm{Lag}_j}\rho\,ds
 * \quad (j\ne i), \qquad \frac{\partial G_i}{\partial\psi_i} = -\sum_{j\ne i}\frac{\partial G_i}{\partial\psi_j}, \]
 * symmetric, positive semi-definite with the constants in its kernel (\( \psi \) is defined up to a constant).
 *
 * <p>Algorithm: cells are computed exactly as convex polygons (half-planes of the nearest points first, about
 * \( O(n) \) per diagram for evenly spread points and \( O(n^2) \) at worst; exact
 * polygon integrals of the piecewise-constant density); the Newton direction solves \( DG(\psi)\, d = b - G(\psi) \)
 * by Jacobi-preconditioned conjugate gradients (the right side sums to zero, so the singular system is consistent);
 * the step \( \tau \in \{1, 1/2, 1/4, \dots\} \) is the first with
 * \( \min_i G_i(\psi + \tau d) \ge \varepsilon_0 \) and \( |G(\psi+\tau d) - b|_2 \le (1 - \tau/2) |G(\psi) - b|_2 \),
 * \( \varepsilon_0 = \tfrac12 \min(\min_i b_i, \min_i G_i(\psi_0)) \). KMT prove global convergence, locally
 * quadratic, when \( \rho \) is positive on a connected domain. The start must give every cell a positive mass:
 * \( \psi_0 = 0 \) (Voronoi cells) or the caller's weights; if a cell is empty (points outside \( D \), or in a
 * region of zero density), the start becomes the Voronoi diagram of the points shrunk towards the centre of \( D \)
 * (\( \psi_i = |y_i|^2 - |z_i|^2/s \), \( z_i = c + s(y_i - c) \)), and failing that towards the centre of the
 * densest grid cell, which gives every cell positive mass. Iteration stops when \( \max_i |G_i - b_i| \le \) the
 * tolerance (this largest mass error is {@link SemiDiscreteResult#error()}); if a line search fails (possible only
 * for a density whose support is disconnected), the iteration ends there and the result reports it as not converged
 * ({@link org.measureflow.core.iteration.Termination#ITERATION_LIMIT}, after fewer steps than the limit).
 *
 * <p><b>On a line</b> (a 1-D {@link GridDensity} and 1-D points) no iteration is needed: the optimal cells are the
 * quantile intervals \( [F^{-1}(B_{k-1}), F^{-1}(B_k)] \) of the sorted points (\( B_k \) the cumulative target
 * masses, \( F \) the density's CDF; docs/closed-forms.md CF-11), and equal costs at each common boundary \( z_k \) give
 * \( \psi_{(k+1)} - \psi_{(k)} = (y_{(k+1)} - y_{(k)})(y_{(k+1)} + y_{(k)} - 2 z_k) \); the result reports 0
 * iterations, with masses, cost and centroids integrated exactly over the cells of the lower envelope of the lines
 * \( x \mapsto -2y_i x + y_i^2 - \psi_i \).
 *
 * <p>Defaults ({@link #withDefaults()}):
 * <ul>
 * <li>tolerance {@value #DEFAULT_TOLERANCE} on the largest mass error \( \max_i |G_i - b_i| \)
 *     ({@link #withTolerance(double)});</li>
 * <li>at most {@value #DEFAULT_MAX_ITERATIONS} Newton steps ({@link #withMaxIterations(long)});</li>
 * <li>conjugate-gradient relative residual {@value #DEFAULT_CG_TOLERANCE} ({@link #withCgTolerance(double)}).</li>
 * </ul>
 *
 * <p>The cells, their integrals and the facets are computed by the package-private {@code Tessellation} (with its
 * parts {@code PointBuckets}, {@code PolygonClipper} and {@code GridIntegrals}); the 1-D closed form by
 * {@code SemiDiscreteLine}.
 *
 * <p>Immutable and thread-safe; single-threaded and deterministic.
 */
public final class SemiDiscreteNewton {
    /** Default tolerance on the largest mass error: {@value}. */
    public static final double DEFAULT_TOLERANCE = 1e-10;
    /** Default limit on Newton steps: {@value}. */
    public static final long DEFAULT_MAX_ITERATIONS = 100;
    /** Default relative residual at which conjugate gradients stop: {@value}. */
    public static final double DEFAULT_CG_TOLERANCE = 1e-10;

    private final double tolerance;
    private final long maxIterations;
    private final double cgTolerance;

    private SemiDiscreteNewton(double tolerance, long maxIterations, double cgTolerance) {
        this.tolerance = tolerance;
        this.maxIterations = maxIterations;
        this.cgTolerance = cgTolerance;
    }

    /** The solver with the defaults listed in the class documentation. */
    public static SemiDiscreteNewton withDefaults() {
        return new SemiDiscreteNewton(DEFAULT_TOLERANCE, DEFAULT_MAX_ITERATIONS, DEFAULT_CG_TOLERANCE);
    }

    /**
     * This solver with another tolerance: it stops when \( \max_i |G_i(\psi) - b_i| \le \) {@code tolerance}.
     *
     * @param tolerance finite and {@code > 0}
     * @return a new solver; this one is unchanged
     * @throws IllegalArgumentException if {@code tolerance} is not finite and positive
     */
    public SemiDiscreteNewton withTolerance(double tolerance) {
        return new SemiDiscreteNewton(Arguments.positive("tolerance", tolerance), maxIterations, cgTolerance);
    }

    /**
     * This solver with another limit on Newton steps.
     *
     * @param maxIterations {@code >= 1}
     * @return a new solver; this one is unchanged
     * @throws IllegalArgumentException if {@code maxIterations < 1}
     */
    public SemiDiscreteNewton withMaxIterations(long maxIterations) {
        return new SemiDiscreteNewton(tolerance, Arguments.positive("maxIterations", maxIterations), cgTolerance);
    }

    /**
     * This solver with another relative residual at which the conjugate gradients of each Newton direction stop.
     *
     * @param cgTolerance in {@code (0, 1)}
     * @return a new solver; this one is unchanged
     * @throws IllegalArgumentException if {@code cgTolerance} is not in {@code (0, 1)}
     */
    public SemiDiscreteNewton withCgTolerance(double cgTolerance) {
        return new SemiDiscreteNewton(tolerance, maxIterations, Arguments.inOpenRange("cgTolerance", cgTolerance, 0, 1));
    }

    /** The tolerance on the largest mass error. */
    public double tolerance() {
        return tolerance;
    }

    /** The limit on Newton steps. */
    public long maxIterations() {
        return maxIterations;
    }

    /** The relative conjugate-gradient tolerance. */
    public double cgTolerance() {
        return cgTolerance;
    }

    /**
     * Transport from the uniform density on the rectangle \( [x_{lo}, x_{hi}] \times [y_{lo}, y_{hi}] \) to
     * {@code target} (2-D points with their weights as \( b \)).
     *
     * @throws IllegalArgumentException on an empty or reversed rectangle, a target that is not 2-D, coincident
     *                                  points, or a point of weight 0
     */
    public SemiDiscreteResult solveUniform(double xlo, double xhi, double ylo, double yhi, ParticleMeasure target) {
        return solveUniform(xlo, xhi, ylo, yhi, target, IterationObserver.none());
    }

    /**
     * {@link #solveUniform(double, double, double, double, ParticleMeasure)} watched by an observer (see
     * {@link #solve(GridDensity, ParticleMeasure, IterationObserver)}).
     */
    public SemiDiscreteResult solveUniform(double xlo, double xhi, double ylo, double yhi, ParticleMeasure target,
                                           IterationObserver observer) {
        GridDensity uniform = GridDensity.of2d(xlo, xhi, 1, ylo, yhi, 1, new double[] {1.0});
        return solveFrom(uniform, target, null, observer);
    }

    /**
     * Transport from the piecewise-constant {@code density} (normalised to mass 1; its grid's box is the domain
     * \( D \)) to {@code target}: in 2-D by Newton from \( \psi_0 = 0 \), in 1-D in closed form.
     *
     * @throws IllegalArgumentException if the density has zero mass or a dimension other than 1 or 2, the target's
     *                                  dimension differs from the density's, two points coincide, a point has
     *                                  weight 0, or the points lie so far from the box that squared distances (or
     *                                  the semi-dual) overflow double precision (naming {@code target})
     */
    public SemiDiscreteResult solve(GridDensity density, ParticleMeasure target) {
        return solveFrom(density, target, null, IterationObserver.none());
    }

    /**
     * {@link #solve(GridDensity, ParticleMeasure)} watched by an observer, called after every Newton step with the
     * step count and the largest mass error; returning {@code false} stops the iteration (the result then reports
     * {@link org.measureflow.core.iteration.Termination#STOPPED} unless that step met the tolerance). The 1-D closed
     * form takes no step and never calls it.
     *
     * @throws IllegalArgumentException as {@link #solve(GridDensity, ParticleMeasure)}, or if {@code observer} is null
     */
    public SemiDiscreteResult solve(GridDensity density, ParticleMeasure target, IterationObserver observer) {
        return solveFrom(density, target, null, observer);
    }

    /**
     * {@link #solve(GridDensity, ParticleMeasure)} from the initial weights {@code initialWeights} (copied), for
     * instance a previous solution (checked, but not needed, in 1-D).
     *
     * @throws IllegalArgumentException as {@link #solve(GridDensity, ParticleMeasure)}, or if {@code initialWeights}
     *                                  is null, has the wrong length or a non-finite entry, or is so large that the
     *                                  result overflows
     */
    public SemiDiscreteResult solve(GridDensity density, ParticleMeasure target, double[] initialWeights) {
        return solve(density, target, initialWeights, IterationObserver.none());
    }

    /**
     * {@link #solve(GridDensity, ParticleMeasure, double[])} watched by an observer (see
     * {@link #solve(GridDensity, ParticleMeasure, IterationObserver)}).
     */
    public SemiDiscreteResult solve(GridDensity density, ParticleMeasure target, double[] initialWeights,
                                    IterationObserver observer) {
        Arguments.finite("initialWeights", initialWeights);
        return solveFrom(density, target, initialWeights, observer);
    }

    /** The solve from {@code initialWeights}, or from zero if it is null. */
    private SemiDiscreteResult solveFrom(GridDensity density, ParticleMeasure target, double[] initialWeights,
                                         IterationObserver observer) {
        Arguments.notNull("observer", observer);
        if (density != null && density.dimension() == 1) {
            SemiDiscreteLine line = line(density, target);
            if (initialWeights != null) {
                Arguments.length("initialWeights", initialWeights.length, target.size());
            }
            double[] b = target.weights();
            SemiDualEvaluation at = requireFinite("target", line.evaluate(line.optimalWeights(b), b));
            return new SemiDiscreteResult(at, Convergence.tested(0, at.massError(), tolerance, false));
        }
        Tessellation tess = tessellation(density, target);
        int n = target.size();
        double[] psi = new double[n];
        if (initialWeights != null) {
            Arguments.length("initialWeights", initialWeights.length, n);
            System.arraycopy(initialWeights, 0, psi, 0, n);
        }
        return newton(tess, target.weights(), psi, observer, initialWeights == null ? "target" : "initialWeights");
    }

    /**
     * Rejects an evaluation holding a non-finite number (weights so large, or points so far away, that the semi-dual
     * overflows), naming {@code name}, the argument that made it.
     */
    static SemiDualEvaluation requireFinite(String name, SemiDualEvaluation at) {
        Arguments.finiteResult(name, "the Laguerre weights", at.weights());
        Arguments.finiteResult(name, "the cell masses", at.masses());
        Arguments.finiteResult(name, "the semi-dual", at.objective());
        Arguments.finiteResult(name, "the transport cost", at.cost());
        Arguments.finiteResult(name, "the mass error", at.massError());
        Arguments.finiteResult(name, "the cell centroids", at.centroids());
        return at;
    }

    /**
     * The semi-dual \( \Phi(\psi) \), cell masses, mass error, transport cost and centroids at the given weights,
     * without iterating. Since \( \partial_i \Phi = b_i - G_i(\psi) \), this also gives the gradient of the dual.
     *
     * @throws IllegalArgumentException as {@link #solve(GridDensity, ParticleMeasure)}, or if {@code weights} is
     *                                  null, has the wrong length or a non-finite entry, or is so large that the
     *                                  semi-dual overflows
     */
    public SemiDualEvaluation evaluate(GridDensity density, ParticleMeasure target, double[] weights) {
        if (density != null && density.dimension() == 1) {
            SemiDiscreteLine line = line(density, target);
            Arguments.finite("weights", weights);
            Arguments.length("weights", weights.length, target.size());
            return requireFinite("weights", line.evaluate(weights.clone(), target.weights()));
        }
        Tessellation t = tessellation(density, target);
        Arguments.finite("weights", weights);
        Arguments.length("weights", weights.length, target.size());
        double[] psi = weights.clone();
        t.build(psi);
        return requireFinite("weights", evaluation(t, target.weights(), psi));
    }

    /**
     * The Laguerre diagram of the points of {@code target} with weights \( \psi \) = {@code weights}, clipped to the
     * box of {@code grid}.
     *
     * @throws IllegalArgumentException if the grid or points are not 2-D, the weights have the wrong length or are
     *                                  not finite, or two points coincide
     */
    public static LaguerreDiagram diagram(GridDensity.Grid grid, ParticleMeasure target, double[] weights) {
        Arguments.notNull("grid", grid);
        Arguments.sameDimension("grid", grid.dimension(), 2, "the plane");
        Arguments.finite("weights", weights);
        Arguments.notNull("target", target);
        Arguments.length("weights", weights.length, target.size());
        double[] ones = new double[grid.size()];
        Arrays.fill(ones, 1.0);
        Tessellation t = tessellation(GridDensity.of(grid, ones), target);
        t.build(weights);
        return new LaguerreDiagram(t);
    }

    static SemiDiscreteLine line(GridDensity density, ParticleMeasure target) {
        Arguments.notNull("target", target);
        Arguments.sameDimension("target", target.dimension(), 1, "density");
        Arguments.positive("density (mass)", density.mass());
        requirePositiveWeights(target);
        return new SemiDiscreteLine(density, target);
    }

    /** Every Laguerre cell must receive mass: \( b_i &gt; 0 \). */
    private static void requirePositiveWeights(ParticleMeasure target) {
        Arguments.positive("target weights", target.weights());
    }

    static Tessellation tessellation(GridDensity density, ParticleMeasure target) {
        Arguments.notNull("density", density);
        Arguments.notNull("target", target);
        Arguments.inRange("density (dimension)", density.dimension(), 1, 2);
        Arguments.sameDimension("target", target.dimension(), 2, "density");
        double m = Arguments.positive("density (mass)", density.mass());
        double[] v = density.values();
        for (int c = 0; c < v.length; c++) {
            v[c] /= m;
        }
        GridDensity.Grid g = density.grid();
        requireFiniteSquaredDistances(g, target);
        Tessellation t = new Tessellation(target.flatPoints(), g.lower(0), g.upper(0), g.lower(1), g.upper(1),
                g.cells(0), g.cells(1), v);
        requirePositiveWeights(target);
        int[] dup = t.firstDuplicate();
        if (dup != null) {
            // no Arguments rule for distinct points
            throw new IllegalArgumentException("target: points " + dup[0] + " and " + dup[1]
                    + " coincide, the points must be distinct");
        }
        return t;
    }

    /**
     * Rejects points so far from the density's box that squared distances overflow: the squared diameter of the
     * bounding box of the box and the points must be finite.
     */
    private static void requireFiniteSquaredDistances(GridDensity.Grid g, ParticleMeasure target) {
        double s = 0;
        for (int k = 0; k < 2; k++) {
            double lo = g.lower(k);
            double hi = g.upper(k);
            for (int i = 0; i < target.size(); i++) {
                lo = Math.min(lo, target.coordinate(i, k));
                hi = Math.max(hi, target.coordinate(i, k));
            }
            s += (hi - lo) * (hi - lo);
        }
        Arguments.finiteResult("target", "the squared distance between the density's box and the points", s);
    }

    /** Damped Newton from {@code psi} (overwritten with the final weights). */
    private SemiDiscreteResult newton(Tessellation t, double[] b, double[] psi, IterationObserver observer,
                                      String name) {
        int n = b.length;
        double[] d = new double[n];
        double[] rhs = new double[n];
        double[] trial = new double[n];
        double[][] cg = new double[5][n];
        t.build(psi);
        double minB = Double.POSITIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            minB = Math.min(minB, b[i]);
        }
        double minMass = minMass(t);
        for (int level = 0; level < 2 && !(minMass > 0); level++) {
            // an empty start cell: restart from the Voronoi diagram of the points shrunk into the domain
            double[] start = t.shrunkStart(level);
            System.arraycopy(start, 0, psi, 0, n);
            t.build(psi);
            minMass = minMass(t);
        }
        double eps0 = 0.5 * Math.min(minB, minMass);
        double err2 = errorNorm(t, b);
        double errMax = maxError(t, b);
        long iter = 0;
        boolean stuck = !(minMass > 0);
        boolean stopped = false;
        while (!stuck && !stopped && errMax > tolerance && iter < maxIterations) {
            for (int i = 0; i < n; i++) {
                rhs[i] = b[i] - t.mass[i];
            }
            conjugateGradient(t, rhs, d, cg);
            double tau = 1;
            boolean accepted = false;
            while (tau > 1e-12) {
                for (int i = 0; i < n; i++) {
                    trial[i] = psi[i] + tau * d[i];
                }
                t.build(trial);
                double mm = Double.POSITIVE_INFINITY;
                for (int i = 0; i < n; i++) {
                    mm = Math.min(mm, t.mass[i]);
                }
                double e2 = errorNorm(t, b);
                if (mm >= eps0 && e2 <= (1 - tau / 2) * err2) {
                    accepted = true;
                    err2 = e2;
                    break;
                }
                tau *= 0.5;
            }
            iter++;
            if (!accepted) {
                t.build(psi);
                stuck = true;
            } else {
                System.arraycopy(trial, 0, psi, 0, n);
                errMax = maxError(t, b);
            }
            stopped = !observer.observe(new IterationStatus(iter, errMax, Double.NaN));
        }
        SemiDualEvaluation at = requireFinite(name, evaluation(t, b, psi));
        return new SemiDiscreteResult(at, Convergence.tested(iter, at.massError(), tolerance, stopped));
    }

    private static double minMass(Tessellation t) {
        double m = Double.POSITIVE_INFINITY;
        for (double v : t.mass) {
            m = Math.min(m, v);
        }
        return m;
    }

    private static double errorNorm(Tessellation t, double[] b) {
        double s = 0;
        for (int i = 0; i < b.length; i++) {
            double e = t.mass[i] - b[i];
            s += e * e;
        }
        return Math.sqrt(s);
    }

    private static double maxError(Tessellation t, double[] b) {
        double s = 0;
        for (int i = 0; i < b.length; i++) {
            s = Math.max(s, Math.abs(t.mass[i] - b[i]));
        }
        return s;
    }

    /** y = DG x: (DG x)_i = sum over facets of w_ij (x_i - x_j). */
    private static void apply(Tessellation t, double[] x, double[] y, double[] diag) {
        int n = x.length;
        for (int i = 0; i < n; i++) {
            double s = 0;
            double dsum = 0;
            for (int k = t.start[i]; k < t.start[i + 1]; k++) {
                int j = t.label[k];
                if (j >= 0) {
                    double w = t.edgeWeight[k];
                    s += w * (x[i] - x[j]);
                    dsum += w;
                }
            }
            y[i] = s;
            if (diag != null) {
                diag[i] = dsum;
            }
        }
    }

    /** Jacobi-preconditioned CG on the (singular, consistent) Laplacian system; x mean zero on return. */
    private void conjugateGradient(Tessellation t, double[] rhs, double[] x, double[][] work) {
        int n = rhs.length;
        double[] r = work[0];
        double[] z = work[1];
        double[] p = work[2];
        double[] q = work[3];
        double mean = 0;
        for (double v : rhs) {
            mean += v;
        }
        mean /= n;
        double rn0 = 0;
        for (int i = 0; i < n; i++) {
            r[i] = rhs[i] - mean;
            rn0 += r[i] * r[i];
            x[i] = 0;
        }
        rn0 = Math.sqrt(rn0);
        if (rn0 == 0) {
            return;
        }
        apply(t, x, q, z); // z holds the diagonal
        double maxDiag = 0;
        for (int i = 0; i < n; i++) {
            maxDiag = Math.max(maxDiag, z[i]);
        }
        double[] inv = work[4];
        for (int i = 0; i < n; i++) {
            inv[i] = z[i] > 1e-300 * maxDiag && z[i] > 0 ? 1.0 / z[i] : (maxDiag > 0 ? 1.0 / maxDiag : 1.0);
        }
        double rz = 0;
        for (int i = 0; i < n; i++) {
            z[i] = inv[i] * r[i];
            p[i] = z[i];
            rz += r[i] * z[i];
        }
        int maxCg = 10 * n + 100;
        for (int it = 0; it < maxCg; it++) {
            apply(t, p, q, null);
            double pq = 0;
            for (int i = 0; i < n; i++) {
                pq += p[i] * q[i];
            }
            if (!(pq > 0)) {
                break;
            }
            double alpha = rz / pq;
            double rn = 0;
            for (int i = 0; i < n; i++) {
                x[i] += alpha * p[i];
                r[i] -= alpha * q[i];
                rn += r[i] * r[i];
            }
            if (Math.sqrt(rn) <= cgTolerance * rn0) {
                break;
            }
            double rzNew = 0;
            for (int i = 0; i < n; i++) {
                z[i] = inv[i] * r[i];
                rzNew += r[i] * z[i];
            }
            double beta = rzNew / rz;
            rz = rzNew;
            for (int i = 0; i < n; i++) {
                p[i] = z[i] + beta * p[i];
            }
        }
        double xm = 0;
        for (double v : x) {
            xm += v;
        }
        xm /= n;
        for (int i = 0; i < n; i++) {
            x[i] -= xm;
        }
    }

    /** The semi-dual and the cell integrals of the last built tessellation, at the weights {@code psi}. */
    private static SemiDualEvaluation evaluation(Tessellation t, double[] b, double[] psi) {
        int n = b.length;
        double mean = 0;
        for (double v : psi) {
            mean += v;
        }
        mean /= n;
        double[] w = new double[n];
        double[] centroids = new double[2 * n];
        double dual = 0;
        double primal = 0;
        double err = 0;
        for (int i = 0; i < n; i++) {
            w[i] = psi[i] - mean;
            dual += t.second[i] - w[i] * t.mass[i] + b[i] * w[i];
            primal += t.second[i];
            err = Math.max(err, Math.abs(t.mass[i] - b[i]));
            if (t.mass[i] > 0) {
                centroids[2 * i] = t.pointX(i) + t.momentX[i] / t.mass[i];
                centroids[2 * i + 1] = t.pointY(i) + t.momentY[i] / t.mass[i];
            } else {
                centroids[2 * i] = t.pointX(i);
                centroids[2 * i + 1] = t.pointY(i);
            }
        }
        return new SemiDualEvaluation(w, t.mass.clone(), err, dual, primal, centroids, 2);
    }

    @Override
    public String toString() {
        return "SemiDiscreteNewton[tolerance=" + tolerance + ", maxIterations=" + maxIterations + ", cgTolerance="
                + cgTolerance + "]";
    }
}
