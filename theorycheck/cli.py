"""The `theorycheck` command line: list, show, latex, eval, verify, table, cache, docs build.

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
from pathlib import Path
from typing import Any

from theory.errors import TheoryCheckError
from theory.version import __version__

from .loader import add_file, get
from .project import USER_LEDGER
from .project import find as find_project
from .stream import Stream, expected_count, print_summary, report_lines, unranged  # noqa: F401

DEFAULT_SEED = 20211123
CONVENTIONS = ("paper", "torch")
EXIT_FAIL_ON, EXIT_USAGE, EXIT_STRICT, EXIT_TOOL, EXIT_BUDGET, EXIT_INTERRUPT = 1, 2, 3, 4, 5, 130


# --- targets: ids, globs, claim files ---------------------------------------------------------------------
def _is_file_target(t: str) -> bool:
    return t.endswith(".py") or os.path.isdir(t)


def load_targets(targets: list[str], project=None) -> tuple[Any, list[str], list[str]]:
    """(registry with any claim files added, the selected ids in order, the ids that came from files).
    A file selects its claims unless an id or glob picks some of them (``show FILE.py ID``); ids of the package
    can be mixed in (``verify FILE.py adai.thm1``). With no targets: the project's configured claim files, else
    every claim of the package."""
    from theory.registry import Registry

    project = project or find_project()
    if not targets and project.claims:
        targets = list(project.claims)
    reg = Registry.builtin()
    files = {t: add_file(reg, t) for t in targets if _is_file_target(t)}
    for t in files:                      # worker processes and Dask workers load the same files, by path
        if str(Path(t).resolve()) not in reg.files:
            reg.files.append(str(Path(t).resolve()))
    picked = [i for t in targets if not _is_file_target(t) for i in reg.select_ids(t)]
    chosen: list[str] = []
    for t in targets:
        if t in files and not set(files[t]) & set(picked):
            chosen += files[t]
    chosen += picked
    if not targets:
        chosen = reg.ids()
    return reg, list(dict.fromkeys(chosen)), [i for ids in files.values() for i in ids]


def ledger_for(reg, ledger_file: str | None = None, project=None):
    """The package's claims are recorded beside their papers; every other claim in the user's project ledger
    (--ledger, or [tool.theorycheck] ledger, or ./theorycheck.lock)."""
    from checks.ledger import Ledger

    user = Path(ledger_file) if ledger_file else (project or find_project()).ledger
    builtin = {key: p.ledger_path for key, p in reg.papers.items()}

    def route(claim) -> Path:
        if getattr(claim, "origin", "builtin") == "builtin" and claim.paper in builtin:
            return builtin[claim.paper]
        return user

    return Ledger(route, list(builtin.values()) + [user])


def _key(cid: str, convention: str) -> str:
    return cid if convention == "paper" else f"{cid}@{convention}"


# --- list / show / latex / eval / table ------------------------------------------------------------------
def cmd_list(args) -> int:
    reg, ids, _ = load_targets(args.targets)
    ledger = ledger_for(reg, args.ledger).load()
    width = max((len(i) for i in ids), default=10)
    for i in ids:
        e = reg.entry(i)
        rec = ledger.get(i, {})
        status = rec.get("status", "unverified")
        flag = "  [statement not checked]" if rec.get("mutants", {}).get("statement_checked") is False else ""
        other = "".join(f"  ({c}: {ledger[_key(i, c)]['status']})" for c in CONVENTIONS[1:] if _key(i, c) in ledger)
        print(f"{i:<{width}}  {e.location:<34}  {status}{flag}{other}")
    return 0


def _one(ids: list[str], what: str) -> list[str]:
    if not ids:
        raise TheoryCheckError(f"{what}: no claim selected")
    return ids


def cmd_show(args) -> int:
    from .show import show_claim

    reg, ids, _ = load_targets(args.targets)
    ledger = ledger_for(reg, args.ledger).load()
    for cid in _one(ids, "show"):
        show_claim(reg, get(reg, cid), ledger, args)
    return 0


def cmd_latex(args) -> int:
    from .texfmt import latex, statement_tex

    reg, ids, _ = load_targets(args.targets)
    for cid in _one(ids, "latex"):
        c = get(reg, cid)
        print(f"% {c.id}: {c.location} as printed")
        print(statement_tex(c))
        if c.printed:
            print(f"% {c.id}: the SymPy statement the checks use")
            print(latex(c.statement))
        for cor in reg.corrections_of(c.id):
            print(f"% {cor}: corrected form")
            print(statement_tex(get(reg, cor)))
    return 0


def cmd_eval(args) -> int:
    targets = [a for a in args.args if "=" not in a]
    values = {}
    for item in args.args:
        if "=" in item:
            k, v = item.split("=", 1)
            values[k.strip()] = v.strip()
    reg, ids, _ = load_targets(targets)
    for cid in _one(ids, "eval"):
        c = get(reg, cid)
        for claim in [c] + [get(reg, x) for x in reg.corrections_of(c.id)]:
            v = claim.evaluate(values)
            point = claim.regime.canonical(values, claim.id)
            shown = ", ".join(f"{p.ascii}={point[p.name]}" + (f" ({p.name})" if p.ascii != p.name else "")
                              for p in claim.regime.params if p.name in point)
            print(f"{claim.id}: {v:.12g}  at {shown}" if isinstance(v, float) else f"{claim.id}: {v}  at {shown}")
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
    for cid in _one(ids, "table"):
        claim = get(reg, cid)
        if not claim.curves:
            raise TheoryCheckError(f"claim {claim.id} has no plot-ready table")
        for table in tables_for(claim, RunContext(seed=args.seed, convention=args.optimizer_convention)):
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
    """--at names must be parameters of a selected claim; a point breaking what a claim assumes is refused."""
    if at is None:
        return
    known = set()
    for cid in ids:
        try:
            regime = get(reg, cid).regime
        except Exception:
            continue
        known |= {p.name for p in regime.params} | {p.ascii for p in regime.params}
        mine = {k: v for k, v in at.items() if any(k in (p.name, p.ascii) for p in regime.params)}
        if mine:
            regime.validate(mine, cid, require_all=False)
    unknown = sorted(set(at) - known)
    if unknown:
        raise TheoryCheckError(f"--at: no selected claim has a parameter named {', '.join(unknown)}")


def build_claims(reg, ids: list[str]) -> tuple[list, list[dict[str, Any]]]:
    """The claims, and an error report for each claim whose declaration fails (the run goes on)."""
    from .reports import broken_report

    claims, broken = [], []
    for cid in ids:
        try:
            claims.append(get(reg, cid))
        except KeyboardInterrupt:
            raise
        except Exception as e:
            broken.append(broken_report(cid, reg.entry(cid), e))
    return claims, broken


def _fail_on(args, project) -> set[str]:
    from checks.result import VERDICTS

    text = args.fail_on if args.fail_on is not None else ",".join(project.fail_on)
    wanted = {v.strip() for v in text.split(",") if v.strip()}
    unknown = wanted - set(VERDICTS)
    if unknown:
        raise TheoryCheckError(f"--fail-on: unknown verdict(s) {', '.join(sorted(unknown))}; choose from "
                               f"{', '.join(VERDICTS)}")
    return wanted


def _scheduler(args) -> str | None:
    """--scheduler ADDRESS: dask.distributed must be importable (the `cluster` extra), and -j is for local runs."""
    if not args.scheduler:
        return None
    if args.jobs != 1:
        raise TheoryCheckError("--scheduler runs claims on the Dask cluster's workers; -j is for local worker "
                               "processes: give one of them")
    from checks.distributed import require_distributed

    require_distributed()
    return args.scheduler


def cmd_verify(args) -> int:
    from checks.base import RunContext
    from checks.engine import run_claims, run_metadata

    from .progress import Progress
    from .reports import dumps, papers_meta, report_dict

    project = find_project()
    reg, ids, from_files = load_targets(args.targets, project)
    at = _parse_at(args.at)
    _check_at_names(reg, ids, at)
    if args.record and at is not None:
        raise TheoryCheckError("--record refuses a run at one point (--at): the ledger records verdicts over "
                               "each claim's regime")
    fail_on = _fail_on(args, project)
    scheduler = _scheduler(args)
    ctx = RunContext(seed=args.seed, deep=args.deep, at=at, convention=args.optimizer_convention,
                     cache_symbolic=not args.no_cache)
    claims, broken = build_claims(reg, ids)
    progress = Progress(expected_count(reg, ids), quiet=args.quiet, lines=not args.json)
    stream = Stream(reg, ids, progress, args.verbose)
    start = time.perf_counter()
    progress.line(f"theorycheck {__version__}  seed {ctx.seed}  {'deep' if ctx.deep else 'default'} run  "
                  f"{ctx.convention} optimizer convention  {len(ids)} claims"
                  + (f"  on the Dask cluster at {scheduler}" if scheduler else ""))
    for b in broken:
        progress.line(f"{'error':<18} {b['id']:<{stream.width}}  {b['location'][:30]:<30}\n{'':<19}{b['reason']}")
        progress.advance()
    try:
        reports = run_claims(claims, ctx, reg, on_done=stream, jobs=args.jobs, mutants=args.mutants,
                             scheduler=scheduler)
    except KeyboardInterrupt:
        progress.close()
        done = list(stream.finished.values())
        print(f"\ninterrupted: {len(done)} of {len(claims)} claims finished", file=sys.stderr)
        if args.json:
            print(dumps({"run": {**run_metadata(ctx), "interrupted": True},
                         "claims": [r.to_dict() for r in done] + broken}))
        if done:
            print_summary(done, run_metadata(ctx), time.perf_counter() - start, file=sys.stderr)
        return EXIT_INTERRUPT
    progress.close()
    elapsed = time.perf_counter() - start
    meta = {**run_metadata(ctx), "seconds": round(elapsed, 2)}
    if args.json:
        from checks.runfile import code_meta

        dicts = [report_dict(r, reg, ctx) for r in reports] + broken
        # the code's digests: pytest reuses this run (THEORYCHECK_RUN) only for claims whose code is unchanged
        print(dumps({"run": {**meta, "papers": papers_meta(reg), **code_meta([r.claim for r in reports])},
                     "claims": dicts}))
    elif not args.quiet:
        print_summary(reports, meta, elapsed, n_broken=len(broken))
    return _after_run(args, reg, reports, broken, meta, ctx, fail_on, from_files, project)


def _after_run(args, reg, reports, broken, meta, ctx, fail_on, from_files, project) -> int:
    """Record, compare with the ledger (--strict), and the exit code."""
    from checks.ledger import entry, update
    from checks.result import ERROR

    ledger = ledger_for(reg, args.ledger, project)
    code = 0
    if args.record:
        by_file: dict[Path, dict[str, Any]] = {}
        for r in reports:
            e = {**entry(r), "convention": ctx.convention}
            by_file.setdefault(ledger.route(r.claim), {})[_key(r.claim.id, ctx.convention)] = e
        for path, entries in by_file.items():
            update(path, entries, {"version": meta["version"], "seed": meta["seed"], "convention": ctx.convention})
        print(f"recorded {len(reports)} verdicts ({ctx.convention} convention) in "
              f"{', '.join(str(p) for p in sorted(by_file))}", file=sys.stderr)
    if args.strict:
        recorded = ledger.load()
        changed = [(r.claim.id, recorded[k]["status"], r.verdict.status) for r in reports
                   if (k := _key(r.claim.id, ctx.convention)) in recorded and recorded[k]["status"] != r.verdict.status]
        for cid, old, new in changed:
            print(f"strict: {cid} was recorded {old}, now {new}", file=sys.stderr)
        if changed:
            code = EXIT_STRICT
    if ctx.counter.over_budget:
        from checks.stats import MAX_COMPARISONS

        print(f"budget: {ctx.counter.count} Monte Carlo comparisons exceed the cap of {MAX_COMPARISONS} the "
              "false-alarm level is set for; verdicts of this run are not covered by it", file=sys.stderr)
        code = code or EXIT_BUDGET
    tool = [x for rep in reports for x in rep.results if x.status == ERROR and x.details.get("fault") == "tool"
            and not unranged(rep.claim)]                     # a symbol without a Param is the claim's fault
    if tool:
        print(f"{len(tool)} check(s) broke inside theorycheck itself (see the error lines): please report",
              file=sys.stderr)
        code = code or EXIT_TOOL
    statuses = [(r.claim.id, r.verdict.status) for r in reports] + [(b["id"], b["status"]) for b in broken]
    counted = [s for cid, s in statuses if not from_files or cid in from_files or args.fail_on_all]
    if fail_on and any(s in fail_on for s in counted):
        code = code or EXIT_FAIL_ON
    return code


def cmd_cache(args) -> int:
    """`cache info`: where symbolic results are stored and how much; `cache clear`: remove them."""
    from checks import cache

    if args.cache_command == "clear":
        done = cache.clear()
        print(f"removed {done['removed']} cached symbolic result(s), {done['bytes'] / 1e6:.1f} MB, from "
              f"{done['folder']}")
        return 0
    info = cache.describe()
    if args.json:
        print(json.dumps(info, indent=1))
        return 0
    state = "on" if info["enabled"] else "off (THEORYCHECK_CACHE)"
    print(f"folder   {info['folder']}\nentries  {info['entries']}\nsize     {info['bytes'] / 1e6:.1f} MB\n"
          f"cache    {state}")
    return 0


def cmd_docs_build(args) -> int:
    from .site import build

    targets = list(args.targets) + list(args.claims or [])
    summary = build(Path(args.out), targets=targets, seed=args.seed, deep=args.deep, from_json=args.from_json,
                    pattern=args.only, convention=args.optimizer_convention, quiet=args.quiet, verbose=args.verbose,
                    jobs=args.jobs)
    if not args.quiet:
        print(f"wrote {summary.pages} pages and {summary.plots} plots to {summary.out} in {summary.seconds:.1f} s; "
              f"open {summary.out / 'index.html'}")
    return 0


# --- the parser ----------------------------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="theorycheck", description="Verify published claims about SGD dynamics.")
    p.add_argument("--version", action="version", version=f"theorycheck {__version__}")
    sub = p.add_subparsers(dest="command", required=True)
    targets_help = "claim ids, globs (adai.eq*), substrings, or claim files (FILE.py, or a folder of them)"
    ledger_help = f"the ledger of your own claims (default: [tool.theorycheck] ledger, else ./{USER_LEDGER})"

    def convention(s):
        s.add_argument("--optimizer-convention", choices=CONVENTIONS, default="paper",
                       help="optimizers as the papers print them (default) or as torch.optim and the official "
                            "Adai code run them")

    s = sub.add_parser("list", help="one line per claim: id, location, recorded verdict")
    s.add_argument("targets", nargs="*", help=targets_help)
    s.add_argument("--ledger", help=ledger_help)
    s.set_defaults(func=cmd_list)

    s = sub.add_parser("show", help="a claim as printed, its regime and its checks")
    s.add_argument("targets", nargs="+", help=targets_help)
    s.add_argument("--evidence", action="store_true", help="run the checks and summarize their evidence")
    s.add_argument("--json", action="store_true", help="with --evidence: the whole report as JSON")
    s.add_argument("--seed", type=int, default=DEFAULT_SEED)
    s.add_argument("--ledger", help=ledger_help)
    convention(s)
    s.set_defaults(func=cmd_show)

    s = sub.add_parser("latex", help="LaTeX of the statement as printed and of any corrected form")
    s.add_argument("targets", nargs="+", help=targets_help)
    s.set_defaults(func=cmd_latex)

    s = sub.add_parser("eval", help="a claim's formula at NAME=VALUE (ASCII names such as vbar work; only what "
                                    "the paper assumes is enforced)")
    s.add_argument("args", nargs="+", metavar="ID|FILE|NAME=VALUE")
    s.set_defaults(func=cmd_eval)

    s = sub.add_parser("verify", help="run the checks; one line per claim as it finishes, then the counts")
    s.add_argument("targets", nargs="*", help=targets_help)
    s.add_argument("--json", action="store_true", help="machine-readable output (what `docs build --from` reads)")
    s.add_argument("--deep", action="store_true", help="longer, tighter Monte Carlo runs")
    s.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"root seed (default {DEFAULT_SEED})")
    s.add_argument("--at", help="run numeric checks at one point, e.g. --at H=-0.5,D=0.1,t=1")
    s.add_argument("--strict", action="store_true", help="exit 3 when a verdict differs from the recorded ledger")
    s.add_argument("--record", action="store_true", help="record these verdicts in the ledger")
    s.add_argument("--ledger", help=ledger_help)
    s.add_argument("--mutants", action="store_true",
                   help="also run every check against mutants of each statement and report which it kills")
    s.add_argument("--fail-on", help="exit 1 if a claim of your files (or any claim when no file is given) has one "
                                     "of these verdicts, e.g. refuted,inconclusive,error")
    s.add_argument("--fail-on-all", action="store_true", help=argparse.SUPPRESS)
    s.add_argument("-j", "--jobs", type=int, default=1, help="run claims in N worker processes (same verdicts)")
    s.add_argument("--scheduler", metavar="ADDRESS",
                   help="run claims on a Dask cluster, e.g. tcp://HOST:8786 (same seeds, same verdicts; needs "
                        "pip install 'theorycheck[cluster]')")
    s.add_argument("--no-cache", action="store_true",
                   help="recompute symbolic results instead of replaying them from the cache (theorycheck cache)")
    s.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors (and --json)")
    s.add_argument("-v", "--verbose", action="store_true", help="every check of every claim")
    convention(s)
    s.set_defaults(func=cmd_verify)

    s = sub.add_parser("table", help="plot-ready table of formula, exact model and simulation")
    s.add_argument("targets", nargs="+", help=targets_help)
    s.add_argument("--csv", action="store_true", help="comma-separated values")
    s.add_argument("--json", action="store_true", help="the table as JSON")
    s.add_argument("--seed", type=int, default=DEFAULT_SEED)
    convention(s)
    s.set_defaults(func=cmd_table)

    s = sub.add_parser("cache", help="the on-disk cache of symbolic results: where it is, how to clear it")
    csub = s.add_subparsers(dest="cache_command", required=True)
    c = csub.add_parser("info", help="its folder, number of entries and size")
    c.add_argument("--json", action="store_true", help="as JSON")
    csub.add_parser("clear", help="remove every cached result (the next run recomputes them)")
    s.set_defaults(func=cmd_cache)

    docs = sub.add_parser("docs", help="the static site of the claims and their verdicts")
    dsub = docs.add_subparsers(dest="docs_command", required=True)
    s = dsub.add_parser("build", help="verify the claims and write the site (offline: MathML, SVG plots)")
    s.add_argument("targets", nargs="*", help=targets_help + " (default: every claim of the package)")
    s.add_argument("--claims", action="append", metavar="PATH", help="a claim file or folder to include (repeatable)")
    s.add_argument("--out", default="site", help="output folder (default: site); only an empty folder or a "
                                                  "previous site is written to")
    s.add_argument("--seed", type=int, default=DEFAULT_SEED)
    s.add_argument("--deep", action="store_true", help="longer, tighter Monte Carlo runs")
    s.add_argument("--from", dest="from_json", help="render a saved `theorycheck verify --json` run; nothing is re-run")
    s.add_argument("--only", help="only claims matching this id, glob or substring")
    s.add_argument("-j", "--jobs", type=int, default=1, help="run claims in N worker processes (same verdicts)")
    s.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")
    s.add_argument("-v", "--verbose", action="store_true", help="every check of every claim")
    convention(s)
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
