/**
 * Tokens through depth: the discrete transformer with skip connections and \( 1/L \) scaling (survey eq. 26), and
 * its continuous-depth limit, the ODE \( \dot x_i = v_t(x_i; \mu_t) \) (eq. 28) integrated by the core
 * integrators, whose empirical measure solves the transformer PDE (eq. 29).
 */
package org.measureflow.transformer.dynamics;
