"""The book of a region's executed notebooks: ``python -m analysis report``.

``python -m analysis report [--region kemerovo] [--out build/report/<region>]`` writes a static book
in the Jupyter Book layout (Sphinx, MyST-NB and sphinx-book-theme) from the executed notebooks,
without executing them again:

- ``index.html``: the question; where each step's inputs come from for this region (official
  data, the user's folder, the paper's own: the run record's); a warning if the chapters come from
  different runs; the ledger, how to read it and its summary on both axes (recomputation today; a
  named place for the official-statistics axis);
- one chapter per step in study order, ``01_factor_selection.html`` ..., the executed notebook with
  the run it comes from under its title (from ``run_record.json``), its formulas rendered, its
  tables scrolling sideways and every figure opening its full-size PNG;
- ``gallery.html``: every figure of the figures manifest as a thumbnail that opens the full figure,
  with its caption in the page language and the step that makes it;
- ``ledger.html``: the ledger, every row, in a table with a filter box;
- ``data.html``: every raw file with its origin and SHA-256;
- ``references.html``: the bibliography, from ``book/references.bib``;
- ``search.html``: full-text search, which works from ``file://``.

How: :func:`sources` makes the Sphinx sources (``conf.py``, the pages in MyST Markdown, copies of
the notebooks, the bibliography, the style sheet and script in ``book/``, and MathJax 2 from the
``jupyter-server-mathjax`` package) and :func:`build` writes them to ``build/book-src/<region>/``
(emptied first), runs Sphinx there and copies its HTML into the output folder, writing only the
files whose bytes changed and removing those a previous build wrote and this one does not (listed
in ``.report-files``); files it did not write are left alone. The page language is the ``lang``
the notebooks were run with.

Offline: every script, style sheet, font and MathJax file is in the book's folder. Before anything
is copied, :func:`analysis.runner.book_check.offline_problems` reads every page and style sheet of
the build and the build fails if one would load something over http(s) (hyperlinks such as the DOI
are not loads).

The Sphinx extension of that build is :mod:`analysis.runner.book_sphinx`: it links each notebook
figure to its full-size PNG and gives citations round brackets.

``python -m analysis figures-readme`` writes ``figures/README.md`` from the same figures manifest
(:func:`figures_readme`).
"""

from __future__ import annotations

import errno
import io
import json
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib.resources import files as package_files
from pathlib import Path
from typing import Any, Literal

import nbformat
import pandas as pd
from sphinx.application import Sphinx
from sphinx.util.docutils import docutils_namespace, patch_docutils

from analysis.core import escape, manifest, paths
from analysis.core.figures import DPI, FORMATS, LANGS
from analysis.core.outputs import write_bytes
from analysis.inputs.regions import resolve
from analysis.reproduction import official
from analysis.reproduction.ledger import summary
from analysis.runner import book_check
from analysis.runner.pipeline import RECORD, STEPS, mixed_runs, read_record

DEFAULT_REGION = paths.DEFAULT_REGION
BOOK = paths.ROOT / "book"  # the book's static sources: prose, bibliography, style sheet, script
SOURCES = paths.ROOT / "build" / "book-src"  # generated Sphinx sources, one folder per region
MANIFEST = ".report-files"  # files the last build wrote into the output folder, one per line
FIGURES_README = paths.FIGURES / "README.md"
DOI = "10.17059/2018-4-12"
MATHJAX = "_static/mathjax"  # where the copy of MathJax goes in the sources and in the book
MATHJAX_CONFIG = "TeX-AMS-MML_HTMLorMML-full"
# The ledger's columns on each axis: recomputation today, official statistics when the ledger has it.
RECOMPUTATION_AXIS = "status"
OFFICIAL_AXIS = "official_status"

OriginKind = Literal["paper", "rosstat", "user", "missing"]
# How the front page names each origin: in its summary, and in the table of inputs.
ORIGIN_LABELS: dict[OriginKind, str] = {
    "rosstat": "official data (Rosstat)",
    "user": "the user's folder",
    "paper": "the paper's own (Kemerovo region only)",
    "missing": "missing: the step skips what needs it",
}
ORIGIN_SHORT: dict[OriginKind, str] = {
    "rosstat": "Rosstat (official)",
    "user": "user's folder",
    "paper": "the paper (Kemerovo only)",
    "missing": "missing",
}
# Author-year mentions in the notebooks' prose that become citations of book/references.bib.
CITATIONS = {
    "Ivanova (2018)": "ivanova2018",
    "Hoover (1936)": "hoover1936",
    "Hirschman (1945)": "hirschman1945",
    "Herfindahl (1950)": "herfindahl1950",
    "Krugman (1991)": "krugman1991",
}
OTHER_REGION = (
    "This book is for {name}. The paper's own tables describe Kemerovo region only, so the parts of "
    "each step that need them (the sections headed *Against the paper*) say SKIPPED here; the rest is "
    "computed for {name} from official data and from the user's folder, as the table below says."
)


class BookError(Exception):
    """The book cannot be built as asked (no executed notebooks, a page that would use the network)."""


# ----------------------------------------------------------------------------- the notebooks


@dataclass(frozen=True)
class Step:
    """A step of the study: its notebook's name, its title and the executed notebook, if any."""

    name: str  # "01_factor_selection"
    title: str  # the notebook's level-1 heading, "Step 1. ..."
    notebook: Path | None  # the executed notebook; None if the step was not run for the region

    @property
    def number(self) -> str:
        """The step's two digits, as the figures manifest gives them."""
        return self.name.split("_", 1)[0]


def notebooks_dir(region: str) -> Path:
    """Where the executed notebooks of ``region`` are (see :func:`analysis.runner.pipeline.destination`)."""
    if region == DEFAULT_REGION:
        return paths.NOTEBOOKS
    return paths.ROOT / "build" / "notebooks" / region


def read_notebook(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def step_title(nb: nbformat.NotebookNode, default: str) -> str:
    """The first level-1 markdown heading of ``nb`` (``# Step N. ...``), else ``default``."""
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for line in cell.source.splitlines():
            m = re.match(r"^#\s+(.+?)\s*#*\s*$", line)
            if m:
                return m.group(1)
    return default


def steps(region: str) -> list[Step]:
    """Every step of the study in order, with the executed notebook of ``region`` where it exists.

    A step not run for ``region`` keeps the title of its notebook in ``notebooks/``.
    """
    folder = notebooks_dir(region)
    out = []
    for name in STEPS:
        path = folder / f"{name}.ipynb"
        source = path if path.exists() else paths.NOTEBOOKS / f"{name}.ipynb"
        title = step_title(read_notebook(source), name) if source.exists() else name
        out.append(Step(name, title, path if path.exists() else None))
    return out


def step_of(entry: manifest.Entry | None, step_list: list[Step]) -> Step | None:
    """The step whose number the figures manifest gives for a figure."""
    if entry is None:
        return None
    return next((s for s in step_list if s.number == entry.step), None)


def _code_cells(nb: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    return [c for c in nb.cells if c.cell_type == "code"]


def notebook_lang(nb: nbformat.NotebookNode) -> str:
    """The ``lang`` parameter a notebook was run with (papermill's injected cell, else its default)."""
    cells = _code_cells(nb)
    tagged = [c for c in cells if "injected-parameters" in c.metadata.get("tags", [])]
    tagged += [c for c in cells if "parameters" in c.metadata.get("tags", [])]
    for cell in tagged:
        m = re.search(r"""^lang\s*=\s*["']([a-z]+)["']""", cell.source, re.M)
        if m and m.group(1) in LANGS:
            return m.group(1)
    return LANGS[0]


def language(step_list: list[Step]) -> str:
    """The book's language: the ``lang`` of the first executed notebook."""
    present = [s for s in step_list if s.notebook is not None]
    return notebook_lang(read_notebook(present[0].notebook)) if present and present[0].notebook else LANGS[0]


# ----------------------------------------------------------------------------- where inputs come from


@dataclass(frozen=True)
class Origin:
    """One input of a step, as its record keeps it (:func:`analysis.study.source`): where it comes from."""

    step: str  # "02_cluster_profiling"
    what: str  # "clusters"
    origin: OriginKind
    source: str  # the file or table it was read from, or why it is missing


def origins(record: dict[str, Any], step_list: list[Step]) -> list[Origin]:
    """Every input each executed step declared, in study order, from the run record (its steps'
    ``origins``: what, kind, source, as :func:`analysis.study.source` recorded them)."""
    out = []
    for step in (s for s in step_list if s.notebook is not None):
        for i, o in enumerate(record.get("steps", {}).get(step.name, {}).get("origins", [])):
            if not isinstance(o, dict) or o.get("kind") not in ORIGIN_LABELS or {"what", "source"} - set(o):
                raise BookError(
                    f"{RECORD}: steps.{step.name}.origins[{i}] is {o!r}; expected what, source and a "
                    f"kind among {', '.join(ORIGIN_LABELS)}"
                )
            out.append(Origin(step.name, str(o["what"]), o["kind"], str(o["source"])))
    return out


def run_line(record: dict[str, Any], step: str, mixed: bool) -> str:
    """The line under a chapter's title: the run its outputs come from, by the id the run record
    gives the step, with the run's date when the record has one; whether other chapters come from
    other runs (the front page names them)."""
    rid = record.get("steps", {}).get(step, {}).get("run")
    if not rid:
        return f"*The run of this chapter is not recorded: `{RECORD}` gives this step no run id.*"
    date = record.get("runs", {}).get(rid, {}).get("date")
    other = " Other chapters come from other runs: see the {doc}`front page <index>`." if mixed else ""
    return f"*This chapter comes from run `{rid}`{f' of {date}' if date else ''} (`{RECORD}`).{other}*"


# ----------------------------------------------------------------------------- notebook copies


def cite(markdown: str) -> str:
    """Author-year mentions of :data:`CITATIONS` as citations of the book's bibliography."""
    for text, key in CITATIONS.items():
        markdown = markdown.replace(text, f"{{cite:t}}`{key}`")
    return markdown


def prepare_notebook(nb: nbformat.NotebookNode, run: str = "") -> nbformat.NotebookNode:
    """A copy of an executed notebook for the book: citations in its prose, the line ``run``
    (:func:`run_line`) under its title. Nothing is executed; no output changes (years are shown
    as integers where the tables are shown, :func:`analysis.study.years_as_integers`)."""
    nb = nbformat.from_dict(json.loads(json.dumps(nb)))
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = cite(cell.source)
            lines = cell.source.split("\n")
            title = next((i for i, line in enumerate(lines) if re.match(r"#\s", line)), None)
            if run and title is not None:  # under the title, once
                cell.source, run = "\n".join([*lines[: title + 1], "", run, *lines[title + 1 :]]), ""
            continue
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if "text/html" in data:
                html = data["text/html"]
                data["text/html"] = "".join(html) if isinstance(html, list) else html
    return nb


# ----------------------------------------------------------------------------- ledger and raw data


def ledger_path(region: str) -> Path:
    return paths.processed_dir(region) / "reproduction.csv"


def read_ledger(region: str) -> pd.DataFrame | None:
    """The region's ledger with every cell as printed in the CSV, or None if there is none."""
    p = ledger_path(region)
    if not p.exists():
        return None
    return pd.read_csv(p, dtype=str, keep_default_na=False)


def axis_counts(ledger: pd.DataFrame, column: str) -> pd.DataFrame | None:
    """Rows of the ledger counted by source and by the status on one axis (None if the ledger has
    no such column). The recomputation axis is :func:`analysis.reproduction.ledger.summary`."""
    if column not in ledger.columns:
        return None
    if column == RECOMPUTATION_AXIS:
        return summary(ledger).sort_index().astype(int)
    if column == OFFICIAL_AXIS:
        # numbers with an official counterpart only; the table adds its own totals
        return official.summary(ledger).drop(index="total", columns="total").astype(int)
    return pd.crosstab(ledger["source"], ledger[column]).sort_index().astype(int)


@dataclass(frozen=True)
class RawFile:
    """One raw input file: its folder under data/raw, name, SHA-256 and documented origin."""

    folder: str
    name: str
    sha256: str
    origin: str


def _documented(readme: Path) -> dict[str, str]:
    """File name -> the second cell of the README table row that names it (in backquotes) first."""
    if not readme.exists():
        return {}
    out: dict[str, str] = {}
    for line in readme.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
        if not line.startswith("|") or len(cells) < 2:
            continue
        for name in re.findall(r"`([^`]+)`", cells[0]):
            out.setdefault(name, cells[1])
    return out


def raw_files() -> list[RawFile]:
    """Every file listed in a ``data/raw/*/SHA256SUMS``, with its checksum and documented origin
    (the folder's README, else ``data/raw/README.md``)."""
    general = _documented(paths.RAW / "README.md")
    out = []
    for sums in sorted(paths.RAW.glob("*/SHA256SUMS")):
        folder = sums.parent
        documented = _documented(folder / "README.md")
        for line in sums.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            sha, name = line.split(maxsplit=1)
            name = name.lstrip("*")
            out.append(RawFile(folder.name, name, sha, documented.get(name) or general.get(name, "")))
    return out


# ----------------------------------------------------------------------------- MyST pages


def md(text: object) -> str:
    """``text`` as literal MyST Markdown inline text (no emphasis, roles, math, HTML or table
    breaks): :func:`analysis.core.escape.markdown`."""
    return escape.markdown(text)


def markdown_cell(text: str) -> str:
    """Markdown from a README table cell, safe in a MyST table: ``|`` and ``$`` escaped."""
    return re.sub(r"(?<!\\)([|$])", r"\\\1", " ".join(text.split()))


def data_keys() -> list[str]:
    """The keys of the data sources in ``book/references.bib`` (``data_...``)."""
    bib = (BOOK / "references.bib").read_text(encoding="utf-8")
    return re.findall(r"^@\w+\{(data_\w+),", bib, flags=re.M)


def md_table(header: list[str], rows: list[list[str]], *, name: str, caption: str, classes: str = "") -> str:
    """A MyST ``{table}`` of Markdown cells (escape them with :func:`md`)."""
    lines = [f"```{{table}} {caption}", f":name: {name}"]
    if classes:
        lines.append(f":class: {classes}")
    lines += ["", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join([*lines, "```", ""])


def region_name(region: str) -> str:
    try:
        return resolve(region).name_en
    except Exception:  # a user's region missing from the registry: show its id
        return region


def _axis_table(counts: pd.DataFrame, name: str, caption: str) -> str:
    statuses = list(counts.columns)
    rows = [
        [md(src), *(str(int(counts.loc[src, st])) for st in statuses), str(int(counts.loc[src].sum()))]
        for src in counts.index
    ]
    rows.append(
        ["**total**", *(f"**{int(counts[st].sum())}**" for st in statuses), f"**{int(counts.values.sum())}**"]
    )
    return md_table(
        ["source", *map(md, statuses), "total"], rows, name=name, caption=caption, classes="nowrap"
    )


def _is_method(o: Origin) -> bool:
    """An input from the paper's Method section (the factors of step 1): the study's method, the
    same for every region, not the paper's numbers of Kemerovo region."""
    return o.origin == "paper" and re.search(r"\bMethod\b", o.source) is not None


def _origins_section(found: list[Origin], unsaid: str = "") -> list[str]:
    """Which steps use official data, the user's folder, the paper's own numbers; then every input.
    ``unsaid``: which steps' record does not say where their inputs come from (:func:`_unsaid`)."""
    out = ["(origins)=", "## Where this region's inputs come from", ""]
    method = [o for o in found if _is_method(o)]
    for kind, label in ORIGIN_LABELS.items():
        numbers = sorted({int(o.step[:2]) for o in found if o.origin == kind and not _is_method(o)})
        listed = (
            f"step{'s' if len(numbers) > 1 else ''} {', '.join(map(str, numbers))}" if numbers else "none"
        )
        out.append(f"- **{label}**: {listed}")
    if method:  # the factors of the paper's Method: the study's method for every region, not data
        steps = sorted({int(o.step[:2]) for o in method})
        out.append(
            f"- **the paper's method (any region)**: step{'s' if len(steps) > 1 else ''} {', '.join(map(str, steps))}"
        )
    out += [
        "",
        "Each step's first cell says where each of its inputs comes from; its run record keeps that, and "
        "the table repeats it. Official data are Rosstat's files in `data/raw/rosstat/` (see {doc}`data`); the user's folder is "
        "`data/user/<region>/` or the `user_folder` the step was run with; the paper's own numbers "
        "(`data/raw/paper/`) describe Kemerovo region only and are never used for another region.",
        "",
        *([unsaid, ""] if unsaid else []),
    ]
    rows = [
        [
            f"{{doc}}`step {int(o.step[:2])} <{o.step}>`",
            md(o.what),
            "the paper's method" if _is_method(o) else ORIGIN_SHORT[o.origin],
            md(o.source),
        ]
        for o in found
    ]
    out.append(
        md_table(
            ["step", "input", "comes from", "source, or why it is missing"],
            rows,
            name="origins-table",
            caption="The inputs of each step and their origin",
            classes="origins",
        )
    )
    return out


def _unsaid(region: str, step_list: list[Step]) -> str:
    """A sentence naming the executed steps whose run record has no ``origins`` (recorded before
    steps kept them, or not by the runner) and how to fix it; "" when every step has them."""
    recorded = read_record(region).get("steps", {})
    unsaid = [s.number for s in step_list if s.notebook and "origins" not in recorded.get(s.name, {})]
    if not unsaid:
        return ""
    steps = f"step{'s' * (len(unsaid) > 1)} {', '.join(str(int(n)) for n in unsaid)}"
    fix = f"rerun the region (`python -m analysis run --region {region}`)"
    return f"The run record does not say where the inputs of {steps} come from: {fix}."


def _ledger_section(region: str, ledger: pd.DataFrame | None) -> list[str]:
    """How to read the ledger, and its counts on each axis (a named place for the second)."""
    out = ["## The reproduction ledger", "", "```{include} ledger_guide.md", "```", ""]
    out += ["(ledger-recomputation-axis)=", "### Axis 1: recomputation", ""]
    counts = axis_counts(ledger, RECOMPUTATION_AXIS) if ledger is not None else None
    if ledger is None or counts is None:
        out += [
            f"There is no ledger for {md(region_name(region))}: the ledger checks the numbers the paper "
            "publishes, which concern Kemerovo region only.",
            "",
        ]
    else:
        out += [
            f"The {len(ledger)} numbers of the paper by where they are printed and by status "
            f"(`{paths.rel(ledger_path(region))}`; every row is in the {{doc}}`ledger`).",
            "",
            _axis_table(counts, "ledger-summary", "Recomputation: the paper's numbers by source and status"),
        ]
    out += ["(ledger-official-axis)=", "### Axis 2: official statistics", ""]
    official_counts = axis_counts(ledger, OFFICIAL_AXIS) if ledger is not None else None
    if official_counts is None:
        out += [
            "Not assessed yet. This is where the ledger's second axis will be counted: whether the "
            "paper's inputs agree with what Rosstat publishes for the same years (the ledger column "
            f"`{OFFICIAL_AXIS}`, by source, as above).",
            "",
        ]
    else:
        caption = "Official statistics: the paper's numbers by source and status"
        out.append(_axis_table(official_counts, "ledger-official-summary", caption))
    return out


def _toctrees(present: list[Step]) -> list[str]:
    """The sidebar: the chapters in study order, then the back matter."""
    out = []
    for caption, docs in [
        ("The study, step by step", [s.name for s in present]),
        ("Results and sources", ["gallery", "ledger", "data", "references"]),
    ]:
        out += ["```{toctree}", f":caption: {caption}", ":hidden:", "", *docs, "```", ""]
    return out


def index_page(region: str, step_list: list[Step], found: list[Origin], ledger: pd.DataFrame | None) -> str:
    """The front page: the question, where this region's inputs come from, the ledger on both axes."""
    name = region_name(region)
    out = [
        f"# Ivanova (2018) reproduced: {md(name)}",
        "",
        f"*A research compendium of {{cite:t}}`ivanova2018`, [doi:{DOI}](https://doi.org/{DOI}) (in "
        f"Russian), built from the executed notebooks of {md(name)} (region id `{region}`).*",
        "",
        "## The question",
        "",
        "```{include} question.md",
        "```",
        "",
    ]
    if region != DEFAULT_REGION:
        out += [OTHER_REGION.format(name=md(name)), ""]
    mixed = mixed_runs(region)  # a failed or interrupted run, or a step rerun alone: said first
    if mixed:
        out += ["```{warning}", f"Not one run: {md(mixed)}.", "```", ""]
    verdicts = paths.processed_dir(region) / "what_the_checks_change.md"  # step 7, the paper's region
    if verdicts.exists():
        out += [verdicts.read_text(encoding="utf-8"), ""]
    out += ["## The study, step by step", ""]
    for s in step_list:
        out.append(f"- {{doc}}`{s.name}`" if s.notebook else f"- {md(s.title)} (not run for this region)")
    out += ["", "Also: the {doc}`gallery`, the {doc}`ledger`, the {doc}`data` and the {doc}`references`.", ""]
    out += _origins_section(found, _unsaid(region, step_list))
    out += _ledger_section(region, ledger)
    out += _toctrees([s for s in step_list if s.notebook is not None])
    return "\n".join(out)


@dataclass(frozen=True)
class GalleryFigure:
    """A figure of the manifest as the gallery shows it."""

    entry: manifest.Entry
    step: Step | None
    png: Path | None  # figures/<region>/<name>.<lang>.png, None if it is not there

    @property
    def file(self) -> str:
        return self.png.name if self.png else ""


def gallery(region: str, step_list: list[Step], lang: str) -> list[GalleryFigure]:
    """Every figure of the region's manifest in study order, with its PNG in ``lang``."""
    folder = paths.figures_dir(region)
    out = []
    for name, entry in sorted(manifest.read(region).items(), key=lambda kv: (kv[1].step, kv[0])):
        png = folder / f"{name}.{lang}.png"
        out.append(GalleryFigure(entry, step_of(entry, step_list), png if png.exists() else None))
    return out


def gallery_page(region: str, figures: list[GalleryFigure], lang: str) -> str:
    """The figures gallery: a grid of thumbnails per step, each opening the full figure."""
    name = region_name(region)
    out = [
        "# Figures",
        "",
        f"Every figure the notebooks of {md(name)} saved, from the figures manifest "
        f"`{paths.rel(manifest.path(region))}`, with its caption in this book's language. A thumbnail opens "
        f"the full figure ({DPI} dpi PNG); the SVG and PDF of each are in `{paths.rel(paths.figures_dir(region))}/`.",
        "",
    ]
    if not figures:
        out += ["No figure was saved for this region.", ""]
    groups: dict[str, list[GalleryFigure]] = {}
    for f in figures:
        groups.setdefault(f.entry.step, []).append(f)
    for number, group in groups.items():
        step = group[0].step
        out += [f"## {md(step.title) if step else 'Step ' + number}", ""]
        out += ["::::{container} gallery-grid", ""]
        for f in group:
            caption = f.entry.caption(lang)
            made = (
                f" Made by {{doc}}`step {int(f.step.number)} <{f.step.name}>`."
                if f.step and f.step.notebook
                else ""
            )
            if f.png is None:
                out += [f"**`{f.entry.name}`**: {md(caption)} (no PNG in this language).{made}", ""]
                continue
            out += [
                f":::{{figure}} figures/{f.file}",
                f":name: fig-{f.entry.name}",
                f":alt: {' '.join(caption.split())}",
                ":width: 100%",
                "",
                f"{md(caption)} (`{f.entry.name}`).{made}",
                ":::",
                "",
            ]
        out += ["::::", ""]
    return "\n".join(out)


def ledger_page(region: str, ledger: pd.DataFrame | None) -> str:
    """The ledger, every row; a filter box above it (``book.js``); Sphinx's search finds it too."""
    out = ["# The reproduction ledger", ""]
    if ledger is None:
        name = region_name(region)
        out += [
            f"There is no ledger for {md(name)}: the ledger checks the numbers the paper publishes, "
            "which concern Kemerovo region only. See {ref}`the front page <ledger-recomputation-axis>` "
            "for how the ledger reads.",
            "",
        ]
        return "\n".join(out)
    out += [
        f"Every number the paper publishes, one row each: `{paths.rel(ledger_path(region))}` "
        "as written by step 7 ({ref}`how to read it <ledger-recomputation-axis>`). Type in the box to "
        "keep the rows that contain the text; the book's search finds claims too.",
        "",
    ]
    cols = list(ledger.columns)
    rows = [
        [f"`{v}`" if c == "claim_id" and v else md(v) for c, v in zip(cols, r, strict=True)]
        for r in ledger.itertuples(index=False)
    ]
    out.append(
        md_table(
            [md(c) for c in cols],
            rows,
            name="ledger-rows",
            caption=f"The ledger: {len(ledger)} rows",
            classes="ledger-table filterable",
        )
    )
    return "\n".join(out)


def run_reads(region: str) -> dict[str, str] | None:
    """Every file the region's last run read, repository-relative path -> SHA-256, from its
    ``data/processed/<region>/run_record.json`` (None without one)."""
    if not (paths.processed_dir(region) / RECORD).exists():
        return None
    steps_read = read_record(region).get("steps", {})
    out: dict[str, str] = {}
    for step in steps_read.values():
        out.update(step.get("inputs", {}))
    return dict(sorted(out.items()))


def read_origin(rel_path: str, raw: dict[tuple[str, str], RawFile]) -> str:
    """Where a file a run read comes from, as the data page says it."""
    parts = rel_path.split("/")
    if parts[:2] == ["data", "raw"] and len(parts) == 4 and (parts[2], parts[3]) in raw:
        return markdown_cell(raw[(parts[2], parts[3])].origin) or "see `data/raw/README.md`"
    if parts[:2] == ["data", "interim"]:
        return f"imported from the raw files of `data/raw/{parts[2]}/` below (`python -m analysis import`)"
    if parts[:2] == ["data", "reference"]:
        return "reference table of the study (`data/README.md`)"
    if parts[:2] == ["data", "user"] or parts[0] != "data":
        return "**the user's folder**"
    return ""


def _read_section(read: dict[str, str], found: list[RawFile]) -> list[str]:
    raw = {(f.folder, f.name): f for f in found}
    rows = [[md(p), read_origin(p, raw), f"`{sha}`"] for p, sha in read.items()]
    return [
        "(run-inputs)=",
        "## What this run read",
        "",
        f"The {len(read)} files the notebooks of this book read, from the run's record "
        "(`run_record.json`), with the SHA-256 each had when it was read; the user's files among them.",
        "",
        md_table(
            ["file", "origin", "SHA-256"],
            rows,
            name="run-inputs-table",
            caption="Files read by the run",
            classes="checksums",
        ),
    ]


def data_page(found: list[RawFile], read: dict[str, str] | None = None) -> str:
    """The files the run read (``read``, from its record) with their origins and checksums, then
    the raw files behind them: every raw file of each folder the run drew on (all of them
    without a record)."""
    out = [
        "# Data sources",
        "",
        *(_read_section(read, found) if read is not None else []),
        "Raw files are immutable inputs: each is checked against the `SHA256SUMS` of its folder every "
        "time it is loaded, so the checksums below are those the study ran on. `data/raw/README.md` "
        "documents every file and every judgement made while transcribing.",
        "",
    ]
    intro = {
        "paper": "Every number of {cite:t}`ivanova2018`, transcribed by hand as tidy CSV with its location "
        "in the paper and verified against an independent second transcription.",
        "rosstat": "Official regional statistics of Rosstat {cite:p}`rosstat`, byte-for-byte copies of files "
        f"committed to public repositories {{cite:p}}`{','.join(data_keys())}`: origin as "
        "*repository : path @ commit*.",
    }
    drawn = (
        {f.folder for f in found}
        if read is None
        else {p.split("/")[2] for p in read if p.startswith(("data/raw/", "data/interim/"))}
    )
    for folder in sorted({f.folder for f in found} & drawn):
        out += [f"## `data/raw/{folder}/`", "", intro.get(folder, ""), ""]
        rows = [
            [
                f"`{f.name}`",
                markdown_cell(f.origin) if f.origin else "see `data/raw/README.md`",
                f"`{f.sha256}`",
            ]
            for f in found
            if f.folder == folder
        ]
        out.append(
            md_table(
                ["file", "origin", "SHA-256"],
                rows,
                name=f"raw-{folder}",
                caption=f"data/raw/{folder}/",
                classes="checksums",
            )
        )
    return "\n".join(out)


def references_page() -> str:
    return "\n".join(
        [
            "# References",
            "",
            "The paper, the data sources and the methods cited, from `book/references.bib`.",
            "",
            "```{bibliography}",
            ":all:",
            "```",
            "",
        ]
    )


def conf_py(region: str, lang: str, full_figures: dict[str, str]) -> str:
    """The Sphinx configuration of the book (``conf.py``)."""
    name = region_name(region)
    config: dict[str, Any] = {
        "project": f"Ivanova (2018) reproduced: {name}",
        "author": "the Kuzbass clusters compendium",
        "copyright": "text and figures CC BY 4.0, code MIT",
        "language": lang,
        "extensions": ["myst_nb", "sphinxcontrib.bibtex", "analysis.runner.book_sphinx"],
        "exclude_patterns": ["_build", "**.ipynb_checkpoints", "question.md", "ledger_guide.md"],
        "root_doc": "index",
        # The notebooks are executed already: render their stored outputs.
        "nb_execution_mode": "off",
        "nb_render_markdown_format": "myst",
        "nb_merge_streams": True,
        "myst_enable_extensions": ["dollarmath", "amsmath", "colon_fence"],
        "myst_heading_anchors": 3,
        # MathJax 2 finds \\( \\) and \\[ \\] itself; myst's MathJax 3 settings would hide them from it.
        "myst_update_mathjax": False,
        "suppress_warnings": ["myst.header", "mystnb.unknown_mime_type"],
        "bibtex_bibfiles": ["references.bib"],
        "bibtex_reference_style": "author_year_round",
        "bibtex_default_style": "plain",
        # MathJax 2 from the jupyter-server-mathjax package, copied into the book: no CDN.
        "mathjax_path": f"{MATHJAX.removeprefix('_static/')}/MathJax.js?config={MATHJAX_CONFIG}",
        "mathjax2_config": {
            "tex2jax": {
                "inlineMath": [["\\(", "\\)"]],
                "displayMath": [["\\[", "\\]"]],
                "processEscapes": True,
            },
            "HTML-CSS": {"availableFonts": [], "webFont": "STIX-Web", "imageFont": None},
            "messageStyle": "none",
            "showMathMenu": False,
        },
        "html_theme": "sphinx_book_theme",
        "html_title": f"Ivanova (2018) reproduced: {name}",
        "html_static_path": ["_static"],
        "html_css_files": ["book.css"],
        "html_js_files": ["book.js"],
        "html_copy_source": False,
        "html_show_sourcelink": False,
        # Search summaries are fetched with fetch(), which file:// does not allow.
        "html_show_search_summary": False,
        "html_last_updated_fmt": None,
        "html_theme_options": {
            "home_page_in_toc": True,
            "show_navbar_depth": 1,
            "show_toc_level": 2,
            "use_download_button": False,
            "use_fullscreen_button": False,
            "use_repository_button": False,
            "search_bar_text": "Search the book…",
        },
        "book_full_figures": full_figures,
    }
    lines = [
        "# Generated by analysis.runner.book (python -m analysis report): rebuilt on every build, do not edit.",
        *(f"{k} = {v!r}" for k, v in config.items()),
    ]
    return "\n".join(lines) + "\n"


def mathjax_files() -> dict[str, Path]:
    """The MathJax 2 files the book needs (TeX input, HTML-CSS output, STIX web fonts, English),
    relative path -> file of the ``jupyter-server-mathjax`` package."""
    root = Path(str(package_files("jupyter_server_mathjax") / "static"))
    keep = (
        "MathJax.js",
        "LICENSE",
        f"config/{MATHJAX_CONFIG}.js",
        "jax/",
        "extensions/",
        "fonts/HTML-CSS/STIX-Web/woff/",
        "localization/en/",
    )
    out = {}
    for p in sorted(root.rglob("*")):
        rel = p.relative_to(root).as_posix()
        if (
            p.is_file()
            and rel.startswith(keep)
            and not rel.startswith(("extensions/a11y/", "jax/output/SVG/"))
        ):
            out[rel] = p
    return out


def sources(region: str) -> dict[str, bytes]:
    """Every file of the book's Sphinx sources for ``region``, relative path -> bytes."""
    step_list = steps(region)
    present = [s for s in step_list if s.notebook is not None]
    if not present:
        raise BookError(
            f"no executed notebooks for region {region!r} in {paths.rel(notebooks_dir(region))}/: "
            f"run `python -m analysis run --region {region}` first"
        )
    lang = language(step_list)
    ledger = read_ledger(region)
    figs = gallery(region, step_list, lang)
    record, mixed = read_record(region), mixed_runs(region) is not None
    out: dict[str, bytes] = {}
    for step in present:
        assert step.notebook is not None
        nb = prepare_notebook(read_notebook(step.notebook), run_line(record, step.name, mixed))
        out[f"{step.name}.ipynb"] = nbformat.writes(nb).encode("utf-8")
    full = {}
    for f in figs:
        if f.png is not None:
            out[f"figures/{f.file}"] = f.png.read_bytes()
            full[f.entry.name] = f"_images/{f.file}"
    out["index.md"] = index_page(region, step_list, origins(record, step_list), ledger).encode("utf-8")
    out["gallery.md"] = gallery_page(region, figs, lang).encode("utf-8")
    out["ledger.md"] = ledger_page(region, ledger).encode("utf-8")
    out["data.md"] = data_page(raw_files(), run_reads(region)).encode("utf-8")
    out["references.md"] = references_page().encode("utf-8")
    for name in ("question.md", "ledger_guide.md", "references.bib"):
        out[name] = (BOOK / name).read_bytes()
    for name in ("book.css", "book.js"):
        out[f"_static/{name}"] = (BOOK / name).read_bytes()
    out["conf.py"] = conf_py(region, lang, full).encode("utf-8")
    return dict(sorted(out.items()))


# ----------------------------------------------------------------------------- the build


def default_out(region: str) -> Path:
    return paths.ROOT / "build" / "report" / region


def write_sources(region: str, folder: Path) -> Path:
    """Empty ``folder`` and write the book's Sphinx sources for ``region`` into it."""
    files = sources(region)
    if folder.exists():
        shutil.rmtree(folder)
    for rel_path, data in files.items():
        target = folder / rel_path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    for rel_path, src in mathjax_files().items():
        target = folder / MATHJAX / rel_path
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, target)
    return folder


def run_sphinx(src: Path, html: Path) -> list[str]:
    """Build the HTML of the sources in ``src`` into ``html`` (from scratch); return Sphinx's warnings."""
    warnings = io.StringIO()
    with patch_docutils(src), docutils_namespace():
        app = Sphinx(
            str(src),
            str(src),
            str(html),
            str(src / "_doctrees"),
            "html",
            status=io.StringIO(),
            warning=warnings,
            freshenv=True,
        )
        app.build(force_all=True)
    if app.statuscode:
        raise BookError(f"Sphinx failed:\n{warnings.getvalue()}")
    text = re.sub(r"\x1b\[[0-9;]*m", "", warnings.getvalue())  # Sphinx colours its messages
    return [w for w in text.splitlines() if w.strip()]


def _built_files(html: Path) -> Iterator[tuple[str, Path]]:
    for p in sorted(html.rglob("*")):
        rel = p.relative_to(html).as_posix()
        if p.is_file() and rel != ".buildinfo" and not rel.startswith(".doctrees/"):
            yield rel, p


@dataclass
class Built:
    """What :func:`build` did: the output folder and Sphinx's warnings."""

    out: Path
    warnings: list[str] = field(default_factory=list)


def sync(html: Path, out: Path) -> list[str]:
    """Copy the built book ``html`` into ``out``; return the files written, relative to ``out``.

    A file is written only when its bytes change; files that the previous build into ``out`` wrote
    (listed in ``.report-files``) and this one does not are removed; others are left alone.
    """
    listing = out / MANIFEST
    old = set(listing.read_text(encoding="utf-8").split("\n")) - {""} if listing.exists() else set()
    written = []
    for rel_path, p in _built_files(html):
        write_bytes(out / rel_path, p.read_bytes())
        written.append(rel_path)
    for stale in sorted(old - set(written)):
        target = (out / stale).resolve()
        if target.is_file() and out.resolve() in target.parents:
            target.unlink()
    write_bytes(listing, "".join(f"{p}\n" for p in written).encode("utf-8"))
    return written


def build(
    region: str = DEFAULT_REGION, out: Path | str | None = None, sources_dir: Path | None = None
) -> Built:
    """Build the book of ``region`` into ``out`` (default ``build/report/<region>/``), from Sphinx
    sources written to ``sources_dir`` (default ``build/book-src/<region>/``).

    Raises :class:`BookError` if there are no executed notebooks or a page would load from the
    network; ``out`` is not touched then. See :func:`sync` for how ``out`` is updated.
    """
    region = resolve(region).id
    out = Path(out) if out is not None else default_out(region)
    try:
        src = write_sources(region, sources_dir or SOURCES / region)
        html = src / "_build" / "html"
        warnings = run_sphinx(src, html)
    except OSError as exc:
        raise _disk_error(exc, "the book's sources or pages", sources_dir or SOURCES / region) from exc
    bad = book_check.offline_problems(html)
    if bad:
        raise BookError("pages would load from the network: " + "; ".join(bad[:5]))
    bad = book_check.script_problems(html)
    if bad:
        raise BookError(
            f"pages carry scripts the build did not write ({len(bad)}), from the notebooks' outputs, "
            "i.e. from text in the inputs: " + "; ".join(bad[:5])
        )
    swap_in(html, out)
    return Built(out, warnings + [f"the book mixes runs: {m}" for m in [mixed_runs(region)] if m])


def _disk_error(exc: OSError, what: str, where: Path) -> BookError:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return BookError(
            f"the disk is full: writing {what} in {paths.rel(where)}/ failed ({exc.strerror}); "
            "the book in place was not changed. Free some space and run the report again"
        )
    return BookError(
        f"writing {what} in {paths.rel(where)}/ failed: {exc}; the book in place was not changed"
    )


def swap_in(html: Path, out: Path) -> None:
    """Update ``out`` with the built book ``html`` (as :func:`sync` does), all at once.

    The new book is assembled in a sibling folder (a copy of ``out``, then :func:`sync`), and
    only when it is complete does it take ``out``'s place, by two renames. A write that fails
    (a full disk) leaves ``out`` as it was, the half-made copy removed, and says why."""
    stage = out.with_name(f".{out.name}.new")
    old = out.with_name(f".{out.name}.old")
    for d in (stage, old):
        shutil.rmtree(d, ignore_errors=True)
    try:
        if out.exists():
            shutil.copytree(out, stage, symlinks=True)
        stage.mkdir(parents=True, exist_ok=True)
        sync(html, stage)
    except OSError as exc:
        shutil.rmtree(stage, ignore_errors=True)
        raise _disk_error(exc, "the book", out) from exc
    if out.exists():
        out.rename(old)
    stage.rename(out)
    shutil.rmtree(old, ignore_errors=True)


# ----------------------------------------------------------------------------- figures/README.md


def figures_readme() -> bytes:
    """``figures/README.md``: every figure the default region's notebooks save, with its caption."""
    step_list = steps(DEFAULT_REGION)
    entries = manifest.read(DEFAULT_REGION)
    lines = [
        "# Figures",
        "",
        "<!-- Generated by `python -m analysis figures-readme` from the figures manifest "
        f"`figures/{DEFAULT_REGION}/manifest.csv` (captions are declared where each figure is saved). "
        "Do not edit by hand. -->",
        "",
        f"Every figure is saved as `figures/<region>/<name>.<lang>.<ext>`: languages "
        f"{', '.join(f'`{lg}`' for lg in LANGS)}, formats {', '.join(f'`{f}`' for f in FORMATS)} "
        f"(PNG at {DPI} dpi). The files carry no timestamps, so a rerun rewrites no byte unless the "
        "data or the code changed. A step that lacks a region's inputs skips its figure, so another "
        "region's folder may hold fewer figures than "
        f"`{DEFAULT_REGION}/`.",
        "",
        "`python -m analysis report` shows the PNGs of a region in the gallery of its book, captioned as below.",
        "",
        "| figure | caption | подпись | saved by |",
        "|---|---|---|---|",
    ]
    for name, e in sorted(entries.items()):
        step = step_of(e, step_list)
        where = f"`{paths.rel(paths.NOTEBOOKS / (step.name + '.ipynb'))}`" if step else ""
        en, ru = (escape.markdown(c) for c in (e.caption_en, e.caption_ru))
        lines.append(f"| `{name}` | {en} | {ru} | {where} |")
    return ("\n".join(lines) + "\n").encode("utf-8")


def write_figures_readme() -> Path:
    return write_bytes(FIGURES_README, figures_readme())
