package org.measureflow.ot.semidiscrete;

import java.util.Arrays;

import org.measureflow.core.Arguments;
import org.measureflow.core.TextSummary;

/**
 * The Laguerre (power) diagram of weighted points \( (y_i, \psi_i) \) in the plane, clipped to a rectangle \( D \):
 * the cells \( \mathrm{Lag}_i(\psi) = \{x \in D : |x-y_i|^2 - \psi_i \le |x-y_j|^2 - \psi_j\ \forall j\} \), convex
 * polygons (possibly empty) that tile \( D \). With equal weights it is the Voronoi diagram. A snapshot: immutable,
 * every accessor returns a copy. Made by {@link SemiDiscreteNewton#diagram}.
 * The accessors of cell {@code i} throw {@link IllegalArgumentException} unless {@code 0 <= i < n}.
 */
public final class LaguerreDiagram {
    private final int[] start;
    private final double[] vx;
    private final double[] vy;
    private final int[] label;
    private final double[] area;

    LaguerreDiagram(Tessellation t) {
        int n = t.size();
        this.start = Arrays.copyOf(t.start, n + 1);
        int total = start[n];
        this.vx = Arrays.copyOf(t.vx, total);
        this.vy = Arrays.copyOf(t.vy, total);
        this.label = Arrays.copyOf(t.label, total);
        this.area = new double[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            int b = start[i];
            int e = start[i + 1];
            for (int k = b; k < e; k++) {
                int k1 = k + 1 == e ? b : k + 1;
                s += vx[k] * vy[k1] - vx[k1] * vy[k];
            }
            area[i] = 0.5 * s;
        }
    }

    /** Number of cells \( n \). */
    public int size() {
        return area.length;
    }

    /**
     * The vertices of cell {@code i}, counter-clockwise, flat {@code (x0, y0, x1, y1, ...)}; empty if the cell is
     * empty.
     */
    public double[] vertices(int i) {
        Arguments.index("i", i, area.length);
        int b = start[i];
        int e = start[i + 1];
        double[] out = new double[2 * (e - b)];
        for (int k = b; k < e; k++) {
            out[2 * (k - b)] = vx[k];
            out[2 * (k - b) + 1] = vy[k];
        }
        return out;
    }

    /**
     * For each edge of cell {@code i} (edge {@code k} runs from vertex {@code k} to vertex {@code k+1}, cyclically),
     * the index {@code j} of the neighbouring cell across it, or {@code -1} on the boundary of the rectangle.
     */
    public int[] neighbours(int i) {
        Arguments.index("i", i, area.length);
        return Arrays.copyOfRange(label, start[i], start[i + 1]);
    }

    /** The (Lebesgue) area of cell {@code i} (shoelace formula). */
    public double area(int i) {
        return area[Arguments.index("i", i, area.length)];
    }

    /** One line: the number of cells, of vertices, and the cell areas. */
    @Override
    public String toString() {
        return "LaguerreDiagram[n=" + area.length + ", " + start[area.length] + " vertices, areas="
                + TextSummary.array(area) + "]";
    }
}
