package org.measureflow.transformer.attention;

import java.util.List;

import org.measureflow.core.Arguments;

/**
 * One multi-head attention layer: the heads \( (Q_h, K_h, V_h) \), \( h = 1..H \), whose outputs are summed,
 * \[ v(x;\mu) = \sum_{h=1}^H V_h \frac{\int e^{\langle Q_h x, K_h y\rangle} y\, d\mu(y)}
 * {\int e^{\langle Q_h x, K_h y\rangle} d\mu(y)} \]
 * (survey eq. 27 with several heads; the survey's remark after eq. 26 on multi-head attention). All heads act on
 * the same dimension \( d \). Made by {@link #of(AttentionHead...)} (the heads are required); immutable.
 */
public final class Attention {
    private final AttentionHead[] heads;
    private final int d;

    private Attention(AttentionHead[] heads) {
        this.heads = heads;
        this.d = heads[0].dimension();
    }

    /**
     * The layer summing the given heads.
     *
     * @throws IllegalArgumentException if there is no head, a head is null, or the heads have different dimensions
     */
    public static Attention of(AttentionHead... heads) {
        AttentionHead[] copy = Arguments.noNulls("heads", Arguments.nonEmpty("heads", heads).clone());
        for (int h = 1; h < copy.length; h++) {
            Arguments.sameDimension("heads[" + h + "]", copy[h].dimension(), copy[0].dimension(), "heads[0]");
        }
        return new Attention(copy);
    }

    /** The layer summing the given heads; see {@link #of(AttentionHead...)}. */
    public static Attention of(List<AttentionHead> heads) {
        Arguments.notNull("heads", heads);
        return of(heads.toArray(new AttentionHead[0]));
    }

    /** The token dimension \( d \). */
    public int dimension() {
        return d;
    }

    /** The number of heads \( H \). */
    public int size() {
        return heads.length;
    }

    /**
     * Head number {@code h}.
     *
     * @param h the index, {@code 0 <= h < size()}
     * @return the head
     * @throws IllegalArgumentException if {@code h} is out of range
     */
    public AttentionHead head(int h) {
        return heads[Arguments.index("h", h, heads.length)];
    }

    /** The heads, in order (an unmodifiable list). */
    public List<AttentionHead> heads() {
        return List.of(heads);
    }

    /** One line: the dimension and the number of heads, e.g. {@code Attention[d=2, heads=3]}. */
    @Override
    public String toString() {
        return "Attention[d=" + d + ", heads=" + heads.length + "]";
    }
}
