"""The `theorycheck` command line: list, show, latex, eval, verify, table, docs build."""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter

import sympy as sp

from theory.claim import TheoryCheckError
from theory.registry import builtin_registry, load_file

from .base import DEFAULT_SEED, RunContext
from .engine import load_ledger, run_claim, run_metadata, save_ledger
from .result import VERDICTS


def _split_targets(targets: list[str]) -> tuple[list[str], list[str]]:
    files = [t for t in targets if t.endswith(".py")]
    return files, [t for t in targets if not t.endswith(".py")]


def cmd_list(args) -> int:
    reg = builtin_registry()
    claims = reg.select(args.pattern) if args.pattern else list(reg)
    ledger = load_ledger()
    width = max((len(c.id) for c in claims), default=10)
    for c in claims:
        status = ledger.get(c.id, {}).get("status", "unverified")
        print(f"{c.id:<{width}}  {c.source.location:<32}  {status}")
    return 0


def cmd_show(args) -> int:
    reg = builtin_registry()
    c = reg.get(args.id)
    ledger = load_ledger().get(c.id)
    print(f"{c.id}: {c.title}")
    print(f"  source:     {c.source.location}, {c.source.citation}")
    print(f"  statement:  {sp.sstr(c.statement)}")
    print(f"  dynamics:   {c.dynamics}")
    print(f"  observable: {c.observable}")
    print(f"  regime:     {c.regime.description}")
    for p in c.regime.params:
        print(f"    {p.name}: {', '.join(k for k in ('positive', 'nonzero', 'integer', 'real') if p.symbol.assumptions0.get(k))}"
              f"; sampled in [{p.low:g}, {p.high:g}]{' (log)' if p.log else ''}  {p.doc}")
    for cond in c.regime.conditions:
        print(f"    assumes {cond.text}")
    for note in c.notes:
        print(f"  note: {note}")
    print("  checks:")
    for i, check in enumerate(c.checks):
        print(f"    [{check.kind}] {check.name}")
    if c.corrected is not None:
        print(f"  corrected form: {c.corrected.id}: {sp.sstr(c.corrected.statement)}")
    if c.corrects:
        print(f"  corrects: {c.corrects}")
    if c.uses:
        print(f"  uses: {', '.join(c.uses)}")
    print(f"  recorded verdict: {ledger['status'] if ledger else 'none (run theorycheck verify ' + c.id + ')'}")
    if args.evidence:
        report = run_claim(c, RunContext(seed=args.seed))
        print(json.dumps(report.to_dict()["checks"], indent=1, default=str))
    return 0


def cmd_latex(args) -> int:
    c = builtin_registry().get(args.id)
    print(f"% {c.id}: {c.source.location} as printed")
    print(c.latex())
    if c.corrected is not None:
        print(f"% {c.corrected.id}: corrected form")
        print(c.corrected.latex())
    return 0


def cmd_eval(args) -> int:
    c = builtin_registry().get(args.id)
    values = {}
    for item in args.params:
        if "=" not in item:
            raise TheoryCheckError(f"{c.id}: expected NAME=VALUE, got {item!r}")
        k, v = item.split("=", 1)
        values[k.strip()] = v.strip()
    for claim in c.all_claims():
        print(f"{claim.id}: {claim.evaluate(values):.12g}")
    return 0


def _parse_at(text: str | None) -> dict[str, str] | None:
    if not text:
        return None
    items = [kv for kv in text.split(",") if kv.strip()]
    bad = [kv for kv in items if "=" not in kv]
    if bad:
        raise TheoryCheckError(f"--at expects NAME=VALUE pairs separated by commas, got {bad[0]!r}")
    return {k.strip(): v.strip() for k, v in (kv.split("=", 1) for kv in items)}


def cmd_verify(args) -> int:
    files, patterns = _split_targets(args.targets)
    reg = builtin_registry()
    file_claims = []
    for f in files:
        for claim in load_file(f):
            reg.add(claim, f)
            file_claims += claim.all_claims()
    if patterns or files:
        chosen = file_claims + [c for p in patterns for c in reg.select(p)]
        claims = list({c.id: c for c in chosen}.values())
    else:
        claims = list(reg)
    ctx = RunContext(seed=args.seed, deep=args.deep, at=_parse_at(args.at))
    start = time.perf_counter()
    reports = [run_claim(c, ctx) for c in claims]
    elapsed = time.perf_counter() - start
    meta = run_metadata(ctx)
    if args.json:
        print(json.dumps({"run": {**meta, "seconds": round(elapsed, 2)}, "claims": [r.to_dict() for r in reports]},
                         indent=1, default=str))
    else:
        _print_ledger(reports, meta, elapsed)
    if args.record:
        save_ledger(reports, ctx)
    if args.strict:
        ledger = load_ledger()
        changed = [(r.claim.id, ledger.get(r.claim.id, {}).get("status"), r.verdict.status) for r in reports
                   if r.claim.id in ledger and ledger[r.claim.id]["status"] != r.verdict.status]
        for cid, old, new in changed:
            print(f"strict: {cid} was recorded {old}, now {new}", file=sys.stderr)
        if changed:
            return 3
    return 0


def cmd_table(args) -> int:
    from .curves import tables_for

    claim = builtin_registry().get(args.id)
    if not claim.curves:
        with_curves = [c.id for c in builtin_registry() if c.curves]
        raise TheoryCheckError(f"claim {claim.id} has no plot-ready table; claims with one: {', '.join(with_curves)}")
    for table in tables_for(claim, RunContext(seed=args.seed)):
        if args.json:
            print(json.dumps(table.to_dict(), indent=1))
        elif args.csv:
            print(table.to_csv(), end="")
        else:
            print(f"# {table.title}  at {table.point}  seed {table.seed}")
            names = list(table.columns)
            print("  ".join(f"{n[:22]:>22}" for n in names))
            for row in zip(*(table.columns[n] for n in names)):
                print("  ".join(f"{v:>22.6g}" for v in row))
    return 0


def cmd_docs_build(args) -> int:
    from pathlib import Path

    from .site import build

    summary = build(Path(args.out), seed=args.seed, deep=args.deep, from_json=args.from_json, pattern=args.only,
                    log=lambda m: print(m, file=sys.stderr))
    print(f"wrote {summary.pages} pages and {summary.plots} plots to {summary.out} in {summary.seconds:.1f} s; "
          f"open {summary.out / 'index.html'}")
    return 0


def _print_ledger(reports, meta, elapsed) -> None:
    counts = Counter(r.verdict.status for r in reports)
    print(f"theorycheck {meta['version']}  seed {meta['seed']}  {'deep' if meta['deep'] else 'default'} run, "
          f"{len(reports)} claims in {elapsed:.1f} s")
    print("  " + "  ".join(f"{v}: {counts.get(v, 0)}" for v in VERDICTS))
    print(f"  Monte Carlo comparisons: {meta['comparisons']} (family-wise false-alarm bound "
          f"{meta['family_wise_false_alarm_bound']:.1e})")
    width = max(len(r.claim.id) for r in reports)
    for r in reports:
        methods = ", ".join(sorted({x.kind for x in r.results}))
        line = f"{r.verdict.status:<13} {r.claim.id:<{width}}  {r.claim.source.location:<30} [{methods}]"
        print(line)
        if r.verdict.status != "verified":
            print(f"{'':<14}{r.verdict.reason[:160]}")
            if r.verdict.counterexample:
                print(f"{'':<14}counterexample: {_short(r.verdict.counterexample)}")


def _short(d, limit=240) -> str:
    text = json.dumps({k: v for k, v in d.items() if k != "rungs"}, default=str)
    return text if len(text) <= limit else text[:limit] + "..."


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="theorycheck", description="Verify published claims about SGD dynamics.")
    sub = p.add_subparsers(dest="command", required=True)
    s = sub.add_parser("list", help="one line per claim: id, location, recorded verdict")
    s.add_argument("pattern", nargs="?", help="id, glob (adai.eq*) or substring")
    s.set_defaults(func=cmd_list)
    s = sub.add_parser("show", help="a claim, its regime and its checks")
    s.add_argument("id")
    s.add_argument("--evidence", action="store_true", help="run the checks and print their evidence")
    s.add_argument("--seed", type=int, default=DEFAULT_SEED)
    s.set_defaults(func=cmd_show)
    s = sub.add_parser("latex", help="LaTeX of the statement as printed and of any corrected form")
    s.add_argument("id")
    s.set_defaults(func=cmd_latex)
    s = sub.add_parser("eval", help="evaluate a claim's formula at NAME=VALUE parameters (checked against its regime)")
    s.add_argument("id")
    s.add_argument("params", nargs="*")
    s.set_defaults(func=cmd_eval)
    s = sub.add_parser("verify", help="run the checks and print the ledger")
    s.add_argument("targets", nargs="*", help="claim ids, globs, or FILE.py with claims of your own")
    s.add_argument("--json", action="store_true", help="machine-readable output")
    s.add_argument("--deep", action="store_true", help="longer, tighter Monte Carlo runs")
    s.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"root seed (default {DEFAULT_SEED})")
    s.add_argument("--at", help="run numeric checks at one point, e.g. --at H=-0.5,D=0.1,t=1")
    s.add_argument("--strict", action="store_true", help="exit 3 when a verdict differs from the recorded ledger")
    s.add_argument("--record", action="store_true", help="record these verdicts in the ledger")
    s.set_defaults(func=cmd_verify)
    s = sub.add_parser("table", help="plot-ready table of formula, exact model and simulation along time")
    s.add_argument("id")
    s.add_argument("--csv", action="store_true", help="comma-separated values")
    s.add_argument("--json", action="store_true", help="the table as JSON")
    s.add_argument("--seed", type=int, default=DEFAULT_SEED)
    s.set_defaults(func=cmd_table)
    docs = sub.add_parser("docs", help="the static site of verified claims")
    dsub = docs.add_subparsers(dest="docs_command", required=True)
    s = dsub.add_parser("build", help="verify the claims and write the site (offline: MathML, SVG plots)")
    s.add_argument("--out", default="site", help="output folder (default: site)")
    s.add_argument("--seed", type=int, default=DEFAULT_SEED)
    s.add_argument("--deep", action="store_true", help="longer, tighter Monte Carlo runs")
    s.add_argument("--from", dest="from_json", help="use a saved `theorycheck verify --json` run instead of verifying")
    s.add_argument("--only", help="only claims matching this id, glob or substring")
    s.set_defaults(func=cmd_docs_build)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except TheoryCheckError as e:
        print(f"theorycheck: error: {e}", file=sys.stderr)
        return 2
    except BrokenPipeError:          # output piped into `head` and closed early: not an error
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
