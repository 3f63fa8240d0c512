#!/usr/bin/python3
"""Writes the NumPy fixtures of NumpyFixturesTest into ./numpy next to this script.

Made with Debian's python3-numpy 1.24.2 and python3-scipy 1.10.1 (apt-get install python3-numpy python3-scipy):
    /usr/bin/python3 make_fixtures.py
The values are simple formulas that the Java test computes again in the same way (exact integer arithmetic, one
correctly rounded division or square root, then a rounding to float32 where the type is float32), so the test
compares bits, not printed numbers.
"""
import os

import numpy as np
import scipy.sparse

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "numpy")


def path(name):
    return os.path.join(OUT, name)


def matrix():
    """M[i, j] = (4 i + j - 5) / 7, shape (3, 4)."""
    k = np.arange(12, dtype=np.int64).reshape(3, 4)
    return (k - 5) / 7.0


def vector():
    """v[k] = sqrt(k + 1), shape (5,)."""
    return np.sqrt(np.arange(1, 6, dtype=np.float64))


def main():
    os.makedirs(OUT, exist_ok=True)
    for kind in ("f8", "f4"):
        for order_name, endian in (("le", "<"), ("be", ">")):
            dtype = endian + kind
            m = matrix().astype(dtype)
            np.save(path(f"{kind}_{order_name}_c.npy"), np.ascontiguousarray(m))
            np.save(path(f"{kind}_{order_name}_f.npy"), np.asfortranarray(m))
            np.save(path(f"{kind}_{order_name}_1d.npy"), vector().astype(dtype))
    for kind in ("i8", "i4"):
        for order_name, endian in (("le", "<"), ("be", ">")):
            # i[k] = 1000003 k - 5000000, k = 0..5 (fits int32 and int64)
            values = np.arange(6, dtype=np.int64) * 1000003 - 5000000
            np.save(path(f"{kind}_{order_name}_1d.npy"), values.astype(endian + kind))
    # the extremes an int64 may hold and still be read: +-2^53
    np.save(path("i8_exact_limits.npy"), np.array([-(2 ** 53), 2 ** 53], dtype="<i8"))
    np.save(path("i8_too_large.npy"), np.array([0, 2 ** 53 + 1], dtype="<i8"))
    # format versions 2.0 and 3.0 of the same matrix
    with open(path("f8_v2.npy"), "wb") as f:
        np.lib.format.write_array(f, matrix(), version=(2, 0))
    with open(path("f8_v3.npy"), "wb") as f:
        np.lib.format.write_array(f, matrix(), version=(3, 0))
    # an .npy file is a container: these special values must come back unchanged
    specials = np.array([0.1, -0.0, 5e-324, 1.7976931348623157e308, np.nan, np.inf, -np.inf,
                         2.2250738585072014e-308], dtype="<f8")
    np.save(path("specials.npy"), specials)
    # shapes and types that are rejected
    np.save(path("scalar_0d.npy"), np.float64(2.5))
    np.save(path("cube_3d.npy"), np.zeros((2, 3, 4)))
    np.save(path("empty_0x3.npy"), np.zeros((0, 3)))
    np.save(path("complex.npy"), np.zeros(3, dtype="<c16"))
    np.save(path("structured.npy"), np.zeros(3, dtype=[("x", "<f8"), ("y", "<f8")]))
    # a point cloud P[i, j] = (2 i + j - 3) / 7, shape (5, 2), with weights w[k] = (k + 1) / 15
    points = (np.arange(10, dtype=np.int64).reshape(5, 2) - 3) / 7.0
    weights = np.arange(1, 6, dtype=np.int64) / 15.0
    np.savez(path("cloud.npz"), points=points, weights=weights)
    np.savez_compressed(path("cloud_compressed.npz"), points=points, weights=weights)
    np.savez(path("two_arrays.npz"), x=points, y=matrix())
    # a sparse 4 x 5 plan in SciPy's COO layout (scipy.sparse.save_npz, compressed)
    coo = scipy.sparse.coo_matrix((np.array([0.25, 0.125, 0.5, 0.125]),
                                   (np.array([0, 1, 3, 2]), np.array([4, 0, 2, 2]))), shape=(4, 5))
    scipy.sparse.save_npz(path("plan_coo.npz"), coo)
    # text written by np.savetxt: blank-separated with '%.18e', and comma-separated under a '# x,y' comment
    np.savetxt(path("savetxt_blank.txt"), points)
    np.savetxt(path("savetxt_comma.csv"), points, delimiter=",", header="x,y")


if __name__ == "__main__":
    main()
