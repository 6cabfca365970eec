"""A test session that reuses a saved run (``pytest --theorycheck-run=FILE`` or ``THEORYCHECK_RUN=FILE``).

Check tests report the saved result of a check when the run was made with the session's settings and the
claim's statement and code are unchanged (``checks.runfile.SavedRun``); every other check runs fresh. The
session counts what it reused and what it ran, with the reason, and pytest-xdist workers send their counts to
the controller, which prints them once in the terminal summary.
"""
from __future__ import annotations

import os
from collections import Counter
from typing import Any

ENV = "THEORYCHECK_RUN"
WORKER_KEY = "theorycheck_reuse"          # a worker's counts in pytest-xdist's workeroutput
SHOWN = 5                                 # claim ids named per reason in the summary


class Reuse:
    """Which checks of a session were reused from a saved run and which ran fresh, and why."""

    def __init__(self, path: str | None = None, run: Any = None, unusable: str | None = None):
        self.path, self.run, self.unusable = path, run, unusable
        self.reused: set[tuple[str, str]] = set()
        self.fresh: dict[tuple[str, str], str] = {}

    @classmethod
    def open(cls, path: str | None, seed: int, deep: bool, convention: str) -> Reuse:
        """Load the saved run (a RunFileError when it cannot be read); a run made with other settings is kept
        unused, with the reason."""
        if not path:
            return cls()
        from checks.runfile import SavedRun

        run = SavedRun.load(path)
        problem = run.mismatch(seed, deep, convention)
        return cls(path, None if problem else run, problem)

    @property
    def active(self) -> bool:
        return self.path is not None

    def lookup(self, claim, check_name: str):
        """The saved result of a check, or None (then the caller runs it); counts either way."""
        if not self.active:
            return None
        key = (claim.id, check_name)
        if self.run is None:
            self.fresh[key] = "settings differ"
            return None
        why = self.run.why_not(claim, check_name)
        if why is None:
            self.reused.add(key)
            self.fresh.pop(key, None)
            return self.run.results[key]
        self.fresh[key] = why
        return None

    # --- pytest-xdist: workers send, the controller merges ----------------------------------------------------
    def worker_output(self) -> dict[str, Any]:
        return {"reused": sorted([list(k) for k in self.reused]),
                "fresh": sorted([[cid, name, why] for (cid, name), why in self.fresh.items()])}

    def merge(self, output: dict[str, Any] | None) -> None:
        if not output:
            return
        self.reused |= {(cid, name) for cid, name in output.get("reused", [])}
        for cid, name, why in output.get("fresh", []):
            self.fresh[(cid, name)] = why
        for key in self.reused:              # reused by one worker: not fresh because another saw it first
            self.fresh.pop(key, None)

    def summary(self) -> list[str]:
        """The terminal summary's lines: how many results were reused, how many ran fresh and why."""
        if not self.active:
            return []
        if self.run is None:
            return [f"theorycheck: the saved run was not reused: {self.unusable}; ran {len(self.fresh)} "
                    "check(s) fresh"]
        lines = [f"theorycheck: reused {len(self.reused)} check result(s) from the saved run {self.path}; "
                 f"ran {len(self.fresh)} fresh"]
        by_reason = Counter(self.fresh.values())
        for why, n in sorted(by_reason.items(), key=lambda kv: (-kv[1], kv[0])):
            ids = sorted({cid for (cid, _), w in self.fresh.items() if w == why})
            shown = ", ".join(ids[:SHOWN]) + (f" and {len(ids) - SHOWN} more" if len(ids) > SHOWN else "")
            lines.append(f"  {n} fresh: {why} ({shown})")
        return lines


def run_path(config) -> str | None:
    """--theorycheck-run FILE, else $THEORYCHECK_RUN (empty: none)."""
    return config.getoption("--theorycheck-run") or os.environ.get(ENV) or None
