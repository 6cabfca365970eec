"""Claim files as the application loads them: ``@claim`` functions stay lazy, as the package's own are.

A claim whose body fails (a ``Param`` with low > high, an exception) is then that claim's ``error``, named,
while the file's other claims run; only a file that cannot be imported at all is a usage error. Helper
modules beside a claim file are importable from it.
"""
from __future__ import annotations

import contextlib
import importlib.util
import sys
import zlib
from pathlib import Path

from theory.errors import TheoryCheckError


def _import(path: Path):
    name = f"theorycheck_user_{zlib.crc32(str(path.resolve()).encode()):08x}"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise TheoryCheckError(f"cannot load {path} as a Python module")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        with _beside(path):                 # helper modules beside the claim file are importable
            spec.loader.exec_module(module)
    except TheoryCheckError as e:
        del sys.modules[name]
        raise TheoryCheckError(f"{path}: {e}") from None
    except Exception as e:
        del sys.modules[name]
        raise TheoryCheckError(f"could not load claims from {path}: {type(e).__name__}: {e}") from e
    return module


def add_file(reg, path: str | Path) -> list[str]:
    """Register the claims of a file (or of every file of a folder); returns their ids in order."""
    from theory.model import Claim, ClaimSpec
    from theory.registry import Entry

    path = Path(path)
    if path.is_dir():
        files = sorted(p for p in path.glob("*.py") if not p.name.startswith("_"))
        if not files:
            raise TheoryCheckError(f"claim folder {path} holds no .py files")
    elif path.is_file():
        files = [path]
    else:
        raise TheoryCheckError(f"claim file {path} does not exist")
    ids: list[str] = []
    for f in files:
        module = _import(f)
        listed = getattr(module, "CLAIMS", None)
        declared = [v for v in vars(module).values() if isinstance(v, (Claim, ClaimSpec))]
        objects = listed if listed is not None else declared
        for obj in objects:
            if isinstance(obj, ClaimSpec):
                function = next((k for k, v in vars(module).items() if v is obj), obj.build_fn.__name__)
                reg._add_entry(Entry(obj.id, obj.location, obj.title, obj.id.split(".")[0], module.__name__, function,
                                     dict(obj.meta), origin=str(f)))
                ids.append(obj.id)
            elif isinstance(obj, Claim):
                reg.add(obj, str(f))
                ids += [c.id for c in obj.all_claims()]
            else:
                raise TheoryCheckError(f"{f}: CLAIMS holds a {type(obj).__name__}, expected Claim objects or @claim "
                                       "functions")
    if not ids and not path.is_dir():
        raise TheoryCheckError(f"{path} defines no claims (define CLAIMS = [Claim(...), ...] or @claim functions)")
    if not ids:
        raise TheoryCheckError(f"no claims in the files of {path}")
    return ids


@contextlib.contextmanager
def _beside(path: Path):
    """The claim file's folder on sys.path while its code runs (a claim body may import a helper lazily)."""
    folder = str(path.resolve().parent)
    added = folder not in sys.path
    if added:
        sys.path.insert(0, folder)
    try:
        yield
    finally:
        if added and folder in sys.path:
            sys.path.remove(folder)


def get(reg, cid: str):
    """A claim, built if needed, knowing which file it came from (the registry marks what it builds builtin)."""
    origin = reg.entry(cid).origin
    if origin == "builtin":
        return reg.get(cid)
    with _beside(Path(origin)):
        c = reg.get(cid)
    for x in c.all_claims():
        x.origin = origin
        if x.id not in reg.ids():
            reg.add(x, origin)
    return c
