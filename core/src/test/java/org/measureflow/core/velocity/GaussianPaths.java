package org.measureflow.core.velocity;

import org.measureflow.core.field.GridVectorField;
import org.measureflow.core.measure.GridDensity;
import org.measureflow.core.measure.GridDensity.Grid;

/**
 * A 2-D Gaussian \( \mathcal N(m, S) \) moving with \( \dot m \), \( \dot S \): its density and exact time derivative
 * on a grid, and its least-effort field \( v(x) = \dot m + A(x - m) \), \( AS + SA = \dot S \) (the Lyapunov equation
 * solved here in the eigenbasis of \( S \): \( A'_{ij} = \dot S'_{ij}/(\lambda_i + \lambda_j) \)).
 */
final class GaussianPaths {
    final double[] m;
    final double[][] s;
    final double[] mDot;
    final double[][] sDot;
    final double[][] inverse;
    final double[][] a;
    private final double norm;

    GaussianPaths(double[] m, double[][] s, double[] mDot, double[][] sDot) {
        this.m = m;
        this.s = s;
        this.mDot = mDot;
        this.sDot = sDot;
        double det = s[0][0] * s[1][1] - s[0][1] * s[1][0];
        inverse = new double[][]{{s[1][1] / det, -s[0][1] / det}, {-s[1][0] / det, s[0][0] / det}};
        norm = 1 / (2 * Math.PI * Math.sqrt(det));
        a = lyapunov(s, sDot);
    }

    /** The symmetric solution of \( AS + SA = C \) for SPD 2 x 2 \( S \), through the eigenvectors of \( S \). */
    static double[][] lyapunov(double[][] s, double[][] c) {
        double tr = s[0][0] + s[1][1];
        double gap = Math.hypot(s[0][0] - s[1][1], 2 * s[0][1]);
        double[] lambda = {0.5 * (tr + gap), 0.5 * (tr - gap)};
        double angle = 0.5 * Math.atan2(2 * s[0][1], s[0][0] - s[1][1]);
        double[][] q = {{Math.cos(angle), -Math.sin(angle)}, {Math.sin(angle), Math.cos(angle)}}; // columns: eigenvectors
        double[][] cp = new double[2][2];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                double v = 0;
                for (int k = 0; k < 2; k++) {
                    for (int l = 0; l < 2; l++) {
                        v += q[k][i] * c[k][l] * q[l][j];
                    }
                }
                cp[i][j] = v / (lambda[i] + lambda[j]);
            }
        }
        double[][] out = new double[2][2];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                double v = 0;
                for (int k = 0; k < 2; k++) {
                    for (int l = 0; l < 2; l++) {
                        v += q[i][k] * cp[k][l] * q[j][l];
                    }
                }
                out[i][j] = v;
            }
        }
        return out;
    }

    double density(double x, double y) {
        double dx = x - m[0];
        double dy = y - m[1];
        double q = inverse[0][0] * dx * dx + 2 * inverse[0][1] * dx * dy + inverse[1][1] * dy * dy;
        return norm * Math.exp(-0.5 * q);
    }

    /** \( \partial_t\rho = \rho\,[(x-m)^\top S^{-1}\dot m + \tfrac12 (x-m)^\top S^{-1}\dot S S^{-1}(x-m) - \tfrac12\mathrm{tr}(S^{-1}\dot S)] \). */
    double derivative(double x, double y) {
        double[] z = {x - m[0], y - m[1]};
        double[] w = {inverse[0][0] * z[0] + inverse[0][1] * z[1], inverse[1][0] * z[0] + inverse[1][1] * z[1]};
        double linear = w[0] * mDot[0] + w[1] * mDot[1];
        double quadratic = 0;
        double trace = 0;
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                quadratic += w[i] * sDot[i][j] * w[j];
                trace += inverse[i][j] * sDot[j][i];
            }
        }
        return density(x, y) * (linear + 0.5 * quadratic - 0.5 * trace);
    }

    /** Component k of the least-effort field \( \dot m + A(x - m) \). */
    double velocity(int k, double x, double y) {
        return mDot[k] + a[k][0] * (x - m[0]) + a[k][1] * (y - m[1]);
    }

    GridDensity density(Grid grid) {
        return GridDensity.fromFunction(grid, p -> density(p[0], p[1]));
    }

    double[] derivative(Grid grid) {
        double[] centres = grid.cellCentres();
        double[] out = new double[grid.size()];
        for (int c = 0; c < out.length; c++) {
            out[c] = derivative(centres[2 * c], centres[2 * c + 1]);
        }
        return out;
    }

    /**
     * The relative error of a grid field against the least-effort field in the mass-weighted face norm,
     * \( (\sum_f \rho_f |v_f - v(x_f)|^2 / \sum_f \rho_f |v(x_f)|^2)^{1/2} \): the error "in the bulk of the mass".
     */
    double weightedError(GridVectorField field, GridDensity rho) {
        Grid g = rho.grid();
        int ny = g.cells(1);
        double num = 0;
        double den = 0;
        for (int k = 0; k < 2; k++) {
            double[] v = field.component(k);
            int stride = k == 0 ? ny : 1;
            for (int c = 0; c < v.length; c++) {
                int i = c / ny;
                int j = c % ny;
                if ((k == 0 ? i : j) == g.cells(k) - 1) {
                    continue;
                }
                double x = g.centre(0, i) + (k == 0 ? 0.5 * g.cellSize(0) : 0);
                double y = g.centre(1, j) + (k == 1 ? 0.5 * g.cellSize(1) : 0);
                double w = 0.5 * (rho.value(c) + rho.value(c + stride));
                double exact = velocity(k, x, y);
                num += w * (v[c] - exact) * (v[c] - exact);
                den += w * exact * exact;
            }
        }
        return Math.sqrt(num / den);
    }
}
