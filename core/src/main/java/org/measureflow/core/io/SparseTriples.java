package org.measureflow.core.io;

import org.measureflow.core.Arguments;
import org.measureflow.core.TextSummary;

/**
 * A sparse {@code n x m} matrix as coordinate triples \( (i_k, j_k, \mathrm{mass}_k) \), \( P_{i_k j_k} =
 * \mathrm{mass}_k \) (the COO layout of {@code scipy.sparse}): the transport plan of an exact solver, which has at
 * most \( n + m - 1 \) non-zero entries, or the large entries of an entropic plan. Indices are 0-based. Entries
 * not listed are 0; an index pair listed twice means the sum of its masses (as in SciPy).
 *
 * <p>The arrays are copied in and out, so a value never changes.
 *
 * @param n    the number of rows (source points)
 * @param m    the number of columns (target points)
 * @param i    the row of each entry, in {@code [0, n)}
 * @param j    the column of each entry, in {@code [0, m)}
 * @param mass the value of each entry, finite and {@code >= 0}
 */
public record SparseTriples(int n, int m, int[] i, int[] j, double[] mass) {
    /**
     * Checks and copies the triples.
     *
     * @throws IllegalArgumentException if a size is negative, the arrays are null or of different lengths, an index
     *                                  is out of range, or a mass is negative or not finite
     */
    public SparseTriples {
        Arguments.nonNegative("n", n);
        Arguments.nonNegative("m", m);
        Arguments.notNull("i", i);
        Arguments.notNull("j", j);
        Arguments.notNull("mass", mass);
        Arguments.length("j", j.length, i.length);
        Arguments.length("mass", mass.length, i.length);
        Arguments.indices("i", i, n);
        Arguments.indices("j", j, m);
        Arguments.nonNegative("mass", mass);
        i = i.clone();
        j = j.clone();
        mass = mass.clone();
    }

    /** A copy of the rows of the entries. */
    @Override
    public int[] i() {
        return i.clone();
    }

    /** A copy of the columns of the entries. */
    @Override
    public int[] j() {
        return j.clone();
    }

    /** A copy of the masses of the entries. */
    @Override
    public double[] mass() {
        return mass.clone();
    }

    /** The number of entries listed. */
    public int size() {
        return i.length;
    }

    /**
     * The dense {@code n x m} matrix, row-major (entry {@code (i, j)} at {@code i * m + j}), repeated pairs summed.
     *
     * @throws IllegalArgumentException if {@code n * m} exceeds the largest array
     */
    public double[] toDense() {
        double[] dense = new double[Arguments.product("n * m", n, m)];
        for (int k = 0; k < i.length; k++) {
            dense[i[k] * m + j[k]] += mass[k];
        }
        return dense;
    }

    /** One line, e.g. {@code SparseTriples[n=3, m=3, 3 entries, i=[0, 1, 2], j=[2, 0, 1], mass=[0.3, 0.3, 0.4]]}. */
    @Override
    public String toString() {
        return "SparseTriples[n=" + n + ", m=" + m + ", " + i.length + " entries, i=" + TextSummary.array(i) + ", j="
                + TextSummary.array(j) + ", mass=" + TextSummary.array(mass) + "]";
    }
}
