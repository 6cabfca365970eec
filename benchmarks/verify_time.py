"""Wall and CPU time of the commands users run, and where `verify` spends its CPU.

    python benchmarks/verify_time.py [--json] [--targets ID|GLOB ...] [--jobs 2] [--repeats 3] [--no-profile]

Each command runs as its own process (``python -m theorycheck ...``), timed by the wall clock and by the CPU
time of the process and everything it started (worker processes included):
  list, show ID, latex ID                    best of --repeats runs;
  verify (cold)                              every claim (or --targets) with an empty cache of symbolic results;
  verify (warm)                              the same again: symbolic results come from that cache;
  verify -j N (cold)                         claims in N worker processes (--jobs; 0 or 1 skips it).
Then the split of verify's CPU time, in a fresh process: building the registry (imports, the index, building
every claim) is timed on its own; the checks are run under cProfile (cold cache) and each function's own time
is added to a category by the module that holds it; time in built-in and generated functions (numpy's RNG,
lambdified formulas) goes to the category of whatever called them. cProfile slows Python-heavy code more
than numpy's, so the split is given as fractions of the profiled time.
--json prints {"machine", "claims", "commands": {name: {"wall_s", "cpu_s", "rc"}}, "split": {
"registry_building_cpu_s", "checks_profiled_cpu_s", "categories": {name: {"cpu_s", "fraction"}}}}.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

CATEGORIES = (      # (category, path fragments of the modules whose own time counts in it), first match wins
    ("lambdify", ("/sympy/utilities/lambdify.py", "/sympy/printing/")),
    ("kernels (numpy, compiled)", ("/checks/dynamics/", "/numpy/", "/numba/", "/llvmlite/")),
    ("symbolic (simplify, mpmath)", ("/sympy/", "/mpmath/", "/checks/equality.py", "/checks/symbolic.py")),
    ("regime conditions and sampling", ("/theory/model.py",)),
    ("statistics and other checks", ("/checks/", "/scipy/")),
    ("claim code", ("/theory/",)),
)


def _cpu_children() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def timed(cmd: list[str], env: dict[str, str] | None = None, repeats: int = 1) -> dict[str, float]:
    """Best wall time of ``repeats`` runs, with the CPU time of that run (its worker processes included)."""
    best: dict[str, float] | None = None
    for _ in range(repeats):
        cpu, start = _cpu_children(), time.perf_counter()
        done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, text=True)
        row = {"wall_s": round(time.perf_counter() - start, 3), "cpu_s": round(_cpu_children() - cpu, 3),
               "rc": done.returncode}
        if done.returncode not in (0, 1, 3, 5):         # 1, 3, 5: verdicts or the budget, not a failure to run
            row["error"] = done.stderr.strip().splitlines()[-1:] or ["?"]
        if best is None or row["wall_s"] < best["wall_s"]:
            best = row
    assert best is not None
    return best


def _env(cache: str | None) -> dict[str, str]:
    env = dict(os.environ)
    if cache is not None:
        env["XDG_CACHE_HOME"] = cache
    return env


def commands(targets: list[str], show_id: str, jobs: int, repeats: int) -> dict[str, dict[str, float]]:
    tc = [sys.executable, "-m", "theorycheck"]
    out = {"list": timed([*tc, "list"], repeats=repeats),
           f"show {show_id}": timed([*tc, "show", show_id], repeats=repeats),
           f"latex {show_id}": timed([*tc, "latex", show_id], repeats=repeats)}
    verify = [*tc, "verify", *targets, "-q", "--json"]
    with tempfile.TemporaryDirectory() as cache:
        out["verify (cold)"] = timed(verify, _env(cache))
        out["verify (warm)"] = timed(verify, _env(cache))
    if jobs > 1:
        with tempfile.TemporaryDirectory() as cache:
            out[f"verify -j {jobs} (cold)"] = timed([*verify, "-j", str(jobs)], _env(cache))
    return out


# --- the split, measured in a fresh process (``--profile-child``) ------------------------------------------------
def _category(filename: str) -> str | None:
    if filename.startswith(("~", "<")) or not filename:         # built-in or generated (lambdified) code
        return None
    path = filename.replace(os.sep, "/")
    for name, fragments in CATEGORIES:
        if any(f in path for f in fragments):
            return name
    return "other (Python, standard library)"


def split_by_category(stats) -> dict[str, float]:
    """Own time per category; a built-in's or generated function's time goes to its callers' categories."""
    table = stats.stats                       # func -> (cc, nc, tt, ct, callers{caller: (cc, nc, tt, ct)})
    memo: dict[tuple, dict[str, float]] = {}

    def shares(func, seen=()) -> dict[str, float]:
        if func in memo:
            return memo[func]
        own = _category(func[0])
        if own is not None:
            out = {own: 1.0}
        else:
            callers = table.get(func, (0, 0, 0, 0, {}))[4]
            weights = {c: v[2] for c, v in callers.items() if c not in seen}
            total = sum(weights.values())
            out = defaultdict(float)
            if total <= 0:
                out["other (Python, standard library)"] = 1.0
            for caller, w in weights.items():
                for cat, frac in shares(caller, (*seen, func)).items():
                    out[cat] += frac * w / total
            out = dict(out)
        memo[func] = out
        return out

    result: dict[str, float] = defaultdict(float)
    for func, (_, _, tt, _, _) in table.items():
        for cat, frac in shares(func).items():
            result[cat] += tt * frac
    return dict(result)


def profile_child(targets: list[str]) -> dict:
    """Registry building timed on its own, then the checks under cProfile (no symbolic cache)."""
    start = time.process_time()
    from theory.registry import Registry

    reg = Registry.builtin()
    ids = [i for t in targets for i in reg.select_ids(t)] if targets else reg.ids()
    claims, broken = [], 0
    for cid in dict.fromkeys(ids):
        try:
            claims.append(reg.get(cid))
        except Exception:
            broken += 1
    import cProfile
    import pstats

    from checks.base import RunContext
    from checks.engine import run_claims

    registry_cpu = time.process_time() - start
    ctx = RunContext(cache_symbolic=False)
    profiler = cProfile.Profile(time.process_time)          # CPU time: other load on the machine does not count
    t0 = time.process_time()
    profiler.enable()
    run_claims(claims, ctx, reg)
    profiler.disable()
    checks_cpu = time.process_time() - t0
    cats = split_by_category(pstats.Stats(profiler))
    total = sum(cats.values()) or 1.0
    return {"claims": len(claims), "broken": broken, "registry_building_cpu_s": round(registry_cpu, 2),
            "checks_profiled_cpu_s": round(checks_cpu, 2),
            "categories": {k: {"cpu_s": round(v, 2), "fraction": round(v / total, 4)}
                           for k, v in sorted(cats.items(), key=lambda kv: -kv[1])}}


def split(targets: list[str]) -> dict:
    done = subprocess.run([sys.executable, __file__, "--profile-child", *(["--targets", *targets] if targets else [])],
                          capture_output=True, text=True)
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1:] or ["?"]}
    return json.loads(done.stdout)


def _first_id() -> str:
    out = subprocess.run([sys.executable, "-m", "theorycheck", "list"], capture_output=True, text=True).stdout
    return out.split()[0] if out.split() else "adai.eq19"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--targets", nargs="*", default=[], help="claim ids or globs (default: every claim)")
    ap.add_argument("--show", default="", help="the claim `show` and `latex` print (default: the first listed)")
    ap.add_argument("--jobs", type=int, default=2, help="worker processes of the parallel verify (0: skip it)")
    ap.add_argument("--repeats", type=int, default=3, help="runs of list, show and latex (the best is kept)")
    ap.add_argument("--no-profile", action="store_true", help="skip the split of verify's CPU time")
    ap.add_argument("--profile-child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.profile_child:
        print(json.dumps(profile_child(args.targets)))
        return
    machine = {"cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
               "load_average": [round(x, 2) for x in os.getloadavg()], "python": sys.version.split()[0]}
    show_id = args.show or _first_id()
    result = {"machine": machine, "commands": commands(args.targets, show_id, args.jobs, args.repeats)}
    if not args.no_profile:
        result["split"] = split(args.targets)
        result["claims"] = result["split"].get("claims")
    machine["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    if args.json:
        print(json.dumps(result, indent=1))
        return
    print(f"{machine['cores']} cores, load average {machine['load_average']} before, "
          f"{machine['load_average_after']} after (the machine may be shared: compare CPU seconds)")
    print(f"\n  {'command':<34} {'wall s':>8} {'CPU s':>8}")
    for name, row in result["commands"].items():
        print(f"  {name:<34} {row['wall_s']:>8.2f} {row['cpu_s']:>8.2f}" + (f"  exit {row['rc']}" if row["rc"] else "")
              + (f"  {row['error'][0]}" if "error" in row else ""))
    sp = result.get("split")
    if sp and "error" not in sp:
        print(f"\nverify's CPU time, {sp['claims']} claims: building the registry "
              f"{sp['registry_building_cpu_s']:.1f} s; the checks {sp['checks_profiled_cpu_s']:.1f} s under cProfile, "
              "of which:")
        for name, row in sp["categories"].items():
            print(f"  {name:<40} {100 * row['fraction']:5.1f}%  {row['cpu_s']:8.1f} s")
    elif sp:
        print(f"\nthe split could not be measured: {sp['error'][0]}")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    main()
