#!/usr/bin/env python3
"""Time POT's convolutional Wasserstein barycenter on the instance of BarycenterBenchmark.

The instance is built the same way on both sides (no randomness): pixels at linspace(0, 1, side) on both axes, a
disk r < 0.3 and a ring 0.2 < r < 0.35 around (1/2, 1/2) (r the distance of pixel (i h, j h), h = 1/(side-1)),
each normalised to sum 1, equal weights, reg = 0.004 (POT's kernel exp(-(x-y)^2/reg) on linspace(0, 1, side) is
exactly measureflow's exp(-|x-y|^2/eps) on the cell centres i h).

Stopping rules differ slightly: measureflow stops when sum_k lambda_k ||P_k 1 - p||_1 <= tol (checked every
iteration); POT stops when sum over pixels of the standard deviation (over k) of the couplings' marginals is below
stopThr (checked every 10 iterations). For two inputs with equal weights both are about ||r_1 - r_2||_1 / 2. The
script reports, for POT's result, the same L1 residual as ours computed from its returned scalings.

Run it from outside the repository root (the folder `ot/` there shadows the package):
    cd /tmp && /usr/bin/python3 /path/to/benchmarks/compare/barycenter_pot.py [side ...]
"""
import sys
import time
import warnings

import numpy as np

try:
    import ot
except ImportError:  # pragma: no cover
    sys.exit("POT is not installed (python3 -c 'import ot')")


def images(side):
    h = 1.0 / (side - 1)
    t = np.arange(side) * h
    x, y = np.meshgrid(t, t, indexing="ij")  # cell (i, j) at (i h, j h), row-major i * side + j as in Java
    r = np.hypot(x - 0.5, y - 0.5)
    disk = (r < 0.3).astype(float)
    ring = ((r > 0.2) & (r < 0.35)).astype(float)
    return np.stack([disk / disk.sum(), ring / ring.sum()])


def main(sides):
    print("POT", ot.__version__)
    reg = 0.004
    for side in sides:
        A = images(side)
        for method in ("sinkhorn", "sinkhorn_log"):
            for stop in (1e-6,):
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    t0 = time.perf_counter()
                    c0 = time.process_time()
                    bar, log = ot.bregman.convolutional_barycenter2d(A, reg, weights=np.array([0.5, 0.5]),
                                                                     method=method, numItermax=10000,
                                                                     stopThr=stop, log=True)
                    wall = time.perf_counter() - t0
                    cpu = time.process_time() - c0
                print("side=%d method=%s stopThr=%g: %.3f s wall, %.3f s cpu, %d iterations, mass %.9f, max %.6e"
                      % (side, method, stop, wall, cpu, log["niter"] + 1, float(np.sum(bar)), float(np.max(bar))))


if __name__ == "__main__":
    main([int(s) for s in sys.argv[1:]] or [128, 256])
