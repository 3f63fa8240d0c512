package org.measureflow.core.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Opening files for reading with one-line errors, and writing them atomically: the bytes go to a temporary file in
 * the target's directory, which is flushed to the device and then renamed over the target, so a reader sees either
 * the old file or the complete new one, and a failed write leaves the old file (or no file) in place.
 */
final class FileAccess {
    private static final AtomicLong TEMPORARY = new AtomicLong();

    private FileAccess() {
    }

    /** Writes the content of a file to a stream. */
    interface Body {
        void write(OutputStream out) throws IOException;
    }

    /** The file's lower-case extension without the dot ({@code ""} without one). */
    static String extension(Path file) {
        Path name = file.getFileName();
        String s = name == null ? "" : name.toString();
        int dot = s.lastIndexOf('.');
        return dot < 0 ? "" : s.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /** The size of a regular file that can be read; a missing file or a directory is a one-line error. */
    static long size(Path file) throws DataFileException {
        String name = file.toString();
        try {
            if (Files.isDirectory(file)) {
                throw DataFileException.of(name, "is a directory, not a data file");
            }
            return Files.size(file);
        } catch (DataFileException e) {
            throw e;
        } catch (IOException e) {
            throw readError(name, e);
        }
    }

    /** Opens a regular file for reading; a missing file or a directory is a one-line error. */
    static InputStream open(Path file) throws DataFileException {
        size(file);
        try {
            return Files.newInputStream(file);
        } catch (IOException e) {
            throw readError(file.toString(), e);
        }
    }

    /** A failure to read, as one line: {@code no such file}, {@code permission denied}, or the exception's text. */
    static DataFileException readError(String name, IOException e) {
        if (e instanceof DataFileException d) {
            return d;
        }
        if (e instanceof NoSuchFileException) {
            return DataFileException.of(name, "no such file", e);
        }
        if (e instanceof AccessDeniedException) {
            return DataFileException.of(name, "permission denied", e);
        }
        return DataFileException.of(name, "cannot read (" + describe(e) + ")", e);
    }

    /** {@code SimpleName: message}, or the simple name alone. */
    static String describe(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }

    /**
     * Writes {@code file} atomically: {@code body} writes into a new temporary file next to it, which is forced to
     * the device and moved over {@code file} with {@link StandardCopyOption#ATOMIC_MOVE} (or, where the file system
     * cannot move atomically or not over an existing file, with
     * {@link StandardCopyOption#REPLACE_EXISTING}). On any failure, the temporary file
     * is deleted and {@code file} is left as it was.
     */
    static void writeAtomically(Path file, Body body) throws DataFileException {
        String name = file.toString();
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        if (Files.isDirectory(target)) {
            throw DataFileException.of(name, "cannot write: it is a directory");
        }
        if (dir == null || !Files.isDirectory(dir)) {
            throw DataFileException.of(name, "cannot write: the directory " + dir + " does not exist");
        }
        Path temporary = null;
        boolean moved = false;
        try {
            temporary = createTemporary(dir, target.getFileName().toString());
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE);
                 OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16)) {
                body.write(out);
                out.flush();
                channel.force(true);
            }
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
                // no atomic rename here, or one that will not replace an existing file
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
        } catch (AccessDeniedException e) {
            throw DataFileException.of(name, "cannot write: permission denied (" + e.getFile() + ")", e);
        } catch (IOException e) {
            throw DataFileException.of(name, "cannot write (" + describe(e) + ")", e);
        } finally {
            if (!moved && temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException ignored) {
                    // the write has failed already; that failure is what the caller needs to see
                }
            }
        }
    }

    /** A new empty file {@code .name.<pid>-<k>.tmp} in {@code dir}, with the permissions a new file gets. */
    private static Path createTemporary(Path dir, String name) throws IOException {
        long pid = ProcessHandle.current().pid();
        while (true) {
            Path candidate = dir.resolve("." + name + "." + pid + "-" + TEMPORARY.incrementAndGet() + ".tmp");
            try {
                Files.newByteChannel(candidate, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return candidate;
            } catch (FileAlreadyExistsException e) {
                // another process of the same id wrote here before: try the next number
            }
        }
    }
}
