"""Finding claims: the package's own papers and claim files that users write."""
from __future__ import annotations

import difflib
import fnmatch
import importlib
import importlib.util
import sys
from pathlib import Path

from .claim import Claim, TheoryCheckError, UnknownClaimError

# One module per paper; each defines CLAIMS, a list of Claim.
PAPER_MODULES = ("theory.papers.adai", "theory.papers.ziyin")


class Registry:
    def __init__(self) -> None:
        self._claims: dict[str, Claim] = {}

    def add(self, claim: Claim, origin: str = "") -> None:
        for c in claim.all_claims():
            if c.id in self._claims and self._claims[c.id] is not c:
                raise TheoryCheckError(f"claim id {c.id} is defined twice{' (in ' + origin + ')' if origin else ''}")
            self._claims[c.id] = c

    def __iter__(self):
        return iter(self._claims.values())

    def __len__(self) -> int:
        return len(self._claims)

    def ids(self) -> list[str]:
        return list(self._claims)

    def get(self, claim_id: str) -> Claim:
        try:
            return self._claims[claim_id]
        except KeyError:
            close = difflib.get_close_matches(claim_id, self.ids(), n=5, cutoff=0.5)
            hint = f"; closest: {', '.join(close)}" if close else "; `theorycheck list` shows every id"
            raise UnknownClaimError(f"unknown claim id {claim_id!r}{hint}") from None

    def select(self, pattern: str) -> list[Claim]:
        """An exact id, or a glob over ids ("adai.*", "*eq2?"); a plain word matches as a substring."""
        if pattern in self._claims:
            return [self._claims[pattern]]
        glob = pattern if any(ch in pattern for ch in "*?[") else f"*{pattern}*"
        found = [c for c in self if fnmatch.fnmatchcase(c.id, glob)]
        if not found:
            self.get(pattern)   # raises with the closest ids
        return found


def load_module_claims(module) -> list[Claim]:
    claims = getattr(module, "CLAIMS", None)
    if claims is None:
        claims = [v for v in vars(module).values() if isinstance(v, Claim)]
    return list(claims)


def load_file(path: str | Path) -> list[Claim]:
    """Load the claims a user wrote in a Python file (a list CLAIMS, or module-level Claim objects)."""
    path = Path(path)
    if not path.is_file():
        raise TheoryCheckError(f"claim file {path} does not exist")
    name = f"theorycheck_user_{abs(hash(str(path.resolve())))}"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except TheoryCheckError:
        raise
    except Exception as e:
        raise TheoryCheckError(f"could not load claims from {path}: {type(e).__name__}: {e}") from e
    claims = load_module_claims(module)
    if not claims:
        raise TheoryCheckError(f"{path} defines no claims (define CLAIMS = [Claim(...), ...])")
    return claims


def builtin_registry() -> Registry:
    reg = Registry()
    for name in PAPER_MODULES:
        for claim in load_module_claims(importlib.import_module(name)):
            reg.add(claim, name)
    return reg
