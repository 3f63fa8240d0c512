package org.measureflow.examples;

import java.nio.file.Path;

/**
 * One demonstration run by {@code mflow tour}: it computes something on built-in data, writes its pictures into
 * an output directory, and reports its numbers. Implementations are stateless and register themselves in
 * {@link Demos#all()}.
 */
public interface TourDemo {
    /**
     * A short stable identifier, used in messages and as the stem of the picture files (for instance
     * {@code core-linear-flow}); lower case, digits and dashes.
     */
    String name();

    /**
     * Runs the demo.
     *
     * @param outDir existing directory that receives the pictures
     * @param quiet  {@code true} to show no progress bar
     * @return the picture file names (relative to {@code outDir}), two lines of explanation and the numbers
     * @throws Exception if the demo fails; the tour reports it in one line and exits with status 1
     */
    DemoResult run(Path outDir, boolean quiet) throws Exception;

    /**
     * Whether the demo shows its own progress bar (fed by its integrator or trainer). The tour shows an
     * indeterminate one, after a second, for demos that do not.
     */
    default boolean reportsProgress() {
        return false;
    }
}
