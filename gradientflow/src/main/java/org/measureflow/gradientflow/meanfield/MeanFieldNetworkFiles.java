package org.measureflow.gradientflow.meanfield;

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
import org.measureflow.core.measure.ParticleMeasure;

/**
 * Saves and loads the mean-field networks of this package, {@link TwoLayerNetwork} and {@link ResidualNetwork}, as
 * NumPy {@code .npz} archives or as directories of {@code .npy} files (one per array, the same names; see
 * {@link SavedArrays}), so that a network trained here can be evaluated elsewhere. Every array is float64; a
 * "text" array holds the code points of a lower-case word. Format version 1; docs/models.md gives the layouts
 * with a NumPy function that evaluates each network.
 *
 * <p><b>Two-layer network</b> (survey eq. 20) with \( N \) neurons \( (a_i, w_i, b_i) \) in dimension \( d \),
 * \( f(x) = \sum_i c_i\, a_i\, \sigma(\langle w_i, x\rangle + b_i) \), where \( c_i = \mu_i \) (the neuron's mass in
 * the measure \( \mu \), \( 1/N \) for uniform masses) in the mean-field scaling and \( c_i = N^{-1/2} \) in the lazy
 * one ({@link Scaling}):
 * <table>
 * <caption>Arrays of a saved two-layer network</caption>
 * <tr><th>array</th><th>shape</th><th>content</th></tr>
 * <tr><td>{@code format_version}</td><td>(1,)</td><td>1</td></tr>
 * <tr><td>{@code network}</td><td>text</td><td>{@code two_layer}</td></tr>
 * <tr><td>{@code activation}</td><td>text</td><td>{@code relu}, {@code tanh}, {@code sigmoid} or
 *     {@code silu}</td></tr>
 * <tr><td>{@code scaling}</td><td>text</td><td>{@code mean_field} or {@code lazy}</td></tr>
 * <tr><td>{@code a}</td><td>(N,)</td><td>output weights \( a_i \)</td></tr>
 * <tr><td>{@code w}</td><td>(N, d)</td><td>input weights, row \( i \) is \( w_i \); its shape gives
 *     \( N \) and \( d \)</td></tr>
 * <tr><td>{@code b}</td><td>(N,)</td><td>biases \( b_i \)</td></tr>
 * <tr><td>{@code masses}</td><td>(N,)</td><td>\( \mu_i \), non-negative, summing to 1 (all \( 1/N \) in the lazy
 *     scaling)</td></tr>
 * </table>
 *
 * <p><b>Residual network</b> (survey eq. 24) of depth \( L \), state dimension \( d \), hidden width \( h \),
 * \( x_{l+1} = x_l + \frac1L U_l\, \sigma(W_l x_l + b_l) \), \( l = 0, \ldots, L-1 \) (the \( 1/L \) is not stored:
 * it follows from \( L \)):
 * <table>
 * <caption>Arrays of a saved residual network</caption>
 * <tr><th>array</th><th>shape</th><th>content</th></tr>
 * <tr><td>{@code format_version}</td><td>(1,)</td><td>1</td></tr>
 * <tr><td>{@code network}</td><td>text</td><td>{@code residual}</td></tr>
 * <tr><td>{@code activation}</td><td>text</td><td>as above</td></tr>
 * <tr><td>{@code sizes}</td><td>(3,)</td><td>\( d, h, L \)</td></tr>
 * <tr><td>{@code layer<l>.w}</td><td>(h, d)</td><td>\( W_l \)</td></tr>
 * <tr><td>{@code layer<l>.b}</td><td>(h,)</td><td>\( b_l \)</td></tr>
 * <tr><td>{@code layer<l>.u}</td><td>(d, h)</td><td>\( U_l \)</td></tr>
 * </table>
 *
 * <p>Writing then reading gives the same parameters bit for bit (masses included, kept as they were normalised), hence
 * the same outputs bit for bit. Reading checks everything and names the file and the array in a
 * {@link DataFileException}: the version, the kind of network, every array there with its shape and no other,
 * known words, whole positive sizes, finite parameters, masses that are a probability vector (uniform in the lazy
 * scaling).
 */
public final class MeanFieldNetworkFiles {
    /** The format version this class writes and reads. */
    public static final int FORMAT_VERSION = 1;
    /** The largest size a file may declare (a guard against hostile sizes; far beyond any network trained here). */
    private static final int MAX_SIZE = 1 << 24;
    private static final String TWO_LAYER = "two_layer";
    private static final String RESIDUAL = "residual";

    private MeanFieldNetworkFiles() {
    }

    /**
     * Writes a two-layer network as an {@code .npz} archive, atomically.
     *
     * @param file    the archive (replaced if it exists)
     * @param network the network
     * @throws DataFileException if the file cannot be written
     */
    public static void write(Path file, TwoLayerNetwork network) throws DataFileException {
        Arguments.notNull("file", file);
        SavedArrays.writeArchive(file, arrays(Arguments.notNull("network", network)));
    }

    /**
     * Writes a residual network as an {@code .npz} archive, atomically.
     *
     * @param file    the archive (replaced if it exists)
     * @param network the network
     * @throws DataFileException if the file cannot be written
     */
    public static void write(Path file, ResidualNetwork network) throws DataFileException {
        Arguments.notNull("file", file);
        SavedArrays.writeArchive(file, arrays(Arguments.notNull("network", network)));
    }

    /**
     * Writes a two-layer network as a directory of {@code .npy} files, one per array.
     *
     * @param directory the directory (created if missing; it must hold no other {@code .npy} files)
     * @param network   the network
     * @throws DataFileException if the directory cannot be written or holds other {@code .npy} files
     */
    public static void writeDirectory(Path directory, TwoLayerNetwork network) throws DataFileException {
        Arguments.notNull("directory", directory);
        SavedArrays.writeDirectory(directory, arrays(Arguments.notNull("network", network)));
    }

    /**
     * Writes a residual network as a directory of {@code .npy} files, one per array.
     *
     * @param directory the directory (created if missing; it must hold no other {@code .npy} files)
     * @param network   the network
     * @throws DataFileException if the directory cannot be written or holds other {@code .npy} files
     */
    public static void writeDirectory(Path directory, ResidualNetwork network) throws DataFileException {
        Arguments.notNull("directory", directory);
        SavedArrays.writeDirectory(directory, arrays(Arguments.notNull("network", network)));
    }

    private static Map<String, NpyArray> header(String kind, String activation) {
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        arrays.put("format_version", NpyArray.vector(new double[]{FORMAT_VERSION}));
        arrays.put("network", SavedArrays.text(kind));
        arrays.put("activation", SavedArrays.text(activation.toLowerCase(Locale.ROOT)));
        return arrays;
    }

    private static Map<String, NpyArray> arrays(TwoLayerNetwork network) {
        ParticleMeasure neurons = network.neurons();
        int n = neurons.size();
        int d = network.inputDimension();
        Map<String, NpyArray> arrays = header(TWO_LAYER, network.activation().name());
        arrays.put("scaling", SavedArrays.text(network.scaling().name().toLowerCase(Locale.ROOT)));
        double[] a = new double[n];
        double[] w = new double[n * d];
        double[] b = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = neurons.coordinate(i, 0);
            for (int c = 0; c < d; c++) {
                w[i * d + c] = neurons.coordinate(i, 1 + c);
            }
            b[i] = neurons.coordinate(i, d + 1);
        }
        arrays.put("a", NpyArray.vector(a));
        arrays.put("w", NpyArray.matrix(w, n, d));
        arrays.put("b", NpyArray.vector(b));
        arrays.put("masses", NpyArray.vector(neurons.weights()));
        return arrays;
    }

    private static Map<String, NpyArray> arrays(ResidualNetwork network) {
        int d = network.dimension();
        int h = network.hiddenWidth();
        int layers = network.layers();
        Map<String, NpyArray> arrays = header(RESIDUAL, network.activation().name());
        arrays.put("sizes", NpyArray.vector(new double[]{d, h, layers}));
        double[] theta = network.parameters();
        int p = ResidualNetwork.layerSize(d, h);
        for (int l = 0; l < layers; l++) {
            int off = l * p;
            arrays.put("layer" + l + ".w", NpyArray.matrix(slice(theta, off, h * d), h, d));
            arrays.put("layer" + l + ".b", NpyArray.vector(slice(theta, off + h * d, h)));
            arrays.put("layer" + l + ".u", NpyArray.matrix(slice(theta, off + h * d + h, d * h), d, h));
        }
        return arrays;
    }

    private static double[] slice(double[] a, int from, int length) {
        double[] out = new double[length];
        System.arraycopy(a, from, out, 0, length);
        return out;
    }

    /** Opens saved arrays and checks the version and the kind of network. */
    private static SavedArrays open(Path file, String kind) throws DataFileException {
        SavedArrays saved = SavedArrays.open(file);
        saved.requireVersion(FORMAT_VERSION);
        String found = saved.choice("network", List.of(TWO_LAYER, RESIDUAL));
        if (!found.equals(kind)) {
            throw saved.problem("network is '" + found + "', expected '" + kind + "' (read it with read"
                    + (found.equals(TWO_LAYER) ? "TwoLayer" : "Residual") + ")");
        }
        return saved;
    }

    /**
     * Reads a two-layer network.
     *
     * @param file the archive, or a directory of {@code .npy} files
     * @return the network, bit for bit the one written
     * @throws DataFileException if the file cannot be read or breaks the layout
     */
    public static TwoLayerNetwork readTwoLayer(Path file) throws DataFileException {
        Arguments.notNull("file", file);
        SavedArrays saved = open(file, TWO_LAYER);
        var activation = saved.activation("activation");
        Scaling scaling = saved.choice("scaling", List.of("mean_field", "lazy")).equals("lazy")
                ? Scaling.LAZY : Scaling.MEAN_FIELD;
        saved.requireOnly(Set.of("format_version", "network", "activation", "scaling", "a", "w", "b", "masses"), 0,
                List.of(), "a two-layer network has the arrays format_version, network, activation, scaling, a, w, "
                        + "b, masses");
        NpyArray w = saved.array("w");
        if (w.dimensions() != 2 || w.rows() < 1 || w.cols() < 1) {
            throw saved.problem("w has shape " + w.shapeText() + ", expected (N, d) with N >= 1 and d >= 1");
        }
        int n = w.rows();
        int d = w.cols();
        int dim = d + 2;
        if ((long) n * dim > Integer.MAX_VALUE - 8) {
            throw saved.problem("w has shape " + w.shapeText() + ": N * (d + 2) parameters are more than an array holds");
        }
        for (String vector : List.of("a", "b", "masses")) {
            NpyArray v = saved.array(vector);
            if (v.dimensions() != 1 || v.rows() != n) {
                throw saved.problem(vector + " has shape " + v.shapeText() + ", expected (" + n + ",): N is the "
                        + "number of rows of w");
            }
        }
        double[] a = new double[n];
        double[] weights = new double[n * d];
        double[] b = new double[n];
        double[] masses = new double[n];
        saved.copyFinite("a", n, -1, a, 0);
        saved.copyFinite("w", n, d, weights, 0);
        saved.copyFinite("b", n, -1, b, 0);
        saved.copyFinite("masses", n, -1, masses, 0);
        double[] theta = new double[n * dim];
        boolean uniform = true;
        for (int i = 0; i < n; i++) {
            theta[i * dim] = a[i];
            System.arraycopy(weights, i * d, theta, i * dim + 1, d);
            theta[i * dim + dim - 1] = b[i];
            uniform &= masses[i] == 1.0 / n;
        }
        ParticleMeasure neurons;
        if (uniform) {
            neurons = ParticleMeasure.fromFlat(theta, dim);
        } else if (scaling == Scaling.LAZY) {
            throw saved.problem("masses are not all 1/N = " + 1.0 / n + ", which the lazy scaling needs");
        } else {
            try {
                neurons = ParticleMeasure.fromFlatNormalised(theta, dim, masses);
            } catch (IllegalArgumentException e) {
                throw saved.problem("masses are not a probability vector: " + e.getMessage());
            }
        }
        return TwoLayerNetwork.of(neurons, activation, scaling);
    }

    /**
     * Reads a residual network.
     *
     * @param file the archive, or a directory of {@code .npy} files
     * @return the network, bit for bit the one written
     * @throws DataFileException if the file cannot be read or breaks the layout
     */
    public static ResidualNetwork readResidual(Path file) throws DataFileException {
        Arguments.notNull("file", file);
        SavedArrays saved = open(file, RESIDUAL);
        var activation = saved.activation("activation");
        int[] sizes = saved.wholeNumbers("sizes", 1, MAX_SIZE);
        if (sizes.length != 3) {
            throw saved.problem("sizes has " + sizes.length + " entries, expected 3 (d, h, L)");
        }
        int d = sizes[0];
        int h = sizes[1];
        int layers = sizes[2];
        long perLayer = (2L * d + 1) * h;
        if (perLayer * layers > Integer.MAX_VALUE - 8) {
            throw saved.problem("sizes give " + perLayer * layers + " parameters, more than an array holds");
        }
        saved.requireOnly(Set.of("format_version", "network", "activation", "sizes"), layers,
                List.of(".w", ".b", ".u"), "sizes declare " + layers + " layers");
        double[] theta = new double[(int) (perLayer * layers)];
        int off = 0;
        for (int l = 0; l < layers; l++) {
            off = saved.copyFinite("layer" + l + ".w", h, d, theta, off);
            off = saved.copyFinite("layer" + l + ".b", h, -1, theta, off);
            off = saved.copyFinite("layer" + l + ".u", d, h, theta, off);
        }
        return ResidualNetwork.of(d, h, layers, activation, theta);
    }
}
