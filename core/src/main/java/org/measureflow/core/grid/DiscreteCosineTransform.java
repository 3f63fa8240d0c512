package org.measureflow.core.grid;

import org.measureflow.core.Arguments;

/**
 * The orthonormal DCT-II \( X_k = s_k \sum_{i\lt n} x_i \cos(\pi k (2i+1)/(2n)) \), \( s_0 = \sqrt{1/n} \),
 * \( s_k = \sqrt{2/n} \), and its inverse (the transpose, a DCT-III), on strided lines of a flat array, in place.
 * It diagonalises the Neumann Laplacian on cell-centred unknowns (eigenvalues \( (2 - 2\cos(\pi k/n))/h^2 \)).
 * The engine of {@link NeumannPoisson} and of the Benamou&ndash;Brenier solver in the {@code ot} module.
 *
 * <p>For \( n \) a power of two (\( \ge 8 \)) it runs in \( O(n \log n) \) through one complex FFT of length
 * \( n \) (Makhoul 1980): the forward transform reorders \( v = (x_0, x_2, \dots, x_{n-2}, x_{n-1}, \dots, x_3, x_1) \)
 * and takes \( X_k = s_k \mathrm{Re}(e^{-i\pi k/(2n)} \hat v_k) \); the inverse builds
 * \( W_0 = 2c_0 \), \( W_k = (c_k - i c_{n-k}) e^{i\pi k/(2n)} \) from \( c_k = s_k X_k \), applies the unnormalised
 * inverse DFT and reads \( x_{2j} = \mathrm{Re}\,w_j/2 \), \( x_{2j+1} = \mathrm{Re}\,w_{n-1-j}/2 \). Other lengths use
 * the \( n \times n \) matrix, \( O(n^2) \). Holds work buffers, so the transforms of one instance take turns
 * (they are synchronized; threads that transform many lines at once use one instance each, as {@link NeumannPoisson}
 * does).
 */
public final class DiscreteCosineTransform {
    private final int n;
    private final double[] scale;
    private final double[] matrix; // n x n, row k: s_k cos(pi k (i + 1/2) / n); null on the fast path
    private final double[] line;
    // fast path
    private final double[] re;
    private final double[] im;
    private final double[] cosTw; // e^{-2 pi i k / n}, k < n/2
    private final double[] sinTw;
    private final double[] cosQ;  // e^{-i pi k / (2n)}, k < n
    private final double[] sinQ;
    private final int[] reverse;

    /**
     * The transform of length {@code n}.
     *
     * @throws IllegalArgumentException unless {@code n >= 1}
     */
    public static DiscreteCosineTransform of(int n) {
        Arguments.positive("n", n);
        return new DiscreteCosineTransform(n);
    }

    private DiscreteCosineTransform(int n) {
        this.n = n;
        this.scale = new double[n];
        for (int k = 0; k < n; k++) {
            scale[k] = k == 0 ? Math.sqrt(1.0 / n) : Math.sqrt(2.0 / n);
        }
        this.line = new double[n];
        boolean fast = n >= 8 && Integer.bitCount(n) == 1;
        if (fast) {
            matrix = null;
            re = new double[n];
            im = new double[n];
            cosTw = new double[n / 2];
            sinTw = new double[n / 2];
            for (int k = 0; k < n / 2; k++) {
                cosTw[k] = Math.cos(2 * Math.PI * k / n);
                sinTw[k] = -Math.sin(2 * Math.PI * k / n);
            }
            cosQ = new double[n];
            sinQ = new double[n];
            for (int k = 0; k < n; k++) {
                cosQ[k] = Math.cos(Math.PI * k / (2.0 * n));
                sinQ[k] = -Math.sin(Math.PI * k / (2.0 * n));
            }
            reverse = new int[n];
            int bits = Integer.numberOfTrailingZeros(n);
            for (int i = 0; i < n; i++) {
                reverse[i] = Integer.reverse(i) >>> (32 - bits);
            }
        } else {
            // the grid's cells along one axis of BenamouBrenier's grid: a non-power-of-two axis keeps an n x n matrix
            matrix = new double[Arguments.product("n (the transform length, squared)", n, n)];
            for (int k = 0; k < n; k++) {
                for (int i = 0; i < n; i++) {
                    matrix[k * n + i] = scale[k] * Math.cos(Math.PI * k * (i + 0.5) / n);
                }
            }
            re = null;
            im = null;
            cosTw = null;
            sinTw = null;
            cosQ = null;
            sinQ = null;
            reverse = null;
        }
    }

    /** The DCT-II of the line {@code f[off + i * stride]}, {@code i < n}, in place. */
    public synchronized void forward(double[] f, int off, int stride) {
        checkLine(f, off, stride);
        if (n == 1) {
            return;
        }
        if (matrix != null) {
            for (int k = 0; k < n; k++) {
                double s = 0;
                int row = k * n;
                for (int i = 0; i < n; i++) {
                    s += matrix[row + i] * f[off + i * stride];
                }
                line[k] = s;
            }
            for (int k = 0; k < n; k++) {
                f[off + k * stride] = line[k];
            }
            return;
        }
        int half = n / 2;
        for (int j = 0; j < half; j++) {
            re[j] = f[off + 2 * j * stride];
            re[n - 1 - j] = f[off + (2 * j + 1) * stride];
        }
        java.util.Arrays.fill(im, 0);
        fft(-1);
        for (int k = 0; k < n; k++) {
            // Re((cosQ + i sinQ)(re + i im)) with e^{-i pi k/(2n)} = cosQ + i sinQ
            f[off + k * stride] = scale[k] * (cosQ[k] * re[k] - sinQ[k] * im[k]);
        }
    }

    /** The inverse (DCT-III, the transpose) of {@link #forward}, in place. */
    public synchronized void inverse(double[] f, int off, int stride) {
        checkLine(f, off, stride);
        if (n == 1) {
            return;
        }
        if (matrix != null) {
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int k = 0; k < n; k++) {
                    s += matrix[k * n + i] * f[off + k * stride];
                }
                line[i] = s;
            }
            for (int i = 0; i < n; i++) {
                f[off + i * stride] = line[i];
            }
            return;
        }
        for (int k = 0; k < n; k++) {
            line[k] = scale[k] * f[off + k * stride];
        }
        re[0] = 2 * line[0];
        im[0] = 0;
        for (int k = 1; k < n; k++) {
            // (c_k - i c_{n-k}) e^{+i pi k/(2n)}, e^{+i..} = cosQ - i sinQ
            double a = line[k];
            double b = -line[n - k];
            double c = cosQ[k];
            double s = -sinQ[k];
            re[k] = a * c - b * s;
            im[k] = a * s + b * c;
        }
        fft(1);
        int half = n / 2;
        for (int j = 0; j < half; j++) {
            f[off + 2 * j * stride] = 0.5 * re[j];
            f[off + (2 * j + 1) * stride] = 0.5 * re[n - 1 - j];
        }
    }

    /** The transform length {@code n}. */
    public int length() {
        return n;
    }

    @Override
    public String toString() {
        return "DiscreteCosineTransform[n=" + n + (matrix == null ? ", FFT" : ", matrix") + "]";
    }

    private void checkLine(double[] f, int off, int stride) {
        Arguments.notNull("f", f);
        if (off < 0 || stride < 1 || off + (long) (n - 1) * stride >= f.length) {
            throw new IllegalArgumentException("f: the line f[off + i * stride], i < " + n + ", with off = " + off
                    + " and stride = " + stride + " does not fit in an array of length " + f.length);
        }
    }

    /** In-place radix-2 DFT of (re, im): sign -1 forward, +1 unnormalised inverse. */
    private void fft(int sign) {
        for (int i = 0; i < n; i++) {
            int j = reverse[i];
            if (j > i) {
                double t = re[i];
                re[i] = re[j];
                re[j] = t;
                t = im[i];
                im[i] = im[j];
                im[j] = t;
            }
        }
        for (int size = 2; size <= n; size <<= 1) {
            int halfSize = size >>> 1;
            int step = n / size;
            for (int start = 0; start < n; start += size) {
                for (int k = 0; k < halfSize; k++) {
                    double wr = cosTw[k * step];
                    double wi = sign < 0 ? sinTw[k * step] : -sinTw[k * step];
                    int a = start + k;
                    int b = a + halfSize;
                    double xr = re[b] * wr - im[b] * wi;
                    double xi = re[b] * wi + im[b] * wr;
                    re[b] = re[a] - xr;
                    im[b] = im[a] - xi;
                    re[a] += xr;
                    im[a] += xi;
                }
            }
        }
    }
}
