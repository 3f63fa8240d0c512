/**
 * Couplings of a minibatch of latent points with a minibatch of data points for flow-matching training: the
 * independent coupling of eq. 8, and the minibatch optimal-transport couplings of OT-CFM (exact and entropic), which
 * straighten the learned paths.
 */
package org.measureflow.flowmatching.coupling;
