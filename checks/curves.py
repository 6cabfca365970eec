"""Plot-ready tables: a claim's formula next to the exact model and the simulation, along time.

A claim lists curve builders in ``Claim.curves``; each is a ``Curve`` that computes one table at one
documented parameter point with its own recorded seed. The docs site draws them; the CLI prints them
(``theorycheck table ID [--csv]``).
"""
from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .base import RunContext


@dataclass
class Table:
    """Columns of equal length; ``x`` names the time axis; ``<name>_se`` columns are standard errors of
    the simulated column ``<name>`` (plots draw them as +-1.96 se bands)."""

    title: str
    x: str
    point: dict[str, float]
    columns: dict[str, list[float]]
    kinds: dict[str, str]                    # column -> formula | corrected | exact | simulated
    seed: dict[str, Any] = field(default_factory=dict)
    notes: str = ""
    ylabel: str = "mean squared displacement"
    log: bool = True                          # log-log axes when plotted

    def to_dict(self) -> dict[str, Any]:
        return {"title": self.title, "x": self.x, "point": self.point, "columns": self.columns,
                "kinds": self.kinds, "seed": self.seed, "notes": self.notes, "ylabel": self.ylabel, "log": self.log}

    def to_csv(self) -> str:
        buf = io.StringIO()
        w = csv.writer(buf)
        names = list(self.columns)
        w.writerow(names)
        for row in zip(*(self.columns[n] for n in names)):
            w.writerow([f"{v:.10g}" for v in row])
        return buf.getvalue()

    def largest_relative_gap(self, a: str, b: str) -> tuple[float, float]:
        """max |a/b - 1| over the rows, and the x where it occurs."""
        xa, xb = np.asarray(self.columns[a]), np.asarray(self.columns[b])
        rel = np.abs(xa / xb - 1)
        k = int(np.nanargmax(rel))
        return float(rel[k]), float(self.columns[self.x][k])


@dataclass
class Curve:
    """``build(point, rng) -> (columns, kinds)`` with the x column first; n_paths set by the builder."""

    title: str
    x: str
    point: dict[str, float]
    build: Callable[[dict, np.random.Generator], tuple[dict[str, list[float]], dict[str, str]]]
    notes: str = ""
    ylabel: str = "mean squared displacement"
    log: bool = True

    def table(self, claim_id: str, index: int, ctx: RunContext | None = None) -> Table:
        ctx = ctx or RunContext()
        key = f"{claim_id}#curve"
        rng = np.random.default_rng(ctx.seed_sequence(key, index))
        columns, kinds = self.build(dict(self.point), rng)
        columns = {k: [float(v) for v in vals] for k, vals in columns.items()}
        return Table(self.title, self.x, dict(self.point), columns, kinds, ctx.seed_record(key, index), self.notes,
                     self.ylabel, self.log)


def tables_for(claim, ctx: RunContext | None = None) -> list[Table]:
    return [c.table(claim.id, i, ctx) for i, c in enumerate(getattr(claim, "curves", []) or [])]
