package org.measureflow.ot.exact;

import org.measureflow.ot.CostMatrix;

/**
 * The basis of the network simplex ({@link NetworkSimplex}): a spanning tree of the complete bipartite graph between
 * the \( n \) sources (nodes {@code 0 .. n-1}) and the \( m \) targets (nodes {@code n .. n+m-1}), rooted at source
 * 0, with the flow on its arcs and the dual potentials it determines (package-private).
 *
 * <p>Storage (Ahuja, Magnanti &amp; Orlin, <i>Network Flows</i>, ch. 11): {@code parent[v]}, {@code depth[v]} and the
 * preorder thread ({@code thread[v]} the next node in preorder, cyclic, and its inverse {@code revThread}); the flow
 * of the arc between {@code v} and its parent is stored at {@code v}. The potentials satisfy \( f_i + g_j = C_{ij} \)
 * on every tree arc, \( f_0 = 0 \).
 *
 * <p>A pivot ({@link #pivot}) adds the entering arc, pushes the flow around the cycle it closes, removes the blocking
 * arc chosen by Cunningham's rule (the last blocking arc met when the cycle is walked from its apex in the direction of
 * the flow, which keeps the tree strongly feasible), re-roots the cut-off subtree at the entering arc's endpoint in one
 * walk over it (shifting its potentials and depths) and rebuilds its preorder thread by splicing one or two old
 * segments per node of the re-rooted path. Every work array is allocated once, in the constructor.
 */
final class SpanningTree {
    private final int n;
    private final CostMatrix cost;

    final int[] parent;
    final int[] thread;
    final int[] revThread;
    final int[] depth;
    /** Flow on the arc between a node and its parent. */
    final double[] flow;
    /** Source potentials \( f \). */
    final double[] u;
    /** Target potentials \( g \). */
    final double[] v;

    // pivot work arrays
    private final int[] pathNodes;
    private final int[] mark;
    private final int[] level;
    private final int[] last;
    private final int[] pieceA;
    private final int[] pieceAEnd;
    private final int[] pieceB;
    private int stamp;
    // the blocking arc found by the last call of blockingFlow
    private int leaving;
    private boolean leavingOnTargetSide;

    /** An empty tree over {@code n + m} nodes; {@link InitialBasis} fills it. */
    SpanningTree(int n, int m, CostMatrix cost) {
        this.n = n;
        this.cost = cost;
        int nodes = n + m;
        parent = new int[nodes];
        thread = new int[nodes];
        revThread = new int[nodes];
        depth = new int[nodes];
        flow = new double[nodes];
        u = new double[n];
        v = new double[m];
        pathNodes = new int[nodes];
        mark = new int[nodes];
        level = new int[nodes];
        last = new int[nodes];
        pieceA = new int[nodes];
        pieceAEnd = new int[nodes];
        pieceB = new int[nodes];
    }

    /** Number of sources \( n \). */
    int sources() {
        return n;
    }

    /** Potentials from the tree: \( f_0 = 0 \) and \( f_i + g_j = C_{ij} \) on every tree arc (preorder). */
    void recomputePotentials() {
        u[0] = 0;
        for (int node = thread[0]; node != 0; node = thread[node]) {
            int p = parent[node];
            if (node < n) {
                u[node] = cost.get(node, p - n) - v[p - n];
            } else {
                v[node - n] = cost.get(p, node - n) - u[p];
            }
        }
    }

    /**
     * One simplex pivot on the entering arc from source {@code enterRow} to target {@code enterCol}, whose reduced
     * cost \( C_{ij} - f_i - g_j \) is {@code sigma} (negative).
     */
    void pivot(int enterRow, int enterCol, double sigma) {
        int source = enterRow;
        int target = n + enterCol;
        int apex = apex(source, target);
        double delta = blockingFlow(source, target, apex);
        if (delta > 0) {
            pushFlow(source, target, apex, delta);
        }
        int q = leavingOnTargetSide ? target : source; // endpoint of the entering arc inside the cut-off subtree
        int p = leavingOnTargetSide ? source : target;
        int z = leaving;
        double rowShift = q >= n ? -sigma : sigma;
        int k = reversedPath(q, z);
        rerootSubtree(z, p, k, rowShift);
        spliceThread(p, q, z, k);
        reverseParents(p, k, delta);
    }

    /** The apex of the cycle closed by the arc (source, target): their deepest common ancestor. */
    private int apex(int source, int target) {
        final int[] par = parent;
        final int[] dep = depth;
        int x = source;
        int y = target;
        while (x != y) {
            int dx = dep[x];
            int dy = dep[y];
            if (dx >= dy) {
                x = par[x];
            }
            if (dy >= dx) {
                y = par[y];
            }
        }
        return x;
    }

    /**
     * The flow \( \delta \) that the cycle can carry, and the blocking arc that leaves (in {@link #leaving},
     * {@link #leavingOnTargetSide}). Cunningham's rule: prefer the target side nearest the apex, then the source side
     * nearest the source.
     */
    private double blockingFlow(int source, int target, int apex) {
        final int[] par = parent;
        final double[] fl = flow;
        double delta = Double.POSITIVE_INFINITY;
        int leave = -1;
        boolean onTargetSide = false;
        for (int w = source; w != apex; w = par[w]) {
            if (w < n && fl[w] < delta) {
                delta = fl[w];
                leave = w;
            }
        }
        for (int w = target; w != apex; w = par[w]) {
            if (w >= n && fl[w] <= delta) {
                delta = fl[w];
                leave = w;
                onTargetSide = true;
            }
        }
        leaving = leave;
        leavingOnTargetSide = onTargetSide;
        return delta;
    }

    /** Pushes {@code delta} around the cycle: less on the arcs against the flow direction, more on the others. */
    private void pushFlow(int source, int target, int apex, double delta) {
        final int[] par = parent;
        final double[] fl = flow;
        for (int w = source; w != apex; w = par[w]) {
            fl[w] += w < n ? -delta : delta;
        }
        for (int w = target; w != apex; w = par[w]) {
            fl[w] += w >= n ? -delta : delta;
        }
    }

    /**
     * Stores the path \( q = w_0, w_1, \dots, w_k = z \) whose parent pointers get reversed in {@link #pathNodes},
     * marks its nodes with a new stamp and their positions in {@link #level}; returns \( k \).
     */
    private int reversedPath(int q, int z) {
        final int[] par = parent;
        int[] path = pathNodes;
        int k = 0;
        path[0] = q;
        for (int w = q; w != z; ) {
            w = par[w];
            path[++k] = w;
        }
        int tag = ++stamp;
        for (int t = 0; t <= k; t++) {
            mark[path[t]] = tag;
            level[path[t]] = t;
        }
        return k;
    }

    /**
     * One walk over the old preorder of the subtree of {@code z}: shifts potentials, sets the new depths, and finds
     * {@code last[t]}, the last node of the old subtree of \( w_t \). A node belongs to level \( t \) if \( w_t \) is
     * its deepest ancestor on the path; after re-rooting, level \( t \) hangs below \( w_t \) at depth
     * \( \mathrm{depth}(p) + 1 + t \).
     */
    private void rerootSubtree(int z, int p, int k, double rowShift) {
        final int[] dep = depth;
        int[] lastOf = last;
        int tag = stamp;
        int zDepth = dep[z];
        int base = dep[p] + 1 - zDepth - k;
        int cur = k;
        int previous = -1;
        int node = z;
        do {
            int d = dep[node];
            if (previous >= 0) {
                if (d <= zDepth + k - cur) { // left the subtree of w_cur: back to the level of node's parent
                    int up = k - (d - 1 - zDepth);
                    for (int t = cur; t < up; t++) {
                        lastOf[t] = previous;
                    }
                    cur = up;
                }
                if (mark[node] == tag && level[node] == cur - 1) {
                    cur--;
                }
            }
            dep[node] = d + base + 2 * cur;
            if (node < n) {
                u[node] += rowShift;
            } else {
                v[node - n] -= rowShift;
            }
            previous = node;
            node = thread[node];
        } while (dep[node] > zDepth);
        for (int t = cur; t <= k; t++) {
            lastOf[t] = previous;
        }
    }

    /**
     * The new preorder of the re-rooted subtree, hung below {@code p}: for \( t = 0..k \), \( w_t \) followed by its
     * old descendants outside the old subtree of \( w_{t-1} \) (piece A before that subtree in the old thread, piece
     * B after it).
     */
    private void spliceThread(int p, int q, int z, int k) {
        int[] path = pathNodes;
        int[] lastOf = last;
        int[] aStart = pieceA;
        int[] aEnd = pieceAEnd;
        int[] bStart = pieceB;
        for (int t = 1; t <= k; t++) {
            int w = path[t];
            int below = path[t - 1];
            aStart[t] = thread[w] == below ? -1 : thread[w];
            aEnd[t] = revThread[below];
            bStart[t] = lastOf[t - 1] == lastOf[t] ? -1 : thread[lastOf[t - 1]];
        }
        int before = revThread[z];
        int after = thread[lastOf[k]];
        thread[before] = after;
        revThread[after] = before;
        int tail = lastOf[0];
        for (int t = 1; t <= k; t++) {
            int w = path[t];
            link(tail, w);
            tail = w;
            if (aStart[t] >= 0) {
                link(tail, aStart[t]);
                tail = aEnd[t];
            }
            if (bStart[t] >= 0) {
                link(tail, bStart[t]);
                tail = lastOf[t];
            }
        }
        int nextOfP = thread[p];
        link(p, q);
        link(tail, nextOfP);
    }

    /** Reverses the parent pointers along the path; flows move one node down the path, the entering arc gets delta. */
    private void reverseParents(int p, int k, double delta) {
        int[] path = pathNodes;
        int prev = p;
        double carry = delta;
        for (int t = 0; t <= k; t++) {
            int w = path[t];
            double old = flow[w];
            parent[w] = prev;
            flow[w] = carry;
            carry = old;
            prev = w;
        }
    }

    private void link(int from, int to) {
        thread[from] = to;
        revThread[to] = from;
    }
}
