"""The `theorycheck` command line: list, show, latex, eval, verify, table, docs build.

Read-only commands import only what they need: ``list`` reads the registry's index and the ledgers and
never imports SymPy. Every subcommand takes claim files (``FILE.py`` or a folder of them) beside ids.
Exit codes: 0 ran; 1 a verdict named by --fail-on; 2 usage error; 3 --strict found a changed verdict;
4 a check broke inside the tool; 5 the run exceeded its false-alarm budget; 130 interrupted.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from theory.errors import TheoryCheckError
from theory.version import __version__

DEFAULT_SEED = 20211123
USER_LEDGER = "theorycheck.lock"
EXIT_FAIL_ON, EXIT_USAGE, EXIT_STRICT, EXIT_TOOL, EXIT_BUDGET, EXIT_INTERRUPT = 1, 2, 3, 4, 5, 130


# --- targets: ids, globs, claim files ---------------------------------------------------------------------
def _is_file_target(t: str) -> bool:
    return t.endswith(".py") or os.path.isdir(t)


def load_targets(targets: list[str]) -> tuple[Any, list[str], list[str]]:
    """(registry with any claim files added, the selected ids in order, the ids that came from files)."""
    from theory.registry import Registry

    reg = Registry.builtin()
    chosen, from_files = [], []
    for t in targets:
        if _is_file_target(t):
            ids = reg.add_file(t)
            from_files += ids
            chosen += ids
    for t in targets:
        if not _is_file_target(t):
            chosen += reg.select_ids(t)
    if not targets:
        chosen = reg.ids()
    return reg, list(dict.fromkeys(chosen)), from_files


def ledger_for(reg, ledger_file: str | None = None):
    from checks.ledger import Ledger

    user = Path(ledger_file or USER_LEDGER)
    builtin = {key: p.ledger_path for key, p in reg.papers.items()}

    def route(claim) -> Path:
        if getattr(claim, "origin", "builtin") == "builtin" and claim.paper in builtin:
            return builtin[claim.paper]
        return user

    return Ledger(route, list(builtin.values()) + [user])


def _load_ledger_quietly(reg, ledger_file=None) -> dict[str, Any]:
    return ledger_for(reg, ledger_file).load()


# --- list / show / latex / eval / table ------------------------------------------------------------------
def cmd_list(args) -> int:
    reg, ids, _ = load_targets(args.targets)
    ledger = _load_ledger_quietly(reg, args.ledger)
    width = max((len(i) for i in ids), default=10)
    for i in ids:
        e = reg.entry(i)
        rec = ledger.get(i, {})
        status = rec.get("status", "unverified")
        flag = "  [statement not checked]" if rec.get("mutants", {}).get("statement_checked") is False else ""
        print(f"{i:<{width}}  {e.location:<34}  {status}{flag}")
    return 0


def _one(reg, ids: list[str], what: str) -> list[str]:
    if not ids:
        raise TheoryCheckError(f"{what}: no claim selected")
    return ids


def cmd_show(args) -> int:
    import sympy as sp

    reg, ids, _ = load_targets(args.targets)
    ledger = _load_ledger_quietly(reg, args.ledger)
    for cid in _one(reg, ids, "show"):
        c = reg.get(cid)
        print(f"{c.id}: {c.title}")
        print(f"  source:     {c.location}" + (f", {c.source.citation}" if c.source and c.source.citation else ""))
        print("  statement:")
        print("    " + sp.pretty(c.statement, use_unicode=True).replace("\n", "\n    "))
        print(f"  about:      {c.about}" + (f"; reading of {c.reading_of}: {c.reading}" if c.reading_of else ""))
        if c.quantified:
            print(f"  quantified: {c.quantified}")
        print(f"  dynamics:   {c.dynamics}")
        print(f"  observable: {c.observable}")
        print(f"  regime:     {c.regime.description}")
        for p in c.regime.params:
            kinds = ", ".join(k for k in ("positive", "negative", "nonzero", "integer", "real")
                              if p.symbol.assumptions0.get(k))
            shown = p.ascii + (f" ({p.name})" if p.ascii != p.name else "")
            print(f"    {shown}: {kinds}; sampled in [{p.low:g}, {p.high:g}]{' (log)' if p.log else ''}  {p.doc}")
        for cond in c.regime.conditions:
            print(f"    {'samples where' if cond.sampling else 'assumes'} {cond.text}")
        for note in c.notes:
            print(f"  note: {note}")
        print("  checks:")
        for check in c.checks:
            print(f"    [{check.kind}/{check.evidence}] {check.name}")
        for rid in reg.readings_of(c.id):
            print(f"  reading: {rid}")
        for cor in reg.corrections_of(c.id):
            print(f"  corrected form: {cor}")
        if c.corrects:
            print(f"  corrects: {c.corrects}")
        if c.uses:
            print(f"  uses: {', '.join(c.uses)}")
        rec = ledger.get(c.id)
        print(f"  recorded verdict: {rec['status'] if rec else 'none (run theorycheck verify ' + c.id + ')'}")
        if rec and rec.get("mutants", {}).get("statement_checked") is False:
            print("  WARNING: statement not checked (no mutant of the statement was killed)")
        if args.evidence:
            from checks.base import RunContext
            from checks.engine import run_claims

            report = run_claims([c], RunContext(seed=args.seed), reg)[-1]
            if args.json:
                print(json.dumps(report.to_dict()["checks"], indent=1, default=str))
            else:
                print(f"  verdict now: {report.verdict.status} ({report.verdict.reason[:200]})")
                for r in report.results:
                    print(f"    {r.status:<13} {r.name}  [{r.method}] {r.reason[:160]}")
        print()
    return 0


def cmd_latex(args) -> int:
    reg, ids, _ = load_targets(args.targets)
    for cid in _one(reg, ids, "latex"):
        c = reg.get(cid)
        print(f"% {c.id}: {c.location} as printed")
        print(c.latex())
        for cor in reg.corrections_of(c.id):
            print(f"% {cor}: corrected form")
            print(reg.get(cor).latex())
    return 0


def cmd_eval(args) -> int:
    targets = [a for a in args.args if "=" not in a]
    values = {}
    for item in args.args:
        if "=" in item:
            k, v = item.split("=", 1)
            values[k.strip()] = v.strip()
    reg, ids, _ = load_targets(targets)
    for cid in _one(reg, ids, "eval"):
        c = reg.get(cid)
        for claim in [c] + [reg.get(x) for x in reg.corrections_of(c.id)]:
            v = claim.evaluate(values)
            print(f"{claim.id}: {v:.12g}" if isinstance(v, float) else f"{claim.id}: {v}")
    return 0


def _parse_at(text: str | None) -> dict[str, str] | None:
    if not text:
        return None
    items = [kv for kv in text.split(",") if kv.strip()]
    bad = [kv for kv in items if "=" not in kv]
    if bad:
        raise TheoryCheckError(f"--at expects NAME=VALUE pairs separated by commas, got {bad[0]!r}")
    return {k.strip(): v.strip() for k, v in (kv.split("=", 1) for kv in items)}


def cmd_table(args) -> int:
    from checks.base import RunContext
    from checks.curves import tables_for

    reg, ids, _ = load_targets(args.targets)
    for cid in _one(reg, ids, "table"):
        claim = reg.get(cid)
        if not claim.curves:
            raise TheoryCheckError(f"claim {claim.id} has no plot-ready table")
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


# --- verify ---------------------------------------------------------------------------------------------------
def _check_at_names(reg, ids, at) -> None:
    """--at names must be parameters of at least one selected claim; a claim without numeric checks is told."""
    if at is None:
        return
    for cid in ids:               # a point that breaks what a claim assumes is refused before anything runs
        regime = reg.get(cid).regime
        mine = {k: v for k, v in at.items() if any(k in (p.name, p.ascii) for p in regime.params)}
        if mine:
            regime.validate(mine, cid, require_all=False)
    known = set()
    for cid in ids:
        known |= {p.name for p in reg.get(cid).regime.params} | {p.ascii for p in reg.get(cid).regime.params}
    unknown = sorted(set(at) - known)
    if unknown:
        raise TheoryCheckError(f"--at: no selected claim has a parameter named {', '.join(unknown)}")


def cmd_verify(args) -> int:
    from checks.base import RunContext
    from checks.engine import run_claims, run_metadata
    from checks.result import ERROR, VERDICTS

    reg, ids, from_files = load_targets(args.targets)
    at = _parse_at(args.at)
    _check_at_names(reg, ids, at)
    if args.record and at is not None:
        raise TheoryCheckError("--record refuses a run at one point (--at): the ledger records verdicts over "
                               "each claim's regime")
    fail_on = {v.strip() for v in (args.fail_on or "").split(",") if v.strip()}
    unknown = fail_on - set(VERDICTS)
    if unknown:
        raise TheoryCheckError(f"--fail-on: unknown verdict(s) {', '.join(sorted(unknown))}; choose from "
                               f"{', '.join(VERDICTS)}")
    ctx = RunContext(seed=args.seed, deep=args.deep, at=at)
    claims = [reg.get(i) for i in ids]
    stream = not args.json and not args.quiet
    width = max((len(i) for i in ids), default=10)
    start = time.perf_counter()
    done: list = []

    def on_report(r) -> None:
        done.append(r)
        if args.mutants:
            from checks.mutation import run_mutants

            r.mutants = run_mutants(r.claim, ctx, r.verdict.status)
        if stream:
            _print_report(r, width, args.verbose)
        elif sys.stderr.isatty() and not args.quiet:
            print(f"\r{len(done)}/{len(claims)} {r.claim.id[:50]:<50}", end="", file=sys.stderr, flush=True)

    if stream:
        print(f"theorycheck {__version__}  seed {ctx.seed}  {'deep' if ctx.deep else 'default'} run  "
              f"{len(claims)} claims", flush=True)
    try:
        reports = run_claims(claims, ctx, reg, on_report)
    except KeyboardInterrupt:
        print(f"\ninterrupted: {len(done)} of {len(claims)} claims finished", file=sys.stderr)
        if done:
            _print_summary(done, run_metadata(ctx), time.perf_counter() - start, file=sys.stderr)
        return EXIT_INTERRUPT
    elapsed = time.perf_counter() - start
    meta = {**run_metadata(ctx), "seconds": round(elapsed, 2)}
    if args.json:
        print(json.dumps({"run": meta, "claims": [r.to_dict() for r in reports]}, indent=1, default=str))
    elif not args.quiet:
        _print_summary(reports, meta, elapsed)
    ledger = ledger_for(reg, args.ledger)
    code = 0
    if args.record:
        written = ledger.record(reports, {k: meta[k] for k in ("version", "seed")})
        print(f"recorded {len(reports)} verdicts in {', '.join(str(p) for p in written)}", file=sys.stderr)
    if args.strict:
        recorded = ledger.load()
        changed = [(r.claim.id, recorded[r.claim.id]["status"], r.verdict.status) for r in reports
                   if r.claim.id in recorded and recorded[r.claim.id]["status"] != r.verdict.status]
        for cid, old, new in changed:
            print(f"strict: {cid} was recorded {old}, now {new}", file=sys.stderr)
        if changed:
            code = EXIT_STRICT
    if ctx.counter.over_budget:
        from checks.stats import MAX_COMPARISONS

        print(f"budget: {ctx.counter.count} Monte Carlo comparisons exceed the cap of {MAX_COMPARISONS} the "
              "false-alarm level is set for; verdicts of this run are not covered by it", file=sys.stderr)
        code = code or EXIT_BUDGET
    tool_errors = [r for rep in reports for r in rep.results if r.status == ERROR and r.details.get("fault") == "tool"]
    if tool_errors:
        code = code or EXIT_TOOL
    if fail_on and any(r.verdict.status in fail_on for r in reports if not from_files or r.claim.id in from_files
                       or args.fail_on_all):
        code = code or EXIT_FAIL_ON
    return code


def _print_report(r, width: int, verbose: bool) -> None:
    kinds = ",".join(sorted({x.kind for x in r.results}))
    line = f"{r.verdict.status:<18} {r.claim.id:<{width}}  {r.claim.location[:30]:<30} [{kinds}] {r.seconds:6.1f}s"
    if r.mutants is not None:
        m = r.mutants
        line += f"  mutants {m['killed']}/{m['tried']}"
        if m.get("statement_checked") is False:
            line += " STATEMENT NOT CHECKED"
    print(line, flush=True)
    if r.verdict.status != "verified" or verbose:
        print(f"{'':<19}{r.verdict.reason[:200]}")
        if r.verdict.counterexample:
            print(f"{'':<19}counterexample: {_short(r.verdict.counterexample)}")
    if verbose:
        for x in r.results:
            print(f"{'':<19}- {x.status:<13} {x.name} [{x.method}]")
        if r.mutants and r.mutants.get("survivors"):
            print(f"{'':<19}surviving mutants: {'; '.join(r.mutants['survivors'])}")


def _print_summary(reports, meta, elapsed, file=None) -> None:
    from checks.result import VERDICTS

    file = file or sys.stdout
    counts = Counter(r.verdict.status for r in reports)
    print(f"{len(reports)} claims in {elapsed:.1f} s: " + "  ".join(f"{v}: {counts.get(v, 0)}" for v in VERDICTS
                                                                   if counts.get(v) or v in ("verified", "refuted")),
          file=file)
    print(f"Monte Carlo comparisons: {meta['comparisons']} (family-wise false-alarm bound "
          f"{meta['family_wise_false_alarm_bound']:.1e})", file=file)
    muts = [r.mutants for r in reports if r.mutants and r.mutants.get("tried")]
    if muts:
        tried, killed = sum(m["tried"] for m in muts), sum(m["killed"] for m in muts)
        print(f"mutants: {killed}/{tried} killed ({killed / tried:.1%})", file=file)


def _short(d, limit=240) -> str:
    text = json.dumps({k: v for k, v in d.items() if k != "rungs"}, default=str)
    return text if len(text) <= limit else text[:limit] + "..."


def cmd_docs_build(args) -> int:
    from .site import build

    summary = build(Path(args.out), seed=args.seed, deep=args.deep, from_json=args.from_json, pattern=args.only,
                    log=lambda m: print(m, file=sys.stderr))
    print(f"wrote {summary.pages} pages and {summary.plots} plots to {summary.out} in {summary.seconds:.1f} s; "
          f"open {summary.out / 'index.html'}")
    return 0


# --- the parser ----------------------------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="theorycheck", description="Verify published claims about SGD dynamics.")
    p.add_argument("--version", action="version", version=f"theorycheck {__version__}")
    sub = p.add_subparsers(dest="command", required=True)
    targets_help = "claim ids, globs (adai.eq*), substrings, or claim files (FILE.py, or a folder of them)"

    s = sub.add_parser("list", help="one line per claim: id, location, recorded verdict")
    s.add_argument("targets", nargs="*", help=targets_help)
    s.add_argument("--ledger", help=f"the ledger of your own claims (default ./{USER_LEDGER})")
    s.set_defaults(func=cmd_list)

    s = sub.add_parser("show", help="a claim, its regime and its checks")
    s.add_argument("targets", nargs="+", help=targets_help)
    s.add_argument("--evidence", action="store_true", help="run the checks and print a summary of their evidence")
    s.add_argument("--json", action="store_true", help="with --evidence: the full evidence as JSON")
    s.add_argument("--seed", type=int, default=DEFAULT_SEED)
    s.add_argument("--ledger")
    s.set_defaults(func=cmd_show)

    s = sub.add_parser("latex", help="LaTeX of the statement as printed and of any corrected form")
    s.add_argument("targets", nargs="+", help=targets_help)
    s.set_defaults(func=cmd_latex)

    s = sub.add_parser("eval", help="a claim's formula at NAME=VALUE (checked against what the paper assumes)")
    s.add_argument("args", nargs="+", metavar="ID|FILE|NAME=VALUE")
    s.set_defaults(func=cmd_eval)

    s = sub.add_parser("verify", help="run the checks and print the ledger")
    s.add_argument("targets", nargs="*", help=targets_help)
    s.add_argument("--json", action="store_true", help="machine-readable output")
    s.add_argument("--deep", action="store_true", help="longer, tighter Monte Carlo runs")
    s.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"root seed (default {DEFAULT_SEED})")
    s.add_argument("--at", help="run numeric checks at one point, e.g. --at H=-0.5,D=0.1,t=1")
    s.add_argument("--strict", action="store_true", help="exit 3 when a verdict differs from the recorded ledger")
    s.add_argument("--record", action="store_true", help="record these verdicts in the ledger")
    s.add_argument("--ledger", help=f"the ledger of your own claims (default ./{USER_LEDGER})")
    s.add_argument("--mutants", action="store_true",
                   help="also run every check against mutants of each statement and report which it kills")
    s.add_argument("--fail-on", help="exit 1 if a claim of your files (or any claim, with --fail-on-all) has one "
                                     "of these verdicts, e.g. refuted,inconclusive")
    s.add_argument("--fail-on-all", action="store_true", help=argparse.SUPPRESS)
    s.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors (and --json)")
    s.add_argument("-v", "--verbose", action="store_true", help="every check of every claim")
    s.set_defaults(func=cmd_verify)

    s = sub.add_parser("table", help="plot-ready table of formula, exact model and simulation")
    s.add_argument("targets", nargs="+", help=targets_help)
    s.add_argument("--csv", action="store_true", help="comma-separated values")
    s.add_argument("--json", action="store_true", help="the table as JSON")
    s.add_argument("--seed", type=int, default=DEFAULT_SEED)
    s.set_defaults(func=cmd_table)

    docs = sub.add_parser("docs", help="the static site of verified claims")
    dsub = docs.add_subparsers(dest="docs_command", required=True)
    s = dsub.add_parser("build", help="verify the claims and write the site (offline: MathML, SVG plots)")
    s.add_argument("--out", default="site", help="output folder (default: site); only an empty folder or a "
                                                  "previous site is written to")
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
        return EXIT_USAGE
    except ValueError as e:
        if type(e).__name__ in ("OptimizerError", "SimulationError"):
            print(f"theorycheck: error: {e}", file=sys.stderr)
            return EXIT_USAGE
        raise
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return EXIT_INTERRUPT
    except BrokenPipeError:          # output piped into `head` and closed early: not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
