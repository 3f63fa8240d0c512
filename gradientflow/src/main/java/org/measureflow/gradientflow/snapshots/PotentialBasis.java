package org.measureflow.gradientflow.snapshots;

import java.util.ArrayList;
import java.util.List;

import org.measureflow.core.Arguments;
import org.measureflow.core.TextSummary;
import org.measureflow.gradientflow.energy.Potential;

/**
 * A finite basis \( \phi_1, \dots, \phi_p : \mathbb{R}^d \to \mathbb{R} \) of potentials, for the linear-in-parameters
 * landscapes \( V_\theta = \sum_{l=1}^p \theta_l \phi_l \) that {@link PotentialRecovery} fits to snapshots (Terpin et
 * al. 2024, JKOnet*; survey &sect;5.4). Each function comes with its gradient and its Laplacian
 * \( \Delta\phi_l = \sum_a \partial_a^2 \phi_l \), which the recovery needs (the Laplacian enters through Stein's
 * identity \( \mathbb{E}_\rho[\nabla\phi\cdot\nabla\log\rho] = -\mathbb{E}_\rho[\Delta\phi] \)).
 *
 * <p>Two kinds:
 * <ul>
 * <li>{@link #polynomial(int, int)}: the monomials \( x^\alpha = \prod_a x_a^{\alpha_a} \) with
 *     \( 1 \le |\alpha| \le \) degree (no constant: a potential is known up to a constant), ordered by degree, then
 *     lexicographically; \( \binom{d + \mathrm{degree}}{\mathrm{degree}} - 1 \) functions. Degree 2 spans every
 *     quadratic \( \tfrac12 x^\top A x + b^\top x \), degree 4 the double wells.</li>
 * <li>{@link #radial(double[][], double)}: Gaussian bumps \( \phi_l(x) = e^{-|x - c_l|^2/(2 w^2)} \) at given
 *     centres \( c_l \) with one width \( w \).</li>
 * </ul>
 * Immutable; evaluations allocate nothing.
 */
public final class PotentialBasis {
    /** The largest number of basis functions accepted (the normal equations are {@code p x p}). */
    static final int MAX_SIZE = 20_000;

    private final int d;
    private final int p;
    /** Polynomial: the distinct variables of monomial l, ascending, and their exponents; null for radial. */
    private final int[][] vars;
    private final int[][] exps;
    private final int degree;
    /** Radial: centres row-major p x d, and the width; null for polynomial. */
    private final double[] centres;
    private final double width;

    private PotentialBasis(int d, int[][] vars, int[][] exps, int degree, double[] centres, double width) {
        this.d = d;
        this.vars = vars;
        this.exps = exps;
        this.degree = degree;
        this.centres = centres;
        this.width = width;
        this.p = vars != null ? vars.length : centres.length / d;
    }

    /**
     * The monomials \( x^\alpha \) of degree 1 to {@code degree} in {@code d} variables.
     *
     * @param d      dimension, {@code >= 1}
     * @param degree largest total degree, {@code >= 1}
     * @return the basis, \( \binom{d+\mathrm{degree}}{\mathrm{degree}} - 1 \) functions
     * @throws IllegalArgumentException if {@code d} or {@code degree} is below 1, or the basis would have more than
     *                                  20,000 functions (naming {@code degree})
     */
    public static PotentialBasis polynomial(int d, int degree) {
        Arguments.atLeast("d", d, 1);
        Arguments.atLeast("degree", degree, 1);
        // binomial(d + degree, degree) - 1, stopped as soon as it exceeds the limit
        double count = 1;
        for (int k = 1; k <= degree; k++) {
            count = count * (d + k) / k;
            if (count - 1 > MAX_SIZE) {
                Arguments.atMost("degree (basis size binomial(d + degree, degree) - 1)", (long) count - 1, MAX_SIZE);
            }
        }
        List<int[]> multisets = new ArrayList<>();
        for (int deg = 1; deg <= degree; deg++) {
            enumerate(new int[deg], 0, 0, d, multisets);
        }
        int p = multisets.size();
        int[][] vars = new int[p][];
        int[][] exps = new int[p][];
        for (int l = 0; l < p; l++) {
            int[] ms = multisets.get(l);
            int distinct = 1;
            for (int k = 1; k < ms.length; k++) {
                if (ms[k] != ms[k - 1]) {
                    distinct++;
                }
            }
            vars[l] = new int[distinct];
            exps[l] = new int[distinct];
            int at = -1;
            for (int k = 0; k < ms.length; k++) {
                if (k == 0 || ms[k] != ms[k - 1]) {
                    at++;
                    vars[l][at] = ms[k];
                }
                exps[l][at]++;
            }
        }
        return new PotentialBasis(d, vars, exps, degree, null, 0);
    }

    /** Appends the non-decreasing index sequences of length {@code out.length} (the multisets of variables). */
    private static void enumerate(int[] buf, int pos, int from, int d, List<int[]> out) {
        if (pos == buf.length) {
            out.add(buf.clone());
            return;
        }
        for (int v = from; v < d; v++) {
            buf[pos] = v;
            enumerate(buf, pos + 1, v, d, out);
        }
    }

    /**
     * Gaussian radial functions \( \phi_l(x) = e^{-|x - c_l|^2/(2w^2)} \).
     *
     * @param centres the centres \( c_l \), one row each, all of one dimension \( d \ge 1 \), finite (copied)
     * @param width   \( w \), finite and positive
     * @return the basis, one function per centre
     * @throws IllegalArgumentException if {@code centres} is null, empty, ragged or not finite, has more than 20,000
     *                                  rows, or {@code width} is not finite and positive
     */
    public static PotentialBasis radial(double[][] centres, double width) {
        Arguments.nonEmpty("centres", Arguments.noNulls("centres", centres));
        Arguments.atMost("centres (count)", centres.length, MAX_SIZE);
        Arguments.positive("width", width);
        Arguments.finite("width", width);
        int d = Arguments.atLeast("centres[0] (dimension)", centres[0].length, 1);
        double[] flat = new double[Arguments.product("centres (count * dimension)", centres.length, d)];
        for (int l = 0; l < centres.length; l++) {
            Arguments.length("centres[" + l + "] (dimension)", centres[l].length, d);
            Arguments.finite("centres[" + l + "]", centres[l]);
            System.arraycopy(centres[l], 0, flat, l * d, d);
        }
        return new PotentialBasis(d, null, null, 0, flat, width);
    }

    /** The dimension \( d \) of the points. */
    public int dimension() {
        return d;
    }

    /** The number \( p \) of basis functions. */
    public int size() {
        return p;
    }

    /**
     * A readable name of function {@code l}: {@code "x1^2 x3"} (variables numbered from 1) or
     * {@code "rbf(c=[0.5, -1])"}.
     *
     * @throws IllegalArgumentException if {@code l} is out of range
     */
    public String term(int l) {
        Arguments.index("l", l, p);
        if (vars == null) {
            double[] c = new double[d];
            System.arraycopy(centres, l * d, c, 0, d);
            return "rbf(c=" + TextSummary.array(c) + ")";
        }
        StringBuilder s = new StringBuilder();
        for (int k = 0; k < vars[l].length; k++) {
            if (k > 0) {
                s.append(' ');
            }
            s.append('x').append(vars[l][k] + 1);
            if (exps[l][k] > 1) {
                s.append('^').append(exps[l][k]);
            }
        }
        return s.toString();
    }

    /**
     * Writes \( \phi_l(x) \), \( l = 1..p \), to {@code out[outOffset ..]}.
     *
     * @throws IllegalArgumentException if an array is null or too short for its offset
     */
    public void values(double[] x, int offset, double[] out, int outOffset) {
        checkRange("x", x, offset, d);
        checkRange("out", out, outOffset, p);
        for (int l = 0; l < p; l++) {
            out[outOffset + l] = value(l, x, offset);
        }
    }

    /**
     * Writes the gradients as the \( d \times p \) matrix \( G_{al} = \partial_a\phi_l(x) \), row-major, to
     * {@code out[outOffset .. outOffset + d p - 1]} (so \( \nabla V_\theta(x) = G\theta \)).
     *
     * @throws IllegalArgumentException if an array is null or too short for its offset
     */
    public void gradients(double[] x, int offset, double[] out, int outOffset) {
        checkRange("x", x, offset, d);
        checkRange("out", out, outOffset, d * p);
        gradientMatrix(x, offset, out, outOffset);
    }

    /**
     * Writes the Laplacians \( \Delta\phi_l(x) \), \( l = 1..p \), to {@code out[outOffset ..]}.
     *
     * @throws IllegalArgumentException if an array is null or too short for its offset
     */
    public void laplacians(double[] x, int offset, double[] out, int outOffset) {
        checkRange("x", x, offset, d);
        checkRange("out", out, outOffset, p);
        for (int l = 0; l < p; l++) {
            out[outOffset + l] = laplacian(l, x, offset);
        }
    }

    /**
     * The potential \( V_\theta = \sum_l \theta_l\phi_l \) with gradient \( \sum_l \theta_l\nabla\phi_l \).
     *
     * @param theta the coefficients, length {@code size()}, finite (copied)
     * @return the potential (its evaluations allocate nothing)
     * @throws IllegalArgumentException if {@code theta} is null, of the wrong length or not finite
     */
    public Potential potential(double[] theta) {
        Arguments.finite("theta", theta);
        Arguments.length("theta", theta.length, p);
        double[] c = theta.clone();
        PotentialBasis basis = this;
        return new Potential() {
            @Override
            public int dimension() {
                return d;
            }

            @Override
            public double value(double[] x, int offset) {
                double s = 0;
                for (int l = 0; l < p; l++) {
                    if (c[l] != 0) {
                        s += c[l] * basis.value(l, x, offset);
                    }
                }
                return s;
            }

            @Override
            public void addGradient(double[] x, int offset, double s, double[] out, int outOffset) {
                for (int l = 0; l < p; l++) {
                    if (c[l] != 0) {
                        basis.addGradient(l, x, offset, s * c[l], out, outOffset, 1);
                    }
                }
            }

            @Override
            public String toString() {
                return "Potential[" + basis + ", theta=" + TextSummary.array(c) + "]";
            }
        };
    }

    /** Unchecked: the {@code d x p} gradient matrix at {@code x[offset ..]}. */
    void gradientMatrix(double[] x, int offset, double[] out, int outOffset) {
        java.util.Arrays.fill(out, outOffset, outOffset + d * p, 0.0);
        for (int l = 0; l < p; l++) {
            addGradient(l, x, offset, 1.0, out, outOffset + l, p);
        }
    }

    /** Unchecked \( \phi_l(x) \). */
    double value(int l, double[] x, int offset) {
        if (vars == null) {
            return Math.exp(-squaredDistance(l, x, offset) / (2 * width * width));
        }
        double v = 1;
        int[] vs = vars[l];
        int[] es = exps[l];
        for (int k = 0; k < vs.length; k++) {
            v *= power(x[offset + vs[k]], es[k]);
        }
        return v;
    }

    /** Unchecked: adds \( s\,\partial_a\phi_l(x) \) to {@code out[outOffset + a * stride]} for every \( a \). */
    void addGradient(int l, double[] x, int offset, double s, double[] out, int outOffset, int stride) {
        if (vars == null) {
            double w2 = width * width;
            double f = -s * Math.exp(-squaredDistance(l, x, offset) / (2 * w2)) / w2;
            for (int a = 0; a < d; a++) {
                out[outOffset + a * stride] += f * (x[offset + a] - centres[l * d + a]);
            }
            return;
        }
        int[] vs = vars[l];
        int[] es = exps[l];
        for (int k = 0; k < vs.length; k++) {
            double g = s * es[k] * power(x[offset + vs[k]], es[k] - 1);
            for (int q = 0; q < vs.length; q++) {
                if (q != k) {
                    g *= power(x[offset + vs[q]], es[q]);
                }
            }
            out[outOffset + vs[k] * stride] += g;
        }
    }

    /** Unchecked \( \Delta\phi_l(x) \). */
    double laplacian(int l, double[] x, int offset) {
        if (vars == null) {
            double w2 = width * width;
            double r2 = squaredDistance(l, x, offset);
            return Math.exp(-r2 / (2 * w2)) * (r2 / (w2 * w2) - d / w2);
        }
        int[] vs = vars[l];
        int[] es = exps[l];
        double lap = 0;
        for (int k = 0; k < vs.length; k++) {
            if (es[k] < 2) {
                continue;
            }
            double g = es[k] * (es[k] - 1) * power(x[offset + vs[k]], es[k] - 2);
            for (int q = 0; q < vs.length; q++) {
                if (q != k) {
                    g *= power(x[offset + vs[q]], es[q]);
                }
            }
            lap += g;
        }
        return lap;
    }

    private double squaredDistance(int l, double[] x, int offset) {
        double r2 = 0;
        for (int a = 0; a < d; a++) {
            double z = x[offset + a] - centres[l * d + a];
            r2 += z * z;
        }
        return r2;
    }

    private static double power(double v, int e) {
        double r = 1;
        for (int k = 0; k < e; k++) {
            r *= v;
        }
        return r;
    }

    private static void checkRange(String name, double[] a, int offset, int length) {
        Arguments.notNull(name, a);
        Arguments.nonNegative(name + " offset", offset);
        Arguments.atMost(name + " offset + length", (long) offset + length, a.length);
    }

    /**
     * One line: {@code PotentialBasis[polynomial, d=2, degree=4, p=14]} or
     * {@code PotentialBasis[radial, d=2, p=25, width=0.5]}.
     */
    @Override
    public String toString() {
        return vars != null ? "PotentialBasis[polynomial, d=" + d + ", degree=" + degree + ", p=" + p + "]"
                : "PotentialBasis[radial, d=" + d + ", p=" + p + ", width=" + TextSummary.number(width) + "]";
    }
}
