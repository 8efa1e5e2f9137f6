"""An offline HTML report of a region's executed notebooks: ``python -m analysis report``.

``python -m analysis report [--region kemerovo] [--out build/report/<region>]`` writes a static site:

- ``index.html``: what the study asks, the reproduction ledger counted by source and status, a
  gallery of every PNG figure of the region (captioned, each linked to the step that draws it) and
  links to every step page;
- one page per step, ``01_factor_selection.html`` ..., the executed notebook rendered by nbconvert's
  ``lab`` template, with links to the index and to the previous and next steps;
- ``figures/``: copies of the region's PNG figures, which the index shows.

The site needs no network: the step template (``analysis/runner/templates/report_step``) empties the
blocks where nbconvert links to a CDN (require.js, MathJax, mermaid.js, the widgets renderer),
images are relative files or ``data:`` URIs, and :func:`network_references` refuses any page that
would still load something from ``http(s)://`` (hyperlinks such as the DOI are fine). The bytes are
the same on every run: no dates, everything sorted, files written atomically and only when they
change. Files a previous build wrote and this one does not (a figure or step that no longer
exists) are removed, using the list the build keeps in ``.report-files``.

``python -m analysis figures-readme`` writes ``figures/README.md``: every figure the
notebooks save, its caption and the notebook that saves it, found by the same code that captions
the gallery (the region's figures manifest, ``figures/<region>/manifest.csv``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import jinja2
import nbformat
import pandas as pd
from nbconvert import HTMLExporter

from analysis.core import manifest, paths
from analysis.core.figures import DPI, FORMATS, LANGS
from analysis.core.outputs import write_bytes
from analysis.inputs.regions import resolve
from analysis.reproduction.ledger import STATUSES, summary
from analysis.runner.pipeline import STEPS
from analysis.study import DEFAULT_REGION, check

TEMPLATES = Path(__file__).resolve().parent / "templates"
STEP_TEMPLATE = "report_step"
DOI = "10.17059/2018-4-12"
SITE_FIGURES = "figures"  # folder of the site that holds the copied PNGs
MANIFEST = ".report-files"  # files the last build wrote, one per line, relative to the site
FIGURES_README = paths.FIGURES / "README.md"
LANG_NAMES = {"en": "English", "ru": "Russian"}

# What the study asks, in the compendium's words (not the paper's).
QUESTION = [
    "Kemerovo region (Kuzbass) lives off coal: mining and the industries that burn or process coal "
    "dominate its output and what it ships out. Between 2012 and 2017 the region founded five "
    "industrial clusters. Ivanova (2018) asks whether those clusters widened a narrow economy or only "
    "reinforced it, and whether what the region was already specialised in decided which clusters "
    "could take shape at all.",
    "The paper approaches this in steps: it sorts the factors behind cluster formation into those that "
    "hinge on a region's specialisation and those that do not; it profiles the five clusters; it "
    "measures how concentrated the region's gross value added is with the Herfindahl–Hirschman index; "
    "it compares output per inhabitant with the country's and asks how much of the coal leaves the "
    "region; it reads rail freight in and out; it computes location quotients of the region's "
    "activities; and it chains production indices to see which activities grew.",
    "This compendium reruns each step from the paper's printed tables and from Rosstat's statistics, "
    "extends the series to recent years where Rosstat allows, and checks every published number in a "
    "ledger: recomputed and equal, equal up to rounding, different (with a diagnosis), or impossible "
    "to recompute.",
]
OTHER_REGION = (
    "This report is for {name}. The paper's own tables describe Kemerovo region only, so the parts "
    "of each step that need them say that they skip; the parts built on Rosstat's statistics are "
    "computed for {name}."
)
# Words of figure names written differently in captions.


class ReportError(Exception):
    """The report cannot be built as asked (missing notebooks, a page that would use the network)."""


@dataclass(frozen=True)
class Step:
    name: str  # "01_factor_selection"
    title: str  # the notebook's level-1 heading, "Step 1. ..."
    notebook: Path | None  # the executed notebook, None if the step was not run for the region

    @property
    def page(self) -> str | None:
        return f"{self.name}.html" if self.notebook is not None else None


# ----------------------------------------------------------------------------- notebooks


def notebooks_dir(region: str) -> Path:
    """Where the executed notebooks of ``region`` are (see :func:`analysis.runner.pipeline.destination`)."""

    if region == DEFAULT_REGION:
        return paths.NOTEBOOKS
    return paths.ROOT / "build" / "notebooks" / region


def _read(path: Path):
    return nbformat.read(path, as_version=4)


def step_title(nb, default: str) -> str:
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
        if path.exists():
            out.append(Step(name, step_title(_read(path), name), path))
        else:
            template = paths.NOTEBOOKS / f"{name}.ipynb"
            out.append(Step(name, step_title(_read(template), name) if template.exists() else name, None))
    return out


def _step_of(entry: manifest.Entry | None, step_list: list[Step]) -> Step | None:
    """The step whose number the manifest gives for a figure."""
    if entry is None:
        return None
    return next((s for s in step_list if s.name.split("_", 1)[0] == entry.step), None)


# ----------------------------------------------------------------------------- pieces of the index


def gallery(region: str, step_list: list[Step]) -> list[dict]:
    """The region's PNG figures grouped by name (English first), captioned and linked to a step."""

    folder = paths.figures_dir(region)
    files: dict[str, dict[str, Path]] = {}
    for png in sorted(folder.glob("*.png")) if folder.is_dir() else []:
        parts = png.name[: -len(".png")].rsplit(".", 1)
        name, lang = (parts[0], parts[1]) if len(parts) == 2 else (parts[0], "")
        files.setdefault(name, {})[lang] = png
    entries = manifest.read(region)
    items = []
    for name in sorted(files):
        langs = sorted(
            files[name], key=lambda lg: (lg not in LANGS, LANGS.index(lg) if lg in LANGS else 0, lg)
        )
        entry = entries.get(name)
        step = _step_of(entry, step_list)
        href = step.page if step is not None else None
        items.append(
            {
                "name": name,
                "label": name,
                "caption": entry.caption_en if entry else name,
                "made": step is not None,
                "page": step.page if step else None,
                "href": href,
                "step_title": step.title if step else None,
                "images": [
                    {
                        "lang": lg,
                        "lang_name": LANG_NAMES.get(lg, lg or "image"),
                        "file": files[name][lg],
                        "src": f"{SITE_FIGURES}/{files[name][lg].name}",
                    }
                    for lg in langs
                ],
            }
        )
    return items


def ledger_path(region: str) -> Path:
    return paths.processed_dir(region) / "reproduction.csv"


def ledger_table(region: str) -> dict | None:
    """The ledger summary (:func:`analysis.reproduction.ledger.summary`) as rows for the index, or None."""
    path = ledger_path(region)
    if not path.exists():
        return None
    s = summary(pd.read_csv(path)).sort_index()
    statuses = list(STATUSES)
    rows = [
        {
            "source": str(src),
            "counts": [(st, int(s.loc[src, st])) for st in statuses],
            "total": int(s.loc[src].sum()),
        }
        for src in s.index
    ]
    return {
        "source": paths.rel(path),
        "statuses": statuses,
        "rows": rows,
        "totals": [(st, int(s[st].sum())) for st in statuses],
        "total": int(s.values.sum()),
    }


# ----------------------------------------------------------------------------- offline check

_RESOURCE_ATTRS = {
    "script": ("src",),
    "link": ("href",),
    "img": ("src", "srcset"),
    "iframe": ("src",),
    "source": ("src", "srcset"),
    "video": ("src", "poster"),
    "audio": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "track": ("src",),
    "input": ("src",),
    "image": ("href", "xlink:href"),
    "use": ("href", "xlink:href"),
}
_REMOTE = re.compile(r"^\s*(https?:)?//", re.I)
_CSS_REMOTE = re.compile(r"""(?:url\(\s*['"]?\s*(?:https?:)?//|@import\s+['"]?\s*(?:https?:)?//)""", re.I)


class _Resources(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self._in_style = tag == "style"
        for key, value in attrs:
            if value is None:
                continue
            if key in _RESOURCE_ATTRS.get(tag, ()) and _REMOTE.match(value):
                self.found.append(f"<{tag} {key}={value[:120]!r}>")
            if key == "style" and _CSS_REMOTE.search(value):
                self.found.append(f"<{tag} style=...url(remote)>")

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if self._in_style and _CSS_REMOTE.search(data):
            self.found.append("<style> with a remote url()/@import")


def network_references(html_text: str) -> list[str]:
    """Every place a page would load something from the network (empty for an offline page).

    Looks at the resource attributes of ``script``, ``link``, ``img``, ``iframe`` and the other
    embedding elements, and at ``url()``/``@import`` in CSS; ``<a href>`` hyperlinks are not loads.
    """
    p = _Resources()
    p.feed(html_text)
    p.close()
    return p.found


# ----------------------------------------------------------------------------- rendering


def _css() -> str:
    return (TEMPLATES / "report.css").read_text(encoding="utf-8").strip()


def exporter():
    """nbconvert's HTMLExporter with the report's step template (lab, without CDN scripts)."""
    return HTMLExporter(
        template_name=STEP_TEMPLATE,
        extra_template_basedirs=[str(TEMPLATES)],
        embed_images=True,
        theme="light",
        # unused by the template; empty so that nothing could point to a CDN
        mathjax_url="",
        require_js_url="",
        mermaid_js_url="",
        mermaid_layout_elk_js_url="",
        jquery_url="",
        widget_renderer_url="",
    )


def _check_offline(page: str, text: str) -> None:
    bad = network_references(text)
    if bad:
        raise ReportError(f"{page} would load from the network: " + "; ".join(sorted(set(bad))[:5]))


def render_step(step: Step, prev: Step | None, nxt: Step | None, region: str, exp=None) -> bytes:
    """One step page: the executed notebook with a navigation bar."""
    exp = exp or exporter()
    resources = {
        "metadata": {"name": step.title},
        "report": {
            "css": _css(),
            "region": region,
            "source": paths.rel(step.notebook),
            "prev": {"page": prev.page, "title": prev.title} if prev else None,
            "next": {"page": nxt.page, "title": nxt.title} if nxt else None,
        },
    }
    body, _ = exp.from_notebook_node(_read(step.notebook), resources=resources)
    body = body.rstrip() + "\n"
    _check_offline(step.page, body)
    return body.encode("utf-8")


def _jinja():
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )


def region_name(region: str) -> str:
    try:
        return resolve(region).name_en
    except Exception:  # a user's region missing from the registry: show its id
        return region


def render_index(region: str, step_list: list[Step], figures: list[dict], ledger: dict | None) -> bytes:
    """The index page."""

    name = region_name(region)
    question = list(QUESTION)
    if region != DEFAULT_REGION:
        question.append(OTHER_REGION.format(name=name))
    text = (
        _jinja()
        .get_template("report_index.html.j2")
        .render(
            title=f"Kuzbass clusters: reproducing Ivanova (2018) — {name}",
            region=region,
            region_name=name,
            question=question,
            doi=DOI,
            css=_css(),
            steps=[
                {
                    "name": s.name,
                    "title": s.title,
                    "page": s.page,
                    "source": paths.rel(s.notebook) if s.notebook else None,
                }
                for s in step_list
            ],
            ledger=ledger,
            gallery=figures,
            figures_dir=paths.rel(paths.figures_dir(region)) + "/",
            notebooks_dir=paths.rel(notebooks_dir(region)) + "/",
        )
    )
    text = text.rstrip() + "\n"
    _check_offline("index.html", text)
    return text.encode("utf-8")


def render(region: str) -> dict[str, bytes]:
    """Every file of the site, relative path -> bytes, for ``region`` (an id of the registry)."""
    step_list = steps(region)
    present = [s for s in step_list if s.notebook is not None]
    if not present:
        raise ReportError(
            f"no executed notebooks for region {region!r} in "
            f"{paths.rel(notebooks_dir(region))}/: run `python -m analysis run "
            f"--region {region}` first"
        )
    files: dict[str, bytes] = {}
    exp = exporter()
    for i, step in enumerate(present):
        prev = present[i - 1] if i > 0 else None
        nxt = present[i + 1] if i + 1 < len(present) else None
        files[step.page] = render_step(step, prev, nxt, region, exp)
    figs = gallery(region, step_list)
    for fig in figs:
        for img in fig["images"]:
            files[img["src"]] = img["file"].read_bytes()
    files["index.html"] = render_index(region, step_list, figs, ledger_table(region))
    return dict(sorted(files.items()))


def default_out(region: str) -> Path:
    return paths.ROOT / "build" / "report" / region


def build(region: str = "kemerovo", out: Path | str | None = None) -> Path:
    """Write the site of ``region`` into ``out`` (default ``build/report/<region>/``); return ``out``.

    Files are written atomically and only when their bytes change; files that the previous build
    into ``out`` wrote (listed in ``.report-files``) and this one does not are removed.
    """

    region = check(region)
    out = Path(out) if out is not None else default_out(region)
    files = render(region)
    manifest = out / MANIFEST
    old = set(manifest.read_text(encoding="utf-8").split()) if manifest.exists() else set()
    for rel_path, data in files.items():
        write_bytes(out / rel_path, data)
    for stale in sorted(old - set(files)):
        target = (out / stale).resolve()
        if target.is_file() and out.resolve() in target.parents:
            target.unlink()
    write_bytes(manifest, "".join(f"{p}\n" for p in files).encode("utf-8"))
    return out


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
        "`python -m analysis report` shows the PNGs of a region in a gallery on its index page, captioned as below.",
        "",
        "| figure | caption | подпись | saved by |",
        "|---|---|---|---|",
    ]
    for name, e in sorted(entries.items()):
        step = _step_of(e, step_list)
        where = f"`{paths.rel(paths.NOTEBOOKS / (step.name + '.ipynb'))}`" if step else ""
        en, ru = (c.replace("|", r"\|") for c in (e.caption_en, e.caption_ru))
        lines.append(f"| `{name}` | {en} | {ru} | {where} |")
    return ("\n".join(lines) + "\n").encode("utf-8")


def write_figures_readme() -> Path:
    return write_bytes(FIGURES_README, figures_readme())
