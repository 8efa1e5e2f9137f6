"""Outputs are written atomically and byte-stably."""

from __future__ import annotations

from io import BytesIO

import pandas as pd
import pytest

from analysis.core import figures, outputs
from analysis.core.errors import InputError


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


def test_batch_runs_narrow_the_figure_formats_but_never_the_default_regions():
    assert figures.saved_formats("tomsk", ("png",), ("ru",)) == (("png",), ("ru",))
    assert figures.saved_formats("kemerovo", ("png",), ("ru",)) == (figures.FORMATS, figures.LANGS)
    assert figures.saved_formats("tomsk") == (figures.FORMATS, figures.LANGS)


def test_the_figure_parameters_are_read_as_formats_languages_and_dpi():
    assert figures.options() == (figures.FORMATS, figures.LANGS, 300)
    # in the order of FORMATS, each once, spaces ignored
    assert figures.options("pdf, png,png", "ru", 100) == (("png", "pdf"), ("ru",), 100)


@pytest.mark.parametrize(
    ("formats", "langs", "dpi", "name"),
    [
        ("png,jpg", "", 0, "figure_formats"),
        ("PNG", "", 0, "figure_formats"),
        (["png"], "", 0, "figure_formats"),
        ("", "de", 0, "figure_langs"),
        ("", "en,", 0, None),  # a trailing comma is nothing, not an unknown language
        ("", "", -1, "figure_dpi"),
        ("", "", 1.5, "figure_dpi"),
        ("", "", True, "figure_dpi"),
    ],
)
def test_unknown_figure_parameters_are_refused_naming_the_parameter(formats, langs, dpi, name):
    if name is None:
        assert figures.options(formats, langs, dpi)[1] == ("en",)
        return
    with pytest.raises(InputError, match=rf"^column '{name}': ") as err:
        figures.options(formats, langs, dpi)
    assert err.value.column == name and err.value.found == (dpi if name == "figure_dpi" else formats or langs)


def test_batch_runs_lower_the_png_resolution_but_never_the_default_regions():
    assert figures.saved_dpi("tomsk") == figures.DPI == 300
    assert figures.saved_dpi("tomsk", 100) == 100
    assert figures.saved_dpi("kemerovo", 100) == 300
    fig = _draw("en")
    bbox = figures._finalise(fig)
    small, large = (figures.figure_bytes(fig, "png", bbox, dpi) for dpi in (100, 300))
    width = lambda png: int.from_bytes(png[16:20], "big")  # noqa: E731  the IHDR chunk's width
    assert width(large) == pytest.approx(3 * width(small), abs=3)


def _reloaded(font):
    from fontTools.ttLib import TTFont

    buf = BytesIO()
    font.save(buf)
    buf.seek(0)
    return TTFont(buf)


def test_pdfs_embed_subset_truetype_fonts_with_the_same_glyphs_as_matplotlib_would():
    """The faster subsetting (figures._glyphs_subset) drops only OpenType layout tables: the
    embedded font is still a TrueType subset (Type 42, not Type 3) whose outlines and advance
    widths equal those of matplotlib's own subset."""
    from matplotlib import font_manager
    from matplotlib.backends import _backend_pdf_ps

    font = font_manager.findfont("DejaVu Sans")
    path = font_manager.FontPath(font, 0)
    glyphs = {36, 37, 38, 600, 610}  # Latin and Cyrillic glyph ids of DejaVu Sans
    with _backend_pdf_ps.get_glyphs_subset(path, glyphs) as ref, figures._glyphs_subset(path, glyphs) as ours:
        assert ours.glyph_index_map == ref.glyph_index_map
        a, b = (_reloaded(r.font) for r in (ref, ours))
        assert a.getGlyphOrder() == b.getGlyphOrder()
        for name in a.getGlyphOrder():
            assert (
                a["glyf"][name].getCoordinates(a["glyf"])[0] == b["glyf"][name].getCoordinates(b["glyf"])[0]
            )
            assert a["hmtx"][name] == b["hmtx"][name]
        assert "GPOS" not in b and "GSUB" not in b
    pdf = figures.figure_bytes(_draw("ru"), "pdf")
    assert b"/FontFile2" in pdf and b"/CIDFontType2" in pdf and b"/Type3" not in pdf
