/**
 * Optimal transport between measures (survey section 4): exact Kantorovich transport (eq. 10), entropic
 * transport by Sinkhorn iterations, Sinkhorn divergences, Gaussian (Bures&ndash;Wasserstein) transport
 * (Prop. 4.3), and, later, unbalanced, semi-discrete and dynamic (Benamou&ndash;Brenier, eq. 11) transport.
 *
 * <p>Placeholder until the {@code ot} issue fills it.
 */
package org.measureflow.ot;
