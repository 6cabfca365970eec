"""Worker processes give the same evidence as one process, for the same seed."""
from __future__ import annotations

import json

from conftest import registry

from checks.base import RunContext
from checks.engine import run_claims


def _fingerprint(reports):
    return [(r.claim.id, r.verdict.status, json.dumps([x.details for x in r.results], sort_keys=True, default=str))
            for r in reports]


def test_two_workers_reproduce_one_process_exactly():
    reg = registry()
    claims = [reg.get(i) for i in ("adai.eq19", "adai.eq21", "adai.thm1", "adai.eq11")]
    one, two = RunContext(seed=7), RunContext(seed=7)
    a = run_claims(claims, one, reg, jobs=1)
    b = run_claims(claims, two, reg, jobs=2)
    assert _fingerprint(a) == _fingerprint(b)
    assert one.counter.count == two.counter.count > 0
