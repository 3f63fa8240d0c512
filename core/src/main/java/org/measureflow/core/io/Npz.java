package org.measureflow.core.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import org.measureflow.core.Arguments;

/**
 * Reads and writes NumPy's {@code .npz} archives: a zip file whose entries {@code name.npy} are {@code .npy} files
 * (see {@link Npy} for their format), as {@code np.savez} (entries stored) and {@code np.savez_compressed} (entries
 * deflated) write them and {@code np.load} reads them. The array {@code name} is the entry {@code name.npy}.
 *
 * <p>Reading takes one named array at a time, with every rule of {@link Npy#read(Path)}; since the size an archive
 * claims for an entry cannot be trusted, the array grows as its data are inflated, so a header that claims more
 * entries than the entry holds allocates no more than twice what is there. Writing stores the entries uncompressed,
 * like {@code np.savez}, in the order given, with a fixed time stamp (so equal arrays give equal bytes), atomically
 * (see {@link DataFiles}).
 *
 * <p>Problems are {@link DataFileException}s naming {@code archive.npz} for the archive as a whole and
 * {@code archive.npz[name]} with the byte offset in the entry for an array.
 */
public final class Npz {
    /** The time stamp of written entries: the earliest a zip file can store, 1980-01-01 00:00. */
    private static final LocalDateTime TIME = LocalDateTime.of(1980, 1, 1, 0, 0);

    private Npz() {
    }

    /**
     * The names of the arrays in an archive, in archive order (entries named {@code name.npy} give {@code name};
     * other entries, which NumPy does not write, keep their whole name).
     *
     * @param file the archive
     * @return the names
     * @throws DataFileException if the file is missing, unreadable or not a zip archive
     */
    public static List<String> names(Path file) throws DataFileException {
        Arguments.notNull("file", file);
        try (ZipFile zip = open(file)) {
            return names(zip);
        } catch (IOException e) {
            throw FileAccess.readError(file.toString(), e);
        }
    }

    /**
     * Reads the array {@code name} of an archive.
     *
     * @param file the archive
     * @param name the array's name (the entry {@code name.npy})
     * @return the array
     * @throws DataFileException if the archive cannot be read, has no such array (the message lists the names it
     *                           has), or the entry is not a supported {@code .npy} array (see {@link Npy})
     */
    public static NpyArray read(Path file, String name) throws DataFileException {
        return table(file, name).toArray();
    }

    /**
     * Writes arrays to an {@code .npz} archive (entries {@code name.npy}, stored), atomically.
     *
     * @param file   the archive (replaced if it exists)
     * @param arrays the arrays by name, in the order to write them; names are non-empty, without {@code /} or
     *               {@code \}
     * @throws IllegalArgumentException if {@code arrays} is empty or a name is not allowed
     * @throws DataFileException        if the file cannot be written (then it is left as it was)
     */
    public static void write(Path file, Map<String, NpyArray> arrays) throws DataFileException {
        Arguments.notNull("file", file);
        Arguments.notNull("arrays", arrays);
        if (arrays.isEmpty()) {
            throw new IllegalArgumentException("arrays must not be empty");
        }
        Map<String, FileAccess.Body> entries = new LinkedHashMap<>();
        for (Map.Entry<String, NpyArray> e : arrays.entrySet()) {
            NpyArray array = Arguments.notNull("arrays[" + e.getKey() + "]", e.getValue());
            entries.put(e.getKey(), out -> Npy.writeDoubles(out, array.shared(), Npy.shape(array)));
        }
        writeEntries(file, entries);
    }

    /** Writes entries {@code name.npy} with the given contents, stored, atomically. */
    static void writeEntries(Path file, Map<String, FileAccess.Body> entries) throws DataFileException {
        for (String name : entries.keySet()) {
            if (name == null || name.isEmpty() || name.contains("/") || name.contains("\\")) {
                throw new IllegalArgumentException("arrays: the name '" + name + "' is not allowed (non-empty, "
                        + "without / or \\)");
            }
        }
        FileAccess.writeAtomically(file, out -> {
            ZipOutputStream zip = new ZipOutputStream(out);
            for (Map.Entry<String, FileAccess.Body> e : entries.entrySet()) {
                Measured measured = new Measured();
                e.getValue().write(measured);
                ZipEntry entry = new ZipEntry(e.getKey() + ".npy");
                entry.setMethod(ZipEntry.STORED);
                entry.setSize(measured.size);
                entry.setCompressedSize(measured.size);
                entry.setCrc(measured.crc.getValue());
                entry.setTimeLocal(TIME);
                zip.putNextEntry(entry);
                e.getValue().write(zip);
                zip.closeEntry();
            }
            zip.finish();
        });
    }

    /** Reads an array of an archive with what is needed to report problems with its entries. */
    static Table table(Path file, String name) throws DataFileException {
        Arguments.notNull("file", file);
        Arguments.notNull("name", name);
        String where = file + "[" + name + "]";
        try (ZipFile zip = open(file)) {
            ZipEntry entry = zip.getEntry(name + ".npy");
            if (entry == null) {
                entry = zip.getEntry(name);
            }
            if (entry == null || entry.isDirectory()) {
                throw DataFileException.of(file.toString(), "no array named '" + name + "'; the archive holds "
                        + names(zip));
            }
            try (InputStream in = zip.getInputStream(entry)) {
                return Npy.read(where, in, -1);
            }
        } catch (IOException e) {
            throw FileAccess.readError(file.toString(), e);
        }
    }

    private static ZipFile open(Path file) throws DataFileException {
        FileAccess.size(file);
        try {
            return new ZipFile(file.toFile());
        } catch (ZipException e) {
            throw DataFileException.of(file.toString(), "not an .npz file: it is not a zip archive ("
                    + FileAccess.describe(e) + ")", e);
        } catch (IOException e) {
            throw FileAccess.readError(file.toString(), e);
        }
    }

    private static List<String> names(ZipFile zip) {
        List<String> names = new ArrayList<>();
        for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
            ZipEntry entry = e.nextElement();
            if (!entry.isDirectory()) {
                String n = entry.getName();
                names.add(n.endsWith(".npy") ? n.substring(0, n.length() - 4) : n);
            }
        }
        return names;
    }

    /** Counts and checksums the bytes written to it (a stored entry needs its size and CRC before its data). */
    private static final class Measured extends OutputStream {
        final CRC32 crc = new CRC32();
        long size;

        @Override
        public void write(int b) {
            crc.update(b);
            size++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            crc.update(b, off, len);
            size += len;
        }
    }
}
