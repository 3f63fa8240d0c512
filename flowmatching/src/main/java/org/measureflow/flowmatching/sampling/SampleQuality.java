package org.measureflow.flowmatching.sampling;

import org.measureflow.core.Arguments;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.ot.exact.NetworkSimplex;
import org.measureflow.ot.sinkhorn.SinkhornDivergence;
import org.measureflow.ot.sinkhorn.SinkhornSolver;

/**
 * How close generated samples are to held-out data, through {@code ot}: the Sinkhorn divergence
 * \( S_\varepsilon(\mu, \nu) = \mathrm{OT}_\varepsilon(\mu,\nu) - \tfrac12\mathrm{OT}_\varepsilon(\mu,\mu)
 * - \tfrac12\mathrm{OT}_\varepsilon(\nu,\nu) \) (cost \( |x - y|^2 \), spec conventions) and the exact
 * \( W_2(\mu, \nu) = (\min_P \langle C, P\rangle)^{1/2} \) by the network simplex (survey eq. 10).
 */
public final class SampleQuality {
    private SampleQuality() {
    }

    /**
     * \( S_\varepsilon(\text{generated}, \text{heldOut}) \), solved to a marginal error of \( 10^{-7} \).
     *
     * @throws IllegalArgumentException on null measures, a dimension mismatch or {@code epsilon <= 0}
     */
    public static double sinkhornDivergence(ParticleMeasure generated, ParticleMeasure heldOut, double epsilon) {
        check(generated, heldOut);
        Arguments.positive("epsilon", epsilon);
        return SinkhornDivergence.of(SinkhornSolver.of(epsilon).withTolerance(1e-7)).value(generated,
                heldOut);
    }

    /**
     * The exact \( W_2 \) between the two point clouds.
     *
     * @throws IllegalArgumentException on null measures or a dimension mismatch
     */
    public static double w2(ParticleMeasure generated, ParticleMeasure heldOut) {
        check(generated, heldOut);
        return Math.sqrt(Math.max(0, NetworkSimplex.withDefaults().solve(generated, heldOut).cost()));
    }

    private static void check(ParticleMeasure generated, ParticleMeasure heldOut) {
        Arguments.notNull("generated", generated);
        Arguments.notNull("heldOut", heldOut);
        if (generated.dimension() != heldOut.dimension()) {
            throw new IllegalArgumentException("heldOut has dimension " + heldOut.dimension()
                    + ", expected the generated samples' dimension " + generated.dimension());
        }
    }
}
