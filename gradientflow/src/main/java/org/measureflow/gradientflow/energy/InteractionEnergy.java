package org.measureflow.gradientflow.energy;

import org.measureflow.core.Arguments;
import org.measureflow.core.measure.GridDensity;
import org.measureflow.core.parallel.Chunks;

/**
 * The interaction energy \( \mathcal W(\mu) = \tfrac12 \iint W(x, y)\, d\mu(x)\, d\mu(y) \) for a symmetric kernel
 * \( W \) (survey &sect;5.2): first variation \( \frac{\delta\mathcal W}{\delta\mu}(x) = \int W(x, y)\,d\mu(y) \)
 * (\( W * \mu \) for a difference kernel), Wasserstein flow \( \partial_t \mu = \mathrm{div}(\mu\,\nabla (W*\mu)) \),
 * and particle velocity (eq. 17)
 * \[ \dot x_i = -\sum_j w_j \nabla_1 W(x_i, x_j), \]
 * the sum running over \( j \ne i \) when {@link InteractionKernel#excludesSelfPairs()}.
 *
 * <p>Cost \( O(n^2 d) \) per evaluation with no \( n \times n \) matrix: each particle's velocity is one pass over
 * all particles in a fixed order, and particles are split in fixed chunks run in parallel
 * ({@link Chunks}), so parallel and serial runs give the same bits. On a grid the double sum runs over the cell
 * centres (\( O(N^2) \) for \( N \) cells, meant for small grids), leaving out the diagonal cells when self-pairs
 * are excluded. Immutable.
 */
public final class InteractionEnergy implements ParticleEnergy {
    /** Rows per chunk: a row costs \( O(n d) \), so small chunks balance the load. */
    private static final int CHUNK_ROWS = 64;

    private final InteractionKernel kernel;

    private InteractionEnergy(InteractionKernel kernel) {
        this.kernel = kernel;
    }

    /**
     * The energy \( \tfrac12 \iint W\, d\mu\, d\mu \) of the symmetric kernel {@code kernel}.
     *
     * @throws IllegalArgumentException if {@code kernel} is null
     */
    public static InteractionEnergy of(InteractionKernel kernel) {
        return new InteractionEnergy(Arguments.notNull("kernel", kernel));
    }

    /** The quadratic interaction \( W(z) = |z|^2/2 \) ({@link InteractionKernel#quadratic()}). */
    public static InteractionEnergy quadratic() {
        return of(InteractionKernel.quadratic());
    }

    /** The attraction&ndash;repulsion interaction \( W(z) = |z|^2/2 - \log|z| \) ({@link InteractionKernel#attractionRepulsion()}). */
    public static InteractionEnergy attractionRepulsion() {
        return of(InteractionKernel.attractionRepulsion());
    }

    /** The kernel \( W \). */
    public InteractionKernel kernel() {
        return kernel;
    }

    @Override
    public double value(double[] points, int n, int d, double[] weights) {
        ParticleArguments.check(points, n, d, weights);
        return 0.5 * weightedDoubleSum(points, n, d, weights);
    }

    private double weightedDoubleSum(double[] points, int n, int d, double[] weights) {
        boolean skip = kernel.excludesSelfPairs();
        double uniform = 1.0 / n;
        double[] partial = new double[Chunks.count(n, CHUNK_ROWS)];
        Chunks.forEach(n, CHUNK_ROWS, 4L * n * d, (chunk, start, end) -> {
            double s = 0;
            for (int i = start; i < end; i++) {
                double row = 0;
                for (int j = 0; j < n; j++) {
                    if (skip && j == i) {
                        continue;
                    }
                    double wj = weights == null ? uniform : weights[j];
                    if (wj != 0) {
                        row += wj * kernel.value(points, i * d, points, j * d, d);
                    }
                }
                double wi = weights == null ? uniform : weights[i];
                if (wi != 0) {
                    s += wi * row;
                }
            }
            partial[chunk] = s;
        });
        double s = 0;
        for (double p : partial) {
            s += p;
        }
        return s;
    }

    @Override
    public void addVelocities(double[] points, int n, int d, double[] weights, double[] out) {
        ParticleArguments.check(points, n, d, weights);
        boolean skip = kernel.excludesSelfPairs();
        double uniform = 1.0 / n;
        Chunks.forEach(n, CHUNK_ROWS, 6L * n * d, (chunk, start, end) -> {
            for (int i = start; i < end; i++) {
                int io = i * d;
                for (int j = 0; j < n; j++) {
                    if (skip && j == i) {
                        continue;
                    }
                    double wj = weights == null ? uniform : weights[j];
                    kernel.addGradient(points, io, points, j * d, d, -wj, out, io);
                }
            }
        });
    }

    @Override
    public double value(GridDensity rho) {
        Arguments.notNull("rho", rho);
        double[] centres = rho.cellCentres();
        double[] w = cellMasses(rho);
        return 0.5 * weightedDoubleSum(centres, w.length, rho.dimension(), w);
    }

    @Override
    public double[] firstVariation(GridDensity rho) {
        Arguments.notNull("rho", rho);
        double[] centres = rho.cellCentres();
        double[] w = cellMasses(rho);
        int n = w.length;
        int d = rho.dimension();
        boolean skip = kernel.excludesSelfPairs();
        double[] out = new double[n];
        Chunks.forEach(n, CHUNK_ROWS, 4L * n * d, (chunk, start, end) -> {
            for (int i = start; i < end; i++) {
                double s = 0;
                for (int j = 0; j < n; j++) {
                    if ((skip && j == i) || w[j] == 0) {
                        continue;
                    }
                    s += w[j] * kernel.value(centres, i * d, centres, j * d, d);
                }
                out[i] = s;
            }
        });
        return out;
    }

    private static double[] cellMasses(GridDensity rho) {
        double[] w = rho.values();
        double vol = rho.cellVolume();
        for (int c = 0; c < w.length; c++) {
            w[c] *= vol;
        }
        return w;
    }

    @Override
    public String toString() {
        return "InteractionEnergy[" + kernel + "]";
    }
}
