package org.measureflow.spark;

import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.TaskContext;

/**
 * How a failed Spark job reaches the caller, and the test-only hook that fails first attempts of tasks.
 *
 * <p>A task that meets bad input throws an {@link IllegalArgumentException} naming the pair and the problem; Spark
 * retries it, gives up after {@code spark.task.maxFailures} attempts and throws a {@code SparkException} on the
 * driver (a checked exception, thrown without being declared) whose message holds the executor's stack trace. {@link #rethrown} finds the
 * {@link IllegalArgumentException} among the causes (or, when the cause was not kept, the line after
 * {@code java.lang.IllegalArgumentException:} in the message) and throws it again as one line.
 */
final class SparkErrors {
    /**
     * The local property (set with {@code SparkContext.setLocalProperty} on the thread that runs the job) that makes
     * the first attempt of the listed partitions fail halfway through their pairs: a comma-separated list of
     * partition ids. For tests of retries; never set it otherwise.
     */
    static final String FAIL_FIRST_ATTEMPT = "measureflow.spark.test.failFirstAttemptOfPartitions";

    private static final String IAE = IllegalArgumentException.class.getName() + ": ";

    private SparkErrors() {
    }

    /** The exception to throw on the driver for a failed job: an {@link IllegalArgumentException} if bad input. */
    static RuntimeException rethrown(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof IllegalArgumentException) {
                return new IllegalArgumentException(t.getMessage(), e);
            }
        }
        String message = String.valueOf(e.getMessage());
        int at = message.indexOf(IAE);
        if (at >= 0) {
            return new IllegalArgumentException(firstLine(message.substring(at + IAE.length())), e);
        }
        return e instanceof RuntimeException r ? r : new IllegalStateException(firstLine(e), e);
    }

    /** The first line of a message (Spark's messages carry stack traces after it). */
    static String firstLine(Throwable e) {
        return firstLine(String.valueOf(e.getMessage()));
    }

    static String firstLine(String message) {
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    /** Whether the test hook asks this attempt of this task to fail. */
    static boolean injectedFailure() {
        TaskContext tc = TaskContext.get();
        if (tc == null || tc.attemptNumber() != 0) {
            return false;
        }
        String list = tc.getLocalProperty(FAIL_FIRST_ATTEMPT);
        if (list == null || list.isBlank()) {
            return false;
        }
        Set<Integer> ids = new TreeSet<>();
        for (String s : list.split(",")) {
            ids.add(Integer.parseInt(s.trim()));
        }
        return ids.contains(tc.partitionId());
    }
}
