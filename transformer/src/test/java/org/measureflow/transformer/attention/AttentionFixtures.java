package org.measureflow.transformer.attention;

import java.util.random.RandomGenerator;

import org.ejml.data.DMatrixRMaj;
import org.measureflow.testing.RandomInputs;

/** Random heads and a brute-force attention written straight from the definition (survey eq. 27), for tests. */
public final class AttentionFixtures {
    private AttentionFixtures() {
    }

    /** A head with Gaussian entries of standard deviation {@code scale / sqrt(d)}. */
    public static AttentionHead randomHead(RandomGenerator rng, int d, double scale) {
        return AttentionHead.of(scaled(rng, d, scale), scaled(rng, d, scale), scaled(rng, d, scale));
    }

    private static DMatrixRMaj scaled(RandomGenerator rng, int d, double scale) {
        DMatrixRMaj m = RandomInputs.gaussianMatrix(rng, d, d);
        for (int i = 0; i < m.data.length; i++) {
            m.data[i] *= scale / Math.sqrt(d);
        }
        return m;
    }

    /**
     * The attention output from the definition, with plain (unshifted) exponentials and explicit matrices:
     * \( \sum_h V_h \sum_{j} w_j e^{(Q_h x_i)\cdot(K_h x_j)} x_j / Z \) with \( Z = \sum_j w_j e^{\dots} \) (softmax) or
     * \( Z = 1 \) (unnormalised), \( j \le i \) if causal, then the tangent projection if asked.
     */
    public static double[] bruteForce(Attention attention, double[] x, int n, int d, double[] weights, boolean causal,
                                      Normalisation normalisation, boolean sphere) {
        double[] out = new double[n * d];
        for (int i = 0; i < n; i++) {
            double[] total = new double[d];
            for (AttentionHead head : attention.heads()) {
                double[] qx = mult(head.query(), x, i * d, d);
                double[] num = new double[d];
                double z = 0;
                for (int j = 0; j < (causal ? i + 1 : n); j++) {
                    double[] ky = mult(head.key(), x, j * d, d);
                    double l = 0;
                    for (int k = 0; k < d; k++) {
                        l += qx[k] * ky[k];
                    }
                    double w = weights == null ? 1.0 / n : weights[j];
                    double p = w * Math.exp(l);
                    z += p;
                    for (int k = 0; k < d; k++) {
                        num[k] += p * x[j * d + k];
                    }
                }
                double scale = normalisation == Normalisation.SOFTMAX ? 1 / z : 1;
                double[] v = mult(head.value(), num, 0, d);
                for (int k = 0; k < d; k++) {
                    total[k] += scale * v[k];
                }
            }
            if (sphere) {
                double dot = 0;
                double nn = 0;
                for (int k = 0; k < d; k++) {
                    dot += total[k] * x[i * d + k];
                    nn += x[i * d + k] * x[i * d + k];
                }
                for (int k = 0; k < d; k++) {
                    total[k] -= dot / nn * x[i * d + k];
                }
            }
            System.arraycopy(total, 0, out, i * d, d);
        }
        return out;
    }

    private static double[] mult(DMatrixRMaj a, double[] x, int off, int d) {
        double[] y = new double[d];
        for (int r = 0; r < d; r++) {
            for (int c = 0; c < d; c++) {
                y[r] += a.get(r, c) * x[off + c];
            }
        }
        return y;
    }

    /** \( \max_k |a_k - b_k| \). */
    public static double maxDiff(double[] a, double[] b) {
        double m = 0;
        for (int k = 0; k < a.length; k++) {
            m = Math.max(m, Math.abs(a[k] - b[k]));
        }
        return m;
    }

    /** \( \max_k |a_k| \). */
    public static double maxAbs(double[] a) {
        double m = 0;
        for (double v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    /** The rows of the {@code n x d} flat array permuted: row {@code i} of the result is row {@code perm[i]}. */
    public static double[] permuteRows(double[] x, int[] perm, int d) {
        double[] y = new double[x.length];
        for (int i = 0; i < perm.length; i++) {
            System.arraycopy(x, perm[i] * d, y, i * d, d);
        }
        return y;
    }

    /** A uniformly random permutation of {@code 0..n-1} (Fisher&ndash;Yates). */
    public static int[] permutation(RandomGenerator rng, int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int s = p[i];
            p[i] = p[j];
            p[j] = s;
        }
        return p;
    }
}
