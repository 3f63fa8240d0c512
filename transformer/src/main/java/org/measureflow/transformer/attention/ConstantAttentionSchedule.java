package org.measureflow.transformer.attention;

/** The schedule of {@link AttentionSchedule#constant(Attention)}: one layer at every depth. */
final class ConstantAttentionSchedule implements AttentionSchedule {
    private final Attention attention;

    ConstantAttentionSchedule(Attention attention) {
        this.attention = attention;
    }

    @Override
    public Attention at(double t) {
        return attention;
    }

    @Override
    public String toString() {
        return "constant " + attention;
    }
}
