"""pytest plugin: claims as tests.

``pytest my_claims.py`` (or ``pytest --claims DIR``) collects a claim file with one test per check and one
per verdict; the package's own section modules (``theory/papers/<paper>/<section>.py``) are collected the
same way. Markers: ``symbolic``, ``exact``, ``montecarlo``, ``bound``, ``verdict``. Options: ``--deep``,
``--seed N``, ``--claims PATH`` (repeatable).

Every check runs once per session (a verdict test reuses its checks' results). A check test passes when
its status is the one recorded in the ledger (the package's ledgers, or ``theorycheck.lock`` for your own
claims); with nothing recorded, when it passes. Monte Carlo comparisons of the whole session are counted
and the session fails if they exceed the family-wise budget.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

MARKERS = {
    "symbolic": "a symbolic check of a claim (numbers first, then a rewrite or simplify proves it)",
    "exact": "a check against the exact solution of the paper's own model",
    "montecarlo": "a Monte Carlo check of a claim against simulated dynamics",
    "bound": "a worst-case search for a violation of a bound",
    "verdict": "a claim's verdict, computed from its checks",
}
_CLAIM_FILE = re.compile(r"(^|\n)\s*(@claim\(|CLAIMS\s*=|[A-Za-z_]\w*\s*=\s*Claim\()")


def pytest_addoption(parser):
    group = parser.getgroup("theorycheck")
    group.addoption("--deep", action="store_true", help="longer, tighter Monte Carlo runs and more hypothesis examples")
    group.addoption("--seed", type=int, default=None, help="root seed for the claim checks")
    group.addoption("--claims", action="append", default=[], metavar="PATH",
                    help="collect the claims of a claim file or a folder of them")


def pytest_configure(config):
    for name, text in MARKERS.items():
        config.addinivalue_line("markers", f"{name}: {text}")
    config._theorycheck = Session(config)


def pytest_collect_file(file_path: Path, parent):
    session: Session = parent.config._theorycheck
    if file_path.suffix != ".py" or file_path.name.startswith(("test_", "conftest", "_")):
        return None
    module = session.builtin_module(file_path)
    if module is not None:
        return ClaimFile.from_parent(parent, path=file_path, module=module)
    if session.wanted(file_path) and _CLAIM_FILE.search(file_path.read_text(errors="ignore")):
        return ClaimFile.from_parent(parent, path=file_path, module=None)
    return None


def pytest_sessionstart(session):
    for p in session.config.getoption("--claims"):
        if not Path(p).exists():
            raise pytest.UsageError(f"--claims {p}: no such file or folder")


def pytest_collection_modifyitems(session, config, items):
    extra = config.getoption("--claims")
    if not extra:
        return
    known = {str(getattr(i, "path", "")) for i in items}
    for p in extra:
        files = [Path(p)] if Path(p).is_file() else sorted(Path(p).glob("*.py"))
        for f in files:
            if str(f.resolve()) in known or f.name.startswith("_"):
                continue
            collector = ClaimFile.from_parent(session, path=f.resolve(), module=None)
            items.extend(collector.collect())


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    from checks.stats import ALPHA, FAMILY_ALPHA, MAX_COMPARISONS, PROCESS_TOTAL

    n = PROCESS_TOTAL.count
    if n:
        terminalreporter.write_line(f"Monte Carlo comparisons: {n} at level {ALPHA:.1e} each; family-wise "
                                    f"false-alarm bound {n * ALPHA:.1e} (target {FAMILY_ALPHA:g}, cap {MAX_COMPARISONS})")


def pytest_sessionfinish(session, exitstatus):
    from checks.stats import MAX_COMPARISONS, PROCESS_TOTAL

    if PROCESS_TOTAL.count > MAX_COMPARISONS:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


class Session:
    """The session's one run: a context, the registry, the ledger, and every check result computed once."""

    def __init__(self, config):
        self.config = config
        self._ctx = None
        self._registry = None
        self._ledger: dict[str, Any] | None = None
        self._results: dict[tuple[str, str], Any] = {}
        self._builtin_modules: dict[Path, str] | None = None
        self._explicit = {Path(a.split("::")[0]).resolve() for a in config.args if a.endswith(".py")}
        self._folders = [Path(p).resolve() for p in config.getoption("--claims")]

    def wanted(self, path: Path) -> bool:
        p = path.resolve()
        return p in self._explicit or any(f == p or f in p.parents for f in self._folders)

    def builtin_module(self, path: Path) -> str | None:
        if self._builtin_modules is None:
            from theory.registry import builtin_papers

            self._builtin_modules = {(paper.folder / f"{sec}.py").resolve(): f"{paper.package}.{sec}"
                                     for paper in builtin_papers() for sec in paper.sections}
        return self._builtin_modules.get(path.resolve())

    @property
    def registry(self):
        if self._registry is None:
            from theory.registry import Registry

            self._registry = Registry.builtin()
        return self._registry

    @property
    def ctx(self):
        if self._ctx is None:
            from checks.base import RunContext

            seed = self.config.getoption("--seed")
            self._ctx = RunContext(deep=self.config.getoption("--deep"), **({"seed": seed} if seed is not None else {}))
        return self._ctx

    @property
    def ledger(self) -> dict[str, Any]:
        if self._ledger is None:
            from theorycheck.cli import ledger_for

            self._ledger = ledger_for(self.registry).load()
        return self._ledger

    def result(self, claim, check):
        key = (claim.id, check.name)
        if key not in self._results:
            self._results[key] = check.run(claim, self.ctx)
        return self._results[key]

    def verdict(self, claim):
        from checks.result import combine_readings, compute_verdict

        own = compute_verdict([self.result(claim, ch) for ch in claim.checks], claim.about)
        readings = {rid: self.verdict(self.registry.get(rid)) for rid in self.registry.readings_of(claim.id)}
        return combine_readings(own, readings)


class ClaimFile(pytest.File):
    """The claims of one file: a section module of the package, or a user's claim file."""

    def __init__(self, *args, module: str | None = None, **kw):
        super().__init__(*args, **kw)
        self.module = module

    def collect(self):
        session: Session = self.config._theorycheck
        reg = session.registry
        if self.module is not None:
            ids = [e.id for e in reg.entries() if e.module == self.module]
        else:
            try:
                ids = reg.add_file(self.path)
            except Exception as e:  # noqa: BLE001 - a claim file that does not load is one failing item
                yield LoadError.from_parent(self, name="load", error=e)
                return
        for cid in ids:
            try:
                claim = reg.get(cid)
            except Exception as e:  # noqa: BLE001
                yield LoadError.from_parent(self, name=cid, error=e)
                continue
            for check in claim.checks:
                item = CheckItem.from_parent(self, name=f"{cid}::{check.name}", claim_id=cid, check_name=check.name)
                item.add_marker(getattr(pytest.mark, check.kind))
                yield item
            item = VerdictItem.from_parent(self, name=f"{cid}::verdict", claim_id=cid)
            item.add_marker(pytest.mark.verdict)
            yield item


class _ClaimItem(pytest.Item):
    def __init__(self, *args, claim_id: str, check_name: str = "", **kw):
        super().__init__(*args, **kw)
        self.claim_id, self.check_name = claim_id, check_name

    @property
    def tc(self) -> Session:
        return self.config._theorycheck

    def recorded(self) -> dict[str, Any] | None:
        return self.tc.ledger.get(self.claim_id)

    def reportinfo(self):
        return self.path, None, self.name

    def repr_failure(self, excinfo, style=None):
        if excinfo.errisinstance(ClaimFailure):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style)


class CheckItem(_ClaimItem):
    def runtest(self):
        from checks.result import ERROR, FAIL, INCONCLUSIVE, NOT_CHECKABLE, PASS

        claim = self.tc.registry.get(self.claim_id)
        check = next(c for c in claim.checks if c.name == self.check_name)
        result = self.tc.result(claim, check)
        rec = self.recorded()
        expected = (rec or {}).get("checks", {}).get(self.check_name) if rec else None
        evidence = (f"{result.method}; " + (f"counterexample: {json.dumps(result.counterexample, default=str)[:600]}"
                                             if result.counterexample else result.reason[:600]))
        if result.status == ERROR:
            raise ClaimFailure(f"{self.claim_id}: check '{self.check_name}' broke: {result.reason}")
        if expected is not None:
            if result.status != expected:
                raise ClaimFailure(f"{self.claim_id}: check '{self.check_name}' is {result.status}, recorded "
                                   f"{expected}. Evidence: {evidence}")
        elif result.status == FAIL:
            raise ClaimFailure(f"{self.claim_id}: check '{self.check_name}' fails. Evidence: {evidence}")
        elif result.status == INCONCLUSIVE:
            pytest.skip(f"inconclusive: {result.reason[:300]}")
        if result.status == FAIL and not result.counterexample:
            raise ClaimFailure("a failing check must carry its counterexample")
        if result.status == PASS and result.kind in ("montecarlo", "exact") and "self_test" in result.details:
            assert all(s["rejected"] for s in result.details["self_test"]), "a passing check rejects every wrong formula"
        assert result.status in (PASS, FAIL, NOT_CHECKABLE, INCONCLUSIVE)


class VerdictItem(_ClaimItem):
    def runtest(self):
        from checks.result import REFUTED, VERIFIED

        claim = self.tc.registry.get(self.claim_id)
        verdict = self.tc.verdict(claim)
        rec = self.recorded()
        if rec is not None:
            if verdict.status != rec["status"]:
                raise ClaimFailure(f"{self.claim_id}: verdict {verdict.status}, recorded {rec['status']}: {verdict.reason}")
        elif verdict.status != VERIFIED:
            raise ClaimFailure(f"{self.claim_id}: {verdict.status}: {verdict.reason}")
        if verdict.status == REFUTED and not verdict.counterexample:
            raise ClaimFailure(f"{self.claim_id}: refuted without a counterexample")
        for cid in self.tc.registry.corrections_of(self.claim_id):
            corrected = self.tc.verdict(self.tc.registry.get(cid))
            if corrected.status != VERIFIED:
                raise ClaimFailure(f"{self.claim_id}: its corrected form {cid} is {corrected.status}")


class LoadError(pytest.Item):
    def __init__(self, *args, error: BaseException, **kw):
        super().__init__(*args, **kw)
        self.error = error

    def runtest(self):
        raise ClaimFailure(f"{self.path}: {type(self.error).__name__}: {self.error}")

    def repr_failure(self, excinfo, style=None):
        return str(excinfo.value)

    def reportinfo(self):
        return self.path, None, self.name


class ClaimFailure(AssertionError):
    """A claim test failing: the message says which claim, which check and why (no traceback needed)."""
