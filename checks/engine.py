"""The verdict engine: run a claim's checks, compute its verdict, combine the readings of a statement."""
from __future__ import annotations

import platform
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from theory.version import __version__ as VERSION

from .base import RunContext
from .result import CheckResult, Verdict, combine_readings, compute_verdict


@dataclass
class ClaimReport:
    claim: Any
    results: list[CheckResult]
    verdict: Verdict
    seconds: float
    mutants: dict[str, Any] | None = None
    readings: dict[str, str] | None = None      # reading id -> its verdict, for a statement read several ways

    def to_dict(self) -> dict[str, Any]:
        import sympy as sp

        c = self.claim
        return {
            "id": c.id, "paper": c.paper, "location": c.location, "title": c.title,
            "citation": c.source.citation if c.source else "", "status": self.verdict.status,
            "reason": self.verdict.reason, "counterexample": self.verdict.counterexample,
            "statement_latex": c.latex(), "statement": sp.sstr(c.statement), "about": c.about,
            "regime": c.regime.to_dict(), "symbols": c.symbols, "dynamics": c.dynamics,
            "observable": c.observable, "notes": c.notes, "uses": c.uses, "corrects": c.corrects,
            "reading_of": c.reading_of, "reading": c.reading, "proof_reading": c.proof_reading,
            "quantified": c.quantified, "readings": self.readings, "origin": c.origin,
            "checks": [r.to_dict() for r in self.results],
            "corrected": ({"id": c.corrected.id, "statement_latex": c.corrected.latex()}
                          if c.corrected is not None else None),
            "mutants": self.mutants, "seconds": round(self.seconds, 3),
        }


def run_checks(claim, ctx: RunContext) -> list[CheckResult]:
    return [check.run(claim, ctx) for check in claim.checks]


def run_claim(claim, ctx: RunContext) -> ClaimReport:
    start = time.perf_counter()
    results = run_checks(claim, ctx)
    return ClaimReport(claim, results, compute_verdict(results, claim.about), time.perf_counter() - start)


def run_claims(claims: Iterable[Any], ctx: RunContext, registry=None,
               on_report: Callable[[ClaimReport], None] | None = None, jobs: int = 1, mutants: bool = False,
               on_done: Callable[[ClaimReport], None] | None = None, scheduler: Any = None) -> list[ClaimReport]:
    """Run claims in order; a statement read several ways gets the combined verdict of its readings
    (readings not in the selection are run too, and reported). ``jobs > 1`` runs claims in worker processes
    with the same verdicts; ``scheduler`` (a Dask scheduler's address, a Client or a cluster) runs them on a
    Dask cluster, with the same verdicts too. ``mutants`` adds each claim's mutation self-test. ``on_report``
    sees each report in order once its verdict is final; ``on_done`` sees each claim as soon as it finishes
    (any order)."""
    order = list(claims)
    if registry is not None:
        wanted = {c.id for c in order}
        for c in list(order):
            for rid in registry.readings_of(c.id):
                if rid not in wanted:
                    order.insert(order.index(c), registry.get(rid))
                    wanted.add(rid)
    if scheduler is not None:
        from .distributed import run_dask

        reports = run_dask(order, ctx, registry, scheduler, mutants, on_done)
    elif jobs > 1 and len(order) > 1:
        from .parallel import run_parallel

        reports = run_parallel(order, ctx, registry, jobs, mutants, on_done)
    else:
        reports = {}
        for c in order:
            report = run_claim(c, ctx)
            if mutants:
                from .mutation import run_mutants

                report.mutants = run_mutants(c, ctx, report.verdict.status)
            reports[c.id] = report
            if on_done is not None:
                on_done(report)
    out = []
    for c in order:
        report = reports[c.id]
        if registry is not None:
            readings = {rid: reports[rid].verdict for rid in registry.readings_of(c.id) if rid in reports}
            if readings:
                report.verdict = combine_readings(report.verdict, readings)
                report.readings = {rid: v.status for rid, v in readings.items()}
        if on_report is not None:
            on_report(report)
        out.append(report)
    return out


def run_metadata(ctx: RunContext) -> dict[str, Any]:
    return {"version": VERSION, "seed": ctx.seed, "deep": ctx.deep, "convention": ctx.convention,
            "utc": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "python": platform.python_version(), "comparisons": ctx.counter.count,
            "family_wise_false_alarm_bound": ctx.counter.family_bound}
