"""The contributor workflow: ``new`` scaffolds a notebook, ``validate`` lists every problem.

Fixture contributions in tests/fixtures/contributions are named after what is wrong with
them; each test asserts the exact problem codes reported, not just "some problem".
"""

from __future__ import annotations

import base64
import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from rouen_gallery.contribute.checks.secrets import mask
from rouen_gallery.contribute.scaffold import slugify
from rouen_gallery.contribute.validate import (
    Report,
    ValidationSettings,
    format_report,
    validate_paths,
)
from rouen_opendata import load_dataset
from rouen_opendata.personal_data import personal_columns

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures" / "contributions"
CLI = [sys.executable, str(ROOT / "build_gallery.py")]

STATIC = {
    "clean.ipynb": [],
    "no_parameters.ipynb": ["no-parameters"],
    "untyped_parameters.ipynb": ["untyped-parameter"] * 2,
    "outputs_committed.ipynb": ["outputs-committed"],
    "unknown_dataset.ipynb": ["unknown-dataset"],
    "xss_title.ipynb": ["html-in-record"],
    "secret_in_cell.ipynb": ["secret-in-cell"] * 3,
    "too_slow.ipynb": [],  # only a run shows it
    "direct_file_read.ipynb": ["direct-data-access"] * 4,
    "personal_data_column.ipynb": ["personal-data-column"],
    "image_without_alt.ipynb": ["image-without-alt"] * 2,
    "external_reuse_ok.yaml": [],
    "external_reuse_http.yaml": ["external-url-not-https"] * 2,
}
"""Problem codes (with repeats) that ``validate --no-run`` reports for each fixture."""
RUN = {
    "clean.ipynb": [],
    "too_slow.ipynb": ["too-slow"],
    "personal_data_column.ipynb": ["personal-data-column"] * 2,
}
"""Codes once the notebooks run (defaults and variants): the slow fixtures, in one batch."""
SCAFFOLD_TODO = {"placeholder-left"}
"""What a fresh scaffold still needs from its contributor (text to write)."""


def _settings(run: bool = False, notebooks_dir: Path = FIXTURES, **kwargs) -> ValidationSettings:
    return ValidationSettings(
        notebooks_dir=notebooks_dir,
        external_file=FIXTURES / "external_reuse_ok.yaml",
        run=run,
        **kwargs,
    )


def _codes(report: Report, path: Path | None = None) -> list[str]:
    return sorted(p.code for p in report.problems if path is None or p.path == path.resolve())


def _assert_explained(report: Report) -> None:
    for problem in report.problems:
        assert problem.message.strip() and problem.fix.strip(), problem


# --- validate: the fixture contributions, statically -------------------------------------


def test_every_fixture_has_an_expectation():
    assert sorted(p.name for p in FIXTURES.iterdir()) == sorted(STATIC)


@pytest.mark.parametrize("name", sorted(STATIC))
def test_fixture_reports_exactly_its_problems(name):
    report = validate_paths([FIXTURES / name], _settings())
    assert _codes(report) == sorted(STATIC[name]), format_report(report)
    _assert_explained(report)


def test_every_problem_of_every_file_is_listed_at_once():
    report = validate_paths([FIXTURES], _settings())
    expected = sorted(code for name, codes in STATIC.items() for code in codes if "ipynb" in name)
    assert _codes(report) == expected
    text = format_report(report)
    assert text.count(" — ") == sum(1 for n, c in STATIC.items() if c and "ipynb" in n)
    assert "Tout est bon" not in text


def test_secrets_are_never_repeated_in_full():
    report = validate_paths([FIXTURES / "secret_in_cell.ipynb"], _settings())
    text = format_report(report)
    for secret in ("9f8e7d6c5b4a39281706f5e4d3c2b1a0", "0123456789abcdef0123", "AKIAIOSFODNN7"):
        assert secret not in text
    assert mask("9f8e7d6c5b4a39281706f5e4d3c2b1a0") == "9f8e…"


def test_problems_point_at_the_cell_and_line():
    report = validate_paths([FIXTURES / "direct_file_read.ipynb"], _settings())
    messages = [p.message for p in report.problems]
    assert messages[0].startswith(
        "Cellule 5, ligne 2 : lecture directe de données (import requests)"
    )
    assert messages[-1].startswith(
        "Cellule 6, ligne 1 : lecture directe de données (commande shell)"
    )


# --- validate: variations of the clean fixture (cheap, static) ------------------------------


def _clean() -> dict:
    return json.loads((FIXTURES / "clean.ipynb").read_text(encoding="utf-8"))


def _code_cell(source: str, cell_id: str = "ajout") -> dict:
    return {
        "cell_type": "code",
        "id": cell_id,
        "metadata": {},
        "execution_count": None,
        "outputs": [],
        "source": source,
    }


def _params(nb: dict, source: str) -> None:
    nb["cells"][1]["source"] = source


def _variant(nb: dict, parameters: dict) -> None:
    nb["metadata"]["reuse"]["variants"][0]["parameters"] = parameters


def _attachment(nb: dict, size: int) -> None:
    data = base64.b64encode(b"\x89PNG" + b"\0" * size).decode()
    nb["cells"][2]["source"] += "\n\n![Graphique collé](attachment:graphique.png)"
    nb["cells"][2]["attachments"] = {"graphique.png": {"image/png": data}}


VARIATIONS = {
    "record-missing": lambda nb: nb["metadata"].pop("reuse"),
    "record-invalid": lambda nb: nb["metadata"]["reuse"].update(
        description="Court.", theme="Sport"
    ),
    "parameters-not-first": lambda nb: nb["cells"].insert(1, _code_cell("import math")),
    "parameter-not-literal": lambda nb: _params(nb, "hauteur_min: int = 10 * 2  # hauteur (m)"),
    "parameter-default-type": lambda nb: _params(nb, 'hauteur_min: int = "dix"  # hauteur (m)'),
    "parameter-undocumented": lambda nb: _params(nb, "hauteur_min: int = 0"),
    "parameters-invalid": lambda nb: _params(nb, "import os\nhauteur_min: int = 0  # hauteur"),
    "unknown-variant-parameter": lambda nb: _variant(nb, {"hauteur": 30}),
    "variant-parameter-type": lambda nb: _variant(nb, {"hauteur_min": "trente"}),
    "dataset-not-declared": lambda nb: nb["cells"].insert(
        4, _code_cell('communes, p2 = load_dataset("communes-metropole")')
    ),
    "unknown-dataset": lambda nb: nb["cells"].insert(4, _code_cell('x, p = load_dataset("velos")')),
    "syntax-error": lambda nb: nb["cells"].insert(4, _code_cell("def f(:\n    pass")),
    "no-provenance-footer": lambda nb: nb["cells"].pop(),
    "notebook-too-large": lambda nb: nb["cells"][2].update(source="Texte. " * 160_000),
    "image-too-large": lambda nb: _attachment(nb, 400_000),
}


@pytest.mark.parametrize("code", sorted(VARIATIONS))
def test_each_rule_reports_its_code(code, tmp_path):
    nb = _clean()
    VARIATIONS[code](nb)
    path = tmp_path / "contribution.ipynb"
    path.write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    report = validate_paths([path], _settings(notebooks_dir=tmp_path))
    expected = ["record-invalid", "record-invalid"] if code == "record-invalid" else [code]
    assert _codes(report) == expected, format_report(report)
    _assert_explained(report)


def test_look_alikes_are_not_reported(tmp_path):
    """Names and calls that resemble a problem but are not one."""
    nb = _clean()
    nb["cells"].insert(
        4,
        _code_cell(
            "import os\nfrom urllib.parse import urlencode\n\n"
            'dataset_key = "arbres-remarquables"\ntoken_count = 3\n'
            'auth = os.environ.get("OPENDATA_API_KEY", "")\ncle = auth\n'
            'entetes = {"Authorization": f"Apikey {cle}"}\npassword = ""\n'
            'lieux = arbres[["name", "forest"]].rename(columns={"name": "Arbre"})\n'
            'requete = urlencode({"where": "height > 20"})'
        ),
    )
    nb["cells"][2]["source"] += '\n\n<img src="carte.png" alt="Carte des arbres">'
    path = tmp_path / "sosies.ipynb"
    path.write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    report = validate_paths([path], _settings(notebooks_dir=tmp_path))
    assert report.problems == [], format_report(report)


def test_secret_shapes_are_found(tmp_path):
    token = "ghp_" + "".join("aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dE3fG5hJ7"[:36])
    nb = _clean()
    nb["cells"].insert(
        4,
        _code_cell(
            f'url = "https://exemple.org/api?apikey=Zx81Kq09Lm2Ty7Wb"\nGITHUB = "{token}"\n'
            'mot_de_passe = "Rouen1234!"\nconnexion = "postgresql://lea:Secr3t!@db.exemple.org/x"'
        ),
    )
    path = tmp_path / "secrets.ipynb"
    path.write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    report = validate_paths([path], _settings(notebooks_dir=tmp_path))
    assert _codes(report) == ["secret-in-cell"] * 4, format_report(report)


def test_personal_columns_need_a_clear_sign():
    assert personal_columns(["name", "forest"]) == []
    assert personal_columns(["nom", "Prénom", "E-mail", "commune"]) == ["nom", "Prénom", "E-mail"]
    assert personal_columns(["Téléphone"]) == ["Téléphone"]
    assert personal_columns(["nom_commune", "adresse"]) == []


def test_duplicate_slugs_are_refused(tmp_path):
    for name in ("un.ipynb", "deux.ipynb"):
        (tmp_path / name).write_text(json.dumps(_clean()), encoding="utf-8")
    report = validate_paths([tmp_path / "un.ipynb"], _settings(notebooks_dir=tmp_path))
    # The record's slug and its variant's slug are both taken by deux.ipynb.
    assert _codes(report) == ["duplicate-slug"] * 2


def test_unreadable_missing_and_unsupported_files(tmp_path):
    (tmp_path / "casse.ipynb").write_text("{pas du json", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("bonjour", encoding="utf-8")
    paths = [tmp_path / "casse.ipynb", tmp_path / "absent.ipynb", tmp_path / "notes.txt"]
    report = validate_paths(paths, _settings(notebooks_dir=tmp_path))
    assert [p.code for p in report.problems] == [
        "notebook-unreadable",
        "file-not-found",
        "file-not-supported",
    ]


EXTERNAL = {
    "[]\n": [],
    "# rien\n": [],
    "- title: [\n": ["external-file-invalid"],
    "title: pas une liste\n": ["external-file-invalid"],
    (
        "- title: 'Carte <b>vélo</b>'\n  slug: carte-velo\n  description: 'Une carte des "
        "comptages vélo, de test.'\n  type: notebook\n  theme: Mobilité\n"
        "  authors: [{name: Test}]\n  datasets: [velos]\n"
    ): ["html-in-record", "record-invalid", "record-invalid", "unknown-dataset"],
}


@pytest.mark.parametrize("text", list(EXTERNAL), ids=range(len(EXTERNAL)))
def test_external_file(text, tmp_path):
    path = tmp_path / "external.yaml"
    path.write_text(text, encoding="utf-8")
    report = validate_paths([path], _settings(notebooks_dir=tmp_path))
    assert _codes(report) == sorted(EXTERNAL[text]), format_report(report)


def test_committed_external_file_is_an_empty_list():
    from rouen_gallery.entries import external_entries

    path = ROOT / "gallery" / "external.yaml"
    assert external_entries(path) == ([], [])
    assert validate_paths([path], _settings()).problems == []


# --- validate: the command line ----------------------------------------------------------


def _cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, cwd=cwd, check=False)


def test_cli_exit_codes_and_grouped_french_report():
    common = ["--no-run", "--notebooks-dir", str(FIXTURES), "--external", str(FIXTURES / "x")]
    bad = _cli("validate", *common, str(FIXTURES / "no_parameters.ipynb"))
    assert bad.returncode == 1
    assert "no_parameters.ipynb — 1 problème" in bad.stdout
    assert "[no-parameters]" in bad.stdout and "→ Ajoutez en tête" in bad.stdout
    good = _cli("validate", *common, str(FIXTURES / "clean.ipynb"))
    assert good.returncode == 0, good.stdout
    assert good.stdout.startswith("Tout est bon : 1 fichier vérifié")


# --- new: the scaffold --------------------------------------------------------------------


def test_slug_from_title():
    assert slugify("Où recharger sa voiture électrique ?") == "ou-recharger-sa-voiture-electrique"
    assert slugify("Cœur de ville & Œuvres d'art — 2024") == "coeur-de-ville-oeuvres-d-art-2024"
    assert len(slugify("mot " * 40)) <= 60


def test_new_scaffolds_a_notebook_that_validates_but_for_the_text(tmp_path):
    title = "Où sont les arbres remarquables ?"
    done = _cli(
        "new", title, "--theme", "Transition écologique", "--dataset", "arbres-remarquables",
        "--dataset", "astuce-gtfs", "--author", "Camille Test", "--notebooks-dir", str(tmp_path),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    path = tmp_path / "ou-sont-les-arbres-remarquables.ipynb"
    for step in ("make lab", f"validate {path}", "merge request"):
        assert step in done.stdout
    nb = json.loads(path.read_text(encoding="utf-8"))
    record = nb["metadata"]["reuse"]
    assert (record["title"], record["slug"], record["theme"]) == (
        title,
        "ou-sont-les-arbres-remarquables",
        "Transition écologique",
    )
    assert record["datasets"] == ["arbres-remarquables", "astuce-gtfs"]
    assert record["authors"] == [{"name": "Camille Test"}]
    sources = "\n".join("".join(c["source"]) for c in nb["cells"])
    assert 'load_dataset("astuce-gtfs", table="agency")' in sources
    for runtime_call in ("import Page", "page.controls(", "page.draw(", "page.show("):
        assert runtime_call in sources  # a dashboard on the runtime from the first run
    assert "provenance_footer(provenances)" in sources
    report = validate_paths([path], _settings(notebooks_dir=tmp_path))
    assert set(_codes(report)) == SCAFFOLD_TODO, format_report(report)
    # The question, the data, the method, the result, the limits, the sources, the summary.
    assert len(report.problems) == 7


def test_new_without_dataset_or_author_leaves_them_to_fill_in(tmp_path):
    assert _cli("new", "Les bornes de recharge", "--notebooks-dir", str(tmp_path)).returncode == 0
    path = tmp_path / "les-bornes-de-recharge.ipynb"
    report = validate_paths([path], _settings(notebooks_dir=tmp_path))
    # datasets: [] is refused by the schema until a key is written.
    assert set(_codes(report)) == SCAFFOLD_TODO | {"record-invalid"}, format_report(report)


def test_new_refuses_to_overwrite(tmp_path):
    assert _cli("new", "Les bornes de recharge", "--notebooks-dir", str(tmp_path)).returncode == 0
    path = tmp_path / "les-bornes-de-recharge.ipynb"
    path.write_text("mon travail", encoding="utf-8")
    again = _cli("new", "Les bornes de recharge", "--notebooks-dir", str(tmp_path))
    assert again.returncode != 0
    assert "existe déjà" in again.stderr
    assert path.read_text(encoding="utf-8") == "mon travail"


def test_new_refuses_an_unknown_dataset(tmp_path):
    done = _cli("new", "Les vélos", "--dataset", "velos", "--notebooks-dir", str(tmp_path))
    assert done.returncode != 0 and "velos" in done.stderr
    assert list(tmp_path.iterdir()) == []


# --- slow: notebooks executed as the build runs them --------------------------------------


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """The run fixtures and a fresh scaffold, executed in one parallel batch."""
    tmp = tmp_path_factory.mktemp("scaffold")
    done = _cli(
        "new", "Les arbres remarquables", "--dataset", "arbres-remarquables",
        "--author", "Test", "--notebooks-dir", str(tmp),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    scaffold = tmp / "les-arbres-remarquables.ipynb"
    paths = [FIXTURES / name for name in RUN] + [scaffold]
    return validate_paths(paths, _settings(run=True, jobs=4)), scaffold


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(RUN))
def test_running_fixture_reports_exactly_its_problems(executed, name):
    report, _ = executed
    assert _codes(report, FIXTURES / name) == sorted(RUN[name]), format_report(report)


@pytest.mark.slow
def test_run_details(executed):
    report, _ = executed
    slow = [p.message for p in report.problems if p.code == "too-slow"]
    assert slow and "plus de 10 s" in slow[0]
    shown = [p.message for p in report.problems if "le résultat affiche" in p.message]
    assert len(shown) == 1 and "prenom" in shown[0] and "email" in shown[0]


@pytest.mark.slow
def test_scaffold_runs_as_it_is(executed):
    report, scaffold = executed
    assert set(_codes(report, scaffold)) == SCAFFOLD_TODO, format_report(report)


@pytest.mark.slow
def test_empty_external_file_builds(tmp_path):
    from rouen_gallery.build import Builder
    from rouen_gallery.settings import BuildSettings

    (tmp_path / "notebooks").mkdir()
    settings = BuildSettings(
        notebooks_dir=tmp_path / "notebooks",
        external_file=ROOT / "gallery" / "external.yaml",
        site_dir=tmp_path / "site",
        cache_dir=tmp_path / "cache",
        thumbnails="drawn",
        progress=False,
    )
    summary = Builder(settings).build()
    assert summary.ok and summary.rows == []
    index = (settings.site_dir / "index.html").read_text(encoding="utf-8")
    assert index.count('<li class="rr-card ') == 0


@pytest.mark.slow
def test_every_committed_notebook_validates():
    """What CI runs: every notebook of notebooks/ (and gallery/external.yaml), executed."""
    if not any((ROOT / "notebooks").glob("*.ipynb")):
        pytest.skip("notebooks/ ne contient encore aucun notebook")
    done = _cli("validate")
    assert done.returncode == 0, done.stdout + done.stderr


# --- CONTRIBUTING.md: the one-screen reuse runs as written --------------------------------


@pytest.mark.slow
def test_the_one_screen_reuse_of_contributing_runs(tmp_path):
    """The example is cut at its « # Cellule N » comments into a notebook and executed."""
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    block = text.split("#### Une réutilisation complète", 1)[1].split("```python\n", 1)[1]
    parts = re.split(r"(?m)^# Cellule \d.*\n", block.split("```", 1)[0])[1:]
    cells = [nbformat.v4.new_code_cell(part.strip()) for part in parts]
    cells[0].metadata["tags"] = ["parameters"]
    cells.append(
        nbformat.v4.new_code_cell(
            "import dashboard\n\nview = dashboard.current_page().view\n"
            "print(len(view), sorted(view['forest'].unique()) == forets[1:], nombre.figure)"
        )
    )
    nb = nbformat.v4.new_notebook(cells=cells)
    NotebookClient(nb, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}).execute()
    trees = load_dataset("arbres-remarquables").frame
    assert nb.cells[-1].outputs[0]["text"].split() == [str(len(trees)), "True", str(len(trees))]
    assert len(parts) == 5
