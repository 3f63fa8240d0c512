// The measureflow side of the POT comparison behind docs/conventions.md.
// Run from the repository root (after ./mflow --help, which builds examples/target/mflow.jar):
//   jshell --class-path examples/target/mflow.jar -R-Dmf.out=target/pot-check docs/pot-check/measureflow_side.jsh
// It writes the README's two clouds and every input and result the Python side needs into mf.out, as CSV
// (numbers in Java's shortest round-trip form, so Python reads the same doubles), then exits.
import java.nio.file.*;
import java.util.*;
import org.measureflow.core.measure.*;
import org.measureflow.ot.*;
import org.measureflow.ot.exact.*;
import org.measureflow.ot.sinkhorn.*;
import org.measureflow.ot.unbalanced.*;
import org.measureflow.ot.sliced.*;
import org.measureflow.ot.barycenter.*;
import org.measureflow.ot.gaussian.*;

Path out = Path.of(System.getProperty("mf.out", "target/pot-check"));
Files.createDirectories(out);
Map<String, Double> numbers = new LinkedHashMap<>();

void table(String name, double[] flat, int cols) throws Exception {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < flat.length; i++) {
        sb.append(flat[i]).append(i % cols == cols - 1 ? "\n" : ",");
    }
    Files.writeString(out.resolve(name + ".csv"), sb.toString());
}

double[] column(ParticleMeasure p, int k) {
    double[] c = new double[p.size()];
    for (int i = 0; i < c.length; i++) c[i] = p.coordinate(i, k);
    return c;
}

double[] scaled(double[] v, double s) {
    double[] w = v.clone();
    for (int i = 0; i < w.length; i++) w[i] *= s;
    return w;
}

double[] concat(double[] p, double[] q) {
    double[] r = Arrays.copyOf(p, p.length + q.length);
    System.arraycopy(q, 0, r, p.length, q.length);
    return r;
}

// ----- the README's two clouds -----
ParticleMeasure x = GaussianMeasure.standard(2).sample(500, new SplittableRandom(1));
ParticleMeasure y = GaussianMeasure.of(new double[]{3, 1}, new double[][]{{2, 0.5}, {0.5, 1}}).sample(400, new SplittableRandom(2));
table("x", x.flatPoints(), 2);
table("y", y.flatPoints(), 2);
double[] a = x.weights();
double[] b = y.weights();
CostMatrix c = CostMatrix.squaredEuclidean(x, y);

// ----- exact OT (ot.emd, ot.emd2) -----
ExactOtResult exact = NetworkSimplex.withDefaults().solve(x, y);
numbers.put("emd2", exact.cost());
table("emd_plan", exact.plan().toDense(), 400);
table("emd_f", exact.f(), 1);
table("emd_g", exact.g(), 1);

// ----- Sinkhorn, epsilon = 0.1 (ot.sinkhorn, ot.sinkhorn2, method='sinkhorn_log', empirical_sinkhorn) -----
SinkhornSolver sinkhorn = SinkhornSolver.of(0.1).withTolerance(1e-12);
SinkhornResult entropic = sinkhorn.solve(x, y);
numbers.put("sinkhorn_cost", entropic.cost());
numbers.put("sinkhorn_objective", entropic.objective());
numbers.put("sinkhorn_dualObjective", entropic.dualObjective());
numbers.put("sinkhorn_error", entropic.error());
numbers.put("sinkhorn_iterations", (double) entropic.iterations());
table("sinkhorn_plan", entropic.plan().toDense(), 400);
table("sinkhorn_f", entropic.f(), 1);
table("sinkhorn_g", entropic.g(), 1);
SinkhornResult dense = sinkhorn.withLogDomain(true).solve(a, b, c);
numbers.put("sinkhorn_log_dense_cost", dense.cost());

// ----- Sinkhorn divergence (ot.bregman.empirical_sinkhorn_divergence; GeomLoss; OTT) -----
SinkhornDivergenceResult div = SinkhornDivergence.of(sinkhorn).valueAndGradient(x, y);
numbers.put("div_value", div.value());
numbers.put("div_crossTerm", div.crossTerm());
numbers.put("div_selfSource", div.selfSource());
numbers.put("div_selfTarget", div.selfTarget());
SinkhornResult xx = sinkhorn.solve(x, x);
SinkhornResult yy = sinkhorn.solve(y, y);
numbers.put("cross_cost", entropic.cost());
numbers.put("xx_cost", xx.cost());
numbers.put("yy_cost", yy.cost());
numbers.put("xx_objective", xx.objective());
numbers.put("yy_objective", yy.objective());
numbers.put("pot_style_divergence", entropic.cost() - 0.5 * xx.cost() - 0.5 * yy.cost());
numbers.put("readme_divergence", SinkhornDivergence.of(SinkhornSolver.of(0.1).withTolerance(1e-9)).value(x, y));
// GeomLoss's convention: cost |x-y|^2/2 and eps = blur^2; with blur^2 = 0.05 it is half of ours at eps = 0.1
CostMatrix cxx = CostMatrix.squaredEuclidean(x, x);
CostMatrix cyy = CostMatrix.squaredEuclidean(y, y);
SinkhornDivergenceResult halved = SinkhornDivergence.of(SinkhornSolver.of(0.05).withTolerance(1e-12)).compute(a, b,
        CostMatrix.of(500, 400, scaled(c.values(), 0.5)), CostMatrix.of(500, 500, scaled(cxx.values(), 0.5)),
        CostMatrix.of(400, 400, scaled(cyy.values(), 0.5)));
numbers.put("halved_cost_divergence_eps_0.05", halved.value());

// ----- 1-D (ot.emd_1d, ot.emd2_1d, ot.wasserstein_1d) on the first coordinates, with non-uniform weights -----
double[] u = column(x, 0);
double[] v = column(y, 0);
double[] wu = new double[500];
double[] wv = new double[400];
for (int i = 0; i < 500; i++) wu[i] = 1 + (i % 7);
for (int j = 0; j < 400; j++) wv[j] = 1 + (j % 5);
wu = Histograms.normalised("wu", wu);
wv = Histograms.normalised("wv", wv);
table("w_u", wu, 1);
table("w_v", wv, 1);
numbers.put("oned_cost_p2", OneDimensionalOt.cost(u, wu, v, wv, 2));
numbers.put("oned_cost_p1", OneDimensionalOt.cost(u, wu, v, wv, 1));
numbers.put("oned_distance_p2", OneDimensionalOt.distance(u, wu, v, wv, 2));
table("oned_plan", OneDimensionalOt.monotonePlan(u, wu, v, wv).toDense(), 400);

// ----- sliced Wasserstein (ot.sliced_wasserstein_distance) over the same 50 directions -----
double[] theta = SlicedWasserstein.randomDirections(50, 2, new SplittableRandom(7));
table("sliced_theta", theta, 2);
SlicedWassersteinResult sliced = SlicedWasserstein.withDefaults().distance(x, y, theta);
numbers.put("sliced_distance", sliced.distance());
numbers.put("sliced_cost", sliced.cost());

// ----- Gaussian (Bures) OT of the clouds' moments (ot.gaussian / ot.da.OT_mapping_linear) -----
GaussianMeasure mx = GaussianMeasure.of(x.mean(), x.covariance());
GaussianMeasure my = GaussianMeasure.of(y.mean(), y.covariance());
numbers.put("bures_squared", BuresWasserstein.squaredDistance(mx, my));
numbers.put("bures_distance", BuresWasserstein.distance(mx, my));
var monge = BuresWasserstein.mongeMap(mx, my);
table("bures_A", monge.matrix().getData(), 2);
table("bures_b", monge.offset(), 1);
GaussianMeasure bary = BuresBarycenter.withDefaults().solve(new GaussianMeasure[]{mx, my}, new double[]{0.3, 0.7}).barycenter();
table("bures_bary_mean", bary.mean(), 1);
table("bures_bary_cov", bary.covariance().getData(), 2);

// ----- unbalanced (ot.unbalanced.sinkhorn_unbalanced[2]): a of mass 1, b of mass 2 -----
double[] b2 = scaled(b, 2);
double epsU = 0.5;
double rho = 2.0;
UnbalancedSinkhorn unbalanced = UnbalancedSinkhorn.of(epsU, rho).withTolerance(1e-12);
SinkhornResult uot = unbalanced.solve(a, b2, c);
numbers.put("uot_cost", uot.cost());
numbers.put("uot_objective", uot.objective());
numbers.put("uot_error", uot.error());
table("uot_plan", uot.plan().toDense(), 400);
// POT 0.8.2 regularises with sum P log P - P (no reference measure): the same problem as ours for the cost
// C_ij + eps log(a_i b_j)
double[] shifted = c.values();
for (int i = 0; i < 500; i++) for (int j = 0; j < 400; j++) shifted[i * 400 + j] += epsU * Math.log(a[i] * b2[j]);
SinkhornResult uotShifted = unbalanced.solve(a, b2, CostMatrix.of(500, 400, shifted));
table("uot_shifted_plan", uotShifted.plan().toDense(), 400);

// ----- fixed-support entropic barycenter (ot.bregman.barycenter) on a 1-D grid of 100 points in [0, 1] -----
int nGrid = 100;
double[] grid = new double[nGrid];
for (int i = 0; i < nGrid; i++) grid[i] = i / (nGrid - 1.0);
double[][] hist = new double[2][nGrid];
for (int i = 0; i < nGrid; i++) {
    hist[0][i] = Math.exp(-Math.pow((grid[i] - 0.25) / 0.05, 2) / 2);
    hist[1][i] = Math.exp(-Math.pow((grid[i] - 0.7) / 0.08, 2) / 2);
}
hist[0] = Histograms.normalised("h0", hist[0]);
hist[1] = Histograms.normalised("h1", hist[1]);
table("bary_hist", concat(hist[0], hist[1]), nGrid);
double[] gridCost = new double[nGrid * nGrid];
for (int i = 0; i < nGrid; i++) for (int j = 0; j < nGrid; j++) gridCost[i * nGrid + j] = (grid[i] - grid[j]) * (grid[i] - grid[j]);
BarycenterResult bregman = EntropicBarycenter.of(1e-3).withTolerance(1e-12).solve(hist, CostMatrix.of(nGrid, nGrid, gridCost), new double[]{0.5, 0.5});
table("bary_weights", bregman.weights(), 1);
numbers.put("bary_iterations", (double) bregman.iterations());
numbers.put("bary_error", bregman.error());

// ----- convolutional barycenter (ot.bregman.convolutional_barycenter2d) of a disk and a ring, 40 x 40 -----
int side = 40;
double h = 1.0 / (side - 1);    // POT's cells are linspace(0, 1, side): centres of cells of width h on [-h/2, 1 + h/2]
double[] disk = new double[side * side];
double[] ring = new double[side * side];
for (int i = 0; i < side; i++) for (int j = 0; j < side; j++) {
    double px = i * h, py = j * h;
    double r1 = Math.hypot(px - 0.3, py - 0.3);
    double r2 = Math.hypot(px - 0.65, py - 0.6);
    disk[i * side + j] = r1 < 0.2 ? 1 : 0;
    ring[i * side + j] = r2 > 0.15 && r2 < 0.3 ? 1 : 0;
}
disk = Histograms.normalised("disk", disk);
ring = Histograms.normalised("ring", ring);
table("conv_inputs", concat(disk, ring), side);
GridDensity.Grid square = GridDensity.Grid.of2d(-h / 2, 1 + h / 2, side, -h / 2, 1 + h / 2, side);
BarycenterResult conv = ConvolutionalBarycenter.of(0.004).withTolerance(1e-12).solve(
        new GridDensity[]{GridDensity.of(square, disk), GridDensity.of(square, ring)}, new double[]{0.4, 0.6});
table("conv_weights", conv.weights(), side);
numbers.put("conv_iterations", (double) conv.iterations());
numbers.put("conv_error", conv.error());

// ----- free-support barycenter (ot.lp.free_support_barycenter) of the two clouds from 50 points of x -----
double[] start = Arrays.copyOf(x.flatPoints(), 100);
ParticleMeasure initial = ParticleMeasure.fromFlat(start, 2);
FreeSupportBarycenterResult free = FreeSupportBarycenter.withDefaults().withTolerance(1e-12).solve(
        new ParticleMeasure[]{x, y}, new double[]{0.5, 0.5}, initial);
table("free_points", free.barycenter().flatPoints(), 2);
numbers.put("free_iterations", (double) free.iterations());
numbers.put("free_cost", free.cost());

// ----- uniform histograms (ot.unif) -----
table("unif_7", Histograms.uniform(7), 1);

StringBuilder sb = new StringBuilder();
numbers.forEach((k, val) -> sb.append(k).append(',').append(val).append('\n'));
Files.writeString(out.resolve("numbers.csv"), sb.toString());
System.out.println("wrote " + numbers.size() + " numbers and the tables to " + out.toAbsolutePath());
/exit
