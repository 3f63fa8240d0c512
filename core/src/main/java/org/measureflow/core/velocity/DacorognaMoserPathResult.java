package org.measureflow.core.velocity;

import java.util.List;

import org.measureflow.core.Arguments;
import org.measureflow.core.TextSummary;

/**
 * The Dacorogna&ndash;Moser fields along a density path ({@link DacorognaMoser#solve(DensityPath)}): one
 * {@link DacorognaMoserResult} per reconstruction node, joined in time by a {@link PathField}.
 *
 * @param field  the time-dependent field (linear in time between the nodes)
 * @param nodes  the result at each node, in time order
 * @param action \( \int E(t)\,dt \) over the path by the quadrature of its nodes (see
 *               {@link LeastEffortPathResult#action()}); no smaller than the least-effort action of the same path
 *               up to the floored cells' share, and often much larger (see
 *               {@link DacorognaMoserResult#kineticEnergy()})
 */
public record DacorognaMoserPathResult(PathField field, List<DacorognaMoserResult> nodes, double action) {
    /** Validates and copies the list. */
    public DacorognaMoserPathResult {
        Arguments.notNull("field", field);
        nodes = List.copyOf(Arguments.notNull("nodes", nodes));
    }

    /** The kinetic energy at each node. */
    public double[] kineticEnergies() {
        return nodes.stream().mapToDouble(DacorognaMoserResult::kineticEnergy).toArray();
    }

    /** One line: the nodes and the action. */
    @Override
    public String toString() {
        return "DacorognaMoserPathResult[" + nodes.size() + " nodes, " + field.grid() + ", action="
                + TextSummary.number(action) + ", kineticEnergies=" + TextSummary.array(kineticEnergies()) + "]";
    }
}
