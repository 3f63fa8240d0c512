package org.measureflow.benchmarks;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.ejml.data.DMatrixRMaj;
import org.measureflow.core.ode.IntegrationResult;
import org.measureflow.core.ode.OdeSystem;
import org.measureflow.core.ode.RungeKutta4;
import org.measureflow.transformer.attention.AttentionField;
import org.measureflow.transformer.attention.AttentionHead;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Cost of softmax self-attention over all tokens (survey eq. 27) for {@code n} = 1024, 4096, 16384 tokens in
 * {@code d} = 16, 64 dimensions, one head (issue 21 records {@code -p n=4096,16384}; at {@code n} = 16384 the
 * \( n \times n \) matrix would take 2 GB, beyond the fork's 1 GB heap: the kernel stores none):
 * <ul>
 *   <li>{@link #attentionEvaluation}: one evaluation of {@link AttentionField}, \( v_i = V \sum_j
 *   \mathrm{softmax}_j(\langle Q x_i, K x_j\rangle) x_j \) for every token (\( O(n^2 d) \), no \( n \times n \)
 *   matrix, both cores);</li>
 *   <li>{@link #rungeKutta4Step}: one step \( h = 0.01 \) of {@link RungeKutta4} on the continuous-depth
 *   transformer (eq. 28), i.e. four evaluations plus the stage combinations.</li>
 * </ul>
 * Instance (fixed seed 42): tokens \( x_i \sim \mathcal N(0, I_d) \); \( Q, K \) with entries
 * \( \mathcal N(0, 1) / d^{3/4} \), so that the logits have variance about 1 as in scaled dot-product attention;
 * \( V \) with entries \( \mathcal N(0, 1/d) \). The RK4 step alternates direction (forward from 0, then back from
 * \( h \)) so the state stays bounded, as in {@link IntegratorBenchmark}. Compare with
 * {@code benchmarks/compare/attention_torch.py} (the same step in PyTorch on CPU).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 2, timeUnit = TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class AttentionBenchmark {
    /** Step of the Runge&ndash;Kutta method. */
    static final double STEP = 0.01;

    /** Number of tokens. */
    @Param({"1024", "4096", "16384"})
    public int n;

    /** Token dimension. */
    @Param({"16", "64"})
    public int d;

    private AttentionField field;
    private OdeSystem system;
    private RungeKutta4 rk4;
    private double[] tokens;
    private double[] out;
    private double[] state;
    private boolean backward;

    /** Draws the tokens and the head (once per trial). */
    @Setup
    public void setUp() {
        SplittableRandom rng = new SplittableRandom(42);
        tokens = new double[n * d];
        for (int k = 0; k < tokens.length; k++) {
            tokens[k] = rng.nextGaussian();
        }
        double qk = Math.pow(d, -0.75);
        DMatrixRMaj q = random(rng, d, qk);
        DMatrixRMaj k = random(rng, d, qk);
        DMatrixRMaj v = random(rng, d, 1 / Math.sqrt(d));
        field = AttentionField.of(AttentionHead.of(q, k, v));
        system = field.system(n, d, null);
        rk4 = RungeKutta4.of(STEP);
        out = new double[n * d];
        state = tokens.clone();
        backward = false;
    }

    static DMatrixRMaj random(SplittableRandom rng, int d, double scale) {
        DMatrixRMaj m = new DMatrixRMaj(d, d);
        for (int i = 0; i < m.data.length; i++) {
            m.data[i] = scale * rng.nextGaussian();
        }
        return m;
    }

    /** One evaluation of the attention field of all tokens. */
    @Benchmark
    public void attentionEvaluation(Blackhole bh) {
        field.velocities(0, tokens, n, d, null, out);
        bh.consume(out[0]);
    }

    /** One RK4 step of size {@link #STEP}, alternately forward from 0 and backward from {@link #STEP}. */
    @Benchmark
    public void rungeKutta4Step(Blackhole bh) {
        IntegrationResult r = backward
                ? rk4.integrate(system, STEP, state, 0)
                : rk4.integrate(system, 0, state, STEP);
        backward = !backward;
        bh.consume(r);
        bh.consume(state[0]);
    }
}
