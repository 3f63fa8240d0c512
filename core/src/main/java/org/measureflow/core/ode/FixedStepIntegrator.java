package org.measureflow.core.ode;

import java.util.function.Function;

import org.measureflow.core.Arguments;

/**
 * The loop shared by the fixed-step methods ({@link Euler}, {@link Heun}, {@link RungeKutta4},
 * {@link EulerMaruyama}): the interval \( [t_0, t_1] \) is cut into
 * \( N = \max(1, \lceil |t_1 - t_0| / \Delta - 10^{-9} \rceil) \) equal steps of size \( h = (t_1 - t_0)/N \)
 * (the \( 10^{-9} \) keeps an interval that is a whole number of steps up to rounding from gaining a step), where
 * \( \Delta \) is the requested step; \( t_0 = t_1 \) gives no step. The step times are \( t_k = t_0 + k h \), the
 * last one exactly \( t_1 \).
 */
abstract class FixedStepIntegrator {
    /** The requested step \( \Delta \). */
    final double step;

    FixedStepIntegrator(double step) {
        this.step = Arguments.positive("step", step);
    }

    /**
     * The requested step size \( \Delta \); the step used is \( |t_1 - t_0| / N \le \Delta \) (up to a relative
     * \( 10^{-9} \)), see the class description.
     */
    public double step() {
        return step;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[step=" + step + "]";
    }

    /** Number of steps \( N \) for the interval \( [t_0, t_1] \) and the step \( \Delta \). */
    static int stepCount(double t0, double t1, double step) {
        if (t0 == t1) {
            return 0;
        }
        double steps = Math.ceil(Math.abs(t1 - t0) / step - 1e-9);
        if (steps > Integer.MAX_VALUE - 1) {
            throw new IllegalArgumentException("step " + step + " is too small for the interval [" + t0 + ", " + t1
                    + "]: it would need " + steps + " steps");
        }
        return (int) Math.max(1, steps);
    }

    /** Validates and runs an ODE integration with the stages built by {@code stages} for {@code system}. */
    final IntegrationResult integrateOde(OdeSystem system, double t0, double[] y, double t1, StepObserver observer,
                                         Function<OdeSystem, ExplicitRun> stages) {
        OdeArguments.check(system, t0, y, t1, observer);
        return run(stages.apply(system), t0, y, t1, observer);
    }

    /** Runs the fixed-step loop (arguments already checked); {@code run} holds the work arrays of this call. */
    final IntegrationResult run(Run run, double t0, double[] y, double t1, StepObserver observer) {
        int steps = stepCount(t0, t1, step);
        int n = y.length;
        double h = steps == 0 ? 0.0 : (t1 - t0) / steps;
        double[] current = y;
        double[] next = new double[n];
        run.h = h;
        observer.init(t0, y, t1);
        double time = t0;
        int done = 0;
        boolean stop = false;
        while (done < steps && !stop) {
            run.index = done;
            run.startTime = time;
            run.endTime = done + 1 == steps ? t1 : t0 + (done + 1) * h;
            run.start = current;
            run.end = next;
            run.advance();
            stop = !observer.handleStep(run);
            run.accept();
            double[] swap = current;
            current = next;
            next = swap;
            time = run.endTime;
            done++;
        }
        if (current != y) {
            System.arraycopy(current, 0, y, 0, n);
        }
        OdeArguments.checkFiniteResult(toString(), y, t0, time);
        observer.finish(time, y);
        return new IntegrationResult(time, done, 0, run.evaluations, done < steps);
    }

    /**
     * The state of one integration call: its work arrays (allocated once, in the constructor), the current step,
     * and the {@link Step} view the observer sees.
     */
    abstract static class Run implements Step {
        final int dimension;
        final LinearCombination combination;
        double[] start;
        double[] end;
        double startTime;
        double endTime;
        double h;
        long index;
        long evaluations;

        Run(int dimension) {
            this.dimension = dimension;
            this.combination = new LinearCombination(dimension);
        }

        /** Advances from ({@link #startTime}, {@link #start}) by {@link #h}, writing the new state into {@link #end}. */
        abstract void advance();

        /** Called once the observer has seen the step, before the next one. */
        void accept() {
        }

        /** Writes the dense output at {@code t} into {@code out} (arguments already checked). */
        abstract void denseOutput(double t, double[] out);

        @Override
        public final long index() {
            return index;
        }

        @Override
        public final double startTime() {
            return startTime;
        }

        @Override
        public final double endTime() {
            return endTime;
        }

        @Override
        public final double[] state() {
            return end;
        }

        @Override
        public final void interpolate(double t, double[] out) {
            OdeArguments.checkInterpolation(t, out, dimension);
            denseOutput(t, out);
        }
    }

    /**
     * An explicit Runge&ndash;Kutta step with cubic Hermite dense output. The first stage
     * \( k_1 = F(t_k, y_k) \) is evaluated at the start of the step unless it is already known: the end derivative
     * \( F(t_{k+1}, y_{k+1}) \), which the Hermite interpolant needs, is evaluated only when the observer asks for
     * dense output, and then serves as the next step's first stage (first same as last), so dense output costs at
     * most one extra evaluation per integration.
     *
     * <p>With \( \theta = (t - t_k)/h \) the interpolant is
     * \( y_k + \theta^2 (3 - 2\theta)(y_{k+1} - y_k) + \theta (1-\theta)^2 h k_1 - \theta^2 (1 - \theta) h F(t_{k+1}, y_{k+1}) \),
     * which matches the values and derivatives at both ends; its error is \( O(h^4) \) plus the method's own.
     */
    abstract static class ExplicitRun extends Run {
        final OdeSystem system;
        /** The first stage \( F(t_k, y_k) \). */
        double[] k1;
        private double[] endDerivative;
        private boolean k1Known;
        private boolean endKnown;
        private final double[] hermite = new double[3];

        ExplicitRun(OdeSystem system) {
            super(system.dimension());
            this.system = system;
            this.k1 = new double[dimension];
            this.endDerivative = new double[dimension];
        }

        /** Computes the remaining stages from {@link #k1} and writes the new state into {@link #end}. */
        abstract void stages();

        /** Evaluates the right-hand side, counting the evaluation. */
        final void evaluate(double t, double[] y, double[] dydt) {
            system.derivative(t, y, dydt);
            evaluations++;
        }

        @Override
        final void advance() {
            if (!k1Known) {
                evaluate(startTime, start, k1);
            }
            endKnown = false;
            stages();
        }

        @Override
        final void accept() {
            k1Known = endKnown;
            if (endKnown) {
                double[] swap = k1;
                k1 = endDerivative;
                endDerivative = swap;
            }
        }

        @Override
        final void denseOutput(double t, double[] out) {
            if (!endKnown) {
                evaluate(endTime, end, endDerivative);
                endKnown = true;
            }
            hermiteWeights((t - startTime) / h, hermite);
            combination.into(out, start).plus(hermite[0], end).plus(-hermite[0], start)
                    .plus(hermite[1] * h, k1).plus(hermite[2] * h, endDerivative).apply();
        }

        /**
         * The weights of \( y_{k+1} - y_k \), \( h y'_k \) and \( h y'_{k+1} \) in the cubic Hermite interpolant at
         * \( \theta \).
         */
        static void hermiteWeights(double theta, double[] w) {
            double s = 1 - theta;
            w[0] = theta * theta * (3 - 2 * theta);
            w[1] = theta * s * s;
            w[2] = -theta * theta * s;
        }
    }
}
