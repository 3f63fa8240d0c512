package org.measureflow.gradientflow.energy;

import java.util.List;

import org.measureflow.core.Arguments;
import org.measureflow.core.measure.GridDensity;

/**
 * A finite sum \( F = \sum_k F_k \) of particle energies; the particle velocity is the sum
 * \( -\sum_k \nabla \frac{\delta F_k}{\delta\mu} \) (survey eq. 17), accumulated without work arrays. Immutable.
 */
public final class ParticleEnergySum implements ParticleEnergy {
    private final List<ParticleEnergy> terms;

    ParticleEnergySum(List<ParticleEnergy> terms) {
        this.terms = List.copyOf(terms);
    }

    /**
     * The sum of the given particle energies, flattened.
     *
     * @throws IllegalArgumentException if no energy is given or one is null
     */
    public static ParticleEnergySum of(ParticleEnergy... energies) {
        List<Energy> flat = EnergySum.flatten(energies);
        ParticleEnergy[] p = new ParticleEnergy[flat.size()];
        for (int k = 0; k < p.length; k++) {
            p[k] = (ParticleEnergy) flat.get(k);
        }
        return new ParticleEnergySum(List.of(p));
    }

    @Override
    public double value(double[] points, int n, int d, double[] weights) {
        double s = 0;
        for (ParticleEnergy e : terms) {
            s += e.value(points, n, d, weights);
        }
        return s;
    }

    @Override
    public void addVelocities(double[] points, int n, int d, double[] weights, double[] out) {
        for (ParticleEnergy e : terms) {
            e.addVelocities(points, n, d, weights, out);
        }
    }

    @Override
    public double value(GridDensity rho) {
        Arguments.notNull("rho", rho);
        double s = 0;
        for (ParticleEnergy e : terms) {
            s += e.value(rho);
        }
        return s;
    }

    @Override
    public double[] firstVariation(GridDensity rho) {
        double[] out = new double[rho.size()];
        for (ParticleEnergy e : terms) {
            double[] v = e.firstVariation(rho);
            for (int c = 0; c < out.length; c++) {
                out[c] += v[c];
            }
        }
        return out;
    }

    @Override
    public List<Energy> terms() {
        return List.copyOf(terms);
    }

    @Override
    public String toString() {
        return "ParticleEnergySum" + terms;
    }
}
