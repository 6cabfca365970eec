"""Mutation self-test of a claim: run its checks against mutants of its statement with the same seeds.

A verified claim's mutant is killed when one of its checks now fails. For a claim that is not verified, a
mutant counts as read when any check's outcome or evidence changes. Simulations are replayed exactly
from a cache (same inputs, same generator state), so a mutant costs only the comparisons; mutant
comparisons are self-tests and do not count in the run's false-alarm budget.
"""
from __future__ import annotations

import json
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

from theory.mutants import mutants

from .base import RunContext, SimulationCache
from .result import FAIL, VERIFIED, CheckResult
from .stats import ComparisonCounter

MUTANT_SECONDS = 30.0     # a mutant whose checks take longer (SymPy integrating a mutated density) is set aside


class MutantTimeout(BaseException):
    """Raised through a check's own error handling: the mutant ran out of time, which says nothing about it."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """A wall-clock limit where signals can be used (the main thread of a process); elsewhere no limit."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expire(signum, frame):
        raise MutantTimeout()

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _fingerprint(r: CheckResult) -> str:
    return json.dumps({"status": r.status, "details": r.details, "ce": r.counterexample}, sort_keys=True,
                      default=str)


def run_mutants(claim, ctx: RunContext, original_status: str) -> dict[str, Any]:
    mctx = replace(ctx, cache=SimulationCache(), counter=ComparisonCounter(process=False))
    baseline = [check.run(claim, mctx) for check in claim.checks]
    base_prints = [_fingerprint(r) for r in baseline]
    rows, tried, killed = [], 0, 0
    try:
        made = mutants(claim.statement, claim.regime, identities=getattr(claim, "identities", None),
                       symmetric=tuple(getattr(claim, "symmetric", ())))
    except Exception as exc:                  # the statement's form is one the mutator cannot handle: say so, go on
        return {"tried": 0, "killed": 0, "survivors": [], "rows": [], "kill_rate": None, "statement_checked": None,
                "scale_killed": {}, "error": f"{claim.id}: no mutants of this statement ({type(exc).__name__}: {exc})"}
    for m in made:
        row: dict[str, Any] = {"label": m.label, "kind": m.kind, "required": m.required}
        if m.equivalent:
            rows.append({**row, "outcome": "equivalent"})
            continue
        mc = claim.with_statement(m.statement)
        outcome = "survived"
        try:
            with time_limit(MUTANT_SECONDS):
                outcome = _outcome(claim, mc, mctx, base_prints, original_status)
        except MutantTimeout:
            rows.append({**row, "outcome": f"timed out after {MUTANT_SECONDS:.0f} s (not counted)"})
            continue
        if m.required:
            tried += 1
            killed += outcome != "survived"
        rows.append({**row, "outcome": outcome})
    survivors = [r["label"] for r in rows if r["outcome"] == "survived" and r["required"]]
    return {"tried": tried, "killed": killed, "survivors": survivors, "rows": rows,
            "kill_rate": killed / tried if tried else None,
            "statement_checked": killed > 0 if tried else None,
            "scale_killed": {lab: next((r["outcome"] != "survived" for r in rows if r["label"] == lab), None)
                             for lab in ("x1.05", "x1.2")}}


def _outcome(claim, mutant_claim, mctx, base_prints, original_status) -> str:
    for check, before in zip(claim.checks, base_prints):
        result = check.run(mutant_claim, mctx)
        if original_status == VERIFIED:
            if result.status == FAIL:
                return f"killed by '{check.name}'"
        elif _fingerprint(result) != before:
            return f"read by '{check.name}'"
    return "survived"

