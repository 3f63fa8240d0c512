/**
 * A learned flow-matching field: a small multilayer perceptron \( v_\theta(t, x) \) with hand-written
 * backpropagation, trained on the flow-matching least-squares loss (survey eq. 8) with minibatches and Adam.
 */
package org.measureflow.flowmatching.learned;
