"""The on-disk cache of symbolic results: a hit is the same result, anything that could change it misses, and a
broken cache never breaks a run."""
from __future__ import annotations

import json
import sys
import uuid

import pytest

import checks.cache as cache
import checks.symbolic as symbolic
from checks.base import FormulaCheck, RunContext
from checks.result import ERROR, FAIL, PASS, CheckResult
from theory.registry import load_file

CLAIM_FILE = """
import sympy as sp
from theory.model import Claim, Param, Regime, claim
from checks.symbolic import SymbolicEquality
from {helper} import RHS

x = sp.Symbol("x", positive=True)
y = sp.Function("y")


@claim("mine.eq1", "Eq. (1)", "an identity")
def eq1():
    return Claim(statement=sp.Eq(y(x), sp.sin(x) ** 2 + sp.cos(x) ** 2 + x - x), about="algebra",
                 regime=Regime((Param(x, 0.1, 2.0),)),
                 checks=[SymbolicEquality("equals the helper's expression", lambda c: c.formula, RHS)])
"""


@pytest.fixture
def files(tmp_path, monkeypatch):
    """A claim file and the helper module it imports, in a fresh folder; the cache in another."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("THEORYCHECK_CACHE", raising=False)
    monkeypatch.setattr(cache, "_warned", False)
    helper = f"tc_helper_{uuid.uuid4().hex[:8]}"
    (tmp_path / f"{helper}.py").write_text("import sympy as sp\nRHS = sp.Integer(1)\n")
    (tmp_path / "mine.py").write_text(CLAIM_FILE.format(helper=helper))
    yield tmp_path, helper
    sys.modules.pop(helper, None)


def _claim(tmp_path):
    (c,) = load_file(tmp_path / "mine.py")
    return c


def _entries(tmp_path):
    return sorted((tmp_path / "cache" / "theorycheck" / "symbolic").rglob("*.pickle"))


def _same(a: CheckResult, b: CheckResult) -> bool:
    return {**a.to_dict(), "seconds": 0} == {**b.to_dict(), "seconds": 0}


def _no_algebra(monkeypatch):
    """From here on, deciding an equality is an error: a result can only come from the cache."""
    def refuse(*args, **kw):
        raise RuntimeError("the algebra ran")

    monkeypatch.setattr(symbolic, "decide_equal", refuse)


def test_a_hit_returns_the_identical_result_without_running_the_algebra(files, monkeypatch):
    tmp_path, _ = files
    c = _claim(tmp_path)
    first = c.checks[0].run(c, RunContext())
    assert first.status == PASS and len(_entries(tmp_path)) == 1
    _no_algebra(monkeypatch)
    again = _claim(tmp_path)                         # a new process would rebuild the claim like this
    second = again.checks[0].run(again, RunContext())
    assert _same(first, second)
    assert c.checks[0].run(c, RunContext(cache_symbolic=False)).status == ERROR    # the algebra is really off


def test_a_changed_statement_misses(files):
    tmp_path, _ = files
    c = _claim(tmp_path)
    assert c.checks[0].run(c, RunContext()).status == PASS
    import sympy as sp

    mutant = c.with_statement(sp.Eq(c.lhs, c.rhs * sp.Rational(21, 20)))      # what --mutants runs
    result = mutant.checks[0].run(mutant, RunContext())
    assert result.status == FAIL and result.counterexample
    assert len(_entries(tmp_path)) == 2


def test_a_changed_seed_depth_or_source_misses(files, monkeypatch):
    tmp_path, helper = files
    c = _claim(tmp_path)
    c.checks[0].run(c, RunContext())
    c.checks[0].run(c, RunContext(seed=1))
    c.checks[0].run(c, RunContext(deep=True))
    assert len(_entries(tmp_path)) == 3
    (tmp_path / f"{helper}.py").write_text("import sympy as sp\nRHS = sp.Integer(2)  # changed\n")
    sys.modules.pop(helper, None)
    changed = _claim(tmp_path)
    result = changed.checks[0].run(changed, RunContext())
    assert result.status == FAIL, "an edited helper module must not replay the old verdict"
    (tmp_path / "mine.py").write_text(CLAIM_FILE.format(helper=helper) + "\n# an edit\n")
    edited = _claim(tmp_path)
    edited.checks[0].run(edited, RunContext())
    assert len(_entries(tmp_path)) == 5


def test_disabled_by_the_environment_or_the_context(files, monkeypatch):
    tmp_path, _ = files
    c = _claim(tmp_path)
    assert c.checks[0].run(c, RunContext(cache_symbolic=False)).status == PASS
    monkeypatch.setenv("THEORYCHECK_CACHE", "0")
    assert c.checks[0].run(c, RunContext()).status == PASS
    assert _entries(tmp_path) == []
    monkeypatch.setenv("THEORYCHECK_CACHE", "1")
    c.checks[0].run(c, RunContext())
    _no_algebra(monkeypatch)
    assert c.checks[0].run(c, RunContext(cache_symbolic=False)).status == ERROR
    monkeypatch.setenv("THEORYCHECK_CACHE", "0")
    assert c.checks[0].run(c, RunContext()).status == ERROR


def test_a_corrupt_entry_is_ignored_with_one_warning_and_replaced(files):
    tmp_path, _ = files
    c = _claim(tmp_path)
    first = c.checks[0].run(c, RunContext())
    (entry,) = _entries(tmp_path)
    entry.write_bytes(b"\x80\x05 not a pickle")
    with pytest.warns(cache.CacheWarning, match="unreadable entry"):
        second = c.checks[0].run(c, RunContext())
    assert _same(first, second)
    third = c.checks[0].run(c, RunContext())                 # rewritten by the run that ignored it
    assert _same(first, third)


def test_an_unwritable_cache_never_fails_a_run(files, monkeypatch):
    tmp_path, _ = files
    (tmp_path / "not-a-folder").write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "not-a-folder"))
    c = _claim(tmp_path)
    with pytest.warns(cache.CacheWarning, match="cannot write"):
        assert c.checks[0].run(c, RunContext()).status == PASS
    assert c.checks[0].run(c, RunContext()).status == PASS        # warned once


class Counting(FormulaCheck):
    """A symbolic check that counts comparisons, and one whose result is an error."""

    name, broken, calls = "counting", False, 0

    def _run(self, claim, ctx):
        Counting.calls += 1
        if self.broken:
            raise ValueError("broken")
        ctx.counter.add(3)
        return CheckResult(self.kind, self.name, PASS, "count")


def test_a_hit_replays_the_comparisons_and_errors_are_never_stored(files):
    tmp_path, _ = files
    c = _claim(tmp_path)
    check = Counting()
    one, two = RunContext(), RunContext()
    Counting.calls = 0
    check.run(c, one)
    check.run(c, two)
    assert Counting.calls == 1 and one.counter.count == two.counter.count == 3
    broken = Counting()
    broken.broken, broken.name = True, "broken"
    assert broken.run(c, RunContext()).status == ERROR
    assert broken.run(c, RunContext()).status == ERROR
    assert Counting.calls == 3


def test_claims_without_a_source_file_are_not_cached(files):
    tmp_path, _ = files
    c = _claim(tmp_path)
    c.defined_in = ""
    c.checks[0].run(c, RunContext())
    assert _entries(tmp_path) == []


def test_sources_include_the_claim_code_a_file_imports(files):
    tmp_path, helper = files
    c = _claim(tmp_path)
    names = {p.name for p in cache.claim_sources(c.defined_in)}
    assert {"mine.py", f"{helper}.py"} <= names
    assert not any(p.name == "symbolic.py" and p.parent.name == "checks" for p in cache.claim_sources(c.defined_in))


def test_builtin_claims_know_their_section_module():
    from theory.registry import Registry

    reg = Registry.builtin()
    c = reg.get("adai.eq19")
    assert c.defined_in.endswith(reg.entry("adai.eq19").module.replace(".", "/") + ".py")


def test_the_command_line_reports_clears_and_bypasses_the_cache(files, capsys, monkeypatch):
    """`theorycheck cache info|clear`, and `verify --no-cache` recomputing instead of replaying."""
    from theorycheck.cli import main

    tmp_path, _ = files
    (tmp_path / "cache" / "theorycheck" / "other.txt").parent.mkdir(parents=True)
    (tmp_path / "cache" / "theorycheck" / "other.txt").write_text("not ours")
    assert main(["verify", str(tmp_path / "mine.py"), "-q"]) == 0
    assert len(_entries(tmp_path)) == 1
    assert main(["cache", "info", "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["entries"] == 1 and info["folder"] == str(tmp_path / "cache" / "theorycheck" / "symbolic")
    _no_algebra(monkeypatch)
    assert main(["verify", str(tmp_path / "mine.py"), "-q"]) == 0                # replayed: the algebra is off
    assert main(["verify", str(tmp_path / "mine.py"), "-q", "--no-cache", "--fail-on", "error"]) == 1
    assert main(["cache", "clear"]) == 0
    assert "removed 1 cached symbolic result" in capsys.readouterr().out
    assert _entries(tmp_path) == [] and (tmp_path / "cache" / "theorycheck" / "other.txt").exists()
    assert main(["verify", str(tmp_path / "mine.py"), "-q", "--fail-on", "error"]) == 1   # nothing to replay now
