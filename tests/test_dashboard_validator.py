"""One schema, one validator: the build, a dashboard's address and the contribution checker
all check parameter values with :func:`dashboard.schema.parameter_problems`.

Each path is fed the same wrong values — a name the notebook does not declare, a value of
the wrong type — and must refuse both with the validator's own words; then the validator is
replaced by one that refuses everything, and each path must refuse a value it accepted:
no path has a check of its own that would let a value through without it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import nbformat
import pytest

from dashboard import schema
from dashboard.address import parse_query
from dashboard.exceptions import ParameterError
from rouen_gallery.contribute.checks.parameters import check_variants
from rouen_gallery.contribute.validate import ValidationSettings, read_notebook
from rouen_gallery.entries import notebook_entries

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "arbres-remarquables.ipynb"
WRONG = {"forest": "Roumare", "foret": 3}
"""An unknown name and a number where the notebook declares text."""
GOOD = {"essence": "Hêtre commun"}


def _declared() -> dict[str, schema.Parameter]:
    return schema.notebook_parameters(nbformat.read(NOTEBOOK, as_version=4))


def _with_variant(tmp_path: Path, parameters: dict[str, Any]) -> Path:
    """The notebook with one variant setting ``parameters``."""
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    variant = dict(nb["metadata"]["reuse"]["variants"][0], slug="essai", parameters=parameters)
    nb["metadata"]["reuse"]["variants"] = [variant]
    path = tmp_path / NOTEBOOK.name
    path.write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    return path


def _build_problem(path: Path) -> str | None:
    """The build's verdict on the notebook's variant (None: accepted)."""
    return notebook_entries(path)[1].problem


def _url_problems(parameters: dict[str, Any]) -> list[str]:
    query = "&".join(f"{name}={value}" for name, value in parameters.items())
    return [str(p) for p in parse_query(query, _declared(), {})[1]]


def _checker_codes(path: Path) -> list[str]:
    nb = read_notebook(path, ValidationSettings(), frozenset())
    assert not hasattr(nb, "code"), nb  # a Notebook, not a Problem
    return [p.code for p in check_variants(nb)]


def _validator_words(values: dict[str, Any]) -> list[str]:
    return [str(p) for p in schema.parameter_problems(values, _declared())[1]]


def test_the_validator_types_values_and_names_each_refusal() -> None:
    typed, problems = schema.parameter_problems(
        {"foret": "Verte", "essence": 3, "x": 1}, _declared()
    )
    assert typed == {"foret": "Verte"}
    assert [(p.code, p.name) for p in problems] == [
        ("unknown-parameter", "x"),
        ("parameter-type", "essence"),
    ]
    with pytest.raises(ParameterError, match="paramètre inconnu : x"):
        schema.validate_parameters({"x": 1}, _declared())


def test_the_build_refuses_with_the_validators_words(tmp_path: Path) -> None:
    problem = _build_problem(_with_variant(tmp_path, WRONG))
    assert problem is not None
    for words in _validator_words(WRONG):
        assert words in problem
    assert _build_problem(_with_variant(tmp_path, GOOD)) is None


def test_the_address_refuses_with_the_validators_words() -> None:
    # The URL carries text: « 3 » is a valid text, so only the unknown name is wrong there.
    problems = _url_problems(WRONG)
    assert problems == [w.rstrip(".") for w in _validator_words({"forest": "Roumare"})]
    assert _url_problems(GOOD) == []


def test_the_checker_refuses_what_the_validator_refuses(tmp_path: Path) -> None:
    assert _checker_codes(_with_variant(tmp_path, WRONG)) == [
        "unknown-variant-parameter",
        "variant-parameter-type",
    ]
    assert _checker_codes(_with_variant(tmp_path, GOOD)) == []


def test_every_path_goes_through_the_one_validator(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse_everything(
        values: dict[str, Any], declared: dict[str, schema.Parameter]
    ) -> tuple[dict[str, Any], list[ParameterError]]:
        problems = [ParameterError(f"refusé : {n}", "parameter-type", name=n) for n in values]
        return {}, problems

    path = _with_variant(tmp_path, GOOD)
    monkeypatch.setattr(schema, "parameter_problems", refuse_everything)
    assert _build_problem(path) == "Variante « essai » : refusé : essence"
    assert _url_problems(GOOD) == ["refusé : essence"]
    assert _checker_codes(path) == ["variant-parameter-type"]
