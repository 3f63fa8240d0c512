#!/usr/bin/env python3
"""Time POT's unbalanced Sinkhorn on the instance of UnbalancedBenchmark.

Points: the CSV files x_<n>.csv, y_<n>.csv written by org.measureflow.benchmarks.WriteInstances (the clouds of
SinkhornBenchmark). a uniform of mass 1, b uniform of mass 1.5, C = |x - y|^2 (ot.dist), eps = 0.1, rho = 1.

Objectives. measureflow solves min_P <C,P> + eps KL(P | a x b) + rho KL(P1 | a) + rho KL(P^T 1 | b). POT 0.8.2's
sinkhorn_unbalanced regularises with eps sum P log P instead; the first-order conditions coincide when POT is given
the cost M = C - eps log(a_i b_j), which this script passes, so both solve the same problem (for uniform weights the
shift is a constant). POT's plan is u_i K_ij v_j with K = exp(-M/eps) = a_i b_j exp(-C/eps), so our potentials are
f = eps log u, g = eps log v.

Stopping rules differ: measureflow stops when the L1 KKT residual ||P1 - a e^{-f/rho}||_1 + ||P^T1 - b e^{-g/rho}||_1
<= 1e-6; POT stops when the relative change of its scalings is below stopThr. The script runs several stopThr and
prints, for each, the time, the iterations and the same KKT residual and objective for POT's result, so the row
whose residual first drops below 1e-6 is the like-for-like time.

    java -cp benchmarks/target/benchmarks.jar org.measureflow.benchmarks.WriteInstances out/sinkhorn 1000 4000
    cd /tmp && /usr/bin/python3 /path/to/benchmarks/compare/unbalanced_pot.py /path/to/out/sinkhorn [n ...]
"""
import os
import sys
import time
import warnings

import numpy as np

try:
    import ot
except ImportError:  # pragma: no cover
    sys.exit("POT is not installed (python3 -c 'import ot')")


def kl(p, q):
    mask = p > 0
    return float(np.sum(p[mask] * np.log(p[mask] / q[mask])) - p.sum() + q.sum())


def main(directory, sizes):
    print("POT", ot.__version__)
    eps, rho = 0.1, 1.0
    for n in sizes:
        x = np.loadtxt(os.path.join(directory, "x_%d.csv" % n), delimiter=",")
        y = np.loadtxt(os.path.join(directory, "y_%d.csv" % n), delimiter=",")
        C = ot.dist(x, y)
        a = np.full(n, 1.0 / n)
        b = np.full(n, 1.5 / n)
        M = C - eps * np.log(np.outer(a, b))
        for stop in (1e-5, 1e-6, 1e-7, 1e-8, 1e-9):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                t0 = time.perf_counter()
                c0 = time.process_time()
                P, log = ot.unbalanced.sinkhorn_unbalanced(a, b, M, eps, rho, method="sinkhorn",
                                                           numItermax=100000, stopThr=stop, log=True)
                wall = time.perf_counter() - t0
                cpu = time.process_time() - c0
            f = eps * log["logu"]
            g = eps * log["logv"]
            r, c = P.sum(1), P.sum(0)
            residual = np.abs(r - a * np.exp(-f / rho)).sum() + np.abs(c - b * np.exp(-g / rho)).sum()
            objective = float(np.sum(P * C)) + eps * kl(P.ravel(), np.outer(a, b).ravel()) + rho * kl(r, a) \
                + rho * kl(c, b)
            print("n=%d stopThr=%g: %.3f s wall, %.3f s cpu, %d iterations, KKT L1 residual %.3e, objective %.10f,"
                  " mass %.8f" % (n, stop, wall, cpu, len(log["err"]), residual, objective, float(P.sum())))


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: unbalanced_pot.py <directory with x_<n>.csv, y_<n>.csv> [n ...]")
    main(sys.argv[1], [int(s) for s in sys.argv[2:]] or [1000, 4000])
