"""Verdict stability across seeds: run every claim (or a selection) at several root seeds and list every
verdict that changes. Outside the default test suite (it runs the whole verification once per seed).

    python benchmarks/seed_stability.py                 # all claims, 8 seeds
    python benchmarks/seed_stability.py 'adai.*' --seeds 20211123 1 2 3 -j 2
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict

from checks.base import DEFAULT_SEED, RunContext
from checks.engine import run_claims
from theory.registry import Registry


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("patterns", nargs="*")
    p.add_argument("--seeds", type=int, nargs="+", default=[DEFAULT_SEED, 1, 2, 3, 4, 5, 6, 7])
    p.add_argument("-j", "--jobs", type=int, default=1)
    p.add_argument("--json", action="store_true")
    args = p.parse_args(argv)
    reg = Registry.builtin()
    ids = [i for pat in args.patterns for i in reg.select_ids(pat)] if args.patterns else reg.ids()
    claims = [reg.get(i) for i in dict.fromkeys(ids)]
    verdicts: dict[str, dict[int, str]] = defaultdict(dict)
    for seed in args.seeds:
        start = time.perf_counter()
        for r in run_claims(claims, RunContext(seed=seed), reg, jobs=args.jobs):
            verdicts[r.claim.id][seed] = r.verdict.status
        print(f"seed {seed}: {len(claims)} claims in {time.perf_counter() - start:.0f} s", file=sys.stderr)
    changed = {cid: v for cid, v in verdicts.items() if len(set(v.values())) > 1}
    if args.json:
        print(json.dumps({"seeds": args.seeds, "claims": len(verdicts), "changed": changed}, indent=1))
    else:
        print(f"{len(verdicts)} claims at {len(args.seeds)} seeds: {len(changed)} verdict(s) change")
        for cid, v in changed.items():
            print(f"  {cid}: " + ", ".join(f"{s}={st}" for s, st in v.items()))
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main())
