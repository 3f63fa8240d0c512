package org.measureflow.ot.dynamic;

import org.measureflow.core.grid.DiscreteCosineTransform;

/**
 * The orthogonal projection of {@link BenamouBrenier} onto the continuity constraint \( \mathcal C = \{AU = 0\} \)
 * with the end densities and zero boundary flux (package-private): \( U \leftarrow U - A^*(AA^*)^{-1} A U \), where
 * \( AA^* = -\Delta \) is the space&ndash;time Laplacian with Neumann conditions on cell-centred unknowns. The Poisson
 * equation is solved exactly by an orthonormal DCT-II in each space direction ({@link DiscreteCosineTransform})
 * followed, for each spatial frequency, by a tridiagonal (Thomas) solve in time; the zero frequency is integrated
 * directly. Holds work buffers: one instance per solve.
 */
final class ContinuityProjection {
    private final StaggeredGrid g;
    private final double[] r0;
    private final double[] r1;
    private final DiscreteCosineTransform dctX;
    private final DiscreteCosineTransform dctY;
    private final double[] lamX;
    private final double[] lamY;
    private final double[] phi;
    private final double[] coefficient;
    private final double[] value;

    /** The projection with end densities {@code r0} and {@code r1} (cell values, kept not copied). */
    ContinuityProjection(StaggeredGrid g, double[] r0, double[] r1) {
        this.g = g;
        this.r0 = r0;
        this.r1 = r1;
        dctX = DiscreteCosineTransform.of(g.nx);
        dctY = DiscreteCosineTransform.of(g.ny);
        lamX = eigen(g.nx, g.hx);
        lamY = eigen(g.ny, g.hy);
        phi = new double[g.nc];
        coefficient = new double[g.p];
        value = new double[g.p];
    }

    /** Eigenvalues (2 - 2 cos(pi k / n)) / h^2 of the Neumann Laplacian's negative. */
    private static double[] eigen(int n, double h) {
        double[] l = new double[n];
        for (int k = 0; k < n; k++) {
            double s = Math.sin(Math.PI * k / (2.0 * n));
            l[k] = 4 * s * s / (h * h);
        }
        return l;
    }

    /** Projects {@code (ur, umx, umy)} in place onto the continuity constraint with the boundary data. */
    void project(double[] ur, double[] umx, double[] umy) {
        int p = g.p;
        int nx = g.nx;
        int ny = g.ny;
        int cells = nx * ny;
        System.arraycopy(r0, 0, ur, 0, cells);
        System.arraycopy(r1, 0, ur, p * cells, cells);
        for (int l = 0; l < p; l++) {
            for (int j = 0; j < ny; j++) {
                umx[(l * (nx + 1)) * ny + j] = 0;
                umx[(l * (nx + 1) + nx) * ny + j] = 0;
            }
            for (int i = 0; i < nx; i++) {
                umy[(l * nx + i) * (ny + 1)] = 0;
                umy[(l * nx + i) * (ny + 1) + ny] = 0;
            }
        }
        divergence(ur, umx, umy, phi);
        poisson(phi);
        subtractAdjoint(ur, umx, umy, phi);
    }

    /** {@code out = A U}: the discrete space-time divergence on the cell centres of the mid-times. */
    private void divergence(double[] ur, double[] umx, double[] umy, double[] out) {
        int nx = g.nx;
        int ny = g.ny;
        int cells = nx * ny;
        double dt = g.dt;
        double hx = g.hx;
        double hy = g.hy;
        for (int l = 0; l < g.p; l++) {
            for (int i = 0; i < nx; i++) {
                for (int j = 0; j < ny; j++) {
                    int c = (l * nx + i) * ny + j;
                    double d = (ur[(l + 1) * cells + i * ny + j] - ur[l * cells + i * ny + j]) / dt
                            + (umx[(l * (nx + 1) + i + 1) * ny + j] - umx[(l * (nx + 1) + i) * ny + j]) / hx
                            + (umy[(l * nx + i) * (ny + 1) + j + 1] - umy[(l * nx + i) * (ny + 1) + j]) / hy;
                    out[c] = d;
                }
            }
        }
    }

    /** {@code U -= A* phi} on the interior unknowns (the end densities and the boundary fluxes stay). */
    private void subtractAdjoint(double[] ur, double[] umx, double[] umy, double[] f) {
        int p = g.p;
        int nx = g.nx;
        int ny = g.ny;
        int cells = nx * ny;
        double dt = g.dt;
        double hx = g.hx;
        double hy = g.hy;
        for (int l = 1; l < p; l++) {
            for (int c = 0; c < cells; c++) {
                ur[l * cells + c] -= (f[(l - 1) * cells + c] - f[l * cells + c]) / dt;
            }
        }
        for (int l = 0; l < p; l++) {
            for (int i = 1; i < nx; i++) {
                for (int j = 0; j < ny; j++) {
                    umx[(l * (nx + 1) + i) * ny + j] -= (f[(l * nx + i - 1) * ny + j]
                            - f[(l * nx + i) * ny + j]) / hx;
                }
            }
            for (int i = 0; i < nx; i++) {
                int base = (l * nx + i) * (ny + 1);
                int cbase = (l * nx + i) * ny;
                for (int j = 1; j < ny; j++) {
                    umy[base + j] -= (f[cbase + j - 1] - f[cbase + j]) / hy;
                }
            }
        }
    }

    /** Solves -Laplacian_N phi = r in place (DCT in x and y, tridiagonal in t). */
    private void poisson(double[] f) {
        transformX(f, false);
        transformY(f, false);
        double invDt2 = 1.0 / (g.dt * g.dt);
        int nx = g.nx;
        int ny = g.ny;
        for (int i = 0; i < nx; i++) {
            for (int j = 0; j < ny; j++) {
                int off = i * ny + j;
                if (i == 0 && j == 0) {
                    zeroFrequency(f, off);
                } else {
                    timeSolve(f, off, lamX[i] + lamY[j], invDt2);
                }
            }
        }
        transformY(f, true);
        transformX(f, true);
    }

    /**
     * The zero frequency: \( q_l = \Delta t \sum_{k \le l} r_k \), \( \phi_{l+1} = \phi_l - \Delta t\, q_l \), then
     * mean zero.
     */
    private void zeroFrequency(double[] f, int off) {
        int p = g.p;
        int stride = g.nx * g.ny;
        double dt = g.dt;
        double q = 0;
        double ph = 0;
        double sum = 0;
        for (int l = 0; l < p; l++) {
            double r = f[l * stride + off];
            f[l * stride + off] = ph;
            sum += ph;
            q += dt * r;
            ph -= dt * q;
        }
        double mean = sum / p;
        for (int l = 0; l < p; l++) {
            f[l * stride + off] -= mean;
        }
    }

    /** Thomas for \( (T/\Delta t^2 + \mu) \), \( T = \mathrm{tridiag}(-1, [1, 2, \dots, 2, 1], -1) \), along time. */
    private void timeSolve(double[] f, int off, double mu, double invDt2) {
        int p = g.p;
        int stride = g.nx * g.ny;
        double e = -invDt2;
        double prevC = 0;
        double prevY = 0;
        for (int l = 0; l < p; l++) {
            double d = ((l == 0 || l == p - 1) ? 1 : 2) * invDt2 + mu;
            double denom = l == 0 ? d : d - e * prevC;
            double c = e / denom;
            double y = ((l == 0 ? f[off] : f[l * stride + off] - e * prevY)) / denom;
            coefficient[l] = c;
            value[l] = y;
            prevC = c;
            prevY = y;
        }
        double x = value[p - 1];
        f[(p - 1) * stride + off] = x;
        for (int l = p - 2; l >= 0; l--) {
            x = value[l] - coefficient[l] * x;
            f[l * stride + off] = x;
        }
    }

    /** DCT-II along x (inverse: its transpose) for every (l, j). */
    private void transformX(double[] f, boolean inverse) {
        int nx = g.nx;
        int ny = g.ny;
        if (nx == 1) {
            return;
        }
        for (int l = 0; l < g.p; l++) {
            int base = l * nx * ny;
            for (int j = 0; j < ny; j++) {
                if (inverse) {
                    dctX.inverse(f, base + j, ny);
                } else {
                    dctX.forward(f, base + j, ny);
                }
            }
        }
    }

    /** DCT-II along y (inverse: its transpose) for every (l, i). */
    private void transformY(double[] f, boolean inverse) {
        int ny = g.ny;
        if (ny == 1) {
            return;
        }
        for (int row = 0; row < g.p * g.nx; row++) {
            if (inverse) {
                dctY.inverse(f, row * ny, 1);
            } else {
                dctY.forward(f, row * ny, 1);
            }
        }
    }
}
