package org.measureflow.transformer.attention;

/** The schedule of {@link AttentionSchedule#layers(double, java.util.List)}: one layer per slice of depth. */
final class LayeredAttentionSchedule implements AttentionSchedule {
    private final double depth;
    private final Attention[] layers;

    /** The layers are validated by the caller and not copied again. */
    LayeredAttentionSchedule(double depth, Attention[] layers) {
        this.depth = depth;
        this.layers = layers;
    }

    @Override
    public Attention at(double t) {
        int count = layers.length;
        // the small relative nudge keeps t = l T / L, computed with rounding, inside slice l
        double u = t / depth * count * (1 + 1e-12);
        int l = u < 0 || Double.isNaN(u) ? 0 : (int) Math.min(count - 1, Math.floor(u));
        return layers[l];
    }

    @Override
    public String toString() {
        return layers.length + " layers over depth " + depth + " (" + layers[0] + " first)";
    }
}
