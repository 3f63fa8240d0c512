package org.measureflow.core.continuity;

/**
 * What happens at the edge of the grid's box for the {@link ContinuitySolver}.
 */
public enum Boundary {
    /**
     * A closed box: the flux \( \rho\, v \cdot n \) through every boundary face is zero, whatever the field does
     * there, so no mass leaves or enters. The field is evaluated at interior faces only.
     */
    NO_FLUX,
    /**
     * A torus: the face at \( lo_k \) is the face at \( hi_k \), and what leaves through one side enters through
     * the other. The field is evaluated at \( lo_k \) for that face, so it should itself be periodic with period
     * \( hi_k - lo_k \) along every axis.
     */
    PERIODIC
}
