package org.measureflow.flowmatching.interpolant;

/**
 * The linear interpolant of flow matching and rectified flow, \( X_t = (1 - t) X_0 + t X_1 \): \( \alpha_t = 1 - t \),
 * \( \beta_t = t \), so the conditional velocity is the constant \( X_1 - X_0 \) (survey section 3.1; with a Gaussian
 * latent its field is eq. 7's \( v_t(x) = (\mathbb{E}[X_1 \mid X_t = x] - x)/(1 - t) \), docs/closed-forms.md CF-9).
 */
public final class LinearInterpolant implements Interpolant {
    private static final LinearInterpolant INSTANCE = new LinearInterpolant();

    private LinearInterpolant() {
    }

    /** The interpolant (stateless). */
    public static LinearInterpolant instance() {
        return INSTANCE;
    }

    @Override
    public double alpha(double t) {
        return 1 - t;
    }

    @Override
    public double beta(double t) {
        return t;
    }

    @Override
    public double alphaDot(double t) {
        return -1;
    }

    @Override
    public double betaDot(double t) {
        return 1;
    }

    @Override
    public String toString() {
        return "LinearInterpolant[x_t = (1-t) x0 + t x1]";
    }
}
