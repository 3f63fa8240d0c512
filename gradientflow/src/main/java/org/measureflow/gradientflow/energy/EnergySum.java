package org.measureflow.gradientflow.energy;

import java.util.ArrayList;
import java.util.List;

import org.measureflow.core.Arguments;
import org.measureflow.core.measure.GridDensity;

/**
 * The one sum mechanism of the energies: a flattened list of terms \( F = \sum_k F_k \), with
 * \( F(\rho) = \sum_k F_k(\rho) \), \( \frac{\delta F}{\delta\rho} = \sum_k \frac{\delta F_k}{\delta\rho} \) and
 * particle velocities \( -\sum_k \nabla\frac{\delta F_k}{\delta\mu} \) accumulated term by term (survey eqs. 15 and
 * 17). The three nested classes only say which of the energy types the sum is (grid, particle, or both, decided by
 * its terms); they share the loops below. Made by {@link GridEnergy#sum}, {@link ParticleEnergy#sum} and
 * {@link MeasureEnergy#sum}. Immutable.
 *
 * @param <E> the type of the terms
 */
abstract class EnergySum<E> {
    final List<E> terms;

    private EnergySum(List<E> terms) {
        this.terms = List.copyOf(terms);
    }

    /**
     * The energies with every sum among them replaced by its terms, in order. The terms of a sum that is an
     * {@code E} are {@code E}s: a sum is a grid (particle) energy only when all its terms are.
     */
    @SuppressWarnings("unchecked")
    static <E> List<E> flatten(E[] energies) {
        Arguments.nonEmpty("energies", energies);
        Arguments.noNulls("energies", energies);
        List<E> flat = new ArrayList<>();
        for (E e : energies) {
            if (e instanceof EnergySum<?> sum) {
                flat.addAll((List<E>) sum.terms);
            } else {
                flat.add(e);
            }
        }
        return flat;
    }

    static double gridValue(List<? extends GridEnergy> terms, GridDensity rho) {
        Arguments.notNull("rho", rho);
        double s = 0;
        for (GridEnergy e : terms) {
            s += e.value(rho);
        }
        return Arguments.finiteResult("rho", "the energy", s);
    }

    static double[] gridFirstVariation(List<? extends GridEnergy> terms, GridDensity rho) {
        Arguments.notNull("rho", rho);
        double[] out = new double[rho.size()];
        for (GridEnergy e : terms) {
            double[] v = e.firstVariation(rho);
            for (int c = 0; c < out.length; c++) {
                out[c] += v[c];
            }
        }
        return out;
    }

    static double particleValue(List<? extends ParticleEnergy> terms, double[] points, int n, int d,
                                double[] weights) {
        double s = 0;
        for (ParticleEnergy e : terms) {
            s += e.value(points, n, d, weights);
        }
        return s;
    }

    static void addParticleVelocities(List<? extends ParticleEnergy> terms, double[] points, int n, int d,
                                      double[] weights, double[] out) {
        for (ParticleEnergy e : terms) {
            e.addVelocities(points, n, d, weights, out);
        }
    }

    /** {@code EnergySum[F1 + F2 + ...]}. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("EnergySum[");
        for (int k = 0; k < terms.size(); k++) {
            b.append(k == 0 ? "" : " + ").append(terms.get(k));
        }
        return b.append(']').toString();
    }

    /** A sum with a grid-only term (an internal energy): a grid energy. */
    static final class OfGrid extends EnergySum<GridEnergy> implements GridEnergy {
        OfGrid(List<GridEnergy> terms) {
            super(terms);
        }

        @Override
        public double value(GridDensity rho) {
            return gridValue(terms, rho);
        }

        @Override
        public double[] firstVariation(GridDensity rho) {
            return gridFirstVariation(terms, rho);
        }

        @Override
        public List<GridEnergy> terms() {
            return terms;
        }
    }

    /** A sum with a particle-only term (a network risk): a particle energy. */
    static final class OfParticles extends EnergySum<ParticleEnergy> implements ParticleEnergy {
        OfParticles(List<ParticleEnergy> terms) {
            super(terms);
        }

        @Override
        public double value(double[] points, int n, int d, double[] weights) {
            return particleValue(terms, points, n, d, weights);
        }

        @Override
        public void addVelocities(double[] points, int n, int d, double[] weights, double[] out) {
            addParticleVelocities(terms, points, n, d, weights, out);
        }
    }

    /** A sum of measure energies (potential and interaction): defined on grids and on particles. */
    static final class OfMeasures extends EnergySum<MeasureEnergy> implements MeasureEnergy {
        OfMeasures(List<MeasureEnergy> terms) {
            super(terms);
        }

        @Override
        public double value(GridDensity rho) {
            return gridValue(terms, rho);
        }

        @Override
        public double[] firstVariation(GridDensity rho) {
            return gridFirstVariation(terms, rho);
        }

        @Override
        public List<GridEnergy> terms() {
            return List.copyOf(terms);
        }

        @Override
        public double value(double[] points, int n, int d, double[] weights) {
            return particleValue(terms, points, n, d, weights);
        }

        @Override
        public void addVelocities(double[] points, int n, int d, double[] weights, double[] out) {
            addParticleVelocities(terms, points, n, d, weights, out);
        }
    }
}
