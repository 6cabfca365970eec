"""The ledger: recorded verdicts that ``verify --strict`` compares a run with.

The package's own verdicts live beside each paper's claims (``theory/papers/<paper>/ledger.json``, in the
repository); a user's claims go to their project's ``theorycheck.lock``. Writes are atomic (a temporary
file renamed over the old one) under a lock file, so concurrent writers never lose updates and readers
never see half a file.
"""
from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from theory.errors import TheoryCheckError

try:                                   # POSIX advisory locks; elsewhere writes stay atomic but unlocked
    import fcntl
except ImportError:                    # pragma: no cover
    fcntl = None  # type: ignore[assignment]


class LedgerError(TheoryCheckError):
    pass


def read(path: Path) -> dict[str, dict[str, Any]]:
    if not path.exists():
        return {}
    try:
        return json.loads(path.read_text())["claims"]
    except (OSError, ValueError, KeyError) as e:
        raise LedgerError(f"the ledger {path} cannot be read ({type(e).__name__}: {e})") from None


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    lock = path.with_name(path.name + ".lock")
    try:
        fh = open(lock, "a")
    except OSError as e:
        raise LedgerError(f"cannot write the ledger {path}: {e.strerror} (a read-only checkout or installed "
                          "package? record in a writable checkout, or give --ledger FILE)") from None
    try:
        if fcntl is not None:
            fcntl.flock(fh, fcntl.LOCK_EX)
        yield
    finally:
        if fcntl is not None:
            fcntl.flock(fh, fcntl.LOCK_UN)
        fh.close()


def update(path: Path, entries: dict[str, dict[str, Any]], meta: dict[str, Any]) -> None:
    """Merge entries into the ledger at path, atomically and under its lock."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise LedgerError(f"cannot write the ledger {path}: {e.strerror or e}") from None
    with _locked(path):
        claims = read(path)
        claims.update(entries)
        text = json.dumps({"recorded_by": meta, "claims": dict(sorted(claims.items()))}, indent=1) + "\n"
        try:
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
            with os.fdopen(fd, "w") as fh:
                fh.write(text)
            os.chmod(tmp, _file_mode(path))           # mkstemp makes 0600; keep the file readable as before
            os.replace(tmp, path)
        except OSError as e:
            raise LedgerError(f"cannot write the ledger {path}: {e.strerror}") from None


def _file_mode(path: Path) -> int:
    if path.exists():
        return path.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def entry(report) -> dict[str, Any]:
    out: dict[str, Any] = {"status": report.verdict.status,
                           "checks": {r.name: r.status for r in report.results}}
    if report.mutants is not None:
        out["mutants"] = {k: report.mutants[k] for k in ("tried", "killed", "survivors", "statement_checked")
                          if k in report.mutants}
    return out


class Ledger:
    """Recorded verdicts across files: ``route(claim) -> Path`` says where a claim's entry lives."""

    def __init__(self, route: Callable[[Any], Path], files: list[Path]):
        self.route, self.files = route, files

    def load(self) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for f in self.files:
            out.update(read(f))
        return out

    def record(self, reports: list, meta: dict[str, Any]) -> list[Path]:
        by_file: dict[Path, dict[str, Any]] = {}
        for r in reports:
            by_file.setdefault(self.route(r.claim), {})[r.claim.id] = entry(r)
        for path, entries in by_file.items():
            update(path, entries, meta)
        return sorted(by_file)
