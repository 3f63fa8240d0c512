package org.measureflow.core.linalg;

/**
 * Dense linear algebra on flat row-major {@code double[]} matrices, with output arguments and no allocation where
 * the caller passes work arrays: Cholesky factorisation and solves, the congruence \( L^\top S L \) with a
 * lower-triangular \( L \), triangular solves and products, and the eigenvalues of a symmetric matrix (Householder
 * tridiagonalisation followed by the implicit QL iteration with Wilkinson shifts). These are the kernels of the
 * per-time and per-pair work of the Gaussian closed forms (Bures&ndash;Wasserstein, entropic Gaussian OT, Gaussian
 * flow-matching fields), where EJML's decompositions would allocate and are not thread-safe.
 *
 * <p>Inputs are assumed valid (square, finite, of the stated sizes): every public entry point of the library
 * validates once, with {@link org.measureflow.core.Arguments}, before calling in. Matrix entry {@code (i, j)} of a
 * {@code d x d} matrix is at {@code i * d + j}.
 */
public final class FlatMatrices {
    /** Deflation threshold of the QL iteration: an off-diagonal entry below this fraction of its neighbours is 0. */
    private static final double DEFLATION = 0x1p-53;
    /** Guard against a QL sweep that does not deflate (never observed; reported as an error instead of looping). */
    private static final int MAX_SWEEPS_PER_EIGENVALUE = 60;

    private FlatMatrices() {
    }

    /** \( \operatorname{tr} S \) of a flat {@code d x d} matrix. */
    public static double trace(double[] s, int d) {
        double t = 0;
        for (int i = 0; i < d; i++) {
            t += s[i * d + i];
        }
        return t;
    }

    /**
     * \( M = L^\top S L \) for lower-triangular {@code l} and symmetric {@code s} (both flat {@code d x d}); the
     * upper triangle is accumulated and mirrored, so the result is exactly symmetric. Costs about
     * \( \tfrac56 d^3 \) multiply-adds.
     */
    public static double[] congruenceLowerTransposed(double[] l, double[] s, int d) {
        // T = S L: T[i][j] = sum_{k >= j} S[i][k] L[k][j]
        double[] t = new double[d * d];
        for (int i = 0; i < d; i++) {
            int ti = i * d;
            for (int k = 0; k < d; k++) {
                double sik = s[ti + k];
                int lk = k * d;
                for (int j = 0; j <= k; j++) {
                    t[ti + j] += sik * l[lk + j];
                }
            }
        }
        // M = L^T T: M[i][j] = sum_{k >= i} L[k][i] T[k][j]
        double[] m = new double[d * d];
        for (int k = 0; k < d; k++) {
            int lk = k * d;
            int tk = k * d;
            for (int i = 0; i <= k; i++) {
                double lki = l[lk + i];
                if (lki == 0) {
                    continue;
                }
                int mi = i * d;
                for (int j = i; j < d; j++) {
                    m[mi + j] += lki * t[tk + j];
                }
            }
        }
        // only the upper triangle was accumulated; mirror it (M is symmetric in exact arithmetic)
        for (int i = 0; i < d; i++) {
            for (int j = i + 1; j < d; j++) {
                m[j * d + i] = m[i * d + j];
            }
        }
        return m;
    }

    /** Replaces the flat {@code d x d} matrix {@code a} by \( (A + A^\top)/2 \). */
    public static void symmetrise(double[] a, int d) {
        for (int i = 0; i < d; i++) {
            for (int j = i + 1; j < d; j++) {
                double v = 0.5 * (a[i * d + j] + a[j * d + i]);
                a[i * d + j] = v;
                a[j * d + i] = v;
            }
        }
    }

    /** Solves \( L^\top X = B \) in place ({@code b} becomes \( X \)), {@code l} lower triangular, {@code b} is {@code d x d}. */
    public static void solveLowerTransposedInPlace(double[] l, double[] b, int d) {
        for (int i = d - 1; i >= 0; i--) {
            int bi = i * d;
            for (int k = i + 1; k < d; k++) {
                double lki = l[k * d + i];
                if (lki == 0) {
                    continue;
                }
                int bk = k * d;
                for (int j = 0; j < d; j++) {
                    b[bi + j] -= lki * b[bk + j];
                }
            }
            double inv = 1.0 / l[i * d + i];
            for (int j = 0; j < d; j++) {
                b[bi + j] *= inv;
            }
        }
    }

    /** \( L B \) for lower-triangular {@code l} and a full {@code d x d} matrix {@code b}; a new array. */
    public static double[] multLower(double[] l, double[] b, int d) {
        double[] out = new double[d * d];
        for (int i = 0; i < d; i++) {
            int oi = i * d;
            for (int k = 0; k <= i; k++) {
                double lik = l[i * d + k];
                int bk = k * d;
                for (int j = 0; j < d; j++) {
                    out[oi + j] += lik * b[bk + j];
                }
            }
        }
        return out;
    }

    /** \( P \,\mathrm{diag}(f)\, Q^\top \) for flat {@code d x d} matrices {@code p}, {@code q}; a new array. */
    public static double[] scaledProduct(double[] p, double[] f, double[] q, int d) {
        double[] out = new double[d * d];
        scaledProduct(p, f, q, d, new double[d * d], out);
        return out;
    }

    /** \( P \,\mathrm{diag}(f)\, Q^\top \) into {@code out}, with a work array {@code pf} of length {@code d*d}. */
    public static void scaledProduct(double[] p, double[] f, double[] q, int d, double[] pf, double[] out) {
        for (int i = 0; i < d; i++) {
            for (int k = 0; k < d; k++) {
                pf[i * d + k] = p[i * d + k] * f[k];
            }
        }
        for (int i = 0; i < d; i++) {
            int pi = i * d;
            int oi = i * d;
            for (int j = 0; j < d; j++) {
                out[oi + j] = dot(pf, pi, q, j * d, d);
            }
        }
    }

    /** \( A B \) into {@code out} (which must not alias {@code a} or {@code b}), all flat {@code d x d}. */
    public static void product(double[] a, double[] b, int d, double[] out) {
        java.util.Arrays.fill(out, 0, d * d, 0.0);
        for (int i = 0; i < d; i++) {
            int ai = i * d;
            for (int k = 0; k < d; k++) {
                double aik = a[ai + k];
                int bk = k * d;
                for (int j = 0; j < d; j++) {
                    out[ai + j] += aik * b[bk + j];
                }
            }
        }
    }

    /**
     * The eigenvalues of the symmetric flat {@code d x d} matrix {@code a}, in no particular order; {@code a} is
     * overwritten. Householder reduction to tridiagonal form (\( \tfrac43 d^3 \) flops) and the implicit QL iteration
     * (\( O(d^2) \)); absolute accuracy a small multiple of \( u \lVert A \rVert_2 \).
     */
    public static double[] symmetricEigenvalues(double[] a, int d) {
        double[] diag = new double[d];
        double[] off = new double[d];
        tridiagonalise(a, d, diag, off);
        tridiagonalEigenvalues(diag, off, d);
        return diag;
    }

    /**
     * Householder tridiagonalisation reading and updating only the upper triangle of {@code a}; {@code off[k]}
     * couples {@code k} and {@code k+1}, {@code off[d-1] = 0}.
     */
    private static void tridiagonalise(double[] a, int n, double[] diag, double[] off) {
        double[] v = new double[n];
        double[] w = new double[n];
        for (int k = 0; k < n - 2; k++) {
            int rk = k * n;
            diag[k] = a[rk + k];
            double x0 = a[rk + k + 1];
            double tail = 0;
            double scale = 0;
            for (int i = k + 1; i < n; i++) {
                scale = Math.max(scale, Math.abs(a[rk + i]));
            }
            if (scale == 0) {
                off[k] = 0;
                continue;
            }
            for (int i = k + 2; i < n; i++) {
                double x = a[rk + i] / scale;
                tail += x * x;
            }
            if (tail == 0) {
                off[k] = x0;
                continue;
            }
            double x0s = x0 / scale;
            double norm = Math.sqrt(x0s * x0s + tail);
            double alpha = x0s >= 0 ? -norm : norm;
            // v = x / scale - alpha e_1, |v|^2 = tail + (x0s - alpha)^2; H = I - beta v v^T
            for (int i = k + 1; i < n; i++) {
                v[i] = a[rk + i] / scale;
            }
            v[k + 1] = x0s - alpha;
            double beta = 2.0 / (tail + v[k + 1] * v[k + 1]);
            off[k] = alpha * scale;
            // p = beta A22 v, K = beta/2 v.p, w = p - K v; A22 <- A22 - v w^T - w v^T. Only the upper triangle of A22
            // is read and written: row i contributes a dot product to p_i and an axpy to p_j (j > i).
            for (int j = k + 1; j < n; j++) {
                w[j] = 0;
            }
            for (int i = k + 1; i < n; i++) {
                int ri = i * n;
                double vi = v[i];
                int len = n - i - 1;
                double dotRow = dot(a, ri + i + 1, v, i + 1, len);
                for (int j = i + 1; j < n; j++) {
                    w[j] += a[ri + j] * vi;
                }
                w[i] += a[ri + i] * vi + dotRow;
            }
            double vp = 0;
            for (int i = k + 1; i < n; i++) {
                w[i] *= beta;
                vp += v[i] * w[i];
            }
            double kk = 0.5 * beta * vp;
            for (int i = k + 1; i < n; i++) {
                w[i] -= kk * v[i];
            }
            for (int i = k + 1; i < n; i++) {
                int ri = i * n;
                double vi = v[i];
                double wi = w[i];
                for (int j = i; j < n; j++) {
                    a[ri + j] -= vi * w[j] + wi * v[j];
                }
            }
        }
        if (n >= 2) {
            diag[n - 2] = a[(n - 2) * n + n - 2];
            off[n - 2] = a[(n - 2) * n + n - 1];
        }
        diag[n - 1] = a[(n - 1) * n + n - 1];
        off[n - 1] = 0;
    }

    /** Implicit QL iteration with Wilkinson-type shifts on the symmetric tridiagonal matrix; eigenvalues into {@code d}. */
    private static void tridiagonalEigenvalues(double[] d, double[] e, int n) {
        for (int l = 0; l < n; l++) {
            int sweeps = 0;
            while (true) {
                int m = l;
                while (m < n - 1) {
                    double dd = Math.abs(d[m]) + Math.abs(d[m + 1]);
                    if (Math.abs(e[m]) <= DEFLATION * dd) {
                        break;
                    }
                    m++;
                }
                if (m == l) {
                    break;
                }
                if (++sweeps > MAX_SWEEPS_PER_EIGENVALUE) {
                    throw new ArithmeticException("the tridiagonal QL iteration did not converge");
                }
                double g = (d[l + 1] - d[l]) / (2 * e[l]);
                double r = hypot(g, 1.0);
                g = d[m] - d[l] + e[l] / (g + Math.copySign(r, g));
                double s = 1;
                double c = 1;
                double p = 0;
                boolean underflow = false;
                for (int i = m - 1; i >= l; i--) {
                    double f = s * e[i];
                    double b = c * e[i];
                    r = hypot(f, g);
                    e[i + 1] = r;
                    if (r == 0) {
                        d[i + 1] -= p;
                        e[m] = 0;
                        underflow = true;
                        break;
                    }
                    s = f / r;
                    c = g / r;
                    g = d[i + 1] - p;
                    r = (d[i] - g) * s + 2 * c * b;
                    p = s * r;
                    d[i + 1] = g + p;
                    g = c * r - b;
                }
                if (underflow) {
                    continue;
                }
                d[l] -= p;
                e[l] = g;
                e[m] = 0;
            }
        }
    }

    /**
     * \( \sum_{j \lt len} a_{aOff+j} v_{vOff+j} \) with four independent partial sums (the JIT does not reorder a
     * floating-point reduction, so one accumulator is bound by the add latency).
     */
    public static double dot(double[] a, int aOff, double[] v, int vOff, int len) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int j = 0;
        for (; j + 3 < len; j += 4) {
            s0 += a[aOff + j] * v[vOff + j];
            s1 += a[aOff + j + 1] * v[vOff + j + 1];
            s2 += a[aOff + j + 2] * v[vOff + j + 2];
            s3 += a[aOff + j + 3] * v[vOff + j + 3];
        }
        for (; j < len; j++) {
            s0 += a[aOff + j] * v[vOff + j];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** \( \sqrt{x^2 + y^2} \) without {@link Math#hypot}'s cost, rescaling only when squares could overflow or underflow. */
    private static double hypot(double x, double y) {
        double ax = Math.abs(x);
        double ay = Math.abs(y);
        double big = Math.max(ax, ay);
        if (big > 1e150 || (big < 1e-150 && big > 0)) {
            return Math.hypot(x, y);
        }
        return Math.sqrt(ax * ax + ay * ay);
    }


    /**
     * Overwrites the lower triangle of the SPD matrix stored at {@code m[off .. off + d*d - 1]} (row-major) with its
     * Cholesky factor \( L \), \( L L^\top = S \); the strict upper triangle is left as it was.
     *
     * @throws IllegalStateException if a pivot is not positive (the matrix is not numerically SPD)
     */
    public static void cholesky(double[] m, int off, int d) {
        for (int j = 0; j < d; j++) {
            double diag = m[off + j * d + j];
            for (int k = 0; k < j; k++) {
                diag -= m[off + j * d + k] * m[off + j * d + k];
            }
            if (!(diag > 0)) {
                throw new IllegalStateException("covariance is not positive definite (pivot " + j + " = " + diag + ")");
            }
            double l = Math.sqrt(diag);
            m[off + j * d + j] = l;
            for (int i = j + 1; i < d; i++) {
                double s = m[off + i * d + j];
                for (int k = 0; k < j; k++) {
                    s -= m[off + i * d + k] * m[off + j * d + k];
                }
                m[off + i * d + j] = s / l;
            }
        }
    }

    /**
     * Solves \( L L^\top y = b \) in place on {@code b[off .. off + d - 1]}, with the factor from
     * {@link #cholesky(double[], int, int)} stored at {@code l[lOff ..]}.
     */
    public static void choleskySolve(double[] l, int lOff, int d, double[] b, int off) {
        for (int i = 0; i < d; i++) {
            double s = b[off + i];
            for (int k = 0; k < i; k++) {
                s -= l[lOff + i * d + k] * b[off + k];
            }
            b[off + i] = s / l[lOff + i * d + i];
        }
        for (int i = d - 1; i >= 0; i--) {
            double s = b[off + i];
            for (int k = i + 1; k < d; k++) {
                s -= l[lOff + k * d + i] * b[off + k];
            }
            b[off + i] = s / l[lOff + i * d + i];
        }
    }

    /** \( \log\det S = 2 \sum_i \log L_{ii} \) from the Cholesky factor stored at {@code l[lOff ..]}. */
    public static double choleskyLogDet(double[] l, int lOff, int d) {
        double s = 0;
        for (int i = 0; i < d; i++) {
            s += Math.log(l[lOff + i * d + i]);
        }
        return 2 * s;
    }

    /**
     * Symmetric eigendecomposition \( A = V \,\mathrm{diag}(\lambda)\, V^\top \) through EJML; {@code values} and the
     * flat {@code vectors} (column {@code k} belongs to {@code values[k]}) are filled in, unsorted. For repeated
     * decompositions of one size use a {@link SymmetricEigensolver}.
     */
    public static void symmetricEigen(double[] a, int d, double[] values, double[] vectors) {
        SymmetricEigensolver.of(d).decompose(a, values, vectors);
    }
}
