/**
 * The JKO scheme (survey eq. 13) on regular grids, with the entropic approximation of the Wasserstein term and
 * scaling iterations whose Gibbs kernel is applied as a separable Gaussian convolution.
 */
package org.measureflow.gradientflow.jko;
