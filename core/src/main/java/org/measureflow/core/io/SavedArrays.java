package org.measureflow.core.io;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.measureflow.core.Arguments;
import org.measureflow.core.nn.Activation;

/**
 * The named arrays of a saved model, stored either as a NumPy {@code .npz} archive (entries {@code name.npy}) or as a
 * directory of {@code .npy} files (one file {@code name.npy} per array), read with the checks every model layout
 * needs: a format version, text arrays, whole-number sizes, shapes, finite entries, and no array the layout does not
 * name. The two forms hold the same arrays under the same names: NumPy reads the first with {@code np.load(path)}
 * and the second with one {@code np.load} per file.
 *
 * <p>Conventions of the layouts built on it. Every array is written as float64 (float32 and integer arrays are read
 * too, widened exactly, see {@link Npy}). A <em>text</em> array is a vector of the Unicode code points of a word of
 * lower-case ASCII letters, digits and {@code _}, 1 to 64 of them, which NumPy turns back into the word with
 * {@code ''.join(map(chr, z[name].astype(int)))}.
 *
 * <p>Every problem is a {@link DataFileException} whose message starts with the path (the archive, or the
 * directory) and names the array, e.g. {@code model.npz: layer1.weight has shape (3, 4), expected (3, 5)}; problems
 * inside one {@code .npy} file name that file, or the archive entry {@code archive.npz[name]}, with the byte offset.
 * A directory is read when the path is a directory, an archive otherwise; in a directory, files that do not end in
 * {@code .npy} are ignored.
 */
public final class SavedArrays {
    /** The longest text array. */
    private static final int MAX_TEXT = 64;

    private final Path path;
    private final boolean directory;
    private final List<String> names;

    private SavedArrays(Path path, boolean directory, List<String> names) {
        this.path = path;
        this.directory = directory;
        this.names = names;
    }

    /**
     * Opens saved arrays: the directory of {@code .npy} files when {@code path} is a directory, else the
     * {@code .npz} archive.
     *
     * @param path the archive or the directory
     * @return the arrays, listed (their data are read by the accessors)
     * @throws DataFileException if the path is missing or unreadable, or is neither a directory nor a zip archive
     */
    public static SavedArrays open(Path path) throws DataFileException {
        Arguments.notNull("path", path);
        if (Files.isDirectory(path)) {
            return new SavedArrays(path, true, Collections.unmodifiableList(directoryNames(path)));
        }
        return new SavedArrays(path, false, List.copyOf(Npz.names(path)));
    }

    /**
     * Writes arrays as an {@code .npz} archive (like {@code np.savez}), atomically.
     *
     * @param file   the archive (replaced if it exists)
     * @param arrays the arrays by name, in the order to write them
     * @throws IllegalArgumentException as {@link Npz#write(Path, Map)}
     * @throws DataFileException        if the file cannot be written (then it is left as it was)
     */
    public static void writeArchive(Path file, Map<String, NpyArray> arrays) throws DataFileException {
        Npz.write(file, arrays);
    }

    /**
     * Writes arrays as a directory of {@code .npy} files, {@code name.npy} for the array {@code name}, each written
     * atomically. The directory is created if missing; an existing one must hold no {@code .npy} file other than
     * those written (a file left from another model would be read as part of this one), and its other files are
     * left alone.
     *
     * @param directory the directory
     * @param arrays    the arrays by name; names are non-empty, without {@code /} or {@code \}
     * @throws IllegalArgumentException if {@code arrays} is empty or a name is not allowed
     * @throws DataFileException        if the directory cannot be created or written, or holds other {@code .npy}
     *                                  files
     */
    public static void writeDirectory(Path directory, Map<String, NpyArray> arrays) throws DataFileException {
        Arguments.notNull("directory", directory);
        Arguments.notNull("arrays", arrays);
        if (arrays.isEmpty()) {
            throw new IllegalArgumentException("arrays must not be empty");
        }
        for (Map.Entry<String, NpyArray> e : arrays.entrySet()) {
            String name = e.getKey();
            if (name == null || name.isEmpty() || name.contains("/") || name.contains("\\")) {
                throw new IllegalArgumentException("arrays: the name '" + name + "' is not allowed (non-empty, "
                        + "without / or \\)");
            }
            Arguments.notNull("arrays[" + name + "]", e.getValue());
        }
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw DataFileException.of(directory.toString(), "cannot create the directory ("
                    + FileAccess.describe(e) + ")", e);
        }
        List<String> others = new ArrayList<>(directoryNames(directory));
        others.removeAll(arrays.keySet());
        if (!others.isEmpty()) {
            throw DataFileException.of(directory.toString(), "holds .npy files of arrays not written now " + others
                    + " (they would be read as part of this model); remove them or choose an empty directory");
        }
        for (Map.Entry<String, NpyArray> e : arrays.entrySet()) {
            Npy.write(directory.resolve(e.getKey() + ".npy"), e.getValue());
        }
    }

    /** The names of the {@code .npy} files of a directory, without the extension, sorted. */
    private static List<String> directoryNames(Path directory) throws DataFileException {
        List<String> out = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.npy")) {
            for (Path f : files) {
                String n = f.getFileName().toString();
                if (Files.isRegularFile(f)) {
                    out.add(n.substring(0, n.length() - 4));
                }
            }
        } catch (IOException e) {
            throw FileAccess.readError(directory.toString(), e);
        }
        Collections.sort(out);
        return out;
    }

    /**
     * A text array: the vector of the code points of {@code word}.
     *
     * @param word lower-case ASCII letters, digits and {@code _}, 1 to 64 of them
     * @return the array
     * @throws IllegalArgumentException if {@code word} is null or breaks the rule
     */
    public static NpyArray text(String word) {
        Arguments.notNull("word", word);
        Arguments.inRange("word (length)", word.length(), 1, MAX_TEXT);
        double[] codes = new double[word.length()];
        for (int i = 0; i < codes.length; i++) {
            char c = word.charAt(i);
            if (!isTextCode(c)) {
                throw new IllegalArgumentException("word: '" + word + "' has '" + c + "' at " + i + "; a text array "
                        + "holds lower-case ASCII letters, digits and _");
            }
            codes[i] = c;
        }
        return NpyArray.vector(codes);
    }

    private static boolean isTextCode(double c) {
        return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_';
    }

    /** The archive or the directory, as given to {@link #open(Path)}. */
    public Path path() {
        return path;
    }

    /** Whether the arrays are a directory of {@code .npy} files (else an {@code .npz} archive). */
    public boolean isDirectory() {
        return directory;
    }

    /** The names of the arrays (archive order, or sorted for a directory). */
    public List<String> names() {
        return names;
    }

    /**
     * A problem with these arrays: a {@link DataFileException} whose message is {@code path: problem}.
     *
     * @param problem what is wrong, one line, naming the array
     * @return the exception, to throw
     */
    public DataFileException problem(String problem) {
        return DataFileException.of(path.toString(), problem);
    }

    /**
     * The array {@code name}, as stored.
     *
     * @param name the array's name
     * @return the array
     * @throws DataFileException if there is no such array (the message lists those there are) or it is not a
     *                           supported {@code .npy} array
     */
    public NpyArray array(String name) throws DataFileException {
        Arguments.notNull("name", name);
        if (!names.contains(name)) {
            throw problem("no array named '" + name + "'; " + (directory ? "the directory" : "the archive")
                    + " holds " + names);
        }
        return directory ? Npy.read(path.resolve(name + ".npy")) : Npz.read(path, name);
    }

    /**
     * The 1-D array {@code name}.
     *
     * @param name the array's name
     * @return the vector
     * @throws DataFileException as {@link #array(String)}, or if it is not 1-D
     */
    public NpyArray vector(String name) throws DataFileException {
        NpyArray a = array(name);
        if (a.dimensions() != 1) {
            throw problem(name + " has shape " + a.shapeText() + ", expected a vector");
        }
        return a;
    }

    /**
     * The one entry of the array {@code name} of shape {@code (1,)}.
     *
     * @param name the array's name
     * @return the entry
     * @throws DataFileException as {@link #array(String)}, or if the shape is not {@code (1,)}
     */
    public double scalar(String name) throws DataFileException {
        NpyArray a = vector(name);
        if (a.size() != 1) {
            throw problem(name + " has shape " + a.shapeText() + ", expected (1,)");
        }
        return a.entry(0, 0);
    }

    /**
     * Checks the array {@code format_version}: shape {@code (1,)} and the value {@code supported}.
     *
     * @param supported the version the caller reads
     * @throws DataFileException if the array is missing, misshapen or holds another version
     */
    public void requireVersion(int supported) throws DataFileException {
        double version = scalar("format_version");
        if (version != supported) {
            throw problem("format_version " + version + " is not supported (this version of measureflow reads "
                    + supported + ")");
        }
    }

    /**
     * The word of the text array {@code name} (see the class documentation).
     *
     * @param name the array's name
     * @return the word
     * @throws DataFileException as {@link #array(String)}, or if it is not a text array
     */
    public String word(String name) throws DataFileException {
        NpyArray a = vector(name);
        if (a.size() < 1 || a.size() > MAX_TEXT) {
            throw problem(name + " has " + a.size() + " characters, expected 1 to " + MAX_TEXT);
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < a.size(); i++) {
            double c = a.entry(i, 0);
            if (!isTextCode(c) || c != Math.rint(c)) {
                throw problem(name + "[" + i + "] is " + c + ", not the code of a lower-case letter, digit or _ (a "
                        + "text array holds code points)");
            }
            s.append((char) c);
        }
        return s.toString();
    }

    /**
     * The word of the text array {@code name}, which must be one of {@code allowed}.
     *
     * @param name    the array's name
     * @param allowed the words the layout allows
     * @return the word
     * @throws DataFileException as {@link #word(String)}, or if the word is not allowed
     */
    public String choice(String name, List<String> allowed) throws DataFileException {
        Arguments.notNull("allowed", allowed);
        String w = word(name);
        if (!allowed.contains(w)) {
            throw problem(name + " '" + w + "' is unknown (expected one of " + String.join(", ", allowed) + ")");
        }
        return w;
    }

    /**
     * The entries of the vector {@code name} as whole numbers in {@code [min, max]}.
     *
     * @param name the array's name
     * @param min  the least allowed entry
     * @param max  the largest allowed entry
     * @return the entries
     * @throws DataFileException as {@link #vector(String)}, or naming the first entry that is not a whole number in
     *                           range
     */
    public int[] wholeNumbers(String name, int min, int max) throws DataFileException {
        NpyArray a = vector(name);
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            double s = a.entry(i, 0);
            if (!(s >= min && s <= max && s == Math.rint(s))) {
                throw problem(name + "[" + i + "] is " + s + ", expected a whole number in [" + min + ", " + max
                        + "]");
            }
            out[i] = (int) s;
        }
        return out;
    }

    /**
     * Copies the array {@code name}, checked, into {@code into[offset ..]}: it must have shape {@code (rows,)}
     * when {@code cols} is -1, else {@code (rows, cols)}, and finite entries.
     *
     * @param name   the array's name
     * @param rows   the expected first extent
     * @param cols   the expected second extent, or -1 for a vector
     * @param into   the destination
     * @param offset where the entries go, row-major
     * @return {@code offset} plus the number of entries copied
     * @throws DataFileException as {@link #array(String)}, or naming the shape found and expected, or the first
     *                           non-finite entry and its flat index
     */
    public int copyFinite(String name, int rows, int cols, double[] into, int offset) throws DataFileException {
        Arguments.notNull("into", into);
        NpyArray a = array(name);
        boolean vector = cols < 0;
        if (a.dimensions() != (vector ? 1 : 2) || a.rows() != rows || (!vector && a.cols() != cols)) {
            throw problem(name + " has shape " + a.shapeText() + ", expected "
                    + (vector ? "(" + rows + ",)" : "(" + rows + ", " + cols + ")"));
        }
        double[] data = a.shared();
        for (int i = 0; i < data.length; i++) {
            if (!Double.isFinite(data[i])) {
                throw problem(name + " holds " + data[i] + " at flat index " + i + " (parameters must be finite)");
            }
        }
        if (offset < 0 || (long) offset + data.length > into.length) {
            throw new IllegalArgumentException("into: no room for the " + data.length + " entries of " + name
                    + " at offset " + offset + " (length " + into.length + ")");
        }
        System.arraycopy(data, 0, into, offset, data.length);
        return offset + data.length;
    }

    /**
     * The activation named by the text array {@code name}: the lower-case name of an {@link Activation} constant
     * ({@code relu}, {@code tanh}, {@code sigmoid}, {@code silu}).
     *
     * @param name the array's name
     * @return the activation
     * @throws DataFileException as {@link #choice(String, List)}
     */
    public Activation activation(String name) throws DataFileException {
        List<String> words = new ArrayList<>();
        for (Activation a : Activation.values()) {
            words.add(a.name().toLowerCase(Locale.ROOT));
        }
        return Activation.values()[words.indexOf(choice(name, words))];
    }

    /**
     * Rejects any array the layout does not name: the layout has the arrays {@code fixed} and, for each layer
     * \( l = 0, \ldots, \text{layers} - 1 \), the arrays {@code layer<l><suffix>} (e.g. {@code layer0.weight});
     * {@code l} is written in decimal without leading zeros.
     *
     * @param fixed    the names of the arrays outside the layers
     * @param layers   the number of layers the file declares
     * @param suffixes the suffixes of a layer's arrays
     * @param why      the reason to add to the message, e.g. {@code layer_sizes declare 2 layers}
     * @throws DataFileException naming the first array that is not in the layout
     */
    public void requireOnly(Set<String> fixed, int layers, List<String> suffixes, String why)
            throws DataFileException {
        Arguments.notNull("fixed", fixed);
        Arguments.notNull("suffixes", suffixes);
        for (String name : names) {
            if (!fixed.contains(name) && !isLayerArray(name, layers, suffixes)) {
                throw problem("unexpected array '" + name + "' (" + why + ")");
            }
        }
    }

    /** Whether {@code name} is {@code layer<l><suffix>} with {@code 0 <= l < layers}, {@code l} in plain decimal. */
    private static boolean isLayerArray(String name, int layers, List<String> suffixes) {
        if (!name.startsWith("layer")) {
            return false;
        }
        for (String suffix : suffixes) {
            if (name.endsWith(suffix) && name.length() > 5 + suffix.length()) {
                String digits = name.substring(5, name.length() - suffix.length());
                boolean plain = digits.length() <= 9 && digits.chars().allMatch(c -> c >= '0' && c <= '9')
                        && (digits.length() == 1 || digits.charAt(0) != '0');
                if (plain && Integer.parseInt(digits) < layers) {
                    return true;
                }
            }
        }
        return false;
    }

    /** One line: {@code SavedArrays[model.npz, archive, 8 arrays]}. */
    @Override
    public String toString() {
        return "SavedArrays[" + path + ", " + (directory ? "directory" : "archive") + ", " + names.size()
                + " arrays]";
    }
}
