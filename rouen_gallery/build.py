"""The build: execute (papermill, cached, in parallel) → render (nbconvert) → index → publish.

The site is assembled in a staging folder and swapped in at the end, so an interrupted
build leaves the previous site whole.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tqdm import tqdm

from rouen_opendata import settings as data_settings

from . import cards as cards_mod
from . import site as site_mod
from .cache import ExecutionCache, _digest, cache_key, shared_code_digest, tree_digest
from .entries import Entry, collect_entries
from .execute import Job, JobResult, run_jobs
from .settings import BuildSettings

if TYPE_CHECKING:
    from rouen_opendata.prefetch import SharedRead

    from .assets import WidgetAssets

log = logging.getLogger(__name__)

STATE_FILE = "build-state.json"


@dataclass
class SummaryRow:
    slug: str
    status: str
    seconds: float | None
    cached: bool
    message: str = ""


@dataclass
class BuildSummary:
    rows: list[SummaryRow] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    """Records that could not be read (not in ``rows``)."""
    index: Path | None = None
    unchanged: bool = False
    fallbacks: dict[str, str] = field(default_factory=dict)
    """Dataset key → French reason its live read used the snapshot (live builds)."""
    requests: int | None = None
    """Requests the live build sent to the portals (None for a snapshot build)."""

    @property
    def failures(self) -> list[SummaryRow]:
        return [r for r in self.rows if r.status not in ("ok", "external")]

    @property
    def ok(self) -> bool:
        return not self.failures and not self.problems

    def table(self) -> str:
        lines = [f"{'réutilisation':<40} {'statut':<9} {'secondes':>8}  cache"]
        for r in self.rows:
            seconds = "" if r.seconds is None else f"{r.seconds:8.1f}"
            lines.append(f"{r.slug:<40} {r.status:<9} {seconds:>8}  {'oui' if r.cached else 'non'}")
        for problem in self.problems:
            lines.append(f"fiche illisible : {problem}")
        for r in self.failures:
            lines.append(f"échec {r.slug} : {r.message}")
        for key, reason in sorted(self.fallbacks.items()):
            lines.append(f"repli sur la copie hors ligne {key} : {reason}")
        return "\n".join(lines)


def _read_state(site: Path) -> dict[str, Any]:
    try:
        return json.loads((site / STATE_FILE).read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return {}


def _recover_interrupted_publish(site: Path) -> None:
    backup = site.with_name(site.name + ".old")
    if not site.exists() and backup.exists():
        os.replace(backup, site)


def _publish(staging: Path, site: Path) -> None:
    backup = site.with_name(site.name + ".old")
    if backup.exists():
        shutil.rmtree(backup)
    if site.exists():
        os.replace(site, backup)
    os.replace(staging, site)
    shutil.rmtree(backup, ignore_errors=True)


class Builder:
    """One gallery build with its settings."""

    def __init__(self, settings: BuildSettings):
        self.settings = settings
        self.cache = ExecutionCache(settings.cache_dir)
        self._widgets: WidgetAssets | None = None

    def build(self) -> BuildSummary:
        s = self.settings
        _recover_interrupted_publish(s.site_dir)
        source = data_settings.data_source()
        entries, problems = collect_entries(s.notebooks_dir, s.external_file)
        self._reads = self._prefetch(entries, source)
        fallbacks = {k: r.reason for k, r in self._reads.items() if r.reason}
        shared = shared_code_digest(s.shared_code)
        keys: dict[str, tuple[str, dict[str, Any]]] = {}
        for entry in entries:
            if entry.notebook is not None:
                keys[entry.slug] = cache_key(
                    entry.notebook,
                    entry.parameters,
                    entry.datasets,
                    shared,
                    source,
                    s.default_timeout or entry.record.timeout,
                    self._reads or None,
                )
        site_key = _digest(
            {
                "entries": {slug: key for slug, (key, _) in keys.items()},
                "problems": problems,
                # Titles, descriptions, tags: the pages and cards, not the runs.
                "records": [(e.slug, e.record.model_dump(mode="json")) for e in entries],
                "site": tree_digest(s.templates_dir, s.assets_dir, Path(__file__).parent),
                "urls": [s.site_url, s.voila_url, s.binder_url, s.thumbnails],
            }
        )
        previous = _read_state(s.site_dir)
        if (
            s.use_cache
            and previous.get("site_key") == site_key
            and (s.site_dir / "index.html").exists()
        ):
            rows = [SummaryRow(**r) for r in previous.get("rows", [])]
            for row in rows:
                row.cached = True
            return BuildSummary(
                rows, problems, s.site_dir / "index.html", True, fallbacks, self._requests
            )

        results = self._execute(entries, keys, source)
        staging = s.site_dir.with_name(f".{s.site_dir.name}.tmp-{os.getpid()}")
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        try:
            summary = self._assemble(staging, entries, keys, results, problems, previous)
            from .compress import precompress

            precompress(staging, s.cache_dir)
            summary.fallbacks, summary.requests = fallbacks, self._requests
            state = {
                "site_key": site_key,
                "built_at": datetime.now().isoformat(timespec="seconds"),
                "rows": [r.__dict__ for r in summary.rows],
                "datasets": self._dataset_states,
            }
            (staging / STATE_FILE).write_text(
                json.dumps(state, ensure_ascii=False, indent=1), encoding="utf-8"
            )
            _publish(staging, s.site_dir)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        summary.index = s.site_dir / "index.html"
        return summary

    def _prefetch(self, entries: list[Entry], source: str) -> dict[str, SharedRead]:
        """A live build reads each dataset once, here, for every notebook (see
        :mod:`rouen_opendata.prefetch`); a snapshot build reads nothing ahead."""
        self._requests: int | None = None
        if source != "live":
            return {}
        from rouen_opendata.prefetch import prefetch, requests_sent

        keys = sorted({k for e in entries if e.notebook is not None for k in e.datasets})
        before = requests_sent()
        reads = prefetch(keys, self._prefetch_dir)
        self._requests = requests_sent() - before
        return reads

    @property
    def _prefetch_dir(self) -> Path:
        return self.settings.cache_dir / "live"

    def _job_env(self, source: str) -> dict[str, str]:
        env = {"OPENDATA_SOURCE": source}
        if source == "live":
            env["OPENDATA_PREFETCH_DIR"] = str(self._prefetch_dir)
        return env

    def _execute(self, entries: list[Entry], keys: dict, source: str) -> dict[str, JobResult]:
        s = self.settings
        results: dict[str, JobResult] = {}
        self._cached: set[str] = set()
        jobs = []
        for entry in entries:
            if entry.notebook is None:
                continue
            key, _ = keys[entry.slug]
            if entry.problem:
                results[entry.slug] = JobResult(entry.slug, "failed", 0.0, entry.problem)
            elif s.use_cache and self.cache.has_run(entry.slug, key):
                # Same key, same outcome: a failure is not retried until something changes.
                info = self.cache.info(entry.slug)
                results[entry.slug] = JobResult(
                    entry.slug, info["status"], info.get("seconds", 0.0), info.get("message", "")
                )
                self._cached.add(entry.slug)
            else:
                if self._widgets is None:
                    from .assets import widget_assets

                    self._widgets = widget_assets()
                out = s.cache_dir / entry.slug / "run.ipynb"
                out.parent.mkdir(parents=True, exist_ok=True)
                jobs.append(
                    Job(
                        entry.slug,
                        entry.notebook,
                        out,
                        entry.parameters,
                        s.default_timeout or entry.record.timeout,
                        s.kernel_name,
                        self._job_env(source),
                        {
                            "cache_dir": str(s.cache_dir),
                            "templates_dir": str(s.templates_dir),
                            "widgets": asdict(self._widgets),
                            "slug": entry.slug,
                            "title": entry.title,
                        },
                    )
                )
        if jobs:
            bar = tqdm(
                total=len(jobs),
                desc="Exécution des notebooks",
                unit="nb",
                disable=not s.progress,
                leave=False,
            )
            by_slug = {job.slug: job for job in jobs}

            def done(result: JobResult) -> None:
                bar.update(1)
                bar.set_postfix_str(f"{result.slug}: {result.status}")
                key, parts = keys[result.slug]
                self.cache.store(
                    result.slug,
                    key,
                    parts,
                    by_slug[result.slug].output if result.status == "ok" else None,
                    result.status,
                    {
                        "seconds": result.seconds,
                        "message": result.message,
                        "run_at": datetime.now().isoformat(timespec="seconds"),
                    },
                )

            for result in run_jobs(jobs, s.jobs, on_done=done):
                results[result.slug] = result
            bar.close()
        return results

    def _datasets(self, keys: list[str], site: Path, previous: dict) -> dict:
        from .datasets import copy_dataset_files, dataset_info, describe_change

        infos = {}
        self._dataset_states: dict[str, Any] = {}
        source = data_settings.data_source()
        for key in sorted(set(keys)):
            try:
                info = dataset_info(key, source, self._reads.get(key))
            except Exception as exc:  # noqa: BLE001 - shown on the page, the build goes on
                log.warning("dataset %s unavailable: %s", key, exc)
                continue
            info.change = describe_change(previous.get("datasets", {}).get(key), info.state)
            self._dataset_states[key] = info.state
            copy_dataset_files(info, site)
            infos[key] = info
        return infos

    def _assemble(
        self,
        site: Path,
        entries: list[Entry],
        keys: dict,
        results: dict[str, JobResult],
        problems: list[str],
        previous: dict,
    ) -> BuildSummary:
        # nbconvert is slow to import: only a build that renders pays for it.
        from .assets import copy_assets
        from .pages import PageBodies
        from .render import fill_page

        s = self.settings
        widgets = copy_assets(s.assets_dir, site, self._widgets)
        bodies = PageBodies(s.cache_dir, s.templates_dir, widgets)
        env = site_mod.environment(s.templates_dir)
        infos = self._datasets([k for e in entries for k in e.datasets], site, previous)
        pages_dir = site / "reutilisations"
        pages_dir.mkdir()
        (site / "thumbnails").mkdir()
        build_date = site_mod.now_fr()
        states: list[site_mod.PageState] = []
        summary = BuildSummary(problems=problems)
        rendered: dict[Path, site_mod.PageState] = {}
        for entry in entries:
            datasets = [infos[k] for k in entry.datasets if k in infos]
            state = site_mod.PageState(entry, datasets)
            states.append(state)
            if entry.notebook is None:
                state.status = "external"
                summary.rows.append(SummaryRow(entry.slug, "external", None, False))
                continue
            result = results[entry.slug]
            info = self.cache.info(entry.slug)
            state.cached = entry.slug in self._cached
            state.status = result.status
            state.message = result.message
            state.seconds = result.seconds
            executed = self.cache.executed(entry.slug, keys[entry.slug][0])
            if state.status == "ok":
                state.run_date = _fr_date(info.get("run_at"))
            else:
                last = self.cache.last_good(entry.slug)
                if last:
                    executed = last[0]
                    state.shows_last_good = True
                    state.last_good_date = _fr_date(last[1].get("run_at"))
            summary.rows.append(
                SummaryRow(entry.slug, state.status, state.seconds, state.cached, state.message)
            )
            shutil.copy2(entry.notebook, pages_dir / entry.notebook.name)
            page = pages_dir / f"{entry.slug}.html"
            context = {
                "entry": site_mod.page_context(state, s.voila_url, s.binder_url),
                "build_date": build_date,
                "jsonld": site_mod.json_ld(state, s.site_url),
            }
            body, state.page_key = bodies.body(
                entry.slug, executed or _empty_notebook(s.cache_dir), entry.title
            )
            html = fill_page(
                body,
                env.get_template("page_head.html").render(context),
                env.get_template("page_header.html").render(context),
                env.get_template("page_footer.html").render(context),
            )
            page.write_text(html, encoding="utf-8")
            rendered[page] = state
        from .pictures import add_widget_pictures

        add_widget_pictures(
            {page: (st.entry.slug, st.page_key) for page, st in rendered.items()}, s.cache_dir
        )
        self._thumbnails(site, states, rendered)
        updates = {k: i.change for k, i in infos.items() if i.change}
        titles = {k: i.title for k, i in infos.items()}
        index = cards_mod.render_index(env, states, updates, titles, build_date)
        (site / "index.html").write_text(index, encoding="utf-8")
        health = cards_mod.render_health(env, states, build_date)
        (site / cards_mod.HEALTH_PAGE).write_text(health, encoding="utf-8")
        catalog = {
            "title": "Réutilisations des données de la Métropole Rouen Normandie",
            "generated_at": datetime.now().isoformat(timespec="seconds"),
            "reuses": [site_mod.catalog_record(st, s.site_url) for st in states],
        }
        (site / "catalog.json").write_text(
            json.dumps(catalog, ensure_ascii=False, indent=1), encoding="utf-8"
        )
        self._feeds(site, infos, states)
        return summary

    def _feeds(self, site: Path, infos: dict, states: list[site_mod.PageState]) -> None:
        """This build's dataset changes into the feed history, then the Atom feeds."""
        from .feed import DatasetUpdate, now_iso, record_updates, write_feeds

        built_at = now_iso()
        updates = [
            DatasetUpdate(
                key,
                info.title,
                info.change,
                built_at,
                info.data_date_iso,
                [
                    {"title": st.entry.title, "href": st.href}
                    for st in states
                    if key in st.entry.datasets and st.status == "ok" and not st.cached
                ],
            )
            for key, info in sorted(infos.items())
            if info.change
        ]
        history = record_updates(self.settings.cache_dir, updates)
        titles = {key: info.title for key, info in infos.items()}
        write_feeds(site, history, titles, self.settings.site_url)

    def _thumbnails(self, site: Path, states: list, rendered: dict) -> None:
        """Card pictures for the pages that changed; the others keep their cached shot."""
        from .thumbnails import card_thumbnails

        card_thumbnails(self.settings, site, states, rendered)


def _fr_date(iso: str | None) -> str | None:
    if not iso:
        return None
    return datetime.fromisoformat(iso).strftime("%d/%m/%Y %H:%M")


def _empty_notebook(cache_dir: Path) -> Path:
    import nbformat

    path = cache_dir / "empty.ipynb"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nbformat.v4.new_notebook(), path)
    return path
