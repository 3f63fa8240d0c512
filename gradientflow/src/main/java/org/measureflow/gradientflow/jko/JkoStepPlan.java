package org.measureflow.gradientflow.jko;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.measureflow.core.iteration.Convergence;
import org.measureflow.core.iteration.IterationObserver;
import org.measureflow.core.iteration.IterationStatus;
import org.measureflow.core.measure.GridDensity;
import org.measureflow.core.parallel.Chunks;
import org.measureflow.gradientflow.energy.GridEnergy;
import org.measureflow.gradientflow.energy.InternalEnergy;
import org.measureflow.gradientflow.energy.PotentialEnergy;
import org.measureflow.ot.sinkhorn.SeparableGibbsKernel;

/**
 * One step of {@link EntropicJko} on one grid for one energy: everything fixed for them (the Gibbs kernel, the
 * cell-wise proximal map, the static potentials, the terms linearised at \( \rho_k \)) and the scaling iterations
 * (see the class comment of {@link EntropicJko}). A flow builds one plan and runs it once per step.
 */
final class JkoStepPlan {
    private final GridDensity.Grid grid;
    private final GridEnergy energy;
    private final SeparableGibbsKernel kernel;
    private final CellProx prox;
    private final double[] staticPotential;
    private final List<GridEnergy> linearised = new ArrayList<>();
    private final int n;
    private final double volume;
    private final double eps;
    private final double tau;
    private final double tolerance;
    private final long maxIterations;

    JkoStepPlan(EntropicJko scheme, GridDensity.Grid grid, GridEnergy energy) {
        this.grid = grid;
        this.energy = energy;
        this.n = grid.size();
        this.volume = grid.cellVolume();
        this.tau = scheme.tau();
        this.tolerance = scheme.tolerance();
        this.maxIterations = scheme.maxIterations();
        double e = scheme.epsilon(grid, energy);
        double sigma = 2 * tau / e;
        double entropy = 0;
        List<InternalEnergy> internal = new ArrayList<>();
        staticPotential = new double[n];
        for (GridEnergy term : energy.terms()) {
            if (term instanceof InternalEnergy ie) {
                if (ie.kind() == InternalEnergy.Kind.ENTROPY) {
                    entropy += ie.coefficient();
                } else {
                    internal.add(ie);
                }
            } else if (term instanceof PotentialEnergy pe) {
                double[] v = pe.onGrid(grid);
                for (int c = 0; c < n; c++) {
                    staticPotential[c] += v[c];
                }
            } else {
                linearised.add(term);
            }
        }
        if (scheme.blurCompensation() && entropy > 0) {
            entropy -= e / (4 * tau);
        }
        this.eps = e;
        this.kernel = SeparableGibbsKernel.of(grid, e);
        this.prox = new CellProx(sigma, entropy, internal, volume, scheme.upperBound());
    }

    /** One step from {@code rho}, starting from the scaling {@code b} (cold when all zero), updated in place. */
    JkoStepResult step(GridDensity rho, double[] b, IterationObserver observer) {
        double[] p = rho.values();
        for (int c = 0; c < n; c++) {
            p[c] *= volume;
        }
        double[] v = potential(rho);
        boolean cold = true;
        for (double x : b) {
            if (x != 0) {
                cold = false;
                break;
            }
        }
        if (cold) {
            Arrays.fill(b, 1.0);
        }
        double[] q = new double[n];
        Convergence convergence = scalings(p, v, b, q, observer);
        for (int c = 0; c < n; c++) {
            q[c] /= volume;
        }
        GridDensity next = GridDensity.of(grid, q);
        return new JkoStepResult(next, energy.value(next), convergence);
    }

    /** The potentials of the step: the static ones plus the first variations of the linearised terms at rho. */
    private double[] potential(GridDensity rho) {
        if (linearised.isEmpty()) {
            return staticPotential;
        }
        double[] v = staticPotential.clone();
        for (GridEnergy term : linearised) {
            double[] fv = term.firstVariation(rho);
            for (int c = 0; c < n; c++) {
                if (!Double.isFinite(fv[c])) {
                    // a rule on a value the energy computes, not on an argument as given: Arguments cannot state it
                    throw new IllegalArgumentException("energy: the first variation of " + term
                            + " is not finite at cell " + c + ": " + fv[c]);
                }
                v[c] += fv[c];
            }
        }
        return v;
    }

    /**
     * The scaling iterations from {@code b} for the masses {@code p} and potentials {@code pot}; writes the
     * second marginal (masses) into {@code q}.
     */
    private Convergence scalings(double[] p, double[] pot, double[] b, double[] q, IterationObserver observer) {
        double[] kb = new double[n];
        double[] a = new double[n];
        double[] z = new double[n];
        double[] work = new double[n];
        int chunkRows = 4096;
        double[] partial = new double[Chunks.count(n, chunkRows)];
        Chunks.Body proxSweep = (chunk, start, end) -> {
            double s = 0;
            for (int c = start; c < end; c++) {
                double zc = z[c];
                double target = prox.solve(zc, pot[c]);
                double current = b[c] * zc;
                q[c] = current;
                s += Math.abs(current - target);
                b[c] = zc > 0 ? target / zc : 0.0;
            }
            partial[chunk] = s;
        };
        long iterations = 0;
        double error = Double.POSITIVE_INFINITY;
        boolean stopped = false;
        while (iterations < maxIterations) {
            iterations++;
            kernel.apply(b, kb, work);
            for (int c = 0; c < n; c++) {
                double pc = p[c];
                if (pc > 0) {
                    double k = kb[c];
                    if (!(k > 0)) {
                        throw new IllegalArgumentException("epsilon = " + eps + " does not suit tau = " + tau
                                + " on this grid: the scalings left the floating-point range at cell " + c
                                + " (dual potentials grow like |x|^2 / epsilon and like tau times the energy); "
                                + "raise epsilon, or take the grid-adapted one");
                    }
                    a[c] = pc / k;
                } else {
                    a[c] = 0.0;
                }
            }
            kernel.apply(a, z, work);
            Chunks.forEach(n, chunkRows, 40, proxSweep);
            error = 0;
            for (double s : partial) {
                error += s;
            }
            if (!Double.isFinite(error)) {
                throw new IllegalArgumentException("epsilon = " + eps + " does not suit tau = " + tau
                        + " on this grid: the scalings left the floating-point range (marginal error " + error
                        + "); raise epsilon, or take the grid-adapted one");
            }
            boolean go = observer.observe(new IterationStatus(iterations, error, Double.NaN));
            if (error <= tolerance) {
                break;
            }
            if (!go) {
                stopped = true;
                break;
            }
        }
        return Convergence.tested(iterations, error, tolerance, stopped);
    }
}
