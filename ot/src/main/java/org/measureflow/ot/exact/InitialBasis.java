package org.measureflow.ot.exact;

import org.measureflow.ot.CostMatrix;

/**
 * The starting basis of {@link NetworkSimplex} (package-private): a greedy row-minimum rule (each source in turn ships
 * to its cheapest targets that still have room), completed to a spanning tree by zero-flow arcs that point away from
 * the root, so that it is strongly feasible (except where the rounding imbalance of the marginals leaves a source with
 * no arc). The arcs are then laid out as a {@link SpanningTree} rooted at source 0 by one preorder walk.
 */
final class InitialBasis {
    private final int n;
    private final int m;
    private final CostMatrix cost;
    // the tree's arcs: source arcRow[k] to target arcCol[k] with flow arcFlow[k]
    private final int[] arcRow;
    private final int[] arcCol;
    private final double[] arcFlow;
    private int count;

    private InitialBasis(int n, int m, CostMatrix cost) {
        this.n = n;
        this.m = m;
        this.cost = cost;
        int nodes = n + m;
        arcRow = new int[nodes];
        arcCol = new int[nodes];
        arcFlow = new double[nodes];
    }

    /**
     * The starting tree of the problem with marginals {@code a}, {@code b} (positive, summing to 1 up to rounding) and
     * costs {@code cost}, with its potentials computed.
     */
    static SpanningTree build(double[] a, double[] b, CostMatrix cost) {
        int n = a.length;
        int m = b.length;
        InitialBasis basis = new InitialBasis(n, m, cost);
        basis.greedyArcs(a, b);
        basis.connect();
        SpanningTree tree = new SpanningTree(n, m, cost);
        basis.layOut(tree);
        tree.recomputePotentials();
        return tree;
    }

    /** Each source in turn ships to its cheapest targets with room left (row-minimum rule). */
    private void greedyArcs(double[] a, double[] b) {
        final CostMatrix c = cost;
        final int cols = m;
        final int[] rowOf = arcRow;
        final int[] colOf = arcCol;
        final double[] flowOf = arcFlow;
        int k = 0;
        double[] rb = b.clone();
        for (int i = 0; i < n; i++) {
            double ra = a[i];
            while (ra > 0) {
                int best = -1;
                double bestCost = Double.POSITIVE_INFINITY;
                for (int j = 0; j < cols; j++) {
                    if (rb[j] > 0) {
                        double cij = c.get(i, j);
                        if (cij < bestCost) {
                            bestCost = cij;
                            best = j;
                        }
                    }
                }
                if (best < 0) {
                    break; // rounding imbalance: every target is full
                }
                rowOf[k] = i;
                colOf[k] = best;
                if (ra <= rb[best]) {
                    flowOf[k] = ra;
                    rb[best] -= ra;
                    ra = 0;
                } else {
                    flowOf[k] = rb[best];
                    ra -= rb[best];
                    rb[best] = 0;
                }
                k++;
            }
        }
        count = k;
    }

    /**
     * Connects the forest of the greedy arcs (it is acyclic: every arc but a row's last fills its target) by zero-flow
     * arcs from source 0 to the targets it does not reach, then from the remaining sources to a hub target.
     */
    private void connect() {
        int nodes = n + m;
        int[] uf = new int[nodes];
        for (int k = 0; k < nodes; k++) {
            uf[k] = k;
        }
        for (int k = 0; k < count; k++) {
            union(uf, arcRow[k], n + arcCol[k]);
        }
        int hubColumn = arcCol[0];
        for (int j = 0; j < m; j++) {
            if (find(uf, n + j) != find(uf, 0)) {
                arcRow[count] = 0; // zero flow, parent 0 -> child target: points away from the root
                arcCol[count] = j;
                arcFlow[count] = 0;
                count++;
                union(uf, 0, n + j);
            }
        }
        for (int i = 0; i < n; i++) {
            if (find(uf, i) != find(uf, 0)) {
                arcRow[count] = i;
                arcCol[count] = hubColumn;
                arcFlow[count] = 0;
                count++;
                union(uf, 0, i);
            }
        }
    }

    /** The tree's adjacency, then a preorder walk from the root that sets parents, depths, flows and the thread. */
    private void layOut(SpanningTree tree) {
        int nodes = n + m;
        int[] degreeStart = new int[nodes + 1];
        for (int k = 0; k < count; k++) {
            degreeStart[arcRow[k] + 1]++;
            degreeStart[n + arcCol[k] + 1]++;
        }
        for (int k = 0; k < nodes; k++) {
            degreeStart[k + 1] += degreeStart[k];
        }
        int[] fill = degreeStart.clone();
        int[] adjacentArc = new int[2 * count];
        for (int k = 0; k < count; k++) {
            adjacentArc[fill[arcRow[k]]++] = k;
            adjacentArc[fill[n + arcCol[k]]++] = k;
        }
        int[] parent = tree.parent;
        int[] thread = tree.thread;
        int[] revThread = tree.revThread;
        int[] depth = tree.depth;
        double[] flow = tree.flow;
        int[] stack = new int[nodes];
        parent[0] = -1;
        int sp = 0;
        stack[sp++] = 0;
        int previous = -1;
        while (sp > 0) {
            int node = stack[--sp];
            if (previous >= 0) {
                thread[previous] = node;
                revThread[node] = previous;
            }
            previous = node;
            for (int t = degreeStart[node]; t < degreeStart[node + 1]; t++) {
                int k = adjacentArc[t];
                int other = node < n ? n + arcCol[k] : arcRow[k];
                if (other == parent[node]) {
                    continue;
                }
                parent[other] = node;
                depth[other] = depth[node] + 1;
                flow[other] = arcFlow[k];
                stack[sp++] = other;
            }
        }
        thread[previous] = 0;
        revThread[0] = previous;
    }

    private static int find(int[] uf, int x) {
        while (uf[x] != x) {
            uf[x] = uf[uf[x]];
            x = uf[x];
        }
        return x;
    }

    private static void union(int[] uf, int x, int y) {
        uf[find(uf, x)] = find(uf, y);
    }
}
