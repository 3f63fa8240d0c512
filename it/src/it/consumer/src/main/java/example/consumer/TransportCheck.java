package example.consumer;

import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.flowmatching.interpolant.LinearInterpolant;
import org.measureflow.ot.sinkhorn.SinkhornSolver;

/** Compiles against the installed jars: entropic OT between two clouds and a flow-matching interpolant. */
public final class TransportCheck {

    private TransportCheck() {
    }

    /** The Sinkhorn transport cost between two three-point clouds, and the linear interpolant's weights. */
    public static void main(String[] args) {
        ParticleMeasure x = ParticleMeasure.of(new double[][] {{0, 0}, {1, 0}, {0, 1}});
        ParticleMeasure y = ParticleMeasure.of(new double[][] {{2, 0}, {3, 1}, {2, 2}});
        double cost = SinkhornSolver.of(0.1).solve(x, y).cost();
        LinearInterpolant path = LinearInterpolant.instance();
        System.out.println(cost + " " + path.alpha(0.25) + " " + path.beta(0.25));
    }
}
