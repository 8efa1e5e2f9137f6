"""The sweep of every generated sentence: the Markdown a region's executed notebooks printed and
the captions of its figures (``figures/<region>/manifest.csv``), checked for what must never be
printed, and its figures for their shape (``make check-readings``).

Checks (one row of ``build/check-readings.csv`` per finding):

- ``nan``: ``nan`` or ``inf`` printed as a number;
- ``from_x_to_x``: "from X to X" with the same number twice;
- ``monotonic``: "rose/fell ... every year" (and the like) where the two or more numbers its
  clause quotes (years left out) are not strictly increasing, resp. decreasing (a flat series
  included); a claim that quotes fewer numbers cannot be checked from its text;
- ``kemerovo_words``: coal, Kuzbass, Kemerovo (уголь, угл-, Кузбасс, Кемеров-) outside Kemerovo
  region's own notebooks, unless the word is the region's own: it occurs in the files of its user
  folder (a cargo or product the user supplied); the static method prose (Markdown cells) is not
  generated, so not read;
- ``few_years``: "every year of Y1-Y2" followed by values tagged with fewer years than the span
  has (a claim resting on fewer years than it says);
- ``wide_figure``: a PNG wider than :data:`MAX_ASPECT` times its height.

Only what a notebook generated is read (its outputs), never its cells' source.
"""

from __future__ import annotations

import argparse
import csv
import io
import itertools
import json
import re
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import astuple, dataclass
from pathlib import Path

from PIL import Image

from analysis.core import manifest, paths
from analysis.inputs.regions import studiable_regions
from analysis.runner.pipeline import destination

MAX_ASPECT = 2.5
CHECKS = ("nan", "from_x_to_x", "monotonic", "few_years", "kemerovo_words", "wide_figure")
COLUMNS = ["region", "where", "check", "text"]

_NUMBER = r"[-+−]?\d[\d\u00a0 ]*(?:[.,]\d+)?"
_NAN = re.compile(r"(?<![\w.])[-+]?(?:nan|inf|infinity)(?![\w])", re.IGNORECASE)
_FROM_TO = re.compile(rf"\bfrom ({_NUMBER})\s*%?\s*to ({_NUMBER})", re.IGNORECASE)
_MONOTONIC = re.compile(
    r"\b(rose|grew|increased|climbed|fell|declined|decreased|dropped)\b[^.;]*?\bevery year\b"
    r"|\bevery year\b[^.;]*?\b(rose|grew|increased|climbed|fell|declined|decreased|dropped)\b",
    re.IGNORECASE,
)
_UP = {"rose", "grew", "increased", "climbed"}
_EVERY_YEAR_OF = re.compile(r"\bevery year of (\d{4})-(\d{4})\b(.*)", re.IGNORECASE)
_TAGGED_YEAR = re.compile(r"\((\d{4})\)")
_KEMEROVO = re.compile(r"\bcoal|kuzbass|kemerovo|уголь|угл[иеяюьо]|кузбасс|кемеров", re.IGNORECASE)


@dataclass(frozen=True)
class Finding:
    """One thing the sweep found: the region (or folder), where (notebook or figure), the check
    and the text found."""

    region: str
    where: str
    check: str
    text: str


def _number(text: str) -> float:
    return float(text.replace("\u00a0", "").replace(" ", "").replace("−", "-").replace(",", "."))


def _quoted_numbers(sentence: str) -> list[float]:
    """The numbers a sentence quotes, years (whole numbers 1990-2035) left out."""
    out = []
    for m in re.finditer(_NUMBER, sentence):
        v = _number(m.group(0).strip())
        if not (v.is_integer() and 1990 <= abs(v) <= 2035):  # 2012-2016 reads as 2012, -2016
            out.append(v)
    return out


def own_words(folder: Path) -> str:
    """The text of a user folder's CSV and YAML files, lower case (empty without a folder): the
    names the user supplied, which a generated sentence may repeat."""
    if not folder.is_dir():
        return ""
    files = sorted(p for p in folder.iterdir() if p.suffix in (".csv", ".yml", ".yaml"))
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in files).lower()


def _theirs(sentence: str, own: str) -> bool:
    """Every coal word of ``sentence`` occurs, as a whole word, in the region's own files ``own``."""
    words = {m.group(0).lower() for m in re.finditer(r"\w*(?:" + _KEMEROVO.pattern + r")\w*", sentence, re.I)}
    return bool(own) and all(re.search(rf"\b{re.escape(w)}\b", own) for w in words)


def check_text(text: str, *, kemerovo: bool, own: str = "") -> Iterator[tuple[str, str]]:
    """(check, excerpt) for each finding in one generated text; ``kemerovo``: the text is Kemerovo
    region's own, where the coal words belong; ``own``: the region's own files (:func:`own_words`),
    whose words a sentence may repeat."""
    for sentence in re.split(r"(?<=[.;!?])\s+|\n+", text):
        if _NAN.search(sentence):
            yield "nan", sentence.strip()
        for m in _FROM_TO.finditer(sentence):
            if _number(m.group(1).strip()) == _number(m.group(2).strip()):
                yield "from_x_to_x", sentence.strip()
        for clause in re.split(r"\bwhile\b|\bbut\b", sentence):  # a claim, its own numbers
            m = _MONOTONIC.search(clause)
            if m:
                up = (m.group(1) or m.group(2)).lower() in _UP
                v = _quoted_numbers(clause)
                pairs = list(itertools.pairwise(v))
                ordered = all(b > a for a, b in pairs) if up else all(b < a for a, b in pairs)
                if len(v) >= 2 and (len(set(v)) < 2 or not ordered):
                    yield "monotonic", sentence.strip()
        m = _EVERY_YEAR_OF.search(sentence)
        if m:
            tagged = {int(y) for y in _TAGGED_YEAR.findall(m.group(3))}
            if tagged and len(tagged) < int(m.group(2)) - int(m.group(1)) + 1:
                yield "few_years", sentence.strip()
        if not kemerovo and _KEMEROVO.search(sentence) and not _theirs(sentence, own):
            yield "kemerovo_words", sentence.strip()


def notebook_texts(path: Path) -> Iterator[str]:
    """Every Markdown output of an executed notebook (what :func:`analysis.study.say` printed)."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb.get("cells", []):
        for out in cell.get("outputs", []):
            md = out.get("data", {}).get("text/markdown")
            if md:
                yield "".join(md) if isinstance(md, list) else str(md)


def check_region(region: str, notebooks: Path, *, label: str | None = None) -> list[Finding]:
    """The findings of one region: its executed notebooks in ``notebooks``, its figures' captions
    and PNG files in ``figures/<region>/``; reported under ``label`` (default the region)."""
    name, kemerovo = label or region, region == paths.DEFAULT_REGION and label is None
    own = own_words(paths.user_dir(name))
    found: list[Finding] = []
    for nb in sorted(notebooks.glob("0*.ipynb")):
        for text in notebook_texts(nb):
            found += [Finding(name, nb.stem, c, t) for c, t in check_text(text, kemerovo=kemerovo, own=own)]
    for entry in manifest.read(region).values():
        for caption in (entry.caption_en, entry.caption_ru):
            found += [
                Finding(name, entry.name, c, t) for c, t in check_text(caption, kemerovo=kemerovo, own=own)
            ]
    for png in sorted(paths.figures_dir(region).glob("*.png")):
        with Image.open(png) as im:
            w, h = im.size
        if w > MAX_ASPECT * h:
            found.append(Finding(name, png.name, "wide_figure", f"{w} x {h} px ({w / h:.2f}:1)"))
    return found


def summary(found: list[Finding], regions: list[str]) -> str:
    """Counts per check and per region (regions with findings), as printed."""
    by_check = Counter(f.check for f in found)
    by_region = Counter(f.region for f in found)
    lines = [f"{len(regions)} region(s) checked, {len(found)} finding(s)"]
    lines += [f"  {c}: {by_check.get(c, 0)}" for c in CHECKS]
    lines += [f"  {r}: {n}" for r, n in sorted(by_region.items())]
    return "\n".join(lines)


def write(found: list[Finding], out: Path, *, append: bool = False) -> None:
    """Write (or add to) the findings table."""
    rows = [astuple(f) for f in found]
    if append and out.exists():
        with out.open(encoding="utf-8", newline="") as fh:
            rows = [tuple(r) for r in list(csv.reader(fh))[1:]] + rows
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(COLUMNS)
    w.writerows(rows)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(buf.getvalue(), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m analysis.runner.readings_check", description=__doc__)
    ap.add_argument(
        "regions",
        nargs="*",
        help="region ids (default: every region a run accepts, the parts without okrugs too)",
    )
    ap.add_argument("--as", dest="label", help="report the region under this name (a user folder)")
    ap.add_argument("--out", default="build/check-readings.csv")
    ap.add_argument("--append", action="store_true", help="add to the table instead of replacing it")
    a = ap.parse_args(argv)
    regions = a.regions or [r.id for r in studiable_regions()]
    found: list[Finding] = []
    for region in regions:
        folder = destination("01_factor_selection", region, paths.DEFAULT_REGION).parent
        found += check_region(region, folder, label=a.label)
    write(found, paths.ROOT / a.out, append=a.append)
    print(summary(found, [a.label] if a.label else regions))
    print(f"findings: {a.out}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
