#!/usr/bin/env python3
"""Indicative timing of POT's exact solver ot.emd for comparison with ExactOtBenchmark.

Same law as the JMH benchmark: n samples of N(0, I_2) against n samples of N((1,1), diag(2, 0.5)), uniform weights,
squared Euclidean cost (ot.dist) built before timing. numpy's generator draws other samples than Java's, so costs
differ slightly; pass a file written by the Java side to compare values. Run it from outside the repository root
(the folder `ot/` there shadows the package): python3 exact_pot.py [n ...]
"""
import sys
import time

import numpy as np

try:
    import ot
except ImportError:  # pragma: no cover
    sys.exit("POT is not installed (python3 -c 'import ot')")


def main(sizes):
    for n in sizes:
        rng = np.random.default_rng(1)
        x = rng.standard_normal((n, 2))
        y = rng.standard_normal((n, 2)) * np.sqrt([2.0, 0.5]) + 1.0
        m = ot.dist(x, y)
        a = np.full(n, 1.0 / n)
        start = time.process_time()
        _, log = ot.emd(a, a, m, numItermax=10**8, log=True)
        seconds = time.process_time() - start
        print(f"n = {n}: ot.emd {seconds:.3f} s CPU, cost {log['cost']:.12f}, warning {log['warning']}")


if __name__ == "__main__":
    main([int(s) for s in sys.argv[1:]] or [1000, 4000])
