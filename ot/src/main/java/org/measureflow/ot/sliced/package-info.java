/**
 * Sliced Wasserstein distances (Rabin, Peyr&eacute;, Delon, Bernot 2011; Bonneel et al. 2015): the average over
 * directions \( \theta \in S^{d-1} \) of the one-dimensional transport costs of the projected measures,
 * \( SW_p^p(\mu,\nu) = \int_{S^{d-1}} W_p^p(\theta\sharp\mu, \theta\sharp\nu)\, d\sigma(\theta) \), each computed
 * exactly by sorting (docs/closed-forms.md CF-11, survey &sect;4). See
 * {@link org.measureflow.ot.sliced.SlicedWasserstein}.
 */
package org.measureflow.ot.sliced;
