"""The docs site: ``theorycheck docs build [FILE.py ...] [--out DIR] [--from RUN.json]``.

A static site that works offline: math is MathML generated at build time (latex2mathml; no script, no
CDN), plots and the dependency graph are SVG drawn at build time, search runs in the page over a local
index. Every piece of evidence comes from one verification run -- the one the build performs, or a saved
``theorycheck verify --json`` output, which already holds the plot tables, so ``--from`` re-runs nothing.

Modules: ``output`` (the folder: never deletes what it did not write), ``html`` (helpers and layout),
``pages``, ``evidence`` (one renderer per check form), ``plots``, ``graph``, ``assets`` (style, script,
search index).
"""
from __future__ import annotations

import fnmatch
import json
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .output import MARKER, SiteError, Writer, check_output, prepare_output

__all__ = ["MARKER", "SiteError", "SiteSummary", "build", "check_output", "prepare_output", "render_site"]


@dataclass
class SiteSummary:
    out: Path
    pages: int
    plots: int
    seconds: float


def _require_docs_extra() -> None:
    try:
        import latex2mathml.converter  # noqa: F401
        import matplotlib  # noqa: F401
    except ImportError as e:          # a user mistake, not a crash: say what to install
        raise SiteError(f"the docs site needs the 'docs' extra ({e.name} is missing): pip install -e '.[docs]'") from e


def render_site(out: Path, reports: list[dict[str, Any]], meta: dict[str, Any], ledger: dict[str, Any] | None = None,
                log=None) -> SiteSummary:
    """Write the site for these reports (dicts as ``verify --json`` writes them) into ``out``."""
    from theorycheck.reports import dumps
    from theorycheck.summaries import form_of

    from . import assets, pages, plots
    from .evidence import check_html, curve_table_html
    from .html import esc, page, point, slug

    start = time.perf_counter()
    out = Path(out)
    prepare_output(out)
    w = Writer(out)
    try:                                  # whatever happens, the marker lists what was written
        site = pages.Site(reports, meta, ledger)
        meta = {**meta, "papers": site.papers}
        n_pages = n_plots = 0
        c = site.counts()
        w.text("assets/style.css", assets.STYLE)
        w.text("assets/site.js", assets.SCRIPT)
        w.text("assets/search-index.js", assets.search_index(site.reports))
        for i, r in enumerate(site.reports):
            plots_html = []
            for k, tab in enumerate(r.get("tables") or []):
                name = f"{slug(r['id'])}-curve{k}.svg"
                if plots.plot_table(tab, w.path(f"plots/{name}")):
                    n_plots += 1
                    seed = tab.get("seed") or {}
                    simulated = "simulated" in (tab.get("kinds") or {}).values()
                    bands = "simulated bands are 95% (±1.96 se); " if simulated else ""
                    plots_html.append(
                        f'<figure><img src="../plots/{name}" alt="{esc(tab["title"])}"><figcaption>'
                        f'{esc(tab["title"])}{" at " + point(tab["point"]) if tab.get("point") else ""}; '
                        f'{bands}'
                        f'seed: SeedSequence(entropy={esc(seed.get("entropy"))}, '
                        f'spawn_key={esc(seed.get("spawn_key"))}). '
                        f'{esc(tab.get("notes", ""))}</figcaption></figure>' + curve_table_html(tab))
            checks_html = []
            for k, ch in enumerate(r.get("checks") or []):
                name = f"{slug(r['id'])}-check{k}.svg"
                form = form_of(ch)
                plottable = ch.get("kind") in ("montecarlo", "exact", "bound") and form in plots.PLOTTERS
                target = w.path(f"plots/{name}") if plottable else None
                drawn = target is not None and plots.plot_check(ch, form, target)
                if target is not None and not drawn:
                    w.forget(target)
                n_plots += int(bool(drawn))
                checks_html.append(check_html(ch, name if drawn else None, "../"))
            body = pages.claim_body(site, r, checks_html, plots_html)
            head = f"{r['id']} ({r['status']}): {r.get('title', '')} · theorycheck"
            side = pages.sidebar(site, r["paper"], "../", r["id"])
            w.text(f"claims/{slug(r['id'])}.html",
                   page(head, body, meta, 1, side, f"{r.get('location', '')}: {r.get('title', '')}"))
            n_pages += 1
            if log and (i + 1) % 25 == 0:
                log(f"  {i + 1}/{len(site.reports)} claim pages")
        title = (f"theorycheck: {c.get('verified', 0)} verified, {c.get('refuted', 0)} refuted of "
                 f"{len(site.reports)} claims")
        side = "".join(pages.sidebar(site, k, "", others=False) for k in site.papers)   # every paper, folded
        w.text("index.html", page(title, pages.index_body(site), meta, 0, side, title))
        w.text("errata.html", page(f"Errata: {c.get('refuted', 0)} refuted statements · theorycheck",
                                   pages.errata_body(site), meta, 0))
        w.text("graph.html", page("Dependency graph · theorycheck", pages.graph_body(site), meta, 0))
        n_pages += 3
        for key in site.papers:
            w.text(f"papers/{key}.html", page(f"{site.papers[key].get('title', key)} · theorycheck",
                                              pages.paper_body(site, key), meta, 1, pages.sidebar(site, key, "../")))
            n_pages += 1
        w.text("run.json", dumps({"run": meta, "claims": site.reports}))
    finally:
        w.finish()
    return SiteSummary(out, n_pages, n_plots, time.perf_counter() - start)


def _select(reports: list[dict[str, Any]], pattern: str | None) -> list[dict[str, Any]]:
    """An exact id, a glob, or a substring (as on the command line)."""
    if not pattern:
        return reports
    if any(r["id"] == pattern for r in reports):
        return [r for r in reports if r["id"] == pattern]
    glob = pattern if any(ch in pattern for ch in "*?[") else f"*{pattern}*"
    found = [r for r in reports if fnmatch.fnmatchcase(r["id"], glob)]
    if not found:
        raise SiteError(f"--only {pattern}: no claim of the run matches")
    return found


def _git_commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, timeout=5,
                              cwd=Path(__file__).resolve().parent).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def _read_run(path: Path) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    try:
        data = json.loads(Path(path).read_text())
        return data["claims"], data["run"]
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise SiteError(f"cannot read a verification run from {path} ({type(e).__name__}: {e}); write one with "
                        "`theorycheck verify --json > RUN.json`") from None


def build(out: Path, targets: tuple[str, ...] | list[str] = (), seed: int = 20211123, deep: bool = False,
          from_json: Path | None = None,
          pattern: str | None = None, convention: str = "paper", quiet: bool = False, verbose: bool = False,
          jobs: int = 1) -> SiteSummary:
    """Verify the selected claims (or read a saved run), then render. The output folder is checked first, so a
    refused folder costs no verification."""
    from theorycheck.cli import build_claims, ledger_for, load_targets
    from theorycheck.progress import Progress
    from theorycheck.reports import papers_meta, report_dict
    from theorycheck.stream import Stream, expected_count

    _require_docs_extra()
    out = Path(out)
    check_output(out)
    t0 = time.perf_counter()
    progress = Progress(0, quiet=quiet)
    if from_json is not None:
        from theory.registry import Registry
        from theorycheck.loader import add_file

        reports, meta = _read_run(Path(from_json))
        reports = _select(reports, pattern)
        reg = Registry.builtin()
        for t in targets:                                   # claim files named with --from: their papers' metadata
            if t.endswith(".py") or Path(t).is_dir():
                add_file(reg, t)
        meta = {**meta, "from_json": str(from_json), "papers": {**papers_meta(reg), **(meta.get("papers") or {})}}
        if reports and not any("tables" in r for r in reports):
            progress.note("the saved run holds no plot tables (written by an older `verify --json`): curves are left "
                          "out rather than re-simulated")
        progress.note(f"read {len(reports)} claims from {from_json}")
    else:
        from checks.base import RunContext
        from checks.engine import run_claims, run_metadata

        reg, ids, _ = load_targets(list(targets))
        if pattern:
            ids = [r["id"] for r in _select([{"id": i} for i in ids], pattern)]
        ctx = RunContext(seed=seed, deep=deep, convention=convention)
        claims, broken = build_claims(reg, ids)
        progress = Progress(expected_count(reg, ids), quiet=quiet)
        progress.line(f"verifying {len(ids)} claims (seed {seed}{', deep' if deep else ''}, {convention} convention)")
        finished = run_claims(claims, ctx, reg, on_done=Stream(reg, ids, progress, verbose), jobs=jobs)
        progress.close()
        progress.note("plot tables of the claims' curves ...")
        reports = [report_dict(r, reg, ctx) for r in finished] + broken
        meta = {**run_metadata(ctx), "papers": papers_meta(reg)}
        progress.note(f"verified in {time.perf_counter() - t0:.1f} s; rendering")
    meta = {**meta, "commit": _git_commit()}
    summary = render_site(out, reports, meta, ledger_for(reg).load(), log=progress.note)
    summary.seconds = time.perf_counter() - t0
    return summary
