package org.measureflow.core.io;

import java.io.IOException;

/**
 * A data file that cannot be read or written: missing, unreadable, malformed, holding values the requested kind of
 * data does not allow, or a write that failed. The message is one line in one of three forms, ready to print after
 * a program's name:
 * <ul>
 * <li>{@code file:line: problem} for text files, e.g. {@code a.csv:3: '2x' is not a decimal number (column 2)};</li>
 * <li>{@code file: offset N: problem} for binary files, {@code N} the byte offset from the start of the file (of
 *     the {@code .npy} entry inside an {@code .npz} archive), e.g.
 *     {@code a.npy: offset 20: header: data type '<c16' is not supported ...};</li>
 * <li>{@code file: problem} when the problem has no place in the file, e.g. {@code a.csv: no such file}.</li>
 * </ul>
 * An array inside an {@code .npz} archive is named {@code archive.npz[name]}. It is an {@link IOException}, so a
 * caller that does not tell bad data from other I/O failures can catch that alone; every failure to read or write a
 * file in this package is this subclass, with the underlying exception, if any, as its cause (bad arguments, such as
 * a null path or a non-finite value to write, are {@link IllegalArgumentException}s).
 */
public final class DataFileException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final long line;
    private final long offset;
    private final String problem;

    private DataFileException(String file, long line, long offset, String problem, Throwable cause) {
        super(message(file, line, offset, problem), cause);
        this.file = file;
        this.line = line;
        this.offset = offset;
        this.problem = problem;
    }

    private static String message(String file, long line, long offset, String problem) {
        if (line > 0) {
            return file + ":" + line + ": " + problem;
        }
        if (offset >= 0) {
            return file + ": offset " + offset + ": " + problem;
        }
        return file + ": " + problem;
    }

    /**
     * A problem on a line of a text file: message {@code file:line: problem}.
     *
     * @param file    the file as the user named it
     * @param line    the line, counted from 1
     * @param problem what is wrong, one line
     * @return the exception
     */
    public static DataFileException atLine(String file, long line, String problem) {
        if (line < 1) {
            throw new IllegalArgumentException("line must be >= 1, got " + line);
        }
        return new DataFileException(file, line, -1, problem, null);
    }

    /**
     * A problem at a byte offset of a binary file: message {@code file: offset N: problem}.
     *
     * @param file    the file as the user named it
     * @param offset  the byte offset, counted from 0
     * @param problem what is wrong, one line
     * @return the exception
     */
    public static DataFileException atOffset(String file, long offset, String problem) {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be >= 0, got " + offset);
        }
        return new DataFileException(file, 0, offset, problem, null);
    }

    /**
     * A problem with a file as a whole: message {@code file: problem}.
     *
     * @param file    the file as the user named it
     * @param problem what is wrong, one line
     * @return the exception
     */
    public static DataFileException of(String file, String problem) {
        return new DataFileException(file, 0, -1, problem, null);
    }

    /**
     * A failed operation on a file, caused by {@code cause}: message {@code file: problem}.
     *
     * @param file    the file as the user named it
     * @param problem what is wrong, one line
     * @param cause   the underlying exception
     * @return the exception
     */
    public static DataFileException of(String file, String problem, Throwable cause) {
        return new DataFileException(file, 0, -1, problem, cause);
    }

    /** The file as the user named it ({@code archive.npz[name]} for an array in an archive). */
    public String file() {
        return file;
    }

    /** The line of a text file, counted from 1; 0 when the problem is not on a line. */
    public long line() {
        return line;
    }

    /** The byte offset in a binary file, counted from 0; -1 when the problem is not at an offset. */
    public long offset() {
        return offset;
    }

    /** What is wrong, without the file and place. */
    public String problem() {
        return problem;
    }
}
