package org.measureflow.core.linalg;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.measureflow.core.Arguments;

/**
 * A reusable symmetric eigensolver for one size, \( A = V \,\mathrm{diag}(\lambda)\, V^\top \) on flat row-major
 * matrices, through EJML's symmetric QR algorithm. It keeps its work matrix between calls, so it is not thread-safe:
 * use one per thread (or per call of a public method).
 */
public final class SymmetricEigensolver {
    private final int d;
    private final DMatrixRMaj work;
    private final EigenDecomposition_F64<DMatrixRMaj> eig;

    private SymmetricEigensolver(int d) {
        this.d = d;
        this.work = new DMatrixRMaj(d, d);
        this.eig = DecompositionFactory_DDRM.eig(d, true, true);
    }

    /**
     * A solver for {@code d x d} matrices.
     *
     * @param d the size, {@code > 0}
     * @return the solver
     * @throws IllegalArgumentException if {@code d <= 0} or {@code d * d} exceeds the largest array
     */
    public static SymmetricEigensolver of(int d) {
        Arguments.product("d * d", Arguments.positive("d", d), d);
        return new SymmetricEigensolver(d);
    }

    /** The size {@code d} of the matrices this solver decomposes. */
    public int dimension() {
        return d;
    }

    /**
     * Decomposes the symmetric flat {@code a} (not modified) into {@code values} and the column {@code vectors}
     * (column {@code k}, entries {@code vectors[i * d + k]}, belongs to {@code values[k]}), unsorted.
     *
     * @throws ArithmeticException if the iteration does not converge
     */
    public void decompose(double[] a, double[] values, double[] vectors) {
        System.arraycopy(a, 0, work.data, 0, d * d);
        if (!eig.decompose(work)) {
            throw new ArithmeticException("the symmetric eigendecomposition did not converge");
        }
        for (int k = 0; k < d; k++) {
            values[k] = eig.getEigenvalue(k).real;
            DMatrixRMaj v = eig.getEigenVector(k);
            for (int i = 0; i < d; i++) {
                vectors[i * d + k] = v.data[i];
            }
        }
    }

    @Override
    public String toString() {
        return "SymmetricEigensolver[d=" + d + "]";
    }
}
