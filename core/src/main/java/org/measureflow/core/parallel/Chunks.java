package org.measureflow.core.parallel;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;

/**
 * Deterministic data parallelism over rows (particles, grid lines, matrix rows).
 *
 * <p>The rows {@code [0, n)} are cut into fixed chunks whose boundaries depend only on {@code n} and the chunk
 * size, never on the number of threads. A loop runs the chunks on the calling thread together with
 * {@link ForkJoinPool#commonPool()} when the work is large ({@code n * costPerRow >= }{@link #PARALLEL_THRESHOLD})
 * and the machine has more than one processor, and one after another otherwise. The calling thread works too, so
 * on a 2-core machine (where the common pool has a single worker) both cores are used.
 * Reductions keep one partial result per chunk and combine them in chunk order, so a parallel run returns the
 * same bits as a serial run.
 */
public final class Chunks {
    /** Minimum estimated work (row count times cost per row, in flops) before a loop is run in parallel. */
    public static final long PARALLEL_THRESHOLD = 65_536;
    /** Default number of rows per chunk. */
    public static final int DEFAULT_CHUNK_ROWS = 2048;
    private static final int PROCESSORS = Runtime.getRuntime().availableProcessors();

    private Chunks() {
    }

    /** A body run on rows {@code [start, end)} of chunk number {@code chunk}. */
    @FunctionalInterface
    public interface Body {
        /**
         * Processes one chunk.
         *
         * @param chunk index of the chunk, {@code 0 <= chunk < count(n, chunkRows)}
         * @param start first row, inclusive
         * @param end   last row, exclusive
         */
        void run(int chunk, int start, int end);
    }

    /** Number of chunks of {@code chunkRows} rows needed to cover {@code n} rows. */
    public static int count(int n, int chunkRows) {
        return n == 0 ? 0 : (n + chunkRows - 1) / chunkRows;
    }

    /**
     * Runs {@code body} over all chunks of {@code [0, n)}, in parallel when {@code n * costPerRow} reaches
     * {@link #PARALLEL_THRESHOLD}.
     *
     * @param n          number of rows
     * @param chunkRows  rows per chunk (the last chunk may be shorter)
     * @param costPerRow rough number of floating-point operations per row, used only to decide on parallelism
     * @param body       the work; chunks must write disjoint outputs
     */
    public static void forEach(int n, int chunkRows, long costPerRow, Body body) {
        int chunks = count(n, chunkRows);
        if (chunks <= 1 || (long) n * costPerRow < PARALLEL_THRESHOLD || PROCESSORS < 2) {
            for (int c = 0; c < chunks; c++) {
                body.run(c, c * chunkRows, Math.min(n, (c + 1) * chunkRows));
            }
            return;
        }
        // invoke() computes in the calling thread; the halves it forks go to the common pool.
        new Task(body, n, chunkRows, 0, chunks).invoke();
    }

    /** {@link #forEach(int, int, long, Body)} with {@link #DEFAULT_CHUNK_ROWS}. */
    public static void forEach(int n, long costPerRow, Body body) {
        forEach(n, DEFAULT_CHUNK_ROWS, costPerRow, body);
    }

    private static final class Task extends RecursiveAction {
        private final Body body;
        private final int n;
        private final int chunkRows;
        private final int from;
        private final int to;

        Task(Body body, int n, int chunkRows, int from, int to) {
            this.body = body;
            this.n = n;
            this.chunkRows = chunkRows;
            this.from = from;
            this.to = to;
        }

        @Override
        protected void compute() {
            if (to - from == 1) {
                body.run(from, from * chunkRows, Math.min(n, (from + 1) * chunkRows));
                return;
            }
            int mid = (from + to) >>> 1;
            invokeAll(new Task(body, n, chunkRows, from, mid), new Task(body, n, chunkRows, mid, to));
        }
    }
}
