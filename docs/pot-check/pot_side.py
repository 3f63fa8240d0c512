"""The POT side of the comparison behind docs/conventions.md.

Run after measureflow_side.jsh, with the directory it wrote:
    python3 docs/pot-check/pot_side.py target/pot-check
It reads the same clouds and measureflow's results, runs the POT calls of the conventions table on the same data,
and prints one line per check: the two numbers, or the largest entry-wise difference of two arrays.
Written for POT 0.8.2 (Debian's python3-pot); the calls that newer POT versions renamed are noted where used.
"""
import sys

import numpy as np
import ot
import ot.da
from scipy.linalg import sqrtm

d = sys.argv[1] if len(sys.argv) > 1 else "target/pot-check"


def table(name):
    return np.loadtxt(f"{d}/{name}.csv", delimiter=",", ndmin=2)


ours = {k: float(v) for k, v in (line.split(",") for line in open(f"{d}/numbers.csv").read().split())}
x, y = table("x"), table("y")
n, m = len(x), len(y)
a, b = ot.unif(n), ot.unif(m)
# the cost as measureflow sums it: (x0 - y0)^2 + (x1 - y1)^2, term by term
C = ((x[:, None, :] - y[None, :, :]) ** 2).sum(-1)
rows = []


def check(what, pot_value, our_value, note=""):
    pot_value, our_value = np.asarray(pot_value, float), np.asarray(our_value, float)
    if pot_value.size == 1:
        rows.append(f"{what:58s} POT {float(pot_value):.15g}  ours {float(our_value):.15g}  "
                    f"diff {abs(float(pot_value) - float(our_value)):.2e} {note}")
    else:
        rows.append(f"{what:58s} max |POT - ours| = {np.abs(pot_value - our_value).max():.2e} "
                    f"(largest entry {np.abs(pot_value).max():.3g}) {note}")


# --- ot.dist and ot.unif
check("ot.dist(x, y) vs C summed term by term", ot.dist(x, y), C, "(ot.dist expands |x|^2+|y|^2-2xy)")
check("ot.unif(7) vs Histograms.uniform(7)", ot.unif(7), table("unif_7").ravel())

# --- exact OT
P = ot.emd(a, b, C)
check("ot.emd plan vs NetworkSimplex plan.toDense()", P, table("emd_plan"))
check("ot.emd2 vs ExactOtResult.cost()", ot.emd2(a, b, C), ours["emd2"])
_, log = ot.emd(a, b, C, log=True)
f, g = table("emd_f").ravel(), table("emd_g").ravel()
# the plan is degenerate (fewer than n + m - 1 positive entries), so optimal potentials are not unique: compare
# the dual values, which both equal the cost
check("ot.emd log <a,u> + <b,v> vs <a,f> + <b,g>", a @ log["u"] + b @ log["v"], a @ f + b @ g)
check("measureflow exact potentials: max(f_i + g_j - C_ij)", 0.0, (f[:, None] + g[None, :] - C).max(),
      "(dual feasibility)")

# --- Sinkhorn at epsilon = 0.1
eps = 0.1
P, log = ot.sinkhorn(a, b, C, eps, method="sinkhorn_log", numItermax=100000, stopThr=1e-13, log=True)
Q = table("sinkhorn_plan")
check("ot.sinkhorn(method='sinkhorn_log') plan vs plan().toDense()", P, Q)
Pd = ot.sinkhorn(a, b, C, eps, numItermax=100000, stopThr=1e-13)
check("ot.sinkhorn (default kernel method) plan vs plan().toDense()", Pd, Q)
check("ot.sinkhorn2 vs SinkhornResult.cost()",
      ot.sinkhorn2(a, b, C, eps, method="sinkhorn_log", numItermax=100000, stopThr=1e-13), ours["sinkhorn_cost"])
Pe = ot.bregman.empirical_sinkhorn(x, y, eps, numIterMax=100000, stopThr=1e-13, method="sinkhorn_log")
check("ot.bregman.empirical_sinkhorn plan vs plan().toDense()", Pe, Q)
check("ot.bregman.empirical_sinkhorn2 vs cost()",
      ot.bregman.empirical_sinkhorn2(x, y, eps, numIterMax=100000, stopThr=1e-13, method="sinkhorn_log"),
      ours["sinkhorn_cost"])
# POT's objective, <P, C> + eps sum P log P, against ours, <P, C> + eps KL(P | a x b):
pot_objective = (P * C).sum() + eps * (P * np.log(P)).sum()
entropy_ab = -(a @ np.log(a)) - (b @ np.log(b))
check("<P,C> + eps sum P log P + eps (H(a) + H(b)) vs objective()", pot_objective + eps * entropy_ab,
      ours["sinkhorn_objective"], f"(eps (H(a)+H(b)) = {eps * entropy_ab:.12g})")
# potentials: P = diag(u) K diag(v), ours P = a_i b_j exp((f_i + g_j - C_ij)/eps)
f, g = table("sinkhorn_f").ravel(), table("sinkhorn_g").ravel()
fu = eps * (log["log_u"] - np.log(a))
gv = eps * (log["log_v"] - np.log(b))
t = np.mean(f - fu)
check("eps (log u - log a) + t vs f, one constant t", fu + t, f)
check("eps (log v - log b) - t vs g, the same t", gv - t, g)
check("dualObjective() vs <a,f> + <b,g>", a @ f + b @ g, ours["sinkhorn_dualObjective"])

# --- Sinkhorn divergence
# POT 0.8.2's empirical_sinkhorn_divergence passes stopThr=1e-9 to its three problems whatever the caller asks
pot_div = ot.bregman.empirical_sinkhorn_divergence(x, y, eps, method="sinkhorn_log")
check("empirical_sinkhorn_divergence vs value() (different quantities)", pot_div, ours["div_value"])
check("empirical_sinkhorn_divergence vs cost(xy) - cost(xx)/2 - cost(yy)/2", pot_div,
      ours["pot_style_divergence"], "(POT's self terms stop at stopThr 1e-9)")
# the same POT formula, <P,C> terms only, with every term solved to POT's own L1 marginal error shown
terms = {}
for name, (p_, q_) in {"xy": (x, y), "xx": (x, x), "yy": (y, y)}.items():
    M_ = ((p_[:, None, :] - q_[None, :, :]) ** 2).sum(-1)
    wp, wq = ot.unif(len(p_)), ot.unif(len(q_))
    P_ = ot.sinkhorn(wp, wq, M_, eps, method="sinkhorn_log", numItermax=100000, stopThr=1e-13)
    terms[name] = ((P_ * M_).sum(), np.abs(P_.sum(1) - wp).sum() + np.abs(P_.sum(0) - wq).sum())
pot_div_converged = terms["xy"][0] - 0.5 * (terms["xx"][0] + terms["yy"][0])
check("POT's formula from 3 ot.sinkhorn runs (100000 iterations) vs ours", pot_div_converged,
      ours["pot_style_divergence"], "(POT's L1 marginal errors xy %.1e, xx %.1e, yy %.1e)"
      % (terms["xy"][1], terms["xx"][1], terms["yy"][1]))
correction = ((ours["div_crossTerm"] - ours["cross_cost"]) - 0.5 * (ours["xx_objective"] - ours["xx_cost"])
              - 0.5 * (ours["yy_objective"] - ours["yy_cost"]))
check("value() - eps (KL_xy - KL_xx/2 - KL_yy/2) vs POT's formula", ours["div_value"] - correction,
      pot_div_converged,
      f"(correction {correction:.12g})")
check("GeomLoss rule: ours(eps = 2 blur^2)/2 vs ours on C/2 at blur^2", ours["div_value"] / 2,
      ours["halved_cost_divergence_eps_0.05"], "(internal: the scaling identity)")

# --- 1-D
u, v = x[:, 0], y[:, 0]
wu, wv = table("w_u").ravel(), table("w_v").ravel()
check("ot.emd_1d plan vs monotonePlan().toDense()", ot.emd_1d(u, v, wu, wv), table("oned_plan"))
check("ot.emd2_1d (metric sqeuclidean) vs cost(.., 2)", ot.emd2_1d(u, v, wu, wv), ours["oned_cost_p2"])
check("ot.wasserstein_1d(p=2) vs cost(.., 2) (W_2^2, no root)", ot.wasserstein_1d(u, v, wu, wv, p=2),
      ours["oned_cost_p2"])
check("ot.wasserstein_1d(p=1) vs cost(.., 1)", ot.wasserstein_1d(u, v, wu, wv, p=1), ours["oned_cost_p1"])

# --- sliced
theta = table("sliced_theta")
check("ot.sliced_wasserstein_distance(projections) vs distance()",
      ot.sliced_wasserstein_distance(x, y, a, b, p=2, projections=theta.T), ours["sliced_distance"])

# --- Gaussian / Bures
A, bias = ot.da.OT_mapping_linear(x, y, reg=0.0)  # ot.gaussian.empirical_bures_wasserstein_mapping from POT 0.9
check("ot.da.OT_mapping_linear(reg=0) A vs mongeMap().matrix()", A, table("bures_A"))
check("ot.da.OT_mapping_linear(reg=0) b vs mongeMap().offset()", bias.ravel(), table("bures_b").ravel())
ms, mt = x.mean(0), y.mean(0)
Cs, Ct = np.cov(x.T, bias=True), np.cov(y.T, bias=True)
Cs12 = sqrtm(Cs)
w2 = np.sqrt(np.sum((ms - mt) ** 2) + np.trace(Cs + Ct - 2 * sqrtm(Cs12 @ Ct @ Cs12)).real)
check("POT 0.9's bures_wasserstein_distance formula vs distance()", w2, ours["bures_distance"],
      "(formula evaluated here; 0.8.2 lacks ot.gaussian)")

# --- unbalanced: a of mass 1, b of mass 2, eps = 0.5, rho = 2
b2 = 2 * b
epsU, rho = 0.5, 2.0
Pu = ot.unbalanced.sinkhorn_unbalanced(a, b2, C, epsU, rho, numItermax=100000, stopThr=1e-15)
check("sinkhorn_unbalanced (0.8.2, entropy) vs ours on C + eps log(a b)", Pu, table("uot_shifted_plan"))
Pk = table("uot_plan")


def kl(p, q):
    return np.sum(p * np.log(p / q) - p + q)


check("generalised-KL objective of our plan vs objective()",
      (Pk * C).sum() + epsU * kl(Pk, np.outer(a, b2)) + rho * kl(Pk.sum(1), a) + rho * kl(Pk.sum(0), b2),
      ours["uot_objective"], "(POT >= 0.9 reg_type='kl' total_cost)")
check("sum(C * plan) vs cost() (sinkhorn_unbalanced2)", (Pk * C).sum(), ours["uot_cost"])

# --- fixed-support barycenter on a 1-D grid
hist = table("bary_hist")
grid = np.linspace(0, 1, hist.shape[1])
M = (grid[:, None] - grid[None, :]) ** 2
bar = ot.bregman.barycenter(hist.T, M, 1e-3, weights=np.array([0.5, 0.5]), method="sinkhorn_log",
                            numItermax=100000, stopThr=1e-14)
check("ot.bregman.barycenter(method='sinkhorn_log') vs weights()", bar, table("bary_weights").ravel())

# --- convolutional barycenter 40 x 40
inputs = table("conv_inputs").reshape(2, 40, 40)
for method in ["sinkhorn_log", "sinkhorn"]:
    cb = ot.bregman.convolutional_barycenter2d(inputs, 0.004, weights=np.array([0.4, 0.6]), method=method,
                                               numItermax=100000, stopThr=1e-14)
    check(f"ot.bregman.convolutional_barycenter2d(method='{method}') vs weights()", cb, table("conv_weights"),
          "" if method == "sinkhorn_log" else "(log(KU + 1e-30) where KU underflows)")

# --- free-support barycenter
X0 = x[:50]
Xb = ot.lp.free_support_barycenter([x, y], [a, b], X0, b=ot.unif(50), weights=np.array([0.5, 0.5]),
                                   numItermax=100, stopThr=1e-24)
check("ot.lp.free_support_barycenter vs barycenter() points", Xb, table("free_points"))

print(f"POT {ot.__version__}, NumPy {np.__version__}")
print("\n".join(rows))
