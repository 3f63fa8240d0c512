/**
 * Deterministic fixed-chunk parallel loops on {@link java.util.concurrent.ForkJoinPool#commonPool()}: the same
 * bits as a serial run for the same input.
 */
package org.measureflow.core.parallel;
