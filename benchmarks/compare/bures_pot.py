#!/usr/bin/env python3
"""Indicative timing of POT's Gaussian W2 for comparison with BuresBenchmark.

Same construction as the JMH benchmark: covariances G G^T / d + 0.1 I with a seeded standard normal G
(numpy's generator, so not the same numbers), means standard normal. Uses ot.gaussian.bures_wasserstein_distance
when the installed POT has it (>= 0.9); older POT (e.g. Debian's 0.8.2) lacks it, and the script then times the
same computation through POT's numpy backend: sqrtm(Cs), sqrtm(Cs^1/2 Ct Cs^1/2), trace (two scipy sqrtm calls).
Run it from outside the repository root (the folder `ot/` there shadows the package): python3 bures_pot.py
"""
import sys
import time
import timeit

import numpy as np

try:
    import ot
    import ot.backend
except ImportError:  # pragma: no cover
    sys.exit("POT is not installed (python3 -c 'import ot')")


def make(d, rng):
    g = rng.standard_normal((d, d))
    return g @ g.T / d + 0.1 * np.eye(d)


def pot_distance():
    try:
        from ot.gaussian import bures_wasserstein_distance  # POT >= 0.9
        return bures_wasserstein_distance, "ot.gaussian.bures_wasserstein_distance"
    except ImportError:
        nx = ot.backend.NumpyBackend()

        def emulated(ms, mt, cs, ct):
            cs12 = nx.sqrtm(cs)
            b = nx.trace(cs + ct - 2 * nx.sqrtm(cs12 @ ct @ cs12))
            return nx.sqrt(nx.maximum(nx.norm(ms - mt) ** 2 + b, 0))
        return emulated, "POT %s numpy-backend emulation (sqrtm, sqrtm, trace)" % getattr(ot, "__version__", "?")


def main():
    fn, name = pot_distance()
    print("timing", name)
    rng = np.random.default_rng(42)
    for d in (10, 50, 200):
        cs, ct = make(d, rng), make(d, rng)
        ms, mt = rng.standard_normal(d), rng.standard_normal(d)
        number = max(3, int(20000 / d ** 1.7))
        best = min(timeit.repeat(lambda: fn(ms, mt, cs, ct), number=number, repeat=7)) / number
        # CPU time of the process as well: on a shared, loaded machine it is the steadier of the two
        cpu = min(timeit.repeat(lambda: fn(ms, mt, cs, ct), number=number, repeat=7,
                                timer=time.process_time)) / number
        print("d=%4d  wall %10.1f us  cpu %10.1f us per call (W2 = %.6f)"
              % (d, best * 1e6, cpu * 1e6, float(fn(ms, mt, cs, ct))))


if __name__ == "__main__":
    main()
