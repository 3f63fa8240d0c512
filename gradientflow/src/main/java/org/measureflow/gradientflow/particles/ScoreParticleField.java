package org.measureflow.gradientflow.particles;

import org.measureflow.core.Arguments;
import org.measureflow.core.TextSummary;
import org.measureflow.core.field.ParticleField;
import org.measureflow.core.parallel.Chunks;
import org.measureflow.gradientflow.energy.ParticleEnergy;

/**
 * A deterministic particle method for diffusions: the kernel-density (blob) score field
 * \[ \dot x_i = -D\,\nabla\log\rho_h(x_i) - \nabla\frac{\delta F}{\delta\mu}(x_i), \qquad
 *    \rho_h = \sum_j w_j\,\mathcal N(\cdot\,; x_j, h^2 I), \qquad
 *    \nabla\log\rho_h(x_i) = \frac{\sum_j w_j\varphi_{ij}(x_j - x_i)}{h^2\sum_j w_j\varphi_{ij}},
 *    \ \varphi_{ij} = e^{-|x_i - x_j|^2/(2h^2)}. \]
 * Writing \( D\Delta\rho = \mathrm{div}(\rho\, D\nabla\log\rho) \), the heat equation
 * \( \partial_t\rho = D\Delta\rho \) (or the Fokker&ndash;Planck equation
 * \( \partial_t\rho = D\Delta\rho + \mathrm{div}(\rho\nabla\frac{\delta F}{\delta\rho}) \) with a drift energy
 * \( F \)) is the continuity equation with velocity \( -D\nabla\log\rho - \nabla\frac{\delta F}{\delta\rho} \); this
 * field replaces \( \rho \) by its Gaussian kernel density estimate, so it approximates that PDE (with
 * \( \rho \) mollified at scale \( h \)) as \( n \to \infty \) and \( h \to 0 \) with \( n h^d \to \infty \). For a
 * Gaussian \( \mathcal N(m, S) \) sampled by many particles the KDE is \( \mathcal N(m, S + h^2 I) \), so the
 * covariance grows at the rate \( 2D S (S + h^2 I)^{-1} \): a relative bias \( O(h^2/S) \) against \( 2D \).
 *
 * <p>Cost \( O(n^2 d) \) per evaluation, no \( n\times n \) matrix, particles in fixed chunks run in parallel
 * with the same bits as serially. Immutable.
 */
public final class ScoreParticleField implements ParticleField {
    private static final int CHUNK_ROWS = 64;

    private final double diffusion;
    private final double bandwidth;
    private final ParticleEnergy drift;

    private ScoreParticleField(double diffusion, double bandwidth, ParticleEnergy drift) {
        this.diffusion = diffusion;
        this.bandwidth = bandwidth;
        this.drift = drift;
    }

    /**
     * The heat-equation field \( -D\nabla\log\rho_h \).
     *
     * @throws IllegalArgumentException unless {@code diffusion} and {@code bandwidth} are finite and positive
     */
    public static ScoreParticleField heat(double diffusion, double bandwidth) {
        return new ScoreParticleField(Arguments.positive("diffusion", diffusion),
                Arguments.positive("bandwidth", bandwidth), null);
    }

    /**
     * The Fokker&ndash;Planck field \( -D\nabla\log\rho_h - \nabla\frac{\delta F}{\delta\mu} \).
     *
     * @throws IllegalArgumentException unless {@code diffusion} and {@code bandwidth} are finite and positive and
     *                                  {@code drift} is non-null
     */
    public static ScoreParticleField fokkerPlanck(double diffusion, double bandwidth, ParticleEnergy drift) {
        return new ScoreParticleField(Arguments.positive("diffusion", diffusion),
                Arguments.positive("bandwidth", bandwidth), Arguments.notNull("drift", drift));
    }

    /**
     * The diffusion coefficient \( D \).
     *
     * @return \( D \)
     */
    public double diffusion() {
        return diffusion;
    }

    /**
     * The bandwidth \( h \) of the Gaussian kernel density estimate.
     *
     * @return \( h \)
     */
    public double bandwidth() {
        return bandwidth;
    }

    /**
     * The drift energy \( F \) of the Fokker&ndash;Planck field, or {@code null} for the heat field.
     *
     * @return \( F \) or {@code null}
     */
    public ParticleEnergy drift() {
        return drift;
    }

    @Override
    public void velocities(double t, double[] points, int n, int d, double[] weights, double[] out) {
        double inv2h2 = 1.0 / (2 * bandwidth * bandwidth);
        double scale = diffusion / (bandwidth * bandwidth);
        double uniform = 1.0 / n;
        Chunks.forEach(n, CHUNK_ROWS, 8L * n * d, (chunk, start, end) -> {
            for (int i = start; i < end; i++) {
                int io = i * d;
                for (int k = 0; k < d; k++) {
                    out[io + k] = 0;
                }
                double z = 0;
                for (int j = 0; j < n; j++) {
                    int jo = j * d;
                    double r2 = 0;
                    for (int k = 0; k < d; k++) {
                        double dz = points[jo + k] - points[io + k];
                        r2 += dz * dz;
                    }
                    double phi = (weights == null ? uniform : weights[j]) * Math.exp(-r2 * inv2h2);
                    z += phi;
                    for (int k = 0; k < d; k++) {
                        out[io + k] += phi * (points[jo + k] - points[io + k]);
                    }
                }
                // z >= w_i > 0 unless particle i has weight 0 and no neighbour within ~38 h
                double f = z > 0 ? -scale / z : 0.0;
                for (int k = 0; k < d; k++) {
                    out[io + k] *= f;
                }
            }
        });
        if (drift != null) {
            drift.addVelocities(points, n, d, weights, out);
        }
    }

    /** One line: {@code ScoreParticleField[diffusion=0.5, bandwidth=0.1, drift=none]}. */
    @Override
    public String toString() {
        return "ScoreParticleField[diffusion=" + TextSummary.number(diffusion) + ", bandwidth="
                + TextSummary.number(bandwidth) + ", drift=" + (drift == null ? "none" : drift) + "]";
    }
}
