"""One run, reused: the results of a saved ``theorycheck verify --json`` run, and the comparison count of a
pytest session, exact under pytest-xdist.

A saved run (``theorycheck verify --json > run.json``) holds every check's result. ``SavedRun.load`` reads it
into {(claim id, check name): CheckResult} with the run's comparison count, so a test session can report those
results instead of running every check again. A result is reused only for a claim whose statement and code
(its file and the claim code it imports) are still those the run checked (``SavedRun.why_not``), and only when
the run was made with the session's seed, depth, optimizer convention, theorycheck version and code of
checks/ and theory/ (``SavedRun.mismatch`` says what differs).

``ComparisonTally`` keeps the family-wise count of a session: the saved run's comparisons once, plus those of
every check run in the session, keyed by (claim id, check name). pytest-xdist workers send their tallies to
the controller, which merges them: a check that several workers ran (a verdict test needs its claim's checks)
counts once, since the same check with the same seed makes the same comparisons.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from theory.errors import TheoryCheckError

from .result import CheckResult
from .stats import PROCESS_TOTAL, ComparisonCounter

WORKER_KEY = "theorycheck_comparisons"      # the key of a worker's tally in pytest-xdist's workeroutput


class RunFileError(TheoryCheckError):
    """A saved run that cannot be read, or that was made with other settings than the session's."""


def _statement_text(claim) -> str:
    import sympy as sp

    return sp.sstr(claim.statement)


# --- what else a saved result depends on: the code that computed it ------------------------------------------
def tool_digest() -> str:
    """The content of the code that runs checks (checks/ and theory/ outside theory/papers/), as one digest."""
    from .cache import ROOT, file_hash

    files = sorted([*(ROOT / "checks").rglob("*.py"),
                    *(f for f in (ROOT / "theory").rglob("*.py") if "papers" not in f.relative_to(ROOT).parts)])
    return hashlib.sha256("\n".join(f"{f.relative_to(ROOT)}:{file_hash(f)}" for f in files).encode()).hexdigest()


def claim_digest(claim) -> str | None:
    """The content of a claim's code: its file and the claim code it imports (None: unknown)."""
    from .cache import claim_sources, file_hash

    try:
        sources = claim_sources(getattr(claim, "defined_in", ""))
    except (OSError, SyntaxError, ValueError):
        return None
    if sources is None:
        return None
    return hashlib.sha256("\n".join(f"{p.name}:{file_hash(p)}" for p in sources).encode()).hexdigest()


def code_meta(claims) -> dict[str, Any]:
    """What `verify --json` records so that a saved result is reused only with the code that computed it."""
    digests = {c.id: d for c in claims if (d := claim_digest(c)) is not None}
    return {"tool_digest": tool_digest(), "claim_digests": digests}


@dataclass
class SavedRun:
    path: str
    meta: dict[str, Any]
    results: dict[tuple[str, str], CheckResult]
    statements: dict[str, str]                 # claim id -> the statement the run checked (sp.sstr)
    comparisons: int
    _digests: dict[str, tuple] = field(default_factory=dict, repr=False)    # claim id -> (file stamp, digest)

    @classmethod
    def load(cls, path: str | Path) -> SavedRun:
        """Read a ``theorycheck verify --json`` file (or a file ``docs build --from`` reads)."""
        path = Path(path)
        try:
            data = json.loads(path.read_text())
        except OSError as e:
            raise RunFileError(f"cannot read the saved run {path}: {e.strerror or e}") from None
        except ValueError as e:
            raise RunFileError(f"{path} is not the JSON of `theorycheck verify --json`: {e}") from None
        if not (isinstance(data, dict) and isinstance(data.get("run"), dict) and isinstance(data.get("claims"), list)):
            raise RunFileError(f"{path} is not the JSON of `theorycheck verify --json` (no 'run' and 'claims')")
        meta = data["run"]
        if meta.get("interrupted"):
            raise RunFileError(f"{path} holds an interrupted run: its counts are incomplete; run it again")
        results: dict[tuple[str, str], CheckResult] = {}
        statements: dict[str, str] = {}
        for report in data["claims"]:
            cid = report.get("id")
            if not cid or (report.get("status") == "error" and not report.get("checks")):
                continue                        # a claim that could not be built: nothing to reuse
            statements[cid] = report.get("statement", "")
            for check in report.get("checks") or []:
                try:
                    results[(cid, check["name"])] = CheckResult.from_dict(check)
                except (KeyError, TypeError) as e:
                    raise RunFileError(f"{path}: claim {cid}: a check result without {e}") from None
        return cls(str(path), meta, results, statements, int(meta.get("comparisons", 0) or 0))

    def mismatch(self, seed: int, deep: bool, convention: str = "paper") -> str | None:
        """Why this run cannot stand for a session with these settings, or None."""
        from theory.version import __version__

        wanted = {"seed": seed, "deep": bool(deep), "convention": convention, "version": __version__}
        got = {"seed": self.meta.get("seed"), "deep": bool(self.meta.get("deep", False)),
               "convention": self.meta.get("convention", "paper"), "version": self.meta.get("version")}
        diff = [f"{k} {got[k]!r} (this session: {wanted[k]!r})" for k in wanted if got[k] != wanted[k]]
        if "tool_digest" in self.meta and self.meta["tool_digest"] != tool_digest():
            diff.append("other code of checks/ and theory/ than this checkout's")
        return f"the saved run {self.path} was made with " + ", ".join(diff) if diff else None

    def require(self, seed: int, deep: bool, convention: str = "paper") -> SavedRun:
        problem = self.mismatch(seed, deep, convention)
        if problem:
            raise RunFileError(problem + "; make it again with the same settings, or unset THEORYCHECK_RUN")
        return self

    def result(self, claim, check_name: str) -> CheckResult | None:
        """The saved result of a check, or None (not in the run, or the claim's statement or code changed since)."""
        return None if self.why_not(claim, check_name) else self.results[(claim.id, check_name)]

    def why_not(self, claim, check_name: str) -> str | None:
        """Why a check's saved result cannot be reused (settings aside: see ``mismatch``), or None."""
        if (claim.id, check_name) not in self.results:
            return "not in the saved run"
        if self.statements.get(claim.id) != _statement_text(claim):
            return "statement changed since the run"
        saved = (self.meta.get("claim_digests") or {}).get(claim.id)
        if saved is not None and saved != self._digest(claim):
            return "claim code changed since the run"
        return None

    def _digest(self, claim) -> str | None:
        """claim_digest, once per claim while its defining file is unchanged (a claim has several checks)."""
        defined_in = getattr(claim, "defined_in", "")
        try:
            st = Path(defined_in).stat()
            stamp: tuple = (defined_in, st.st_mtime_ns, st.st_size)
        except (OSError, ValueError):
            return claim_digest(claim)
        if self._digests.get(claim.id, (None,))[0] != stamp:
            self._digests[claim.id] = (stamp, claim_digest(claim))
        return self._digests[claim.id][1]

    def __len__(self) -> int:
        return len(self.results)


@dataclass
class ComparisonTally:
    """The comparison count of a test session (see the module docstring).

    ``other`` holds comparisons made outside claim checks (the engine's own tests running claims). In a
    worker, ``by_check`` holds its own checks only; the controller adds the workers' tallies with ``merge``.
    """

    saved: int = 0                                               # a saved run's total, counted once
    by_check: dict[tuple[str, str], int] = field(default_factory=dict)
    other: int = 0                                               # merged from workers
    process: ComparisonCounter | None = None                     # this process's total (PROCESS_TOTAL)
    _own: int = 0                                                # comparisons of checks run in this process

    def _rest_here(self) -> int:
        """Comparisons this process made outside the checks it measured."""
        return max(0, (self.process or PROCESS_TOTAL).count - self._own)

    def use_saved(self, run: SavedRun | None) -> None:
        self.saved = run.comparisons if run is not None else 0

    def measure(self, key: tuple[str, str], counter: ComparisonCounter, run: Callable[[], Any]) -> Any:
        """Run one check (``run()``) and record the comparisons it made under ``key`` (claim id, check name)."""
        before = counter.count
        out = run()
        made = counter.count - before
        self._own += made
        self.by_check[key] = max(self.by_check.get(key, 0), made)
        return out

    def worker_output(self) -> dict[str, Any]:
        """A worker's tally as plain data for ``config.workeroutput`` (the saved run is the controller's)."""
        return {"by_check": [[cid, name, n] for (cid, name), n in sorted(self.by_check.items())],
                "other": self._rest_here()}

    def merge(self, output: dict[str, Any] | None) -> None:
        """Add a worker's tally (``node.workeroutput[WORKER_KEY]``): checks by key, the rest by sum."""
        if not output:
            return
        for cid, name, n in output.get("by_check", []):
            key = (cid, name)
            self.by_check[key] = max(self.by_check.get(key, 0), int(n))
        self.other += int(output.get("other", 0))

    @property
    def total(self) -> int:
        """The session's comparisons: the saved run's, every distinct check's, and the rest of each process."""
        return self.saved + sum(self.by_check.values()) + self.other + self._rest_here()


# --- the pytest-xdist part: what the plugin's hooks call ---------------------------------------------------------
def is_xdist_worker(config) -> bool:
    return hasattr(config, "workerinput")


def send_from_worker(config, tally: ComparisonTally) -> None:
    """In ``pytest_sessionfinish`` of a worker: hand the tally to the controller."""
    if is_xdist_worker(config):
        config.workeroutput[WORKER_KEY] = tally.worker_output()


def receive_from_worker(node, tally: ComparisonTally) -> None:
    """In ``pytest_testnodedown`` of the controller: add a finished worker's tally."""
    tally.merge(getattr(node, "workeroutput", {}).get(WORKER_KEY))
