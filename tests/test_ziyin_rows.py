"""`ziyin`'s rows_main, rows_experiments, rows_appendix and rows_appendix_d5: every claim builds, and representative
checks reject a deliberately wrong statement."""
from __future__ import annotations

import math

import sympy as sp

from checks.base import RunContext
from checks.result import FAIL, PASS
from theory.papers.ziyin import rows_appendix as ra
from theory.papers.ziyin import rows_appendix_d5 as rd
from theory.papers.ziyin import rows_experiments as rx
from theory.papers.ziyin import rows_main as rm
from theory.registry import Registry

MODULES = ("rows_main", "rows_experiments", "rows_appendix", "rows_appendix_d5")


def own_ids(reg):
    return [e.id for e in reg.entries() if e.module.rsplit(".", 1)[-1] in MODULES]


def test_every_claim_builds_with_checks():
    reg = Registry.builtin()
    ids = own_ids(reg)
    assert len(ids) >= 30
    for claim_id in ids:
        c = reg.get(claim_id)
        assert c.checks, claim_id


def with_statement(claim_id, statement):
    return Registry.builtin().get(claim_id).with_statement(statement)   # a copy: the registry's claim stays as printed


def test_ddim_relation_reversed_is_rejected():
    check = rm.DirectionsAttracted("runs")
    assert check.run(with_statement("ziyin.remark.ddim.lc", sp.LessThan(rm.L_EIG, rm.L_C)), RunContext()).status \
        == PASS
    assert check.run(with_statement("ziyin.remark.ddim.lc", sp.GreaterThan(rm.L_EIG, rm.L_C)), RunContext()).status \
        == FAIL


def test_branch_ratio_rejects_a_wrong_limit():
    good = rx.branch_claim(sp.Rational(1, 2), rx.a / 2)
    good.id = "ziyin.test"
    assert good.checks[0].run(good, RunContext()).status == PASS
    bad = good.with_statement(sp.Eq(good.lhs, sp.Rational(1, 2)))
    assert bad.checks[0].run(bad, RunContext()).status == FAIL


def test_identity99_separates_the_printed_and_corrected_forms():
    c = Registry.builtin().get("ziyin.eq102.corrected")
    assert ra.PathwiseIdentity("runs").run(c, RunContext()).status == PASS
    printed = Registry.builtin().get("ziyin.eq102")
    assert ra.PathwiseIdentity("runs").run(printed, RunContext()).status == FAIL


def test_finite_conclusion_needs_a_strict_relation():
    check = ra.ExcludesInfinity("finite")
    assert check.run(with_statement("ziyin.prop8.finite", ra.FINITE), RunContext()).status == PASS
    assert check.run(with_statement("ziyin.prop8.finite", ra.FINITE_AS_PRINTED), RunContext()).status == FAIL


def test_remark_cases_match_the_closed_form():
    (_, uni, closed), (_, half, _) = ra.remark_cases({"u": 2.0, "s_h": 1.0})
    assert math.isclose(uni, closed, rel_tol=1e-9) and math.isfinite(half) and half > 0


def test_critical_scale_is_the_lower_branch():
    lv, av = 0.3, -1.0
    assert math.isclose(rm.critical_scale(lv, av) * lv, av / (av - 1), rel_tol=1e-9)


def test_figure8_law_rejects_a_shifted_density():
    c = Registry.builtin().get("ziyin.fig8")
    check = rd.ReachesDensity("law")
    assert check.run(c, RunContext()).status == PASS
    shifted = c.with_statement(sp.Eq(c.lhs, c.rhs.subs(rd.wf, rd.wf - sp.Rational(1, 10))))
    assert check.run(shifted, RunContext()).status == FAIL
