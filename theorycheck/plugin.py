"""pytest plugin: claims as tests.

``pytest my_claims.py`` (or ``pytest claims/``, or ``pytest --claims DIR``) collects a claim file with one
test per check and one per verdict; the package's own section modules (``theory/papers/<paper>/<section>.py``)
are collected the same way. Markers: ``symbolic``, ``exact``, ``montecarlo``, ``bound``, ``verdict`` (select
with ``-m``). Options: ``--deep``, ``--seed N``, ``--claims PATH`` (repeatable), ``--optimizer-convention``,
``--theorycheck-run FILE``.

Every check runs once per session (a verdict test reuses its checks' results). A check test passes when
its status is the one recorded in the ledger (the package's ledgers, or ``theorycheck.lock`` for your own
claims); with nothing recorded, when it passes. Monte Carlo comparisons of the whole session are counted
and the session fails if they exceed the family-wise budget.

A saved run (``--theorycheck-run FILE`` or ``THEORYCHECK_RUN=FILE``, the output of ``theorycheck verify --json``)
is reused: a check test reports the saved result, with the same pass/fail rules, for each claim whose statement
and code are unchanged and when the run's seed, depth and convention are the session's; other checks run fresh,
and the summary says how many were reused and why the rest ran. Under pytest-xdist (``pytest -n N``) workers
send their comparison counts to the controller, which counts each check once.
"""
from __future__ import annotations

import json
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


def declares_claims(path: Path) -> bool:
    """A claim file declares claims at module level (@claim functions, CLAIMS = [...], name = Claim(...));
    claim files written inside strings (as tests do) do not count."""
    import ast

    try:
        tree = ast.parse(path.read_text(errors="ignore"))
    except (SyntaxError, ValueError):
        return False
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and any(
                isinstance(d, ast.Call) and getattr(d.func, "id", getattr(d.func, "attr", "")) == "claim"
                for d in node.decorator_list):
            return True
        if isinstance(node, ast.Assign):
            names = [t.id for t in node.targets if isinstance(t, ast.Name)]
            call = node.value.func if isinstance(node.value, ast.Call) else None
            listed = isinstance(node.value, (ast.List, ast.Tuple, ast.ListComp))
            if ("CLAIMS" in names and listed) or getattr(call, "id", getattr(call, "attr", "")) == "Claim":
                return True
    return False


class _Handled(pytest.File):
    """A claim file named on the command line is ours: pytest's module collector must not import it as tests."""

    def collect(self):
        return []


@pytest.hookimpl(tryfirst=True)
def pytest_pycollect_makemodule(module_path: Path, parent):
    session: Session = parent.config._theorycheck
    if session.builtin_module(module_path) is not None or (session.wanted(module_path)
                                                           and declares_claims(module_path)):
        return _Handled.from_parent(parent, path=module_path)
    return None


def pytest_addoption(parser):
    group = parser.getgroup("theorycheck")
    group.addoption("--deep", action="store_true", help="longer, tighter Monte Carlo runs and more hypothesis examples")
    group.addoption("--seed", type=int, default=None, help="root seed for the claim checks")
    group.addoption("--claims", action="append", default=[], metavar="PATH",
                    help="collect the claims of a claim file or a folder of them")
    group.addoption("--optimizer-convention", choices=("paper", "torch"), default="paper",
                    help="check claims with optimizers as the papers print them (default) or as torch.optim runs them")
    group.addoption("--theorycheck-run", metavar="FILE", default=None,
                    help="reuse the check results of a saved `theorycheck verify --json` run for claims that are "
                         "unchanged (default: $THEORYCHECK_RUN)")


def pytest_configure(config):
    for name, text in MARKERS.items():
        config.addinivalue_line("markers", f"{name}: {text}")
    for p in config.getoption("--claims"):
        if not Path(p).exists():
            raise pytest.UsageError(f"--claims {p}: no such file or folder")
        if str(Path(p).resolve()) not in {str(Path(a).resolve()) for a in config.args}:
            config.args.append(str(Path(p).resolve()))       # collected like a path given on the command line
    config._theorycheck = Session(config)
    config._theorycheck.open_saved_run()


def pytest_collect_file(file_path: Path, parent):
    session: Session = parent.config._theorycheck
    if file_path.suffix != ".py" or file_path.name.startswith(("conftest", "_")):
        return None
    if file_path.name.startswith("test_") and file_path.resolve() not in session._explicit:
        return None                       # test modules are claim files only when named on the command line
    module = session.builtin_module(file_path)
    if module is not None:
        return ClaimFile.from_parent(parent, path=file_path, module=module)
    if session.wanted(file_path) and declares_claims(file_path):
        return ClaimFile.from_parent(parent, path=file_path, module=None)
    return None


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    from checks.stats import ALPHA, FAMILY_ALPHA, MAX_COMPARISONS

    tc: Session = config._theorycheck
    for line in tc.reuse.summary():
        terminalreporter.write_line(line)
    n = tc.comparisons()
    if n:
        terminalreporter.write_line(f"Monte Carlo comparisons: {n} at level {ALPHA:.1e} each; family-wise "
                                    f"false-alarm bound {n * ALPHA:.1e} (target {FAMILY_ALPHA:g}, "
                                    f"cap {MAX_COMPARISONS})")


def pytest_sessionfinish(session, exitstatus):
    from checks.runfile import is_xdist_worker, send_from_worker
    from checks.stats import MAX_COMPARISONS

    from .reuse import WORKER_KEY

    tc: Session = session.config._theorycheck
    if is_xdist_worker(session.config):          # the controller adds the workers' counts and decides
        send_from_worker(session.config, tc.tally)
        session.config.workeroutput[WORKER_KEY] = tc.reuse.worker_output()
    elif tc.comparisons() > MAX_COMPARISONS:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    """pytest-xdist, on the controller: a worker finished; add its comparison count and reuse counts."""
    from checks.runfile import receive_from_worker

    from .reuse import WORKER_KEY

    tc: Session = node.config._theorycheck
    receive_from_worker(node, tc.tally)
    tc.reuse.merge(getattr(node, "workeroutput", {}).get(WORKER_KEY))


def _get(reg, cid):
    from theorycheck.loader import get

    return get(reg, cid)


class Session:
    """The session's one run: a context, the registry, the ledger, and every check result computed once."""

    def __init__(self, config):
        self.config = config
        self._ctx = None
        self._registry = None
        self._ledger: dict[str, Any] | None = None
        self._results: dict[tuple[str, str], Any] = {}
        self._builtin_modules: dict[Path, str] | None = None
        given = [a.split("::")[0] for a in config.invocation_params.args if not str(a).startswith("-")]
        self._explicit = {Path(a).resolve() for a in given if a.endswith(".py")}
        self._folders = [Path(p).resolve() for p in config.getoption("--claims")] + \
                        [Path(a).resolve() for a in given if Path(a).is_dir()]
        self._files: dict[Path, list[str]] = {}
        self._tally = None
        from .reuse import Reuse

        self.reuse = Reuse()

    def open_saved_run(self) -> None:
        """--theorycheck-run FILE or $THEORYCHECK_RUN: an unreadable file stops the session at once."""
        from .reuse import run_path

        path = run_path(self.config)
        if path:
            from checks.runfile import RunFileError

            from .reuse import Reuse

            seed = self.config.getoption("--seed")
            try:
                self.reuse = Reuse.open(path, seed if seed is not None else self.ctx.seed,
                                        bool(self.config.getoption("--deep")), self.convention)
            except RunFileError as e:
                raise pytest.UsageError(f"--theorycheck-run / THEORYCHECK_RUN: {e}") from None

    @property
    def tally(self):
        """The session's comparison count (checks.runfile.ComparisonTally), merged over pytest-xdist workers."""
        if self._tally is None:
            from checks.runfile import ComparisonTally
            from checks.stats import PROCESS_TOTAL

            self._tally = ComparisonTally(process=PROCESS_TOTAL)
        return self._tally

    def comparisons(self) -> int:
        """The family-wise count: the saved run's (when any of its results was reused) and every check run."""
        self.tally.use_saved(self.reuse.run if self.reuse.reused else None)
        return self.tally.total

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
            self._ctx = RunContext(deep=self.config.getoption("--deep"), convention=self.convention,
                                   **({"seed": seed} if seed is not None else {}))
        return self._ctx

    @property
    def convention(self) -> str:
        return self.config.getoption("--optimizer-convention")

    def load_file(self, path: Path) -> list[str]:
        """A claim file's ids, loaded once however many times it is collected."""
        key = Path(path).resolve()
        if key not in self._files:
            from theorycheck.loader import add_file

            self._files[key] = add_file(self.registry, key)
        return self._files[key]

    @property
    def ledger(self) -> dict[str, Any]:
        if self._ledger is None:
            from theorycheck.cli import ledger_for

            self._ledger = ledger_for(self.registry).load()
        return self._ledger

    def result(self, claim, check):
        key = (claim.id, check.name)
        if key not in self._results:
            saved = self.reuse.lookup(claim, check.name)
            self._results[key] = saved if saved is not None else \
                self.tally.measure(key, self.ctx.counter, lambda: check.run(claim, self.ctx))
        return self._results[key]

    def verdict(self, claim):
        from checks.result import combine_readings, compute_verdict

        own = compute_verdict([self.result(claim, ch) for ch in claim.checks], claim.about)
        readings = {rid: self.verdict(_get(self.registry, rid)) for rid in self.registry.readings_of(claim.id)}
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
                ids = session.load_file(self.path)
            except Exception as e:
                yield LoadError.from_parent(self, name="load", error=e)
                return
        for cid in ids:
            try:
                claim = _get(reg, cid)
            except Exception as e:
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
        return self.config._theorycheck  # type: ignore[attr-defined]

    def recorded(self) -> dict[str, Any] | None:
        key = self.claim_id if self.tc.convention == "paper" else f"{self.claim_id}@{self.tc.convention}"
        return self.tc.ledger.get(key)

    def reportinfo(self):
        return self.path, None, self.name

    def repr_failure(self, excinfo, style=None):
        if excinfo.errisinstance(ClaimFailure):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style)


class CheckItem(_ClaimItem):
    def runtest(self):
        from checks.result import ERROR, FAIL, INCONCLUSIVE, NOT_CHECKABLE, PASS

        claim = _get(self.tc.registry, self.claim_id)
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
            assert all(s["rejected"] for s in result.details["self_test"]), \
                "a passing check rejects every wrong formula"
        assert result.status in (PASS, FAIL, NOT_CHECKABLE, INCONCLUSIVE)


class VerdictItem(_ClaimItem):
    def runtest(self):
        from checks.result import REFUTED, VERIFIED

        claim = _get(self.tc.registry, self.claim_id)
        verdict = self.tc.verdict(claim)
        rec = self.recorded()
        if rec is not None:
            if verdict.status != rec["status"]:
                raise ClaimFailure(f"{self.claim_id}: verdict {verdict.status}, recorded {rec['status']}: "
                                   f"{verdict.reason}")
        elif verdict.status != VERIFIED:
            raise ClaimFailure(f"{self.claim_id}: {verdict.status}: {verdict.reason}")
        if verdict.status == REFUTED and not verdict.counterexample:
            raise ClaimFailure(f"{self.claim_id}: refuted without a counterexample")
        for cid in self.tc.registry.corrections_of(self.claim_id):
            corrected = self.tc.verdict(_get(self.tc.registry, cid))
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
