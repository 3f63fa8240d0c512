package org.measureflow.ot.sinkhorn;

/**
 * The marginal step of the {@link ScalingEngine}: what one side's potential does with the log-sums of the Gibbs
 * kernel (Chizat, Peyr&eacute;, Schmitzer, Vialard 2018, the proximal step of the marginal term in the log domain).
 * With \( \ell_i = \log\bigl((P\mathbf 1)_i / w_i\bigr) \) the log-ratio of the current plan's marginal to the
 * weights \( w \) of that side, the exact block maximisation of the dual over this side's potential \( x \) is
 * \[ x_i \leftarrow \tau\,(x_i - \varepsilon\,\ell_i), \qquad \tau = \frac{\rho}{\rho + \varepsilon}, \]
 * which is the balanced Sinkhorn update for a hard constraint (\( \rho = \infty \), \( \tau = 1 \)) and the
 * proximal map of \( \rho\,\mathrm{KL}(\cdot\mid w) \) otherwise. Over-relaxed by \( \omega \):
 * \( x \leftarrow (1-\omega)x + \omega\,\tau(x - \varepsilon\ell) \).
 *
 * <p>At the optimum the plan's marginal on this side is the <em>target</em> \( t_i = w_i e^{-x_i/\rho} \)
 * (\( t = w \) for \( \rho = \infty \)); the dual's term of this side is \( \langle w, x\rangle \) (hard) or
 * \( \rho\langle w, 1 - e^{-x/\rho}\rangle \) (relaxed), and the primal's is \( \rho\,\mathrm{KL}(P\mathbf 1\mid w) \)
 * (nothing for a hard constraint, whose marginal is fixed).
 *
 * <p>The barycenter's step ({@link GeometricMean}) acts jointly on the stacked rows of several couplings and has no
 * per-atom target or dual term.
 */
abstract sealed class MarginalStep permits MarginalStep.Hard, MarginalStep.Relaxed, MarginalStep.GeometricMean {
    /** The hard constraint \( P\mathbf 1 = w \) (balanced OT). */
    static final MarginalStep HARD = new Hard();

    /** The step of a relaxation \( \rho \): {@link #HARD} for \( \rho = \infty \), the KL relaxation otherwise. */
    static MarginalStep of(double rho) {
        return rho == Double.POSITIVE_INFINITY ? HARD : new Relaxed(rho);
    }

    /** \( \rho \), {@code +infinity} for the hard constraint. */
    abstract double rho();

    /** \( x \leftarrow (1-\omega)x + \omega\tau(x - \varepsilon\ell) \), in place over all entries. */
    abstract void update(double[] x, double[] logRatio, double eps, double omega);

    /**
     * The loop's estimate of this side's L1 residual \( \sum_i |(P\mathbf 1)_i - t_i| = \sum_i |w_i e^{\ell_i} - t_i| \)
     * at the potentials {@code x}, before their update.
     */
    abstract double residual(double[] w, double[] logw, double[] x, double[] logRatio);

    /** \( t_i \), the marginal this side's entry {@code x} asks of the plan at the optimum. */
    abstract double target(double w, double logW, double x);

    /** This side's term of the dual objective for one atom. */
    abstract double dualTerm(double w, double logW, double x);

    /** The hard constraint: \( \tau = 1 \), target \( w \), dual term \( wx \). */
    static final class Hard extends MarginalStep {
        private Hard() {
        }

        @Override
        double rho() {
            return Double.POSITIVE_INFINITY;
        }

        @Override
        void update(double[] x, double[] logRatio, double eps, double omega) {
            for (int i = 0; i < x.length; i++) {
                x[i] -= omega * eps * logRatio[i];
            }
        }

        @Override
        double residual(double[] w, double[] logw, double[] x, double[] logRatio) {
            double err = 0;
            for (int i = 0; i < x.length; i++) {
                if (w[i] != 0) { // (an atom of weight zero adds nothing, also when expm1 overflows)
                    err += w[i] * Math.abs(Math.expm1(logRatio[i]));
                }
            }
            return err;
        }

        @Override
        double target(double w, double logW, double x) {
            return w;
        }

        @Override
        double dualTerm(double w, double logW, double x) {
            return w * x;
        }
    }

    /** The KL relaxation \( \rho\,\mathrm{KL}(P\mathbf 1 \mid w) \), \( \rho \) finite and positive. */
    static final class Relaxed extends MarginalStep {
        private final double rho;

        Relaxed(double rho) {
            this.rho = rho;
        }

        @Override
        double rho() {
            return rho;
        }

        @Override
        void update(double[] x, double[] logRatio, double eps, double omega) {
            double tau = rho / (rho + eps);
            if (omega == 1) {
                for (int i = 0; i < x.length; i++) {
                    x[i] = -tau * (eps * logRatio[i] - x[i]);
                }
            } else {
                for (int i = 0; i < x.length; i++) {
                    x[i] = (1 - omega) * x[i] - omega * tau * (eps * logRatio[i] - x[i]);
                }
            }
        }

        @Override
        double residual(double[] w, double[] logw, double[] x, double[] logRatio) {
            double err = 0;
            for (int i = 0; i < x.length; i++) {
                double ratio = Math.exp(logRatio[i]);
                double relaxed = Math.exp(-x[i] / rho);
                if (ratio < Double.POSITIVE_INFINITY && relaxed < Double.POSITIVE_INFINITY) {
                    err += w[i] * Math.abs(ratio - relaxed);
                } else if (w[i] != 0) { // a tiny weight times a huge ratio, and nothing for an atom of weight zero
                    err += Math.abs(SemiDualNewton.times(w[i], logw[i], logRatio[i])
                            - SemiDualNewton.times(w[i], logw[i], -x[i] / rho));
                }
            }
            return err;
        }

        @Override
        double target(double w, double logW, double x) {
            return SemiDualNewton.times(w, logW, -x / rho);
        }

        @Override
        double dualTerm(double w, double logW, double x) {
            return SemiDualNewton.relaxedTerm(w, logW, x, rho);
        }
    }

    /**
     * The geometric-mean step of iterated Bregman projections for the fixed-support barycenter (Benamou, Carlier,
     * Cuturi, Nenna, Peyr&eacute; 2015; survey &sect;9.2), on the rows of \( K \) couplings stacked block by block
     * (\( n \) rows each, row weights 1): with \( \ell_{k,i} = \log (P_k\mathbf 1)_i \) and the barycenter
     * \( \log p_i = \sum_k \lambda_k \ell_{k,i} \) (the KL projection on \( \{P_1\mathbf 1 = \dots = P_K\mathbf 1\} \)),
     * \[ x_{k,i} \leftarrow x_{k,i} - \omega\varepsilon\,(\ell_{k,i} - \log p_i), \]
     * which makes every \( P_k\mathbf 1 = p \) (for \( \omega = 1 \)); the residual is
     * \( \sum_k \lambda_k \|P_k\mathbf 1 - p\|_1 \).
     */
    static final class GeometricMean extends MarginalStep {
        private final double[] lambda;
        private final int n;
        private final double[] logp;

        /** The step for the weights {@code lambda} (all positive) of couplings with {@code n} rows each. */
        GeometricMean(double[] lambda, int n) {
            this.lambda = lambda;
            this.n = n;
            this.logp = new double[n];
        }

        /** \( \log p \) of the last {@link #residual} (or {@link #update}). */
        double[] logBarycenter() {
            return logp;
        }

        private void barycenter(double[] logRatio) {
            java.util.Arrays.fill(logp, 0.0);
            for (int k = 0; k < lambda.length; k++) {
                double l = lambda[k];
                int base = k * n;
                for (int i = 0; i < n; i++) {
                    logp[i] += l * logRatio[base + i];
                }
            }
        }

        @Override
        double rho() {
            return Double.POSITIVE_INFINITY;
        }

        @Override
        void update(double[] x, double[] logRatio, double eps, double omega) {
            barycenter(logRatio);
            for (int k = 0; k < lambda.length; k++) {
                int base = k * n;
                for (int i = 0; i < n; i++) {
                    x[base + i] -= omega * eps * (logRatio[base + i] - logp[i]);
                }
            }
        }

        @Override
        double residual(double[] w, double[] logw, double[] x, double[] logRatio) {
            barycenter(logRatio);
            double residual = 0;
            for (int k = 0; k < lambda.length; k++) {
                int base = k * n;
                double r = 0;
                for (int i = 0; i < n; i++) {
                    r += Math.abs(Math.exp(logRatio[base + i]) - Math.exp(logp[i]));
                }
                residual += lambda[k] * r;
            }
            return residual;
        }

        @Override
        double target(double w, double logW, double x) {
            throw new IllegalStateException("the geometric-mean step is joint: it has no per-atom target");
        }

        @Override
        double dualTerm(double w, double logW, double x) {
            throw new IllegalStateException("the geometric-mean step is joint: it has no per-atom dual term");
        }
    }
}
