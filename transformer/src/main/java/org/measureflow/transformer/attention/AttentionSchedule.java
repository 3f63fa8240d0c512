package org.measureflow.transformer.attention;

import java.util.List;

import org.measureflow.core.Arguments;

/**
 * Depth-dependent attention parameters \( t \mapsto (Q_t, K_t, V_t) \) (survey eq. 28 with time-dependent
 * parameters; in eq. 26 layer \( \ell \) uses the parameters at depth \( t_\ell = \ell / L \)).
 *
 * <p>{@link #at(double)} is called once per field evaluation and must be cheap and allocation-free: return
 * prebuilt {@link Attention} objects (as {@link #constant(Attention)} and {@link #layers(double, List)} do), and
 * be safe to call from several threads.
 */
@FunctionalInterface
public interface AttentionSchedule {
    /** The attention layer at depth (time) {@code t}. Must return a non-null layer of a fixed dimension. */
    Attention at(double t);

    /** The same layer at every depth. */
    static AttentionSchedule constant(Attention attention) {
        Arguments.notNull("attention", attention);
        return t -> attention;
    }

    /** The one-head layer {@code head} at every depth. */
    static AttentionSchedule constant(AttentionHead head) {
        return constant(Attention.of(head));
    }

    /**
     * Piecewise-constant parameters, one layer per slice of depth: with \( L \) = {@code layers.size()} and
     * depth \( T \), layer \( \ell \) (0-based) acts on \( [\ell T / L, (\ell+1) T / L) \); depths below 0 use the
     * first layer and depths from \( T \) on the last. With {@code depth = 1} and a discrete transformer of
     * \( L \) layers, layer \( \ell \) of eq. 26 sees exactly {@code layers.get(l)}.
     *
     * @throws IllegalArgumentException if {@code depth} is not positive, the list is empty or holds null, or the
     *                                  layers have different dimensions
     */
    static AttentionSchedule layers(double depth, List<Attention> layers) {
        Arguments.positive("depth", depth);
        Arguments.notNull("layers", layers);
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("layers must not be empty");
        }
        Attention[] list = layers.toArray(new Attention[0]);
        for (int l = 0; l < list.length; l++) {
            Arguments.notNull("layers[" + l + "]", list[l]);
            if (list[l].dimension() != list[0].dimension()) {
                throw new IllegalArgumentException("layers[" + l + "] has dimension " + list[l].dimension()
                        + ", expected " + list[0].dimension());
            }
        }
        int count = list.length;
        return t -> {
            // the small relative nudge keeps t = l T / L, computed with rounding, inside slice l
            double u = t / depth * count * (1 + 1e-12);
            int l = u < 0 || Double.isNaN(u) ? 0 : (int) Math.min(count - 1, Math.floor(u));
            return list[l];
        };
    }
}
