"""One figure style for the compendium, and byte-stable saving.

Every figure is drawn by a function ``draw(lang) -> Figure`` and saved by :func:`save` in both
languages (``en``, ``ru``) and three formats (PNG at 300 dpi, SVG, PDF) as
``figures/<region>/<name>.<lang>.<ext>``. Files carry no timestamps, software versions or random
ids, so a rerun writes the same bytes. DejaVu Sans, which matplotlib ships, has Cyrillic glyphs, so
Russian labels need no extra font; the labels themselves are in :mod:`analysis.core.labels`.

Every text is drawn as text: mathtext is off (``text.parse_math``), so a user's ``US$ ... US$`` or
``$\\input{...}$`` prints as written instead of being parsed as mathematics (or crashing the figure);
log axes are labelled by :func:`log_axis` without mathtext. A source note is shortened to the
figure's width with an ellipsis (:func:`_finalise`), so that no user text changes a figure's size;
:func:`save` reports the notes it shortened, whose full text goes to the figures manifest.
"""

from __future__ import annotations

import base64
import math
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from functools import lru_cache
from io import BytesIO
from typing import Any, Literal
from weakref import WeakKeyDictionary, WeakSet

import matplotlib
import matplotlib.pyplot as plt
from fontTools import subset, ttLib
from matplotlib.axes import Axes
from matplotlib.axis import Axis, YAxis
from matplotlib.backends import _backend_pdf_ps
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.rcsetup import cycler
from matplotlib.text import Text
from matplotlib.ticker import Formatter, FuncFormatter, LogLocator, MaxNLocator
from matplotlib.transforms import Bbox, offset_copy
from matplotlib.typing import RcKeyType

from analysis.core import paths
from analysis.core.errors import InputError
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
    # Text is text: user strings (names, units, sources) may hold "$" (US$), which mathtext would
    # parse as formulas, garble or fail on. No label of the compendium uses mathtext.
    "text.parse_math": False,
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


# The least height (inches) of a figure whose height grows with its rows: with its title, legend
# and source note it stays within 2.5 times as wide as high.
MIN_HEIGHT = 3.0


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


def year_axis(axis: Axis) -> None:
    """Whole years on a time axis: ticks at integers only, printed without decimals (a short span
    would otherwise get ticks such as 2017.25)."""
    axis.set_major_locator(MaxNLocator(integer=True, min_n_ticks=1))
    axis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:.0f}"))


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def _log_number(v: float, plain: bool) -> str:
    """``v`` as ``f"{v:g}"`` when ``plain``, else as m×10ⁿ in Unicode (no mathtext)."""
    if plain:
        return f"{v:g}"
    n = math.floor(math.log10(v) + 1e-9)
    m = round(v / 10**n, 6)
    power = "10" + str(n).translate(_SUPERSCRIPT)
    return power if m == 1 else f"{m:g}×{power}"


def _log_label(axis: Axis, v: float, minor: bool) -> str:
    """The label of a tick at ``v`` on a log ``axis``: powers of ten; over less than 1.2 decades
    also 2 and 5 times them, over less than half a decade every minor tick (then
    :class:`_LogLabels` thins them). Plain numbers between 0.01 and 10 000, else m×10ⁿ."""
    lo, hi = sorted(axis.get_view_interval())
    if v <= 0 or lo <= 0 or not (lo * (1 - 1e-9) <= v <= hi * (1 + 1e-9)):
        return ""
    decades = math.log10(hi / lo)
    mantissa = round(v / 10 ** math.floor(math.log10(v) + 1e-9), 6)
    if minor and (mantissa == 1 or not (decades < 0.5 or (decades < 1.2 and mantissa in (2, 5)))):
        return ""  # a power of ten is the major tick's label
    return _log_number(v, plain=lo >= 0.01 and hi < 1e4)


class _LogLabels(Formatter):
    """Labels of a log axis's major or minor ticks (:func:`_log_label`), thinned so that no two
    overlap: along the axis, a label is kept only if it clears the last one kept (and, for minor
    ticks, every power of ten in view, which the major ticks label). Sizes are estimated from the
    tick font size: DejaVu Sans digits are 0.64 em wide."""

    def __init__(self, axis: Axis, minor: bool) -> None:
        self._axis, self._minor = axis, minor

    def __call__(self, x: float, pos: int | None = None) -> str:
        return _log_label(self._axis, x, self._minor)

    def format_ticks(self, values: Any) -> list[str]:
        labels = [self(float(v)) for v in values]
        axis = self._axis
        ticks = axis.get_minor_ticks() if self._minor else axis.get_major_ticks()
        size = ticks[0].label1.get_fontsize() if ticks else 8.0
        fig = axis.get_figure(root=True)
        px = float(size) * (fig.dpi if fig is not None else 100.0) / 72  # one em in pixels
        vertical = isinstance(axis, YAxis)

        def place(v: float) -> float:
            xy = (0.0, v) if vertical else (v, 0.0)
            return float(axis.axes.transData.transform(xy)[1 if vertical else 0])

        def extent(text: str) -> float:
            return 1.2 * px if vertical else 0.64 * px * len(text)

        lo, hi = sorted(axis.get_view_interval())
        kept: list[tuple[float, float]] = []  # (position, extent) of labels kept
        if self._minor and lo > 0:
            powers = range(math.ceil(math.log10(lo) - 1e-9), math.floor(math.log10(hi) + 1e-9) + 1)
            kept = [(place(10.0**n), extent(_log_number(10.0**n, True))) for n in powers]
        for i, (v, text) in enumerate(zip(values, labels)):
            if not text:
                continue
            at, size_here = place(float(v)), extent(text)
            if any(abs(at - k) < (size_here + e) / 2 + 0.5 * px for k, e in kept):
                labels[i] = ""
            else:
                kept.append((at, size_here))
        return labels


def log_axis(ax: Axes, which: Literal["x", "y"]) -> None:
    """A log scale on ``ax``'s ``which`` axis, labelled by :class:`_LogLabels`: plain numbers or
    Unicode powers of ten, never mathtext, and never two labels that overlap."""
    if which == "x":
        ax.set_xscale("log")
    else:
        ax.set_yscale("log")
    axis = ax.xaxis if which == "x" else ax.yaxis
    axis.set_major_locator(LogLocator(base=10, numticks=6))
    axis.set_minor_locator(LogLocator(base=10, subs=tuple(range(2, 10)), numticks=12))
    axis.set_major_formatter(_LogLabels(axis, minor=False))
    axis.set_minor_formatter(_LogLabels(axis, minor=True))


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
    the axes draw (tick labels included), so it never overlaps them. Each line of ``text`` is
    shortened with an ellipsis to the width of the drawing: however long a user's source, the
    figure keeps its size (the full text goes to the manifest caption, see :func:`save`)."""
    _SOURCE_NOTE[fig] = text  # placed once the layout is known, in _finalise


# Per-figure state of source_note and _finalise, kept beside the figures rather than on them; the
# entries go away with their figures.
_SOURCE_NOTE: WeakKeyDictionary[Figure, str] = WeakKeyDictionary()
_NOTE_PLACED: WeakSet[Figure] = WeakSet()
_NOTE_SHORTENED: WeakKeyDictionary[Figure, str] = WeakKeyDictionary()
ELLIPSIS = "…"


def shorten(line: str, fits: Callable[[str], bool]) -> str:
    """``line`` if ``fits(line)``, else its longest start (cut after a word where one ends in the
    last fifth) followed by an ellipsis that fits; ``fits`` says whether a text fits the width."""
    if fits(line):
        return line
    lo, hi = 0, len(line)  # the longest prefix that fits is at least lo and below hi
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (mid, hi) if fits(line[:mid].rstrip() + ELLIPSIS) else (lo, mid)
    cut = line[:lo]
    space = cut.rfind(" ")
    if space > 0.8 * lo:
        cut = cut[:space]
    return cut.rstrip(" ,;:(") + ELLIPSIS


def _finalise(fig: Figure) -> Bbox:
    """Place the source note and return the tight bounding box (inches), computed once.

    The note starts at the drawing's left edge and each of its lines is shortened to the drawing's
    width (:func:`shorten`), so the note never widens the figure. savefig(bbox_inches="tight")
    would lay the figure out again for every format; computing the box once and passing it to the
    three savefig calls saves two layouts per format.
    """
    for text in fig.findobj(Text):  # drawn outside style(): text is text here too
        text.set_parse_math(False)
    # Agg-based canvases (Agg, the notebook's inline backend) have get_renderer; FigureCanvasBase,
    # the type matplotlib's stubs give fig.canvas, does not declare it.
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    box = fig.get_tightbbox(renderer)  # inches
    note = _SOURCE_NOTE.get(fig)
    if note and fig not in _NOTE_PLACED:
        y = box.y0 / fig.get_figheight() - 0.01
        text = fig.text(
            box.x0 / fig.get_figwidth(),
            y,
            "",
            ha="left",
            va="top",
            fontsize=7,
            color="#555555",
            parse_math=False,
        )

        def fits(line: str) -> bool:
            text.set_text(line)
            return bool(text.get_window_extent(renderer).width <= box.width * fig.dpi)

        shown = "\n".join(shorten(line, fits) for line in note.split("\n"))
        text.set_text(shown)
        if shown != note:
            _NOTE_SHORTENED[fig] = note
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


# A batch run of many regions asks for less (see analysis.runner.pipeline): PNG in one language
# at screen resolution is enough to look at 85 regions, and a tenth of the work of every format in
# both languages at print resolution.
SCREEN_DPI = 100  # what a notebook shows (matplotlib's figure.dpi above)


def options(
    formats: object = "", langs: object = "", dpi: object = 0
) -> tuple[tuple[str, ...], tuple[str, ...], int]:
    """A notebook's figure parameters as (formats, languages, dpi) for :func:`save`.

    ``formats`` (``figure_formats``) and ``langs`` (``figure_langs``) are comma-separated subsets of
    :data:`FORMATS` and :data:`LANGS`, empty for all of them; ``dpi`` (``figure_dpi``) is the PNG
    resolution, 0 for print resolution (:data:`DPI`). Anything else is refused, naming the
    parameter: a misspelt format would otherwise write nothing of it, silently."""
    chosen = []
    for name, value, allowed in (("figure_formats", formats, FORMATS), ("figure_langs", langs, LANGS)):
        if not isinstance(value, str):
            raise InputError(
                None,
                "parameter has the wrong type",
                column=name,
                expected="text, e.g. " + ",".join(allowed),
                found=value,
            )
        items = tuple(dict.fromkeys(x.strip() for x in value.split(",") if x.strip()))
        unknown = [x for x in items if x not in allowed]
        if unknown:
            raise InputError(
                None,
                f"unknown value in parameter {name}",
                column=name,
                expected="a comma-separated subset of " + ",".join(allowed) + ", or empty for all",
                found=value,
            )
        chosen.append(tuple(x for x in allowed if x in items) or allowed)
    if isinstance(dpi, bool) or not isinstance(dpi, int) or dpi < 0:
        raise InputError(
            None,
            "parameter figure_dpi is not a resolution",
            column="figure_dpi",
            expected=f"a whole number of dots per inch above 0, or 0 for print resolution ({DPI})",
            found=dpi,
        )
    return chosen[0], chosen[1], dpi or DPI


def saved_formats(
    region: str, formats: tuple[str, ...] = FORMATS, langs: tuple[str, ...] = LANGS
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(formats, languages) a run asks for (:func:`options`), except for the default region, whose
    committed figures are always written in full."""
    if region == paths.DEFAULT_REGION:
        return FORMATS, LANGS
    return formats, langs


def saved_dpi(region: str, dpi: int = DPI) -> int:
    """Resolution of the PNG files a run asks for (:func:`options`), except for the default region,
    whose committed figures are always at print resolution (:data:`DPI`)."""
    return DPI if region == paths.DEFAULT_REGION else dpi


def save(
    draw: Callable[[str], Figure],
    name: str,
    region: str,
    show: str | None = None,
    formats: tuple[str, ...] = FORMATS,
    langs: tuple[str, ...] = LANGS,
    dpi: int = DPI,
    shortened: dict[str, str] | None = None,
) -> Figure | None:
    """Draw ``draw(lang)`` for each language of ``langs`` and save it in each of ``formats`` (PNG
    at ``dpi``) under ``figures/<region>/``: what the run asks for, :func:`saved_formats` and
    :func:`saved_dpi`. ``shortened``, if given, receives the full source note of each language
    whose note the figure shows shortened.

    Files are written atomically and only when their bytes change. Shows the figure in the
    language ``show`` in a notebook (as a PNG at screen resolution: the saved one where it is
    that, so that the figure is not drawn once more) and returns it; every figure is closed.
    """
    shown = None
    out = paths.figures_dir(region)
    for lang in langs:
        with style():
            fig = draw(lang)
            bbox = _finalise(fig)
        if shortened is not None and fig in _NOTE_SHORTENED:
            shortened[lang] = _NOTE_SHORTENED[fig]
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
