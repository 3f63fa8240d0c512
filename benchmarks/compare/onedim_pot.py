#!/usr/bin/env python3
"""POT's 1-D exact OT on the instances of OneDimensionalBenchmark, side by side with ours.csv.

Reads x_<n>.npy, y_<n>.npy, a_<n>.npy, b_<n>.npy written by org.measureflow.benchmarks.OneDimensionalInstances
(x ~ N(0, 1), y ~ N(1, 2); weights uniform 1/n or U[0.1, 1) normalised) and times W_2^2 by
  ot.emd2_1d(x, y, a, b, metric='sqeuclidean')   (argsort, then the C++ north-west merge)
  ot.wasserstein_1d(x, y, a, b, p=2)             (numpy: argsort, cumsums, quantile functions)
one warm-up call, then --repeats timed calls (wall clock, time.perf_counter), median and minimum. The uniform
variant passes a = b = None (POT then uses 1/n itself), as a user would. If <dir>/ours.csv exists (written by
OneDimensionalInstances --time in the same session), prints the ratio POT / ours of the medians and the relative
difference of the costs. Run it from outside the repository root (the folder `ot/` there shadows the package):
  /usr/bin/python3 benchmarks/compare/onedim_pot.py out/onedim [--repeats 7] [--sizes 10000 100000 1000000]
"""
import argparse
import csv
import os
import statistics
import sys
import time

import numpy as np

try:
    import ot
except ImportError:  # pragma: no cover
    sys.exit("POT is not installed (python3 -c 'import ot')")


def timed(fn, repeats):
    value = fn()  # warm-up
    seconds = []
    for _ in range(repeats):
        start = time.perf_counter()
        value = fn()
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds), min(seconds), float(value)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("directory")
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000, 1_000_000])
    args = parser.parse_args()
    ours = {}
    ours_file = os.path.join(args.directory, "ours.csv")
    if os.path.exists(ours_file):
        with open(ours_file) as f:
            for row in csv.DictReader(f):
                ours[(int(row["n"]), row["weights"])] = (float(row["median_seconds"]), float(row["cost"]))
    print(f"POT {ot.__version__}, numpy {np.__version__}")
    print(f"{'n':>8} {'weights':>8} {'function':>15} {'median s':>9} {'min s':>9} {'cost':>20} "
          f"{'ours s':>9} {'POT/ours':>8} {'rel. diff':>9}")
    for n in args.sizes:
        load = lambda name: np.load(os.path.join(args.directory, f"{name}_{n}.npy"))
        x, y, a, b = load("x"), load("y"), load("a"), load("b")
        for weights in ("uniform", "weighted"):
            wa, wb = (None, None) if weights == "uniform" else (a, b)
            cases = (("emd2_1d", lambda: ot.emd2_1d(x, y, wa, wb, metric="sqeuclidean")),
                     ("wasserstein_1d", lambda: ot.wasserstein_1d(x, y, wa, wb, p=2)))
            for name, fn in cases:
                median, fastest, cost = timed(fn, args.repeats)
                line = f"{n:>8} {weights:>8} {name:>15} {median:>9.4f} {fastest:>9.4f} {cost:>20.14f}"
                if (n, weights) in ours:
                    our_seconds, our_cost = ours[(n, weights)]
                    line += (f" {our_seconds:>9.4f} {median / our_seconds:>7.1f}x"
                             f" {abs(cost - our_cost) / our_cost:>9.1e}")
                print(line, flush=True)


if __name__ == "__main__":
    main()
