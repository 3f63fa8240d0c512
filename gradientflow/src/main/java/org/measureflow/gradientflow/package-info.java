/**
 * Wasserstein gradient flows (survey section 5): the JKO scheme (eq. 13), particle flows (eq. 17), heat,
 * Fokker&ndash;Planck, porous-medium and interaction-energy flows, and mean-field training of two-layer
 * networks (section 6).
 *
 * <p>Placeholder until the {@code gradientflow} issues fill it.
 */
package org.measureflow.gradientflow;
