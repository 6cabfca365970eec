"""Speed of the escape-time kernel, and how its cost grows with the barrier height.

    python benchmarks/escape_kernel.py [--paths 2000] [--eta 0.02]

SGD on the cosine valley L = DeltaL (1 - cos(pi theta))/2 with Gaussian gradient noise of variance
H_a/B, for DeltaL/T = 2 ... 6 (T = eta H_a/(2B)). Paths that have left the valley are dropped each
step, so the work is the sum of the escape times, not n_paths x the longest one. Printed per barrier:
the mean escape time (iterations), the work in path-steps, wall time, path-steps per second, and the
work a kernel without early stopping would have done.
"""
from __future__ import annotations

import argparse
import math
import time

import numpy as np

from checks.dynamics.escape import escape_times
from checks.dynamics.optimizers import SGD


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--paths", type=int, default=2000)
    ap.add_argument("--eta", type=float, default=0.02)
    args = ap.parse_args()
    dl = 0.2
    H = dl * math.pi ** 2 / 2
    rng = np.random.default_rng(0)
    print(f"SGD on the cosine valley, DeltaL = {dl}, H_a = {H:.3f}, eta = {args.eta}, {args.paths} paths")
    print(f"{'DeltaL/T':>9} {'mean steps':>11} {'path-steps':>12} {'seconds':>8} {'M path-steps/s':>15} "
          f"{'without stopping':>17}")
    for ratio in (2, 3, 4, 5, 6):
        B = args.eta * H * ratio / (2 * dl)            # DeltaL / T = ratio with T = eta H/(2B)
        sd = math.sqrt(H / B)
        grad = lambda x, r: dl * math.pi / 2 * np.sin(math.pi * x) + sd * r.standard_normal(x.shape)
        start = time.perf_counter()
        e = escape_times(SGD(args.eta), grad, [0.0], lambda x: np.abs(x[:, 0]) >= 1.0, args.paths, 10_000_000, rng)
        sec = time.perf_counter() - start
        mean, _ = e.mean()
        full = int(e.steps.max()) * e.n
        print(f"{ratio:>9} {mean:>11.0f} {e.path_steps:>12d} {sec:>8.2f} {e.path_steps / sec / 1e6:>15.2f} "
              f"{full:>17d}")


if __name__ == "__main__":
    main()
