"""What every check shares: the run context (seeds, depth, comparison count) and the Check interface."""
from __future__ import annotations

import time
import zlib
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np
import sympy as sp

from .result import INCONCLUSIVE, CheckResult
from .stats import ComparisonCounter

DEFAULT_SEED = 20211123


@dataclass
class RunContext:
    seed: int = DEFAULT_SEED
    deep: bool = False
    at: dict[str, float] | None = None          # a user-given parameter point for numeric checks
    counter: ComparisonCounter = field(default_factory=ComparisonCounter)

    def seed_sequence(self, claim_id: str, check_index: int) -> np.random.SeedSequence:
        """Independent, reproducible stream per (claim, check): recorded in the evidence."""
        return np.random.SeedSequence(self.seed, spawn_key=(zlib.crc32(claim_id.encode()), check_index))

    def seed_record(self, claim_id: str, check_index: int) -> dict[str, Any]:
        return {"entropy": self.seed, "spawn_key": [zlib.crc32(claim_id.encode()), check_index]}


class Check:
    kind = "symbolic"
    name = "check"

    def run(self, claim, ctx: RunContext, index: int = 0) -> CheckResult:
        start = time.perf_counter()
        try:
            result = self._run(claim, ctx, index)
        except _Undecidable as e:
            result = CheckResult(self.kind, self.name, INCONCLUSIVE, e.method, reason=str(e))
        result.seconds = time.perf_counter() - start
        return result

    def _run(self, claim, ctx: RunContext, index: int) -> CheckResult:  # pragma: no cover
        raise NotImplementedError


class _Undecidable(Exception):
    def __init__(self, reason: str, method: str = ""):
        super().__init__(reason)
        self.method = method


def resolve(expr_or_fn: sp.Expr | Callable[[Any], sp.Expr], claim) -> sp.Expr:
    """Checks take expressions or functions of the claim (to refer to its own statement)."""
    return expr_or_fn(claim) if callable(expr_or_fn) and not isinstance(expr_or_fn, sp.Basic) else expr_or_fn


# Deliberately wrong versions of a formula; a numeric check must reject every one of them.
Perturbation = tuple[str, Callable[[sp.Expr], sp.Expr]]

SCALE_UP: Perturbation = ("x1.5", lambda e: sp.Rational(3, 2) * e)
SCALE_DOWN: Perturbation = ("x0.5", lambda e: sp.Rational(1, 2) * e)
SIGN_FLIP: Perturbation = ("sign flipped", lambda e: -e)
DEFAULT_PERTURBATIONS: tuple[Perturbation, ...] = (SCALE_UP, SCALE_DOWN, SIGN_FLIP)


def stretched_density(x: sp.Symbol, factor) -> Perturbation:
    """A density widened (factor > 1) or narrowed in x, still normalised: variance x factor^2."""
    f = sp.nsimplify(factor)
    return (f"width x{factor}", lambda e: e.subs(x, x / f) / f)
