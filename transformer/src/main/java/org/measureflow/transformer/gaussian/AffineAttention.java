package org.measureflow.transformer.gaussian;

import java.util.Arrays;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;
import org.measureflow.core.Arguments;
import org.measureflow.core.linalg.Spd;
import org.measureflow.transformer.attention.Attention;
import org.measureflow.transformer.attention.AttentionHead;

/**
 * The attention field of a Gaussian \( \mathcal N(m, \Sigma) \), which is affine, \( \Gamma(x) = c + B x \): the
 * algebra of {@link GaussianAttentionClosure} (see its class description for the formulas), unchecked.
 */
final class AffineAttention {
    private AffineAttention() {
    }

    /** \( B \) and \( c \) of \( \Gamma(x) = c + B x \) into the given outputs. */
    static void slopeAndOffset(Attention attention, double[] mean, DMatrixRMaj covariance,
                               GaussianAttentionClosure.AttentionWeights weights, DMatrixRMaj b, double[] c) {
        int d = attention.dimension();
        b.zero();
        Arrays.fill(c, 0.0);
        DMatrixRMaj tmp = new DMatrixRMaj(d, d);
        DMatrixRMaj vs = new DMatrixRMaj(d, d);
        DMatrixRMaj half = null;
        DMatrixRMaj invHalf = null;
        if (weights == GaussianAttentionClosure.AttentionWeights.SINKHORN) {
            DMatrixRMaj sym = Spd.symmetrised(covariance);
            half = Spd.sqrt(sym);
            invHalf = Spd.invSqrt(sym);
        }
        for (AttentionHead head : attention.heads()) {
            DMatrixRMaj v = head.value();
            if (weights == GaussianAttentionClosure.AttentionWeights.SOFTMAX) {
                // B += V S (K^T Q), c += V m
                CommonOps_DDRM.mult(v, covariance, vs);
                CommonOps_DDRM.mult(vs, head.keyTransposeQuery(), tmp);
                CommonOps_DDRM.addEquals(b, tmp);
                addMatVec(v, mean, c);
            } else {
                addSinkhornHead(head, v, mean, half, invHalf, tmp, b, c);
            }
        }
    }

    /**
     * Adds one head of Sinkhorn attention: \( B_h = V C^\top S^{-1} = V S^{1/2} W \mathrm{diag}(s) U^\top S^{-1/2} \),
     * with \( S^{1/2} Q^\top K S^{1/2} = U \mathrm{diag}(\sigma) W^\top \), and \( \Gamma_h(x) = V m + B_h (x - m) \).
     */
    private static void addSinkhornHead(AttentionHead head, DMatrixRMaj v, double[] mean, DMatrixRMaj half,
                                        DMatrixRMaj invHalf, DMatrixRMaj tmp, DMatrixRMaj b, double[] c) {
        int d = mean.length;
        DMatrixRMaj m = new DMatrixRMaj(d, d);
        CommonOps_DDRM.multTransA(head.query(), head.key(), m);
        DMatrixRMaj g = new DMatrixRMaj(d, d);
        CommonOps_DDRM.mult(half, m, tmp);
        CommonOps_DDRM.mult(tmp, half, g);
        Arguments.finiteResult("covariance", "S^{1/2} Q^T K S^{1/2}", g.data);
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(d, d, true, true, false);
        if (!svd.decompose(g)) {
            // EJML's SVD did not converge on a finite matrix: the covariance is too ill-conditioned
            throw new IllegalArgumentException("covariance: the SVD of S^{1/2} Q^T K S^{1/2} did not converge");
        }
        DMatrixRMaj u = svd.getU(null, false);
        DMatrixRMaj w = svd.getV(null, false);
        double[] sig = svd.getSingularValues();
        int rank = Math.min(sig.length, d);
        // W diag(s) U^T
        DMatrixRMaj wsu = new DMatrixRMaj(d, d);
        for (int r = 0; r < d; r++) {
            for (int col = 0; col < d; col++) {
                double s = 0;
                for (int i = 0; i < rank; i++) {
                    s += w.unsafe_get(r, i) * correlation(sig[i]) * u.unsafe_get(col, i);
                }
                wsu.unsafe_set(r, col, s);
            }
        }
        DMatrixRMaj left = new DMatrixRMaj(d, d);
        CommonOps_DDRM.mult(v, half, left);
        CommonOps_DDRM.mult(left, wsu, tmp);
        DMatrixRMaj bh = new DMatrixRMaj(d, d);
        CommonOps_DDRM.mult(tmp, invHalf, bh);
        CommonOps_DDRM.addEquals(b, bh);
        addMatVec(v, mean, c);
        double[] bm = new double[d];
        addMatVec(bh, mean, bm);
        for (int r = 0; r < d; r++) {
            c[r] -= bm[r];
        }
    }

    /**
     * The correlation \( s = (\sqrt{1 + 4\sigma^2} - 1)/(2\sigma) = 2\sigma / (1 + \sqrt{1 + 4\sigma^2}) \) of the
     * entropic plan (\( \varepsilon = 1 \)) between two standard normals with coupling \( e^{\sigma u z} \); the
     * second form has no cancellation and gives 0 at \( \sigma = 0 \).
     */
    static double correlation(double sigma) {
        return 2 * sigma / (1 + Math.sqrt(1 + 4 * sigma * sigma));
    }

    /** {@code out += a x}. */
    static void addMatVec(DMatrixRMaj a, double[] x, double[] out) {
        int d = x.length;
        for (int r = 0; r < d; r++) {
            double s = 0;
            for (int c = 0; c < d; c++) {
                s += a.unsafe_get(r, c) * x[c];
            }
            out[r] += s;
        }
    }
}
