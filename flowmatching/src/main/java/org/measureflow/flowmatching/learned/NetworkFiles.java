package org.measureflow.flowmatching.learned;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.measureflow.core.Arguments;
import org.measureflow.core.io.DataFileException;
import org.measureflow.core.io.NpyArray;
import org.measureflow.core.io.SavedArrays;
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
 *
 * <p>The same arrays can be written as a directory of {@code .npy} files ({@link #writeDirectory(Path, Mlp)}:
 * {@code format_version.npy}, {@code layer_sizes.npy}, ..., {@code layer0.weight.npy}, ...), each read by
 * {@code np.load}; the readers take either form (a directory when the path is one). The files and checks are those
 * of {@link SavedArrays}.
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
     * @param file the archive, or a directory of {@code .npy} files
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
     * @param file        the archive, or a directory of {@code .npy} files
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

    /**
     * Writes a bare network (time embedding {@code none}) as a directory of {@code .npy} files, one per array of
     * the layout ({@code layer0.weight.npy}, ...), as {@link SavedArrays#writeDirectory} does.
     *
     * @param directory the directory (created if missing; it must hold no other {@code .npy} files)
     * @param network   the network
     * @throws DataFileException if the directory cannot be written or holds other {@code .npy} files
     */
    public static void writeDirectory(Path directory, Mlp network) throws DataFileException {
        Arguments.notNull("directory", directory);
        Arguments.notNull("network", network);
        SavedArrays.writeDirectory(directory, arrays(network, NONE));
    }

    /**
     * Writes the network of a velocity field (time embedding {@code append}) as a directory of {@code .npy}
     * files, one per array of the layout.
     *
     * @param directory the directory (created if missing; it must hold no other {@code .npy} files)
     * @param field     the field
     * @throws DataFileException if the directory cannot be written or holds other {@code .npy} files
     */
    public static void writeDirectory(Path directory, MlpVelocityField field) throws DataFileException {
        Arguments.notNull("directory", directory);
        Arguments.notNull("field", field);
        SavedArrays.writeDirectory(directory, arrays(field.network(), APPEND));
    }

    private static void write(Path file, Mlp network, String embedding) throws DataFileException {
        SavedArrays.writeArchive(file, arrays(network, embedding));
    }

    private static Map<String, NpyArray> arrays(Mlp network, String embedding) {
        int[] sizes = network.layerSizes();
        double[] theta = network.liveParameters();
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        arrays.put("format_version", NpyArray.vector(new double[]{FORMAT_VERSION}));
        double[] widths = new double[sizes.length];
        for (int l = 0; l < sizes.length; l++) {
            widths[l] = sizes[l];
        }
        arrays.put("layer_sizes", NpyArray.vector(widths));
        arrays.put("activation", SavedArrays.text(network.activation().name().toLowerCase(Locale.ROOT)));
        arrays.put("time_embedding", SavedArrays.text(embedding));
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
        return arrays;
    }

    /** Reads and checks a file; {@code embedding} is the required time embedding, or null for any. */
    private static Mlp read(Path file, String embedding) throws DataFileException {
        SavedArrays saved = SavedArrays.open(file);
        saved.requireVersion(FORMAT_VERSION);
        int[] sizes = saved.wholeNumbers("layer_sizes", 1, MAX_WIDTH);
        if (sizes.length < 2) {
            throw saved.problem("layer_sizes has " + sizes.length
                    + " entries, expected at least 2 (an input and an output width)");
        }
        long parameters = 0;
        for (int l = 0; l + 1 < sizes.length; l++) {
            parameters += (long) sizes[l + 1] * sizes[l] + sizes[l + 1];
        }
        if (parameters > Integer.MAX_VALUE - 8) {
            throw saved.problem("layer_sizes give " + parameters + " parameters, more than an array holds");
        }
        Activation activation = saved.activation("activation");
        String timeEmbedding = saved.choice("time_embedding", List.of(NONE, APPEND));
        int layers = sizes.length - 1;
        if (timeEmbedding.equals(APPEND) && sizes[0] != sizes[layers] + 1) {
            throw saved.problem("time_embedding 'append' needs an input width one more than the output width, got "
                    + "layer_sizes " + sizes[0] + " ... " + sizes[layers]);
        }
        if (embedding != null && !embedding.equals(timeEmbedding)) {
            throw saved.problem("time_embedding is '" + timeEmbedding + "': the file holds a bare network, not a "
                    + "velocity field (expected '" + embedding + "')");
        }
        saved.requireOnly(Set.of("format_version", "layer_sizes", "activation", "time_embedding"), layers,
                List.of(".weight", ".bias"), "layer_sizes declare " + layers + " layers");
        double[] theta = new double[(int) parameters];
        int off = 0;
        for (int l = 0; l < layers; l++) {
            off = saved.copyFinite("layer" + l + ".weight", sizes[l + 1], sizes[l], theta, off);
            off = saved.copyFinite("layer" + l + ".bias", sizes[l + 1], -1, theta, off);
        }
        return Mlp.sharing(sizes, activation, theta);
    }
}
