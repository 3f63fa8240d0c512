package org.measureflow.core.velocity;

import org.measureflow.core.grid.NeumannPoisson;
import org.measureflow.core.iteration.Convergence;
import org.measureflow.core.iteration.IterationObserver;
import org.measureflow.core.iteration.IterationStatus;
import org.measureflow.core.measure.GridDensity.Grid;
import org.measureflow.core.parallel.Chunks;

/**
 * Preconditioned conjugate gradients for the weighted Neumann problem \( A\varphi = b \),
 * \( A\varphi = -\mathrm{div}_h(\rho_f \nabla_h \varphi) \), on a cell-centred grid: the faces and arithmetic face
 * densities of {@link org.measureflow.core.field.GridVectorField}, no flux through the boundary, \( \sum_c b_c = 0 \).
 * \( A \) is symmetric and positive definite on mean-zero vectors when every \( \rho_c \gt 0 \).
 *
 * <p>Preconditioner: \( M^{-1} = P\, D^{-1/2} L^{+} D^{-1/2} P \), with \( D = \mathrm{diag}(\rho_c) \), \( L^+ \) the
 * exact mean-zero inverse of the unweighted Neumann operator \( L = -\Delta_h \) ({@link NeumannPoisson}) and \( P \)
 * the projection that removes the mean. It is symmetric and positive definite on mean-zero vectors. Why it works:
 * with the geometric face density \( \sqrt{\rho_c\rho_{c'}} \) one has exactly \( A = D^{1/2}(L + V)D^{1/2} \) with
 * the diagonal \( V = (\Delta_h\sqrt\rho)/\sqrt\rho \) (the arithmetic faces used differ from it by
 * \( O(h^2) \) relative), so \( M^{-1}A \) is similar to \( I + L^{+}V \): its spectrum does not depend on how many
 * orders of magnitude the density spans (a Gaussian's tails), only on \( V \) (for a Gaussian of standard deviation
 * \( s \) on a box of half-width \( \ell \), \( V \approx |x|^2/(4s^4) - d/(2s^2) \) and \( \|L^+V\| \) is at most of
 * order \( (\ell/s)^4 \)). A constant-density preconditioner \( L^+/\bar\rho \) has condition number
 * \( \max\rho/\min\rho \) instead, and was measured to stall (benchmarks/RESULTS.md, issue 17).
 *
 * <p>Works in place on a workspace allocated once per solve; every loop runs over fixed chunks of grid lines
 * ({@link Chunks}), reductions are summed chunk by chunk in chunk order, so the bits do not depend on the number of
 * threads or on {@code parallel}. Not thread-safe (one instance per solve).
 */
final class WeightedPoisson {
    /** Cells per chunk of grid lines (at least one line). */
    private static final int CELLS_PER_CHUNK = 4096;

    private final int size;
    private final int n0;
    private final int n1;
    private final int n2;
    private final int linesPerChunk;
    private final int chunks;
    private final boolean parallel;
    /** Conductance \( \rho_f / h_a^2 \) of the upper face of each cell along padded axis a (0 on the last layer). */
    private final double[] up0;
    private final double[] up1;
    private final double[] up2;
    /** \( \rho_c^{-1/2} \). */
    private final double[] scale;
    private final NeumannPoisson poisson;
    private final double[] partial;
    // PCG vectors
    private final double[] x;
    private final double[] r;
    private final double[] z;
    private final double[] p;
    private final double[] q;
    private double alpha;
    private double beta;
    private double mean;
    private final double[] source;
    // loop bodies, made once
    private final Chunks.Body applyP = this::applyP;
    private final Chunks.Body applyX = this::applyX;
    private final Chunks.Body step = this::step;
    private final Chunks.Body copyDirection = this::copyDirection;
    private final Chunks.Body residual = this::residual;
    private final Chunks.Body sourceNorm = this::sourceNorm;
    private final Chunks.Body scaleBack = this::scaleBack;
    private final Chunks.Body centre = this::centre;
    private final Chunks.Body direction = this::direction;

    /**
     * @param grid     the grid
     * @param density  the positive cell densities \( \rho_c \) (not modified; best scaled to a maximum of 1)
     * @param parallel whether chunks may run in parallel (same bits either way)
     */
    WeightedPoisson(Grid grid, double[] density, boolean parallel) {
        int dim = grid.dimension();
        this.size = grid.size();
        int[] n = {1, 1, 1};
        double[] h = {1, 1, 1};
        for (int k = 0; k < dim; k++) {
            n[3 - dim + k] = grid.cells(k);
            h[3 - dim + k] = grid.cellSize(k);
        }
        n0 = n[0];
        n1 = n[1];
        n2 = n[2];
        linesPerChunk = Math.max(1, CELLS_PER_CHUNK / n2);
        chunks = Chunks.count(n0 * n1, linesPerChunk);
        this.parallel = parallel;
        up0 = conductances(density, 0, n, h);
        up1 = conductances(density, 1, n, h);
        up2 = conductances(density, 2, n, h);
        scale = new double[size];
        for (int c = 0; c < size; c++) {
            scale[c] = 1 / Math.sqrt(density[c]);
        }
        poisson = NeumannPoisson.of(grid);
        partial = new double[chunks];
        x = new double[size];
        r = new double[size];
        z = new double[size];
        p = new double[size];
        q = new double[size];
        source = new double[size];
    }

    private double[] conductances(double[] density, int a, int[] n, double[] h) {
        double[] out = new double[size];
        if (n[a] == 1) {
            return out;
        }
        int stride = a == 0 ? n[1] * n[2] : a == 1 ? n[2] : 1;
        double inv = 1 / (h[a] * h[a]);
        for (int c = 0; c < size; c++) {
            if ((c / stride) % n[a] < n[a] - 1) {
                out[c] = 0.5 * (density[c] + density[c + stride]) * inv;
            }
        }
        return out;
    }

    /**
     * Solves \( A\varphi = b \) from \( \varphi = 0 \), stopping when the relative residual
     * \( \|b - A\varphi\|_2 / \|b\|_2 \) (recomputed from \( \varphi \) before stopping) is at most {@code tolerance}.
     *
     * @param b        mean-zero right-hand side, finite (not modified)
     * @param observer called after every iteration with {@code offset + iteration}, the relative residual and
     *                 {@code fractionDone}
     * @param offset   added to the iteration count reported to the observer
     * @return how the iteration ended; the solution is in {@link #solution()}
     */
    Convergence solve(double[] b, double tolerance, long maxIterations, IterationObserver observer, long offset,
            double fractionDone) {
        System.arraycopy(b, 0, source, 0, size);
        double bNorm = Math.sqrt(sum(sourceNorm));
        java.util.Arrays.fill(x, 0);
        if (bNorm == 0) {
            return Convergence.tested(0, 0, tolerance, false);
        }
        System.arraycopy(b, 0, r, 0, size);
        double rz = restart();
        long iterations = 0;
        double error = 1;
        boolean exact = true; // error is the recomputed residual, not the recursive one
        boolean stopped = false;
        while (iterations < maxIterations) {
            double pq = sum(applyP);
            if (!(pq > 0)) {
                break; // no curvature left along the direction: rounding has taken over
            }
            alpha = rz / pq;
            double rr = sum(step);
            iterations++;
            error = Math.sqrt(rr) / bNorm;
            exact = false;
            boolean restarted = false;
            if (error <= tolerance) {
                error = trueResidual(bNorm);
                exact = true;
                if (error > tolerance) {
                    rz = restart(); // the recursive residual drifted: go on from the true one
                    restarted = true;
                }
            }
            if (!observer.observe(new IterationStatus(offset + iterations, error, fractionDone))) {
                stopped = true;
                break;
            }
            if (error <= tolerance) {
                break;
            }
            if (!restarted) {
                double rzNew = precondition();
                beta = rzNew / rz;
                rz = rzNew;
                loop(direction);
            }
        }
        if (!exact) {
            error = trueResidual(bNorm);
        }
        return Convergence.tested(iterations, error, tolerance, stopped);
    }

    /** The solution of the last {@link #solve}: the workspace array itself (copy it before the next solve). */
    double[] solution() {
        return x;
    }

    /** From the residual in {@code r}: z = M^{-1} r, p = z; returns r.z. */
    private double restart() {
        double rz = precondition();
        loop(copyDirection);
        return rz;
    }

    /** \( \|b - Ax\|_2 / \|b\|_2 \), leaving \( b - Ax \) in {@code r}. */
    private double trueResidual(double bNorm) {
        sum(applyX);
        return Math.sqrt(sum(residual)) / bNorm;
    }

    /** z = M^{-1} r; returns r.z. */
    private double precondition() {
        for (int c = 0; c < size; c++) {
            z[c] = scale[c] * r[c];
        }
        poisson.solve(z, z);
        mean = sum(scaleBack) / size;
        return sum(centre);
    }

    private void step(int chunk, int lineStart, int lineEnd) {
        int start = lineStart * n2;
        int end = lineEnd * n2;
        double s = 0;
        double a = alpha;
        for (int c = start; c < end; c++) {
            x[c] += a * p[c];
            double v = r[c] - a * q[c];
            r[c] = v;
            s += v * v;
        }
        partial[chunk] = s;
    }

    private void residual(int chunk, int lineStart, int lineEnd) {
        double s = 0;
        for (int c = lineStart * n2; c < lineEnd * n2; c++) {
            double v = source[c] - q[c];
            r[c] = v;
            s += v * v;
        }
        partial[chunk] = s;
    }

    private void copyDirection(int chunk, int lineStart, int lineEnd) {
        System.arraycopy(z, lineStart * n2, p, lineStart * n2, (lineEnd - lineStart) * n2);
    }

    private void scaleBack(int chunk, int lineStart, int lineEnd) {
        double s = 0;
        for (int c = lineStart * n2; c < lineEnd * n2; c++) {
            double v = scale[c] * z[c];
            z[c] = v;
            s += v;
        }
        partial[chunk] = s;
    }

    private void centre(int chunk, int lineStart, int lineEnd) {
        double s = 0;
        double m = mean;
        for (int c = lineStart * n2; c < lineEnd * n2; c++) {
            double v = z[c] - m;
            z[c] = v;
            s += r[c] * v;
        }
        partial[chunk] = s;
    }

    private void direction(int chunk, int lineStart, int lineEnd) {
        double b = beta;
        for (int c = lineStart * n2; c < lineEnd * n2; c++) {
            p[c] = z[c] + b * p[c];
        }
    }

    private void applyP(int chunk, int lineStart, int lineEnd) {
        partial[chunk] = apply(p, q, lineStart, lineEnd);
    }

    private void applyX(int chunk, int lineStart, int lineEnd) {
        partial[chunk] = apply(x, q, lineStart, lineEnd);
    }

    private void sourceNorm(int chunk, int lineStart, int lineEnd) {
        partial[chunk] = dot(source, source, lineStart, lineEnd);
    }

    /** out = A v on the lines [lineStart, lineEnd); returns the partial sum of v . A v. */
    private double apply(double[] v, double[] out, int lineStart, int lineEnd) {
        int plane = n1 * n2;
        double dot = 0;
        for (int line = lineStart; line < lineEnd; line++) {
            int i0 = line / n1;
            int i1 = line % n1;
            boolean hasUp0 = i0 < n0 - 1;
            boolean hasDown0 = i0 > 0;
            boolean hasUp1 = i1 < n1 - 1;
            boolean hasDown1 = i1 > 0;
            int base = line * n2;
            for (int j = 0; j < n2; j++) {
                int c = base + j;
                double vc = v[c];
                double s = 0;
                if (j < n2 - 1) {
                    s += up2[c] * (vc - v[c + 1]);
                }
                if (j > 0) {
                    s += up2[c - 1] * (vc - v[c - 1]);
                }
                if (hasUp1) {
                    s += up1[c] * (vc - v[c + n2]);
                }
                if (hasDown1) {
                    s += up1[c - n2] * (vc - v[c - n2]);
                }
                if (hasUp0) {
                    s += up0[c] * (vc - v[c + plane]);
                }
                if (hasDown0) {
                    s += up0[c - plane] * (vc - v[c - plane]);
                }
                out[c] = s;
                dot += vc * s;
            }
        }
        return dot;
    }

    /** The partial sum of a . b over the lines [lineStart, lineEnd). */
    private double dot(double[] a, double[] b, int lineStart, int lineEnd) {
        double s = 0;
        for (int c = lineStart * n2; c < lineEnd * n2; c++) {
            s += a[c] * b[c];
        }
        return s;
    }

    /** Runs {@code body} over the chunks of lines; each chunk's partial sum in {@code partial}; their ordered sum. */
    private double sum(Chunks.Body body) {
        loop(body);
        double s = 0;
        for (double v : partial) {
            s += v;
        }
        return s;
    }

    private void loop(Chunks.Body body) {
        int lines = n0 * n1;
        if (parallel) {
            // streaming loops of a few flops per cell, bound by memory: parallel from about 2^15 cells
            Chunks.forEach(lines, linesPerChunk, 2L * n2, body);
        } else {
            for (int chunk = 0; chunk < chunks; chunk++) {
                body.run(chunk, chunk * linesPerChunk, Math.min(lines, (chunk + 1) * linesPerChunk));
            }
        }
    }
}
