"""`diagrams`, Sec. 1.2 (Background, notation, and assumptions): "SGD then runs T many updates (i.e. E = TB/N
epochs, i.e. M = T/N updates per point)". Counted on SGD's own schedule: each point is in one batch per epoch."""
from __future__ import annotations

import sympy as sp

from checks import ExactComparison
from checks.dynamics.sgd_data import epoch_schedules
from theory import Claim, Param, Regime, Sampling, claim

from .notation import N, T

Bi = sp.Symbol("B", integer=True, positive=True)
U = sp.Symbol(r"U")                     # updates each training point takes part in
REGIME = Regime((Param(N, 2, 8, doc="training points"), Param(Bi, 1, 4, doc="batch size"),
                 Param(T, 1, 24, doc="updates")),
                (Sampling(sp.Eq(sp.Mod(N, Bi), 0), "B divides N (batches without replacement)"),
                 Sampling(sp.Eq(sp.Mod(T * Bi, N), 0), "whole epochs: T B / N is an integer")),
                "SGD on N training points, batches of B without replacement within an epoch, T updates")
SYMBOLS = {"U": "number of updates in which each training point takes part", "N": "training points",
           "B": "batch size", "T": "updates"}


def updates_per_point(point) -> list[float]:
    n, b, t = int(point["N"]), int(point["B"]), int(point["T"])
    (batches, _), = epoch_schedules(n, b, t * b // n, "cyclic")
    return [sum(k in batch for batch in batches) for k in range(n)]


def count_check():
    return ExactComparison("updates each point takes part in, counted on SGD's schedule", updates_per_point,
                           lambda point, f: [f(**point)] * int(point["N"]), n_points=10)


@claim("diagrams.sec12.m", "Sec. 1.2", "'E = TB/N epochs, i.e. M = T/N updates per point'", about="text")
def sec12_m():
    return Claim(statement=sp.Eq(U, T / N, evaluate=False), regime=REGIME, symbols=SYMBOLS,
                 dynamics="SGD with batches of B without replacement within an epoch",
                 observable="updates per training point", checks=[count_check()],
                 notes=["E = TB/N epochs is right; each point is in one batch per epoch, so it takes part in E = TB/N "
                        "updates, which is T/N only when B = 1. Prop. 2's formula is right with M = T/N "
                        "(diagrams.prop2.updates), so the definition M = T/N stands; the words 'updates per point' "
                        "do not."])


@claim("diagrams.sec12.m.corrected", "Sec. 1.2, corrected", "Each training point takes part in E = TB/N updates "
       "(M = T/N = E/B)", corrects="diagrams.sec12.m", about="text")
def sec12_m_corrected():
    return Claim(statement=sp.Eq(U, T * Bi / N, evaluate=False), regime=REGIME, symbols=SYMBOLS,
                 dynamics="SGD with batches of B without replacement within an epoch",
                 observable="updates per training point", checks=[count_check()])
