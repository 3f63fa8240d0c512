package org.measureflow.core.continuity;

/**
 * The slope limiter of the {@link ContinuitySolver}'s MUSCL reconstruction: from the one-sided differences
 * \( \Delta^- = \rho_c - \rho_{c-1} \) and \( \Delta^+ = \rho_{c+1} - \rho_c \) along an axis it gives the slope
 * \( s_c \) (per cell, not per unit length) of the linear reconstruction \( \rho_c + s_c\, \xi \),
 * \( \xi \in [-1/2, 1/2] \), inside cell \( c \). Both limiters give \( s_c = 0 \) at a local extremum
 * (\( \Delta^- \Delta^+ \le 0 \)) and otherwise a slope of the sign of both differences with
 * \( |s_c| \le 2 \min(|\Delta^-|, |\Delta^+|) \): the face values \( \rho_c \pm s_c/2 \) stay in
 * \( [0, 2\rho_c] \) for non-negative data, which is what makes the scheme positive (see the package
 * description).
 */
public enum SlopeLimiter {
    /**
     * \( s = \mathrm{minmod}(\Delta^-, \Delta^+) \): the smaller difference in magnitude when both have the same
     * sign, else 0. The most diffusive TVD limiter; second order away from extrema.
     */
    MINMOD,
    /**
     * The monotonized central limiter of van Leer,
     * \( s = \mathrm{minmod}(2\Delta^-, (\Delta^- + \Delta^+)/2, 2\Delta^+) \): the centred slope unless it would
     * overshoot a neighbour. Sharper than {@link #MINMOD} on smooth data (the default).
     */
    MONOTONIZED_CENTRAL
}
