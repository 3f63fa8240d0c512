/**
 * The {@code mflow} command line and the runnable demonstrations of measureflow.
 *
 * <p>{@link org.measureflow.examples.Mflow} is the top command ({@code ./mflow --help}); its {@code tour}
 * subcommand ({@link org.measureflow.examples.TourCommand}) runs every demo registered in
 * {@link org.measureflow.examples.Demos#all()}, prints their numbers, and writes their pictures (PNG and SVG, with
 * {@link org.measureflow.examples.Plots}) and a summary page {@code index.html} to an output directory. A module
 * adds its demo by implementing {@link org.measureflow.examples.TourDemo} and adding one line to
 * {@link org.measureflow.examples.Demos#all()}.
 *
 * <p>The first demo, {@link org.measureflow.examples.LinearFlowDemo}, transports a Gaussian particle cloud along
 * the linear field \( \dot x = A x + b \) (survey eq. 1) and compares the particles with the exact Gaussian
 * solution \( \mathcal{N}(m_t, \Sigma_t) \), \( \dot m = A m + b \), \( \dot\Sigma = A \Sigma + \Sigma A^\top \).
 *
 * <p>Plots are rendered headless ({@code java.awt.headless=true}); the library modules never depend on the
 * plotting or command-line libraries used here.
 */
package org.measureflow.examples;
