"""The symbolic side of theorycheck: claims as SymPy statements with their source and regime.

Public API for writing claims (the package's own papers use nothing else):
    claim, Claim, Source, Param, Condition, Sampling, Regime, BigO

Names are loaded on first use, so importing ``theory`` (for the registry's index) does not import SymPy.
"""
from __future__ import annotations

import importlib

from .errors import RegimeError, TheoryCheckError, UnknownClaimError

_LAZY = {name: "theory.model" for name in ("BigO", "Claim", "ClaimSpec", "Condition", "Param", "Regime",
                                           "Sampling", "Source", "claim", "ascii_name")}

__all__ = sorted(_LAZY) + ["RegimeError", "TheoryCheckError", "UnknownClaimError"]


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'theory' has no attribute {name!r}")
