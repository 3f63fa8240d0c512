package org.measureflow.core.ode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link DormandPrince54}: its tableau, the Kepler problem, step control, the runaway guard and dense output. */
class DormandPrince54Test {
    private static final double ECCENTRICITY = 0.5;
    private static final double PERIOD = 2 * Math.PI; // 2 pi a^{3/2} with a = 1, GM = 1

    // ---- the tableau, checked against the Butcher order conditions ----

    private static final double[] C = DormandPrince54.C;
    private static final double[][] A = DormandPrince54.A;

    private static double[] times(double[] x, double[] y) {
        double[] z = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            z[i] = x[i] * y[i];
        }
        return z;
    }

    /** \( (A v)_i = \sum_{j<i} a_{ij} v_j \). */
    private static double[] a(double[] v) {
        double[] z = new double[7];
        for (int i = 0; i < 7; i++) {
            for (int j = 0; j < i; j++) {
                z[i] += A[i][j] * v[j];
            }
        }
        return z;
    }

    private static double dot(double[] w, double[] v) {
        double s = 0;
        for (int i = 0; i < w.length; i++) {
            s += w[i] * v[i];
        }
        return s;
    }

    /**
     * The elementary weights \( \Phi(\tau) \) of the 17 rooted trees with at most 5 nodes, for weights {@code w},
     * in the order of {@link #GAMMA}.
     */
    private static double[] elementaryWeights(double[] w) {
        double[] one = {1, 1, 1, 1, 1, 1, 1};
        double[] c2 = times(C, C);
        double[] c3 = times(c2, C);
        double[] ac = a(C);
        double[] ac2 = a(c2);
        double[] aac = a(ac);
        return new double[] {dot(w, one), dot(w, C), dot(w, c2), dot(w, ac),
                dot(w, c3), dot(w, times(C, ac)), dot(w, ac2), dot(w, aac),
                dot(w, times(c3, C)), dot(w, times(c2, ac)), dot(w, times(C, ac2)), dot(w, times(C, aac)),
                dot(w, times(ac, ac)), dot(w, a(c3)), dot(w, a(times(C, ac))), dot(w, a(ac2)), dot(w, a(aac))};
    }

    /** The densities \( \gamma(\tau) \) of the same trees: order conditions read \( \Phi(\tau) = 1/\gamma(\tau) \). */
    private static final double[] GAMMA = {1, 2, 3, 6, 4, 8, 12, 24, 5, 10, 15, 30, 20, 20, 40, 60, 120};
    /** Number of nodes of each tree. */
    private static final int[] NODES = {1, 2, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 5, 5, 5, 5, 5};

    @Test
    void tableauRowsSumToTheNodes() {
        for (int i = 0; i < 7; i++) {
            double s = 0;
            for (double v : A[i]) {
                s += v;
            }
            assertEquals(C[i], s, 1e-15, "row " + i); // rational coefficients, rounding only
        }
    }

    @Test
    void fifthOrderWeightsSatisfyAllConditionsUpToOrderFive() {
        double[] phi = elementaryWeights(DormandPrince54.B);
        for (int t = 0; t < GAMMA.length; t++) {
            assertEquals(1 / GAMMA[t], phi[t], 1e-14, "tree " + t); // rational identities, rounding only
        }
    }

    @Test
    void embeddedWeightsAreOfOrderFourExactly() {
        double[] embedded = new double[7];
        for (int j = 0; j < 7; j++) {
            embedded[j] = DormandPrince54.B[j] - DormandPrince54.E[j];
        }
        double[] phi = elementaryWeights(embedded);
        boolean fifthOrderFails = false;
        for (int t = 0; t < GAMMA.length; t++) {
            if (NODES[t] <= 4) {
                assertEquals(1 / GAMMA[t], phi[t], 1e-14, "tree " + t);
            } else {
                fifthOrderFails |= Math.abs(phi[t] - 1 / GAMMA[t]) > 1e-6;
            }
        }
        assertTrue(fifthOrderFails, "the embedded solution must differ at order 5, or it estimates no error");
    }

    @ParameterizedTest(name = "theta = {0}")
    @ValueSource(doubles = {0.0, 0.1, 0.25, 0.5, 0.7, 0.9, 1.0})
    void denseOutputSatisfiesTheFourthOrderConditionsAtEveryTheta(double theta) {
        // Continuous extension y0 + h sum B_j(theta) k_j has order 4 iff Phi_theta(tree) = theta^{|tree|}/gamma(tree)
        // for all trees with at most 4 nodes (Hairer-Norsett-Wanner I, II.6).
        double[] w = new double[7];
        DormandPrince54.withDefaults().denseWeights(theta, w);
        double[] phi = elementaryWeights(w);
        for (int t = 0; t < GAMMA.length; t++) {
            if (NODES[t] <= 4) {
                assertEquals(Math.pow(theta, NODES[t]) / GAMMA[t], phi[t], 1e-14, "tree " + t);
            }
        }
        if (theta == 1.0) {
            assertArrayEquals(DormandPrince54.B, w, 1e-15, "at theta = 1 the interpolant is the step's end");
        }
    }

    // ---- the Kepler problem ----

    private static double energy(double[] y) {
        return 0.5 * (y[2] * y[2] + y[3] * y[3]) - 1 / Math.hypot(y[0], y[1]);
    }

    private static double angularMomentum(double[] y) {
        return y[0] * y[3] - y[1] * y[2];
    }

    /**
     * Why the final state is not held to 10 tol, even over one period: the controller bounds the local error of
     * each step (the norm is per step, not global), and the Kepler flow shears errors along the orbit. An energy
     * error \( \delta E \) changes the period \( T = 2\pi (-2E)^{-3/2} \) by \( (dT/dE)\,\delta E = 6\pi\,\delta E \)
     * at \( E = -1/2 \), which moves the state at \( t = T \) along the orbit by
     * \( |\dot y(0)|\, 6\pi\, \delta E \), where \( |\dot y(0)| = |(p, -q/|q|^3)| = \sqrt{3 + 16} \) at pericentre:
     * an amplification of about 82. (SciPy's RK45, the same method with the same error norm, ends one period
     * 270 tol away from the start at tol = 1e-6 and 139 tol away at 1e-10.) So the distance to the orbit, measured
     * by the invariants, is held to 10 tol (times the invariant's gradient), the state to 10 tol times
     * (1 + that amplification), and the global error must be proportional to tol.
     */
    private static final double SHEAR = 6 * Math.PI * Math.sqrt(3 + 16);
    /** Largest gradient norm of the energy on the orbit: \( |(q/|q|^3, p)| \) at pericentre, \( \sqrt{4 + 3} \). */
    private static final double ENERGY_GRADIENT = Math.sqrt(7);
    /** Largest gradient norm of the angular momentum on the orbit: \( |(q, p)| \) at pericentre, \( \sqrt{1/4 + 3} \). */
    private static final double MOMENTUM_GRADIENT = Math.sqrt(3.25);

    private static double keplerPeriodError(double tolerance) {
        double[] y0 = ReferenceSolutions.keplerState(ECCENTRICITY, 0);
        double[] y = y0.clone();
        IntegrationResult result = DormandPrince54.withDefaults().withRelativeTolerance(tolerance).withAbsoluteTolerance(tolerance)
                .integrate(ReferenceSolutions.kepler(), 0, y, PERIOD);
        assertEquals(PERIOD, result.finalTime(), 0.0, "the last step lands on t1 exactly");
        assertFalse(result.stoppedEarly());
        double relative = ReferenceSolutions.distance(y, y0) / ReferenceSolutions.norm(y0);
        double energyError = Math.abs(energy(y) + 0.5);
        double momentumError = Math.abs(angularMomentum(y) - Math.sqrt(1 - ECCENTRICITY * ECCENTRICITY));
        String report = "state " + relative / tolerance + " tol, energy " + energyError / tolerance
                + " tol, momentum " + momentumError / tolerance + " tol, " + result.steps() + " steps";
        // Energy -1/(2a) and angular momentum sqrt(a(1-e^2)) are invariants: a state within 10 tol of the exact
        // orbit has them within 10 tol times their gradient.
        assertTrue(energyError <= 10 * tolerance * ENERGY_GRADIENT, report);
        assertTrue(momentumError <= 10 * tolerance * MOMENTUM_GRADIENT, report);
        // The orbit closes after one period, up to the phase shear of the energy error (see SHEAR).
        assertTrue(relative <= 10 * tolerance * (1 + SHEAR), report);
        return relative;
    }

    @Test
    void keplerOrbitClosesAfterOnePeriodWithAGlobalErrorProportionalToTheTolerance() {
        double loose = keplerPeriodError(1e-6);
        double tight = keplerPeriodError(1e-10);
        // Local error ~ tol^{6/5} (fifth-order solution, steps set by the fourth-order estimate) times
        // ~ tol^{-1/5} steps: the global error is proportional to tol, so 1e4 apart, here within a factor 10.
        double ratio = loose / tight;
        assertTrue(ratio > 1e3 && ratio < 1e5, "error ratio " + ratio + " for a tolerance ratio 1e4");
    }

    @Test
    void looseToleranceTakesFarFewerStepsThanTightTolerance() {
        IntegrationResult loose = DormandPrince54.withDefaults().withRelativeTolerance(1e-6).withAbsoluteTolerance(1e-6)
                .integrate(ReferenceSolutions.kepler(), 0, ReferenceSolutions.keplerState(ECCENTRICITY, 0), PERIOD);
        IntegrationResult tight = DormandPrince54.withDefaults().withRelativeTolerance(1e-10).withAbsoluteTolerance(1e-10)
                .integrate(ReferenceSolutions.kepler(), 0, ReferenceSolutions.keplerState(ECCENTRICITY, 0), PERIOD);
        // Local error ~ h^5 = tol, so the step count grows like tol^{-1/5}: a factor 10^{4/5} = 6.3 > 5 here.
        assertTrue(5 * loose.steps() < tight.steps(), loose.steps() + " vs " + tight.steps() + " steps");
    }

    @Test
    void rejectedStepsAreCountedAndEvaluationsAddUp() {
        // A first step of a quarter period at pericentre (local error ~ 1e-2) must be rejected at tol 1e-8.
        DormandPrince54 integrator = DormandPrince54.withDefaults().withRelativeTolerance(1e-8).withAbsoluteTolerance(1e-8)
                .withInitialStep(PERIOD / 4);
        double[] y = ReferenceSolutions.keplerState(ECCENTRICITY, 0);
        IntegrationResult result = integrator.integrate(ReferenceSolutions.kepler(), 0, y, PERIOD);
        assertTrue(result.rejectedSteps() >= 1, "rejected " + result.rejectedSteps());
        // One evaluation for the first stage, then six per attempted step (first same as last).
        assertEquals(1 + 6L * (result.steps() + result.rejectedSteps()), result.evaluations());
        // With the automatic first step, one more evaluation estimates the second derivative.
        IntegrationResult automatic = DormandPrince54.withDefaults().withRelativeTolerance(1e-8).withAbsoluteTolerance(1e-8)
                .integrate(ReferenceSolutions.kepler(), 0, ReferenceSolutions.keplerState(ECCENTRICITY, 0), PERIOD);
        assertEquals(2 + 6L * (automatic.steps() + automatic.rejectedSteps()), automatic.evaluations());
    }

    @Test
    void runawayGuardThrowsWithTheTimeReached() {
        DormandPrince54 integrator = DormandPrince54.withDefaults().withRelativeTolerance(1e-10).withAbsoluteTolerance(1e-10)
                .withMaxEvaluations(50);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> integrator
                .integrate(ReferenceSolutions.kepler(), 0, ReferenceSolutions.keplerState(ECCENTRICITY, 0), PERIOD));
        assertTrue(e.getMessage().contains("maxEvaluations = 50") && e.getMessage().contains("t = ")
                && e.getMessage().contains("step size"), e.getMessage());
    }

    @Test
    void stepSizeUnderflowAtABlowUpThrows() {
        // y' = y^2, y(0) = 1 has the solution 1/(1 - t), which blows up at t = 1 < 2.
        OdeSystem blowUp = OdeSystem.of(1, (t, y, dydt) -> dydt[0] = y[0] * y[0]);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> DormandPrince54.withDefaults().withRelativeTolerance(1e-6).withAbsoluteTolerance(1e-6).integrate(blowUp, 0, new double[] {1}, 2));
        assertTrue(e.getMessage().contains("underflow"), e.getMessage());
    }

    @ParameterizedTest(name = "tolerance {0}")
    @ValueSource(doubles = {1e-6, 1e-9})
    void denseOutputAtStepMidpointsIsAsAccurateAsTheStepEnds(double tolerance) {
        double[] previous = {0}; // the integration starts from the exact state
        double[] worstExcess = {-1};
        double[] mid = new double[4];
        StepObserver midpoints = step -> {
            double t = 0.5 * (step.startTime() + step.endTime());
            step.interpolate(t, mid);
            double[] exact = ReferenceSolutions.keplerState(ECCENTRICITY, t);
            double midError = ReferenceSolutions.distance(mid, exact) / ReferenceSolutions.norm(exact);
            double[] exactEnd = ReferenceSolutions.keplerState(ECCENTRICITY, step.endTime());
            double endError = ReferenceSolutions.distance(step.state(), exactEnd) / ReferenceSolutions.norm(exactEnd);
            worstExcess[0] = Math.max(worstExcess[0], midError - Math.max(previous[0], endError));
            previous[0] = endError;
            return true;
        };
        IntegrationResult result = DormandPrince54.withDefaults().withRelativeTolerance(tolerance).withAbsoluteTolerance(tolerance).integrate(ReferenceSolutions.kepler(), 0,
                ReferenceSolutions.keplerState(ECCENTRICITY, 0), PERIOD, midpoints);
        assertTrue(result.steps() > 10, "enough steps to test");
        // The midpoint carries the global error of the step ends plus the interpolant's own error, which is of
        // the size of the embedded error estimate (<= tol per step): within 10 tol of the worse end.
        assertTrue(worstExcess[0] <= 10 * tolerance, "midpoint error exceeds the ends' by " + worstExcess[0]);
    }

    @Test
    void denseOutputOfOneStepHasLocalErrorOfOrderFive() {
        // One step of size H from the exact state at pericentre; the interpolant at H/2 is a 4th-order
        // continuous extension, so its local error is O(H^5): halving H divides it by ~32.
        double[] hs = {0.2, 0.1, 0.05, 0.025};
        double[] errors = new double[hs.length];
        for (int k = 0; k < hs.length; k++) {
            double h = hs[k];
            DormandPrince54 oneStep = DormandPrince54.withDefaults().withRelativeTolerance(1).withAbsoluteTolerance(1)
                    .withInitialStep(h);
            double[] mid = new double[4];
            int[] steps = {0};
            StepObserver atMidpoint = step -> {
                step.interpolate(h / 2, mid);
                steps[0]++;
                return true;
            };
            oneStep.integrate(ReferenceSolutions.kepler(), 0, ReferenceSolutions.keplerState(ECCENTRICITY, 0), h,
                    atMidpoint);
            assertEquals(1, steps[0], "a single step");
            errors[k] = ReferenceSolutions.distance(mid, ReferenceSolutions.keplerState(ECCENTRICITY, h / 2));
        }
        for (int k = 1; k < hs.length; k++) {
            double order = Math.log(errors[k - 1] / errors[k]) / Math.log(2);
            // local order 5 (= 4 + 1), within 0.5 for the pre-asymptotic terms at the largest step
            assertEquals(5.0, order, 0.5, "errors " + java.util.Arrays.toString(errors));
        }
    }

    @Test
    void backwardIntegrationOfExponentialGrowthReturnsTheDecayedValue() {
        OdeSystem growth = OdeSystem.of(1, (t, y, dydt) -> dydt[0] = y[0]);
        double[] y = {2};
        IntegrationResult result = DormandPrince54.withDefaults().withRelativeTolerance(1e-10).withAbsoluteTolerance(1e-12).integrate(growth, 1, y, -1);
        assertEquals(-1, result.finalTime(), 0.0);
        // y(-1) = 2 e^{-2}; global error within 10 rtol of |y| over a decaying backward flow.
        assertEquals(2 * Math.exp(-2), y[0], 10 * 1e-10 * 2);
    }

    @Test
    void maxStepBoundsEveryStep() {
        double[] longest = {0};
        DormandPrince54.withDefaults().withMaxStep(0.05).integrate(ReferenceSolutions.kepler(), 0,
                ReferenceSolutions.keplerState(ECCENTRICITY, 0), 1, step -> {
                    longest[0] = Math.max(longest[0], step.endTime() - step.startTime());
                    return true;
                });
        assertTrue(longest[0] <= 0.05 * (1 + 1e-12), "longest step " + longest[0]);
    }

    @Test
    void defaultsAreTheDocumentedOnesAndWithersCopy() {
        DormandPrince54 defaults = DormandPrince54.withDefaults();
        assertEquals(1e-6, defaults.relativeTolerance());
        assertEquals(1e-9, defaults.absoluteTolerance());
        assertEquals(0.0, defaults.initialStep());
        assertEquals(Double.POSITIVE_INFINITY, defaults.maxStep());
        assertEquals(10_000_000L, defaults.maxEvaluations());
        DormandPrince54 changed = defaults.withRelativeTolerance(1e-3).withMaxEvaluations(77);
        assertEquals(1e-3, changed.relativeTolerance());
        assertEquals(77, changed.maxEvaluations());
        assertEquals(1e-9, changed.absoluteTolerance(), "other settings are kept");
        assertEquals(1e-6, defaults.relativeTolerance(), "withers do not modify the original");
    }
}
