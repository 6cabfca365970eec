"""Every check of every claim reaches the status recorded in the ledger, and every verdict matches.

A claim refuted as printed is a passing test when the engine refutes it again (with a counterexample);
its corrected form is a claim of its own and must be verified.
"""
from __future__ import annotations

import json

from checks.result import FAIL, PASS, REFUTED, VERIFIED, compute_verdict
from conftest import LEDGER


def _evidence(result) -> str:
    return json.dumps(result.to_dict(), default=str)[:3000]


def test_claim_check(claim_check, claim_runs):
    claim, index = claim_check
    assert claim.id in LEDGER, f"{claim.id} has no recorded verdict: run `theorycheck verify {claim.id} --record`"
    result = claim_runs.result(claim, index)
    recorded = LEDGER[claim.id]["checks"][index]
    assert result.status == recorded, f"{claim.id} check {index} ({result.name}): {result.status}, recorded " \
                                      f"{recorded}. Evidence: {_evidence(result)}"
    if result.status == FAIL:
        assert result.counterexample, "a failing check must carry its counterexample"
    if result.kind == "montecarlo" and result.status == PASS:
        assert result.details["self_test"], "a Monte Carlo check needs its self-test"
        assert all(s["rejected"] for s in result.details["self_test"])


def test_verdict(claim, claim_runs):
    verdict = compute_verdict(claim_runs.all_results(claim))
    assert verdict.status == LEDGER[claim.id]["status"], verdict.reason
    if verdict.status == REFUTED:
        assert verdict.counterexample
    if claim.corrected is not None:
        assert compute_verdict(claim_runs.all_results(claim.corrected)).status == VERIFIED
