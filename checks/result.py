"""Check results and the verdict computed from them."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# A check passes, fails (the claim is contradicted), or cannot decide.
PASS, FAIL, INCONCLUSIVE, NOT_CHECKABLE = "pass", "fail", "inconclusive", "not-checkable"
# Claim verdicts.
VERIFIED, REFUTED = "verified", "refuted"
VERDICTS = (VERIFIED, REFUTED, INCONCLUSIVE, NOT_CHECKABLE)


@dataclass
class CheckResult:
    kind: str                        # symbolic | montecarlo | exact | asymptotic
    name: str
    status: str                      # pass | fail | inconclusive | not-checkable
    method: str
    details: dict[str, Any] = field(default_factory=dict)
    counterexample: dict[str, Any] | None = None
    reason: str = ""                 # why inconclusive / not checkable
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "name": self.name, "status": self.status, "method": self.method,
                "details": self.details, "counterexample": self.counterexample, "reason": self.reason,
                "seconds": round(self.seconds, 3)}


@dataclass
class Verdict:
    status: str
    reason: str = ""
    counterexample: dict[str, Any] | None = None


def compute_verdict(results: list[CheckResult]) -> Verdict:
    """refuted if any check fails; verified if every check passes; otherwise inconclusive.

    A claim with no runnable check is not-checkable, with the checks' reasons.
    """
    if not results:
        return Verdict(NOT_CHECKABLE, "no check is attached to this claim")
    failed = [r for r in results if r.status == FAIL]
    if failed:
        first = failed[0]
        return Verdict(REFUTED, f"{first.name}: {first.method}", first.counterexample)
    runnable = [r for r in results if r.status != NOT_CHECKABLE]
    if not runnable:
        return Verdict(NOT_CHECKABLE, "; ".join(r.reason for r in results if r.reason))
    open_ = [r for r in runnable if r.status == INCONCLUSIVE]
    if open_:
        return Verdict(INCONCLUSIVE, "; ".join(f"{r.name}: {r.reason}" for r in open_))
    return Verdict(VERIFIED, "every check passed")
