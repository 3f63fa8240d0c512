"""Point-cloud Sinkhorn side by side: POT's online ot.bregman.empirical_sinkhorn and `mflow ot --epsilon`.

Same instances as compare_pot.py (WriteInstances: x ~ N(0, I_2) seed 1, y ~ N((1,1), diag(2, 0.5)) seed 2, uniform
weights, cost |x - y|^2 not halved). POT runs its lazy (online, batched) log-domain Sinkhorn, which stops when the
L1 row error sum_i |P1 - a|_i (checked every 10 iterations) is at most stopThr; we pass the same tolerance, and
mflow stops on the L1 error of both marginals (stricter). POT's iteration cap is --pot-iterations: at small epsilon
plain Sinkhorn needs far more iterations than a run can afford, so the script reports the error POT reached.

usage: /usr/bin/python3 benchmarks/compare/empirical_pot.py DIR --sizes 10000 --epsilon 0.01 [--tolerance 1e-6]
       [--pot-iterations 10000] [--mflow ./mflow]
"""
import argparse
import json
import os
import subprocess
import time

import numpy as np
import ot


def cost_and_error(xs, xt, f, g, reg, a, b, batch=1000):
    """<P, M> and ||P1 - a||_1 + ||P^T 1 - b||_1 for P = exp(f_i + g_j - M_ij / reg), in row batches."""
    cost = 0.0
    rows = np.zeros(len(xs))
    cols = np.zeros(len(xt))
    for i in range(0, len(xs), batch):
        m = ot.dist(xs[i:i + batch], xt, metric="sqeuclidean")
        p = np.exp(f[i:i + batch, None] + g[None, :] - m / reg)
        cost += float(np.sum(p * m))
        rows[i:i + batch] = p.sum(axis=1)
        cols += p.sum(axis=0)
    return cost, float(np.abs(rows - a).sum() + np.abs(cols - b).sum())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("dir")
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000])
    parser.add_argument("--epsilon", type=float, default=0.01)
    parser.add_argument("--tolerance", type=float, default=1e-6)
    parser.add_argument("--pot-iterations", type=int, default=10000)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--mflow", default="./mflow")
    args = parser.parse_args()
    print("OPENBLAS_CORETYPE=%s OPENBLAS_L2_SIZE=%s POT %s numpy %s" % (
        os.environ.get("OPENBLAS_CORETYPE"), os.environ.get("OPENBLAS_L2_SIZE"), ot.__version__, np.__version__))
    for n in args.sizes:
        xs_path = os.path.join(args.dir, "x_%d.csv" % n)
        xt_path = os.path.join(args.dir, "y_%d.csv" % n)
        xs = np.loadtxt(xs_path, delimiter=",")
        xt = np.loadtxt(xt_path, delimiter=",")
        a = np.full(n, 1.0 / n)
        b = np.full(len(xt), 1.0 / len(xt))
        start = time.perf_counter()
        out = subprocess.run([args.mflow, "ot", "--source", xs_path, "--target", xt_path, "--epsilon",
                              repr(args.epsilon), "--tolerance", repr(args.tolerance), "--json", "--quiet"],
                             capture_output=True, text=True)
        ours_wall = time.perf_counter() - start
        ours = json.loads(out.stdout.strip().splitlines()[-1]) if out.stdout.strip() else {"error": out.stderr}
        start = time.perf_counter()
        f, g, log = ot.bregman.empirical_sinkhorn(xs, xt, args.epsilon, a, b, numIterMax=args.pot_iterations,
                                                  stopThr=args.tolerance, isLazy=True, batchSize=args.batch,
                                                  log=True, warn=False)
        pot_time = time.perf_counter() - start
        iterations = 10 * len(log["err"])
        pot_cost, pot_error = cost_and_error(xs, xt, f, g, args.epsilon, a, b, args.batch)
        print("n=%d eps=%g tol=%g" % (n, args.epsilon, args.tolerance))
        print("  mflow ot: %.2f s wall (solver %.2f s), kernel %s, %s iterations, L1 error %s, cost %.12g, "
              "neglected mass %s" % (ours_wall, ours.get("seconds", float("nan")), ours.get("kernel"),
                                     ours.get("iterations"), ours.get("marginal_error"),
                                     ours.get("cost", float("nan")), ours.get("neglected_mass")))
        print("  POT empirical_sinkhorn(isLazy=True, batchSize=%d): %.2f s, %d iterations, L1 error (both "
              "marginals) %.3e, cost %.12g" % (args.batch, pot_time, iterations, pot_error, pot_cost))
        if "cost" in ours:
            print("  relative cost difference %.3e; POT time / ours %.2f" % (
                abs(pot_cost - ours["cost"]) / abs(ours["cost"]), pot_time / ours_wall))


if __name__ == "__main__":
    main()
