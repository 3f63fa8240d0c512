package org.measureflow.flowmatching.field;

import org.measureflow.core.field.VectorField;
import org.measureflow.flowmatching.interpolant.Interpolant;

/**
 * A flow-matching field \( v_t(x) = \mathbb{E}[\dot\alpha_t X_0 + \dot\beta_t X_1 \mid X_t = x] \) (survey eq. 7,
 * Prop. 3.1) of an interpolant \( X_t = \alpha_t X_0 + \beta_t X_1 \), with its exact divergence
 * \( \nabla\cdot v_t(x) = \operatorname{tr} \partial_x v_t(x) \), the rate in the instantaneous change of variables
 * \( \tfrac{d}{dt} \log\rho_t(x_t) = -\nabla\cdot v_t(x_t) \) used for likelihoods. Evaluation follows the
 * {@link VectorField} contract: no allocation in the hot path, thread-safe.
 */
public interface FlowMatchingField extends VectorField {
    /** Dimension \( d \) of the points. */
    int dimension();

    /** The interpolant whose conditional expectation this field is. */
    Interpolant interpolant();

    /**
     * The exact divergence \( \nabla\cdot v_t(x) \) at the point {@code x[xOffset .. xOffset + d - 1]}.
     */
    double divergence(double t, double[] x, int xOffset);
}
