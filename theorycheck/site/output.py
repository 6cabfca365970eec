"""The output folder: nothing the build did not write is ever deleted or overwritten.

A site folder holds a marker file listing every file the build wrote. A new build into it removes exactly
those files (and the folders it created, once empty); files a user added survive. A folder that is not
empty and holds no marker is refused, as is a folder holding a repository (``--out .`` in a checkout).
"""
from __future__ import annotations

import json
from pathlib import Path

from theory.errors import TheoryCheckError

MARKER = ".theorycheck-site"
# What the earlier builder wrote (its marker listed no files): only these are removed from such a folder.
LEGACY = {"files": ("index.html", "errata.html", "run.json"), "dirs": ("claims", "papers", "plots", "assets"),
          "suffixes": (".html", ".svg", ".css", ".js")}
REPOSITORY = (".git", ".hg", ".svn")


class SiteError(TheoryCheckError):
    pass


def check_output(out: Path) -> None:
    """Refuse an output folder we may not write to, before any work is done."""
    if out.exists() and not out.is_dir():
        raise SiteError(f"--out {out} is a file, not a folder; nothing was written")
    if out.is_symlink():
        raise SiteError(f"--out {out} is a symbolic link; give the folder itself")
    repo = next((r for r in REPOSITORY if (out / r).exists()), None)
    if repo:
        raise SiteError(f"--out {out} holds a repository ({repo}); the site needs a folder of its own, e.g. "
                        f"--out {out / 'site'}; nothing was written or deleted")
    if out.exists() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise SiteError(f"--out {out} is not empty and is not a theorycheck site (no {MARKER} file): choose an "
                        "empty or new folder; nothing was written or deleted")


def _written(out: Path) -> tuple[list[Path], list[Path]]:
    """(files, folders) the previous build wrote, from its marker."""
    text = (out / MARKER).read_text()
    try:
        listed = json.loads(text)
        return [out / f for f in listed.get("files", [])], [out / d for d in listed.get("dirs", [])]
    except ValueError:                                   # an earlier build's plain-text marker
        files = [out / f for f in LEGACY["files"]]
        dirs = [out / d for d in LEGACY["dirs"]]
        for d in dirs:
            if d.is_dir() and not d.is_symlink():
                files += [p for p in d.rglob("*") if p.is_file() and p.suffix in LEGACY["suffixes"]]
        return files, dirs


def _inside(out: Path, p: Path) -> bool:
    """p lies inside out (after following links): a listed path never reaches outside the site."""
    try:
        p.resolve().relative_to(out.resolve())
        return True
    except ValueError:
        return False


def prepare_output(out: Path) -> None:
    """Make ``out`` ready for a new site: remove what the previous build wrote, refuse anything else."""
    check_output(out)
    if (out / MARKER).is_file():
        files, dirs = _written(out)
        for f in files:
            if (f.is_file() or f.is_symlink()) and _inside(out, f.parent):
                f.unlink()
        for d in sorted(dirs, key=lambda p: -len(p.parts)):       # deepest first; only folders left empty
            if d.is_dir() and not d.is_symlink() and _inside(out, d) and not any(d.iterdir()):
                d.rmdir()
    out.mkdir(parents=True, exist_ok=True)
    write_marker(out, [])          # what is left is not ours; the build lists what it writes as it goes


def write_marker(out: Path, files: list[Path]) -> None:
    """List what this build wrote (relative paths), so the next build removes exactly that."""
    rel = sorted({str(f.relative_to(out)) for f in files})
    dirs = sorted({str(Path(r).parent) for r in rel if str(Path(r).parent) != "."})
    (out / MARKER).write_text(json.dumps({"written_by": "theorycheck docs build", "files": rel, "dirs": dirs},
                                         indent=1) + "\n")


class Writer:
    """Writes the site's files and remembers them for the marker; never writes over a file it did not write
    in this build unless the previous build wrote it (prepare_output removed those)."""

    def __init__(self, out: Path):
        self.out = out
        self.files: list[Path] = []

    def path(self, rel: str) -> Path:
        p = self.out / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        if p.exists() and p not in self.files:
            self.finish()                  # what was written so far stays listed, so a later build can replace it
            raise SiteError(f"{p} exists and was not written by theorycheck; it is left as it is (move it away "
                            "or choose another --out)")
        self.files.append(p)
        return p

    def text(self, rel: str, content: str) -> Path:
        p = self.path(rel)
        p.write_text(content, encoding="utf-8")
        return p

    def forget(self, p: Path) -> None:
        """A reserved file that was not written after all."""
        if p in self.files:
            self.files.remove(p)
            if p.exists():
                p.unlink()

    def finish(self) -> None:
        write_marker(self.out, self.files)
