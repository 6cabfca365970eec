"""The layout the design card asks for: imports run one way (papers -> checks -> dynamics), the kernels
import neither checks nor theory, nothing but the registry imports the papers, and no file is over ~500 lines."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("theory", "checks", "theorycheck")
MAX_LINES = 520


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    pkg = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = pkg.split(".")[: len(pkg.split(".")) - node.level + 1]
                out.add(".".join(base + ([node.module] if node.module else [])))
            elif node.module:
                out.add(node.module)
    return out


def _files(*dirs: str) -> list[Path]:
    return sorted(p for d in dirs for p in (ROOT / d).rglob("*.py"))


def test_kernels_import_neither_checks_nor_theory():
    for f in _files("checks/dynamics"):
        bad = {m for m in _imports(f) if m.split(".")[0] in ("theory", "theorycheck")
               or (m.startswith("checks") and not m.startswith("checks.dynamics"))}
        assert not bad, f"{f.relative_to(ROOT)} imports {sorted(bad)}"


def test_nothing_but_the_registry_imports_the_papers():
    for f in _files(*PACKAGES):
        rel = f.relative_to(ROOT).as_posix()
        if rel.startswith("theory/papers/") or rel == "theory/registry.py":
            continue
        bad = {m for m in _imports(f) if m.startswith("theory.papers")}
        assert not bad, f"{rel} imports {sorted(bad)}"


def test_checks_and_the_model_never_import_the_application():
    for f in _files("checks", "theory"):
        bad = {m for m in _imports(f) if m.startswith("theorycheck")}
        assert not bad, f"{f.relative_to(ROOT)} imports {sorted(bad)}"
    for name in ("model.py", "errors.py", "registry.py", "mutants.py", "symbolic.py"):
        bad = {m for m in _imports(ROOT / "theory" / name) if m.startswith("checks")}
        assert not bad, f"theory/{name} imports {sorted(bad)}"


def test_no_file_is_over_about_500_lines():
    long = [(f.relative_to(ROOT).as_posix(), n) for f in _files(*PACKAGES, "tests", "benchmarks")
            if (n := len(f.read_text().splitlines())) > MAX_LINES]
    assert not long, f"files over {MAX_LINES} lines: {long}"
