package org.measureflow.gradientflow.energy;

import org.measureflow.core.Arguments;
import org.measureflow.core.measure.GridDensity;

/**
 * An internal (generalised entropy) energy \( \mathcal F(\rho) = \int f(\rho(x))\,dx \) with a convex
 * \( f : [0, \infty) \to \mathbb R \), \( f(0) = 0 \) (survey &sect;5.2): first variation
 * \( \frac{\delta\mathcal F}{\delta\rho} = f'(\rho) \) and Wasserstein flow
 * \( \partial_t\rho = \mathrm{div}(\rho \nabla f'(\rho)) = \Delta P(\rho) \) with pressure \( P(s) = s f'(s) - f(s) \).
 * The two classical cases:
 * <ul>
 * <li>{@link #entropy(double)}: \( f(s) = D\, s\log s \), \( P(s) = D s \): the heat equation
 *     \( \partial_t \rho = D\Delta\rho \) (survey Thm 5.1, docs/closed-forms.md CF-4);</li>
 * <li>{@link #porousMedium(double, double)}: \( f(s) = c\, s^m/(m-1) \), \( P(s) = c\, s^m \): the porous medium
 *     equation \( \partial_t\rho = c\,\Delta\rho^m \) (docs/closed-forms.md CF-6, Barenblatt profiles).</li>
 * </ul>
 * Defined on densities only (not on discrete measures, where \( \int f(\rho) \) is infinite). On a grid
 * \( \mathcal F(\rho) = \sum_c f(\rho_c)|\Delta| \). Immutable.
 */
public final class InternalEnergy implements GridEnergy {
    /**
     * A convex integrand \( f \) on \( [0, \infty) \) with \( f(0) = 0 \), given with its first two derivatives
     * (the JKO step solves \( \sigma f'(\rho) + \log \rho = \text{const} \) per cell by Newton's method, which uses
     * \( f'' \)).
     */
    public interface Integrand {
        /** \( f(s) \), \( s \ge 0 \). */
        double value(double s);

        /** \( f'(s) \), \( s > 0 \). */
        double derivative(double s);

        /** \( f''(s) \ge 0 \), \( s > 0 \). */
        double secondDerivative(double s);
    }

    /** What the JKO step knows about the integrand: a closed-form entropy, a power, or a general one. */
    public enum Kind {
        /** \( f(s) = c\, s \log s \). */
        ENTROPY,
        /** \( f(s) = c\, s^m/(m-1) \). */
        POWER,
        /** Any other convex integrand. */
        GENERAL
    }

    private final Kind kind;
    private final double coefficient;
    private final double exponent;
    private final Integrand integrand;

    private InternalEnergy(Kind kind, double coefficient, double exponent, Integrand integrand) {
        this.kind = kind;
        this.coefficient = coefficient;
        this.exponent = exponent;
        this.integrand = integrand;
    }

    /** The negative entropy \( \int \rho \log\rho \) (diffusion coefficient 1). */
    public static InternalEnergy entropy() {
        return entropy(1.0);
    }

    /**
     * \( D \int \rho \log \rho \): its flow is the heat equation \( \partial_t\rho = D \Delta\rho \).
     *
     * @param diffusion \( D > 0 \)
     * @throws IllegalArgumentException unless {@code diffusion} is finite and positive
     */
    public static InternalEnergy entropy(double diffusion) {
        double dd = Arguments.positive("diffusion", diffusion);
        return new InternalEnergy(Kind.ENTROPY, dd, 1.0, new Integrand() {
            @Override
            public double value(double s) {
                return s > 0 ? dd * s * Math.log(s) : 0.0;
            }

            @Override
            public double derivative(double s) {
                return dd * (Math.log(s) + 1.0);
            }

            @Override
            public double secondDerivative(double s) {
                return dd / s;
            }
        });
    }

    /** The porous-medium energy \( \int \rho^m/(m-1) \): its flow is \( \partial_t\rho = \Delta\rho^m \). */
    public static InternalEnergy porousMedium(double m) {
        return porousMedium(m, 1.0);
    }

    /**
     * \( c\int \rho^m/(m-1) \), \( m > 1 \): its flow is \( \partial_t\rho = c\,\Delta\rho^m \) (docs/closed-forms.md CF-6).
     *
     * @param m           the exponent, finite and {@code > 1}
     * @param coefficient \( c > 0 \)
     * @throws IllegalArgumentException unless {@code m > 1} and {@code coefficient > 0} are finite
     */
    public static InternalEnergy porousMedium(double m, double coefficient) {
        Arguments.inOpenRange("m", m, 1, Double.POSITIVE_INFINITY);
        double c = Arguments.positive("coefficient", coefficient);
        return new InternalEnergy(Kind.POWER, c, m, new Integrand() {
            @Override
            public double value(double s) {
                return s > 0 ? c * Math.pow(s, m) / (m - 1) : 0.0;
            }

            @Override
            public double derivative(double s) {
                return c * m / (m - 1) * Math.pow(s, m - 1);
            }

            @Override
            public double secondDerivative(double s) {
                return c * m * Math.pow(s, m - 2);
            }
        });
    }

    /**
     * \( \int f(\rho) \) for a user's convex integrand \( f \) with \( f(0) = 0 \).
     *
     * @throws IllegalArgumentException if {@code f} is null
     */
    public static InternalEnergy of(Integrand f) {
        return new InternalEnergy(Kind.GENERAL, 1.0, Double.NaN, Arguments.notNull("f", f));
    }

    /** The kind of integrand. */
    public Kind kind() {
        return kind;
    }

    /** The coefficient \( D \) or \( c \) (1 for a general integrand). */
    public double coefficient() {
        return coefficient;
    }

    /** The exponent \( m \) of a {@link Kind#POWER} integrand (1 for the entropy, NaN for a general one). */
    public double exponent() {
        return exponent;
    }

    /** The integrand \( f \). */
    public Integrand integrand() {
        return integrand;
    }

    @Override
    public double value(GridDensity rho) {
        Arguments.notNull("rho", rho);
        double s = 0;
        int n = rho.size();
        for (int c = 0; c < n; c++) {
            double r = rho.value(c);
            if (r > 0) {
                s += integrand.value(r);
            }
        }
        return Arguments.finiteResult("rho", "the energy", s * rho.cellVolume());
    }

    /**
     * \( f'(\rho_c) \) per cell. For the entropy, empty cells have first variation \( -\infty \) (the derivative
     * of \( s\log s \) at 0); for \( m > 1 \) they have 0.
     */
    @Override
    public double[] firstVariation(GridDensity rho) {
        Arguments.notNull("rho", rho);
        double[] out = new double[rho.size()];
        for (int c = 0; c < out.length; c++) {
            double r = rho.value(c);
            out[c] = r > 0 ? integrand.derivative(r) : (kind == Kind.ENTROPY ? Double.NEGATIVE_INFINITY
                    : integrand.derivative(Double.MIN_VALUE));
            if (!(out[c] < Double.POSITIVE_INFINITY) || (out[c] == Double.NEGATIVE_INFINITY && r > 0)) {
                Arguments.finiteResult("rho", "the first variation at cell " + c, out[c]);
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case ENTROPY -> "InternalEnergy[" + coefficient + " rho log rho]";
            case POWER -> "InternalEnergy[" + coefficient + " rho^" + exponent + "/(" + (exponent - 1) + ")]";
            case GENERAL -> "InternalEnergy[" + integrand + "]";
        };
    }
}
