package org.measureflow.ot.sinkhorn;

import java.util.ArrayList;
import java.util.List;

import org.measureflow.core.iteration.Convergence;
import org.measureflow.core.iteration.IterationObserver;
import org.measureflow.core.iteration.Termination;

/**
 * Coarse-to-fine Sinkhorn for large point clouds ({@link SinkhornSolver.PointCloudKernel#MULTISCALE}), after the
 * multiscale scheme of Schmitzer (2019) and of GeomLoss (Feydy et al. 2019). The clouds are grouped into grid
 * cells, level after level, each level's atoms being the weighted centroids of the cells of the level below with
 * their total weight, until at most {@link #COARSEST} atoms remain. Epsilon-scaling then runs across the levels:
 * the stage at \( \varepsilon_k \) is solved on the coarsest level whose cells are at most
 * \( \kappa\sqrt{\varepsilon_k} \) wide ({@link #KAPPA}; the kernel cannot see finer detail), and at the target
 * \( \varepsilon \) every finer level is solved in turn, the finest to the solver's tolerance. Large levels use the
 * truncated kernel ({@link TruncatedGibbsKernel}); small ones the full kernel. A level starts from the coarser
 * level's potentials by first-order prolongation: an atom \( x_i \) of cell \( I \) (centroid \( \hat x_I \))
 * starts from
 * \[ f_i = \hat f_I + \nabla \hat f(\hat x_I)\cdot(x_i - \hat x_I), \qquad \nabla\hat f(\hat x_I) =
 *    2\,(\hat x_I - T_I), \quad T_I = \frac{\sum_J \hat P_{IJ}\,\hat y_J}{\sum_J \hat P_{IJ}}, \]
 * the gradient of the entropic potential for the cost \( |x - y|^2 \) (\( T \) is the coarse plan's barycentric
 * map), and likewise for \( g \). The error left is of the order of the curvature of the potentials times the
 * squared cell width over \( \varepsilon \), at most \( \kappa^2 \), and varies on the scale of a cell, which the
 * kernel (of width \( \sqrt\varepsilon \)) averages out within a few iterations.
 */
final class MultiscaleSinkhorn {
    /** Levels are added until both clouds have at most this many atoms. */
    static final int COARSEST = 1024;
    /** Each coarser level has about this fraction of the atoms of the level below. */
    static final int REDUCTION = 4;
    /** A level serves the stages whose \( \sqrt\varepsilon \) is at least its cell width over this. */
    static final double KAPPA = 0.5;
    /**
     * At the target epsilon the descent starts on a level up to this many \( \sqrt\varepsilon \) wide: solving a
     * quarter of the atoms to {@link #LEVEL_TOLERANCE} first leaves the finest level only the error of the
     * prolongation, which varies on the scale of a cell and decays within few iterations.
     */
    static final double KAPPA_TARGET = 1.0;
    /** The tolerance of the intermediate levels at the target epsilon (never below the solver's). */
    static final double LEVEL_TOLERANCE = 1e-5;
    /** The neglected-mass budget of the truncated kernel, relative to the tolerance. */
    static final double NEGLECT = 1e-2;
    /** Levels with at most this many pairs use the full kernel. */
    static final long FULL_KERNEL_PAIRS = 1L << 22;

    private MultiscaleSinkhorn() {
    }

    /**
     * One level: the two clouds (flat), their weights, the width of the cells that made it (0 for the finest), and
     * each atom's cell in the next coarser level (null for the coarsest).
     */
    private static final class Level {
        final double[] xs;
        final double[] a;
        final double[] ys;
        final double[] b;
        final double width;
        int[] parentX;
        int[] parentY;

        Level(double[] xs, double[] a, double[] ys, double[] b, double width) {
            this.xs = xs;
            this.a = a;
            this.ys = ys;
            this.b = b;
            this.width = width;
        }
    }

    /**
     * Solves the problem of the fine ground {@code fine} with weights {@code a}, {@code b} (checked by the caller)
     * at the absolute {@code target}, with levels down to {@code coarsest} atoms and the full kernel on levels of
     * at most {@code fullKernelPairs} pairs; with a warm start, only the finest level runs, at the target.
     */
    static SinkhornResult solve(SinkhornSolver solver, LogDomainGibbsKernel.Cloud fine, double[] a, double[] b,
            double[] fInit, double[] gInit, double target, IterationObserver observer, int coarsest,
            long fullKernelPairs) {
        double tol = solver.tolerance();
        double neglect = NEGLECT * tol;
        int d = fine.d;
        if (fInit != null || gInit != null) {
            return solver.run(kernel(fine, a, b, target, neglect, fullKernelPairs), a, b, fInit, gInit, new double[] {target}, false,
                    0, observer);
        }
        List<Level> levels = levels(fine, a, b, coarsest);
        double[] eps = solver.schedule(fine.costScale(), target);
        int current = -1;
        LogDomainGibbsKernel ground = null;
        double[] f = null;
        double[] g = null;
        long iterations = 0;
        long budget = solver.maxIterations();
        SinkhornResult result = null;
        double solvedEpsilon = Double.NaN;
        for (int k = 0; k < eps.length; k++) {
            double e = eps[k];
            boolean last = k == eps.length - 1;
            if (!last && e < 2 * target && k > 0) {
                continue; // a stage this close to the target costs as much as the target's and gains little
            }
            int wanted = 0;
            double kappa = last ? KAPPA_TARGET : KAPPA;
            while (wanted + 1 < levels.size() && levels.get(wanted + 1).width <= kappa * Math.sqrt(e)) {
                wanted++;
            }
            int first = current < 0 ? wanted : Math.max(wanted, current - 1);
            int lowest = last ? 0 : first;
            for (int l = first; l >= lowest; l--) {
                Level level = levels.get(l);
                if (current >= 0 && l < current) {
                    double[][] start = prolong(ground, f, g, levels.get(current).a, levels.get(current).b,
                            solvedEpsilon, level, d);
                    f = start[0];
                    g = start[1];
                }
                current = l;
                ground = kernel(new LogDomainGibbsKernel.Cloud(level.xs, level.ys, d, fine.parallel), level.a,
                        level.b, e, neglect, fullKernelPairs);
                double levelTol = last && l == 0 ? tol
                        : Math.max(tol, last ? LEVEL_TOLERANCE : SinkhornSolver.STAGE_TOLERANCE);
                long cap = last ? budget : Math.min(budget, iterations + SinkhornSolver.STAGE_MAX_ITERATIONS);
                result = solver.withTolerance(levelTol).withMaxIterations(Math.max(1, cap)).run(ground, level.a,
                        level.b, f, g, new double[] {e}, false, iterations, observer);
                iterations = result.convergence().iterations();
                f = result.f();
                g = result.g();
                solvedEpsilon = e;
                boolean stopped = result.convergence().termination() == Termination.STOPPED;
                if (stopped || iterations >= budget) {
                    return finish(solver, fine, a, b, target, neglect, fullKernelPairs, levels, l, result, iterations,
                            stopped);
                }
            }
        }
        return result;
    }

    /** The kernel of one level: full for small levels, truncated otherwise. */
    private static LogDomainGibbsKernel kernel(LogDomainGibbsKernel.Cloud cloud, double[] a, double[] b, double eps,
            double neglect, long fullKernelPairs) {
        return (long) cloud.n * cloud.m <= fullKernelPairs ? cloud
                : new TruncatedGibbsKernel(cloud, a, b, eps, neglect);
    }

    /**
     * The end of a solve stopped by the observer or out of budget: the answer must live on the finest atoms, so the
     * potentials of level {@code l} are carried down (constant on cells) and, with no budget left, {@code run} makes
     * one exact f-update at the target and measures the fine plan.
     */
    private static SinkhornResult finish(SinkhornSolver solver, LogDomainGibbsKernel.Cloud fine, double[] a,
            double[] b, double target, double neglect, long fullKernelPairs, List<Level> levels, int l,
            SinkhornResult result, long iterations, boolean stopped) {
        if (l == 0 && result.epsilon() == target) {
            return result;
        }
        double[][] start = prolongConstant(result.f(), result.g(), levels, l);
        SinkhornResult last = solver.withMaxIterations(Math.max(1, iterations)).run(
                kernel(fine, a, b, target, neglect, fullKernelPairs), a, b, start[0], start[1], new double[] {target}, false,
                iterations, IterationObserver.none());
        Convergence c = last.convergence();
        return !stopped ? last : new SinkhornResult(last.f(), last.g(), last.cost(), last.objective(),
                last.dualObjective(), last.epsilon(), last.neglectedMass(), last.plan(),
                Convergence.tested(c.iterations(), c.error(), c.tolerance(), true));
    }

    /** The levels, finest first, each coarser one with about a quarter of the atoms, down to {@link #COARSEST}. */
    private static List<Level> levels(LogDomainGibbsKernel.Cloud fine, double[] a, double[] b, int coarsest) {
        int d = fine.d;
        List<Level> levels = new ArrayList<>();
        Level level = new Level(fine.xs, a, fine.ys, b, 0);
        levels.add(level);
        while (level.xs.length / d > coarsest || level.ys.length / d > coarsest) {
            Coarse cx = coarsen(level.xs, level.a, d, coarsest);
            Coarse cy = coarsen(level.ys, level.b, d, coarsest);
            if (cx.points.length == level.xs.length && cy.points.length == level.ys.length) {
                break; // no cell holds two atoms: coarsening would not end
            }
            level.parentX = cx.parent;
            level.parentY = cy.parent;
            level = new Level(cx.points, cx.weights, cy.points, cy.weights, Math.max(cx.width, cy.width));
            levels.add(level);
        }
        return levels;
    }

    /** A coarse level's potentials carried down to the finest atoms, constant on each cell. */
    private static double[][] prolongConstant(double[] f, double[] g, List<Level> levels, int from) {
        for (int l = from - 1; l >= 0; l--) {
            Level level = levels.get(l);
            double[] ff = new double[level.parentX.length];
            double[] gg = new double[level.parentY.length];
            for (int i = 0; i < ff.length; i++) {
                ff[i] = f[level.parentX[i]];
            }
            for (int j = 0; j < gg.length; j++) {
                gg[j] = g[level.parentY[j]];
            }
            f = ff;
            g = gg;
        }
        return new double[][] {f, g};
    }

    /** A coarser cloud: centroids, total weights, and the cell of each finer atom. */
    private record Coarse(double[] points, double[] weights, int[] parent, double width) {
    }

    /** Groups a cloud into about {@code size / REDUCTION} grid cells. */
    static Coarse coarsen(double[] flat, double[] w, int d, int coarsest) {
        int size = flat.length / d;
        if (size <= coarsest) {
            int[] identity = new int[size];
            for (int i = 0; i < size; i++) {
                identity[i] = i;
            }
            return new Coarse(flat, w, identity, 0);
        }
        int wanted = Math.max(1, size / REDUCTION);
        PointCells cells = new PointCells(flat, d, PointCells.sideForNonEmpty(flat, d, wanted), 2 * wanted);
        int c = cells.count;
        double[] points = new double[c * d];
        double[] weights = new double[c];
        int[] parent = new int[size];
        for (int cell = 0; cell < c; cell++) {
            double total = 0;
            for (int k = cells.start[cell]; k < cells.start[cell + 1]; k++) {
                total += w[cells.order[k]];
            }
            int count = cells.start[cell + 1] - cells.start[cell];
            for (int k = cells.start[cell]; k < cells.start[cell + 1]; k++) {
                int i = cells.order[k];
                parent[i] = cell;
                // weighted centroid; the plain mean for a cell of zero weight
                double share = total > 0 ? w[i] / total : 1.0 / count;
                for (int q = 0; q < d; q++) {
                    points[cell * d + q] += share * flat[i * d + q];
                }
            }
            weights[cell] = total;
        }
        return new Coarse(points, weights, parent, cells.side);
    }

    /**
     * First-order prolongation of the coarse potentials {@code (f, g)} (weights {@code ca}, {@code cb}, kernel
     * {@code coarse}) to the atoms of {@code fine}, as in the class documentation.
     */
    private static double[][] prolong(LogDomainGibbsKernel coarse, double[] f, double[] g, double[] ca, double[] cb,
            double eps, Level fine, int d) {
        double[] cx = points(coarse, true);
        double[] cy = points(coarse, false);
        double[] h = SinkhornSolver.hOf(f, SinkhornSolver.logs(ca), eps);
        double[] w = SinkhornSolver.hOf(g, SinkhornSolver.logs(cb), eps);
        int n = coarse.n;
        int m = coarse.m;
        // barycentric maps of the coarse plan, rows and columns
        double[] rowMass = new double[n];
        double[] colMass = new double[m];
        double[] ones = new double[Math.max(n, m)];
        java.util.Arrays.fill(ones, 1.0);
        coarse.planTimes(h, w, eps, java.util.Arrays.copyOf(ones, m), rowMass);
        coarse.planTransposedTimes(h, w, eps, java.util.Arrays.copyOf(ones, n), colMass);
        double[] rowGradient = new double[n * d];
        double[] colGradient = new double[m * d];
        double[] coord = new double[Math.max(n, m)];
        double[] outRows = new double[n];
        double[] outCols = new double[m];
        for (int q = 0; q < d; q++) {
            for (int j = 0; j < m; j++) {
                coord[j] = cy[j * d + q];
            }
            coarse.planTimes(h, w, eps, java.util.Arrays.copyOf(coord, m), outRows);
            for (int i = 0; i < n; i++) {
                double t = outRows[i] / rowMass[i];
                rowGradient[i * d + q] = rowMass[i] > 0 && Double.isFinite(t) ? 2 * (cx[i * d + q] - t) : 0;
            }
            for (int i = 0; i < n; i++) {
                coord[i] = cx[i * d + q];
            }
            coarse.planTransposedTimes(h, w, eps, java.util.Arrays.copyOf(coord, n), outCols);
            for (int j = 0; j < m; j++) {
                double s = outCols[j] / colMass[j];
                colGradient[j * d + q] = colMass[j] > 0 && Double.isFinite(s) ? 2 * (cy[j * d + q] - s) : 0;
            }
        }
        return new double[][] {extend(f, rowGradient, cx, fine.xs, fine.parentX, d),
                extend(g, colGradient, cy, fine.ys, fine.parentY, d)};
    }

    private static double[] extend(double[] coarse, double[] gradient, double[] centres, double[] fine, int[] parent,
            int d) {
        int size = parent.length;
        double[] out = new double[size];
        for (int i = 0; i < size; i++) {
            int c = parent[i];
            double v = coarse[c];
            for (int q = 0; q < d; q++) {
                v += gradient[c * d + q] * (fine[i * d + q] - centres[c * d + q]);
            }
            out[i] = v;
        }
        return out;
    }

    private static double[] points(LogDomainGibbsKernel k, boolean source) {
        LogDomainGibbsKernel.Cloud c = k instanceof TruncatedGibbsKernel t ? t.full : (LogDomainGibbsKernel.Cloud) k;
        return source ? c.xs : c.ys;
    }
}
