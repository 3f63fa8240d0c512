package org.measureflow.flowmatching.sampling;

import org.measureflow.core.Arguments;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.ot.exact.NetworkSimplex;
import org.measureflow.ot.sinkhorn.SinkhornDivergence;

/**
 * How close generated samples are to held-out data: the exact
 * \( W_2(\mu, \nu) = (\min_P \langle C, P\rangle)^{1/2} \), \( C_{ij} = |x_i - y_j|^2 \), by the network simplex
 * (survey eq. 10). For the Sinkhorn divergence \( S_\varepsilon(\mu,\nu) \) (survey &sect;4) use
 * {@link SinkhornDivergence} of {@code ot} with a configured {@link org.measureflow.ot.sinkhorn.SinkhornSolver}:
 * there is one implementation of it in the library.
 */
public final class SampleQuality {
    private SampleQuality() {
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
        Arguments.sameDimension("heldOut", heldOut.dimension(), generated.dimension(), "generated");
    }
}
