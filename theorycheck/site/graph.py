"""The dependency graph of claims as SVG, laid out at build time (no script, no external tool).

Edges: ``uses`` (a claim builds on another: grey arrow from the used claim down to the user), ``corrects``
(a corrected form to the printed claim: red, dashed), ``reading_of`` (a reading to the statement it reads:
blue, dotted). Layers are longest paths from claims that use nothing; within a layer, claims are ordered by
the mean position of their neighbours (two sweeps), which keeps most edges short.
"""
from __future__ import annotations

from typing import Any

from .html import esc, slug

NODE_W, NODE_H, GAP_X, GAP_Y, MAX_PER_ROW = 150, 26, 14, 54, 8
FILL = {"verified": "#d8f0d8", "refuted": "#f6d6d6", "error": "#f6d6d6"}
EDGE = {"uses": 'stroke="#889" stroke-width="1"', "corrects": 'stroke="#b22" stroke-width="1.4" stroke-dasharray="5 3"',
        "reading": 'stroke="#27a" stroke-width="1.4" stroke-dasharray="2 3"'}


def edges_of(reports: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
    """(from, to, kind): from is what `to` depends on."""
    ids = {r["id"] for r in reports}
    out = []
    for r in reports:
        for u in r.get("uses") or []:
            if u in ids:
                out.append((u, r["id"], "uses"))
        if r.get("corrects") in ids:
            out.append((r["corrects"], r["id"], "corrects"))
        if r.get("reading_of") in ids:
            out.append((r["reading_of"], r["id"], "reading"))
    return out


def _layers(ids: list[str], edges) -> list[list[str]]:
    parents: dict[str, list[str]] = {i: [] for i in ids}
    for a, b, _ in edges:
        parents[b].append(a)
    depth: dict[str, int] = {}

    def level(i: str, seen: frozenset = frozenset()) -> int:
        if i in depth:
            return depth[i]
        if i in seen:                           # a cycle: break it here
            return 0
        depth[i] = 1 + max((level(p, seen | {i}) for p in parents[i]), default=-1)
        return depth[i]

    for i in ids:
        level(i)
    rows: list[list[str]] = []
    for i in ids:                               # long layers wrap into several rows
        while len(rows) <= depth[i]:
            rows.append([])
        rows[depth[i]].append(i)
    wrapped = []
    for row in rows:
        wrapped += [row[k:k + MAX_PER_ROW] for k in range(0, len(row), MAX_PER_ROW)] or [[]]
    return [r for r in wrapped if r]


def _order(rows: list[list[str]], edges) -> list[list[str]]:
    nbrs: dict[str, list[str]] = {}
    for a, b, _ in edges:
        nbrs.setdefault(a, []).append(b)
        nbrs.setdefault(b, []).append(a)
    for _ in range(2):
        pos = {i: k for row in rows for k, i in enumerate(row)}
        rows = [sorted(row, key=lambda i: (sum(pos[n] for n in nbrs.get(i, [])) / len(nbrs[i]) if nbrs.get(i) else
                                           pos[i])) for row in rows]
    return rows


def svg(reports: list[dict[str, Any]], up: str, focus: str | None = None, title: str = "") -> str:
    """The graph of these claims; nodes link to claim pages, coloured by verdict; ``focus`` is outlined."""
    if not reports:
        return ""
    status = {r["id"]: r["status"] for r in reports}
    edges = edges_of(reports)
    linked = {a for a, _, _ in edges} | {b for _, b, _ in edges}
    ids = [r["id"] for r in reports if r["id"] in linked]
    alone = [r["id"] for r in reports if r["id"] not in linked]      # claims without links: a grid below
    rows = _order(_layers(ids, edges), edges) if ids else []
    rows += [alone[k:k + MAX_PER_ROW] for k in range(0, len(alone), MAX_PER_ROW)]
    width = float(max(len(r) for r in rows) * (NODE_W + GAP_X) + GAP_X)
    height = len(rows) * (NODE_H + GAP_Y)
    xy = {}
    for row_index, row in enumerate(rows):
        offset = (width - len(row) * (NODE_W + GAP_X) + GAP_X) / 2
        for k, i in enumerate(row):
            xy[i] = (offset + k * (NODE_W + GAP_X), GAP_Y / 2 + row_index * (NODE_H + GAP_Y))
    lines = []
    for a, b, kind in edges:
        (x1, y1), (x2, y2) = xy[a], xy[b]
        sx, sy, ex, ey = x1 + NODE_W / 2, y1 + NODE_H, x2 + NODE_W / 2, y2
        if y2 <= y1:                              # same or earlier row (a wrapped layer): go round the side
            sy, ey = y1 + NODE_H / 2, y2 + NODE_H / 2
        lines.append(f'<path d="M{sx:.0f},{sy:.0f} C{sx:.0f},{(sy + ey) / 2:.0f} {ex:.0f},{(sy + ey) / 2:.0f} '
                     f'{ex:.0f},{ey:.0f}" fill="none" {EDGE[kind]} marker-end="url(#arrow-{kind})"><title>'
                     f'{esc(b)} {"uses" if kind == "uses" else "corrects" if kind == "corrects" else "reads"} '
                     f'{esc(a)}</title></path>')
    nodes = []
    for i, (x, y) in xy.items():
        label = i if len(i) <= 22 else i[:21] + "…"
        outline = 'stroke="#123" stroke-width="2.5"' if i == focus else 'stroke="#667" stroke-width="0.8"'
        nodes.append(f'<a href="{up}claims/{slug(i)}.html"><title>{esc(i)}: {esc(status[i])}</title>'
                     f'<rect x="{x:.0f}" y="{y:.0f}" rx="5" width="{NODE_W}" height="{NODE_H}" '
                     f'fill="{FILL.get(status[i], "#eee6c8")}" {outline}/>'
                     f'<text x="{x + NODE_W / 2:.0f}" y="{y + NODE_H / 2 + 4:.0f}" text-anchor="middle">'
                     f'{esc(label)}</text></a>')
    markers = "".join(f'<marker id="arrow-{k}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
                      f'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{c}"/></marker>'
                      for k, c in (("uses", "#889"), ("corrects", "#b22"), ("reading", "#27a")))
    return (f'<svg class="graph" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
            f'width="{width:.0f}" height="{height:.0f}" role="img" aria-label="{esc(title or "dependency graph")}">'
            f'<defs>{markers}</defs><style>text{{font:11px system-ui,sans-serif;fill:#123}}</style>'
            + "".join(lines) + "".join(nodes) + "</svg>")


def neighbourhood(report: dict[str, Any], by_id: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """The claim, what it depends on, and what depends on it."""
    cid = report["id"]
    near = {cid}
    for a, b, _ in edges_of(list(by_id.values())):
        if a == cid:
            near.add(b)
        if b == cid:
            near.add(a)
    return [by_id[i] for i in by_id if i in near]


LEGEND = ("<p class='legend'><span class='sw ok'></span>verified <span class='sw bad'></span>refuted "
          "<span class='sw open'></span>other · grey arrow: uses · <span class='red'>red dashed</span>: corrected "
          "form of · <span class='blue'>blue dotted</span>: a reading of</p>")
