"""The generated docs are current, and the README's documented commands exist."""

from __future__ import annotations

import re
from pathlib import Path

from .conftest import load_script

ROOT = Path(__file__).resolve().parents[1]


def _generator():
    return load_script("gen_data_dictionary")


def test_data_dictionary_is_generated_from_the_template() -> None:
    current = (ROOT / "docs" / "data-dictionary.md").read_text(encoding="utf-8")
    assert current == _generator().generate(), "run: .venv/bin/python scripts/gen_data_dictionary.py"


def test_data_dictionary_lists_every_row_id() -> None:
    from govreport.template import TEMPLATES

    text = (ROOT / "docs" / "data-dictionary.md").read_text(encoding="utf-8")
    for tdef in TEMPLATES.values():
        for table in tdef.tables:
            for row in table.rows:
                assert f"`{row.id}`" in text


def test_every_nav_page_exists() -> None:
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    for page in re.findall(r":\s*([\w./-]+\.md)", nav):
        assert (ROOT / "docs" / page).is_file(), page


def test_ci_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert ".venv/bin/python -m pytest" in readme
    assert ".venv/bin/python -m pytest" in ci
    assert "examples/gulou-2021.txt" in readme and (ROOT / "examples" / "gulou-2021.txt").is_file()
