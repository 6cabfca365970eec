"""Path-steps per second of every kernel family, compiled and plain numpy, next to numpy's raw normal rate.

    python benchmarks/kernel_throughput.py [--json] [--paths 50000] [--steps 200] [--repeats 3] [--only TEXT]

Three tables, measured side by side in one process:
  one thread  each compiled kernel: path-steps/s, ratio, speedup;
  all cores   the same kernels on numba's thread count (wall time);
  reference   each workload's plain-numpy reference kernel (the kernels the compiled ones are tested against,
              and the only table of earlier versions): path-steps/s and ratio.
For each kernel:
  ratio   = random variates the kernel consumes per second (one per coordinate per step) / numpy's raw
            rng.standard_normal rate on one core (so 1-D SGD at ratio 2 steps twice as fast as numpy draws);
  speedup = compiled path-steps per second / the numpy reference's on the same workload (the reference is
            measured once, on one BLAS thread: its fastest setting for these small matrices).
compiled_normals_per_s is rng.standard_normals filling a fresh array (memory writes included; inside a
kernel the sampler runs faster). Each number is the best of --repeats runs. The one-thread table, the
reference and the raw rate use the process's CPU time by default (--clock cpu: other load on a shared machine
hardly moves it; --clock wall for an idle machine); the all-cores table uses wall time, and its speedups
are over the reference's rate from the one-thread measurement. --json prints {"raw_normals_per_s",
"compiled_normals_per_s", "threads", "clock", "kernels": [{"name", "path_steps_per_s", "ratio", "speedup",
...}], "all_cores": {"threads", "clock", "kernels": [...]}, "reference": [{"name", "path_steps_per_s",
"ratio", "normals_per_step"}]}.
"""
from __future__ import annotations

import os

# The reference's small matrix products are fastest on one BLAS thread (threaded BLAS only slows them, the
# more so under load): compare with the reference at its best. Set before numpy loads BLAS.
for _var in ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

from checks.dynamics import compiled as C  # noqa: E402
from checks.dynamics import escape as ref_escape  # noqa: E402
from checks.dynamics import jit, linear, momentum, multiplicative, rng  # noqa: E402
from checks.dynamics import optimizers as O  # noqa: E402
from checks.dynamics.compiled.escape import stable_numpy  # noqa: E402

CLOCK = {"wall": time.perf_counter, "cpu": time.process_time}
clock = time.perf_counter


def best_of(fn, repeats: int) -> tuple[float, object]:
    best, out = math.inf, None
    for _ in range(repeats):
        start = clock()
        out = fn()
        best = min(best, clock() - start)
    return best, out


def raw_normal_rate(repeats: int) -> float:
    g, buf = np.random.default_rng(0), np.empty(1 << 20)
    t, _ = best_of(lambda: [g.standard_normal(out=buf) for _ in range(16)], repeats)
    return 16 * buf.size / t


# --- workloads: name -> (normals per step, compiled run, numpy run); each run returns its path-steps -------------
def workloads(n: int, steps: int):
    eigs = np.array([0.5, -0.3, 1.2])
    H3, _ = linear.rotated_hessian(eigs, np.random.default_rng(0))
    sgd1 = linear.sgd_on_quadratic(np.array([[-0.5]]), 0.01, 32.0)
    lan1 = linear.langevin_euler(np.array([[0.7]]), np.array([[0.01]]), 0.01)
    sgd3 = linear.sgd_on_quadratic(H3, 0.01, 32.0)
    K = np.array([[0.0, -1.0], [0.8, 2.0]])                      # the phase-space SDE (7), 1 direction
    Dm = np.diag([0.0, 0.05])
    w = {}
    sgd3d = linear.sgd_on_quadratic(np.diag(eigs), 0.01, 32.0)
    for name, dyn in (("SGD, 1-D quadratic", sgd1), ("Langevin Euler-Maruyama, 1-D", lan1),
                      ("SGD, 3-D diagonal saddle", sgd3d), ("SGD, 3-D rotated saddle", sgd3)):
        w[name] = (dyn.dim, lambda s, dyn=dyn: C.simulate(dyn, n, (steps,), s).path_steps,
                   lambda g, dyn=dyn: (linear.simulate(dyn, n, (steps,), g), n * steps)[1])
    w["Euler-Maruyama pair, 2-D phase space"] = (
        4, lambda s: (C.euler_maruyama_pair(K, Dm, 1.0, steps, n, s), n * steps)[1],
        lambda g: (linear.euler_maruyama_pair(K, Dm, 1.0, steps, n, g), n * steps)[1])
    opts = {"Momentum (4)": lambda Cm: O.HeavyBall(0.01, 0.9, 1.0),
            "idealized Adam (121)": lambda Cm: O.IdealizedAdam(0.01, Cm, 0.9, bias_correction=False),
            "Adam (Algorithm 1)": lambda Cm: O.Adam(0.01),
            "Adai (Algorithm 2)": lambda Cm: O.Adai(0.01),
            "AMSGrad": lambda Cm: O.AMSGrad(0.01, 0.9, 0.999, 1e-8)}
    for name, make in opts.items():
        w[f"{name}, 3-D rotated saddle"] = (
            3, lambda s, make=make: (C.optimizer_on_saddle(make, eigs, 32.0, steps, n, s), n * steps)[1],
            lambda g, make=make: (momentum.optimizer_on_saddle(make, eigs, 32.0, steps, n, g), n * steps)[1])
    w.update(escape_workloads(max(2000, n // 25)))
    w["multiplicative ln|w|, T = 10 x steps"] = (
        1, lambda s: (C.log_abs_w(0.7, -1.5, 10 * steps, n, s), n * 10 * steps)[1],
        lambda g: (multiplicative.log_abs_w(0.7, -1.5, 10 * steps, n, g), n * 10 * steps)[1])
    lam = 0.05
    w["multiplicative 2-D landscape (ziyin Eq. 10)"] = (
        1, lambda s: (C.sharp_flat_sgd(lam, -0.1, 1 / lam - 6, steps, n, s), n * steps)[1],
        lambda g: (multiplicative.sharp_flat_sgd(lam, -0.1, 1 / lam - 6, steps, n, g), n * steps)[1])
    return w


def escape_workloads(n: int, max_steps: int = 5000):
    """First exit from the cosine valley (DeltaL = 0.2, DeltaL/T = 3 for SGD at eta = 0.02) past |theta| = 1.5."""
    dl, eta = 0.2, 0.02
    Ha = dl * math.pi ** 2 / 2
    sd = math.sqrt(Ha / (eta * Ha * 3 / (2 * dl)))
    pot = C.cosine_valley(dl)
    inside = lambda x: np.abs(x[:, 0]) >= 1.5
    cases = {"SGD": lambda: O.SGD(eta), "Momentum": lambda: O.HeavyBall(eta * 0.1, 0.9, 1.0),
             "Adam": lambda: O.Adam(eta), "Adai": lambda: O.Adai(eta)}
    w = {}
    for name, make in cases.items():
        grad = lambda x, r: pot.gradient(x) + sd * r.standard_normal(x.shape)
        w[f"escape {name}, cosine valley"] = (
            1, lambda s, make=make: C.escape_times(make(), pot, 0.0, (-1.5, 1.5), sd, n, max_steps, s).path_steps,
            lambda g, make=make, grad=grad: ref_escape.escape_times(make(), grad, [0.0], inside, n, max_steps,
                                                                    g).path_steps)
    alpha, scale = 1.5, 0.5 * sd
    grad = lambda x, r: pot.gradient(x) + scale * stable_numpy(alpha, x.shape, r)
    w["escape SGD, alpha-stable noise (alpha 1.5)"] = (
        1, lambda s: C.escape_times(O.SGD(eta), pot, 0.0, (-1.5, 1.5), scale, n, max_steps, s, noise="stable",
                                    alpha=alpha).path_steps,
        lambda g: ref_escape.escape_times(O.SGD(eta), grad, [0.0], inside, n, max_steps, g).path_steps)
    return w


def measure(runs, reference_rates, raw, repeats, threads, counter):
    out = []
    with jit.threads(threads):
        for name, (per_step, compiled, _) in runs.items():
            compiled(np.random.SeedSequence(0))                  # compile or load from the cache
            t, work = best_of(lambda: compiled(np.random.SeedSequence(next(counter))), repeats)
            rate = work / t
            out.append({"name": name, "path_steps_per_s": rate, "ratio": rate * per_step / raw,
                        "speedup": rate / reference_rates[name], "normals_per_step": per_step,
                        "reference_path_steps_per_s": reference_rates[name]})
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--paths", type=int, default=50_000)
    ap.add_argument("--steps", type=int, default=200)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--clock", choices=("cpu", "wall"), default="cpu",
                    help="clock of the one-thread table (cpu: this process's CPU time, which other load on a "
                         "shared machine hardly disturbs; the all-cores table always uses wall time)")
    ap.add_argument("--only", default="", help="run only the kernels whose name contains this text")
    args = ap.parse_args()
    global clock
    clock = CLOCK[args.clock]
    raw = raw_normal_rate(args.repeats)
    runs = {k: v for k, v in workloads(args.paths, args.steps).items() if args.only.lower() in k.lower()}
    counter = iter(range(1, 10 ** 9))
    reference = {}
    for name, (_, _, numpy_run) in runs.items():
        t, work = best_of(lambda: numpy_run(np.random.default_rng(next(counter))), max(1, args.repeats - 1))
        reference[name] = work / t
    with jit.threads(1):
        rng.standard_normals(0, 1 << 10)
        t, _ = best_of(lambda: [rng.standard_normals(next(counter), 1 << 20, block=1 << 20) for _ in range(16)],
                       args.repeats)
    one = measure(runs, reference, raw, args.repeats, 1, counter)
    clock = time.perf_counter
    result = {"raw_normals_per_s": raw, "compiled_normals_per_s": (1 << 24) / t, "threads": 1,
              "clock": args.clock, "kernels": one,
              "all_cores": {"threads": jit.max_threads(), "clock": "wall",
                            "kernels": measure(runs, reference, raw, args.repeats, jit.max_threads(), counter)},
              "reference": [{"name": name, "path_steps_per_s": reference[name],
                             "ratio": reference[name] * per_step / raw, "normals_per_step": per_step}
                            for name, (per_step, _, _) in runs.items()]}
    if args.json:
        print(json.dumps(result, indent=1))
        return
    print(f"numpy {np.__version__}: raw standard_normal {raw / 1e6:.1f} M/s; rng.standard_normals "
          f"{result['compiled_normals_per_s'] / 1e6:.1f} M/s into a fresh array, one thread ({args.clock} time)")
    for title, rows in ((f"one thread ({args.clock} time)", result["kernels"]),
                        (f"all cores ({result['all_cores']['threads']} threads, wall time)",
                         result["all_cores"]["kernels"])):
        print(f"\n{title}:\n  {'kernel':<48} {'M path-steps/s':>14} {'ratio':>6} {'speedup':>8} {'numpy M/s':>10}")
        for r in rows:
            print(f"  {r['name']:<48} {r['path_steps_per_s'] / 1e6:>14.1f} {r['ratio']:>6.2f} {r['speedup']:>8.1f} "
                  f"{r['reference_path_steps_per_s'] / 1e6:>10.2f}")
    print(f"\nreference: the plain-numpy kernels, one BLAS thread ({args.clock} time):\n  {'kernel':<48} "
          f"{'M path-steps/s':>14} {'ratio':>6}")
    for r in result["reference"]:
        print(f"  {r['name']:<48} {r['path_steps_per_s'] / 1e6:>14.2f} {r['ratio']:>6.2f}")


if __name__ == "__main__":
    main()
