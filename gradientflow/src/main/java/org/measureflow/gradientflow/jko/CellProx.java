package org.measureflow.gradientflow.jko;

import java.util.ArrayList;
import java.util.List;

import org.measureflow.gradientflow.energy.InternalEnergy;

/**
 * The KL proximal map of a separable energy, cell by cell: for \( z_c > 0 \), the mass \( q_c \) minimising
 * \( \sigma\big(f(q_c/|\Delta|)|\Delta| + V_c q_c\big) + \mathrm{KL}(q_c \mid z_c) \), that is the root in
 * \( u = \log q_c \) of the increasing function
 * \[ g(u) = \sigma\big(f'(e^u/|\Delta|) + V_c\big) + u - \log z_c, \qquad
 *    g'(u) = 1 + \sigma\, \rho f''(\rho) \ge 1, \quad \rho = e^u/|\Delta|. \]
 * The entropy part \( f = D\,s\log s \) is linear in \( u \), so with entropy and potential only the root is the
 * closed form \( u = (\log z_c - \sigma(D(1 - \log|\Delta|) + V_c))/(1 + \sigma D) \). Power terms
 * \( c\,s^m/(m-1) \) make \( g \) convex: Newton's method started at the closed-form root of the entropy part
 * (where \( g \ge 0 \)), or at a Wright-omega estimate for a single power term, converges in a few steps; Halley's
 * correction (cubic convergence) is used where it is safe.
 * General integrands use a safeguarded Newton iteration (bisection when a step leaves the bracket). A bound
 * \( \rho \le \kappa \) clamps \( u \le \log(\kappa|\Delta|) \) (the minimiser of a convex 1-D function on a half-line).
 */
final class CellProx {
    private static final int MAX_NEWTON = 100;
    /** The iteration stops after a step in \( u = \log q \) below this (a relative change of the mass). */
    private static final double NEWTON_STEP = 1e-9;
    /**
     * A Halley step below {@code HALLEY_STEP / max(1, max m - 1)} also ends it: the next error is about
     * \( (m-1)^2 e^3/2 \le 10^{-18} \) (cubic convergence, with \( |g''/g'| \le m - 1 \) and
     * \( |g'''/g'| \le (m-1)^2 \)), far below rounding.
     */
    private static final double HALLEY_STEP = 1e-6;

    private final double sigma;
    private final double entropy;
    private final double logVolume;
    private final double volume;
    private final double[] powerCoefficient;
    private final double[] powerExponent;
    private final InternalEnergy.Integrand[] general;
    private final double logUpper;
    private final double halleyStep;

    CellProx(double sigma, double entropy, List<InternalEnergy> nonEntropy, double cellVolume, double upperBound) {
        this.sigma = sigma;
        this.entropy = entropy;
        this.logVolume = Math.log(cellVolume);
        this.volume = cellVolume;
        List<double[]> powers = new ArrayList<>();
        List<InternalEnergy.Integrand> others = new ArrayList<>();
        for (InternalEnergy e : nonEntropy) {
            if (e.kind() == InternalEnergy.Kind.POWER) {
                powers.add(new double[]{e.coefficient(), e.exponent()});
            } else {
                others.add(e.integrand());
            }
        }
        powerCoefficient = new double[powers.size()];
        powerExponent = new double[powers.size()];
        for (int k = 0; k < powers.size(); k++) {
            powerCoefficient[k] = powers.get(k)[0];
            powerExponent[k] = powers.get(k)[1];
        }
        general = others.toArray(new InternalEnergy.Integrand[0]);
        double steepest = 1;
        for (double m : powerExponent) {
            steepest = Math.max(steepest, m - 1);
        }
        halleyStep = HALLEY_STEP / steepest;
        logUpper = Double.isFinite(upperBound) ? Math.log(upperBound * cellVolume) : Double.POSITIVE_INFINITY;
    }

    /**
     * The proximal mass \( q_c \) for \( \log z_c \) (finite) and the potential \( V_c \); writes its log
     * \( u = \log q_c \) into {@code logs[c]}. A finite {@code logs[c]} on entry (the root of a nearby equation, e.g.
     * the same cell's in the previous scaling iteration) starts Newton's method for power terms instead of the
     * default start: the root is the same up to the iteration's stopping rule (cubic or quadratic convergence, far
     * below rounding), and near convergence of the scaling iterations one step suffices instead of four or five.
     * The entropy-and-potential case (closed form) and the general one ignore it.
     */
    double solve(double logZ, double v, double[] logs, int c) {
        double u = (logZ - sigma * (entropy * (1.0 - logVolume) + v)) / (1.0 + sigma * entropy);
        if (general.length > 0) {
            u = safeguarded(u, logZ, v);
        } else if (powerCoefficient.length > 0) {
            double guess = logs[c];
            if (Double.isFinite(guess)) {
                u = guess;
            } else if (powerCoefficient.length == 1) {
                u = omegaGuess(logZ, v);
            }
            return newtonConvex(u, logZ, v, logs, c);
        }
        u = Math.min(u, logUpper);
        logs[c] = u;
        return Math.exp(u);
    }

    /**
     * Starting point for one power term: with \( s = \log\rho \), the cell equation
     * \( (1+\sigma D)s + \sigma \tfrac{cm}{m-1} e^{(m-1)s} = Y \) becomes \( w + \log w = y \) for
     * \( w = \tfrac{\sigma c m}{1+\sigma D} e^{(m-1)s} \), whose root is the Wright omega function \( \omega(y) \)
     * (a Lambert-W type solve); \( \log\omega(y) \approx y - 0.576\,e^{y} \) for \( y \lt 1 \) and
     * \( \log(y - \log y) \) above, within 0.6 of the root, which Newton's method then polishes in a few steps.
     */
    private double omegaGuess(double logZ, double v) {
        double c = powerCoefficient[0];
        double m = powerExponent[0];
        double slope = 1.0 + sigma * entropy;
        double bigY = logZ - logVolume - sigma * (entropy + v);
        double logScale = Math.log(sigma * c * m / slope);
        double y = (m - 1.0) * bigY / slope + logScale;
        double t = y < 1.0 ? y - 0.576 * Math.exp(y) : Math.log(y - Math.log(y));
        return logVolume + (t - logScale) / (m - 1.0);
    }

    /**
     * Halley's method (cubic convergence) on the convex increasing \( g \), falling back to the Newton step when
     * the Halley denominator \( 2g'^2 - g g'' \) drops below \( g'^2 \).
     */
    private double newtonConvex(double u, double logZ, double v, double[] logs, int c) {
        double density = Double.NaN;
        double step = Double.NaN;
        for (int it = 0; it < MAX_NEWTON; it++) {
            double deriv = entropy * (u - logVolume + 1.0) + v;
            double curvature = entropy;
            double third = 0;
            for (int k = 0; k < powerCoefficient.length; k++) {
                double m = powerExponent[k];
                double pw = Math.exp((m - 1.0) * (u - logVolume));
                if (m == 2.0) {
                    density = pw;
                }
                double cm = powerCoefficient[k] * m;
                deriv += cm / (m - 1.0) * pw;
                curvature += cm * pw;
                third += cm * (m - 1.0) * pw;
            }
            double g = sigma * deriv + u - logZ;
            double g1 = 1.0 + sigma * curvature;
            double g2 = sigma * third;
            double denominator = 2 * g1 * g1 - g * g2;
            boolean halley = denominator >= g1 * g1;
            step = halley ? 2 * g * g1 / denominator : g / g1;
            u -= step;
            // cubic (or, on the Newton fallback, quadratic) convergence with g''/g' <= max(m) - 1: after a Halley
            // step below halleyStep, or a Newton step below 1e-9, the remaining error is far below rounding
            if (!(Math.abs(step) > (halley ? halleyStep : NEWTON_STEP))) {
                break;
            }
        }
        if (u >= logUpper) {
            logs[c] = logUpper;
            return Math.exp(logUpper);
        }
        logs[c] = u;
        if (Math.abs(step) <= HALLEY_STEP && density == density) {
            // a term with m = 2 evaluated rho = e^{u + s - log|cell|} at the last point u + s: q = |cell| rho e^{-s},
            // with e^{-s} to fourth order (relative error s^4/24 <= 5e-26 for |s| <= 1e-6)
            return volume * density * (1 - step * (1 - step * (0.5 - step / 6)));
        }
        return Math.exp(u);
    }

    private double safeguarded(double u, double logZ, double v) {
        double lo = Double.NEGATIVE_INFINITY;
        double hi = Double.POSITIVE_INFINITY;
        for (int it = 0; it < MAX_NEWTON; it++) {
            double deriv = entropy * (u - logVolume + 1.0) + v;
            double curvature = entropy;
            double rho = Math.exp(u - logVolume);
            for (int k = 0; k < powerCoefficient.length; k++) {
                double m = powerExponent[k];
                double c = powerCoefficient[k];
                double pw = Math.pow(rho, m - 1.0);
                deriv += c * m / (m - 1.0) * pw;
                curvature += c * m * pw;
            }
            for (InternalEnergy.Integrand f : general) {
                deriv += f.derivative(rho);
                curvature += rho * f.secondDerivative(rho);
            }
            double gu = sigma * deriv + u - logZ;
            if (gu > 0) {
                hi = u;
            } else {
                lo = u;
            }
            double next = u - gu / (1.0 + sigma * curvature);
            if (!(next > lo && next < hi)) {
                next = Double.isFinite(lo) && Double.isFinite(hi) ? 0.5 * (lo + hi) : next;
            }
            if (!(Math.abs(next - u) > 1e-15 * (1.0 + Math.abs(u)))) {
                return next;
            }
            u = next;
        }
        return u;
    }
}
