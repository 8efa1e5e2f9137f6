"""The labels table: complete in both languages, strict about keys, lenient about a user's ids."""

from __future__ import annotations

import ast
import string

import pytest

from analysis.core import figures, labels, paths


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f is not None}


@pytest.mark.parametrize("key", sorted(labels.LABELS))
def test_every_key_has_english_and_russian_text_with_the_same_placeholders(key):
    en, ru = labels.LABELS[key]
    assert en.strip() and ru.strip()
    assert _fields(en) == _fields(ru)


def test_label_in_each_language():
    assert labels.label("year", "en") == "Year"
    assert labels.label("year", "ru") == "Год"


def test_missing_key_raises_keyerror_naming_it():
    with pytest.raises(KeyError, match="no_such_label"):
        labels.label("no_such_label", "en")


def test_unknown_language_is_refused():
    with pytest.raises(ValueError, match="de"):
        labels.label("year", "de")
    with pytest.raises(ValueError, match="de"):
        labels.name_of("product", "coal", "de")


def test_placeholders_are_filled():
    assert labels.label("title.structure", "en", region="Tomsk region") == "Structure of GVA: Tomsk region"
    assert labels.label("title.cumulative", "ru", base=2008, region="Томская область") == (
        "Цепные индексы производства, 2008 = 100: Томская область"
    )
    assert labels.label("log_scale", "en", axis="HHI of GVA") == "HHI of GVA (log scale)"


def test_missing_placeholder_raises_keyerror_naming_label_and_placeholder():
    with pytest.raises(KeyError, match=r"title\.structure.*region"):
        labels.label("title.structure", "en")


def test_name_of_known_and_unknown_ids():
    assert labels.name_of("cargo", "coal", "en") == "Hard coal"
    assert labels.name_of("product", "coal", "ru") == "Уголь"
    assert labels.name_of("product", "cement", "ru") == "cement"  # an id a user's data bring
    assert labels.name_of("activity", "B", "en") == "B"


def test_name_of_unknown_kind_raises():
    with pytest.raises(KeyError, match="produce"):
        labels.name_of("produce", "coal", "en")


def test_figures_keeps_t_and_langs_for_the_notebooks():
    assert figures.LANGS == labels.LANGS
    assert figures.t("source_rosstat", "ru") == labels.label("source_rosstat", "ru")


def _literal_lookups() -> list[tuple[str, str, str]]:
    """(file, function, first argument) of every L.label/L.name_of call with a literal key/kind."""
    out = []
    for path in sorted((paths.ROOT / "analysis" / "steps").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("label", "name_of")
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "L"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                out.append((path.name, node.func.attr, node.args[0].value))
    return out


def test_every_literal_key_and_kind_the_steps_use_is_in_the_table():
    used = _literal_lookups()
    assert used
    missing = [
        u for u in used if (u[2] not in labels.LABELS if u[1] == "label" else u[2] not in labels.KINDS)
    ]
    assert not missing, missing


def test_step_modules_hold_no_inline_translations():
    inline = []
    for path in sorted((paths.ROOT / "analysis" / "steps").glob("*.py")):
        for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if '"ru":' in line or "LANGS.index" in line:
                inline.append(f"{path.name}:{i}: {line.strip()}")
    assert not inline, inline


def test_every_ledger_status_has_a_label_in_both_languages():
    from analysis.reproduction import ledger, official

    for status in (*ledger.STATUSES, *official.STATUSES):
        en, ru = (labels.name_of("status", status, lg) for lg in labels.LANGS)
        assert en != status.replace("_", " ") or " " not in status, status
        assert f"status.{status}" in labels.LABELS, status
        assert any("а" <= ch <= "я" for ch in ru), (status, ru)


def test_a_users_name_is_used_in_russian_only_and_the_table_or_the_id_otherwise():
    user = {"coal": "Уголь каменный", "planks_x": "Доски", "blank": ""}
    assert labels.name_of("product", "coal", "ru", user) == "Уголь каменный"
    assert labels.name_of("product", "coal", "en", user) == labels.LABELS["product.coal"][0]
    assert labels.name_of("product", "planks_x", "ru", user) == "Доски"
    assert labels.name_of("product", "planks_x", "en", user) == "planks_x"  # not in the table
    assert labels.name_of("product", "blank", "ru", user) == "blank"  # an empty name is no name
    assert labels.name_of("product", "coal", "ru") == labels.LABELS["product.coal"][1]


def test_every_activity_of_the_crosswalk_has_a_name_in_both_languages():
    from analysis.inputs import region as region_data

    for item in region_data.activity_sections()["id"]:
        assert f"activity.{item}" in labels.LABELS, item
