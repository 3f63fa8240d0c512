/**
 * Vector fields that move measures: {@link org.measureflow.core.field.VectorField} for a field evaluated point by
 * point, {@link org.measureflow.core.field.ParticleField} for a field that depends on the whole measure
 * (interactions, attention, mean-field gradients), {@link org.measureflow.core.field.LinearField} for the affine
 * fields whose flows are known exactly, and {@link org.measureflow.core.field.GridVectorField} for fields stored on
 * the faces of a grid (the Eulerian fields of the continuity equation and of velocity reconstruction).
 */
package org.measureflow.core.field;
