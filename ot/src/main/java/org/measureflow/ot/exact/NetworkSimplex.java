package org.measureflow.ot.exact;

import org.measureflow.core.Arguments;
import org.measureflow.core.iteration.Convergence;
import org.measureflow.core.iteration.IterationObserver;
import org.measureflow.core.iteration.IterationStatus;
import org.measureflow.core.iteration.Termination;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.ot.CostMatrix;
import org.measureflow.ot.GroundCost;
import org.measureflow.ot.Histograms;

/**
 * Exact discrete optimal transport by the primal network simplex method: solves the Kantorovich linear program
 * (survey eq. 10)
 * \[ \min_{P \in \mathbb{R}_+^{n\times m}} \langle C, P \rangle \quad \text{s.t.}\quad P\mathbf{1}_m = a,\;
 * P^\top \mathbf{1}_n = b \]
 * together with its dual \( \max \{ \langle a, f\rangle + \langle b, g\rangle : f_i + g_j \le C_{ij} \} \), as a
 * minimum-cost flow on the complete bipartite graph from the \( n \) sources to the \( m \) targets.
 *
 * <p>Algorithm (Ahuja, Magnanti &amp; Orlin, <i>Network Flows</i>, ch. 11; Kelly &amp; O'Neill 1991): a basis is a
 * spanning tree of the \( n+m \) nodes, stored with parent, depth and preorder-thread arrays; the flow of a tree
 * arc is stored at its lower node. The potentials satisfy \( f_i + g_j = C_{ij} \) on tree arcs; an arc with reduced
 * cost \( C_{ij} - f_i - g_j &lt; -\tau \) enters (block search pricing: the most negative reduced cost among blocks
 * of about \( \sqrt{nm} \) arcs, scanned cyclically), the flow is pushed around the cycle it closes, and the
 * blocking arc that leaves is chosen by Cunningham's rule (the last blocking arc met when the cycle is walked from
 * its apex in the direction of the flow), which keeps the tree strongly feasible and so prevents cycling. The
 * cut-off subtree is re-rooted at the entering arc's endpoint in one walk over it (shifting its potentials and
 * depths), and its preorder thread is rebuilt by splicing one or two old segments per node of the re-rooted path.
 * The initial basis comes from a greedy row-minimum rule (each source in turn ships to its cheapest targets that still
 * have room), completed to a spanning tree by zero-flow arcs that point away from the root, so it is strongly
 * feasible (except where the rounding imbalance of the marginals leaves a source with no arc). When pricing finds no entering arc, the potentials are recomputed exactly from the tree and the whole
 * arc set is priced once more before optimality is declared.
 *
 * <p>Tolerances: the entering threshold is \( \tau = 10^{-13} \max_{ij} |C_{ij}| \), so on return the dual
 * constraints hold up to \( \tau \) plus rounding and the cost is optimal within about \( \tau \). Flows are
 * doubles; a pivot moves \( \delta = \) the smallest decreasing flow, which leaves that arc at exactly zero and no
 * flow negative. Sources or targets of zero mass are removed before solving (their potentials are then set to
 * the largest value allowed by dual feasibility, \( f_i = \min_j C_{ij} - g_j \), which does not change the dual
 * objective). The marginals must each sum to 1 within {@link Histograms#SUM_TOLERANCE}; the remaining rounding
 * imbalance stays unassigned, so the plan's marginals match \( a, b \) up to that imbalance.
 *
 * <p>Cost: \( O(n+m) \) memory besides the cost matrix, which is read in place (copied only when atoms of zero
 * mass are removed); each pivot scans at least one block of arcs and walks the subtree it cuts off. Measured on
 * 2-D Gaussian clouds with uniform weights (n = m = 1000 / 4000 / 10000): about 20k / 120k / 370k pivots.
 *
 * <p>Single-threaded and deterministic: the same input gives the same bits. (The pricing scan is the hot loop, but
 * the blocks are too short for a parallel split to pay: a block of 4000 entries takes about 5 &micro;s serially and
 * about 10 &micro;s when split over two threads of the common pool, measured on the 2-core development machine. A
 * single-precision copy of the costs for pricing was also tried and gained under 5% at n = m = 4000 and nothing at
 * 10000, not worth its \( 4nm \) bytes.)
 *
 * <p>{@link ExactOtResult#error()} is the largest violation \( \max(0, \max_{ij} f_i + g_j - C_{ij}) \) of the dual
 * constraints found by the last pricing (a full pass when the solve converged), tested against the tolerance
 * \( \tau \) above.
 *
 * <p>Immutable and thread-safe; made by {@link #withDefaults()}, changed by {@link #withMaxIterations(long)}.
 */
public final class NetworkSimplex {
    /** Default limit on the number of pivots: {@value}. */
    public static final long DEFAULT_MAX_ITERATIONS = 1_000_000_000L;

    private final long maxIterations;

    private NetworkSimplex(long maxIterations) {
        this.maxIterations = maxIterations;
    }

    /** The solver with the default limit of {@link #DEFAULT_MAX_ITERATIONS} pivots. */
    public static NetworkSimplex withDefaults() {
        return new NetworkSimplex(DEFAULT_MAX_ITERATIONS);
    }

    /**
     * This solver with another limit on the number of simplex pivots; reaching it is reported by
     * {@link ExactOtResult#converged()} being false, not thrown.
     *
     * @param maxIterations the most pivots, {@code >= 0}
     * @return a new solver
     * @throws IllegalArgumentException if {@code maxIterations < 0}
     */
    public NetworkSimplex withMaxIterations(long maxIterations) {
        return new NetworkSimplex(Arguments.nonNegative("maxIterations", maxIterations));
    }

    /** The limit on pivots. */
    public long maxIterations() {
        return maxIterations;
    }

    /**
     * Solves \( \min_{P \in U(a,b)} \langle C, P\rangle \) (survey eq. 10) exactly.
     *
     * @param a source histogram, length {@code c.rows()}, non-negative, summing to 1 (within
     *          {@link Histograms#SUM_TOLERANCE})
     * @param b target histogram, length {@code c.cols()}, non-negative, summing to 1
     * @param c the cost matrix \( C \) ({@code n x m})
     * @return the optimal cost, a basic optimal plan (at most \( n+m-1 \) entries), optimal dual potentials and
     *         the number of pivots
     * @throws IllegalArgumentException if an argument is null, a histogram has the wrong length, a negative or
     *                                  non-finite entry, or does not sum to 1
     */
    public ExactOtResult solve(double[] a, double[] b, CostMatrix c) {
        return solve(a, b, c, IterationObserver.none());
    }

    /**
     * {@link #solve(double[], double[], CostMatrix)} watched by an observer, called after every pivot with the
     * pivot count and the entering arc's reduced-cost violation \( -(C_{ij} - f_i - g_j) \); returning
     * {@code false} stops the solve (the plan is then feasible but not optimal).
     *
     * @throws IllegalArgumentException as {@link #solve(double[], double[], CostMatrix)}, or if {@code observer} is
     *                                  null
     */
    public ExactOtResult solve(double[] a, double[] b, CostMatrix c, IterationObserver observer) {
        Arguments.notNull("c", c);
        Arguments.probabilityVector("a", a, c.rows());
        Arguments.probabilityVector("b", b, c.cols());
        Arguments.notNull("observer", observer);
        return new Solver(a, b, c, maxIterations, observer).run();
    }

    /**
     * Solves the transport problem between the weighted atoms of two measures for the ground cost {@code cost}:
     * \( C_{ij} = c(x_i, y_j) \), \( a, b \) the measures' weights.
     *
     * @throws IllegalArgumentException if an argument is null or the dimensions of the measures differ
     */
    public ExactOtResult solve(ParticleMeasure x, ParticleMeasure y, GroundCost cost) {
        Arguments.notNull("x", x);
        Arguments.notNull("y", y);
        Arguments.notNull("cost", cost);
        return solve(x.weights(), y.weights(), cost.matrix(x, y));
    }

    /**
     * {@link #solve(ParticleMeasure, ParticleMeasure, GroundCost)} watched by an observer (see
     * {@link #solve(double[], double[], CostMatrix, IterationObserver)}).
     */
    public ExactOtResult solve(ParticleMeasure x, ParticleMeasure y, GroundCost cost, IterationObserver observer) {
        Arguments.notNull("x", x);
        Arguments.notNull("y", y);
        Arguments.notNull("cost", cost);
        return solve(x.weights(), y.weights(), cost.matrix(x, y), observer);
    }

    /** {@link #solve(ParticleMeasure, ParticleMeasure, GroundCost)} with \( c(x,y) = |x-y|^2 \): \( W_2^2 \). */
    public ExactOtResult solve(ParticleMeasure x, ParticleMeasure y) {
        return solve(x, y, GroundCost.squaredEuclidean());
    }

    @Override
    public String toString() {
        return "NetworkSimplex[maxIterations=" + maxIterations + "]";
    }

    /** The state of one solve; all work arrays are allocated once here. */
    private static final class Solver {
        private final int n0;
        private final int m0;
        private final CostMatrix original; // n0 x m0
        private final int[] rowMap;  // reduced row -> original row
        private final int[] colMap;
        private final int n;
        private final int m;
        private final CostMatrix cost; // the costs between atoms of positive mass, n x m (not copied if all are)
        private final double[] a;
        private final double[] b;
        private final long maxIterations;

        // spanning tree over nodes 0..n-1 (sources) and n..n+m-1 (targets); root is source 0
        private int[] parent;
        private int[] thread;
        private int[] revThread;
        private int[] depth;
        private double[] flow; // flow on the arc between v and parent[v]
        private double[] u;    // source potentials f
        private double[] v;    // target potentials g
        private int[] pathNodes;
        private int[] mark;
        private int[] level;
        private int[] last;
        private int[] pieceA;
        private int[] pieceAEnd;
        private int[] pieceB;
        private int[] stack;
        private int stamp;

        private double tolerance;
        private long blockSize;
        private int nextRow;
        private int nextCol;
        private int enterRow;
        private int enterCol;
        private double enterReducedCost;
        private double minReducedCost;
        private final IterationObserver observer;

        Solver(double[] a0, double[] b0, CostMatrix c, long maxIterations, IterationObserver observer) {
            this.maxIterations = maxIterations;
            this.observer = observer;
            n0 = c.rows();
            m0 = c.cols();
            original = c;
            rowMap = positives(a0);
            colMap = positives(b0);
            n = rowMap.length;
            m = colMap.length;
            a = new double[n];
            b = new double[m];
            for (int i = 0; i < n; i++) {
                a[i] = a0[rowMap[i]];
            }
            for (int j = 0; j < m; j++) {
                b[j] = b0[colMap[j]];
            }
            if (n == n0 && m == m0) {
                cost = c;
            } else {
                double[] reduced = new double[n * m];
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < m; j++) {
                        reduced[i * m + j] = c.get(rowMap[i], colMap[j]);
                    }
                }
                cost = CostMatrix.of(n, m, reduced);
            }
        }

        private static int[] positives(double[] w) {
            int k = 0;
            for (double x : w) {
                if (x > 0) {
                    k++;
                }
            }
            int[] idx = new int[k];
            k = 0;
            for (int i = 0; i < w.length; i++) {
                if (w[i] > 0) {
                    idx[k++] = i;
                }
            }
            return idx;
        }

        ExactOtResult run() {
            tolerance = 1e-13 * cost.maxAbs();
            long arcs = (long) n * m;
            blockSize = Math.max(1, Math.min(arcs, (long) Math.ceil(Math.sqrt((double) arcs))));
            initialTree();
            long iterations = 0;
            boolean converged = false;
            boolean stopped = false;
            double violation;
            while (true) {
                if (!findEntering(false)) {
                    recomputePotentials();
                    if (!findEntering(true)) {
                        converged = true;
                        violation = Math.max(0, -minReducedCost);
                        break;
                    }
                }
                if (iterations >= maxIterations || stopped) {
                    violation = -enterReducedCost;
                    break;
                }
                pivot();
                iterations++;
                stopped = !observer.observe(new IterationStatus(iterations, -enterReducedCost, Double.NaN));
            }
            recomputePotentials();
            return result(iterations, converged ? Convergence.tested(iterations, violation, tolerance, false)
                    : new Convergence(iterations, violation, tolerance,
                            stopped ? Termination.STOPPED : Termination.ITERATION_LIMIT));
        }

        /** Greedy row-minimum start, completed to a strongly feasible spanning tree rooted at source 0. */
        private void initialTree() {
            int nodes = n + m;
            int[] arcRow = new int[nodes];
            int[] arcCol = new int[nodes];
            double[] arcFlow = new double[nodes];
            int count = 0;
            double[] rb = b.clone();
            for (int i = 0; i < n; i++) {
                double ra = a[i];
                while (ra > 0) {
                    int best = -1;
                    double bestCost = Double.POSITIVE_INFINITY;
                    for (int j = 0; j < m; j++) {
                        if (rb[j] > 0) {
                            double cij = cost.get(i, j);
                            if (cij < bestCost) {
                                bestCost = cij;
                                best = j;
                            }
                        }
                    }
                    if (best < 0) {
                        break; // rounding imbalance: every target is full
                    }
                    arcRow[count] = i;
                    arcCol[count] = best;
                    if (ra <= rb[best]) {
                        arcFlow[count] = ra;
                        rb[best] -= ra;
                        ra = 0;
                    } else {
                        arcFlow[count] = rb[best];
                        ra -= rb[best];
                        rb[best] = 0;
                    }
                    count++;
                }
            }
            // connect the forest (it is acyclic: every arc but a row's last fills its target)
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
            // adjacency of the tree, then a preorder walk from the root
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
            stack = new int[nodes];
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
            recomputePotentials();
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

        /** Potentials from the tree: \( f_0 = 0 \) and \( f_i + g_j = C_{ij} \) on every tree arc (preorder). */
        private void recomputePotentials() {
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
         * Block search: scans blocks of {@code blockSize} arcs cyclically from where the last search stopped and
         * returns the arc of most negative reduced cost in the first block that has one below \( -\tau \).
         */
        /**
         * Block-search pricing from where the last search stopped. With {@code trackMinimum}, the scan also records
         * the smallest reduced cost it sees in {@link #minReducedCost} (a full pass when no arc enters).
         */
        private boolean findEntering(boolean trackMinimum) {
            final CostMatrix c = cost;
            final double[] g = v;
            final int cols = m;
            long arcs = (long) n * cols;
            double best = -tolerance;
            int bestRow = -1;
            int bestCol = -1;
            int i = nextRow;
            int j = nextCol;
            long inBlock = 0;
            long scanned = 0;
            double minimum = Double.POSITIVE_INFINITY;
            while (scanned < arcs) {
                long room = Math.min(blockSize - inBlock, arcs - scanned);
                int end = (int) Math.min(cols, j + room);
                double fi = u[i];
                // C_ij - g_j < f_i + best  <=>  reduced cost below best (one subtraction per arc)
                double limit = fi + best;
                int found = -1;
                if (trackMinimum) {
                    double min = Double.POSITIVE_INFINITY;
                    for (int jj = j; jj < end; jj++) {
                        double t = c.get(i, jj) - g[jj];
                        min = Math.min(min, t);
                        if (t < limit) {
                            limit = t;
                            found = jj;
                        }
                    }
                    minimum = Math.min(minimum, min - fi);
                } else {
                    for (int jj = j; jj < end; jj++) {
                        double t = c.get(i, jj) - g[jj];
                        if (t < limit) {
                            limit = t;
                            found = jj;
                        }
                    }
                }
                if (found >= 0) {
                    best = limit - fi;
                    bestCol = found;
                    bestRow = i;
                }
                int done = end - j;
                scanned += done;
                inBlock += done;
                j = end;
                if (j == cols) {
                    j = 0;
                    i = i + 1 == n ? 0 : i + 1;
                }
                if (inBlock >= blockSize) {
                    if (bestRow >= 0) {
                        break;
                    }
                    inBlock = 0;
                }
            }
            nextRow = i;
            nextCol = j;
            if (trackMinimum) {
                minReducedCost = minimum;
            }
            if (bestRow < 0) {
                return false;
            }
            enterRow = bestRow;
            enterCol = bestCol;
            enterReducedCost = c.get(bestRow, bestCol) - u[bestRow] - g[bestCol];
            return true;
        }

        /** One simplex pivot on the entering arc (enterRow, enterCol). */
        private void pivot() {
            final int[] par = parent;
            final int[] dep = depth;
            final double[] fl = flow;
            int source = enterRow;
            int target = n + enterCol;
            // apex of the cycle
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
            int apex = x;
            // blocking arc, Cunningham's rule: prefer the target side nearest the apex, then the source side
            // nearest the source
            double delta = Double.POSITIVE_INFINITY;
            int leave = -1;
            boolean leaveOnTargetSide = false;
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
                    leaveOnTargetSide = true;
                }
            }
            if (delta > 0) {
                for (int w = source; w != apex; w = par[w]) {
                    fl[w] += w < n ? -delta : delta;
                }
                for (int w = target; w != apex; w = par[w]) {
                    fl[w] += w >= n ? -delta : delta;
                }
            }
            int q = leaveOnTargetSide ? target : source; // endpoint of the entering arc inside the cut-off subtree
            int p = leaveOnTargetSide ? source : target;
            int z = leave;
            double sigma = enterReducedCost;
            double rowShift = q >= n ? -sigma : sigma;
            // the path q = w_0, w_1, ..., w_k = z whose parent pointers get reversed
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
            // one walk over the old preorder of the subtree of z: shift potentials, set new depths, and find
            // last[t], the last node of the old subtree of w_t. A node belongs to level t if w_t is its deepest
            // ancestor on the path; after re-rooting, level t hangs below w_t at depth(p) + 1 + t.
            int[] lastOf = last;
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
            // new preorder of the subtree: for t = 0..k, w_t followed by its old descendants outside the old
            // subtree of w_{t-1} (piece A before that subtree in the old thread, piece B after it)
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
            // reverse the parent pointers along the path; flows move one node down the path
            int prev = p;
            double carry = delta;
            for (int t = 0; t <= k; t++) {
                int w = path[t];
                double old = fl[w];
                par[w] = prev;
                fl[w] = carry;
                carry = old;
                prev = w;
            }
        }

        private void link(int from, int to) {
            thread[from] = to;
            revThread[to] = from;
        }

        private ExactOtResult result(long iterations, Convergence convergence) {
            int nodes = n + m;
            int[] er = new int[nodes];
            int[] ec = new int[nodes];
            double[] em = new double[nodes];
            int count = 0;
            int[] perRow = new int[n0 + 1];
            for (int node = 1; node < nodes; node++) {
                if (flow[node] > 0) {
                    int p = parent[node];
                    int r = node < n ? node : p;
                    int col = node < n ? p - n : node - n;
                    er[count] = rowMap[r];
                    ec[count] = colMap[col];
                    em[count] = flow[node];
                    perRow[er[count] + 1]++;
                    count++;
                }
            }
            // counting sort by row, insertion sort by column within a row
            for (int i = 0; i < n0; i++) {
                perRow[i + 1] += perRow[i];
            }
            int[] rows = new int[count];
            int[] cols = new int[count];
            double[] masses = new double[count];
            int[] fill = perRow.clone();
            for (int t = 0; t < count; t++) {
                int pos = fill[er[t]]++;
                rows[pos] = er[t];
                cols[pos] = ec[t];
                masses[pos] = em[t];
            }
            for (int i = 0; i < n0; i++) {
                for (int s = perRow[i] + 1; s < perRow[i + 1]; s++) {
                    int cc = cols[s];
                    double mm = masses[s];
                    int t = s - 1;
                    while (t >= perRow[i] && cols[t] > cc) {
                        cols[t + 1] = cols[t];
                        masses[t + 1] = masses[t];
                        t--;
                    }
                    cols[t + 1] = cc;
                    masses[t + 1] = mm;
                }
            }
            double total = 0;
            for (int t = 0; t < count; t++) {
                total += masses[t] * original.get(rows[t], cols[t]);
            }
            // potentials in the original indexing; zero-mass nodes get the largest feasible value
            double[] f = new double[n0];
            double[] g = new double[m0];
            boolean[] keptRow = new boolean[n0];
            boolean[] keptCol = new boolean[m0];
            for (int i = 0; i < n; i++) {
                f[rowMap[i]] = u[i];
                keptRow[rowMap[i]] = true;
            }
            for (int j = 0; j < m; j++) {
                g[colMap[j]] = v[j];
                keptCol[colMap[j]] = true;
            }
            for (int i = 0; i < n0; i++) {
                if (!keptRow[i]) {
                    double best = Double.POSITIVE_INFINITY;
                    for (int j = 0; j < m; j++) {
                        int jj = colMap[j];
                        best = Math.min(best, original.get(i, jj) - g[jj]);
                    }
                    f[i] = best;
                }
            }
            for (int j = 0; j < m0; j++) {
                if (!keptCol[j]) {
                    double best = Double.POSITIVE_INFINITY;
                    for (int i = 0; i < n0; i++) {
                        best = Math.min(best, original.get(i, j) - f[i]);
                    }
                    g[j] = best;
                }
            }
            return new ExactOtResult(total, new SparsePlan(n0, m0, rows, cols, masses), f, g, convergence);
        }
    }
}
