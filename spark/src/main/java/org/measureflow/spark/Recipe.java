package org.measureflow.spark;

import java.io.Serializable;

/**
 * How an executor makes a configured solver: a serializable factory, written as a lambda or a method reference,
 * e.g. {@code () -> SinkhornDivergence.of(SinkhornSolver.of(0.05).withTolerance(1e-8))} or
 * {@code NetworkSimplex::withDefaults}. The solvers of {@code measureflow-ot} are not serializable; Spark ships the
 * recipe (with the values it captures) to each task, which makes the solver once and uses it for all its pairs.
 * The configured object is then the same on every executor, so every pair is computed exactly as on the driver.
 *
 * @param <T> the configured solver it makes
 */
@FunctionalInterface
public interface Recipe<T> extends Serializable {
    /**
     * Makes the configured solver.
     *
     * @return the solver, never {@code null}
     */
    T make();
}
