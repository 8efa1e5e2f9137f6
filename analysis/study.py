"""What every notebook does first and last: check its parameters, say where the region's data come
from, show and write its result tables and figures, state its results in generated sentences, list
the files it wrote. The one module a notebook imports besides its step (and the input layer).

Tables are shown as HTML with a plain-text twin (what nbval compares); sentences about results
are Markdown generated from the results, never typed into the notebook.

The paper covers one region, Kemerovo region (``kemerovo``): only there do the paper's tables
exist. For any region, Rosstat's files give GVA structure, population, shipments, fixed assets and
mining production indices; what only the paper has (clusters, freight, product output, turnover,
employment and investment by activity) a user supplies as CSV templates in ``data/user/<region>/``
(see ``data/README.md``). A step that lacks its inputs says so and skips, never borrowing another
region's numbers.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd
from IPython.display import display
from matplotlib.figure import Figure

from analysis.core import escape, figures, labels, manifest, paths, prose, provenance
from analysis.core.errors import InputError
from analysis.core.figures import LANGS
from analysis.core.outputs import write_bytes, write_csv
from analysis.inputs import paper
from analysis.inputs.region import Missing, Origin, Sourced, given_folder
from analysis.inputs.regions import all_regions, nesting_note, resolve, study_region
from analysis.inputs.rosstat import table as rosstat
from analysis.reproduction import ledger

__all__ = [
    "DEFAULT_REGION",
    "Run",
    "against_paper",
    "check_run",
    "current",
    "declare",
    "figure",
    "figures",
    "has",
    "has_paper",
    "note",
    "outputs",
    "region_name",
    "resolve",
    "rosstat",
    "say",
    "show",
    "skip",
    "source",
    "start",
    "title",
    "write_markdown",
    "write_table",
]

DEFAULT_REGION = paths.DEFAULT_REGION
has_paper = paper.covers


@dataclass(frozen=True)
class Run:
    """One execution of a notebook, begun by :func:`start` with the notebook's parameters: its
    region's id, the language of what it shows, the figures it writes (formats, languages, PNG
    resolution: :func:`analysis.core.figures.options`, the default region's always in full), and
    whether ``python -m analysis run`` executes it (then :func:`outputs` records the step for the
    run record). ``written`` and ``origins`` collect the files it writes and where its inputs come
    from (:func:`source`), for :func:`outputs`."""

    region: str
    lang: str
    formats: tuple[str, ...]
    langs: tuple[str, ...]
    dpi: int
    runner: bool
    user_folder: str = ""
    written: list[str] = field(default_factory=list, compare=False, repr=False)
    origins: list[dict[str, str]] = field(default_factory=list, compare=False, repr=False)


USER_FOLDER_EXPECTED = "a folder (text)"


def _of_type(value: object, kind: type | tuple[type, ...], name: str, expected: str) -> None:
    """Refuse a parameter ``name`` that is not of ``kind``, with what was ``expected``; a bool is
    never a number (``True`` is an ``int`` to Python, not to a notebook's reader)."""
    is_bool = isinstance(value, bool)
    numeric = kind in ((int, float), int, float)
    if not isinstance(value, kind) or (is_bool and numeric):
        raise InputError(None, "parameter has the wrong type", column=name, expected=expected, found=value)


def start(
    region: str,
    lang: str = "en",
    *,
    user_folder: str = "",
    figure_formats: str = "",
    figure_langs: str = "",
    figure_dpi: int = 0,
    runner: bool = False,
    **numbers: object,
) -> Run:
    """Validate a notebook's parameters and begin its run: the notebook's first call.

    ``region`` may be an id, OKATO code or any Russian or English spelling (see
    :mod:`analysis.inputs.regions`); ``user_folder``, if given, must exist; the figure parameters
    are those of :func:`analysis.core.figures.options`; ``runner`` is True when the runner
    executes the notebook (its parameter, which only the runner sets). ``numbers`` are numeric
    parameters that must be numbers (:func:`check_values`). Bad input is an
    :class:`~analysis.core.errors.InputError` naming the parameter.
    """
    if lang not in LANGS:
        raise InputError(
            None, "unknown output language", column="lang", expected=" or ".join(LANGS), found=lang
        )
    for name, value in numbers.items():
        _of_type(value, (int, float), name, "a number")
    check_values(numbers)
    formats, langs, dpi = figures.options(figure_formats, figure_langs, figure_dpi)
    _of_type(runner, bool, "runner", "True or False")
    _of_type(region, str, "region", "a region name or id (text)")
    _of_type(user_folder, str, "user_folder", USER_FOLDER_EXPECTED)
    if user_folder:
        given_folder(user_folder)
    # What a notebook read is noted by the loaders below this module (provenance), which know no
    # run: that record is reset here, for the notebook this run is (a worker runs several).
    provenance.reset()
    rid = study_region(region).id
    provenance.note(paths.REFERENCE / "regions.csv")
    formats, langs = figures.saved_formats(rid, formats, langs)
    run = Run(rid, lang, formats, langs, figures.saved_dpi(rid, dpi), runner, user_folder)
    _CURRENT[:] = [run]
    if rid != DEFAULT_REGION and not runner:
        # Run by hand in Lab: saving this notebook would put another region's outputs into the
        # committed notebook of the default region.
        print(
            f"NOTE: this is the committed notebook of {DEFAULT_REGION}; do not save it with {rid}'s outputs. "
            f"Run `python -m analysis run --region {rid}` (executed copies go to build/notebooks/{rid}/), "
            "or save a copy of the notebook under build/ first."
        )
    return run


def current() -> Run:
    """The run the notebook began with :func:`start`."""
    if not _CURRENT:
        raise RuntimeError("no run begun: a notebook calls study.start(region, lang, ...) first")
    return _CURRENT[0]


def check_run(region_spec: str, params: Mapping[str, object]) -> list[str]:
    """Check what ``python -m analysis run`` is asked before anything is executed or removed;
    return the ids of the regions to run.

    ``region_spec`` is one region (any name :func:`analysis.inputs.regions.resolve` knows), several
    separated by commas, or ``all`` (the 85 regions); each must be a region to study
    (:func:`analysis.inputs.regions.study_region`). The region is chosen there only: a ``region``
    among ``params`` is refused (it would run one region's study into another's notebooks), and so
    is ``runner``, which the runner sets (a run without it would record no step). A
    ``user_folder`` must exist (:func:`analysis.inputs.region.given_folder`)."""
    if "region" in params:
        raise InputError(
            None,
            "the region is chosen with --region only",
            column="--param region",
            expected=f"--region {params['region']}",
            found=params["region"],
        )
    if "runner" in params:
        raise InputError(
            None,
            "parameter runner is set by the runner itself",
            column="--param runner",
            expected="no --param runner (python -m analysis run always sets it)",
            found=params["runner"],
        )
    user_folder = params.get("user_folder")
    if user_folder:
        _of_type(user_folder, str, "user_folder", USER_FOLDER_EXPECTED)
        given_folder(str(user_folder))  # a str, checked just above
    if region_spec.strip() == "all":
        return [r.id for r in all_regions()]
    ids = list(dict.fromkeys(study_region(r.strip()).id for r in region_spec.split(",") if r.strip()))
    if not ids:
        raise InputError(
            None,
            "no region given",
            column="--region",
            expected="a region id or name, several separated by commas, or all",
            found=region_spec,
        )
    return ids


def check_values(params: Mapping[str, object]) -> None:
    """Refuse parameters whose value makes no sense, before anything is computed from them.

    ``threshold`` is the location quotient above which an activity counts as a specialisation
    (Ivanova 2018, Method: LQ above 1). A location quotient is a ratio of two shares, so it is
    never negative, and NaN or infinity compare false with every quotient: the threshold must be
    a finite number above 0, else every activity (or none) would be called a specialisation.
    The figure parameters (``figure_formats``, ``figure_langs``, ``figure_dpi``) are those
    :func:`analysis.core.figures.options` accepts.
    """
    if {"figure_formats", "figure_langs", "figure_dpi"} & set(params):
        figures.options(
            params.get("figure_formats", ""), params.get("figure_langs", ""), params.get("figure_dpi", 0)
        )
    if "threshold" not in params:
        return
    value = params["threshold"]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return  # the type check names it
    if not math.isfinite(value) or value <= 0:
        raise InputError(
            None,
            "parameter threshold is not a location quotient a specialisation can exceed",
            column="threshold",
            expected="a finite number above 0 (the paper uses 1)",
            found=value,
        )


def write_table(df: pd.DataFrame, region: str, name: str) -> str:
    """Write a result table to ``data/processed/<region>/<name>.csv``; return its relative path."""
    path = paths.processed_dir(region) / f"{name}.csv"
    write_csv(df, path)
    current().written.append(paths.rel(path))
    return paths.rel(path)


def _is_year(v: object) -> bool:
    return isinstance(v, float) and v.is_integer() and 1800 <= v <= 2100


def _named_for_years(name: object, values: pd.Index | pd.Series) -> bool:
    """A column or index level named for a year (``year``, ``*_year``, ``founded``) whose values
    are all whole floats (pandas keeps years as float when one is missing)."""
    n = str(name).lower()
    return (
        ("year" in n or n == "founded")
        and pd.api.types.is_float_dtype(values)
        and bool(values.dropna().map(lambda v: float(v).is_integer()).all())
    )


def _integers(values: pd.Index | pd.Series) -> list[object]:
    # object, not Int64: a missing year stays NaN, which to_html shows empty (na_rep)
    return [v if pd.isna(v) else int(v) for v in values]


def years_as_integers(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with its years shown as integers: column labels such as ``2010.0`` (a pivot over a
    float year), and columns and index levels named for a year whose values are all whole
    (:func:`_named_for_years`), a missing one shown empty. Nothing else changes."""
    d = df.rename(columns=lambda c: int(c) if _is_year(c) else c)
    for c in d.columns:
        if _named_for_years(c, d[c]):
            d[c] = pd.Series(_integers(d[c]), index=d.index, dtype=object)
    levels = [d.index.get_level_values(i) for i in range(d.index.nlevels)]
    if any(_named_for_years(lv.name, lv) for lv in levels):
        levels = [
            pd.Index(_integers(lv), dtype=object, name=lv.name) if _named_for_years(lv.name, lv) else lv
            for lv in levels
        ]
        d.index = levels[0] if len(levels) == 1 else pd.MultiIndex.from_arrays(levels)
    return d


def write_markdown(text: str, region: str, name: str) -> str:
    """Write a generated Markdown section to ``data/processed/<region>/<name>.md`` (atomically,
    byte-stable); return its relative path."""
    path = paths.processed_dir(region) / f"{name}.md"
    write_bytes(path, text.encode("utf-8"))
    current().written.append(paths.rel(path))
    return paths.rel(path)


def show(df: pd.DataFrame, decimals: int = 4) -> None:
    """Show a table rounded to ``decimals``: HTML for a reader (wide tables scroll), and the same
    table as plain text, which is what nbval compares (HTML varies between pandas versions).
    Years show as integers (:func:`years_as_integers`)."""
    d = years_as_integers(df.round(decimals))
    with pd.option_context(
        "display.width", 200, "display.max_columns", 50, "display.max_colwidth", 60, "display.max_rows", 500
    ):
        text = d.to_string()
    html = (
        '<div style="overflow-x:auto">'
        + d.to_html(na_rep="", float_format=lambda v: f"{v:.{decimals}f}")
        + "</div>"
    )
    display({"text/plain": text, "text/html": html}, raw=True)


def say(markdown: str) -> None:
    """Show a sentence generated from a result as Markdown (plain text for nbval).

    The one gate of generated Markdown: sentences interpolate user text (names, labels), so the
    Markdown shown is :func:`analysis.core.escape.safe_markdown` of it (no raw HTML, no
    ``javascript:`` link); the plain-text twin is the sentence as generated."""
    display({"text/plain": markdown, "text/markdown": escape.safe_markdown(markdown)}, raw=True)


def region_name(region: str, lang: str = "en") -> str:
    """The region's name in ``lang``."""
    r = resolve(region)
    return r.name_en if lang == "en" else r.name_ru


def title(region: str, step: str) -> None:
    """The notebook's region as a heading: the step and the region being run; for a region that
    contains autonomous okrugs, an okrug or a part without okrugs, a sentence on how it nests
    (:func:`analysis.inputs.regions.nesting_note`)."""
    r = resolve(region)
    say(f"## {step}: {r.name_en} ({r.name_ru})")
    nested = nesting_note(r.id)
    if nested:  # a region that contains okrugs, an okrug, or a part without okrugs
        say(f"*{nested}*")


def source(x: Sourced | Missing) -> None:
    """Say where a quantity comes from, or print its SKIPPED line saying where to supply it. The
    step's record keeps the same as data (:func:`origin_record`), which the book lists."""
    print(x)
    entry, origins = origin_record(x), current().origins
    if entry not in origins:
        origins.append(entry)


def declare(what: str, origin: Origin, where: str) -> None:
    """Say where an input read without the input layer comes from (a Rosstat workbook, the
    paper's Method), in the words and the record :func:`source` gives the input layer's."""
    source(Sourced(what, pd.DataFrame(), origin, where))


def origin_record(x: Sourced | Missing) -> dict[str, str]:
    """Where an input comes from, as data: ``what``; ``kind``, its origin (``paper``, ``rosstat``,
    ``user``) or ``missing``; ``source``, the file or table it is read from, or for a missing
    input why it is missing and where to supply it (its SKIPPED line after the name)."""
    if isinstance(x, Missing):
        return {"what": x.what, "kind": "missing", "source": str(x).removeprefix(f"SKIPPED: {x.what}: ")}
    return {"what": x.what, "kind": x.origin, "source": x.source}


def has(x: Sourced | Missing) -> bool:
    """True if the quantity is there; else print one SKIPPED line for the section."""
    if isinstance(x, Missing):
        print(f"SKIPPED: no {x.what} (see the first cell for where to supply them)")
        return False
    return True


def note(x: Sourced, lang: str) -> str:
    """The source line under a figure drawn from ``x``."""
    if x.origin == "paper":
        where = x.source.removeprefix("Ivanova (2018), ")
        if lang == "ru":
            where = re.sub(r"Table (\d+)", lambda m: labels.label("table_n", "ru", n=m.group(1)), where)
        return labels.label("source_paper", lang) + ", " + where
    return labels.label("source_named", lang, source=x.source)


def notes(inputs: Sequence[Sourced | Missing], lang: str, *, rosstat: bool = False) -> str:
    """The source line under a figure drawn from several inputs: those present, and Rosstat."""
    word = labels.label("source_rosstat", lang).split(": ")[0] + ": "  # "Source: " said once
    parts = [note(x, lang).removeprefix(word) for x in inputs if isinstance(x, Sourced)]
    bare = labels.label("source_rosstat", lang).removeprefix(word)  # "Rosstat"
    if rosstat and not any(p.startswith(bare) for p in parts):
        parts.append(bare)
    return word + prose.unique(parts, "; ") if parts else ""  # two inputs from one file: named once


def names(*inputs: Sourced | Missing) -> dict[str, str]:
    """The Russian names a user's files give their ids (``*_label``), over ``inputs``; the first
    input that names an id wins."""
    out: dict[str, str] = {}
    for x in reversed(inputs):
        if isinstance(x, Sourced):
            out.update(x.names)
    return out


def figure(
    draw: Callable[[str], Figure],
    name: str,
    region: str,
    *,
    caption: tuple[str, str],
    show: str | None = None,
) -> None:
    """Save a figure in the languages and formats the run writes (:class:`Run`; both languages
    and three formats unless a batch run asks for fewer; :func:`analysis.core.figures.save`), record its ``caption`` (English, Russian) in the region's figures manifest, show it in
    ``show``'s language with its caption, and list its files among the outputs.

    ``name`` starts with the step's two digits (``03_hhi``). A source note the figure shows
    shortened (a user's long source) is given in full at the end of the caption."""
    run = current()
    shortened: dict[str, str] = {}
    figures.save(
        draw, name, region, show=show, formats=run.formats, langs=run.langs, dpi=run.dpi, shortened=shortened
    )
    caption = (
        f"{caption[0]}. {shortened['en']}" if "en" in shortened else caption[0],
        f"{caption[1]}. {shortened['ru']}" if "ru" in shortened else caption[1],
    )
    manifest.record(region, manifest.Entry(name, name.split("_", 1)[0], *caption))
    if show is not None:
        # A caption is plain text, and may carry a user's label: shown as typed, never as markup.
        say(f"*Figure `{name}`: {escape.markdown(caption[figures.LANGS.index(show)])}*")
    out = paths.figures_dir(region)
    run.written.extend(paths.rel(out / f"{name}.{lg}.{fmt}") for lg in run.langs for fmt in run.formats)


def against_paper(region: str, sources: Sequence[str] = (), prefixes: Sequence[str] = ()) -> None:
    """The reproduction ledger's rows for ``sources`` (e.g. "Table 3") and claim ids starting with
    ``prefixes``: what the paper prints beside what is recomputed here. Its region only."""
    if not paper.covers(region):
        print("SKIPPED: the paper prints these numbers for the region it studies only")
        return
    led = _ledger()
    rows = led[led["source"].isin(sources) | led["claim_id"].str.startswith(tuple(prefixes))]
    rows = rows[rows["status"] != "transcribed_only"]
    counts = rows["status"].value_counts().reindex(list(ledger.STATUSES), fill_value=0)
    say(
        f"{len(rows)} published numbers recomputed: "
        + ", ".join(f"{n} {str(status).replace('_', ' ')}" for status, n in counts.items() if n)
        + "."
    )
    show(rows.set_index("claim_id")[["published", "recomputed", "tolerance", "status"]], 4)
    for r in rows[rows["status"] == "discrepancy"].itertuples():
        say(f"- `{r.claim_id}`: {r.note}")


def outputs(step: str) -> None:
    """List the files this notebook (``step``, e.g. ``05_freight``) wrote, once, at its end.

    Under the runner it also records the step's inputs (with their SHA-256), where each comes
    from (:func:`source`) and its outputs in ``build/runs/<region>/<step>.record.json``, which the runner gathers into the region's
    ``run_record.json`` and uses to remove the outputs a step no longer writes."""
    run = current()
    written = sorted(set(run.written))
    if not written:
        print("no files written")
    for path in written:
        print(path)
    region = run.region
    if run.runner:
        record: dict[str, object] = {"step": step, "region": region, "inputs": provenance.reads()}
        record |= {"outputs": written, "origins": list(run.origins)}  # origins: study.source's, for the book
        text = json.dumps(record, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
        write_bytes(paths.RUNS / region / f"{step}.record.json", text.encode("utf-8"))


# The run the notebook being executed has begun: one at a time in a process (a worker executes
# its notebooks one after another, each beginning its own with start). Kept here rather than
# passed around because the notebooks' calls (write_table, figure, outputs) are the study's
# vocabulary and stay short; everything else a run knows is in its Run.
_CURRENT: list[Run] = []
_LEDGER: list[pd.DataFrame] = []
_LEDGER_READS: dict[str, str] = {}


def _ledger() -> pd.DataFrame:
    # Built once per process: several notebooks executed in one worker compare against
    # it. Every notebook that uses it has read the files the ledger is built from, whichever
    # notebook built it: they are noted again on every use.
    if not _LEDGER:
        with provenance.capture() as read:
            _LEDGER.append(ledger.build())
        _LEDGER_READS.update(read)
    for f in (*paper.TABLE_FILES.values(), "text_numbers.csv", "clusters.csv"):
        provenance.note(paths.RAW_PAPER / f)
    for path, sha256 in _LEDGER_READS.items():
        provenance.note(path, sha256)
    return _LEDGER[0]


def skip(message: str) -> None:
    """Say plainly that a part of a step is skipped and why."""
    print(f"SKIPPED: {message}")
