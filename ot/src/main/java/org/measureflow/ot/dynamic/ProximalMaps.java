package org.measureflow.ot.dynamic;

/**
 * Two of the proximal maps of the Douglas&ndash;Rachford splitting of {@link BenamouBrenier} (package-private; the
 * third, the projection onto the continuity constraint, is {@link ContinuityProjection}):
 * <ul>
 * <li>{@link #projectGraph}: the projection onto \( \{V = \mathcal I U\} \), solving
 *     \( (\mathrm{Id} + \mathcal I^*\mathcal I) U = U_0 + \mathcal I^* V_0 \), a constant tridiagonal system along each
 *     line (time lines for the density, x-lines and y-lines for the momenta), factorised once;</li>
 * <li>{@link #proxEnergy}: \( \mathrm{prox}_{\gamma f} \) of \( f(\rho, m) = |m|^2/(2\rho) \) per cell (Papadakis,
 *     Peyr&eacute; &amp; Oudet 2014, Prop. 1): \( \rho^\star \) is the largest real root of
 *     \( (\rho - \tilde\rho)(\rho+\gamma)^2 - \tfrac{\gamma}{2}|\tilde m|^2 = 0 \), found by Newton's method started
 *     above it (where the cubic is convex and increasing: monotone convergence), and
 *     \( m^\star = \rho^\star \tilde m/(\rho^\star + \gamma) \) if \( \rho^\star &gt; 0 \), else \( (0, 0) \).</li>
 * </ul>
 * Holds a work line: one instance per solve.
 */
final class ProximalMaps {
    private static final double OFF_DIAGONAL = 0.25;

    private final StaggeredGrid g;
    private final double gamma;
    // factorised (Id + I*I) for the three staggered directions: {denominators, c'}
    private final double[][] facT;
    private final double[][] facX;
    private final double[][] facY;
    private final double[] line;

    /** The maps on the grid {@code g}, with the proximal step \( \gamma \) = {@code gamma}. */
    ProximalMaps(StaggeredGrid g, double gamma) {
        this.g = g;
        this.gamma = gamma;
        facT = factor(g.p + 1);
        facX = factor(g.nx + 1);
        facY = factor(g.ny + 1);
        line = new double[Math.max(g.p + 1, Math.max(g.nx + 1, g.ny + 1))];
    }

    /** Thomas factors of Id + I*I (length len): diagonal 1 + {1/4 at ends, 1/2 inside}, off-diagonal 1/4. */
    private static double[][] factor(int len) {
        double[] denom = new double[len];
        double[] cp = new double[len];
        double off = OFF_DIAGONAL;
        for (int k = 0; k < len; k++) {
            double d = 1 + ((k == 0 || k == len - 1) ? 0.25 : 0.5);
            if (len == 1) {
                d = 1;
            }
            denom[k] = k == 0 ? d : d - off * cp[k - 1];
            cp[k] = off / denom[k];
        }
        return new double[][] {denom, cp};
    }

    private static void thomas(double[][] f, double[] b, int len) {
        double[] denom = f[0];
        double[] cp = f[1];
        double off = OFF_DIAGONAL;
        b[0] /= denom[0];
        for (int k = 1; k < len; k++) {
            b[k] = (b[k] - off * b[k - 1]) / denom[k];
        }
        for (int k = len - 2; k >= 0; k--) {
            b[k] -= cp[k] * b[k + 1];
        }
    }

    /** {@code x} = the projection of {@code z} onto \( \{V = \mathcal I U\} \). */
    void projectGraph(SplittingState z, SplittingState x) {
        projectDensity(z.r, z.cr, x.r);
        projectMomenta(z.mx, z.my, z.cmx, z.cmy, x.mx, x.my);
        g.interpolate(x.r, x.mx, x.my, x.cr, x.cmx, x.cmy);
    }

    /** The density part: along t, per cell, right side \( z + \mathcal I^* z_c \). */
    private void projectDensity(double[] zr, double[] zcr, double[] xr) {
        int p = g.p;
        int cells = g.nx * g.ny;
        for (int c = 0; c < cells; c++) {
            for (int l = 0; l <= p; l++) {
                double s = zr[l * cells + c];
                if (l > 0) {
                    s += 0.5 * zcr[(l - 1) * cells + c];
                }
                if (l < p) {
                    s += 0.5 * zcr[l * cells + c];
                }
                line[l] = s;
            }
            thomas(facT, line, p + 1);
            for (int l = 0; l <= p; l++) {
                xr[l * cells + c] = line[l];
            }
        }
    }

    /** The momentum parts: x-momentum along x per (l, j), y-momentum along y per (l, i) (zero in 1-D). */
    private void projectMomenta(double[] zmx, double[] zmy, double[] zcmx, double[] zcmy, double[] xmx,
                                double[] xmy) {
        int nx = g.nx;
        int ny = g.ny;
        boolean twoD = g.twoD;
        for (int l = 0; l < g.p; l++) {
            for (int j = 0; j < ny; j++) {
                for (int i = 0; i <= nx; i++) {
                    double s = zmx[(l * (nx + 1) + i) * ny + j];
                    if (i > 0) {
                        s += 0.5 * zcmx[(l * nx + i - 1) * ny + j];
                    }
                    if (i < nx) {
                        s += 0.5 * zcmx[(l * nx + i) * ny + j];
                    }
                    line[i] = s;
                }
                thomas(facX, line, nx + 1);
                for (int i = 0; i <= nx; i++) {
                    xmx[(l * (nx + 1) + i) * ny + j] = line[i];
                }
            }
            for (int i = 0; i < nx && twoD; i++) {
                int base = (l * nx + i) * (ny + 1);
                int cbase = (l * nx + i) * ny;
                for (int j = 0; j <= ny; j++) {
                    double s = zmy[base + j];
                    if (j > 0) {
                        s += 0.5 * zcmy[cbase + j - 1];
                    }
                    if (j < ny) {
                        s += 0.5 * zcmy[cbase + j];
                    }
                    line[j] = s;
                }
                thomas(facY, line, ny + 1);
                System.arraycopy(line, 0, xmy, base, ny + 1);
            }
        }
    }

    /** Pointwise prox of \( \gamma |m|^2 / (2 \rho) \) on the centred variables, in place. */
    void proxEnergy(double[] cr, double[] cmx, double[] cmy) {
        double gm = gamma;
        for (int c = 0; c < cr.length; c++) {
            double rt = cr[c];
            double m2 = cmx[c] * cmx[c] + cmy[c] * cmy[c];
            // P(rho) = (rho - rt)(rho + g)^2 - g m2 / 2; a positive root exists iff P(0) < 0
            if (!(rt * gm * gm + 0.5 * gm * m2 > 0)) {
                cr[c] = 0;
                cmx[c] = 0;
                cmy[c] = 0;
                continue;
            }
            double rho = largestRoot(rt, m2, gm);
            if (!(rho > 0)) {
                cr[c] = 0;
                cmx[c] = 0;
                cmy[c] = 0;
                continue;
            }
            double s = rho / (rho + gm);
            cr[c] = rho;
            cmx[c] *= s;
            cmy[c] *= s;
        }
    }

    /** The largest root of \( (\rho - \tilde\rho)(\rho+\gamma)^2 - \gamma m^2/2 \) by Newton from above. */
    private static double largestRoot(double rt, double m2, double gm) {
        double rho = Math.max(rt, 0) + m2 / (2 * gm);
        for (int it = 0; it < 100; it++) {
            double a = rho + gm;
            double val = (rho - rt) * a * a - 0.5 * gm * m2;
            double der = a * (3 * rho + gm - 2 * rt);
            double step = val / der;
            rho -= step;
            if (!(step > 1e-15 * (rho + gm))) {
                break;
            }
        }
        return rho;
    }
}
