package org.measureflow.transformer;

import static org.measureflow.testing.Rejections.assertRejected;

import org.junit.jupiter.api.Test;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.transformer.attention.AttentionField;
import org.measureflow.transformer.attention.AttentionHead;
import org.measureflow.transformer.attention.Normalisation;
import org.measureflow.transformer.diagnostics.TokenDiagnostics;
import org.measureflow.transformer.sphere.EquiangularFlow;

/**
 * The cases of issue 14 that {@code transformer} handles: a non-finite inverse temperature is rejected naming
 * {@code beta} by every factory that takes one, and tokens whose logits or energies overflow are rejected by name.
 */
class HostileNumbersTest {
    private static final ParticleMeasure TOKENS = ParticleMeasure.fromFlat(new double[]{1, 0, 0, 1, -1, 0}, 2);

    @Test
    void aNonFiniteBetaIsRejectedNamingBeta() {
        for (double beta : new double[]{Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            assertRejected("beta", () -> AttentionHead.identity(2, beta));
            assertRejected("beta", () -> EquiangularFlow.rate(0.5, 3, beta, Normalisation.SOFTMAX));
            assertRejected("beta", () -> TokenDiagnostics.interactionEnergy(TOKENS, beta));
        }
    }

    @Test
    void aBetaThatMakesTheEnergyOrRateOverflowIsRejectedNamingIt() {
        // e^{beta <x, x>} = e^{1000} is beyond the double range
        assertRejected("tokens and beta", () -> TokenDiagnostics.interactionEnergy(TOKENS, 1000));
        assertRejected("beta", () -> EquiangularFlow.rate(0.5, 3, 2000, Normalisation.UNNORMALISED));
    }

    @Test
    void tokensWhoseLogitsOverflowAreRejectedNamingThePoints() {
        ParticleMeasure far = ParticleMeasure.fromFlat(new double[]{1e160, 0, 0, 1e160}, 2);
        assertRejected("points", () -> AttentionField.of(AttentionHead.identity(2, 1)).velocities(0, far));
        assertRejected("points", () -> AttentionField.of(AttentionHead.identity(2, 1)).attentionMatrix(0, far, 0));
    }
}
