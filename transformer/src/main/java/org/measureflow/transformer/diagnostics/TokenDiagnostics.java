package org.measureflow.transformer.diagnostics;

import java.util.Arrays;

import org.measureflow.core.Arguments;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.core.parallel.Chunks;
import org.measureflow.transformer.attention.AttentionHead;

/**
 * Numbers that describe where tokens are heading: clustering (Geshkovski et al.; survey &sect;7.2) and the
 * functionals of the survey's discussion of eq. 29.
 *
 * <ul>
 * <li>{@link #clusterCount(ParticleMeasure, double)}: the number of connected components of the graph joining
 *     tokens whose cosine is at least a threshold (single linkage, by union&ndash;find);</li>
 * <li>{@link #minPairwiseCosine(ParticleMeasure)}: \( \min_{i \ne j} \cos(x_i, x_j) \), which tends to 1 when all
 *     tokens merge into one cluster;</li>
 * <li>{@link #interactionEnergy(ParticleMeasure, double)}: \( E_\beta(\mu) = \frac{1}{2\beta} \sum_{ij} w_i w_j
 *     e^{\beta\langle x_i, x_j\rangle} \); on the sphere the unnormalised attention flow (\( Q = \beta I \),
 *     \( K = V = I \)) is \( \dot x_i = P_{x_i} \nabla_{x_i} E_\beta / w_i \), so \( E_\beta \) increases along
 *     it;</li>
 * <li>{@link #logPartition(AttentionHead, ParticleMeasure, double[])}: the log-partition functional
 *     \( \Lambda_\mu(x) = \log \int e^{\langle Q x, K y\rangle} d\mu(y) \) of the survey (after eq. 29), whose
 *     gradient \( \nabla \Lambda_\mu(x) = Q^\top K \, \mathbb{E}_{\mu_x}[y] \) is the softmax attention field when
 *     \( V = Q^\top K \).</li>
 * </ul>
 * Cosines use the tokens' directions \( x / |x| \); pairwise quantities cost \( O(n^2 d) \).
 */
public final class TokenDiagnostics {
    private TokenDiagnostics() {
    }

    /**
     * The number of clusters: connected components of the graph with an edge between \( i \) and \( j \) when
     * \( \cos(x_i, x_j) \ge \) {@code cosineThreshold}.
     *
     * @param tokens          the tokens, none zero
     * @param cosineThreshold in \( [-1, 1] \)
     * @return the number of clusters, between 1 and {@code n}
     * @throws IllegalArgumentException if the threshold is outside \( [-1, 1] \) or a token is zero
     */
    public static int clusterCount(ParticleMeasure tokens, double cosineThreshold) {
        int[] labels = clusterLabels(tokens, cosineThreshold);
        int count = 0;
        for (int label : labels) {
            count = Math.max(count, label + 1);
        }
        return count;
    }

    /**
     * The cluster labels: {@code labels[i]} is the cluster of token {@code i}, numbered 0, 1, ... in order of first
     * appearance; same graph as {@link #clusterCount(ParticleMeasure, double)} (single linkage, by
     * union&ndash;find).
     *
     * @param tokens          the tokens, none zero
     * @param cosineThreshold in \( [-1, 1] \)
     * @return {@code n} labels
     * @throws IllegalArgumentException if the threshold is outside \( [-1, 1] \) or a token is zero
     */
    public static int[] clusterLabels(ParticleMeasure tokens, double cosineThreshold) {
        Arguments.notNull("tokens", tokens);
        Arguments.inRange("cosineThreshold", cosineThreshold, -1, 1);
        int n = tokens.size();
        int d = tokens.dimension();
        double[] u = directions(tokens);
        int[] parent = new int[n];
        for (int i = 0; i < n; i++) {
            parent[i] = i;
        }
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                if (dot(u, i, j, d) >= cosineThreshold) {
                    int a = find(parent, i);
                    int b = find(parent, j);
                    if (a != b) {
                        parent[Math.max(a, b)] = Math.min(a, b);
                    }
                }
            }
        }
        int[] label = new int[n];
        int[] rootLabel = new int[n];
        Arrays.fill(rootLabel, -1);
        int next = 0;
        for (int i = 0; i < n; i++) {
            int r = find(parent, i);
            if (rootLabel[r] < 0) {
                rootLabel[r] = next++;
            }
            label[i] = rootLabel[r];
        }
        return label;
    }

    /**
     * \( \min_{i &lt; j} \cos(x_i, x_j) \); 1 for a single token.
     *
     * @throws IllegalArgumentException if a token is zero
     */
    public static double minPairwiseCosine(ParticleMeasure tokens) {
        Arguments.notNull("tokens", tokens);
        int n = tokens.size();
        int d = tokens.dimension();
        double[] u = directions(tokens);
        int rows = Math.max(1, (n + 63) / 64);
        double[] partial = new double[Chunks.count(n, rows)];
        Chunks.forEach(n, rows, (long) n * d, (chunk, start, end) -> {
            double min = 1.0;
            for (int i = start; i < end; i++) {
                for (int j = i + 1; j < n; j++) {
                    min = Math.min(min, dot(u, i, j, d));
                }
            }
            partial[chunk] = min;
        });
        double min = 1.0;
        for (double p : partial) {
            min = Math.min(min, p);
        }
        return min;
    }

    /**
     * The interaction energy \( E_\beta(\mu) = \frac{1}{2\beta} \sum_{i,j} w_i w_j e^{\beta \langle x_i, x_j\rangle} \)
     * (Geshkovski et al.; the energy of unnormalised attention on the sphere). Summed over fixed chunks in chunk
     * order (same bits on any number of threads).
     *
     * @param beta inverse temperature, finite and {@code > 0}
     * @throws IllegalArgumentException if {@code tokens} is null, {@code beta} is not finite and positive, or the
     *                                  energy overflows double precision (\( \beta \langle x_i, x_j\rangle \gt 709 \),
     *                                  or \( \beta \) so small that \( 1/(2\beta) \) does)
     */
    public static double interactionEnergy(ParticleMeasure tokens, double beta) {
        Arguments.notNull("tokens", tokens);
        Arguments.positive("beta", beta);
        int n = tokens.size();
        int d = tokens.dimension();
        double[] x = tokens.flatPoints();
        double[] w = tokens.weights();
        int rows = Math.max(1, (n + 63) / 64);
        double[] partial = new double[Chunks.count(n, rows)];
        Chunks.forEach(n, rows, (long) n * (2L * d + 20), (chunk, start, end) -> {
            double s = 0;
            for (int i = start; i < end; i++) {
                double row = 0;
                for (int j = 0; j < n; j++) {
                    row += w[j] * Math.exp(beta * dot(x, i, j, d));
                }
                s += w[i] * row;
            }
            partial[chunk] = s;
        });
        double total = 0;
        for (double p : partial) {
            total += p;
        }
        return Arguments.finiteResult("tokens and beta", "the interaction energy", total / (2 * beta));
    }

    /**
     * The log-partition functional \( \Lambda_\mu(x) = \log \sum_j w_j e^{\langle Q x, K x_j\rangle} \) of one head
     * at the point {@code x}, computed stably (log-sum-exp).
     *
     * @throws IllegalArgumentException if {@code x} or the tokens do not have the head's dimension, or a logit
     *                                  \( \langle Q x, K x_j\rangle \) overflows (naming {@code x and y})
     */
    public static double logPartition(AttentionHead head, ParticleMeasure tokens, double[] x) {
        Arguments.notNull("head", head);
        Arguments.notNull("tokens", tokens);
        Arguments.finite("x", x);
        int d = head.dimension();
        Arguments.length("x", x.length, d);
        Arguments.sameDimension("tokens", tokens.dimension(), d, "head");
        int n = tokens.size();
        double[] logits = new double[n];
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            logits[j] = head.logit(x, tokens.point(j)) + Math.log(tokens.weight(j));
            max = Math.max(max, logits[j]);
        }
        double s = 0;
        for (int j = 0; j < n; j++) {
            s += Math.exp(logits[j] - max);
        }
        return Arguments.finiteResult("x and tokens", "the log-partition", max + Math.log(s));
    }

    private static double[] directions(ParticleMeasure tokens) {
        int d = tokens.dimension();
        double[] u = tokens.flatPoints();
        for (int i = 0; i < tokens.size(); i++) {
            double s = dot(u, i, i, d);
            if (!(s > 0)) {
                // a rule Arguments cannot state: every token non-zero
                throw new IllegalArgumentException("tokens: token " + i + " is zero; its direction is undefined");
            }
            double inv = 1.0 / Math.sqrt(s);
            for (int k = 0; k < d; k++) {
                u[i * d + k] *= inv;
            }
        }
        return u;
    }

    private static double dot(double[] x, int i, int j, int d) {
        double s = 0;
        for (int k = 0; k < d; k++) {
            s += x[i * d + k] * x[j * d + k];
        }
        return s;
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }
}
