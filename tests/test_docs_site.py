"""The docs site: built from the test run's own verification results, then opened in headless Chromium.

Every page must load without console errors or failed requests (nothing outside the site is
fetched: no CDN), show no raw TeX, resolve every internal link, and show its plots. Without
Chromium or playwright the browser test is skipped, unless THEORYCHECK_REQUIRE_BROWSER=1 (as
`.ci/run` sets), in which case it fails.
"""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from checks.engine import ClaimReport, run_metadata
from checks.result import compute_verdict
from conftest import REGISTRY

REQUIRE_BROWSER = os.environ.get("THEORYCHECK_REQUIRE_BROWSER") == "1"
CHROMIUM = os.environ.get("THEORYCHECK_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
# TeX commands, display/inline math delimiters and braced sub/superscripts (m_{t-1}, C^{-1/2})
TEX = re.compile(r"\\[a-zA-Z]+|\$\$|\\\(|\^\{|_\{")


def _need(what: str, ok: bool):
    if not ok:
        if REQUIRE_BROWSER:
            pytest.fail(f"{what} is required (THEORYCHECK_REQUIRE_BROWSER=1) but missing")
        pytest.skip(f"{what} not available")


@pytest.fixture(scope="module")
def site(tmp_path_factory, claim_runs):
    for module in ("latex2mathml", "matplotlib"):
        try:
            __import__(module)
        except ImportError:
            _need(f"the docs extra ({module})", False)
    from checks.curves import tables_for
    from checks.site import render_site

    reports = []
    for claim in REGISTRY:
        results = claim_runs.all_results(claim)
        reports.append(ClaimReport(claim, results, compute_verdict(results), sum(r.seconds for r in results)).to_dict())
    tables = {c.id: [t.to_dict() for t in tables_for(c, claim_runs.ctx)] for c in REGISTRY if c.curves}
    out = tmp_path_factory.mktemp("site")
    summary = render_site(out, reports, run_metadata(claim_runs.ctx), REGISTRY, tables)
    return out, reports, summary


def test_site_has_every_page(site):
    out, reports, summary = site
    pages = sorted(out.rglob("*.html"))
    assert len(pages) == summary.pages == len(reports) + 2 + len({r["paper"] for r in reports})
    index = (out / "index.html").read_text()
    assert all(f'claims/{r["id"]}.html' in index for r in reports)
    errata = (out / "errata.html").read_text()
    refuted = [r["id"] for r in reports if r["status"] == "refuted"]
    assert refuted and all(f'claims/{cid}.html' in errata for cid in refuted)
    assert "Counterexample" in errata and "Corrected form" in errata


def test_site_fetches_nothing_from_outside(site):
    out, _, _ = site
    for p in out.rglob("*.html"):
        text = p.read_text()
        assert not re.search(r"""(src|href)\s*=\s*["'](https?:)?//""", text), p.name


def test_evidence_comes_from_the_run(site):
    out, reports, _ = site
    page = (out / "claims" / "adai.thm1.html").read_text()
    assert "Evidence from a verification run at" in page and "root seed" in page and "spawn_key" in page
    check = next(r for r in reports if r["id"] == "adai.thm1")["checks"][-1]
    z = max(abs(row["z"]) for row in check["details"]["rows"])
    assert f"max |z| = {z:.2f}" in (out / "index.html").read_text()


@pytest.fixture(scope="module")
def browser():
    _need("Chromium", CHROMIUM is not None)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _need("playwright (pip install -e '.[browser]')", False)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


INSPECT = """() => {
  const bad = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const n = walker.currentNode, el = n.parentElement;
    if (!el || el.closest('details:not([open]), .tex-source, script, style')) continue;
    if (n.textContent.trim()) bad.push(n.textContent);
  }
  const imgs = Array.from(document.images).map(i => [i.getAttribute('src'), i.complete && i.naturalWidth > 0]);
  const maths = Array.from(document.querySelectorAll('math')).filter(m => !m.closest('details:not([open])'))
                     .map(m => m.getBoundingClientRect().height);
  const links = Array.from(document.querySelectorAll('a[href]')).map(a => a.href);
  return {text: bad, imgs: imgs, maths: maths, links: links};
}"""


def test_every_page_in_chromium(site, browser):
    out, reports, _ = site
    page = browser.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))
    page.route(re.compile(r"^(?!file:).*"), lambda route: (problems.append(f"outside request: {route.request.url}"),
                                                           route.abort()))
    numeric = {r["id"] for r in reports if any(c["kind"] in ("montecarlo", "exact") for c in r["checks"])}
    pages = sorted(out.rglob("*.html"))
    for path in pages:
        page.goto(path.as_uri())
        info = page.evaluate(INSPECT)
        where = path.relative_to(out).as_posix()
        for text in info["text"]:
            if TEX.search(text):
                problems.append(f"{where}: raw TeX visible: {text[:80]!r}")
        for src, ok in info["imgs"]:
            if not ok:
                problems.append(f"{where}: image did not load: {src}")
        if any(h <= 0 for h in info["maths"]):
            problems.append(f"{where}: a formula did not render")
        for href in info["links"]:
            target = Path(unquote(urlparse(href).path))
            if urlparse(href).scheme == "file" and not target.exists():
                problems.append(f"{where}: broken link {href}")
        if path.parent.name == "claims":
            if not info["maths"]:
                problems.append(f"{where}: no rendered statement")
            if path.stem in numeric and not info["imgs"]:
                problems.append(f"{where}: numeric checks but no plot")
    assert not problems, "\n".join(problems[:40])
    assert len(pages) > len(reports)


def test_index_filters(site, browser):
    out, reports, _ = site
    page = browser.new_page()
    page.goto((out / "index.html").as_uri())
    visible = "() => Array.from(document.querySelectorAll('table.claims tbody tr')).filter(r => r.style.display !== 'none').length"
    assert page.evaluate(visible) == len(reports)
    page.select_option("#filter-verdict", "refuted")
    assert page.evaluate(visible) == sum(r["status"] == "refuted" for r in reports)
    page.select_option("#filter-verdict", "")
    page.select_option("#filter-paper", "adai")
    assert page.evaluate(visible) == sum(r["paper"] == "adai" for r in reports)
