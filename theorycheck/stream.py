"""What a run prints as it goes: one line per claim as soon as it (and any reading of it) has finished,
the reason below a claim that is not verified (for a broken check: one line naming claim, check and cause),
and the counts at the end."""
from __future__ import annotations

import json
import sys
from collections import Counter
from typing import Any


def expected_count(reg, ids: list[str]) -> int:
    """Claims a run will report: the selection and the readings of its statements (run with them)."""
    return len(set(ids) | {rid for i in ids for rid in reg.readings_of(i)})


class Stream:
    """``on_done`` of a run: each claim's line as soon as it (and any reading of it) has finished."""

    def __init__(self, reg, ids: list[str], progress, verbose: bool = False):
        self.reg, self.progress, self.verbose = reg, progress, verbose
        self.width = max((len(i) for i in ids), default=10)
        self.finished: dict[str, Any] = {}
        self.shown: set[str] = set()

    def __call__(self, report) -> None:
        from checks.result import combine_readings

        self.finished[report.claim.id] = report
        for cid, r in list(self.finished.items()):
            readings = self.reg.readings_of(cid)
            if cid in self.shown or not all(x in self.finished for x in readings):
                continue
            verdict = combine_readings(r.verdict, {x: self.finished[x].verdict for x in readings}) if readings \
                else r.verdict
            self.progress.line(report_lines(r, self.width, self.verbose, verdict))
            self.shown.add(cid)
            self.progress.advance(cid)


def report_lines(r, width: int, verbose: bool, verdict=None) -> str:
    """One line per claim; below it the reason when it is not verified (one line per broken check)."""
    from .summaries import summary

    verdict = verdict or r.verdict
    kinds = ",".join(sorted({x.kind for x in r.results}))
    line = f"{verdict.status:<18} {r.claim.id:<{width}}  {r.claim.location[:30]:<30} [{kinds}] {r.seconds:6.1f}s"
    if r.mutants is not None:
        m = r.mutants
        line += f"  mutants {m['killed']}/{m['tried']}" + (" STATEMENT NOT CHECKED" if m.get("statement_checked")
                                                            is False else "")
    out = [line]
    pad = " " * 19
    if verdict.status == "error":
        hint = unranged(r.claim)
        out += [pad + x.reason + hint for x in r.results if x.status == "error"]
    elif verdict.status != "verified" or verbose:
        out.append(pad + verdict.reason[:300])
        if verdict.counterexample:
            out.append(pad + "counterexample: " + _short(verdict.counterexample))
    if verbose:
        out += [f"{pad}- {x.status:<13} {x.name}: {summary(x.to_dict())[:160]}" for x in r.results]
        if r.mutants and r.mutants.get("survivors"):
            out.append(f"{pad}surviving mutants: {'; '.join(r.mutants['survivors'])}")
    return "\n".join(out)


def unranged(claim) -> str:
    """Why a numeric check could not evaluate the formula, when the reason is a symbol without a Param."""
    try:
        free = {x.name for x in claim.formula.free_symbols}
    except AttributeError:
        return ""
    known = {p.name for p in claim.regime.params}
    for check in claim.checks:
        known |= {getattr(x, "name", "") for x in getattr(check, "extra_symbols", ())}
        known |= {getattr(x, "name", "") for x in getattr(check, "extra", ())}
    missing = sorted(free - known)
    return (f" (the statement's symbol(s) {', '.join(missing)} have no Param in the regime: give each a "
            "Param(symbol, low, high))") if missing else ""


def print_summary(reports, meta, elapsed, file=None, n_broken: int = 0) -> None:
    from checks.result import VERDICTS

    file = file or sys.stdout
    counts = Counter(r.verdict.status for r in reports)
    counts["error"] += n_broken
    print(f"{len(reports) + n_broken} claims in {elapsed:.1f} s: " + "  ".join(
        f"{v}: {counts.get(v, 0)}" for v in VERDICTS if counts.get(v) or v in ("verified", "refuted")), file=file)
    print(f"Monte Carlo comparisons: {meta['comparisons']} (family-wise false-alarm bound "
          f"{meta['family_wise_false_alarm_bound']:.1e})", file=file)
    muts = [r.mutants for r in reports if r.mutants and r.mutants.get("tried")]
    if muts:
        tried, killed = sum(m["tried"] for m in muts), sum(m["killed"] for m in muts)
        print(f"mutants: {killed}/{tried} killed ({killed / tried:.1%})", file=file)
    for r in reports:
        if r.mutants and r.mutants.get("error"):
            print(f"mutants: {r.mutants['error']}", file=file)


def _short(d, limit=240) -> str:
    text = json.dumps({k: v for k, v in d.items() if k != "rungs"}, default=str)
    return text if len(text) <= limit else text[:limit] + "..."
