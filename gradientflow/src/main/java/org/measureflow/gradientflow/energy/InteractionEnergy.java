package org.measureflow.gradientflow.energy;

import org.measureflow.core.Arguments;
import org.measureflow.core.measure.GridDensity;
import org.measureflow.core.parallel.Chunks;

/**
 * The interaction energy \( \mathcal W(\mu) = \tfrac12 \iint W(x, y)\, d\mu(x)\, d\mu(y) \) for a symmetric
 * interaction potential \( W \) ({@link InteractionPotential}, survey &sect;5.2): first variation
 * \( \frac{\delta\mathcal W}{\delta\mu}(x) = \int W(x, y)\,d\mu(y) \) (\( W * \mu \) for a difference potential),
 * Wasserstein flow \( \partial_t \mu = \mathrm{div}(\mu\,\nabla (W*\mu)) \), and particle velocity (eq. 17)
 * \[ \dot x_i = -\sum_j w_j \nabla_1 W(x_i, x_j), \]
 * the sum running over \( j \ne i \) when {@link InteractionPotential#excludesSelfPairs()}.
 *
 * <p>Cost \( O(n^2 d) \) per evaluation with no \( n \times n \) matrix: each particle's velocity is one pass over
 * all particles in a fixed order, and particles are split in fixed chunks run in parallel
 * ({@link Chunks}), so parallel and serial runs give the same bits. On a grid the double sum runs over the cell
 * centres (\( O(N^2) \) for \( N \) cells, meant for small grids), leaving out the diagonal cells when self-pairs
 * are excluded. Defined on grids and on particles (a {@link MeasureEnergy}). Immutable.
 */
public final class InteractionEnergy implements MeasureEnergy {
    /** Rows per chunk: a row costs \( O(n d) \), so small chunks balance the load. */
    private static final int CHUNK_ROWS = 64;

    private final InteractionPotential potential;

    private InteractionEnergy(InteractionPotential potential) {
        this.potential = potential;
    }

    /**
     * The energy \( \tfrac12 \iint W\, d\mu\, d\mu \) of the symmetric interaction potential \( W \).
     *
     * @param potential the interaction potential \( W \)
     * @return the energy
     * @throws IllegalArgumentException if {@code potential} is null
     */
    public static InteractionEnergy of(InteractionPotential potential) {
        return new InteractionEnergy(Arguments.notNull("potential", potential));
    }

    /**
     * The quadratic interaction \( W(z) = |z|^2/2 \) ({@link InteractionPotential#quadratic()}).
     *
     * @return the energy
     */
    public static InteractionEnergy quadratic() {
        return of(InteractionPotential.quadratic());
    }

    /**
     * The attraction&ndash;repulsion interaction \( W(z) = |z|^2/2 - \log|z| \)
     * ({@link InteractionPotential#attractionRepulsion()}).
     *
     * @return the energy
     */
    public static InteractionEnergy attractionRepulsion() {
        return of(InteractionPotential.attractionRepulsion());
    }

    /**
     * The interaction potential \( W \).
     *
     * @return \( W \)
     */
    public InteractionPotential interactionPotential() {
        return potential;
    }

    @Override
    public double value(double[] points, int n, int d, double[] weights) {
        ParticleArguments.check(points, n, d, weights);
        return 0.5 * weightedDoubleSum(points, n, d, weights);
    }

    private double weightedDoubleSum(double[] points, int n, int d, double[] weights) {
        boolean skip = potential.excludesSelfPairs();
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
                        row += wj * potential.value(points, i * d, points, j * d, d);
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
        boolean skip = potential.excludesSelfPairs();
        double uniform = 1.0 / n;
        Chunks.forEach(n, CHUNK_ROWS, 6L * n * d, (chunk, start, end) -> {
            for (int i = start; i < end; i++) {
                int io = i * d;
                for (int j = 0; j < n; j++) {
                    if (skip && j == i) {
                        continue;
                    }
                    double wj = weights == null ? uniform : weights[j];
                    potential.addGradient(points, io, points, j * d, d, -wj, out, io);
                }
            }
        });
    }

    @Override
    public double value(GridDensity rho) {
        Arguments.notNull("rho", rho);
        double[] centres = rho.cellCentres();
        double[] w = cellMasses(rho);
        return Arguments.finiteResult("rho", "the energy", 0.5 * weightedDoubleSum(centres, w.length,
                rho.dimension(), w));
    }

    @Override
    public double[] firstVariation(GridDensity rho) {
        Arguments.notNull("rho", rho);
        double[] centres = rho.cellCentres();
        double[] w = cellMasses(rho);
        int n = w.length;
        int d = rho.dimension();
        boolean skip = potential.excludesSelfPairs();
        double[] out = new double[n];
        Chunks.forEach(n, CHUNK_ROWS, 4L * n * d, (chunk, start, end) -> {
            for (int i = start; i < end; i++) {
                double s = 0;
                for (int j = 0; j < n; j++) {
                    if ((skip && j == i) || w[j] == 0) {
                        continue;
                    }
                    s += w[j] * potential.value(centres, i * d, centres, j * d, d);
                }
                out[i] = s;
            }
        });
        return Arguments.finiteResult("rho", "the first variation", out);
    }

    private static double[] cellMasses(GridDensity rho) {
        double[] w = rho.values();
        double vol = rho.cellVolume();
        for (int c = 0; c < w.length; c++) {
            w[c] *= vol;
        }
        return w;
    }

    /** {@code InteractionEnergy[W]} with the interaction potential's text. */
    @Override
    public String toString() {
        return "InteractionEnergy[" + potential + "]";
    }
}
