#!/usr/bin/env python3
"""Indicative timing of the AttentionBenchmark step in PyTorch on CPU.

Same construction as the JMH benchmark (different random numbers: torch's generator): tokens x_i ~ N(0, I_d),
one head with Q, K entries N(0, 1) / d^(3/4) (logits of variance about 1) and V entries N(0, 1/d). One attention
evaluation is

    v = softmax((X Q^T)(X K^T)^T, dim=1) X V^T        (survey eq. 27, uniform weights)

which PyTorch computes with two matrix products and a dense n x n softmax (it stores the n x n matrix; ours does
not). One RK4 step of size h = 0.01 is four such evaluations plus the stage combinations. Timed in float64 (our
precision) and float32, with torch.set_num_threads(2) by default (the machine has two cores).

Usage: python3 attention_torch.py [--sizes 1024 4096] [--dims 16 64] [--repeats 5] [--threads 2]
Needs PyTorch (Debian: python3-torch). Without it the script says so and exits with status 0.
"""
import argparse
import sys
import time


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1024, 4096])
    parser.add_argument("--dims", type=int, nargs="+", default=[16, 64])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    try:
        import torch
    except ImportError:
        print("PyTorch is not installed (python3 -c 'import torch' fails; Debian package python3-torch); "
              "nothing to time.")
        return 0

    torch.set_num_threads(args.threads)
    print(f"torch {torch.__version__}, threads {torch.get_num_threads()}")
    print(f"{'n':>6} {'d':>4} {'dtype':>8} {'attention ms':>13} {'rk4 step ms':>12}")
    for n in args.sizes:
        for d in args.dims:
            for dtype in (torch.float64, torch.float32):
                gen = torch.Generator().manual_seed(42)
                x = torch.randn(n, d, generator=gen, dtype=dtype)
                q = torch.randn(d, d, generator=gen, dtype=dtype) * d ** -0.75
                k = torch.randn(d, d, generator=gen, dtype=dtype) * d ** -0.75
                v = torch.randn(d, d, generator=gen, dtype=dtype) / d ** 0.5

                def field(y):
                    logits = (y @ q.T) @ (y @ k.T).T
                    return torch.softmax(logits, dim=1) @ y @ v.T

                def rk4(y, h=0.01):
                    k1 = field(y)
                    k2 = field(y + 0.5 * h * k1)
                    k3 = field(y + 0.5 * h * k2)
                    k4 = field(y + h * k3)
                    return y + (h / 6) * (k1 + 2 * k2 + 2 * k3 + k4)

                with torch.no_grad():
                    field(x)
                    rk4(x)  # warm-up
                    t_att = best_of(lambda: field(x), args.repeats)
                    t_rk4 = best_of(lambda: rk4(x), args.repeats)
                name = "float64" if dtype == torch.float64 else "float32"
                print(f"{n:>6} {d:>4} {name:>8} {1e3 * t_att:>13.2f} {1e3 * t_rk4:>12.2f}")
    return 0


def best_of(fn, repeats):
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


if __name__ == "__main__":
    sys.exit(main())
