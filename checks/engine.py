"""The verdict engine: run a claim's checks, compute its verdict, keep the ledger of recorded verdicts."""
from __future__ import annotations

import json
import platform
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import sympy as sp

from .base import RunContext
from .result import CheckResult, Verdict, compute_verdict

LEDGER_PATH = Path(__file__).with_name("ledger.json")


@dataclass
class ClaimReport:
    claim: Any
    results: list[CheckResult]
    verdict: Verdict
    seconds: float

    def to_dict(self) -> dict[str, Any]:
        c = self.claim
        return {
            "id": c.id, "paper": c.paper, "location": c.source.location, "title": c.title,
            "citation": c.source.citation, "status": self.verdict.status, "reason": self.verdict.reason,
            "counterexample": self.verdict.counterexample,
            "statement_latex": c.latex(), "statement": sp.sstr(c.statement),
            "regime": c.regime.to_dict(), "symbols": c.symbols, "dynamics": c.dynamics,
            "observable": c.observable, "notes": c.notes, "uses": c.uses, "corrects": c.corrects,
            "checks": [r.to_dict() for r in self.results],
            "corrected": ({"id": c.corrected.id, "statement_latex": c.corrected.latex()}
                          if c.corrected is not None else None),
            "seconds": round(self.seconds, 3),
        }


def run_claim(claim, ctx: RunContext) -> ClaimReport:
    start = time.perf_counter()
    results = [check.run(claim, ctx, i) for i, check in enumerate(claim.checks)]
    return ClaimReport(claim, results, compute_verdict(results), time.perf_counter() - start)


def run_metadata(ctx: RunContext) -> dict[str, Any]:
    from . import __version__

    return {"version": __version__, "seed": ctx.seed, "deep": ctx.deep,
            "utc": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "python": platform.python_version(), "comparisons": ctx.counter.count,
            "family_wise_false_alarm_bound": ctx.counter.family_bound}


def load_ledger(path: Path = LEDGER_PATH) -> dict[str, dict[str, Any]]:
    if not path.exists():
        return {}
    return json.loads(path.read_text())["claims"]


def save_ledger(reports: list[ClaimReport], ctx: RunContext, path: Path = LEDGER_PATH) -> None:
    """Record the verdicts of a verification run; --strict later compares against them."""
    ledger = load_ledger(path)
    for r in reports:
        ledger[r.claim.id] = {"status": r.verdict.status, "checks": [x.status for x in r.results]}
    meta = {k: v for k, v in run_metadata(ctx).items() if k in ("version", "seed")}
    path.write_text(json.dumps({"recorded_by": meta, "claims": dict(sorted(ledger.items()))}, indent=1) + "\n")
