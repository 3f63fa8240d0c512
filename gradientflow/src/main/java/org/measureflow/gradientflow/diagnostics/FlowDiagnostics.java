package org.measureflow.gradientflow.diagnostics;

import java.util.OptionalDouble;

import org.ejml.data.DMatrixRMaj;
import org.measureflow.core.Arguments;
import org.measureflow.core.TextSummary;
import org.measureflow.core.measure.GridDensity;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.gradientflow.energy.GridEnergy;
import org.measureflow.gradientflow.energy.ParticleEnergy;
import org.measureflow.ot.exact.OneDimensionalOt;

/**
 * Quantities watched along a gradient flow (survey &sect;5): the energy \( F(\rho_t) \) (non-increasing along a
 * gradient flow, eq. 16), the mass \( \int\rho_t \) (conserved), the mean, the second moment
 * \( \int |x|^2 d\rho_t \) (for the heat flow it grows exactly by \( 2dDt \)), and the distance
 * \( W_2(\rho_t, \rho_\infty) \) to a known equilibrium, exact in one dimension (quantile formula,
 * docs/closed-forms.md CF-11), absent otherwise.
 *
 * @param energy             \( F(\rho) \)
 * @param mass               \( \int \rho \) (grid: midpoint sum; particles: the total weight, 1)
 * @param mean               the mean of the normalised measure
 * @param secondMoment       \( \int |x|^2 d\rho / \int d\rho \)
 * @param w2ToEquilibrium    \( W_2 \) to the equilibrium, when one was given and the dimension is 1
 */
public record FlowDiagnostics(double energy, double mass, double[] mean, double secondMoment,
                              OptionalDouble w2ToEquilibrium) {
    /**
     * Copies the mean.
     *
     * @throws IllegalArgumentException if {@code mean} or {@code w2ToEquilibrium} is null
     */
    public FlowDiagnostics {
        mean = Arguments.notNull("mean", mean).clone();
        Arguments.notNull("w2ToEquilibrium", w2ToEquilibrium);
    }

    /** A copy of the mean. */
    @Override
    public double[] mean() {
        return mean.clone();
    }

    /**
     * The diagnostics of a grid density.
     *
     * @param rho         the density
     * @param energy      the energy of the flow
     * @param equilibrium the equilibrium density on any 1-D grid, or {@code null}
     * @throws IllegalArgumentException if {@code rho} or {@code energy} is null or the mass is 0, or the energy or
     *                                  the second moment overflows double precision (naming {@code rho})
     */
    public static FlowDiagnostics of(GridDensity rho, GridEnergy energy, GridDensity equilibrium) {
        Arguments.notNull("rho", rho);
        Arguments.notNull("energy", energy);
        double value = Arguments.finiteResult("rho", "the energy", energy.value(rho));
        double[] mean = rho.mean();
        double second = secondMoment("rho", mean, () -> rho.covariance());
        OptionalDouble w2 = OptionalDouble.empty();
        if (equilibrium != null && rho.dimension() == 1 && equilibrium.dimension() == 1) {
            w2 = OptionalDouble.of(OneDimensionalOt.distance(rho.cellCentres(), weights(rho),
                    equilibrium.cellCentres(), weights(equilibrium), 2));
        }
        return new FlowDiagnostics(value, rho.mass(), mean, second, w2);
    }

    /**
     * The diagnostics of a particle measure.
     *
     * @param mu          the particles
     * @param energy      the energy of the flow (evaluated on the particles)
     * @param equilibrium a 1-D reference measure (for instance a fine quantile sample of the equilibrium), or
     *                    {@code null}
     * @throws IllegalArgumentException if {@code mu} or {@code energy} is null, or the energy or the second moment
     *                                  overflows double precision (naming {@code mu})
     */
    public static FlowDiagnostics of(ParticleMeasure mu, ParticleEnergy energy, ParticleMeasure equilibrium) {
        Arguments.notNull("mu", mu);
        Arguments.notNull("energy", energy);
        double value = energy.value(mu); // checked: names mu if it overflows
        double[] mean = mu.mean();
        double second = secondMoment("mu", mean, () -> mu.covariance());
        OptionalDouble w2 = OptionalDouble.empty();
        if (equilibrium != null && mu.dimension() == 1 && equilibrium.dimension() == 1) {
            w2 = OptionalDouble.of(OneDimensionalOt.distance(mu, equilibrium, 2));
        }
        return new FlowDiagnostics(value, 1.0, mean, second, w2);
    }

    /**
     * \( \sum_k (\Sigma_{kk} + m_k^2) \), the second moment \( \int |x|^2 \), rejected naming {@code name} (the
     * measure) when it overflows double precision (the covariance's own overflow check names the measure's points).
     */
    private static double secondMoment(String name, double[] mean, java.util.function.Supplier<DMatrixRMaj> covariance) {
        DMatrixRMaj cov;
        try {
            cov = covariance.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": its covariance overflows double precision ("
                    + e.getMessage() + ")", e);
        }
        double second = 0;
        for (int k = 0; k < mean.length; k++) {
            second += cov.get(k, k) + mean[k] * mean[k];
        }
        return Arguments.finiteResult(name, "the second moment", second);
    }

    /**
     * One line: {@code FlowDiagnostics[energy=-1.25, mass=1.0, mean=[0.5, -0.3], secondMoment=2.1,
     * w2ToEquilibrium=0.0123]} ({@code w2ToEquilibrium=none} when absent).
     */
    @Override
    public String toString() {
        return "FlowDiagnostics[energy=" + TextSummary.number(energy) + ", mass=" + TextSummary.number(mass)
                + ", mean=" + TextSummary.array(mean) + ", secondMoment=" + TextSummary.number(secondMoment)
                + ", w2ToEquilibrium=" + (w2ToEquilibrium.isPresent()
                ? TextSummary.number(w2ToEquilibrium.getAsDouble()) : "none") + "]";
    }

    private static double[] weights(GridDensity rho) {
        double[] w = rho.values();
        double s = 0;
        for (double v : w) {
            s += v;
        }
        for (int c = 0; c < w.length; c++) {
            w[c] /= s;
        }
        return w;
    }
}
