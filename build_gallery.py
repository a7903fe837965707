#!/usr/bin/env python3
"""Galerie des réutilisations — build, serve and check the reuse notebooks.

Commands:
  build      execute the notebooks (papermill, cached, in parallel) and write the static
             site into gallery/_site/ (index.html, one page per reuse, catalog.json)
  serve      start the live Voilà dashboards on 127.0.0.1 (port 8866, PORT overrides)
  list       list the gallery entries (notebooks, variants, external links)
  refresh    download live data into the snapshots (data/snapshots/), reporting changes
  new        start a reuse notebook from the template: notebooks/<slug>.ipynb
  validate   check contributions (notebooks, gallery/external.yaml) and list every
             problem with its fix, in French; exit 1 if any (CI runs it with execution)
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

from dashboard.exceptions import DashboardError
from rouen_gallery.exceptions import GalleryError
from rouen_gallery.settings import BuildSettings
from rouen_opendata import settings as env
from rouen_opendata.exceptions import OpenDataError

log = logging.getLogger("build_gallery")


def _cmd_build(args: argparse.Namespace) -> int:
    from rouen_gallery.build import Builder

    settings = BuildSettings(
        strict=args.strict,
        use_cache=not args.no_cache,
        thumbnails=args.thumbnails,
        progress=not args.quiet,
    )
    if args.jobs:
        settings.jobs = args.jobs
    if args.timeout:
        settings.default_timeout = args.timeout
    if args.site_dir:
        settings.site_dir = Path(args.site_dir).resolve()
    if args.notebooks:
        settings.notebooks_dir = Path(args.notebooks).resolve()
    start = time.monotonic()
    summary = Builder(settings).build()
    elapsed = time.monotonic() - start
    print(summary.table())
    if summary.unchanged:
        print(f"\nRien n'a changé depuis la dernière construction ({elapsed:.2f} s).")
    else:
        print(f"\nGalerie construite en {elapsed:.1f} s.")
    print(f"Ouvrir : {summary.index}")
    if summary.failures or summary.problems:
        print(f"{len(summary.failures) + len(summary.problems)} échec(s) : voir ci-dessus.")
        if settings.strict:
            return 1
    return 0


def _cmd_list(args: argparse.Namespace) -> int:
    from rouen_gallery.entries import collect_entries

    settings = BuildSettings()
    entries, problems = collect_entries(settings.notebooks_dir, settings.external_file)
    for entry in entries:
        where = entry.notebook.name if entry.notebook else str(entry.record.url)
        params = ", ".join(f"{k}={v!r}" for k, v in entry.parameters.items())
        print(
            f"{entry.slug:<40} {where}  {params}{'  ⚠ ' + entry.problem if entry.problem else ''}"
        )
    for problem in problems:
        print(f"⚠ {problem}")
    return 1 if problems else 0


def _cmd_serve(args: argparse.Namespace) -> int:
    from rouen_gallery.serve import serve

    return serve(port=args.port)


def _cmd_refresh(args: argparse.Namespace) -> int:
    from rouen_opendata.refresh import refresh

    changes = refresh(args.keys or None)
    for change in changes:
        print(change)
    return 0 if all(not c.startswith("échec") for c in changes) else 1


def _cmd_new(args: argparse.Namespace) -> int:
    from rouen_gallery.contribute.scaffold import NewReuse, create_notebook, next_steps

    request = NewReuse(
        args.title, args.theme, args.dataset or [], args.author or [], Path(args.notebooks_dir)
    )
    print(next_steps(create_notebook(request)))
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    from rouen_gallery.contribute.validate import ValidationSettings, format_report, validate_paths

    settings = ValidationSettings(
        notebooks_dir=Path(args.notebooks_dir).resolve(),
        external_file=Path(args.external).resolve(),
        run=not args.no_run,
    )
    if args.jobs:
        settings.jobs = args.jobs
    if not args.verbose:
        # The report says which runs failed and why; the runner's warnings would repeat it.
        logging.getLogger("rouen_gallery.execute").setLevel(logging.ERROR)
    if settings.run:
        print(
            "Exécution des notebooks sur les données embarquées (--no-run pour s'en passer)…",
            file=sys.stderr,
        )
    report = validate_paths([Path(p) for p in args.paths], settings)
    print(format_report(report))
    return 0 if report.ok else 1


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog="build_gallery.py",
        description=__doc__.split("\n\n")[0],
        # The environment part comes from the settings module, so the two cannot drift.
        epilog=__doc__.split("\n\n", 1)[1] + "\n" + env.help_text(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    root.add_argument("-v", "--verbose", action="store_true", help="detailed logs (English)")
    sub = root.add_subparsers(dest="command", required=True, metavar="COMMAND")

    b = sub.add_parser("build", help="execute the notebooks and build the static gallery")
    b.add_argument(
        "-j", "--jobs", type=int, help="notebooks executed at once (default: one per core)"
    )
    b.add_argument(
        "--timeout", type=int, help="seconds per notebook, overriding each record's timeout"
    )
    b.add_argument("--strict", action="store_true", help="exit 1 if any notebook fails (CI)")
    b.add_argument("--no-cache", action="store_true", help="re-execute every notebook")
    b.add_argument(
        "--thumbnails",
        choices=("auto", "browser", "drawn"),
        default="auto",
        help="card images: Chromium screenshots when available (auto), or drawn",
    )
    b.add_argument("--site-dir", help="output folder (default gallery/_site)")
    b.add_argument(
        "--notebooks",
        "--notebooks-dir",
        dest="notebooks",
        help="folder of reuse notebooks (default notebooks/)",
    )
    b.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    b.set_defaults(func=_cmd_build)

    s = sub.add_parser("serve", help="start the live Voilà dashboards")
    s.add_argument(
        "--port",
        type=int,
        default=env.port(),
        help="port on 127.0.0.1 (default 8866, or $PORT)",
    )
    s.set_defaults(func=_cmd_serve)

    ls = sub.add_parser("list", help="list gallery entries and their parameters")
    ls.set_defaults(func=_cmd_list)

    r = sub.add_parser("refresh", help="download live data into the snapshots")
    r.add_argument("keys", nargs="*", help="registry keys (default: every real dataset)")
    r.set_defaults(func=_cmd_refresh)

    from rouen_gallery.record import THEMES

    n = sub.add_parser("new", help="start a reuse notebook from the template")
    n.add_argument("title", help='title of the reuse, e.g. "Où recharger sa voiture ?"')
    n.add_argument(
        "--theme", choices=THEMES, default="Exploration", help="gallery theme (default Exploration)"
    )
    n.add_argument(
        "--dataset",
        action="append",
        metavar="KEY",
        help="registry key of a dataset the notebook loads (repeatable; see data/registry.yaml)",
    )
    n.add_argument("--author", action="append", help="author shown on the card (repeatable)")
    n.add_argument(
        "--notebooks-dir",
        default=str(BuildSettings.notebooks_dir),
        help="where the notebook is written (default notebooks/)",
    )
    n.set_defaults(func=_cmd_new)

    v = sub.add_parser("validate", help="check contributions and list every problem")
    v.add_argument(
        "paths",
        nargs="*",
        help="notebooks, folders or external.yaml (default: notebooks/*.ipynb and "
        "gallery/external.yaml)",
    )
    v.add_argument(
        "--no-run", action="store_true", help="skip executing the notebooks (quick check)"
    )
    v.add_argument("-j", "--jobs", type=int, help="notebooks executed at once (default: cores)")
    v.add_argument(
        "--notebooks-dir",
        default=str(BuildSettings.notebooks_dir),
        help="gallery notebooks: checked by default, scanned for duplicate slugs",
    )
    v.add_argument(
        "--external",
        default=str(BuildSettings.external_file),
        help="external reuses file: checked by default, scanned for duplicate slugs",
    )
    v.set_defaults(func=_cmd_validate)
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        return args.func(args)
    except (GalleryError, DashboardError, OpenDataError) as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("Interrompu : la galerie publiée précédemment est intacte.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
