"""Outputs are written atomically and byte-stably."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.core import figures, outputs


def test_failed_write_leaves_previous_file_and_no_temp(tmp_path):
    target = tmp_path / "t.csv"
    target.write_text("old\n")
    with pytest.raises(RuntimeError), outputs.atomic_path(target) as tmp:
        tmp.write_text("half-writ")
        raise RuntimeError("interrupted")
    assert target.read_text() == "old\n"
    assert list(tmp_path.iterdir()) == [target]


def test_csv_bytes_are_deterministic(tmp_path):
    df = pd.DataFrame({"year": [2011, 2012], "value": [1 / 3, 2.5]})
    outputs.write_csv(df, tmp_path / "a.csv")
    first = (tmp_path / "a.csv").read_bytes()
    outputs.write_csv(df, tmp_path / "a.csv")
    assert (tmp_path / "a.csv").read_bytes() == first
    assert first.startswith(b"year,value\n2011,0.3333333333333333\n")


def _draw(lang):
    fig, ax = figures.new(3, 2)
    ax.plot([1, 2, 3], [1, 3, 2], label=figures.t("kemerovo", lang))
    ax.legend()
    return fig


@pytest.mark.parametrize("fmt", figures.FORMATS)
def test_figures_are_byte_identical_and_carry_no_dates(fmt):
    a = figures.figure_bytes(_draw("ru"), fmt)
    b = figures.figure_bytes(_draw("ru"), fmt)
    assert a == b
    if fmt == "png":
        assert b"Software" not in a and b"matplotlib" not in a.lower()
    if fmt == "svg":
        assert b"<dc:date>" not in a
    if fmt == "pdf":
        assert b"/CreationDate" not in a


def test_russian_labels_have_cyrillic_glyphs():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph ... missing from font" would be a warning
        figures.figure_bytes(_draw("ru"), "png")


def test_batch_runs_narrow_the_figure_formats_but_never_the_default_regions(monkeypatch):
    monkeypatch.setenv(figures.FORMATS_ENV, "png")
    monkeypatch.setenv(figures.LANGS_ENV, "ru")
    assert figures.saved_formats("tomsk") == (("png",), ("ru",))
    assert figures.saved_formats("kemerovo") == (figures.FORMATS, figures.LANGS)
    monkeypatch.delenv(figures.FORMATS_ENV)
    monkeypatch.delenv(figures.LANGS_ENV)
    assert figures.saved_formats("tomsk") == (figures.FORMATS, figures.LANGS)
