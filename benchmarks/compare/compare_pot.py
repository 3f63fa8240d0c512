#!/usr/bin/env python3
"""Time POT's Sinkhorn solvers (and its exact emd) on the instances of SinkhornBenchmark.

The point clouds are read from the CSV files written by org.measureflow.benchmarks.WriteInstances, so both
sides solve exactly the same problems; see README.md in this folder for the commands.

Stopping rule. measureflow stops when the L1 marginal error ||P1 - a||_1 + ||P^T 1 - b||_1 <= tol (after a
g-update, so the column error is zero and this is the row error). POT's 'sinkhorn' stops when the L2 norm of the
column error (after its u-update, so its row error is zero) is < stopThr, checked every 10 iterations. Since
||e||_1 <= sqrt(n) ||e||_2, stopThr = tol / sqrt(n) guarantees the same L1 criterion ('l1' rule, the default);
'l2' uses stopThr = tol, which is looser than ours. Either way the script recomputes the L1 marginal error of the
plan POT returns and prints it next to the time.

Objective. POT's plan is the same as ours; the script evaluates the KL-form objective
<P, M> + eps KL(P | a x b) on POT's plan so that the values can be compared with measureflow's objective().
"""
import argparse
import csv
import math
import os
import time
import warnings

import numpy as np
import ot


def load(directory, n):
    x = np.loadtxt(os.path.join(directory, "x_%d.csv" % n), delimiter=",")
    y = np.loadtxt(os.path.join(directory, "y_%d.csv" % n), delimiter=",")
    return x, y


def kl_objective(P, M, a, b, eps):
    ab = np.outer(a, b)
    mask = P > 0
    kl = np.sum(P[mask] * np.log(P[mask] / ab[mask])) - P.sum() + 1.0
    return float(np.sum(P * M) + eps * kl)


def ours(directory):
    path = os.path.join(directory, "ours.csv")
    table = {}
    if os.path.exists(path):
        with open(path) as f:
            for row in csv.DictReader(f):
                table[(int(row["n"]), float(row["eps"]), row["variant"])] = float(row["seconds"])
    return table


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("directory", help="folder with x_<n>.csv, y_<n>.csv (and optionally ours.csv)")
    p.add_argument("--sizes", type=int, nargs="+", default=[1000, 4000])
    p.add_argument("--eps", type=float, nargs="+", default=[0.1, 0.01])
    p.add_argument("--tol", type=float, default=1e-6, help="L1 marginal tolerance (measureflow's criterion)")
    p.add_argument("--rule", choices=["l1", "l2"], default="l1", help="stopThr = tol/sqrt(n) (l1) or tol (l2)")
    p.add_argument("--methods", default="sinkhorn,sinkhorn_log,sinkhorn_stabilized")
    p.add_argument("--max-iter", type=int, default=100000)
    p.add_argument("--emd", action="store_true", help="also time ot.emd2 (exact OT)")
    args = p.parse_args()

    mine = ours(args.directory)
    print("n,eps,method,seconds,iterations_cap,l1_marginal_error,transport_cost,kl_objective,ratio_pot_over_ours")
    for n in args.sizes:
        x, y = load(args.directory, n)
        M = ot.dist(x, y)  # squared Euclidean, not normalised
        a = np.full(n, 1.0 / n)
        b = np.full(n, 1.0 / n)
        stop = args.tol / math.sqrt(n) if args.rule == "l1" else args.tol
        for eps in args.eps:
            for method in args.methods.split(","):
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    t0 = time.perf_counter()
                    try:
                        P = ot.sinkhorn(a, b, M, eps, method=method, numItermax=args.max_iter, stopThr=stop)
                        failed = None
                    except Exception as e:  # POT raises on some overflows
                        P, failed = None, repr(e)
                    dt = time.perf_counter() - t0
                if P is None or not np.all(np.isfinite(P)):
                    print("%d,%g,%s,%.3f,%d,nan,nan,nan,failed%s" % (n, eps, method, dt, args.max_iter,
                                                                      "" if failed is None else ":" + failed))
                    continue
                err = np.abs(P.sum(1) - a).sum() + np.abs(P.sum(0) - b).sum()
                ref = mine.get((n, eps, "dense"))
                ratio = "%.2f" % (dt / ref) if ref else ""
                if err > 10 * args.tol:
                    ratio = "failed:L1_error_above_tolerance"  # e.g. underflowed kernel: no meaningful time
                print("%d,%g,%s,%.3f,%d,%.3e,%.10f,%.10f,%s" % (n, eps, method, dt, args.max_iter, err,
                                                                 float(np.sum(P * M)),
                                                                 kl_objective(P, M, a, b, eps), ratio),
                      flush=True)
        if args.emd:
            t0 = time.perf_counter()
            cost = ot.emd2(a, b, M, numItermax=10_000_000)
            print("%d,0,emd,%.3f,,0,%.10f,%.10f," % (n, time.perf_counter() - t0, cost, cost), flush=True)


if __name__ == "__main__":
    main()
