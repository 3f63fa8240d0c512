/**
 * How iterative methods end and how they are watched, shared by every module: the {@link
 * org.measureflow.core.iteration.IterativeResult} view that every iterative result implements (iterations, the error
 * tested, the tolerance, the {@link org.measureflow.core.iteration.Termination}), and the {@link
 * org.measureflow.core.iteration.IterationObserver} that every iterative solver and trainer calls after each iteration
 * (progress bars, logging, early stop). See {@code docs/api-dialect.md}, sections 3 and 4.
 */
package org.measureflow.core.iteration;
