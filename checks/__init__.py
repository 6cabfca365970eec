"""The numeric side of theorycheck: check kinds, statistics, the verdict engine; kernels in checks.dynamics.

Public API for attaching checks to claims (names load on first use):
    FormulaCheck                                               (the base of every check kind)
    SymbolicEquality, AsymptoticOrder, NotCheckable            (symbolic)
    ExactComparison, ExactOrder                                (exact solutions of the model)
    MonteCarloMean, MonteCarloDensity, MonteCarloOrder,
    MonteCarloFraction, Sample                                 (simulation)
    BoundCheck                                                 (worst-case search for a bound)
    RunContext, run_claim                                      (running them)
"""
from __future__ import annotations

import importlib

_LAZY = {
    "FormulaCheck": "checks.base", "RunContext": "checks.base", "Undecidable": "checks.base",
    "DEFAULT_PERTURBATIONS": "checks.base", "SCALE_DOWN": "checks.base", "SCALE_UP": "checks.base",
    "SIGN_FLIP": "checks.base", "scaled": "checks.base", "stretched_density": "checks.base",
    "CheckResult": "checks.result",
    "SymbolicEquality": "checks.symbolic", "AsymptoticOrder": "checks.symbolic", "NotCheckable": "checks.symbolic",
    "ExactComparison": "checks.exact", "ExactOrder": "checks.exact",
    "MonteCarloCheck": "checks.montecarlo", "MonteCarloMean": "checks.montecarlo",
    "MonteCarloDensity": "checks.montecarlo", "MonteCarloOrder": "checks.montecarlo",
    "MonteCarloFraction": "checks.montecarlo", "BoundCheck": "checks.bounds",
    "Sample": "checks.dynamics.sample", "run_claim": "checks.engine", "run_claims": "checks.engine",
    "Curve": "checks.curves",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'checks' has no attribute {name!r}")
