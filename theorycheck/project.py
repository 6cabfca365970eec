"""The user's project: where their recorded verdicts live and which claim files are theirs.

A project is the nearest folder, from the working directory up, whose ``pyproject.toml`` has a
``[tool.theorycheck]`` table; without one, the working directory. Keys (all optional):

    [tool.theorycheck]
    claims = ["claims/"]            # what `theorycheck verify` (and list, docs build) run when given no ids
    ledger = "theorycheck.lock"     # the user's recorded verdicts (default: theorycheck.lock beside pyproject)
    fail-on = ["refuted"]           # the default of `verify --fail-on`

The package's own claims keep their ledgers beside their papers; a user's claims are never recorded there.
Reading this never imports SymPy.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from theory.errors import TheoryCheckError

USER_LEDGER = "theorycheck.lock"


@dataclass
class Project:
    root: Path
    ledger: Path
    claims: list[str] = field(default_factory=list)
    fail_on: list[str] = field(default_factory=list)
    configured: bool = False


def _toml(path: Path) -> dict[str, Any]:
    try:
        import tomllib
    except ImportError:                   # Python 3.10
        try:
            import tomli as tomllib  # type: ignore[no-redef]
        except ImportError:
            return {}
    try:
        return tomllib.loads(path.read_text())
    except (OSError, ValueError) as e:
        raise TheoryCheckError(f"{path} cannot be read: {e}") from None


def find(start: Path | None = None) -> Project:
    here = Path(start or os.getcwd()).resolve()
    for folder in (here, *here.parents):
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            table = _toml(pyproject).get("tool", {}).get("theorycheck")
            if table is None:
                continue
            if not isinstance(table, dict):
                raise TheoryCheckError(f"{pyproject}: [tool.theorycheck] must be a table")
            claims = table.get("claims") or []
            claims = [claims] if isinstance(claims, str) else list(claims)
            fail_on = table.get("fail-on", table.get("fail_on")) or []
            fail_on = [fail_on] if isinstance(fail_on, str) else list(fail_on)
            ledger = folder / table.get("ledger", USER_LEDGER)
            return Project(folder, ledger, [str(folder / c) for c in claims], fail_on, configured=True)
    return Project(here, here / USER_LEDGER)
