"""The `diagrams` paper's claims: every one builds, names what it corrects or reads, and imports cheaply."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from theory.registry import Registry

FOLDER = Path(__file__).resolve().parent.parent / "theory" / "papers" / "diagrams"


@pytest.fixture(scope="module")
def registry():
    return Registry.builtin()


def ids(registry):
    return [i for i in registry.ids() if i.startswith("diagrams.")]


def test_every_claim_builds_with_checks(registry):
    found = ids(registry)
    assert len(found) > 100
    for cid in found:
        c = registry.get(cid)
        assert c.checks, cid
        assert c.paper == "diagrams"


def test_corrections_and_readings_name_existing_claims(registry):
    known = set(ids(registry))
    for cid in known:
        e = registry.entry(cid)
        for target in (e.corrects, e.reading_of):
            assert target is None or target in known, (cid, target)
    for parent in {registry.entry(i).reading_of for i in known} - {None}:
        readings = registry.readings_of(parent)
        assert sum(bool(registry.entry(r).meta.get("proof_reading")) for r in readings) <= 1, parent


def test_inventory_rows_are_encoded(registry):
    rows = ["remark.small-c", "remark.c-flat", "remark.all-time", "remark.eigbasis", "example1", "remark.two-stories",
            "remark.gengap", "remark.eta-over-b", "remark.third-order", "remark.unbiased-gradc", "remark.gdc", "appc6",
            "remark.retraction", "fig3a", "remark.scope"]
    known = set(ids(registry))
    assert all(f"diagrams.{r}" in known for r in rows)


def test_modules_are_short_and_import_without_computing():
    for f in FOLDER.glob("*.py"):
        assert len(f.read_text().splitlines()) <= 520, f.name   # the project-wide limit (tests/test_layout.py)
    code = ("import time; t = time.process_time(); import theory.papers.diagrams.rebuttal, "
            "theory.papers.diagrams.appendix_b, theory.papers.diagrams.experiments; "
            "print(time.process_time() - t)")
    seconds = float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                   check=True).stdout.strip())
    assert seconds < 15          # imports only (SymPy, SciPy): no series, enumeration or simulation at import
