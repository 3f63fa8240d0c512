/**
 * Mean-field training of neural networks (survey section 6): the neurons of a two-layer network are the particles
 * of a measure, and gradient descent on the quadratic risk in the mean-field scaling is their Wasserstein gradient
 * flow (eqs. 19&ndash;22), here expressed as a {@link org.measureflow.gradientflow.energy.ParticleEnergy} (a potential
 * plus an interaction energy, eq. 22); the linear network's Gaussian closure (Prop. 6.2, eq. 23); and residual
 * networks with \( 1/L \) scaling and their neural-ODE limit (eqs. 24&ndash;25). Trained networks are saved and
 * loaded, as NumPy {@code .npz} archives or folders of {@code .npy} files with a documented layout, by
 * {@link org.measureflow.gradientflow.meanfield.MeanFieldNetworkFiles}.
 */
package org.measureflow.gradientflow.meanfield;
