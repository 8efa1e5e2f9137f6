"""One figure style for the compendium, and byte-stable saving.

Every figure is drawn by a function ``draw(lang) -> Figure`` and saved by :func:`save` in both
languages (``en``, ``ru``) and three formats (PNG at 300 dpi, SVG, PDF) as
``figures/<region>/<name>.<lang>.<ext>``. Files carry no timestamps, software versions or random
ids, so a rerun writes the same bytes. DejaVu Sans, which matplotlib ships, has Cyrillic glyphs, so
Russian labels need no extra font; the labels themselves are in :mod:`analysis.core.labels`.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from functools import lru_cache
from io import BytesIO
from typing import Any
from weakref import WeakKeyDictionary, WeakSet

import matplotlib
import matplotlib.pyplot as plt
from fontTools import subset, ttLib
from matplotlib.axes import Axes
from matplotlib.backends import _backend_pdf_ps
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.rcsetup import cycler
from matplotlib.transforms import Bbox, offset_copy
from matplotlib.typing import RcKeyType

from analysis.core import paths
from analysis.core.labels import LANGS, label
from analysis.core.outputs import write_bytes

FORMATS = ("png", "svg", "pdf")
DPI = 300

# Okabe & Ito (2008) colour-blind safe palette.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]

RC: dict[RcKeyType, Any] = {
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.labelsize": 9,
    "legend.fontsize": 8,
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#dddddd",
    "grid.linewidth": 0.6,
    "axes.prop_cycle": cycler(color=PALETTE),
    "figure.dpi": 100,
    "savefig.dpi": DPI,
    "savefig.bbox": "tight",
    "svg.hashsalt": "kuzbass-clusters",  # fixed ids inside SVG files
    "svg.fonttype": "path",  # glyphs as paths: the SVG renders the same without the font
    "pdf.fonttype": 42,
    "path.simplify": True,
}

_METADATA: dict[str, dict[str, str | None]] = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "ModDate": None, "Creator": None, "Producer": None},
}

# Kept for notebooks that call figures.t(key, lang); the labels live in analysis.core.labels.
t = label


@contextmanager
def style() -> Iterator[None]:
    """The compendium's matplotlib style, applied to figures drawn inside the block."""
    with matplotlib.rc_context(RC):
        yield


def new(width: float = 6.5, height: float = 3.6, **kw: Any) -> tuple[Figure, Any]:
    """A figure and axes in the compendium's size (inches; 6.5 in is a journal text width).

    The second item is what ``plt.subplots`` returns: one Axes, or an array of them when ``kw``
    asks for several (``ncols=``, ``squeeze=False``).
    """
    with style():
        fig, ax = plt.subplots(figsize=(width, height), **kw)
    return fig, ax


def mark_break(ax: Axes, lang: str, x: float = 2015.5, *, text: bool = True) -> None:
    """Mark the change of classification (OKVED-2007 to OKVED2) on a time axis: a dotted line
    at ``x`` and, with ``text``, its label at the bottom."""
    ax.axvline(x, color="#888888", lw=0.8, ls=":")
    if text:
        ax.text(
            x + 0.1,
            0.02,
            " " + label("okved_break", lang),
            va="bottom",
            fontsize=7,
            color="#555555",
            transform=ax.get_xaxis_transform(),
        )


def legend_below(ax: Axes, *, ncols: int = 3, handles_from: Axes | None = None, points: float = 34) -> Legend:
    """The figure's legend centred under ``ax``, below its axis label: a fixed distance in points
    whatever the figure's height, so it covers no data and no label. The entries are those of
    ``handles_from`` (default ``ax``)."""
    handles, texts = (handles_from or ax).get_legend_handles_labels()
    fig = ax.get_figure(root=True)
    assert isinstance(fig, Figure)
    below = offset_copy(ax.transAxes, fig=fig, y=-points, units="points")
    return fig.legend(
        handles,
        texts,
        loc="upper center",
        bbox_to_anchor=(0.5, 0.0),
        bbox_transform=below,
        ncols=ncols,
        fontsize=7,
        frameon=False,
    )


def source_note(fig: Figure, text: str) -> None:
    """Attach the data source; :func:`save` writes it in the bottom-left corner, below everything
    the axes draw (tick labels included), so it never overlaps them."""
    _SOURCE_NOTE[fig] = text  # placed once the layout is known, in _finalise


# Per-figure state of source_note and _finalise, kept beside the figures rather than on them; the
# entries go away with their figures.
_SOURCE_NOTE: WeakKeyDictionary[Figure, str] = WeakKeyDictionary()
_NOTE_PLACED: WeakSet[Figure] = WeakSet()


def _finalise(fig: Figure) -> Bbox:
    """Place the source note and return the tight bounding box (inches), computed once.

    savefig(bbox_inches="tight") would lay the figure out again for every format; computing the
    box once and passing it to the three savefig calls saves two layouts per format.
    """
    # Agg-based canvases (Agg, the notebook's inline backend) have get_renderer; FigureCanvasBase,
    # the type matplotlib's stubs give fig.canvas, does not declare it.
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    box = fig.get_tightbbox(renderer)  # inches
    note = _SOURCE_NOTE.get(fig)
    if note and fig not in _NOTE_PLACED:
        y = box.y0 / fig.get_figheight() - 0.01
        text = fig.text(0.0, y, note, ha="left", va="top", fontsize=7, color="#555555")
        _NOTE_PLACED.add(fig)
        # The box grows by the note alone: no second layout of the whole figure.
        box = Bbox.union([box, text.get_window_extent(renderer).transformed(fig.dpi_scale_trans.inverted())])
    return box.padded(0.05)


# ---------------------------------------------------------------------------- PDF fonts
# A PDF embeds the subset of DejaVu Sans its text uses (TrueType, pdf.fonttype 42: journals refuse
# Type 3 fonts). matplotlib subsets the whole 700 kB font file again for every PDF, and most of
# that time goes to its OpenType layout tables (GSUB, GPOS, GDEF, kern), which a PDF never uses:
# matplotlib places every glyph itself. So the font is read once without them, and each PDF is
# subset from that copy; the glyph outlines and metrics embedded are the same (make bench: about
# 0.1 s less per PDF).
_LAYOUT_TABLES = ("GSUB", "GPOS", "GDEF", "kern")


@lru_cache(maxsize=8)
def _font_without_layout(path: str, face_index: int) -> bytes:
    font = ttLib.TTFont(path, fontNumber=face_index)
    for tag in _LAYOUT_TABLES:
        if tag in font:
            del font[tag]
    buf = BytesIO()
    font.save(buf)
    return buf.getvalue()


def _glyphs_subset(fontfile: Any, glyphs: Iterable[int]) -> AbstractContextManager[Any]:
    """matplotlib's ``_backend_pdf_ps.get_glyphs_subset`` with the same options, subsetting the
    cached copy of the font without layout tables."""
    options = subset.Options(glyph_names=True, recommended_glyphs=True)
    options.drop_tables += ["FFTM", "PfEd", "BDF", "meta", *_LAYOUT_TABLES]
    font = subset.load_font(BytesIO(_font_without_layout(str(fontfile), fontfile.face_index)), options)
    subsetter = subset.Subsetter(options=options)
    subsetter.populate(gids=glyphs)
    subsetter.subset(font)
    return _backend_pdf_ps.SubsetResults(font, subsetter.glyph_index_map)._as_cm()


@contextmanager
def _fast_pdf_fonts() -> Iterator[None]:
    original = _backend_pdf_ps.get_glyphs_subset
    _backend_pdf_ps.get_glyphs_subset = _glyphs_subset
    try:
        yield
    finally:
        _backend_pdf_ps.get_glyphs_subset = original


def figure_bytes(fig: Figure, fmt: str, bbox: Bbox | None = None, dpi: int = DPI) -> bytes:
    buf = BytesIO()
    with style(), _fast_pdf_fonts():
        if bbox is None:
            bbox = _finalise(fig)
        fig.savefig(buf, format=fmt, metadata=_METADATA[fmt], bbox_inches=bbox, dpi=dpi)
    return buf.getvalue()


# Batch runs of many regions set these (see analysis.runner.pipeline): PNG in one language at
# screen resolution is enough to look at 85 regions, and a tenth of the work of every format in
# both languages at print resolution.
FORMATS_ENV = "ANALYSIS_FIGURE_FORMATS"
LANGS_ENV = "ANALYSIS_FIGURE_LANGS"
DPI_ENV = "ANALYSIS_FIGURE_DPI"
SCREEN_DPI = 100  # what a notebook shows (matplotlib's figure.dpi above)


def saved_formats(region: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(formats, languages) written by :func:`save`: all of them, unless the environment
    (``ANALYSIS_FIGURE_FORMATS``, ``ANALYSIS_FIGURE_LANGS``, comma-separated) narrows them; the
    default region's committed figures are always written in full."""
    if region == paths.DEFAULT_REGION:
        return FORMATS, LANGS
    fmts = tuple(f for f in os.environ.get(FORMATS_ENV, "").split(",") if f in FORMATS) or FORMATS
    langs = tuple(lg for lg in os.environ.get(LANGS_ENV, "").split(",") if lg in LANGS) or LANGS
    return fmts, langs


def saved_dpi(region: str) -> int:
    """Resolution of the PNG files: 300 dpi (print), or what ``ANALYSIS_FIGURE_DPI`` says for a
    region other than the default one (batch runs: 100, the notebook's own)."""
    value = os.environ.get(DPI_ENV, "")
    if region == paths.DEFAULT_REGION or not value.isdigit() or int(value) <= 0:
        return DPI
    return int(value)


def save(
    draw: Callable[[str], Figure],
    name: str,
    region: str,
    show: str | None = None,
    formats: tuple[str, ...] | None = None,
) -> Figure | None:
    """Draw ``draw(lang)`` for each language and save PNG, SVG and PDF under ``figures/<region>/``
    (fewer where :func:`saved_formats` says so).

    Files are written atomically and only when their bytes change. Shows the figure in the
    language ``show`` in a notebook (as a PNG at screen resolution: the saved one where it is
    that, so that the figure is not drawn once more) and returns it; every figure is closed.
    """
    shown = None
    out = paths.figures_dir(region)
    default_formats, langs = saved_formats(region)
    formats = formats or default_formats
    dpi = saved_dpi(region)
    for lang in langs:
        with style():
            fig = draw(lang)
            bbox = _finalise(fig)
        screen = None
        for fmt in formats:
            data = figure_bytes(fig, fmt, bbox, dpi)
            write_bytes(out / f"{name}.{lang}.{fmt}", data)
            if fmt == "png" and dpi == SCREEN_DPI:
                screen = data
        if lang == show:
            shown = fig
            # Displayed explicitly, once: a notebook shows each figure exactly once, also from
            # inside an if-block, whatever the backend's auto-show does.
            _display(screen or figure_bytes(fig, "png", bbox, SCREEN_DPI), f"<Figure {name}.{lang}>")
        plt.close(fig)
    return shown


def _display(png: bytes, text: str) -> None:
    """Show a PNG in a notebook, with ``text`` as its plain-text form (no-op outside IPython)."""
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:  # pragma: no cover
        return
    if get_ipython() is not None:
        display({"image/png": base64.b64encode(png).decode("ascii"), "text/plain": text}, raw=True)
