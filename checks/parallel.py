"""Verification in worker processes: the same verdicts as one process, for the same seed.

Every check's random stream is keyed by (root seed, claim id, check name), never by the order claims run
in, so a claim gives the same evidence in any worker. A worker builds its own registry (the package's
claims plus the same claim files), runs one claim, and sends back the results as plain data with the
number of comparisons it made; the parent rebuilds the reports in the order asked and adds the counts to
the run's false-alarm budget.
"""
from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import replace
from typing import Any

from .base import RunContext
from .result import CheckResult, Verdict
from .stats import ComparisonCounter

_WORKER: dict[tuple[str, ...], Any] = {}


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


def _worker_registry(files: tuple[str, ...]):
    reg = _WORKER.get(files)
    if reg is None:
        from theory.registry import Registry

        reg = Registry.builtin()
        for f in files:
            reg.add_file(f)
        _WORKER[files] = reg
    return reg


def worker_fields(ctx: RunContext) -> dict[str, Any]:
    """What a worker needs of the run's context to give the same evidence (plain data, sent to the worker)."""
    return {"seed": ctx.seed, "deep": ctx.deep, "at": ctx.at, "convention": ctx.convention,
            "cache_symbolic": ctx.cache_symbolic}


def _run_one(claim_id: str, files: tuple[str, ...], ctx_fields: dict[str, Any], mutants: bool) -> dict[str, Any]:
    from .engine import run_claim

    reg = _worker_registry(files)
    ctx = RunContext(**ctx_fields, counter=ComparisonCounter(process=False))
    claim = reg.get(claim_id)
    report = run_claim(claim, ctx)
    out = {"id": claim_id, "results": [r.to_dict() for r in report.results], "seconds": report.seconds,
           "verdict": [report.verdict.status, report.verdict.reason, report.verdict.counterexample],
           "comparisons": ctx.counter.count, "mutants": None}
    if mutants:
        from .mutation import run_mutants

        out["mutants"] = run_mutants(claim, ctx, report.verdict.status)
    return out


def run_parallel(claims: list, ctx: RunContext, registry, jobs: int, mutants: bool = False,
                 on_report: Callable | None = None) -> dict[str, Any]:
    """Run claims in ``jobs`` worker processes; returns {claim id: ClaimReport} (readings not combined)."""
    from .engine import ClaimReport

    files = tuple(getattr(registry, "files", ()))
    fields = worker_fields(ctx)
    by_id = {c.id: c for c in claims}
    reports: dict[str, Any] = {}
    method = "spawn"      # fresh interpreters: forking after numba's OpenMP threads started can deadlock
    with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context(method)) as pool:
        pending = {pool.submit(_run_one, c.id, files, fields, mutants) for c in claims}
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for fut in done:
                data = fut.result()
                ctx.counter.add(data["comparisons"])
                results = [CheckResult.from_dict(r) for r in data["results"]]
                status, reason, ce = data["verdict"]
                report = ClaimReport(by_id[data["id"]], results, Verdict(status, reason, ce), data["seconds"],
                                     mutants=data["mutants"])
                reports[data["id"]] = report
                if on_report is not None:
                    on_report(report)
    return reports


def context_for_workers(ctx: RunContext) -> RunContext:
    return replace(ctx, cache=None)
