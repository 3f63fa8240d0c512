package org.measureflow.gradientflow.particles;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.measureflow.core.iteration.IterationStatus;
import org.measureflow.core.iteration.Termination;
import org.measureflow.core.measure.GaussianMeasure;
import org.measureflow.core.measure.ParticleMeasure;
import org.measureflow.core.ode.EulerMaruyama;
import org.measureflow.core.ode.StepObserver;
import org.measureflow.gradientflow.energy.InteractionEnergy;
import org.measureflow.gradientflow.energy.ParticleEnergy;
import org.measureflow.gradientflow.energy.Potential;
import org.measureflow.gradientflow.energy.PotentialEnergy;
import org.measureflow.testing.RandomInputs;
import org.measureflow.testing.Rejections;

/** {@link ImplicitParticleStep} and {@link Langevin} in the API dialect: withers, observers, results. */
class ImplicitParticleStepTest {
    private static final ParticleEnergy STIFF = PotentialEnergy.of(Potential.quadratic(
            new DMatrixRMaj(new double[][]{{1000, 0}, {0, 1}}), new double[2]));

    @Test
    void withersChangeOneSettingAndLeaveTheOriginalAlone() {
        ImplicitParticleStep a = ImplicitParticleStep.of(0.1);
        ImplicitParticleStep b = a.withTolerance(1e-6).withMaxIterations(7).withTau(0.2);
        assertEquals(0.1, a.tau());
        assertEquals(1e-10, a.tolerance());
        assertEquals(10_000L, a.maxIterations());
        assertEquals(0.2, b.tau());
        assertEquals(1e-6, b.tolerance());
        assertEquals(7L, b.maxIterations());
        assertEquals("ImplicitParticleStep[tau=0.1, tolerance=1e-10, maxIterations=10000]", a.toString());
        Rejections.assertRejected("tau", () -> ImplicitParticleStep.of(-1));
        Rejections.assertRejected("maxIterations", () -> a.withMaxIterations(0));
    }

    @Test
    void theObserverSeesEveryInnerIterationAndCanStopTheStep() {
        ParticleMeasure x0 = RandomInputs.pointCloud(new SplittableRandom(5), 30, 2);
        ImplicitParticleStep step = ImplicitParticleStep.of(0.1);
        List<IterationStatus> seen = new ArrayList<>();
        ImplicitStepResult full = step.step(x0, STIFF, s -> seen.add(s));
        assertTrue(full.converged(), full.toString());
        assertEquals(full.iterations(), seen.size());
        assertEquals(full.error(), seen.get(seen.size() - 1).error(), 0.0);
        assertTrue(full.toString().startsWith("ImplicitStepResult[n=30, d=2, converged in "), full.toString());

        ImplicitStepResult stopped = step.step(x0, STIFF, s -> s.iteration() < 2);
        assertEquals(2, stopped.iterations());
        assertEquals(Termination.STOPPED, stopped.termination());
        assertTrue(stopped.toString().contains("NOT CONVERGED"), stopped.toString());

        ImplicitStepResult limited = step.withMaxIterations(2).step(x0, STIFF);
        assertEquals(Termination.ITERATION_LIMIT, limited.termination());
    }

    @Test
    void theFlowReportsOneStatusPerStep() {
        ParticleMeasure x0 = RandomInputs.pointCloud(new SplittableRandom(6), 20, 2);
        List<IterationStatus> seen = new ArrayList<>();
        List<ImplicitStepResult> flow = ImplicitParticleStep.of(0.2).flow(x0, InteractionEnergy.quadratic(), 5,
                s -> seen.add(s) && s.iteration() < 3);
        assertEquals(3, flow.size(), "stopped after the third step");
        assertEquals(3, seen.size());
        assertEquals(0.6, seen.get(2).fractionDone(), 1e-15);
        assertEquals(flow.get(1).error(), seen.get(1).error(), 0.0);
    }

    @Test
    void langevinWithAStepObserverIsLangevinWithout() {
        ParticleMeasure x0 = GaussianMeasure.of1d(0, 1).sample(50, new SplittableRandom(1));
        EulerMaruyama em = EulerMaruyama.of(0.01);
        double[] a = Langevin.simulate(x0, InteractionEnergy.quadratic(), 0.5, em, 0, 0.2,
                new SplittableRandom(2)).measure().flatPoints();
        double[] fractions = new double[1];
        double[] b = Langevin.simulate(x0, InteractionEnergy.quadratic(), 0.5, em, 0, 0.2,
                new SplittableRandom(2), StepObserver.progress(f -> fractions[0] = f)).measure().flatPoints();
        assertArrayEquals(a, b, 0.0);
        assertEquals(1.0, fractions[0], 1e-12, "the observer saw the run to its end");
        double[] c = Langevin.simulate(x0, InteractionEnergy.quadratic(), 0.5, em, 0, 0.2,
                new SplittableRandom(3)).measure().flatPoints();
        assertFalse(java.util.Arrays.equals(a, c), "another generator state, another path");
    }
}
