"""Rate of the SaS sampler as a ratio to numpy's standard_normal rate in the same process.

    python benchmarks/stable_sampler.py [--n 1048576] [--repeats 7]

Each row times ``sas(alpha, n)`` (Chambers-Mallows-Stuck; the default path with single-precision angular
factors, and the all-float64 path ``precise=True``) and ``rng.standard_normal(out=...)`` alternately, best of
``repeats``, so both see the same machine load; times are this process's CPU time (time.process_time),
which other work on a shared machine inflates less than wall-clock time. The aim is a ratio of at least
0.5: an alpha-stable draw costs a uniform, an exponential, three sines, a logarithm and an exponential, about 19 ns
of the 26 ns the numpy-only path takes here (normal: about 12 ns); with numba the arithmetic around those calls is
fused into three compiled loops, which brings the default path to about 20.5 ns (ratio about 0.57 on an idle machine;
rows "numpy only" show the uncompiled path).
Also printed: the rotationally invariant 2-D sampler (per vector) and the exact big-jump sampler (per jump).
"""
from __future__ import annotations

import argparse
import time

import numpy as np

from checks.dynamics import stable
from checks.dynamics.stable import big_jumps, sas, sas_isotropic


def paired_best(fn_a, fn_b, repeats: int) -> tuple[float, float]:
    ta, tb = [], []
    for _ in range(repeats):
        start = time.process_time()
        fn_a()
        ta.append(time.process_time() - start)
        start = time.process_time()
        fn_b()
        tb.append(time.process_time() - start)
    return min(ta), min(tb)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=1 << 20)
    ap.add_argument("--repeats", type=int, default=7)
    args = ap.parse_args()
    n = args.n
    rng = np.random.default_rng(0)
    normal, out = np.empty(n), np.empty(n)
    draw_normal = lambda: rng.standard_normal(out=normal)
    print(f"numpy {np.__version__}: {n} variates per call, best of {args.repeats} (alternating with the normal draw)")
    print(f"{'sampler':<34} {'alpha':>5} {'M/s':>8} {'normal M/s':>11} {'ratio':>6}")
    compiled = stable._compiled
    sas(1.5, 1024, rng)                                  # compile (cached on disk after the first run)
    for label, precise, numpy_only in (("sas (default)", False, False), ("sas, numpy only", False, True),
                                       ("sas, float64 throughout", True, False)):
        stable._compiled = (lambda: False) if numpy_only else compiled
        for alpha in (0.7, 1.0, 1.3, 1.5, 1.8, 2.0):
            t_s, t_n = paired_best(lambda: sas(alpha, n, rng, out=out, precise=precise), draw_normal, args.repeats)
            print(f"{label:<34} {alpha:>5} {n / t_s / 1e6:>8.1f} {n / t_n / 1e6:>11.1f} {t_n / t_s:>6.2f}")
    stable._compiled = compiled
    m = n // 2
    t_s, t_n = paired_best(lambda: sas_isotropic(1.5, m, 2, rng), draw_normal, args.repeats)
    print(f"{'sas_isotropic, 2-D (per vector)':<34} {1.5:>5} {m / t_s / 1e6:>8.1f} {n / t_n / 1e6:>11.1f} "
          f"{(m / t_s) / (n / t_n):>6.2f}")
    jumps = big_jumps(1.5, 1.0, 1.0, 1, rng)     # warm-up
    count = int(n / jumps.rate / 4)
    t_s, t_n = paired_best(lambda: big_jumps(1.5, 1.0, 4.0, count, rng), draw_normal, args.repeats)
    expected = jumps.rate * 4.0 * count
    print(f"{'big_jumps (per jump)':<34} {1.5:>5} {expected / t_s / 1e6:>8.1f} {n / t_n / 1e6:>11.1f} "
          f"{(expected / t_s) / (n / t_n):>6.2f}")


if __name__ == "__main__":
    main()
