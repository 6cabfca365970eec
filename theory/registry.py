"""Finding claims: the package's own papers and claim files that users write.

The package's claims are listed from the source without running it: each paper is a folder of
``theory/papers/<paper>/`` whose ``__init__.py`` holds literal metadata (``PAPER``, ``SECTIONS`` in the
paper's order) and whose section modules declare claims with ``@claim(id, location, title, ...)``. The
index reads those literals with ``ast``; a claim's module is imported, and its body run, only when the
claim itself is needed. So ``theorycheck list`` never imports SymPy.
"""
from __future__ import annotations

import ast
import difflib
import fnmatch
import importlib
import importlib.util
import sys
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import TheoryCheckError, UnknownClaimError

PAPERS_DIR = Path(__file__).with_name("papers")


@dataclass
class Entry:
    """What the index knows of a claim before it is built."""

    id: str
    location: str
    title: str
    paper: str
    module: str = ""             # module that declares it (empty for claims added as objects)
    function: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
    origin: str = "builtin"      # "builtin" or the path of a claim file

    @property
    def corrects(self) -> str | None:
        return self.meta.get("corrects")

    @property
    def reading_of(self) -> str | None:
        return self.meta.get("reading_of")


@dataclass
class Paper:
    key: str
    package: str
    meta: dict[str, Any]
    sections: tuple[str, ...]

    @property
    def folder(self) -> Path:
        return PAPERS_DIR / self.package.rsplit(".", 1)[-1]

    @property
    def ledger_path(self) -> Path:
        return self.folder / "ledger.json"


def _literal_assignments(tree: ast.Module) -> dict[str, Any]:
    out = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            try:
                out[node.targets[0].id] = ast.literal_eval(node.value)
            except ValueError:
                pass
    return out


def _decorated_claims(path: Path, module: str) -> list[Entry]:
    tree = ast.parse(path.read_text(), str(path))
    entries = []
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef):
            continue
        for dec in node.decorator_list:
            if not (isinstance(dec, ast.Call) and getattr(dec.func, "id", getattr(dec.func, "attr", "")) == "claim"):
                continue
            try:
                args = [ast.literal_eval(a) for a in dec.args]
                meta = {k.arg: ast.literal_eval(k.value) for k in dec.keywords if k.arg}
            except ValueError:
                raise TheoryCheckError(f"{path}:{dec.lineno}: @claim(...) takes literal arguments only") from None
            cid, location, title = (args + ["", "", ""])[:3]
            entries.append(Entry(cid, location, title, cid.split(".")[0], module, node.name, meta))
    return entries


def builtin_papers() -> list[Paper]:
    papers = []
    for folder in sorted(p for p in PAPERS_DIR.iterdir() if (p / "__init__.py").is_file()):
        lit = _literal_assignments(ast.parse((folder / "__init__.py").read_text()))
        if "PAPER" not in lit:
            continue
        papers.append(Paper(lit["PAPER"]["key"], f"theory.papers.{folder.name}", lit["PAPER"],
                            tuple(lit.get("SECTIONS", ()))))
    papers.sort(key=lambda p: p.meta.get("order", 100))
    return papers


class Registry:
    """The claims one run can see: an ordered index, claims built on demand."""

    def __init__(self) -> None:
        self._entries: dict[str, Entry] = {}
        self._claims: dict[str, Any] = {}
        self.papers: dict[str, Paper] = {}
        self.files: list[str] = []          # claim files added, in order (worker processes load the same)

    # --- building the index ----------------------------------------------------------------------------
    @classmethod
    def builtin(cls) -> Registry:
        reg = cls()
        for paper in builtin_papers():
            reg.papers[paper.key] = paper
            for section in paper.sections:
                module = f"{paper.package}.{section}"
                for e in _decorated_claims(paper.folder / f"{section}.py", module):
                    if e.paper != paper.key:
                        raise TheoryCheckError(f"{module}: claim {e.id} does not start with the paper key {paper.key}")
                    reg._add_entry(e)
        return reg

    def _add_entry(self, e: Entry) -> None:
        if e.id in self._entries:
            where = self._entries[e.id].module or self._entries[e.id].origin
            raise TheoryCheckError(f"claim id {e.id} is defined twice ({where} and {e.module or e.origin})")
        self._entries[e.id] = e

    def add(self, claim, origin: str = "") -> None:
        """Add built Claim objects (with any inline corrected form), e.g. from a user's claim file."""
        for c in claim.all_claims():
            if c.id in self._claims and self._claims[c.id] is c:
                continue
            c.origin = origin or c.origin or "builtin"
            if not c.defined_in and c.origin != "builtin" and Path(c.origin).is_file():
                c.defined_in = str(Path(c.origin).resolve())
            self._add_entry(Entry(c.id, c.location, c.title, c.paper, meta={"corrects": c.corrects,
                                  "reading_of": c.reading_of}, origin=c.origin))
            self._claims[c.id] = c

    def add_file(self, path: str | Path) -> list[str]:
        """Load a claim file (or every claim file of a folder) and return the ids it defines."""
        added = []
        self.files.append(str(Path(path).resolve()))
        for claim in load_file(path):
            self.add(claim, str(path))
            added += [c.id for c in claim.all_claims()]
        return added

    # --- reading it -------------------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._entries)

    def ids(self) -> list[str]:
        return list(self._entries)

    def entries(self) -> list[Entry]:
        return list(self._entries.values())

    def entry(self, claim_id: str) -> Entry:
        try:
            return self._entries[claim_id]
        except KeyError:
            close = difflib.get_close_matches(claim_id, self.ids(), n=5, cutoff=0.5)
            hint = f"; closest: {', '.join(close)}" if close else "; `theorycheck list` shows every id"
            raise UnknownClaimError(f"unknown claim id {claim_id!r}{hint}") from None

    def get(self, claim_id: str):
        e = self.entry(claim_id)
        if claim_id not in self._claims:
            spec = getattr(importlib.import_module(e.module), e.function)
            c = spec.build()
            c.origin = "builtin"
            self._claims[claim_id] = c
        return self._claims[claim_id]

    def __iter__(self) -> Iterator[Any]:
        return (self.get(i) for i in self.ids())

    def select_ids(self, pattern: str) -> list[str]:
        """An exact id, or a glob over ids ("adai.*", "*eq2?"); a plain word matches as a substring."""
        if pattern in self._entries:
            return [pattern]
        glob = pattern if any(ch in pattern for ch in "*?[") else f"*{pattern}*"
        found = [i for i in self._entries if fnmatch.fnmatchcase(i, glob)]
        if not found:
            self.entry(pattern)   # raises with the closest ids
        return found

    def select(self, pattern: str) -> list[Any]:
        return [self.get(i) for i in self.select_ids(pattern)]

    def corrections_of(self, claim_id: str) -> list[str]:
        return [e.id for e in self._entries.values() if e.corrects == claim_id]

    def readings_of(self, claim_id: str) -> list[str]:
        return [e.id for e in self._entries.values() if e.reading_of == claim_id]

    def paper_meta(self, key: str) -> dict[str, Any]:
        p = self.papers.get(key)
        return dict(p.meta) if p is not None else {"key": key}


def load_module_claims(module) -> list[Any]:
    from .model import Claim, ClaimSpec

    claims = getattr(module, "CLAIMS", None)
    if claims is None:
        claims = [v for v in vars(module).values() if isinstance(v, (Claim, ClaimSpec))]
    out = []
    for c in claims:
        out.append(c.build() if isinstance(c, ClaimSpec) else c)
    return out


def load_file(path: str | Path) -> list[Any]:
    """Load the claims a user wrote: a Python file (a list CLAIMS, module-level Claim objects, or
    @claim-decorated functions) or a folder of such files. Modules beside a file can be imported by it."""
    path = Path(path)
    if path.is_dir():
        files = sorted(p for p in path.glob("*.py") if not p.name.startswith("_"))
        if not files:
            raise TheoryCheckError(f"claim folder {path} holds no .py files")
        out = []
        for f in files:
            out += _load_one(f, required=False)
        if not out:
            raise TheoryCheckError(f"no claims in the files of {path}")
        return out
    if not path.is_file():
        raise TheoryCheckError(f"claim file {path} does not exist")
    return _load_one(path, required=True)


def _load_one(path: Path, required: bool) -> list[Any]:
    name = f"theorycheck_user_{zlib.crc32(str(path.resolve()).encode()):08x}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise TheoryCheckError(f"cannot load {path} as a Python module")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    folder = str(path.resolve().parent)
    added = folder not in sys.path
    if added:
        sys.path.insert(0, folder)          # helper modules beside the claim file are importable
    try:
        spec.loader.exec_module(module)
        claims = load_module_claims(module)
    except TheoryCheckError:
        raise
    except Exception as e:
        raise TheoryCheckError(f"could not load claims from {path}: {type(e).__name__}: {e}") from e
    finally:
        if added:
            sys.path.remove(folder)
    if not claims and required:
        raise TheoryCheckError(f"{path} defines no claims (define CLAIMS = [Claim(...), ...] or @claim functions)")
    for c in claims:
        for cc in c.all_claims():
            cc.origin = str(path)
            cc.defined_in = cc.defined_in or str(path.resolve())
    return claims


def builtin_registry() -> Registry:
    return Registry.builtin()
