package org.measureflow.core.linalg;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.decomposition.lu.LUDecompositionAlt_DDRM;
import org.ejml.dense.row.linsol.lu.LinearSolverLu_DDRM;
import org.measureflow.core.Arguments;
import org.measureflow.core.TextSummary;

/**
 * Functions of general (not necessarily symmetric) square matrices for the linear closed forms of the survey: the
 * matrix exponential \( e^{A} \), the pair \( \bigl(e^{tA}, \int_0^t e^{sA}\,ds\bigr) \) that solves the affine ODE
 * \( \dot x = A x + b \) (docs/closed-forms.md CF-2, the characteristics of survey eq. 1 for an affine field), and the
 * Sylvester and Lyapunov equations \( A X + X B = C \), \( A X + X A^\top = C \) that give stationary covariances of
 * linear flows (docs/closed-forms.md CF-3: \( B S + S B^\top = 2I \)).
 *
 * <p>Inputs are never modified; every method validates its arguments once (square, finite, matching sizes) and
 * throws an {@link IllegalArgumentException} naming the argument otherwise.
 */
public final class MatrixFunctions {
    /** Degrees of the Pad&eacute; approximants tried in order (Higham 2005, Algorithm 2.3). */
    private static final int[] DEGREES = {3, 5, 7, 9, 13};
    /**
     * Largest 1-norm \( \theta_m \) for which the backward error of the \( [m/m] \) Pad&eacute; approximant is below
     * the unit roundoff \( 2^{-53} \) (Higham 2005, Table 2.3, for m = 3, 5, 7, 9, 13).
     */
    private static final double[] THETA = {
            1.495585217958292e-2, 2.539398330063230e-1, 9.504178996162932e-1, 2.097847961257068e0,
            5.371920351148152e0};
    /** {@code PADE[m][k]} = \( b_k \) of the \( [m/m] \) approximant, for m in {@link #DEGREES}. */
    private static final double[][] PADE = new double[14][];

    static {
        for (int m : DEGREES) {
            PADE[m] = padeCoefficients(m);
        }
    }

    /** Largest number of unknowns {@code n * m} accepted by the dense Kronecker solver of the Sylvester equation. */
    public static final int MAX_SYLVESTER_UNKNOWNS = 4096;

    private MatrixFunctions() {
    }

    /**
     * The numerator coefficients of the diagonal \( [m/m] \) Pad&eacute; approximant of \( e^x \),
     * \( p_m(x) = \sum_{k=0}^m b_k x^k \) with \( b_k = \frac{(2m-k)!\, m!}{(2m)!\, k!\, (m-k)!} \) (so \( b_0 = 1 \));
     * the denominator is \( q_m(x) = p_m(-x) \). Computed by the exact ratio
     * \( b_k / b_{k-1} = \frac{m-k+1}{k\,(2m-k+1)} \).
     *
     * @param m the degree, {@code m >= 1}
     * @return the {@code m + 1} coefficients \( b_0, \dots, b_m \)
     */
    public static double[] padeCoefficients(int m) {
        Arguments.positive("m", m);
        double[] b = new double[m + 1];
        b[0] = 1;
        for (int k = 1; k <= m; k++) {
            b[k] = b[k - 1] * (m - k + 1) / ((double) k * (2 * m - k + 1));
        }
        return b;
    }

    /**
     * The matrix exponential \( e^{A} = \sum_{k\ge0} A^k / k! \) by scaling and squaring (Higham 2005, "The scaling
     * and squaring method for the matrix exponential revisited", Algorithm 2.3): with \( \|A\|_1 \le \theta_m \) for
     * some \( m \in \{3,5,7,9\} \) the \( [m/m] \) Pad&eacute; approximant \( r_m(A) = q_m(A)^{-1} p_m(A) \) is used
     * directly; otherwise \( e^{A} = r_{13}(A/2^s)^{2^s} \) with the smallest \( s \ge 0 \) such that
     * \( \|A/2^s\|_1 \le \theta_{13} \). The backward error is at most the unit roundoff in exact arithmetic, so the
     * forward relative error is about the condition number of the exponential at {@code a} (\( \|A\|_2 \) for normal
     * {@code a}) times \( 2^{-53} \).
     *
     * @param a a square matrix with finite entries (not modified)
     * @return a new matrix \( e^{A} \)
     * @throws IllegalArgumentException if {@code a} is not square or has a non-finite entry, or if the result
     *                                  overflows
     */
    public static DMatrixRMaj exp(DMatrixRMaj a) {
        Arguments.square("a", a);
        Arguments.finite("a", a);
        DMatrixRMaj result = expUnchecked(a, "a", "the exponential overflows");
        requireFiniteResult("a", result, "the exponential overflows");
        return result;
    }

    /**
     * Scaling and squaring on a validated square matrix. A matrix whose 1-norm overflows is rejected (its exponential
     * overflows or its scaling would need unboundedly many squarings), and the squarings stop at the first
     * non-finite entry (the caller's {@link #requireFiniteResult} then rejects the result).
     */
    private static DMatrixRMaj expUnchecked(DMatrixRMaj a, String name, String why) {
        int d = a.numRows;
        double norm = norm1(a);
        if (!(norm < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException(name + ": " + why + " (the 1-norm of the matrix is " + norm + ")");
        }
        if (norm == 0) {
            return CommonOps_DDRM.identity(d);
        }
        DMatrixRMaj a2 = new DMatrixRMaj(d, d);
        for (int i = 0; i < 4; i++) {
            if (norm <= THETA[i]) {
                CommonOps_DDRM.mult(a, a, a2);
                return padeLowDegree(a, a2, DEGREES[i]);
            }
        }
        int s = Math.max(0, (int) Math.ceil(Math.log(norm / THETA[4]) / Math.log(2)));
        // guard against rounding in the logarithm: make sure the scaled norm is below theta_13
        while (Math.scalb(norm, -s) > THETA[4]) {
            s++;
        }
        DMatrixRMaj scaled = a.copy();
        CommonOps_DDRM.scale(Math.scalb(1.0, -s), scaled);
        CommonOps_DDRM.mult(scaled, scaled, a2);
        DMatrixRMaj r = pade13(scaled, a2);
        DMatrixRMaj tmp = new DMatrixRMaj(d, d);
        for (int k = 0; k < s && isFinite(r); k++) {
            CommonOps_DDRM.mult(r, r, tmp);
            DMatrixRMaj swap = r;
            r = tmp;
            tmp = swap;
        }
        return r;
    }

    /** \( r_m(A) \) for odd {@code m <= 9}, from the even powers \( A^2, A^4, \dots \). */
    private static DMatrixRMaj padeLowDegree(DMatrixRMaj a, DMatrixRMaj a2, int m) {
        int d = a.numRows;
        double[] b = PADE[m];
        // even powers A^0 = I, A^2, ..., A^{m-1}
        DMatrixRMaj[] even = new DMatrixRMaj[(m + 1) / 2];
        even[0] = CommonOps_DDRM.identity(d);
        if (even.length > 1) {
            even[1] = a2;
        }
        for (int j = 2; j < even.length; j++) {
            even[j] = new DMatrixRMaj(d, d);
            CommonOps_DDRM.mult(even[j - 1], a2, even[j]);
        }
        DMatrixRMaj oddSum = new DMatrixRMaj(d, d);  // sum_j b_{2j+1} A^{2j}
        DMatrixRMaj v = new DMatrixRMaj(d, d);       // sum_j b_{2j} A^{2j}
        for (int j = 0; j < even.length; j++) {
            CommonOps_DDRM.addEquals(oddSum, b[2 * j + 1], even[j]);
            CommonOps_DDRM.addEquals(v, b[2 * j], even[j]);
        }
        DMatrixRMaj u = new DMatrixRMaj(d, d);
        CommonOps_DDRM.mult(a, oddSum, u);
        return solvePade(u, v);
    }

    /** \( r_{13}(A) \) with Higham's evaluation scheme: six matrix products and one solve. */
    private static DMatrixRMaj pade13(DMatrixRMaj a, DMatrixRMaj a2) {
        int d = a.numRows;
        double[] b = PADE[13];
        DMatrixRMaj a4 = new DMatrixRMaj(d, d);
        CommonOps_DDRM.mult(a2, a2, a4);
        DMatrixRMaj a6 = new DMatrixRMaj(d, d);
        CommonOps_DDRM.mult(a4, a2, a6);
        DMatrixRMaj identity = CommonOps_DDRM.identity(d);

        // U = A [ A6 (b13 A6 + b11 A4 + b9 A2) + b7 A6 + b5 A4 + b3 A2 + b1 I ]
        DMatrixRMaj inner = new DMatrixRMaj(d, d);
        CommonOps_DDRM.add(b[13], a6, b[11], a4, inner);
        CommonOps_DDRM.addEquals(inner, b[9], a2);
        DMatrixRMaj outer = new DMatrixRMaj(d, d);
        CommonOps_DDRM.mult(a6, inner, outer);
        CommonOps_DDRM.addEquals(outer, b[7], a6);
        CommonOps_DDRM.addEquals(outer, b[5], a4);
        CommonOps_DDRM.addEquals(outer, b[3], a2);
        CommonOps_DDRM.addEquals(outer, b[1], identity);
        DMatrixRMaj u = new DMatrixRMaj(d, d);
        CommonOps_DDRM.mult(a, outer, u);

        // V = A6 (b12 A6 + b10 A4 + b8 A2) + b6 A6 + b4 A4 + b2 A2 + b0 I
        CommonOps_DDRM.add(b[12], a6, b[10], a4, inner);
        CommonOps_DDRM.addEquals(inner, b[8], a2);
        DMatrixRMaj v = new DMatrixRMaj(d, d);
        CommonOps_DDRM.mult(a6, inner, v);
        CommonOps_DDRM.addEquals(v, b[6], a6);
        CommonOps_DDRM.addEquals(v, b[4], a4);
        CommonOps_DDRM.addEquals(v, b[2], a2);
        CommonOps_DDRM.addEquals(v, b[0], identity);
        return solvePade(u, v);
    }

    /** Solves \( (V - U)\, R = V + U \), i.e. \( R = q_m(A)^{-1} p_m(A) \) with \( p_m = V + U \), \( q_m = V - U \). */
    private static DMatrixRMaj solvePade(DMatrixRMaj u, DMatrixRMaj v) {
        int d = u.numRows;
        DMatrixRMaj q = new DMatrixRMaj(d, d);
        CommonOps_DDRM.subtract(v, u, q);
        DMatrixRMaj p = new DMatrixRMaj(d, d);
        CommonOps_DDRM.add(v, u, p);
        LinearSolverLu_DDRM solver = new LinearSolverLu_DDRM(new LUDecompositionAlt_DDRM());
        if (!solver.setA(q) || solver.getDecomposition().isSingular()) {
            // q_m(A) is nonsingular whenever ||A||_1 <= theta_m (Higham 2005, Sec. 2); reaching here means overflow
            throw new IllegalArgumentException("a: the Pade denominator q_m(A) is singular (the entries of a are too large)");
        }
        DMatrixRMaj r = new DMatrixRMaj(d, d);
        solver.solve(p, r);
        return r;
    }

    /** The induced 1-norm \( \|A\|_1 = \max_j \sum_i |A_{ij}| \). */
    static double norm1(DMatrixRMaj a) {
        double max = 0;
        for (int j = 0; j < a.numCols; j++) {
            double s = 0;
            for (int i = 0; i < a.numRows; i++) {
                s += Math.abs(a.unsafe_get(i, j));
            }
            max = Math.max(max, s);
        }
        return max;
    }

    /**
     * The exponential and its integral at time {@code t}, the two matrices of the exact flow of the affine ODE
     * \( \dot x = A x + b \): \( x(t) = \Phi(t)\, x(0) + \Psi(t)\, b \) with \( \Phi(t) = e^{tA} \) and
     * \( \Psi(t) = \int_0^t e^{sA}\, ds = \sum_{k\ge1} t^k A^{k-1}/k! \) (docs/closed-forms.md CF-2). Both come from one
     * exponential of the \( 2d \times 2d \) block matrix
     * \[ \exp\!\left( t \begin{pmatrix} A &amp; I \\ 0 &amp; 0 \end{pmatrix} \right)
     *    = \begin{pmatrix} \Phi(t) &amp; \Psi(t) \\ 0 &amp; I \end{pmatrix}, \]
     * which is valid for singular {@code a} (where \( \Psi(t) \ne A^{-1}(e^{tA} - I) \) is undefined) and for
     * negative {@code t} (then \( \Psi(t) = -\int_t^0 e^{sA} ds \)).
     *
     * @param a a square matrix with finite entries (not modified)
     * @param t a finite time
     * @return \( (\Phi(t), \Psi(t)) \) as new matrices
     * @throws IllegalArgumentException on a non-square or non-finite {@code a}, a non-finite {@code t}, or overflow
     */
    public static ExpIntegral expIntegral(DMatrixRMaj a, double t) {
        int d = Arguments.square("a", a);
        Arguments.finite("a", a);
        Arguments.finite("t", t);
        DMatrixRMaj block = new DMatrixRMaj(2 * d, 2 * d);
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                block.unsafe_set(i, j, t * a.unsafe_get(i, j));
            }
            block.unsafe_set(i, d + i, t);
        }
        DMatrixRMaj e = expUnchecked(block, "a", "exp(tA) overflows at t = " + t);
        requireFiniteResult("a", e, "exp(tA) overflows at t = " + t);
        DMatrixRMaj phi = new DMatrixRMaj(d, d);
        DMatrixRMaj psi = new DMatrixRMaj(d, d);
        CommonOps_DDRM.extract(e, 0, d, 0, d, phi, 0, 0);
        CommonOps_DDRM.extract(e, 0, d, d, 2 * d, psi, 0, 0);
        return new ExpIntegral(phi, psi);
    }

    /**
     * The pair \( \Phi(t) = e^{tA} \) and \( \Psi(t) = \int_0^t e^{sA} ds \) returned by
     * {@link #expIntegral(DMatrixRMaj, double)}. The matrices are the caller's to keep.
     *
     * @param exp      \( e^{tA} \)
     * @param integral \( \int_0^t e^{sA} ds \)
     */
    public record ExpIntegral(DMatrixRMaj exp, DMatrixRMaj integral) {
        /** One line with both matrices (by value when at most 4 x 4). */
        @Override
        public String toString() {
            return "ExpIntegral[exp=" + TextSummary.matrix(exp) + ", integral=" + TextSummary.matrix(integral) + "]";
        }
    }

    /**
     * The solution \( X \) (an {@code n x m} matrix) of the Sylvester equation \( A X + X B = C \), with {@code a}
     * of size {@code n x n}, {@code b} of size {@code m x m} and {@code c} of size {@code n x m}. The equation has a
     * unique solution iff \( A \) and \( -B \) have no common eigenvalue.
     *
     * <p>Method: the equivalent linear system \( (I_m \otimes A + B^\top \otimes I_n)\, \mathrm{vec}(X) =
     * \mathrm{vec}(C) \) of size \( nm \) is solved by LU with partial pivoting. This costs \( O((nm)^3) \) time
     * (\( O(d^6) \) for \( n = m = d \)) and \( O((nm)^2) \) memory, which is fine up to \( d \approx 20 \) and is
     * capped at {@link #MAX_SYLVESTER_UNKNOWNS} unknowns. The rows of the system are equilibrated (scaled to unit
     * maximum), and the system is declared singular when the smallest LU pivot is below \( nm \) times the machine
     * epsilon relative to the largest one.
     *
     * @return a new matrix \( X \)
     * @throws IllegalArgumentException on non-square or non-finite {@code a}, {@code b}, on a {@code c} of the wrong
     *                                  shape or with non-finite entries, on more than
     *                                  {@link #MAX_SYLVESTER_UNKNOWNS} unknowns, or if the equation is singular
     *                                  (for instance \( A \) and \( -B \) share an eigenvalue)
     */
    public static DMatrixRMaj solveSylvester(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
        int n = Arguments.square("a", a);
        Arguments.finite("a", a);
        int m = Arguments.square("b", b);
        Arguments.finite("b", b);
        Arguments.shape("c", c, n, m);
        Arguments.finite("c", c);
        return sylvester(a, b, c, "a and b", "A and -B share an eigenvalue");
    }

    /**
     * The solution \( X \) of the Lyapunov equation \( A X + X A^\top = C \) (the Sylvester equation with
     * \( B = A^\top \)); for a stable \( A \) (all eigenvalues with negative real part) and \( C = -Q \) it is the
     * stationary covariance \( X = \int_0^\infty e^{sA} Q e^{sA^\top} ds \) of \( dX = A X dt + Q^{1/2} dW \)
     * (docs/closed-forms.md CF-3, where \( A = -B \), \( Q = 2I \)). When {@code c} is symmetric (to
     * {@link Arguments#SYMMETRY_TOLERANCE} relative) the solution is symmetric and is returned exactly symmetrised. Same
     * method, cost and limits as {@link #solveSylvester(DMatrixRMaj, DMatrixRMaj, DMatrixRMaj)}.
     *
     * @return a new matrix \( X \)
     * @throws IllegalArgumentException on invalid input or if \( A \) and \( -A \) share an eigenvalue (for
     *                                  instance a zero or a purely imaginary pair of eigenvalues)
     */
    public static DMatrixRMaj solveLyapunov(DMatrixRMaj a, DMatrixRMaj c) {
        int d = Arguments.square("a", a);
        Arguments.finite("a", a);
        Arguments.shape("c", c, d, d);
        Arguments.finite("c", c);
        DMatrixRMaj at = CommonOps_DDRM.transpose(a, null);
        DMatrixRMaj x = sylvester(a, at, c, "a", "A and -A share an eigenvalue");
        if (isSymmetric(c)) {
            Spd.symmetriseInPlace(x);
        }
        return x;
    }

    private static boolean isSymmetric(DMatrixRMaj c) {
        double scale = CommonOps_DDRM.elementMaxAbs(c);
        int d = c.numRows;
        for (int i = 0; i < d; i++) {
            for (int j = i + 1; j < d; j++) {
                if (Math.abs(c.unsafe_get(i, j) - c.unsafe_get(j, i)) > Arguments.SYMMETRY_TOLERANCE * scale) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Kronecker solve of \( AX + XB = C \) on validated arguments; unknown \( X_{ij} \) has index {@code i*m + j}. */
    private static DMatrixRMaj sylvester(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c, String names, String reason) {
        int n = a.numRows;
        int m = b.numRows;
        long unknowns = (long) n * m;
        if (unknowns > MAX_SYLVESTER_UNKNOWNS) {
            throw new IllegalArgumentException(names + ": the dense Kronecker solver accepts at most "
                    + MAX_SYLVESTER_UNKNOWNS + " unknowns n*m, got " + unknowns);
        }
        int size = (int) unknowns;
        DMatrixRMaj k = new DMatrixRMaj(size, size);
        double[] kd = k.data;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                int row = (i * m + j) * size;
                // (A X)_{ij} = sum_l A_{il} X_{lj}
                for (int l = 0; l < n; l++) {
                    kd[row + l * m + j] += a.unsafe_get(i, l);
                }
                // (X B)_{ij} = sum_l X_{il} B_{lj}
                for (int l = 0; l < m; l++) {
                    kd[row + i * m + l] += b.unsafe_get(l, j);
                }
            }
        }
        // equilibrate the rows (scaling a row of the system does not change its solution), so that a badly scaled
        // but nonsingular equation, e.g. A = diag(1e-8, 1e8), is not mistaken for a singular one below
        DMatrixRMaj rhs = new DMatrixRMaj(size, 1);
        System.arraycopy(c.data, 0, rhs.data, 0, size);
        for (int r = 0; r < size; r++) {
            double max = 0;
            for (int col = 0; col < size; col++) {
                max = Math.max(max, Math.abs(kd[r * size + col]));
            }
            if (max == 0) {
                throw new IllegalArgumentException(names + ": the equation is singular (" + reason
                        + "); row " + r + " of the Kronecker system is zero");
            }
            double inv = 1 / max;
            for (int col = 0; col < size; col++) {
                kd[r * size + col] *= inv;
            }
            rhs.data[r] *= inv;
        }
        LUDecompositionAlt_DDRM lu = new LUDecompositionAlt_DDRM();
        LinearSolverLu_DDRM solver = new LinearSolverLu_DDRM(lu);
        boolean ok = solver.setA(k);
        double maxPivot = 0;
        double minPivot = Double.POSITIVE_INFINITY;
        DMatrixRMaj packed = lu.getLU();
        for (int i = 0; i < size; i++) {
            double p = Math.abs(packed.unsafe_get(i, i));
            maxPivot = Math.max(maxPivot, p);
            minPivot = Math.min(minPivot, p);
        }
        if (!ok || !(minPivot > size * Math.ulp(1.0) * maxPivot)) {
            throw new IllegalArgumentException(names + ": the equation is singular (" + reason
                    + "); smallest/largest LU pivot = " + minPivot / maxPivot);
        }
        DMatrixRMaj sol = new DMatrixRMaj(size, 1);
        solver.solve(rhs, sol);
        DMatrixRMaj x = new DMatrixRMaj(n, m);
        System.arraycopy(sol.data, 0, x.data, 0, size);
        requireFiniteResult(names, x, "the solution overflows");
        return x;
    }

    private static boolean isFinite(DMatrixRMaj m) {
        for (int i = 0; i < m.getNumElements(); i++) {
            if (!Double.isFinite(m.data[i])) {
                return false;
            }
        }
        return true;
    }

    private static void requireFiniteResult(String name, DMatrixRMaj m, String why) {
        for (int i = 0; i < m.getNumElements(); i++) {
            if (!Double.isFinite(m.data[i])) {
                throw new IllegalArgumentException(name + ": " + why + " (non-finite entry in the result)");
            }
        }
    }
}
