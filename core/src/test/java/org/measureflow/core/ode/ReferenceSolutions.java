package org.measureflow.core.ode;

/**
 * Exact solutions used as references by the integrator tests, computed independently of the code under test:
 * the matrix exponential by a Taylor series with scaling and squaring, and the Kepler orbit by Newton's method on
 * Kepler's equation.
 */
final class ReferenceSolutions {
    private ReferenceSolutions() {
    }

    /**
     * \( e^{A} \) for a small dense matrix: scale \( A \) by \( 2^{-s} \) so that its max-row-sum norm is below
     * 1/2, sum 30 Taylor terms (truncation \( < 2^{-30}/30! \)), then square \( s \) times. Accurate to a few
     * ulps of \( \|e^{A}\| \) times the condition of the squarings, ample for errors above \( 10^{-12} \).
     */
    static double[][] expm(double[][] a) {
        int d = a.length;
        double norm = 0;
        for (double[] row : a) {
            double s = 0;
            for (double v : row) {
                s += Math.abs(v);
            }
            norm = Math.max(norm, s);
        }
        int squarings = Math.max(0, (int) Math.ceil(Math.log(norm / 0.5) / Math.log(2)));
        double scale = Math.pow(2, -squarings);
        double[][] x = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                x[i][j] = a[i][j] * scale;
            }
        }
        double[][] sum = identity(d);
        double[][] term = identity(d);
        for (int k = 1; k <= 30; k++) {
            term = multiply(term, x);
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    term[i][j] /= k;
                    sum[i][j] += term[i][j];
                }
            }
        }
        for (int s = 0; s < squarings; s++) {
            sum = multiply(sum, sum);
        }
        return sum;
    }

    static double[][] identity(int d) {
        double[][] id = new double[d][d];
        for (int i = 0; i < d; i++) {
            id[i][i] = 1;
        }
        return id;
    }

    static double[][] multiply(double[][] a, double[][] b) {
        int d = a.length;
        double[][] c = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int k = 0; k < d; k++) {
                for (int j = 0; j < d; j++) {
                    c[i][j] += a[i][k] * b[k][j];
                }
            }
        }
        return c;
    }

    static double[] apply(double[][] a, double[] x) {
        double[] y = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < x.length; j++) {
                y[i] += a[i][j] * x[j];
            }
        }
        return y;
    }

    /** The linear system \( \dot y = A y \). */
    static OdeSystem linear(double[][] a) {
        int d = a.length;
        return OdeSystem.of(d, (t, y, dydt) -> {
            for (int i = 0; i < d; i++) {
                double s = 0;
                for (int j = 0; j < d; j++) {
                    s += a[i][j] * y[j];
                }
                dydt[i] = s;
            }
        });
    }

    /** The Kepler problem \( \ddot q = -q / |q|^3 \) (\( GM = 1 \)) on the state \( (q_x, q_y, p_x, p_y) \). */
    static OdeSystem kepler() {
        return OdeSystem.of(4, (t, y, dydt) -> {
            double r2 = y[0] * y[0] + y[1] * y[1];
            double r3 = r2 * Math.sqrt(r2);
            dydt[0] = y[2];
            dydt[1] = y[3];
            dydt[2] = -y[0] / r3;
            dydt[3] = -y[1] / r3;
        });
    }

    /**
     * The exact Kepler orbit with semi-major axis 1 and eccentricity {@code e}, at pericentre at \( t = 0 \):
     * with the mean anomaly \( M = t \) (period \( 2\pi \)), solve \( M = E - e \sin E \) by Newton's method, then
     * \( q = (\cos E - e, \sqrt{1-e^2} \sin E) \), \( p = (-\sin E, \sqrt{1-e^2} \cos E) / (1 - e \cos E) \).
     */
    static double[] keplerState(double e, double t) {
        double m = Math.IEEEremainder(t, 2 * Math.PI);
        double big = m + e * Math.sin(m);
        for (int i = 0; i < 50; i++) {
            double delta = (big - e * Math.sin(big) - m) / (1 - e * Math.cos(big));
            big -= delta;
            if (Math.abs(delta) < 1e-16) {
                break;
            }
        }
        double root = Math.sqrt(1 - e * e);
        double denominator = 1 - e * Math.cos(big);
        return new double[] {Math.cos(big) - e, root * Math.sin(big), -Math.sin(big) / denominator,
                root * Math.cos(big) / denominator};
    }

    static double norm(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v * v;
        }
        return Math.sqrt(s);
    }

    static double distance(double[] x, double[] y) {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += (x[i] - y[i]) * (x[i] - y[i]);
        }
        return Math.sqrt(s);
    }
}
