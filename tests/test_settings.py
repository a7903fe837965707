"""One settings module: every environment variable declared, read when used, documented."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest

import build_gallery
from rouen_gallery.settings import BuildSettings
from rouen_opendata import settings

ROOT = Path(__file__).resolve().parent.parent
# Set by Jupyter or Voilà for a kernel, or the convention of another tool (Lighthouse's
# CHROME_PATH): read, not declared by this project.
SET_BY_OTHERS = {"VOILA_PREHEAT", "QUERY_STRING", "SCRIPT_NAME", "JUPYTER_PATH", "CHROME_PATH"}
# os.environ.get("X"), os.getenv("X"), os.environ["X"] (not an assignment to it)
_ENV_READ = re.compile(
    r"""os\.(?:environ\.get\(|getenv\(|environ\[)\s*["']([A-Z][A-Z0-9_]*)["'](?!\]\s*=[^=])"""
)


def _project_sources() -> list[Path]:
    skipped = {".venv", "node_modules", "tests", ".cache", "_site"}
    return [
        path
        for path in ROOT.rglob("*.py")
        if not skipped & set(path.relative_to(ROOT).parts) and path.name != "settings.py"
    ]


def test_every_variable_the_project_reads_is_declared_in_the_settings_module():
    declared = {variable.name for variable in settings.VARIABLES}
    read_elsewhere = {
        (name, path.relative_to(ROOT).as_posix())
        for path in _project_sources()
        for name in _ENV_READ.findall(path.read_text(encoding="utf-8"))
        if name not in SET_BY_OTHERS
    }
    # The settings module is the only reader: any other module naming a variable
    # would be a second place to document it.
    assert read_elsewhere == set(), f"read outside rouen_opendata/settings.py: {read_elsewhere}"
    assert {"OPENDATA_PORTAL_URL", "OPENDATA_SOURCE", "PORT", "GALLERY_CACHE_DIR"} <= declared


def test_one_prefix_scheme():
    names = [variable.name for variable in settings.VARIABLES]
    assert len(names) == len(set(names))
    assert all(re.fullmatch(r"(OPENDATA|GALLERY)_[A-Z_<>]+|PORT", name) for name in names)


def test_values_are_read_when_used_not_at_import(monkeypatch, tmp_path):
    monkeypatch.setenv("OPENDATA_SOURCE", "live")
    monkeypatch.setenv("OPENDATA_PORTAL_URL", "http://portal.test/")
    monkeypatch.setenv("OPENDATA_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("GALLERY_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("GALLERY_SITE_URL", "https://galerie.test/")
    monkeypatch.setenv("GALLERY_VOILA_URL", "https://voila.test")
    monkeypatch.setenv("PORT", "9001")
    assert settings.data_source() == "live"
    assert settings.portal_url() == "http://portal.test"
    assert settings.data_dir() == tmp_path
    assert settings.port() == 9001
    build = BuildSettings()
    assert build.cache_dir == tmp_path / "cache"
    assert (build.site_url, build.voila_url) == ("https://galerie.test/", "https://voila.test")
    assert build_gallery.parser().parse_args(["serve"]).port == 9001
    monkeypatch.delenv("OPENDATA_SOURCE")
    monkeypatch.delenv("PORT")
    assert settings.data_source() == "snapshot"
    assert settings.port() == 8866


def test_former_names_still_work_with_a_deprecation_line(monkeypatch, caplog):
    monkeypatch.delenv("GALLERY_VOILA_POOL_SIZE", raising=False)
    monkeypatch.setenv("ROUEN_VOILA_POOL_SIZE", "3")
    monkeypatch.setattr(settings, "_warned", set())
    with caplog.at_level(logging.WARNING, logger=settings.__name__):
        assert settings.voila_pool_size() == 3
        assert settings.voila_pool_size() == 3
    lines = [r.getMessage() for r in caplog.records if r.name == settings.__name__]
    assert lines == ["ROUEN_VOILA_POOL_SIZE is deprecated: set GALLERY_VOILA_POOL_SIZE instead."]
    # The current name wins over the former one.
    monkeypatch.setenv("GALLERY_VOILA_POOL_SIZE", "2")
    assert settings.voila_pool_size() == 2


@pytest.mark.parametrize(
    ("name", "value", "reader"),
    [
        ("OPENDATA_SOURCE", "cloud", settings.data_source),
        ("PORT", "huit", settings.port),
        ("OPENDATA_READ_TIMEOUT", "long", settings.timeouts),
    ],
)
def test_unusable_values_are_refused_with_the_variable_named(monkeypatch, name, value, reader):
    monkeypatch.setenv(name, value)
    with pytest.raises(settings.SettingError, match=f"{name}={value!r}"):
        reader()


def test_help_documents_every_command_and_every_variable():
    text = build_gallery.parser().format_help()
    commands = build_gallery.parser()._subparsers._group_actions[0].choices
    for command in commands:
        assert re.search(rf"^  {command} ", text, re.M), command
    for variable in settings.VARIABLES:
        assert variable.name in text
        assert all(former in text for former in variable.former)
