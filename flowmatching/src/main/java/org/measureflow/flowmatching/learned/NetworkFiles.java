package org.measureflow.flowmatching.learned;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.measureflow.core.Arguments;
import org.measureflow.core.io.DataFileException;
import org.measureflow.core.io.NpyArray;
import org.measureflow.core.io.Npz;
import org.measureflow.core.nn.Activation;
import org.measureflow.flowmatching.interpolant.Interpolant;

/**
 * Saves and loads trained networks as NumPy {@code .npz} archives ({@code np.load} reads them), so that a model
 * trained here can be evaluated elsewhere. The layout, format version 1, for an {@link Mlp}
 * \( f_\theta = L_K \circ \sigma \circ \cdots \circ \sigma \circ L_1 \), \( L_l(a) = W_l a + b_l \), with widths
 * \( n_0, \ldots, n_K \) (every array float64; a "text" array holds the Unicode code points of a lower-case ASCII
 * word, read in NumPy by {@code ''.join(map(chr, z[name].astype(int)))}):
 *
 * <table>
 * <caption>Arrays of a saved network</caption>
 * <tr><th>array</th><th>shape</th><th>content</th></tr>
 * <tr><td>{@code format_version}</td><td>(1,)</td><td>1</td></tr>
 * <tr><td>{@code layer_sizes}</td><td>(K+1,)</td><td>\( n_0, \ldots, n_K \), input first</td></tr>
 * <tr><td>{@code activation}</td><td>text</td><td>{@code relu}, {@code tanh}, {@code sigmoid} or {@code silu}
 *     ({@link Activation}), applied after every layer but the last</td></tr>
 * <tr><td>{@code time_embedding}</td><td>text</td><td>{@code none} for a bare network; {@code append} for a
 *     velocity field \( v(t, x) = f_\theta(x_1, \ldots, x_d, t) \), \( n_0 = d + 1 \), \( n_K = d \): the time
 *     enters as itself, as the last input</td></tr>
 * <tr><td>{@code layer<l>.weight}, \( l = 0, \ldots, K-1 \)</td><td>\( (n_{l+1}, n_l) \)</td><td>\( W_{l+1} \),
 *     row-major (C order), so that NumPy's {@code W @ a} is the layer</td></tr>
 * <tr><td>{@code layer<l>.bias}</td><td>\( (n_{l+1},) \)</td><td>\( b_{l+1} \)</td></tr>
 * </table>
 *
 * <p>Writing then reading gives the same parameters bit for bit (float64 stores every double exactly), hence the
 * same velocities bit for bit. Reading checks everything: the version, that every array listed above is there with
 * its shape and no other array, whole positive widths, a known activation and time embedding, finite weights. A
 * file that breaks a rule is a {@link DataFileException} whose message names the file and the problem (e.g.
 * {@code model.npz: layer1.weight has shape (3, 4), expected (3, 5)}). The interpolant of a velocity field is not
 * stored (the velocity does not depend on it); it is given again on reading. docs/models.md shows the layout with
 * a NumPy function that evaluates a saved velocity field.
 */
public final class NetworkFiles {
    /** The format version this class writes and reads. */
    public static final int FORMAT_VERSION = 1;
    /** The widest layer a file may declare (a guard against hostile sizes; far beyond any network trained here). */
    private static final int MAX_WIDTH = 1 << 24;
    private static final String NONE = "none";
    private static final String APPEND = "append";

    private NetworkFiles() {
    }

    /**
     * Writes a bare network (time embedding {@code none}), atomically.
     *
     * @param file    the archive (replaced if it exists)
     * @param network the network
     * @throws DataFileException if the file cannot be written
     */
    public static void write(Path file, Mlp network) throws DataFileException {
        Arguments.notNull("file", file);
        Arguments.notNull("network", network);
        write(file, network, NONE);
    }

    /**
     * Writes the network of a velocity field (time embedding {@code append}), atomically.
     *
     * @param file  the archive (replaced if it exists)
     * @param field the field
     * @throws DataFileException if the file cannot be written
     */
    public static void write(Path file, MlpVelocityField field) throws DataFileException {
        Arguments.notNull("file", file);
        Arguments.notNull("field", field);
        write(file, field.network(), APPEND);
    }

    /**
     * Reads a network (of either time embedding: a velocity field's file gives its network \( f_\theta \)).
     *
     * @param file the archive
     * @return the network
     * @throws DataFileException if the file cannot be read or breaks the layout
     */
    public static Mlp readNetwork(Path file) throws DataFileException {
        Arguments.notNull("file", file);
        return read(file, null);
    }

    /**
     * Reads a velocity field: a file with time embedding {@code append}.
     *
     * @param file        the archive
     * @param interpolant the interpolant the field was trained with
     * @return the field
     * @throws DataFileException if the file cannot be read, breaks the layout or holds a bare network
     */
    public static MlpVelocityField readVelocityField(Path file, Interpolant interpolant) throws DataFileException {
        Arguments.notNull("file", file);
        Arguments.notNull("interpolant", interpolant);
        Mlp network = read(file, APPEND);
        return MlpVelocityField.of(network, interpolant);
    }

    private static void write(Path file, Mlp network, String embedding) throws DataFileException {
        int[] sizes = network.layerSizes();
        double[] theta = network.liveParameters();
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        arrays.put("format_version", NpyArray.vector(new double[]{FORMAT_VERSION}));
        double[] widths = new double[sizes.length];
        for (int l = 0; l < sizes.length; l++) {
            widths[l] = sizes[l];
        }
        arrays.put("layer_sizes", NpyArray.vector(widths));
        arrays.put("activation", text(network.activation().name().toLowerCase(Locale.ROOT)));
        arrays.put("time_embedding", text(embedding));
        for (int l = 0; l + 1 < sizes.length; l++) {
            int w = network.weightOffset(l);
            int b = network.biasOffset(l);
            double[] weight = new double[b - w];
            System.arraycopy(theta, w, weight, 0, weight.length);
            double[] bias = new double[sizes[l + 1]];
            System.arraycopy(theta, b, bias, 0, bias.length);
            arrays.put("layer" + l + ".weight", NpyArray.matrix(weight, sizes[l + 1], sizes[l]));
            arrays.put("layer" + l + ".bias", NpyArray.vector(bias));
        }
        Npz.write(file, arrays);
    }

    private static NpyArray text(String word) {
        double[] codes = new double[word.length()];
        for (int i = 0; i < codes.length; i++) {
            codes[i] = word.charAt(i);
        }
        return NpyArray.vector(codes);
    }

    /** Reads and checks a file; {@code embedding} is the required time embedding, or null for any. */
    private static Mlp read(Path file, String embedding) throws DataFileException {
        String where = file.toString();
        List<String> names = Npz.names(file);
        double version = scalar(file, "format_version");
        if (version != FORMAT_VERSION) {
            throw DataFileException.of(where, "format_version " + version + " is not supported (this version of "
                    + "measureflow reads " + FORMAT_VERSION + ")");
        }
        NpyArray sizeArray = vector(file, "layer_sizes");
        if (sizeArray.size() < 2) {
            throw DataFileException.of(where, "layer_sizes has " + sizeArray.size()
                    + " entries, expected at least 2 (an input and an output width)");
        }
        int[] sizes = new int[sizeArray.size()];
        for (int l = 0; l < sizes.length; l++) {
            double s = sizeArray.entry(l, 0);
            if (!(s >= 1 && s <= MAX_WIDTH && s == Math.rint(s))) {
                throw DataFileException.of(where, "layer_sizes[" + l + "] is " + s + ", expected a whole number in [1, "
                        + MAX_WIDTH + "]");
            }
            sizes[l] = (int) s;
        }
        long parameters = 0;
        for (int l = 0; l + 1 < sizes.length; l++) {
            parameters += (long) sizes[l + 1] * sizes[l] + sizes[l + 1];
        }
        if (parameters > Integer.MAX_VALUE - 8) {
            throw DataFileException.of(where, "layer_sizes give " + parameters + " parameters, more than an array "
                    + "holds");
        }
        String activationName = word(file, "activation");
        Activation activation = null;
        for (Activation a : Activation.values()) {
            if (a.name().toLowerCase(Locale.ROOT).equals(activationName)) {
                activation = a;
            }
        }
        if (activation == null) {
            throw DataFileException.of(where, "activation '" + activationName + "' is unknown (expected one of "
                    + "relu, tanh, sigmoid, silu)");
        }
        String timeEmbedding = word(file, "time_embedding");
        if (!timeEmbedding.equals(NONE) && !timeEmbedding.equals(APPEND)) {
            throw DataFileException.of(where, "time_embedding '" + timeEmbedding + "' is unknown (expected none or "
                    + "append)");
        }
        int layers = sizes.length - 1;
        if (timeEmbedding.equals(APPEND) && sizes[0] != sizes[layers] + 1) {
            throw DataFileException.of(where, "time_embedding 'append' needs an input width one more than the "
                    + "output width, got layer_sizes " + sizes[0] + " ... " + sizes[layers]);
        }
        if (embedding != null && !embedding.equals(timeEmbedding)) {
            throw DataFileException.of(where, "time_embedding is '" + timeEmbedding + "': the file holds a bare "
                    + "network, not a velocity field (expected '" + embedding + "')");
        }
        Set<String> expected = new HashSet<>(List.of("format_version", "layer_sizes", "activation",
                "time_embedding"));
        for (int l = 0; l < layers; l++) {
            expected.add("layer" + l + ".weight");
            expected.add("layer" + l + ".bias");
        }
        for (String name : names) {
            if (!expected.contains(name)) {
                throw DataFileException.of(where, "unexpected array '" + name + "' (layer_sizes declare " + layers
                        + " layers)");
            }
        }
        double[] theta = new double[(int) parameters];
        int off = 0;
        for (int l = 0; l < layers; l++) {
            off = copyChecked(file, "layer" + l + ".weight", 2, sizes[l + 1], sizes[l], theta, off);
            off = copyChecked(file, "layer" + l + ".bias", 1, sizes[l + 1], 1, theta, off);
        }
        return Mlp.sharing(sizes, activation, theta);
    }

    /** Checks the shape and finiteness of one array and copies it to {@code theta[off ..]}; returns the new end. */
    private static int copyChecked(Path file, String name, int dimensions, int rows, int cols, double[] theta,
                                   int off) throws DataFileException {
        NpyArray a = Npz.read(file, name);
        if (a.dimensions() != dimensions || a.rows() != rows || a.cols() != cols) {
            throw DataFileException.of(file.toString(), name + " has shape " + shape(a.shape()) + ", expected "
                    + shape(dimensions == 1 ? new int[]{rows} : new int[]{rows, cols}));
        }
        double[] data = a.data();
        for (int i = 0; i < data.length; i++) {
            if (!Double.isFinite(data[i])) {
                throw DataFileException.of(file.toString(), name + " holds " + data[i] + " at flat index " + i
                        + " (weights must be finite)");
            }
        }
        System.arraycopy(data, 0, theta, off, data.length);
        return off + data.length;
    }

    private static String shape(int[] shape) {
        return shape.length == 1 ? "(" + shape[0] + ",)" : "(" + shape[0] + ", " + shape[1] + ")";
    }

    private static NpyArray vector(Path file, String name) throws DataFileException {
        NpyArray a = Npz.read(file, name);
        if (a.dimensions() != 1) {
            throw DataFileException.of(file.toString(), name + " has shape " + shape(a.shape())
                    + ", expected a vector");
        }
        return a;
    }

    private static double scalar(Path file, String name) throws DataFileException {
        NpyArray a = vector(file, name);
        if (a.size() != 1) {
            throw DataFileException.of(file.toString(), name + " has shape " + shape(a.shape()) + ", expected (1,)");
        }
        return a.entry(0, 0);
    }

    /** A text array: a vector of code points of lower-case ASCII letters and digits, at most 64 of them. */
    private static String word(Path file, String name) throws DataFileException {
        NpyArray a = vector(file, name);
        if (a.size() < 1 || a.size() > 64) {
            throw DataFileException.of(file.toString(), name + " has " + a.size() + " characters, expected 1 to 64");
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < a.size(); i++) {
            double c = a.entry(i, 0);
            boolean letterOrDigit = c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_';
            if (!letterOrDigit || c != Math.rint(c)) {
                throw DataFileException.of(file.toString(), name + "[" + i + "] is " + c + ", not the code of a "
                        + "lower-case letter, digit or _ (a text array holds code points)");
            }
            s.append((char) c);
        }
        return s.toString();
    }
}
