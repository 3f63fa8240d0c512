package org.measureflow.gradientflow.jko;

/**
 * The adaptive over-relaxation parameter \( \omega \) of the JKO scaling iterations (Thibault, Chizat, Dossal,
 * Papadakis 2017, "Overrelaxed Sinkhorn&ndash;Knopp algorithm for regularized optimal transport"; Young's theory of
 * successive over-relaxation). Both scalings are relaxed in the log domain,
 * \( \log a \leftarrow (1-\omega)\log a + \omega \log\frac{p}{Kb} \) and
 * \( \log b \leftarrow (1-\omega)\log b + \omega \log\frac{\mathrm{prox}(K^\top a)}{K^\top a} \); the fixed points
 * are those of the plain iteration (\( \omega = 1 \)).
 *
 * <p>Control: plain iterations first; once their L1 marginal error has decreased over {@link #RATE_WINDOW}
 * iterations, its per-iteration factor \( \rho \) (the linear rate, the square of the Jacobi rate in Young's
 * theory) gives \( \omega = 2/(1+\sqrt{1-\rho}) \), capped at {@link #MAX_OMEGA}. Every {@link #CHECK_EVERY}-th
 * relaxed iteration is a <em>check</em>: its \( a \)-update is plain, so its plan has the exact first marginal and
 * its error is the true marginal error (the only errors the control and the stopping test read). From the relaxed
 * rate \( \mu \) between two checks the plain rate is re-estimated through Young's relation
 * \( (\mu + \omega - 1)^2 = \mu\,\omega^2\rho \) and \( \omega \) raised towards \( 2/(1+\sqrt{1-\rho}) \) when
 * \( \mu > \omega - 1 \) (slower than the optimum). A relaxed rate no better than the measured plain one halves
 * \( \omega - 1 \) for the rest of the step (plain iterations below 1.01), and an error that did not decrease
 * since the last check also sends the iteration back to the scaling of that check. Mutable, one per step.
 */
final class OverRelaxation {
    /** Relaxed iterations between two checks. */
    static final int CHECK_EVERY = 8;
    /** Plain iterations over which the linear rate is measured. */
    static final int RATE_WINDOW = 4;
    /** Largest relaxation parameter. */
    static final double MAX_OMEGA = 1.98;

    private boolean enabled;
    private double omega = 1;
    private final double[] history = new double[RATE_WINDOW + 1];
    private int plain;
    private int relaxed;
    private double lastCheck = Double.POSITIVE_INFINITY;
    /** The linear rate of the plain iterations measured before relaxing (1 until measured). */
    private double plainRate = 1;
    /** The largest omega allowed for the rest of the step. */
    private double cap = MAX_OMEGA;

    /**
     * @param enabled whether to relax at all
     * @param start   the parameter of the first iterations (1: plain; a warm-started step takes its predecessor's
     *                last one, and its first iteration is still a check)
     */
    OverRelaxation(boolean enabled, double start) {
        this.enabled = enabled;
        this.omega = enabled ? Math.min(start, MAX_OMEGA) : 1.0;
        this.relaxed = -1;
    }

    /** Plain iterations from now on (the relaxed ones left the floating-point range). */
    void stop() {
        enabled = false;
        omega = 1;
    }

    /** The parameter for the coming iteration (1 while plain). */
    double omega() {
        return omega;
    }

    /**
     * Whether the coming iteration is a check (its {@code a}-update plain, its error exact); every plain iteration
     * is one, and so is the last one of the budget ({@code last}).
     */
    boolean check(boolean last) {
        return omega == 1 || last || relaxed < 0 || (relaxed + 1) % CHECK_EVERY == 0;
    }

    /**
     * Reads the error of the iteration just done ({@code check}: whether it was a check) and sets the next omega.
     * Returns {@code true} when the caller must restore the scaling saved at the previous check: the error of this
     * check is not below that check's (the relaxed iterations went astray, e.g. where the proximal map is not
     * smooth, as at the density bound of crowd motion); the cap on \( \omega \) then halves its distance to 1 for
     * the rest of the step (relaxation ends below 1.01), so the checked errors decrease and a step never needs more
     * than a few times {@link #CHECK_EVERY} iterations beyond the plain iteration's count.
     */
    boolean update(double error, boolean check) {
        if (!enabled) {
            return false;
        }
        if (omega == 1) {
            history[plain % history.length] = error;
            plain++;
            double old = plain > 2 * RATE_WINDOW ? history[(plain - 1 - RATE_WINDOW) % history.length] : Double.NaN;
            if (old > 0 && error < old) {
                double rho = Math.pow(error / old, 1.0 / RATE_WINDOW);
                plainRate = rho;
                omega = Math.min(cap, 2 / (1 + Math.sqrt(1 - rho)));
                lastCheck = error;
                relaxed = 0;
                if (omega < 1.01) {
                    omega = 1;
                }
            }
            return false;
        }
        relaxed++;
        if (!check) {
            return false;
        }
        if (relaxed == 0) {
            lastCheck = error;
            return false;
        }
        boolean grew = !(error < lastCheck);
        double mu = Math.pow(error / lastCheck, 1.0 / CHECK_EVERY);
        if (grew || mu >= plainRate) {
            // astray, or no faster than the plain iterations were: less relaxation for the rest of the step
            cap = 1 + 0.5 * (omega - 1);
            omega = cap;
            if (omega < 1.01) {
                stop();
            }
            if (grew) {
                relaxed = 0;
                return true;
            }
        } else if (mu > omega - 1) {
            double rho = (mu + omega - 1) * (mu + omega - 1) / (mu * omega * omega);
            if (rho < 1) {
                omega = Math.max(omega, Math.min(cap, 2 / (1 + Math.sqrt(1 - rho))));
            }
        }
        lastCheck = error;
        return false;
    }
}
