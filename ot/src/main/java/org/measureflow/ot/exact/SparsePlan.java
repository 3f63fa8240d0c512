package org.measureflow.ot.exact;

import java.util.Arrays;

import org.measureflow.core.Arguments;
import org.measureflow.core.TextSummary;
import org.measureflow.ot.TransportPlan;

/**
 * A transport plan \( P \in \mathbb{R}_+^{n \times m} \) stored as its non-zero entries \( P_{r_k c_k} = w_k \):
 * the support of an optimal plan of the Kantorovich problem (survey eq. 10). A basic optimal plan, as returned by
 * {@link NetworkSimplex} and {@link OneDimensionalOt}, has at most \( n + m - 1 \) entries.
 *
 * <p>Immutable: the arrays are copied in and out.
 *
 * @param sourceSize number of rows \( n \)
 * @param targetSize number of columns \( m \)
 * @param rows       row index \( r_k \) of each entry, in {@code [0, n)}
 * @param cols       column index \( c_k \) of each entry, in {@code [0, m)}
 * @param masses     mass \( w_k \geq 0 \) of each entry
 */
public record SparsePlan(int sourceSize, int targetSize, int[] rows, int[] cols, double[] masses)
        implements TransportPlan {
    /**
     * Validates the shape and copies the arrays.
     *
     * @throws IllegalArgumentException if a size is not positive, an index is out of range, the arrays have different
     *                                  lengths, a mass is negative or not finite, or the total mass overflows
     */
    public SparsePlan {
        Arguments.positive("sourceSize", sourceSize);
        Arguments.positive("targetSize", targetSize);
        Arguments.indices("rows", rows, sourceSize);
        Arguments.length("cols", Arguments.indices("cols", cols, targetSize).length, rows.length);
        Arguments.length("masses", Arguments.nonNegative("masses", masses).length, rows.length);
        double total = 0;
        for (double w : masses) {
            total += w;
        }
        Arguments.finiteResult("masses", "the total mass", total);
        rows = rows.clone();
        cols = cols.clone();
        masses = masses.clone();
    }

    /** Number of stored entries. */
    public int size() {
        return rows.length;
    }

    /** A copy of the row indices \( r_k \). */
    @Override
    public int[] rows() {
        return rows.clone();
    }

    /** A copy of the column indices \( c_k \). */
    @Override
    public int[] cols() {
        return cols.clone();
    }

    /** A copy of the masses \( w_k \). */
    @Override
    public double[] masses() {
        return masses.clone();
    }

    /** Row index of entry {@code k}. */
    public int row(int k) {
        return rows[k];
    }

    /** Column index of entry {@code k}. */
    public int col(int k) {
        return cols[k];
    }

    /** Mass of entry {@code k}. */
    public double mass(int k) {
        return masses[k];
    }

    /** The source marginal \( P \mathbf{1} \) (length \( n \)), summed entry by entry. */
    @Override
    public double[] sourceMarginal() {
        double[] s = new double[sourceSize];
        for (int k = 0; k < rows.length; k++) {
            s[rows[k]] += masses[k];
        }
        return s;
    }

    /** The target marginal \( P^\top \mathbf{1} \) (length \( m \)), summed entry by entry. */
    @Override
    public double[] targetMarginal() {
        double[] s = new double[targetSize];
        for (int k = 0; k < cols.length; k++) {
            s[cols[k]] += masses[k];
        }
        return s;
    }

    /**
     * The dense plan, flat row-major (entry \( P_{ij} \) at {@code i * m + j}; entries repeated in the sparse list
     * are added).
     *
     * @throws IllegalArgumentException if {@code n * m} exceeds the largest array
     */
    @Override
    public double[] toDense() {
        double[] p = new double[Arguments.product("sourceSize * targetSize (n * m)", sourceSize, targetSize)];
        for (int k = 0; k < rows.length; k++) {
            p[rows[k] * targetSize + cols[k]] += masses[k];
        }
        return p;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException also if \( Pv \) overflows double precision (naming {@code v})
     */
    @Override
    public double[] apply(double[] v) {
        Arguments.finite("v", v);
        Arguments.length("v", v.length, targetSize);
        double[] out = new double[sourceSize];
        for (int k = 0; k < rows.length; k++) {
            out[rows[k]] += masses[k] * v[cols[k]];
        }
        return Arguments.finiteResult("v", "P v", out);
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException also if \( P^\top u \) overflows double precision (naming {@code u})
     */
    @Override
    public double[] applyTransposed(double[] u) {
        Arguments.finite("u", u);
        Arguments.length("u", u.length, sourceSize);
        double[] out = new double[targetSize];
        for (int k = 0; k < rows.length; k++) {
            out[cols[k]] += masses[k] * u[rows[k]];
        }
        return Arguments.finiteResult("u", "P^T u", out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SparsePlan other && other.sourceSize == sourceSize && other.targetSize == targetSize
                && Arrays.equals(other.rows, rows) && Arrays.equals(other.cols, cols)
                && Arrays.equals(other.masses, masses);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * (31 * sourceSize + targetSize) + Arrays.hashCode(rows)) + Arrays.hashCode(cols))
                + Arrays.hashCode(masses);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("SparsePlan[").append(sourceSize).append('x').append(targetSize)
                .append(", ").append(rows.length).append(" entries");
        int shown = Math.min(rows.length, TextSummary.MAX_ENTRIES);
        for (int k = 0; k < shown; k++) {
            b.append(k == 0 ? ": " : ", ").append('(').append(rows[k]).append(',').append(cols[k]).append(")=")
                    .append(TextSummary.entry(masses[k]));
        }
        return b.append(shown < rows.length ? ", ...]" : "]").toString();
    }
}
