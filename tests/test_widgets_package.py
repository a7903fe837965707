"""``import widgets as w`` reaches every public function and class, and says where it lives."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import widgets


def _modules() -> list[str]:
    return sorted(info.name for info in pkgutil.iter_modules(widgets.__path__))


def _sort_key(name: str) -> tuple[int, str]:
    """CONSTANTS, then Classes, then functions, each alphabetically (ruff's RUF022)."""
    return (0 if name.isupper() else 1 if name[0].isupper() else 2, name)


def test_every_public_function_and_class_is_re_exported():
    missing = []
    for name in _modules():
        module = importlib.import_module(f"widgets.{name}")
        for attribute, value in vars(module).items():
            own = getattr(value, "__module__", None) == module.__name__
            if (
                own
                and not attribute.startswith("_")
                and (inspect.isfunction(value) or inspect.isclass(value))
                and getattr(widgets, attribute, None) is not value
            ):
                missing.append(f"{name}.{attribute}")
    assert missing == []


def test_all_is_sorted_and_every_name_exists():
    assert widgets.__all__ == sorted(widgets.__all__, key=_sort_key)
    assert len(set(widgets.__all__)) == len(widgets.__all__)
    assert all(hasattr(widgets, name) for name in widgets.__all__)


def test_the_docstring_lists_every_module_once():
    lines = [line for line in widgets.__doc__.splitlines() if line.startswith("- ``")]
    assert [line.split("``")[1] for line in lines] == _modules()
