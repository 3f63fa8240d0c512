package org.measureflow.core.velocity;

import java.util.List;

import org.measureflow.core.Arguments;
import org.measureflow.core.TextSummary;
import org.measureflow.core.iteration.Convergence;
import org.measureflow.core.iteration.IterativeResult;

/**
 * The least-effort fields along a density path ({@link LeastEffort#solve(DensityPath)}): one
 * {@link LeastEffortResult} per reconstruction node, joined in time by a {@link PathField}.
 *
 * @param field       the time-dependent field (linear in time between the nodes)
 * @param nodes       the result at each node, in time order (the nodes solved: an observer that stops the run ends
 *                    the path at the node it stopped)
 * @param action      \( \int E(t)\,dt \) over the path by the quadrature of its nodes (the midpoint rule over the
 *                    intervals when the rates are finite differences, the trapezoid rule over the path times when
 *                    the derivatives were given): the Benamou&ndash;Brenier action of the path, \( W_2^2 \) for a
 *                    geodesic on \( [0,1] \)
 * @param convergence over all nodes: the total number of iterations, the largest relative residual, and
 *                    {@code CONVERGED} only if every node converged (else the first failure's termination)
 */
public record LeastEffortPathResult(PathField field, List<LeastEffortResult> nodes, double action,
                                    Convergence convergence) implements IterativeResult {
    /** Validates and copies the list. */
    public LeastEffortPathResult {
        Arguments.notNull("field", field);
        Arguments.notNull("convergence", convergence);
        nodes = List.copyOf(Arguments.notNull("nodes", nodes));
    }

    /** The kinetic energy at each node. */
    public double[] kineticEnergies() {
        return nodes.stream().mapToDouble(LeastEffortResult::kineticEnergy).toArray();
    }

    /** One line: the nodes, the action and how the iterations ended. */
    @Override
    public String toString() {
        return "LeastEffortPathResult[" + nodes.size() + " nodes, " + field.grid() + ", action="
                + TextSummary.number(action) + ", kineticEnergies=" + TextSummary.array(kineticEnergies()) + ", "
                + convergence + "]";
    }
}
