package org.measureflow.gradientflow.energy;

import java.util.ArrayList;
import java.util.List;

import org.measureflow.core.Arguments;
import org.measureflow.core.measure.GridDensity;

/**
 * A finite sum \( F = \sum_k F_k \) of energies: \( F(\rho) = \sum_k F_k(\rho) \) and
 * \( \frac{\delta F}{\delta\rho} = \sum_k \frac{\delta F_k}{\delta\rho} \) (the first variation is linear in the
 * functional). Nested sums are flattened. Immutable.
 */
public final class EnergySum implements Energy {
    private final List<Energy> terms;

    private EnergySum(List<Energy> terms) {
        this.terms = List.copyOf(terms);
    }

    /**
     * The sum of the given energies, flattened. When every summand is a {@link ParticleEnergy} the result is a
     * {@link ParticleEnergySum}, so the sum keeps its particle flow.
     *
     * @throws IllegalArgumentException if no energy is given or one is null
     */
    public static Energy of(Energy... energies) {
        List<Energy> flat = flatten(energies);
        boolean particles = true;
        for (Energy e : flat) {
            particles &= e instanceof ParticleEnergy;
        }
        if (particles) {
            List<ParticleEnergy> p = new ArrayList<>();
            for (Energy e : flat) {
                p.add((ParticleEnergy) e);
            }
            return new ParticleEnergySum(p);
        }
        return new EnergySum(flat);
    }

    static List<Energy> flatten(Energy... energies) {
        Arguments.notNull("energies", energies);
        if (energies.length == 0) {
            throw new IllegalArgumentException("energies must not be empty");
        }
        List<Energy> flat = new ArrayList<>();
        for (int k = 0; k < energies.length; k++) {
            Arguments.notNull("energies[" + k + "]", energies[k]);
            flat.addAll(energies[k].terms());
        }
        return flat;
    }

    @Override
    public double value(GridDensity rho) {
        double s = 0;
        for (Energy e : terms) {
            s += e.value(rho);
        }
        return s;
    }

    @Override
    public double[] firstVariation(GridDensity rho) {
        double[] out = new double[rho.size()];
        for (Energy e : terms) {
            double[] v = e.firstVariation(rho);
            for (int c = 0; c < out.length; c++) {
                out[c] += v[c];
            }
        }
        return out;
    }

    @Override
    public List<Energy> terms() {
        return terms;
    }

    @Override
    public String toString() {
        return "EnergySum" + terms;
    }
}
