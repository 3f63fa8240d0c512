package org.measureflow.spark;

import org.apache.spark.sql.SparkSession;

/**
 * The one local SparkSession of all test classes (surefire runs them in one JVM): two threads, and up to four
 * attempts per task ({@code local[2,4]}), so that the injected failures of first attempts are retried.
 */
final class SparkTestSession {
    private static SparkSession session;

    private SparkTestSession() {
    }

    static synchronized SparkSession get() {
        if (session == null) {
            session = SparkSession.builder()
                    .master("local[2,4]")
                    .appName("measureflow-spark tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.sql.shuffle.partitions", "2")
                    .getOrCreate();
            Runtime.getRuntime().addShutdownHook(new Thread(session::stop));
        }
        return session;
    }
}
