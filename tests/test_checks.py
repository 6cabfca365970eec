"""Checks that decide: each defect of the earlier checks has a regression test here."""
from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from checks.base import RunContext
from checks.dynamics.sample import Sample
from checks.exact import ExactComparison
from checks.montecarlo import MonteCarloDensity, MonteCarloMean
from checks.result import ERROR, FAIL, INCONCLUSIVE, PASS, REFUTED, CheckResult, compute_verdict
from checks.symbolic import SymbolicEquality
from theory.model import Claim, Param, Regime

a = sp.Symbol("a", positive=True)
R = Regime((Param(a, 1.0, 2.0),))


def _claim(rhs, checks, about="process"):
    return Claim(id="test.eq1", statement=sp.Eq(sp.Symbol("y"), rhs), regime=R, checks=checks, about=about)


def test_a_perturbation_must_be_rejected_on_every_observable_it_changes():
    """Two observables, one measured precisely and one barely: the wrong formula is visible only on the
    precise one. The earlier self-test counted that as power for both; now the check says it is underpowered."""
    def simulate(point, n, rng):
        precise = point["a"] + 1e-4 * rng.standard_normal(n)
        noisy = 2 * point["a"] + 50 * rng.standard_normal(n)
        return Sample(np.column_stack([precise, noisy]), ["precise", "noisy"])

    check = MonteCarloMean("two observables", simulate, lambda p, f: [f(**p), 2 * f(**p)], n_paths=2000)
    r = check.run(_claim(a, [check]), RunContext())
    assert r.status == INCONCLUSIVE and "self-test" in r.reason


def test_a_self_test_that_changes_nothing_is_not_power():
    """A claimed value of 0 is unchanged by x1.5: a zero-variance observable equal to it proves nothing."""
    check = MonteCarloMean("zero", lambda p, n, rng: Sample(np.zeros((n, 1)), ["x"]), lambda p, f: [f(**p)])
    r = check.run(_claim(0 * a, [check]), RunContext())
    assert r.status == INCONCLUSIVE


def test_density_self_test_must_reject_at_every_point():
    def simulate(point, n, rng):
        return Sample(rng.standard_normal((n, 1)) * np.sqrt(point["a"]), ["x"])

    x = sp.Symbol("x", real=True)
    dens = sp.exp(-x ** 2 / (2 * a)) / sp.sqrt(2 * sp.pi * a)
    ok = MonteCarloDensity("right", simulate, x=x, n_paths=20_000)
    assert ok.run(_claim(dens, [ok]), RunContext()).status == PASS
    wrong = MonteCarloDensity("wrong", simulate, x=x, n_paths=20_000)
    assert wrong.run(_claim(dens.subs(a, 1.3 * a), [wrong]), RunContext()).status == FAIL


def test_a_derivation_alone_does_not_refute_a_claim_about_a_process():
    wrong_algebra = SymbolicEquality("a derivation step", a + 1, lambda c: c.formula)
    exact = ExactComparison("the model", lambda p: p["a"], lambda p, f: [f(**p)])
    c = _claim(a, [wrong_algebra, exact])
    results = [ch.run(c, RunContext()) for ch in c.checks]
    assert [r.status for r in results] == [FAIL, PASS]
    assert compute_verdict(results, "process").status == INCONCLUSIVE
    assert compute_verdict(results, "algebra").status == REFUTED


def test_an_exception_in_a_check_is_an_error_result_not_a_crash():
    class Broken(SymbolicEquality):
        def _run(self, claim, ctx):
            raise TypeError("unsupported operand")

    c = _claim(a, [Broken("broken", a, a)])
    r = c.checks[0].run(c, RunContext())
    assert r.status == ERROR and "test.eq1" in r.reason and "broken" in r.reason and "TypeError" in r.reason
    assert r.details["fault"] == "user"              # the raising code is this file's, not the tool's


def test_a_fault_inside_the_tool_is_the_tools():
    """SymPy raising inside a check of the package (here: a side that is not an expression) is a tool fault."""
    c = _claim(a, [SymbolicEquality("bad side", lambda c: object(), lambda c: c.formula)])
    r = c.checks[0].run(c, RunContext())
    assert r.status == ERROR and r.details["fault"] == "tool"


def test_exact_comparison_fails_on_finite_points_even_if_one_point_is_not_finite():
    b = sp.Symbol("b", real=True)
    regime = Regime((Param(b, -4.0, 1.0),))
    check = ExactComparison("model", lambda p: np.log(3 + p["b"]) if p["b"] > -3 else np.nan, lambda p, f: [f(**p)])
    c = Claim(id="test.eq2", statement=sp.Eq(sp.Symbol("y"), sp.log(2 + b)), regime=regime, checks=[check])
    r = check.run(c, RunContext())
    assert r.status == FAIL and r.details["not_finite"]


def test_exact_order_can_read_the_claimed_order_from_the_statement():
    from checks.exact import ExactOrder
    from theory.model import BigO

    e = sp.Symbol("e", positive=True)
    regime = Regime((Param(e, 0.05, 0.2),))
    exact = lambda p: np.exp(p["e"]) - 1                       # = e + e^2/2 + ...
    for bound, status in ((e ** 2, PASS), (e ** 3, FAIL)):     # relative remainder: order 1, not 2
        check = ExactOrder("ladder", exact, e, order="statement")
        c = Claim(id="test.eq3", statement=sp.Eq(sp.Symbol("y"), e + BigO(bound)), regime=regime, checks=[check],
                  about="algebra")
        assert check.run(c, RunContext()).status == status


def test_equivalent_mutants_under_the_texts_identities_and_symmetries():
    from theory.mutants import mutants

    dt, eta, D, dW = sp.symbols("dt eta D dW", positive=True)
    st = sp.Eq(sp.Symbol("dx"), -eta * dt ** 2 + sp.sqrt(2 * D) * dW)
    plain = {m.label: m.equivalent for m in mutants(st)}
    marked = {m.label: m.equivalent for m in mutants(st, identities={dt: eta}, symmetric=(dW,))}
    assert not plain["dt <-> eta"] and marked["dt <-> eta"]
    flip = next(k for k in marked if k.startswith("sign of sqrt(2)*sqrt(D)*dW"))
    assert marked[flip] and not plain[flip]


def test_a_huge_formula_is_not_equal_to_its_mutant():
    """exp(800) overflows a float: the earlier test compared inf with inf and called every mutant equivalent."""
    from theory.mutants import mutants

    x = sp.Symbol("x", positive=True)
    ms = mutants(sp.Eq(sp.Symbol("tau"), sp.exp(800 * x)), Regime((Param(x, 1, 2),)))
    assert not any(m.equivalent for m in ms if m.label == "x1.05")


def _order_case(c: float):
    """y = a h claimed to O(h) relative; the process has mean a h (1 + h). Two-point values make the standard
    error exactly c times the deviation, so the fitted order's precision is set by c alone."""
    from checks.montecarlo import MonteCarloOrder

    h = sp.Symbol("h", positive=True)

    def simulate(point, n, rng):
        av, hv = point["a"], point["h"]
        s = c * av * hv ** 2 * np.sqrt(n)
        signs = np.where(np.arange(n) % 2 == 0, 1.0, -1.0)
        return Sample((av * hv * (1 + hv) + s * signs)[:, None], ["y"])

    check = MonteCarloOrder("order", simulate, small=h, order=1, rungs=3, n_paths=1000)
    claim = Claim(id="test.order", statement=sp.Eq(sp.Symbol("y"), a * h), about="process", checks=[check],
                  regime=Regime((Param(a, 1.0, 2.0), Param(h, 0.05, 0.1))))
    return check.run(claim, RunContext())


def test_order_check_reports_its_power_and_passes_when_precise():
    r = _order_case(0.01)
    assert r.status == PASS and r.details["min_detectable_order_deficit"] < 0.2


def test_order_check_that_cannot_tell_the_order_from_none_is_underpowered():
    """Every rung stands 4.2 standard errors clear of noise, but three rungs fit the order to +-0.25: a claimed
    order 1 could not be told from no convergence at all, so the check must not pass."""
    r = _order_case(0.24)
    assert r.status == INCONCLUSIVE and "underpowered" in r.reason
    assert r.details["min_detectable_order_deficit"] > 1


def test_a_conjunction_is_mutated_part_by_part():
    """'0 < |s| < max(|a|, |b|)' is mutated in each part with the other kept as printed, so a check of the whole
    can kill a mutant of either part (a statement made of And/Or no longer stops the mutation run)."""
    from theory.mutants import mutants

    a, b = sp.symbols("a b", real=True)
    s = sp.Abs(a + b)
    stmt = sp.And(sp.StrictGreaterThan(s, 0), sp.StrictLessThan(s, sp.Max(sp.Abs(a), sp.Abs(b))))
    out = mutants(stmt)
    assert {m.label.split(":")[0] for m in out} == {"part 1", "part 2"}
    assert all(isinstance(m.statement, sp.And) for m in out)
    reversed_2 = next(m for m in out if m.label == "part 2: direction reversed")
    assert reversed_2.statement.args[0] == stmt.args[0] or reversed_2.statement.args[1] == stmt.args[0]
    assert not bool(reversed_2.statement.subs({a: sp.Rational(1, 16), b: -sp.Rational(1, 12)}))


def test_a_statement_the_mutator_cannot_handle_is_reported_not_raised(monkeypatch):
    """The mutation self-test of one claim failing to build mutants is an error in that claim's report; the run
    goes on."""
    import checks.mutation as mutation
    from checks.base import RunContext
    from theory.registry import Registry

    def broken(*a, **k):
        raise TypeError("unsupported operand")

    monkeypatch.setattr(mutation, "mutants", broken)
    claim = Registry.builtin().get("diagrams.fig5.cancel")
    out = mutation.run_mutants(claim, RunContext(), "verified")
    assert out["tried"] == 0 and "diagrams.fig5.cancel" in out["error"] and "TypeError" in out["error"]


def test_power_is_that_of_the_best_resolved_mean_with_the_weakest_shown():
    """An error of the whole formula moves every mean; the smallest one detected with 90% power is set by the
    best-resolved observable, (Z_CRIT + Z_POWER_90) se / |claimed|; the least-resolved one is reported beside it."""
    from checks.stats import Z_CRIT, Z_POWER_90

    def simulate(point, n, rng):
        return Sample(np.column_stack([point["a"] + 0.01 * rng.standard_normal(n),
                                       2 * point["a"] + 0.5 * rng.standard_normal(n)]), ["precise", "noisy"])

    check = MonteCarloMean("two", simulate, lambda p, f: [f(**p), 2 * f(**p)], n_paths=4000, n_points=1)
    d = check.run(_claim(a, [check]), RunContext()).details
    (p1, p2) = d["rows"]
    assert d["min_detectable_relative_error"] == pytest.approx((Z_CRIT + Z_POWER_90) * p1["se"] / p1["claimed"])
    assert d["least_resolved_relative_error"] == pytest.approx((Z_CRIT + Z_POWER_90) * p2["se"] / p2["claimed"])
    assert d["least_resolved_relative_error"] > 10 * d["min_detectable_relative_error"]


def test_a_not_equal_statement_counts_only_its_negation():
    """'a != b' stays true when a side is scaled or its sign flipped, so those mutants are tried but not
    counted; the negation 'a = b' is the mutant that must be killed."""
    from theory.mutants import mutants

    x, y = sp.symbols("x y", positive=True)
    out = mutants(sp.Ne(x, 2 * y))
    counted = [m for m in out if m.required]
    assert [m.label for m in counted] == ["= for !="] and isinstance(counted[0].statement, sp.Equality)
    assert any(m.kind == "scale" and not m.required for m in out)


def test_a_mutant_that_runs_too_long_is_set_aside_not_counted(monkeypatch):
    """A mutated density that SymPy tries to integrate for minutes must not stall the run: past the limit the
    mutant is reported as timed out and left out of the kill rate, and the next mutant runs."""
    import time

    import checks.mutation as mutation
    from checks.base import FormulaCheck

    class SlowOnMutants(FormulaCheck):
        name, kind, form = "slow on mutants", "symbolic", "equality"

        def _run(self, claim, ctx):
            if claim.statement.rhs != a:
                time.sleep(5)
            return CheckResult(self.kind, self.name, PASS, "test", {})

    monkeypatch.setattr(mutation, "MUTANT_SECONDS", 0.2)
    check = SlowOnMutants()
    claim = _claim(a, [check])
    start = time.perf_counter()
    out = mutation.run_mutants(claim, RunContext(), "verified")
    assert time.perf_counter() - start < 4
    assert out["tried"] == 0 and any("timed out" in r["outcome"] for r in out["rows"])
