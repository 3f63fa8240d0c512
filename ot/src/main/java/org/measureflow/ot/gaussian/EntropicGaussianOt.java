package org.measureflow.ot.gaussian;

import java.util.Arrays;

import org.ejml.data.DMatrixRMaj;
import org.measureflow.core.linalg.FlatMatrices;
import org.measureflow.core.Arguments;
import org.measureflow.core.measure.AffineMap;
import org.measureflow.core.measure.GaussianMeasure;

/**
 * Entropic optimal transport between Gaussian measures in closed form (docs/closed-forms.md CF-14 and docs/closed-forms.md CF-14), for the cost
 * \( |x - y|^2 \) (not halved) and the KL-to-product regulariser
 * \[ \mathrm{OT}_\varepsilon(\alpha, \beta) = \min_{\pi \in \Pi(\alpha,\beta)} \int |x - y|^2 \, d\pi
 *    + \varepsilon\, \mathrm{KL}(\pi \,|\, \alpha \otimes \beta), \]
 * the entropic counterpart of the survey's Prop. 4.3. For \( \alpha = \mathcal{N}(m_a, \Sigma_a) \),
 * \( \beta = \mathcal{N}(m_b, \Sigma_b) \), let \( \sigma_i \) be the singular values of
 * \( \Sigma_a^{1/2}\Sigma_b^{1/2} \) and
 * \( \tau(r) = \frac{\sqrt{\varepsilon^2 + 16 r^2} - \varepsilon}{4 r} = \frac{4 r}{\sqrt{\varepsilon^2 + 16 r^2} + \varepsilon} \in [0, 1) \),
 * \( \psi(r) = -2 r \tau(r) - \frac{\varepsilon}{2} \log(1 - \tau(r)^2) \). Then
 * \[ \mathrm{OT}_\varepsilon = |m_a - m_b|^2 + \operatorname{tr}\Sigma_a + \operatorname{tr}\Sigma_b + \sum_i \psi(\sigma_i), \]
 * the optimal plan is Gaussian with cross-covariance
 * \( K = \Sigma_a^{1/2} U \mathrm{diag}(\tau(\sigma_i)) V^\top \Sigma_b^{1/2} \) (with
 * \( \Sigma_a^{1/2}\Sigma_b^{1/2} = U \mathrm{diag}(\sigma) V^\top \)), equivalently
 * \( K = \tfrac{\varepsilon}{4}\big[(I + \tfrac{16}{\varepsilon^2}\Sigma_a\Sigma_b)^{1/2} - I\big] \) (Mallasto, Gerolin,
 * Minh 2022) and \( K = \tfrac12 \Sigma_a^{1/2} D \Sigma_a^{-1/2} - \tfrac{\varepsilon}{4} I \),
 * \( D = (4\Sigma_a^{1/2}\Sigma_b\Sigma_a^{1/2} + \tfrac{\varepsilon^2}{4} I)^{1/2} \) (Janati, Muzellec, Peyr&eacute;,
 * Cuturi 2020, with their \( \sigma^2 = \varepsilon/2 \)). As \( \varepsilon \to 0 \) everything tends to the
 * Bures&ndash;Wasserstein case ({@link BuresWasserstein}).
 *
 * <p>Stateless: every method is static; inputs are validated once and never modified.
 *
 * <p><b>Numerics.</b> As in {@link BuresWasserstein}, \( \sigma_i^2 \) are the eigenvalues of \( M = L^\top \Sigma_b L \)
 * (\( \Sigma_a = L L^\top \)), and \( K = L f(M) L^{-1} \) with \( f(\lambda) = \sigma\tau(\sigma) =
 * \frac{4\lambda}{\sqrt{\varepsilon^2 + 16\lambda} + \varepsilon} \). \( \tau \) is evaluated in the cancellation-free
 * form above, and \( \log(1 - \tau^2) \) as {@code log1p(-tau^2)} for small \( \tau \), or as
 * \( \log(1 - \tau) + \mathrm{log1p}(\tau) \) with
 * \( 1 - \tau = \big(\varepsilon + \frac{\varepsilon^2}{\sqrt{\varepsilon^2+16 r^2} + 4 r}\big) / (\sqrt{\varepsilon^2+16r^2} + \varepsilon) \)
 * when \( \tau \to 1 \) (small \( \varepsilon \)), so that every \( \varepsilon > 0 \) is accurate. Covariances far
 * from 1 are rescaled by a power of 4 (with \( \varepsilon \)) and the results scaled back, exactly as in
 * {@link BuresWasserstein}: \( \mathrm{OT}_{c\varepsilon}(c\Sigma_a, c\Sigma_b) = c\,\mathrm{OT}_\varepsilon(\Sigma_a,
 * \Sigma_b) \) for the covariance part, and the entropic map matrix is invariant. A result that itself exceeds the
 * double range is rejected, naming {@code alpha and beta}.
 */
public final class EntropicGaussianOt {
    private EntropicGaussianOt() {
    }

    /**
     * The objective \( \mathrm{OT}_\varepsilon(\alpha, \beta) = |m_a - m_b|^2 + \operatorname{tr}\Sigma_a
     * + \operatorname{tr}\Sigma_b + \sum_i \psi(\sigma_i) \) (docs/closed-forms.md CF-14): the minimum of the regularised
     * problem, transport cost plus \( \varepsilon \mathrm{KL} \) (the {@code objective} of an entropic solver, see
     * {@link #cost} for the transport cost alone).
     *
     * @throws IllegalArgumentException if {@code epsilon} is not finite and > 0, the measures are null or of
     *                                  different dimensions, or the result overflows double precision
     */
    public static double objective(GaussianMeasure alpha, GaussianMeasure beta, double epsilon) {
        check(alpha, beta, epsilon);
        int d = alpha.dimension();
        int k = Pair.exponent(alpha, beta);
        Pair pair = Pair.scaled(alpha, beta, k);
        double eps = scaledEpsilon(epsilon, k);
        double traces = FlatMatrices.trace(pair.s0, d) + FlatMatrices.trace(pair.s1, d);
        double sum = 0;
        for (double lambda : pair.squaredSingularValues()) {
            sum += psi(Math.sqrt(lambda), eps);
        }
        return Arguments.finiteResult("alpha and beta", "OT_epsilon", BuresWasserstein.meanDistanceSquared(
                alpha.mean(), beta.mean()) + Math.scalb(traces, 2 * k) + Math.scalb(sum, 2 * k));
    }

    /**
     * The transport cost \( \int |x-y|^2 d\pi_\varepsilon = |m_a - m_b|^2 + \operatorname{tr}\Sigma_a
     * + \operatorname{tr}\Sigma_b - 2 \operatorname{tr} K \) of the optimal entropic plan (without the
     * \( \varepsilon\mathrm{KL} \) term), with \( \operatorname{tr} K = \sum_i \sigma_i \tau(\sigma_i) \) (docs/closed-forms.md CF-14).
     *
     * @throws IllegalArgumentException as {@link #objective}
     */
    public static double cost(GaussianMeasure alpha, GaussianMeasure beta, double epsilon) {
        check(alpha, beta, epsilon);
        int d = alpha.dimension();
        int k = Pair.exponent(alpha, beta);
        Pair pair = Pair.scaled(alpha, beta, k);
        double eps = scaledEpsilon(epsilon, k);
        double traces = FlatMatrices.trace(pair.s0, d) + FlatMatrices.trace(pair.s1, d);
        double sum = 0;
        for (double lambda : pair.squaredSingularValues()) {
            sum += crossTerm(lambda, eps);
        }
        return Arguments.finiteResult("alpha and beta", "the transport cost", BuresWasserstein.meanDistanceSquared(
                alpha.mean(), beta.mean()) + Math.scalb(Math.max(traces - 2 * sum, 0), 2 * k));
    }

    /**
     * The cross-covariance \( K = \mathrm{Cov}_\pi(X, Y) = \Sigma_a^{1/2} U \mathrm{diag}(\tau(\sigma_i)) V^\top
     * \Sigma_b^{1/2} = \tfrac{\varepsilon}{4}\big[(I + \tfrac{16}{\varepsilon^2}\Sigma_a\Sigma_b)^{1/2} - I\big] \) of
     * the optimal plan \( \pi_\varepsilon = \mathcal{N}\big((m_a, m_b), [[\Sigma_a, K], [K^\top, \Sigma_b]]\big) \) (docs/closed-forms.md CF-14).
     * It satisfies \( K^2 + \tfrac{\varepsilon}{2} K = \Sigma_a \Sigma_b \); it is not symmetric in general.
     *
     * @throws IllegalArgumentException as {@link #objective}
     */
    public static DMatrixRMaj crossCovariance(GaussianMeasure alpha, GaussianMeasure beta, double epsilon) {
        check(alpha, beta, epsilon);
        int k = Pair.exponent(alpha, beta);
        Pair pair = Pair.scaled(alpha, beta, k);
        Pair.Spectrum sp = pair.spectrum();
        double[] cross = pair.similarity(sp, crossValues(sp, scaledEpsilon(epsilon, k)));
        if (k != 0) {
            cross = CovarianceScale.scaled(cross, -2 * k);
        }
        return Pair.matrix(Arguments.finiteResult("alpha and beta", "the cross-covariance", cross), pair.d);
    }

    /**
     * The entropic (barycentric) map \( x \mapsto \mathbb{E}_{\pi_\varepsilon}[Y \mid X = x] = m_b + K^\top
     * \Sigma_a^{-1} (x - m_a) \) (docs/closed-forms.md CF-14). Its matrix \( K^\top \Sigma_a^{-1} = L^{-\top} f(M) L^{-1} \) is symmetric
     * positive definite and tends to the Monge matrix of {@link BuresWasserstein#mongeMap} as
     * \( \varepsilon \to 0 \).
     *
     * @throws IllegalArgumentException as {@link #objective}
     */
    public static AffineMap entropicMap(GaussianMeasure alpha, GaussianMeasure beta, double epsilon) {
        check(alpha, beta, epsilon);
        int k = Pair.exponent(alpha, beta);
        Pair pair = Pair.scaled(alpha, beta, k);
        Pair.Spectrum sp = pair.spectrum();
        double[] a = pair.sandwichInverse(sp, crossValues(sp, scaledEpsilon(epsilon, k)));
        return BuresWasserstein.centredMap("alpha and beta", a, alpha.mean(), beta.mean());
    }

    /**
     * The Sinkhorn divergence \( S_\varepsilon(\alpha, \beta) = \mathrm{OT}_\varepsilon(\alpha, \beta)
     * - \tfrac12 \mathrm{OT}_\varepsilon(\alpha, \alpha) - \tfrac12 \mathrm{OT}_\varepsilon(\beta, \beta) \), written
     * so that the traces cancel exactly:
     * \[ S_\varepsilon = |m_a - m_b|^2 + \sum_i \psi(\sigma_i(\Sigma_a, \Sigma_b))
     *    - \tfrac12 \sum_i \psi(\lambda_i(\Sigma_a)) - \tfrac12 \sum_i \psi(\lambda_i(\Sigma_b)) \]
     * (docs/closed-forms.md CF-14). It is non-negative and vanishes iff \( \alpha = \beta \); rounding below 0 is clamped to 0, and equal
     * measures give exactly 0.
     *
     * @throws IllegalArgumentException as {@link #objective}
     */
    public static double sinkhornDivergence(GaussianMeasure alpha, GaussianMeasure beta, double epsilon) {
        check(alpha, beta, epsilon);
        int d = alpha.dimension();
        double means = BuresWasserstein.meanDistanceSquared(alpha.mean(), beta.mean());
        double[] sa = alpha.covariance().data;
        double[] sb = beta.covariance().data;
        if (Arrays.equals(sa, sb)) {
            return means;
        }
        int k = Pair.exponent(alpha, beta);
        Pair pair = Pair.scaled(alpha, beta, k);
        double eps = scaledEpsilon(epsilon, k);
        double cross = 0;
        for (double lambda : pair.squaredSingularValues()) {
            cross += psi(Math.sqrt(lambda), eps);
        }
        double self = 0;
        for (double lambda : FlatMatrices.symmetricEigenvalues(pair.s0, d)) {
            self += psi(Math.max(lambda, 0), eps);
        }
        for (double lambda : FlatMatrices.symmetricEigenvalues(pair.s1, d)) {
            self += psi(Math.max(lambda, 0), eps);
        }
        return Arguments.finiteResult("alpha and beta", "the Sinkhorn divergence",
                means + Math.scalb(Math.max(cross - 0.5 * self, 0), 2 * k));
    }

    /** \( \varepsilon \) in the units of the covariances rescaled by {@link CovarianceScale} (itself when {@code k = 0}). */
    private static double scaledEpsilon(double epsilon, int k) {
        return k == 0 ? epsilon : CovarianceScale.epsilon(epsilon, k);
    }

    /**
     * \( \psi(r) = -2 r \tau(r) - \frac{\varepsilon}{2}\log(1 - \tau(r)^2) \), evaluated without cancellation for
     * \( r \ge 0 \) and any \( \varepsilon > 0 \).
     */
    static double psi(double r, double epsilon) {
        if (r == 0) {
            return 0;
        }
        double big = Math.hypot(epsilon, 4 * r);          // sqrt(epsilon^2 + 16 r^2)
        double tau = 4 * r / (big + epsilon);
        double log1mTau2;
        if (tau * tau < 0.5) {
            log1mTau2 = Math.log1p(-tau * tau);
        } else {
            double oneMinusTau = (epsilon + epsilon * (epsilon / (big + 4 * r))) / (big + epsilon);
            if (oneMinusTau == 0) {
                // 1 - tau ~ epsilon / (4r) underflowed: epsilon log(1 - tau^2) ~ epsilon log(epsilon / 2r) is below
                // 1e-300 in magnitude, the epsilon -> 0 limit
                return -2 * r * tau;
            }
            log1mTau2 = Math.log(oneMinusTau) + Math.log1p(tau);
        }
        return -2 * r * tau - 0.5 * epsilon * log1mTau2;
    }

    /** \( f(\lambda) = \sigma \tau(\sigma) = 4\lambda / (\sqrt{\varepsilon^2 + 16\lambda} + \varepsilon) \), \( \lambda = \sigma^2 \). */
    static double crossTerm(double lambda, double epsilon) {
        return 4 * lambda / (Math.hypot(epsilon, 4 * Math.sqrt(lambda)) + epsilon);
    }

    private static double[] crossValues(Pair.Spectrum sp, double epsilon) {
        double[] values = sp.values();
        double[] f = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            f[i] = crossTerm(values[i], epsilon);
        }
        return f;
    }

    private static void check(GaussianMeasure alpha, GaussianMeasure beta, double epsilon) {
        Arguments.notNull("alpha", alpha);
        Arguments.notNull("beta", beta);
        Arguments.sameDimension("beta", beta.dimension(), alpha.dimension(), "alpha");
        Arguments.positive("epsilon", epsilon);
    }
}
