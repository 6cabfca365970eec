"""Check results and the verdict computed from them."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# A check passes, fails (the claim is contradicted), cannot decide, or broke (an error of the check or of a
# user's simulator: reported, never turned into a verdict).
PASS, FAIL, INCONCLUSIVE, NOT_CHECKABLE, ERROR = "pass", "fail", "inconclusive", "not-checkable", "error"
CHECK_STATUSES = (PASS, FAIL, INCONCLUSIVE, NOT_CHECKABLE, ERROR)
# Claim verdicts.
VERIFIED, REFUTED, DEPENDS = "verified", "refuted", "depends-on-reading"
VERDICTS = (VERIFIED, REFUTED, DEPENDS, INCONCLUSIVE, NOT_CHECKABLE, ERROR)


@dataclass
class CheckResult:
    kind: str                        # symbolic | exact | montecarlo | bound
    name: str
    status: str                      # pass | fail | inconclusive | not-checkable | error
    method: str
    details: dict[str, Any] = field(default_factory=dict)
    counterexample: dict[str, Any] | None = None
    reason: str = ""                 # why inconclusive / not checkable / error
    seconds: float = 0.0
    form: str = ""                   # what the evidence is: equality, order, z-test, density, exact, bound, ...
    evidence: str = "derivation"     # derivation | model

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "name": self.name, "status": self.status, "method": self.method,
                "form": self.form, "evidence": self.evidence, "details": self.details,
                "counterexample": self.counterexample, "reason": self.reason, "seconds": round(self.seconds, 3)}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> CheckResult:
        return cls(d["kind"], d["name"], d["status"], d.get("method", ""), d.get("details") or {},
                   d.get("counterexample"), d.get("reason", ""), d.get("seconds", 0.0), d.get("form", ""),
                   d.get("evidence", "derivation"))


@dataclass
class Verdict:
    status: str
    reason: str = ""
    counterexample: dict[str, Any] | None = None


def compute_verdict(results: list[CheckResult], about: str = "process") -> Verdict:
    """refuted if a check fails (for a claim about a process: a check against the process itself);
    verified if every check passes; error if a check broke; otherwise inconclusive. A claim with no
    runnable check is not-checkable, with the checks' reasons."""
    if not results:
        return Verdict(NOT_CHECKABLE, "no check is attached to this claim")
    failed = [r for r in results if r.status == FAIL]
    decisive = [r for r in failed if about != "process" or r.evidence == "model"]
    if decisive:
        first = decisive[0]
        return Verdict(REFUTED, f"{first.name}: {first.method}", first.counterexample)
    errors = [r for r in results if r.status == ERROR]
    if errors:
        return Verdict(ERROR, "; ".join(r.reason for r in errors))
    if failed:
        return Verdict(INCONCLUSIVE, "a derivation disagrees (" + "; ".join(r.name for r in failed) + "), but no "
                       "check against the process refutes the statement: a claim about a process is refuted "
                       "only by evidence from the process", failed[0].counterexample)
    runnable = [r for r in results if r.status != NOT_CHECKABLE]
    if not runnable:
        return Verdict(NOT_CHECKABLE, "; ".join(r.reason for r in results if r.reason))
    open_ = [r for r in runnable if r.status == INCONCLUSIVE]
    if open_:
        return Verdict(INCONCLUSIVE, "; ".join(f"{r.name}: {r.reason}" for r in open_))
    return Verdict(VERIFIED, "every check passed")


def combine_readings(own: Verdict, readings: dict[str, Verdict]) -> Verdict:
    """The verdict of a statement read more than one way: the readings' common verdict, or 'depends on the
    reading' when plausible readings disagree."""
    if not readings:
        return own
    statuses = {v.status for v in readings.values()}
    if own.status == REFUTED:
        return own
    if len(statuses) == 1:
        status = statuses.pop()
        ce = None
        if status == REFUTED:      # the first refuted reading's counterexample, named
            found = [(rid, v) for rid, v in sorted(readings.items()) if v.counterexample]
            ce = {**(found[0][1].counterexample or {}), "reading": found[0][0]} if found else None
        return Verdict(status, f"every reading is {status}: " + ", ".join(sorted(readings)), ce)
    parts = ", ".join(f"{rid}: {v.status}" for rid, v in sorted(readings.items()))
    return Verdict(DEPENDS, f"the readings disagree ({parts})")
