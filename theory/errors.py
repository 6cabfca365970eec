"""Errors the tool reports in words (a claim, a parameter, an assumption), never as a traceback."""
from __future__ import annotations


class TheoryCheckError(Exception):
    """A user mistake that the tool reports in words, not as a traceback."""


class RegimeError(TheoryCheckError, ValueError):
    """Parameters that lie outside the regime in which a paper states its claim."""


class UnknownClaimError(TheoryCheckError, KeyError):
    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])
