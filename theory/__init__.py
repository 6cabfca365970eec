"""The symbolic side of theorycheck: claims as SymPy statements with their source and regime.

Public API for writing claims (the package's own papers use nothing else):
    Claim, Source, Param, Condition, Regime, BigO
"""
from .claim import (BigO, Claim, Condition, Param, Regime, RegimeError, Source, TheoryCheckError,
                    UnknownClaimError)

__all__ = ["BigO", "Claim", "Condition", "Param", "Regime", "RegimeError", "Source", "TheoryCheckError",
           "UnknownClaimError"]
