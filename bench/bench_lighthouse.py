"""Lighthouse and axe-core on the built gallery, as a phone visitor gets it.

Lighthouse 12.2.3 (pinned in ``bench/package.json``; ``npm ci --prefix bench``) runs with
its mobile profile (slow 4G, 4× CPU slowdown, 412 px screen) against Debian's Chromium
(``CHROME_PATH``) on the index and three reuse pages, served over HTTP on the loopback
as a static host serves them (pre-compressed files, immutable hashed assets). It prints
the four category scores per page. axe-core (``tests/browser``) then counts violations
of any impact on the index and two pages.

Usage::

    python bench/bench_lighthouse.py                  # gallery/_site, built beforehand
    python bench/bench_lighthouse.py --site path/to/site --pages index.html reutilisations/x.html

Exits 1 when a page misses the targets of the gallery and citizen-scale issues (index:
99/100/100/100; reuse pages: performance ≥ 90, Speed Index ≤ 3.4 s, Total Blocking Time
≤ 200 ms, accessibility 100, best practices and SEO ≥ 95; axe: no violation).
``--pages`` takes paths, ``all`` (the index and every reuse page with its own notebook) or
``every`` (the index and every reuse page, variants included).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rouen_gallery.static_server import serving  # noqa: E402
from rouen_gallery.thumbnails import CHROMIUM_ARGS, chromium_path  # noqa: E402

LIGHTHOUSE = ROOT / "bench" / "node_modules" / ".bin" / "lighthouse"
AXE = ROOT / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
CATEGORIES = {
    "performance": "Performance",
    "accessibility": "Accessibility",
    "best-practices": "Best practices",
    "seo": "SEO",
}
DEFAULT_PAGES = [
    "index.html",
    "reutilisations/arbres-remarquables.html",
    "reutilisations/comptages-velo.html",
    "reutilisations/carte-croisee.html",
]
AXE_PAGES = 3
"""The index and the first two reuse pages."""
TARGETS = {
    "index": {"performance": 99, "accessibility": 100, "best-practices": 100, "seo": 100},
    "reuse": {"performance": 90, "accessibility": 100, "best-practices": 95, "seo": 95},
}
METRICS = {"speed-index": ("Speed Index", 3400), "total-blocking-time": ("TBT", 200)}
"""Lighthouse metrics printed beside the scores, with the citizen-scale issue's ceilings (ms)."""


def lighthouse(url: str, chrome: str, out: Path) -> dict[str, int]:
    """Lighthouse's mobile run of one page: category → score out of 100, and the
    ``METRICS`` in ms."""
    env = {**os.environ, "CHROME_PATH": chrome}
    command = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={out}",
        "--form-factor=mobile",
        f"--only-categories={','.join(CATEGORIES)}",
        "--chrome-flags=--headless --no-sandbox --disable-gpu",
    ]
    # On a loaded machine Lighthouse may lose its DevTools connection: one more try.
    for _attempt in range(2):
        done = subprocess.run(command, env=env, timeout=600, capture_output=True, text=True)
        if done.returncode == 0:
            break
    else:
        raise RuntimeError(done.stderr.strip().splitlines()[-1] if done.stderr else "échec")
    report = json.loads(out.read_text(encoding="utf-8"))
    scores = {key: round(report["categories"][key]["score"] * 100) for key in CATEGORIES}
    return scores | {key: round(report["audits"][key]["numericValue"]) for key in METRICS}


def axe_violations(url: str, chrome: str) -> list[str]:
    """axe-core's violations of any impact on one page, once its widgets are drawn."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chrome, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(url, wait_until="load")
            page.wait_for_timeout(3000)
            page.add_script_tag(path=str(AXE))
            result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        finally:
            browser.close()
    return [
        f"{v['id']} ({v['impact']}, {len(v['nodes'])} nœud(s)): {v['help']}"
        for v in result["violations"]
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=ROOT / "gallery" / "_site")
    parser.add_argument("--pages", nargs="+", default=DEFAULT_PAGES)
    args = parser.parse_args(argv)
    if args.pages == ["all"]:
        notebooks = (args.site / "reutilisations").glob("*.ipynb")
        args.pages = ["index.html"] + sorted(f"reutilisations/{nb.stem}.html" for nb in notebooks)
    elif args.pages == ["every"]:
        pages = (args.site / "reutilisations").glob("*.html")
        args.pages = ["index.html"] + sorted(f"reutilisations/{p.name}" for p in pages)

    chrome = os.environ.get("CHROME_PATH") or chromium_path()
    if chrome is None:
        print("Chromium introuvable : installez chromium ou indiquez CHROME_PATH.")
        return 2
    if not LIGHTHOUSE.exists():
        print("Lighthouse n'est pas installé : npm ci --prefix bench")
        return 2
    missing = [p for p in args.pages if not (args.site / p).exists()]
    if missing:
        print(f"Pages absentes de {args.site} : {', '.join(missing)} (make gallery d'abord).")
        return 2

    failures: list[str] = []
    measured: list[dict[str, int]] = []
    work = Path(tempfile.mkdtemp(prefix="lighthouse-"))
    try:
        with serving(args.site) as base:
            width = max(45, *(len(p) + 2 for p in args.pages))
            header = (
                f"{'page':<{width}}"
                + "".join(f"{label:>16}" for label in CATEGORIES.values())
                + "".join(f"{label + ' ms':>16}" for label, _ in METRICS.values())
            )
            print("Lighthouse 12.2.3, profil mobile")
            print(header)
            for i, path in enumerate(args.pages):
                try:
                    scores = lighthouse(base + path, chrome, work / f"report-{i}.json")
                except (RuntimeError, subprocess.TimeoutExpired) as exc:
                    print(f"{path:<{width}}Lighthouse a échoué : {exc}")
                    failures.append(f"{path}: pas de mesure")
                    continue
                columns = "".join(f"{scores[k]:>16}" for k in [*CATEGORIES, *METRICS])
                print(f"{path:<{width}}{columns}")
                if path != "index.html":
                    measured.append(scores)
                targets = TARGETS["index" if path == "index.html" else "reuse"]
                failures += [
                    f"{path}: {CATEGORIES[k]} {scores[k]} < {target}"
                    for k, target in targets.items()
                    if scores[k] < target
                ]
                if path != "index.html":
                    failures += [
                        f"{path}: {label} {scores[k]} ms > {ceiling} ms"
                        for k, (label, ceiling) in METRICS.items()
                        if scores[k] > ceiling
                    ]
            if measured:
                print(
                    f"{len(measured)} pages de réutilisation : Performance "
                    f"{min(m['performance'] for m in measured)} à "
                    f"{max(m['performance'] for m in measured)}, "
                    + ", ".join(
                        f"{label} {min(m[k] for m in measured)} à {max(m[k] for m in measured)} ms"
                        for k, (label, _) in METRICS.items()
                    )
                )
            if AXE.exists():
                print("\naxe-core : violations de tout niveau")
                for path in args.pages[:AXE_PAGES]:
                    found = axe_violations(base + path, chrome)
                    print(f"{path:<{width}}{len(found):>16}")
                    for line in found:
                        print(f"    {line}")
                    failures += [f"{path}: axe {line}" for line in found]
            else:
                print("\naxe-core absent (npm ci --prefix tests/browser) : vérification sautée.")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for line in failures:
        print(f"sous l'objectif : {line}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
