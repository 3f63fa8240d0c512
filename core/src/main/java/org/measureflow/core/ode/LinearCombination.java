package org.measureflow.core.ode;

import org.measureflow.core.parallel.Chunks;

/**
 * The vector update \( \mathrm{out} = \mathrm{base} + \sum_j c_j\, v_j \) of the integrators, elementwise over
 * fixed chunks of coordinates: serial for small states, on the common pool for large ones (from about
 * \( 2^{15} \) coordinates, {@link Chunks#PARALLEL_THRESHOLD}). Every coordinate is computed by the same
 * expression in the same order whatever the chunking, so parallel and serial runs give the same bits.
 *
 * <p>One instance is allocated per integration call and reused for every update (no allocation per step):
 * {@code combination.into(out, base).plus(c1, v1).plus(c2, v2).apply()}. Not thread-safe; {@code out} may alias
 * {@code base} or a term, since each coordinate reads its inputs before writing.
 */
final class LinearCombination implements Chunks.Body {
    /** Coordinates per chunk. */
    static final int CHUNK = 8192;
    private static final int MAX_TERMS = 8;

    private final int n;
    private final double[] coefficients = new double[MAX_TERMS];
    private final double[][] terms = new double[MAX_TERMS][];
    private double[] out;
    private double[] base;
    private int count;

    LinearCombination(int n) {
        this.n = n;
    }

    /** Starts an update of {@code out} from {@code base} ({@code null} for zero). */
    LinearCombination into(double[] out, double[] base) {
        this.out = out;
        this.base = base;
        this.count = 0;
        return this;
    }

    /** Adds the term {@code c * v}; a zero coefficient is skipped. */
    LinearCombination plus(double c, double[] v) {
        if (c != 0) {
            coefficients[count] = c;
            terms[count++] = v;
        }
        return this;
    }

    /** Performs the update. */
    void apply() {
        Chunks.forEach(n, CHUNK, 2L * Math.max(1, count), this);
    }

    @Override
    public void run(int chunk, int start, int end) {
        double[] o = out;
        double[] b = base;
        if (count == 0) {
            for (int i = start; i < end; i++) {
                o[i] = b == null ? 0.0 : b[i];
            }
            return;
        }
        if (count == 1) {
            double c0 = coefficients[0];
            double[] v0 = terms[0];
            if (b == null) {
                for (int i = start; i < end; i++) {
                    o[i] = c0 * v0[i];
                }
            } else {
                for (int i = start; i < end; i++) {
                    o[i] = b[i] + c0 * v0[i];
                }
            }
            return;
        }
        if (count <= 4) {
            runUnrolled(o, b, start, end);
            return;
        }
        double[] c = coefficients;
        double[][] v = terms;
        int m = count;
        for (int i = start; i < end; i++) {
            double s = c[0] * v[0][i];
            for (int j = 1; j < m; j++) {
                s += c[j] * v[j][i];
            }
            o[i] = b == null ? s : b[i] + s;
        }
    }

    /**
     * Two to four terms with the arrays and coefficients in locals, so that the loop vectorises (the generic loop's
     * {@code v[j][i]} does not); same summation order as the generic loop, hence the same bits.
     */
    private void runUnrolled(double[] o, double[] b, int start, int end) {
        double c0 = coefficients[0];
        double c1 = coefficients[1];
        double[] v0 = terms[0];
        double[] v1 = terms[1];
        if (count == 2) {
            for (int i = start; i < end; i++) {
                double s = c0 * v0[i] + c1 * v1[i];
                o[i] = b == null ? s : b[i] + s;
            }
            return;
        }
        double c2 = coefficients[2];
        double[] v2 = terms[2];
        if (count == 3) {
            for (int i = start; i < end; i++) {
                double s = c0 * v0[i] + c1 * v1[i] + c2 * v2[i];
                o[i] = b == null ? s : b[i] + s;
            }
            return;
        }
        double c3 = coefficients[3];
        double[] v3 = terms[3];
        for (int i = start; i < end; i++) {
            double s = c0 * v0[i] + c1 * v1[i] + c2 * v2[i] + c3 * v3[i];
            o[i] = b == null ? s : b[i] + s;
        }
    }
}
