package org.measureflow.testing;

import java.util.random.RandomGenerator;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.measureflow.core.measure.ParticleMeasure;

/**
 * Seeded generators of random test inputs: vectors, matrices, orthogonal matrices, SPD matrices with a chosen
 * condition number, weighted point clouds and 1-D measures. All draw from the caller's generator only, so the same
 * seed gives the same inputs.
 */
public final class RandomInputs {
    private RandomInputs() {
    }

    /** A vector with independent standard normal entries. */
    public static double[] gaussianVector(RandomGenerator rng, int d) {
        double[] v = new double[d];
        for (int i = 0; i < d; i++) {
            v[i] = rng.nextGaussian();
        }
        return v;
    }

    /** A {@code rows x cols} matrix with independent standard normal entries. */
    public static DMatrixRMaj gaussianMatrix(RandomGenerator rng, int rows, int cols) {
        DMatrixRMaj m = new DMatrixRMaj(rows, cols);
        for (int i = 0; i < m.data.length; i++) {
            m.data[i] = rng.nextGaussian();
        }
        return m;
    }

    /** A random orthogonal {@code d x d} matrix (Gram&ndash;Schmidt, applied twice, on a Gaussian matrix). */
    public static DMatrixRMaj orthogonal(RandomGenerator rng, int d) {
        DMatrixRMaj q = gaussianMatrix(rng, d, d);
        for (int pass = 0; pass < 2; pass++) {
            for (int j = 0; j < d; j++) {
                for (int k = 0; k < j; k++) {
                    double dot = 0;
                    for (int i = 0; i < d; i++) {
                        dot += q.get(i, j) * q.get(i, k);
                    }
                    for (int i = 0; i < d; i++) {
                        q.set(i, j, q.get(i, j) - dot * q.get(i, k));
                    }
                }
                double norm = 0;
                for (int i = 0; i < d; i++) {
                    norm += q.get(i, j) * q.get(i, j);
                }
                norm = Math.sqrt(norm);
                for (int i = 0; i < d; i++) {
                    q.set(i, j, q.get(i, j) / norm);
                }
            }
        }
        return q;
    }

    /**
     * A random SPD matrix \( Q \,\mathrm{diag}(\lambda)\, Q^\top \) with a random orthogonal \( Q \) and eigenvalues
     * spread log-uniformly so that the smallest is {@code scale / sqrt(condition)}, the largest
     * {@code scale * sqrt(condition)} (exact condition number {@code condition} for {@code d >= 2}).
     */
    public static DMatrixRMaj spd(RandomGenerator rng, int d, double condition, double scale) {
        DMatrixRMaj q = orthogonal(rng, d);
        double[] lambda = new double[d];
        double half = 0.5 * Math.log(condition);
        for (int i = 0; i < d; i++) {
            double u = d == 1 ? rng.nextDouble(-1, 1) : (i == 0 ? -1 : i == 1 ? 1 : rng.nextDouble(-1, 1));
            lambda[i] = scale * Math.exp(u * half);
        }
        DMatrixRMaj scaled = q.copy();
        for (int j = 0; j < d; j++) {
            for (int i = 0; i < d; i++) {
                scaled.set(i, j, scaled.get(i, j) * lambda[j]);
            }
        }
        DMatrixRMaj s = new DMatrixRMaj(d, d);
        CommonOps_DDRM.multTransB(scaled, q, s);
        for (int i = 0; i < d; i++) {
            for (int j = i + 1; j < d; j++) {
                double v = 0.5 * (s.get(i, j) + s.get(j, i));
                s.set(i, j, v);
                s.set(j, i, v);
            }
        }
        return s;
    }

    /** A random SPD matrix with condition number 10 and unit geometric-mean scale. */
    public static DMatrixRMaj spd(RandomGenerator rng, int d) {
        return spd(rng, d, 10.0, 1.0);
    }

    /** {@code n} points with standard normal coordinates, uniform weights. */
    public static ParticleMeasure pointCloud(RandomGenerator rng, int n, int d) {
        return ParticleMeasure.fromFlat(gaussianVector(rng, n * d), d);
    }

    /** {@code n} points with standard normal coordinates and weights drawn uniformly from [0.1, 1) (normalised). */
    public static ParticleMeasure weightedPointCloud(RandomGenerator rng, int n, int d) {
        return ParticleMeasure.fromFlat(gaussianVector(rng, n * d), d, positiveWeights(rng, n));
    }

    /** Weights drawn uniformly from [0.1, 1), not normalised. */
    public static double[] positiveWeights(RandomGenerator rng, int n) {
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = rng.nextDouble(0.1, 1.0);
        }
        return w;
    }

    /** A random weighted 1-D measure of {@code n} atoms with normal locations (scaled by 2, shifted by 1). */
    public static ParticleMeasure measure1d(RandomGenerator rng, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = 1 + 2 * rng.nextGaussian();
        }
        return ParticleMeasure.fromFlat(x, 1, positiveWeights(rng, n));
    }
}
