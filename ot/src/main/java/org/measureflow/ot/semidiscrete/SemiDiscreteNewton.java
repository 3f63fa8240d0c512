package org.measureflow.ot.semidiscrete;

import org.measureflow.core.Arguments;
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
 * tolerance; if a line search fails (possible only for a density whose support is disconnected), the result reports
 * {@code converged = false}.
 *
 * <p><b>On a line</b> (a 1-D {@link GridDensity} and 1-D points) no iteration is needed: the optimal cells are the
 * quantile intervals \( [F^{-1}(B_{k-1}), F^{-1}(B_k)] \) of the sorted points (\( B_k \) the cumulative target
 * masses, \( F \) the density's CDF; closed forms item 11), and equal costs at each common boundary \( z_k \) give
 * \( \psi_{(k+1)} - \psi_{(k)} = (y_{(k+1)} - y_{(k)})(y_{(k+1)} + y_{(k)} - 2 z_k) \); the result reports 0
 * iterations, with masses, cost and centroids integrated exactly over the cells of the lower envelope of the lines
 * \( x \mapsto -2y_i x + y_i^2 - \psi_i \).
 *
 * <p>Immutable and thread-safe; single-threaded and deterministic. Configured by {@link #options()}.
 */
public final class SemiDiscreteNewton {
    private final Options options;

    private SemiDiscreteNewton(Options options) {
        this.options = options;
    }

    /** The solver with default options. */
    public static SemiDiscreteNewton withDefaults() {
        return new SemiDiscreteNewton(Options.DEFAULTS);
    }

    /** The default options, to be changed by the withers and turned into a solver by {@link Options#solver()}. */
    public static Options options() {
        return Options.DEFAULTS;
    }

    /** This solver's options. */
    public Options getOptions() {
        return options;
    }

    /**
     * Immutable options of {@link SemiDiscreteNewton}. Defaults: tolerance \( 10^{-10} \) on
     * \( \max_i |G_i - b_i| \), 100 Newton steps at most, conjugate-gradient relative tolerance \( 10^{-10} \).
     */
    public static final class Options {
        static final Options DEFAULTS = new Options(1e-10, 100, 1e-10);
        private final double tolerance;
        private final int maxIterations;
        private final double cgTolerance;

        private Options(double tolerance, int maxIterations, double cgTolerance) {
            this.tolerance = tolerance;
            this.maxIterations = maxIterations;
            this.cgTolerance = cgTolerance;
        }

        /** Stop when \( \max_i |G_i(\psi) - b_i| \le \) {@code tolerance} (finite, {@code > 0}). */
        public Options tolerance(double tolerance) {
            return new Options(Arguments.positive("tolerance", tolerance), maxIterations, cgTolerance);
        }

        /** Limit on Newton steps ({@code >= 1}). */
        public Options maxIterations(int maxIterations) {
            return new Options(tolerance, Arguments.positive("maxIterations", maxIterations), cgTolerance);
        }

        /** Relative residual at which conjugate gradients stop ({@code 0 < cgTolerance < 1}). */
        public Options cgTolerance(double cgTolerance) {
            Arguments.positive("cgTolerance", cgTolerance);
            if (!(cgTolerance < 1)) {
                throw new IllegalArgumentException("cgTolerance must be < 1, got " + cgTolerance);
            }
            return new Options(tolerance, maxIterations, cgTolerance);
        }

        /** The tolerance on the largest mass error. */
        public double tolerance() {
            return tolerance;
        }

        /** The limit on Newton steps. */
        public int maxIterations() {
            return maxIterations;
        }

        /** The relative conjugate-gradient tolerance. */
        public double cgTolerance() {
            return cgTolerance;
        }

        /** The solver with these options. */
        public SemiDiscreteNewton solver() {
            return new SemiDiscreteNewton(this);
        }
    }

    /**
     * Transport from the uniform density on the rectangle \( [x_{lo}, x_{hi}] \times [y_{lo}, y_{hi}] \) to
     * {@code target} (2-D points with their weights as \( b \)).
     *
     * @throws IllegalArgumentException on an empty or reversed rectangle, a target that is not 2-D, coincident
     *                                  points, or a point of weight 0
     */
    public SemiDiscreteResult solveUniform(double xlo, double xhi, double ylo, double yhi, ParticleMeasure target) {
        return solve(GridDensity.of2d(xlo, xhi, 1, ylo, yhi, 1, new double[] {1.0}), target, null);
    }

    /**
     * Transport from the piecewise-constant {@code density} (normalised to mass 1; its grid's box is the domain
     * \( D \)) to {@code target}: in 2-D by Newton from \( \psi_0 = 0 \), in 1-D in closed form.
     *
     * @throws IllegalArgumentException if the density has zero mass, the target's dimension differs from the
     *                                  density's, two points coincide, or a point has weight 0
     */
    public SemiDiscreteResult solve(GridDensity density, ParticleMeasure target) {
        return solve(density, target, null);
    }

    /**
     * {@link #solve(GridDensity, ParticleMeasure)} from the initial weights {@code initialWeights} (copied;
     * {@code null} means zero), for instance a previous solution (checked, but not needed, in 1-D).
     */
    public SemiDiscreteResult solve(GridDensity density, ParticleMeasure target, double[] initialWeights) {
        if (density != null && density.dimension() == 1) {
            SemiDiscreteLine line = line(density, target);
            if (initialWeights != null) {
                Arguments.finite("initialWeights", initialWeights);
                Arguments.length("initialWeights", initialWeights.length, target.size());
            }
            double[] b = target.weights();
            return line.evaluate(line.optimalWeights(b), b, 0, options.tolerance);
        }
        Tessellation tess = tessellation(density, target);
        int n = target.size();
        double[] psi = new double[n];
        if (initialWeights != null) {
            Arguments.finite("initialWeights", initialWeights);
            Arguments.length("initialWeights", initialWeights.length, n);
            System.arraycopy(initialWeights, 0, psi, 0, n);
        }
        return newton(tess, target.weights(), psi);
    }

    /**
     * The semi-dual \( \Phi(\psi) \), cell masses, mass error and centroids at the given weights, without iterating
     * ({@code iterations = 0}; {@code converged} tells whether the mass error is within the tolerance). Since
     * \( \partial_i \Phi = b_i - G_i(\psi) \), this also gives the gradient of the dual.
     *
     * @throws IllegalArgumentException as {@link #solve(GridDensity, ParticleMeasure)}, or if {@code weights} has
     *                                  the wrong length or a non-finite entry
     */
    public SemiDiscreteResult evaluate(GridDensity density, ParticleMeasure target, double[] weights) {
        if (density != null && density.dimension() == 1) {
            SemiDiscreteLine line = line(density, target);
            Arguments.finite("weights", weights);
            Arguments.length("weights", weights.length, target.size());
            return line.evaluate(weights.clone(), target.weights(), 0, options.tolerance);
        }
        Tessellation t = tessellation(density, target);
        Arguments.finite("weights", weights);
        Arguments.length("weights", weights.length, target.size());
        double[] psi = weights.clone();
        t.build(psi);
        double[] b = target.weights();
        return result(t, b, psi, 0, maxError(t, b) <= options.tolerance);
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
        Arguments.finite("weights", weights);
        Arguments.notNull("target", target);
        Arguments.length("weights", weights.length, target.size());
        double[] ones = new double[grid.size()];
        java.util.Arrays.fill(ones, 1.0);
        Tessellation t = tessellation(GridDensity.of(grid, ones), target);
        t.build(weights);
        return new LaguerreDiagram(t);
    }

    static SemiDiscreteLine line(GridDensity density, ParticleMeasure target) {
        Arguments.notNull("target", target);
        Arguments.length("target (dimension)", target.dimension(), 1);
        double m = density.mass();
        if (!(m > 0)) {
            throw new IllegalArgumentException("density must have positive mass, got " + m);
        }
        requirePositiveWeights(target);
        return new SemiDiscreteLine(density, target);
    }

    private static void requirePositiveWeights(ParticleMeasure target) {
        for (int i = 0; i < target.size(); i++) {
            if (!(target.weight(i) > 0)) {
                throw new IllegalArgumentException("target: the weight of point " + i
                        + " must be > 0 (every Laguerre cell must receive mass), got " + target.weight(i));
            }
        }
    }

    static Tessellation tessellation(GridDensity density, ParticleMeasure target) {
        Arguments.notNull("density", density);
        Arguments.notNull("target", target);
        if (density.dimension() != 2) {
            throw new IllegalArgumentException("density must be 1-D or 2-D, got dimension " + density.dimension());
        }
        Arguments.length("target (dimension)", target.dimension(), 2);
        double m = density.mass();
        if (!(m > 0)) {
            throw new IllegalArgumentException("density must have positive mass, got " + m);
        }
        double[] v = density.values();
        for (int c = 0; c < v.length; c++) {
            v[c] /= m;
        }
        GridDensity.Grid g = density.grid();
        Tessellation t = new Tessellation(target.flatPoints(), g.lower(0), g.upper(0), g.lower(1), g.upper(1),
                g.cells(0), g.cells(1), v);
        requirePositiveWeights(target);
        int[] dup = t.firstDuplicate();
        if (dup != null) {
            throw new IllegalArgumentException("target: points " + dup[0] + " and " + dup[1]
                    + " coincide, the points must be distinct");
        }
        return t;
    }

    private SemiDiscreteResult newton(Tessellation t, double[] b, double[] psi) {
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
        int iter = 0;
        boolean stuck = !(minMass > 0);
        while (!stuck && errMax > options.tolerance && iter < options.maxIterations) {
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
                break;
            }
            System.arraycopy(trial, 0, psi, 0, n);
            errMax = maxError(t, b);
        }
        return result(t, b, psi, iter, errMax <= options.tolerance);
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
            if (Math.sqrt(rn) <= options.cgTolerance * rn0) {
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

    private static SemiDiscreteResult result(Tessellation t, double[] b, double[] psi, long iterations,
                                             boolean converged) {
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
        return new SemiDiscreteResult(w, t.mass.clone(), err, iterations, converged, dual, primal, centroids, 2);
    }

    @Override
    public String toString() {
        return "SemiDiscreteNewton[tolerance=" + options.tolerance + ", maxIterations=" + options.maxIterations
                + "]";
    }
}
