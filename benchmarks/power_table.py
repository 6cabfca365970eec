"""The power of every numeric check of a saved run, as a Markdown table: the smallest error each check is
built to detect (relative error of a mean, difference in probability, order deficit) and, for bounds, the worst
ratio found.

    theorycheck verify --json > run.json
    python benchmarks/power_table.py run.json [--summary]
"""
from __future__ import annotations

import argparse
import json
import statistics
from collections import defaultdict

MEASURES = {"min_detectable_relative_error": "smallest relative error detected (90% power)",
            "min_detectable_difference": "smallest difference in probability detected",
            "min_detectable_order_deficit": "smallest order deficit detected",
            "worst_ratio": "worst ratio found (bound)"}


def rows_of(run: dict) -> list[dict]:
    rows = []
    for c in run["claims"]:
        for ch in c.get("checks") or []:
            det = ch.get("details") or {}
            for key in MEASURES:
                if isinstance(det.get(key), (int, float)):
                    rows.append({"paper": c["paper"], "claim": c["id"], "check": ch["name"], "measure": key,
                                 "value": det[key], "status": ch["status"]})
    return rows


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("run")
    p.add_argument("--summary", action="store_true", help="one row per paper and measure")
    args = p.parse_args(argv)
    rows = rows_of(json.load(open(args.run)))
    if args.summary:
        by = defaultdict(list)
        for r in rows:
            by[(r["paper"], r["measure"])].append(r["value"])
        print("| paper | measure | checks | median | largest |\n|---|---|---|---|---|")
        for (paper, key), v in sorted(by.items()):
            print(f"| {paper} | {MEASURES[key]} | {len(v)} | {statistics.median(v):.3g} | {max(v):.3g} |")
    else:
        print("| claim | check | measure | value | outcome |\n|---|---|---|---|---|")
        for r in rows:
            print(f"| {r['claim']} | {r['check'][:70]} | {MEASURES[r['measure']]} | {r['value']:.3g} | {r['status']} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
