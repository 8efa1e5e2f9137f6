"""The figure style: user text drawn as text, source notes that never change a figure's size,
integer year ticks, log axes whose labels never overlap, units in the figure's language."""

from __future__ import annotations

import io
import re

import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.figure import Figure
from matplotlib.text import Text
from PIL import Image

from analysis.core import figures as F
from analysis.core import labels as L

# The payloads of issue 23.2: "US$ ... US$" was garbled, the others crashed steps 2, 4, 5 and 6.
DOLLARS = ["US$ 5 bn against US$ 7 bn", r"$\input{/etc/passwd}$", "($ млн; 50% $)", "$", r"a\$b $$"]
LONG = ("Ministry of Economic Development, statistical yearbook US$ 2019, tables 4.1-4.17, " * 6)[:400]


def _png_size(fig: Figure) -> tuple[int, int]:
    with Image.open(io.BytesIO(F.figure_bytes(fig, "png", dpi=100))) as im:
        return im.size


def _line_figure(note: str, label: str = "x") -> Figure:
    with F.style():
        fig, ax = F.new(6.5, 3.0)
        ax.plot([2014, 2015, 2016], [1, 2, 3], label=label)
        ax.set_title(label)
        ax.legend()
        F.source_note(fig, note)
    return fig


def test_a_long_source_is_shortened_to_the_figures_width_and_keeps_its_size():
    short = _png_size(_line_figure("Source: data/user/x/production.csv (yearbook)"))
    fig = _line_figure("Source: data/user/x/production.csv (" + LONG + ")")
    long = _png_size(fig)
    assert long == short
    assert long[0] / long[1] <= 2.5
    shown = [t.get_text() for t in fig.texts]
    assert len(shown) == 1 and shown[0].endswith(F.ELLIPSIS) and len(shown[0]) < 200
    assert shown[0].startswith("Source: data/user/x/production.csv (Ministry")
    assert F._NOTE_SHORTENED[fig].endswith(LONG + ")")  # the full text, for the manifest caption
    plt.close(fig)


def test_a_note_of_several_lines_is_shortened_line_by_line():
    two = _png_size(_line_figure("first line\nSource: Rosstat"))
    fig = _line_figure(LONG + "\nSource: Rosstat")
    assert _png_size(fig) == two
    first, second = fig.texts[0].get_text().split("\n")
    assert first.endswith(F.ELLIPSIS) and second == "Source: Rosstat"
    plt.close(fig)


def test_a_short_note_is_drawn_as_written():
    fig = _line_figure("Source: Rosstat")
    _png_size(fig)
    assert fig.texts[0].get_text() == "Source: Rosstat" and fig not in F._NOTE_SHORTENED
    plt.close(fig)


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=60))
@settings(max_examples=40, deadline=None)
def test_shorten_returns_the_longest_start_that_fits(line):
    def fits(s):
        return len(s) <= 20

    out = F.shorten(line, fits)
    assert fits(out)
    if len(line) <= 20:
        assert out == line
    else:
        assert out.endswith(F.ELLIPSIS) and line.startswith(out[:-1].rstrip(" ,;:("))


def test_save_reports_the_full_note_it_shortened(tmp_path, monkeypatch):
    monkeypatch.setattr(F.paths, "figures_dir", lambda region: tmp_path / region)
    full: dict[str, str] = {}
    F.save(lambda lg: _line_figure(f"Source ({lg}): " + LONG), "09_test", "kemerovo", shortened=full)
    assert full == {"en": "Source (en): " + LONG, "ru": "Source (ru): " + LONG}
    assert sorted(p.name for p in (tmp_path / "kemerovo").iterdir())[:2] == [
        "09_test.en.pdf",
        "09_test.en.png",
    ]


def test_save_writes_the_formats_languages_and_resolution_it_is_given(tmp_path, monkeypatch):
    monkeypatch.setattr(F.paths, "figures_dir", lambda region: tmp_path / region)
    F.save(lambda lg: _line_figure("Source"), "09_test", "tomsk", formats=("png",), langs=("ru",), dpi=100)
    (png,) = (tmp_path / "tomsk").iterdir()
    assert png.name == "09_test.ru.png"
    small = int.from_bytes(png.read_bytes()[16:20], "big")  # the IHDR chunk's width
    F.save(lambda lg: _line_figure("Source"), "09_test", "tomsk", formats=("png",), langs=("ru",))
    assert int.from_bytes(png.read_bytes()[16:20], "big") == pytest.approx(3 * small, abs=3)  # 300 dpi


@pytest.mark.parametrize("payload", DOLLARS)
def test_user_text_with_dollars_is_drawn_as_written(payload):
    """Title, axis label, legend, tick labels and note: every one prints its text, none is read
    as mathematics (which garbled "US$ ... US$" and crashed on the others)."""
    with F.style():
        fig, ax = F.new()
        ax.barh([0, 1], [1, 2], label=payload)
        ax.set_yticks([0, 1], [payload, "plain"])
        ax.set_xlabel(payload)
        ax.set_title(payload)
        ax.legend()
        F.source_note(fig, "Source: " + payload)
    F.figure_bytes(fig, "png", dpi=50)
    F.figure_bytes(fig, "svg")
    texts = [t for t in fig.findobj(Text) if t.get_text()]
    assert sum(t.get_text() == payload for t in texts) >= 4
    assert all(t._preprocess_math(t.get_text()) == (t.get_text(), False) for t in texts)
    plt.close(fig)


def _tick_labels(fig: Figure, which: str) -> list[Text]:
    fig.canvas.draw()
    out = []
    for ax in fig.axes:
        axis = ax.xaxis if which == "x" else ax.yaxis
        ticks = axis.get_major_ticks() + axis.get_minor_ticks()
        out += [t.label1 for t in ticks if t.label1.get_visible() and t.label1.get_text()]
    return out


def _overlaps(labels: list[Text], fig: Figure) -> list[tuple[str, str]]:
    r = fig.canvas.get_renderer()
    boxes = [(t.get_text(), t.get_window_extent(r)) for t in labels]
    return [(a, b) for i, (a, ba) in enumerate(boxes) for b, bb in boxes[i + 1 :] if ba.overlaps(bb)]


@given(lo=st.floats(-3, 6), span=st.floats(0.05, 6), width=st.sampled_from([1.6, 3.0, 6.5]))
@settings(max_examples=60, deadline=None)
def test_log_axis_labels_never_overlap_and_use_no_mathtext(lo, span, width):
    with F.style():
        fig, ax = F.new(width, 2.5)
        ax.barh([0, 1], [10**lo, 10 ** (lo + span)])
        F.log_axis(ax, "x")
        ax.tick_params(axis="x", which="minor", labelsize=6)
        labels = _tick_labels(fig, "x")
    assert labels, "a log axis with no label at all"
    assert not _overlaps(labels, fig)
    assert not any("$" in t.get_text() for t in labels)
    for t in labels:  # every label is the number at its tick
        text = t.get_text()
        m = re.fullmatch(r"(?:([0-9.]+)×)?10([⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+)", text)
        shown = (
            float(m.group(1) or 1)
            * 10 ** int(m.group(2).translate(str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789")))
            if m
            else float(text)
        )
        assert shown == pytest.approx(t.get_position()[0], rel=1e-6)
    plt.close(fig)


@given(first=st.integers(1990, 2022), n=st.integers(1, 25))
@settings(max_examples=40, deadline=None)
def test_year_ticks_are_whole_years(first, n):
    with F.style():
        fig, ax = F.new()
        years = list(range(first, first + n))
        ax.plot(years, np.arange(n))
        F.year_axis(ax.xaxis)
        labels = _tick_labels(fig, "x")
    assert labels
    for t in labels:
        assert re.fullmatch(r"\d{4}", t.get_text()), t.get_text()
        assert float(t.get_text()) == t.get_position()[0]
    plt.close(fig)


@pytest.mark.parametrize(
    ("unit", "lang", "thousandfold", "shown"),
    [
        ("thousand units", "ru", True, "млн шт."),
        ("thousand units", "en", True, "million units"),
        ("thousand t", "ru", False, "тыс. т"),
        ("тыс. т", "ru", True, "млн т"),
        ("million kWh", "ru", False, "млн кВт·ч"),
        ("thousand m3", "ru", True, "млн м³"),
        ("barrels", "ru", False, "barrels"),  # a word the table lacks stays as written
    ],
)
def test_units_in_the_figures_language(unit, lang, thousandfold, shown):
    assert L.unit(unit, lang, thousandfold=thousandfold) == shown
