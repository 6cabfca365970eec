"""Path-steps per second of the SGD/Langevin kernel and of the optimizers on a quadratic saddle, next to
numpy's raw normal rate.

    python benchmarks/kernel_throughput.py [--paths 100000] [--steps 400] [--repeats 3]

Each path-step needs one normal per dimension, so the raw rate of rng.standard_normal(out=...) is the
ceiling; the kernel aims for at least half of it.
"""
from __future__ import annotations

import argparse
import time

import numpy as np

from checks.dynamics.linear import langevin_euler, rotated_hessian, sgd_on_quadratic, simulate
from checks.dynamics.momentum import optimizer_on_saddle
from checks.dynamics.optimizers import Adai, Adam, HeavyBall, IdealizedAdam


def best_of(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--paths", type=int, default=100_000)
    ap.add_argument("--steps", type=int, default=400)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    n, steps = args.paths, args.steps
    rng = np.random.default_rng(0)

    buf = np.empty((max(1, (1 << 20) // n), n))
    blocks = -(-steps // buf.shape[0])
    t_raw = best_of(lambda: [rng.standard_normal(out=buf) for _ in range(blocks)], args.repeats)
    raw_rate = blocks * buf.size / t_raw

    cases = {
        "SGD, 1-D quadratic (H = -0.5)": (sgd_on_quadratic(np.array([[-0.5]]), 0.01, 32.0), 1),
        "Langevin Euler-Maruyama, 1-D (H = 0.7)": (langevin_euler(np.array([[0.7]]), np.array([[0.01]]), 0.01), 1),
        "SGD, 3-D diagonal saddle": (sgd_on_quadratic(np.diag([0.5, -0.3, 1.2]), 0.01, 32.0), 3),
        "SGD, 3-D rotated saddle (matmul)": (
            sgd_on_quadratic(rotated_hessian(np.array([0.5, -0.3, 1.2]), rng)[0], 0.01, 32.0), 3),
    }
    print(f"numpy {np.__version__}: raw standard_normal rate {raw_rate / 1e6:.1f} M normals/s "
          f"({n} paths, {steps} steps, best of {args.repeats})")
    for name, (dyn, dim) in cases.items():
        t = best_of(lambda: simulate(dyn, n, (steps,), rng), args.repeats)
        path_steps = n * steps / t
        ratio = path_steps * dim / raw_rate
        print(f"  {name:<42} {path_steps / 1e6:7.1f} M path-steps/s   "
              f"{path_steps * dim / 1e6:7.1f} M normals/s   ratio to raw {ratio:.2f}")

    # The optimizers step through Python once per iteration, vectorized over paths (3-D rotated saddle).
    optimizers = {
        "Momentum (4), 3-D rotated saddle": lambda C: HeavyBall(0.01, 0.9, 1.0),
        "idealized Adam (121), 3-D rotated saddle": lambda C: IdealizedAdam(0.01, C, 0.9, bias_correction=False),
        "Adam (Algorithm 1), 3-D rotated saddle": lambda C: Adam(0.01),
        "Adai (Algorithm 2), 3-D rotated saddle": lambda C: Adai(0.01),
    }
    for name, make in optimizers.items():
        t = best_of(lambda: optimizer_on_saddle(make, [0.5, -0.3, 1.2], 32.0, steps, n, rng), args.repeats)
        path_steps = n * steps / t
        print(f"  {name:<42} {path_steps / 1e6:7.1f} M path-steps/s   "
              f"{path_steps * 3 / 1e6:7.1f} M normals/s   ratio to raw {path_steps * 3 / raw_rate:.2f}")


if __name__ == "__main__":
    main()
