package org.measureflow.transformer.attention;

/**
 * How the attention weights of a query are normalised.
 */
public enum Normalisation {
    /**
     * Softmax attention (SA): \( v_i = V \sum_j w_j e^{\ell_{ij}} x_j / \sum_j w_j e^{\ell_{ij}} \), the mean-field
     * form of survey eq. 27 (with uniform weights \( Z_i = \sum_k e^{\ell_{ik}} \), docs/closed-forms.md CF-18).
     */
    SOFTMAX,
    /**
     * Unnormalised self-attention (USA of Geshkovski et al.): \( v_i = V \sum_j w_j e^{\ell_{ij}} x_j \); with
     * uniform weights \( w_j = 1/n \) this is the normalisation \( Z_i = n \) of docs/closed-forms.md CF-18. With \( Q = \beta I \),
     * \( K = V = I \) on the sphere it is the gradient ascent of the interaction energy
     * \( E_\beta = \frac{1}{2\beta} \sum_{ij} w_i w_j e^{\beta \langle x_i, x_j\rangle} \).
     */
    UNNORMALISED
}
