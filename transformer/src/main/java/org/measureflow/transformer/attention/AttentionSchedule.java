package org.measureflow.transformer.attention;

import java.util.List;

import org.measureflow.core.Arguments;

/**
 * Depth-dependent attention parameters \( t \mapsto (Q_t, K_t, V_t) \) (survey eq. 28 with time-dependent
 * parameters; in eq. 26 layer \( \ell \) uses the parameters at depth \( t_\ell = \ell / L \)).
 *
 * <p>{@link #at(double)} is called once per field evaluation and must be cheap and allocation-free: return
 * prebuilt {@link Attention} objects (as {@link #constant(Attention)} and {@link #layers(double, List)} do), and
 * be safe to call from several threads. The schedules made by the factories below describe themselves in one
 * line ({@code toString()}).
 */
@FunctionalInterface
public interface AttentionSchedule {
    /**
     * The attention layer at depth (time) {@code t}. Must return a non-null layer of a fixed dimension.
     *
     * @param t the depth
     * @return the layer at that depth
     */
    Attention at(double t);

    /**
     * The same layer at every depth.
     *
     * @param attention the layer
     * @return the schedule
     * @throws IllegalArgumentException if {@code attention} is null
     */
    static AttentionSchedule constant(Attention attention) {
        return new ConstantAttentionSchedule(Arguments.notNull("attention", attention));
    }

    /**
     * The one-head layer {@code head} at every depth.
     *
     * @param head the head
     * @return the schedule
     * @throws IllegalArgumentException if {@code head} is null
     */
    static AttentionSchedule constant(AttentionHead head) {
        return constant(Attention.of(Arguments.notNull("head", head)));
    }

    /**
     * Piecewise-constant parameters, one layer per slice of depth: with \( L \) = {@code layers.size()} and
     * depth \( T \), layer \( \ell \) (0-based) acts on \( [\ell T / L, (\ell+1) T / L) \); depths below 0 use the
     * first layer and depths from \( T \) on the last. With {@code depth = 1} and a discrete transformer of
     * \( L \) layers, layer \( \ell \) of eq. 26 sees exactly {@code layers.get(l)}.
     *
     * @param depth  \( T \), finite and {@code > 0}
     * @param layers the layers \( \ell = 0..L-1 \), at least one, all of one dimension
     * @return the schedule
     * @throws IllegalArgumentException if {@code depth} is not positive, the list is empty or holds null, or the
     *                                  layers have different dimensions
     */
    static AttentionSchedule layers(double depth, List<Attention> layers) {
        Arguments.positive("depth", depth);
        Arguments.nonEmpty("layers", layers);
        Attention[] list = Arguments.noNulls("layers", layers.toArray(new Attention[0]));
        for (int l = 1; l < list.length; l++) {
            Arguments.sameDimension("layers[" + l + "]", list[l].dimension(), list[0].dimension(), "layers[0]");
        }
        return new LayeredAttentionSchedule(depth, list);
    }
}
