"""The execution cache cannot go stale: a tiny gallery re-runs when what it imports or
reads changes, and only then.

One notebook (tests/fixtures/gallery/ok.ipynb, two entries) is built against copies of
every package a notebook can import and of the data folder, so editing them is safe.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import json
import re
import shutil
from pathlib import Path

import pytest

from rouen_gallery.build import Builder
from rouen_gallery.cache import shared_code_digest
from rouen_gallery.settings import BuildSettings, notebook_packages

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "gallery" / "ok.ipynb"
OK_ENTRIES = {"ok", "ok-grands"}
TREES = "arbres-remarquables"

pytestmark = pytest.mark.slow


def _top_level_packages() -> set[str]:
    """Folders of the repository that Python can import, found without pyproject."""
    return {
        init.parent.name
        for init in ROOT.glob("*/__init__.py")
        if init.parent.name not in {"tests", "scripts", "bench"}
    }


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("cachebuild")
    (tmp / "notebooks").mkdir()
    shutil.copy(FIXTURE, tmp / "notebooks" / FIXTURE.name)
    ignore = shutil.ignore_patterns("__pycache__")
    copies = tuple(
        shutil.copytree(package, tmp / "code" / package.name, ignore=ignore)
        for package in notebook_packages()
    )
    shutil.copytree(ROOT / "data", tmp / "data")
    settings = BuildSettings(
        notebooks_dir=tmp / "notebooks",
        site_dir=tmp / "site",
        cache_dir=tmp / "cache",
        external_file=tmp / "external.yaml",
        shared_code=copies,
        thumbnails="drawn",
        progress=False,
        jobs=2,
    )
    with pytest.MonkeyPatch.context() as patch:
        # The notebooks' kernels inherit it: they read the copied snapshots.
        patch.setenv("OPENDATA_DATA_DIR", str(tmp / "data"))
        summary = Builder(settings).build()
        assert {row.slug: row.status for row in summary.rows} == dict.fromkeys(OK_ENTRIES, "ok")
        yield settings, tmp


def _rerun(settings: BuildSettings) -> set[str]:
    """Entries executed again (not taken from the cache) by a rebuild."""
    summary = Builder(settings).build()
    return set() if summary.unchanged else {row.slug for row in summary.rows if not row.cached}


def test_every_importable_package_is_part_of_the_key():
    assert {path.name for path in notebook_packages()} == _top_level_packages()


def _deepest_module(package: Path) -> Path:
    """A module notebooks do not import by name: the most nested one."""
    return max(package.rglob("*.py"), key=lambda p: (len(p.parts), p.as_posix()))


def test_editing_any_module_of_any_package_changes_the_shared_key(tiny):
    settings, _ = tiny
    first = shared_code_digest(settings.shared_code)
    for package in settings.shared_code:
        module = _deepest_module(package)
        original = module.read_bytes()
        module.write_bytes(original + b"\n# edited\n")
        assert shared_code_digest(settings.shared_code) != first, module
        module.write_bytes(original)
    assert shared_code_digest(settings.shared_code) == first


def test_editing_a_module_no_notebook_names_reruns_every_entry(tiny):
    """``rouen_gallery.checks`` is loaded by the runtime, never imported by a notebook."""
    settings, tmp = tiny
    assert _rerun(settings) == set()
    module = _deepest_module(tmp / "code" / "rouen_gallery")
    module.write_text(module.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert _rerun(settings) == OK_ENTRIES
    assert _rerun(settings) == set()


def test_bytecode_and_files_outside_the_packages_do_not_rerun(tiny):
    settings, tmp = tiny
    package = settings.shared_code[0]
    (package / "__pycache__").mkdir(exist_ok=True)
    (package / "__pycache__" / "stale.cpython-311.pyc").write_bytes(b"\0")
    (tmp / "code" / "notes.txt").write_text("not a package\n", encoding="utf-8")
    assert _rerun(settings) == set()


def _trees_printed(page: Path) -> int:
    (count,) = re.findall(r"ARBRES=(\d+)", page.read_text(encoding="utf-8"))
    return int(count)


def _drop_last_record(path: Path) -> bytes:
    """The file without its last record, in the same format (CSV or JSON)."""
    raw = path.read_bytes()
    if path.suffix == ".json":
        records = json.loads(raw)
        rows = (
            records
            if isinstance(records, list)
            else next(value for value in records.values() if isinstance(value, list))
        )
        rows.pop()
        return json.dumps(records, ensure_ascii=False, indent=1).encode()
    bom = "\ufeff" if raw.startswith(codecs.BOM_UTF8) else ""
    text = raw.decode("utf-8-sig")
    dialect = csv.Sniffer().sniff(text.splitlines()[0])
    rows = list(csv.reader(io.StringIO(text, newline=""), dialect))
    out = io.StringIO(newline="")
    csv.writer(out, dialect, lineterminator="\n").writerows(rows[:-1])
    return (bom + out.getvalue()).encode()


def test_changed_snapshot_with_the_same_modified_date_reruns(tiny):
    """The sample generator writes a fixed ``modified``: the checksum alone must count."""
    settings, tmp = tiny
    folder = tmp / "data" / "snapshots" / TREES
    meta_path = folder / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    (name,) = meta["files"]
    before = _trees_printed(settings.site_dir / "reutilisations" / "ok.html")
    content = _drop_last_record(folder / name)
    (folder / name).write_bytes(content)
    meta["files"][name]["sha256"] = hashlib.sha256(content).hexdigest()
    meta_path.write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    assert json.loads(meta_path.read_text(encoding="utf-8"))["metas"] == meta["metas"]
    assert _rerun(settings) == OK_ENTRIES
    # The page shows the new file's count, not the one cached from the old file.
    assert _trees_printed(settings.site_dir / "reutilisations" / "ok.html") == before - 1
