/**
 * Dense linear algebra on EJML for the Gaussian closed forms: functions of SPD matrices
 * ({@link org.measureflow.core.linalg.Spd}) and of general square matrices
 * ({@link org.measureflow.core.linalg.MatrixFunctions}: exponential, Lyapunov equations).
 */
package org.measureflow.core.linalg;
