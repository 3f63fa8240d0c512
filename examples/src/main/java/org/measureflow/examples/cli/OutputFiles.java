package org.measureflow.examples.cli;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The output files of one run, written atomically. Each target is declared (and checked) before the run: its
 * directory must exist and be writable, it must not be a directory, and no two outputs may share a file. After the
 * run each file is written to a temporary file in the target's directory and, once every one is written, moved over
 * its target ({@link StandardCopyOption#ATOMIC_MOVE}, replacing an existing file). A failed run therefore leaves no
 * partial file and never replaces a good one; {@link #close()} deletes whatever temporary file is left.
 */
public final class OutputFiles implements AutoCloseable {
    /** Writes one output to the given (temporary) path. */
    @FunctionalInterface
    public interface Writer {
        /** Writes the content to {@code file}. */
        void write(Path file) throws IOException;
    }

    /** A declared output: the option that named it, its target and, once written, its temporary file. */
    public static final class Output {
        private final String option;
        private final Path target;
        private Path temporary;

        private Output(String option, Path target) {
            this.option = option;
            this.target = target;
        }

        /** The file this output ends up in. */
        public Path target() {
            return target;
        }
    }

    private final List<Output> outputs = new ArrayList<>();

    /** No outputs yet: {@link #declare} them. */
    public OutputFiles() {
    }

    /**
     * Declares the output {@code file} named by {@code option}.
     *
     * @throws CommandFailure (bad input) if the directory is missing or not writable, the file is a directory, or
     *                        another output already names it
     */
    public Output declare(String option, Path file) {
        Path target = file.toAbsolutePath().normalize();
        Path dir = target.getParent();
        if (dir == null || target.getFileName() == null) {
            throw CommandFailure.badInput(option + " " + file + ": not a file name");
        }
        if (!Files.isDirectory(dir)) {
            throw CommandFailure.badInput(option + " " + file + ": the directory " + dir + " does not exist "
                    + "(create it first)");
        }
        if (Files.isDirectory(target)) {
            throw CommandFailure.badInput(option + " " + file + ": is a directory, not a file");
        }
        if (!Files.isWritable(dir)) {
            throw CommandFailure.badInput(option + " " + file + ": cannot write in the directory " + dir);
        }
        if (Files.exists(target) && !Files.isWritable(target)) {
            throw CommandFailure.badInput(option + " " + file + ": the file exists and is not writable");
        }
        for (Output o : outputs) {
            if (o.target.equals(target)) {
                throw CommandFailure.badInput(String.format(Locale.ROOT, "%s and %s both write %s", o.option,
                        option, file));
            }
        }
        Output output = new Output(option, target);
        outputs.add(output);
        return output;
    }

    /**
     * Writes {@code output} to a new temporary file beside its target.
     *
     * @throws CommandFailure (bad input) naming the file if it cannot be written
     */
    public void write(Output output, Writer writer) {
        try {
            output.temporary = temporaryBeside(output.target);
            writer.write(output.temporary);
        } catch (IOException e) {
            throw CommandFailure.badInput(output.option + ": cannot write " + output.target + ": "
                    + describe(e));
        }
    }

    /**
     * Moves every written output over its target, atomically where the file system allows it.
     *
     * @throws CommandFailure (bad input) naming the file if one cannot be moved
     */
    public void commit() {
        for (Output o : outputs) {
            if (o.temporary == null) {
                continue;
            }
            try {
                try {
                    Files.move(o.temporary, o.target, StandardCopyOption.ATOMIC_MOVE,
                            StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(o.temporary, o.target, StandardCopyOption.REPLACE_EXISTING);
                }
                o.temporary = null;
            } catch (IOException e) {
                throw CommandFailure.badInput(o.option + ": cannot write " + o.target + ": " + describe(e));
            }
        }
    }

    /**
     * Writes one file atomically: to a temporary file beside it, then moved over it.
     *
     * @throws IOException naming the file if it cannot be written
     */
    public static void writeAtomically(Path file, Writer writer) throws IOException {
        try (OutputFiles files = new OutputFiles()) {
            files.write(files.declare("file", file), writer);
            files.commit();
        } catch (CommandFailure e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** Deletes the temporary files not moved into place (after a failure). */
    @Override
    public void close() {
        for (Output o : outputs) {
            if (o.temporary != null) {
                try {
                    Files.deleteIfExists(o.temporary);
                } catch (IOException e) {
                    // best effort: a leftover hidden .part file is harmless
                }
                o.temporary = null;
            }
        }
    }

    /**
     * A new empty file {@code .<name>.<pid>-<k>.part.<ext>} in the target's directory (it keeps the target's
     * extension, by which the data writers choose the format), created with the default permissions (those the
     * target would get), unlike {@link Files#createTempFile}'s owner-only ones.
     */
    private static Path temporaryBeside(Path target) throws IOException {
        String name = target.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String extension = dot > 0 ? name.substring(dot) : "";
        String stem = "." + name + "." + ProcessHandle.current().pid() + "-";
        for (int k = 0; ; k++) {
            try {
                return Files.createFile(target.resolveSibling(stem + k + ".part" + extension));
            } catch (FileAlreadyExistsException e) {
                if (k >= 1000) {
                    throw e;
                }
            }
        }
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : " (" + m + ")");
    }
}
