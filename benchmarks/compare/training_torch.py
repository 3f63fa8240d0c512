#!/usr/bin/env python3
"""Training throughput (pairs per second) of the issue-19 trainers in PyTorch on CPU.

Mode `flow` (default) is the step of the JMH `FlowMatchingThroughputBenchmark`: an MLP
(x_t, t) in R^3 -> R^2 with `--layers` hidden layers of width `--widths` and SiLU between them (the layout of
`org.measureflow.flowmatching.learned.Mlp`: LeCun-normal weights N(0, 1/n_in), zero biases), trained by Adam
(lr 1e-3, betas 0.9/0.999, eps 1e-8) on the flow-matching loss of survey eq. 8 with the linear interpolant and the
independent coupling. One step draws B latent points x0 ~ N(0, I_2), B data points x1 ~ N((2, 1), [[0.5, 0.2],
[0.2, 0.3]]) and B times t ~ U[0, 1), forms x_t = (1 - t) x0 + t x1 and the target x1 - x0, and takes one Adam
step on (1/B) sum_i |v(x_t, t) - (x1 - x0)|^2 (sum over coordinates, mean over the batch, as the Java loss).

Mode `generator` is one step of a generator trained by the Sinkhorn divergence (Genevay, Peyre, Cuturi 2018): an
MLP g: R^2 -> R^2 (no time input) of the same hidden layout; per step B latent points z ~ N(0, I_2) and B data
points y from the same Gaussian; x = g(z); the debiased divergence
    S_eps(x, y) = OT_eps(x, y) - OT_eps(x, x)/2 - OT_eps(y, y)/2,   cost |x - y|^2, uniform weights,
with log-domain Sinkhorn potentials (alternating updates for OT(x, y), averaged symmetric updates
f <- (f + T(f))/2 for the self terms, as `org.measureflow.ot.sinkhorn.SinkhornDivergence`), computed without
gradient. The gradient with respect to x is the envelope theorem's
    dS/dx_i = 2 sum_j P^xy_ij (x_i - y_j) - 2 sum_j P^xx_ij (x_i - x_j)
with the plans P built from the detached potentials; it is back-propagated through g by autograd
(x.backward(grad)), then one Adam step. Sinkhorn stops after `--sinkhorn-iterations` iterations or, when
`--sinkhorn-tolerance` is positive, as soon as the L1 marginal error of the plan is at most that (checked every
iteration). `--no-data-self-term` skips OT(y, y), which does not enter the gradient (then the printed loss is
S_eps + OT(y, y)/2).

Timing: `--warmup` steps, then `--repeats` timed runs of `--steps` steps each (batch drawing included); the best and
the median run are printed as pairs (or generated samples) per second of wall-clock time, and the best run by
process CPU time (`time.process_time`, all threads: on a loaded machine this is the less noisy number with one thread;
with two it also counts the threads' spinning). Dtype float64 (the Java precision) and,
as a side number, float32; torch.set_num_threads(--threads) (2 by default: the machine has two cores), and
OPENBLAS_NUM_THREADS set to the same count unless already set (Debian's torch multiplies in OpenBLAS).

Usage:
  python3 training_torch.py [--mode flow|generator] [--widths 64 256] [--layers 2] [--batch 256]
                            [--threads 2] [--dtypes float64 float32] [--steps 200] [--warmup 50] [--repeats 5]
                            [--epsilon 0.05] [--sinkhorn-iterations 50] [--sinkhorn-tolerance 0]
                            [--no-data-self-term] [--seed 0]
Needs PyTorch (Debian: python3-torch). Without it the script says so and exits with status 0.
"""
import argparse
import math
import os
import statistics
import sys
import time


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=["flow", "generator"], default="flow")
    parser.add_argument("--widths", type=int, nargs="+", default=[64, 256])
    parser.add_argument("--layers", type=int, default=2)
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--dtypes", nargs="+", choices=["float64", "float32"], default=["float64", "float32"])
    parser.add_argument("--steps", type=int, default=200, help="steps per timed run")
    parser.add_argument("--warmup", type=int, default=50)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--learning-rate", type=float, default=1e-3)
    parser.add_argument("--epsilon", type=float, default=0.05, help="generator: absolute Sinkhorn epsilon")
    parser.add_argument("--sinkhorn-iterations", type=int, default=50, help="generator: iteration cap")
    parser.add_argument("--sinkhorn-tolerance", type=float, default=0.0,
                        help="generator: stop at this L1 marginal error (0: always run the cap)")
    parser.add_argument("--no-data-self-term", action="store_true",
                        help="generator: skip OT(y, y) (not in the gradient)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    # Debian's torch does its float64/float32 products in OpenBLAS (pthreads), whose thread count
    # torch.set_num_threads does not set: give it the same count unless the caller chose one.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", str(args.threads))
    try:
        import torch
    except ImportError:
        print("PyTorch is not installed (python3 -c 'import torch' fails; Debian package python3-torch); "
              "nothing to time.")
        return 0

    torch.set_num_threads(args.threads)
    print(f"torch {torch.__version__}, threads {torch.get_num_threads()}, mode {args.mode}, "
          f"batch {args.batch}, {args.layers} hidden layers, "
          f"OPENBLAS_NUM_THREADS={os.environ['OPENBLAS_NUM_THREADS']} "
          f"OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '(unset)')} "
          f"OPENBLAS_L2_SIZE={os.environ.get('OPENBLAS_L2_SIZE', '(unset)')}")
    if args.mode == "generator":
        stop = (f"tolerance {args.sinkhorn_tolerance:g} or " if args.sinkhorn_tolerance > 0 else "") \
            + f"{args.sinkhorn_iterations} iterations"
        print(f"Sinkhorn divergence: epsilon {args.epsilon:g}, {stop}, data self term "
              f"{'skipped' if args.no_data_self_term else 'computed'}")
    print(f"{'width':>6} {'dtype':>8} {'best pairs/s':>13} {'median pairs/s':>15} {'ms/step':>8} "
          f"{'CPU pairs/s':>12} {'last loss':>11}")
    for width in args.widths:
        for name in args.dtypes:
            dtype = torch.float64 if name == "float64" else torch.float32
            best, median, cpu, loss = time_training(torch, args, width, dtype)
            print(f"{width:>6} {name:>8} {best:>13.0f} {median:>15.0f} {1e3 * args.batch / best:>8.3f} "
                  f"{cpu:>12.0f} {loss:>11.4g}")
    return 0


def mlp(torch, sizes, dtype, gen):
    """Linear layers with SiLU between them; weights N(0, 1/n_in), biases zero (Mlp.initialised)."""
    layers = []
    for l in range(len(sizes) - 1):
        lin = torch.nn.Linear(sizes[l], sizes[l + 1], dtype=dtype)
        with torch.no_grad():
            lin.weight.copy_(torch.randn(sizes[l + 1], sizes[l], generator=gen, dtype=dtype) / math.sqrt(sizes[l]))
            lin.bias.zero_()
        layers.append(lin)
        if l < len(sizes) - 2:
            layers.append(torch.nn.SiLU())
    return torch.nn.Sequential(*layers)


def time_training(torch, args, width, dtype):
    gen = torch.Generator().manual_seed(args.seed)
    d = 2
    b = args.batch
    hidden = [width] * args.layers
    mean = torch.tensor([2.0, 1.0], dtype=dtype)
    chol = torch.linalg.cholesky(torch.tensor([[0.5, 0.2], [0.2, 0.3]], dtype=dtype))
    if args.mode == "flow":
        net = mlp(torch, [d + 1] + hidden + [d], dtype, gen)
    else:
        net = mlp(torch, [d] + hidden + [d], dtype, gen)
    opt = torch.optim.Adam(net.parameters(), lr=args.learning_rate, betas=(0.9, 0.999), eps=1e-8)

    def data():
        return mean + torch.randn(b, d, generator=gen, dtype=dtype) @ chol.T

    def flow_step():
        x0 = torch.randn(b, d, generator=gen, dtype=dtype)
        x1 = data()
        t = torch.rand(b, 1, generator=gen, dtype=dtype)
        inputs = torch.cat(((1 - t) * x0 + t * x1, t), dim=1)
        target = x1 - x0
        opt.zero_grad(set_to_none=True)
        loss = (net(inputs) - target).square().sum(dim=1).mean()
        loss.backward()
        opt.step()
        return loss

    log_w = torch.full((b,), -math.log(b), dtype=dtype)

    def generator_step():
        z = torch.randn(b, d, generator=gen, dtype=dtype)
        y = data()
        opt.zero_grad(set_to_none=True)
        x = net(z)
        with torch.no_grad():
            xd = x.detach()
            value, grad = divergence_and_gradient(torch, xd, y, log_w, args)
        x.backward(grad)
        opt.step()
        return value

    step = flow_step if args.mode == "flow" else generator_step
    for _ in range(args.warmup):
        step()
    rates = []
    cpu_rates = []
    loss = None
    for _ in range(args.repeats):
        start = time.perf_counter()
        cpu_start = time.process_time()
        for _ in range(args.steps):
            loss = step()
        elapsed = time.perf_counter() - start
        cpu_rates.append(args.steps * b / max(time.process_time() - cpu_start, 1e-9))
        rates.append(args.steps * b / elapsed)
    return max(rates), statistics.median(rates), max(cpu_rates), float(loss)


def sq_dist(x, y):
    return (x[:, None, :] - y[None, :, :]).square().sum(dim=2)


def marginal_error(torch, f, g, c, log_w, eps):
    log_p = (f[:, None] + g[None, :] - c) / eps + log_w[:, None] + log_w[None, :]
    p = log_p.exp()
    w = log_w.exp()
    return float((p.sum(dim=1) - w).abs().sum() + (p.sum(dim=0) - w).abs().sum()), p


def ot_cross(torch, c, log_w, args):
    """Log-domain Sinkhorn for OT_eps(x, y): potentials f, g, the plan and the dual value <a, f> + <b, g>."""
    eps = args.epsilon
    f = torch.zeros(c.shape[0], dtype=c.dtype)
    g = torch.zeros(c.shape[1], dtype=c.dtype)
    for _ in range(args.sinkhorn_iterations):
        f = -eps * torch.logsumexp(log_w[None, :] + (g[None, :] - c) / eps, dim=1)
        g = -eps * torch.logsumexp(log_w[:, None] + (f[:, None] - c) / eps, dim=0)
        if args.sinkhorn_tolerance > 0 and marginal_error(torch, f, g, c, log_w, eps)[0] <= args.sinkhorn_tolerance:
            break
    p = marginal_error(torch, f, g, c, log_w, eps)[1]
    w = log_w.exp()
    return float(w @ f + w @ g), p


def ot_self(torch, c, log_w, args):
    """Symmetric log-domain Sinkhorn for OT_eps(x, x) with the averaged update f <- (f + T(f))/2."""
    eps = args.epsilon
    f = torch.zeros(c.shape[0], dtype=c.dtype)
    for _ in range(args.sinkhorn_iterations):
        t = -eps * torch.logsumexp(log_w[None, :] + (f[None, :] - c) / eps, dim=1)
        f = 0.5 * (f + t)
        if args.sinkhorn_tolerance > 0 and marginal_error(torch, f, f, c, log_w, eps)[0] <= args.sinkhorn_tolerance:
            break
    p = marginal_error(torch, f, f, c, log_w, eps)[1]
    return float(2 * (log_w.exp() @ f)), p


def divergence_and_gradient(torch, x, y, log_w, args):
    """S_eps(x, y) and its envelope-theorem gradient with respect to x (potentials held fixed)."""
    cxy = sq_dist(x, y)
    cxx = sq_dist(x, x)
    oxy, pxy = ot_cross(torch, cxy, log_w, args)
    oxx, pxx = ot_self(torch, cxx, log_w, args)
    oyy = 0.0 if args.no_data_self_term else ot_self(torch, sq_dist(y, y), log_w, args)[0]
    grad = 2 * (pxy.sum(dim=1, keepdim=True) * x - pxy @ y) - 2 * (pxx.sum(dim=1, keepdim=True) * x - pxx @ x)
    return oxy - 0.5 * oxx - 0.5 * oyy, grad


if __name__ == "__main__":
    sys.exit(main())
