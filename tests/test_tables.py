"""Plot-ready tables: simulated columns agree with the exact model where the model is the one simulated."""
from __future__ import annotations

import numpy as np

from checks.curves import tables_for
from checks.stats import PROCESS_TOTAL, Z_CRIT
from theory.papers.adai import adam, notation, theorem2


def _z(table, sim: str, exact: str) -> np.ndarray:
    c = table.columns
    PROCESS_TOTAL.add(len(c[sim]))          # these comparisons count toward the suite's false-alarm budget
    return (np.array(c[sim]) - np.array(c[exact])) / np.array(c[sim + "_se"])


def test_thm2_table_simulation_matches_the_exact_msd_and_not_the_printed_one():
    (table,) = tables_for(theorem2.thm2.build())
    assert np.all(np.abs(_z(table, "SDE (7) simulated", "exact, r(0) at equilibrium")) < Z_CRIT)
    assert np.max(np.abs(_z(table, "SDE (7) simulated", "printed (9)"))) > Z_CRIT


def test_momentum_table_simulation_matches_the_exact_recursion():
    (table,) = tables_for(notation.eq31.build())
    assert np.all(np.abs(_z(table, "Momentum (4) simulated", "exact recursion")) < Z_CRIT)
    assert set(table.kinds.values()) == {"formula", "corrected", "exact", "simulated"}
    assert len({len(v) for v in table.columns.values()}) == 1


def test_adam_table_rule_121_matches_its_exact_recursion():
    (table,) = tables_for(adam.prop1_adam.build())
    assert np.all(np.abs(_z(table, "idealized Adam (121) simulated", "exact recursion (121)")) < Z_CRIT)
    assert len({len(v) for v in table.columns.values()}) == 1
