/**
 * Vector fields that move measures: {@link org.measureflow.core.field.VectorField} for a field evaluated point by
 * point, {@link org.measureflow.core.field.ParticleField} for a field that depends on the whole measure
 * (interactions, attention, mean-field gradients), and {@link org.measureflow.core.field.LinearField} for the affine
 * fields whose flows are known exactly.
 */
package org.measureflow.core.field;
