package org.measureflow.ot.dynamic;

/**
 * One point \( (U, V) \) of the Douglas&ndash;Rachford splitting of {@link BenamouBrenier} (package-private): the
 * staggered density and momenta \( U = (\rho, m_x, m_y) \) and the centred variables \( V = (\bar\rho, \bar m_x,
 * \bar m_y) \), laid out as in {@link StaggeredGrid}, with the vector operations of the iteration.
 */
final class SplittingState {
    final double[] r;
    final double[] mx;
    final double[] my;
    final double[] cr;
    final double[] cmx;
    final double[] cmy;

    /** Zero arrays of the grid's sizes. */
    SplittingState(StaggeredGrid g) {
        r = new double[g.nr];
        mx = new double[g.nmx];
        my = new double[g.nmy];
        cr = new double[g.nc];
        cmx = new double[g.nc];
        cmy = new double[g.nc];
    }

    /** This state becomes the reflection \( 2x - z \) (the y-parts only in 2-D, they stay zero in 1-D). */
    void reflect(SplittingState x, SplittingState z, boolean twoD) {
        reflect(x.r, z.r, r);
        reflect(x.mx, z.mx, mx);
        if (twoD) {
            reflect(x.my, z.my, my);
        }
        reflect(x.cr, z.cr, cr);
        reflect(x.cmx, z.cmx, cmx);
        if (twoD) {
            reflect(x.cmy, z.cmy, cmy);
        }
    }

    /** This state moves by \( \alpha (y - x) \) (the y-parts only in 2-D). */
    void relax(SplittingState y, SplittingState x, double alpha, boolean twoD) {
        update(r, y.r, x.r, alpha);
        update(mx, y.mx, x.mx, alpha);
        if (twoD) {
            update(my, y.my, x.my, alpha);
        }
        update(cr, y.cr, x.cr, alpha);
        update(cmx, y.cmx, x.cmx, alpha);
        if (twoD) {
            update(cmy, y.cmy, x.cmy, alpha);
        }
    }

    /** The relative distance \( \|y - x\|_2 / \|x\|_2 \) over all six parts. */
    static double relativeDistance(SplittingState y, SplittingState x) {
        return Math.sqrt((sq(y.r, x.r) + sq(y.mx, x.mx) + sq(y.my, x.my) + sq(y.cr, x.cr) + sq(y.cmx, x.cmx)
                + sq(y.cmy, x.cmy)) / Math.max(norm2(x.r) + norm2(x.mx) + norm2(x.my) + norm2(x.cr) + norm2(x.cmx)
                + norm2(x.cmy), Double.MIN_NORMAL));
    }

    private static double sq(double[] a, double[] b) {
        double s = 0;
        for (int k = 0; k < a.length; k++) {
            double d = a[k] - b[k];
            s += d * d;
        }
        return s;
    }

    private static double norm2(double[] a) {
        double s = 0;
        for (double v : a) {
            s += v * v;
        }
        return s;
    }

    private static void reflect(double[] x, double[] z, double[] out) {
        for (int k = 0; k < x.length; k++) {
            out[k] = 2 * x[k] - z[k];
        }
    }

    private static void update(double[] z, double[] y, double[] x, double alpha) {
        for (int k = 0; k < z.length; k++) {
            z[k] += alpha * (y[k] - x[k]);
        }
    }
}
