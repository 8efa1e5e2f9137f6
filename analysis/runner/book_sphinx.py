"""The Sphinx extension of the book (:func:`setup`, named in the ``conf.py`` that
:mod:`analysis.runner.book` writes): it links each notebook figure to its full-size PNG and gives
citations round brackets.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from typing import Any

import sphinxcontrib.bibtex.plugin
from docutils import nodes
from sphinx.application import Sphinx
from sphinxcontrib.bibtex.style.referencing import BracketStyle
from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle


def _round() -> BracketStyle:
    return BracketStyle(left="(", right=")")


@dataclass
class RoundAuthorYear(AuthorYearReferenceStyle):
    """Author-year citations in round brackets: Hoover (1936), (Hoover, 1936)."""

    bracket_parenthetical: BracketStyle = field(default_factory=_round)
    bracket_textual: BracketStyle = field(default_factory=_round)
    bracket_author: BracketStyle = field(default_factory=_round)
    bracket_label: BracketStyle = field(default_factory=_round)
    bracket_year: BracketStyle = field(default_factory=_round)


_FIGURE_CAPTION = re.compile(r"^Figure (\S+):")


def _link_full_figures(app: Sphinx, doctree: nodes.document) -> None:
    """Wrap each notebook figure in a link to its full-size PNG.

    A step's figure cell shows the image, then its caption ``*Figure `name`: ...*``; the n-th image
    of a cell goes with its n-th caption. Cells whose counts differ are left alone.
    """
    full: dict[str, str] = app.config.book_full_figures
    for cell in doctree.findall(nodes.container):
        if "cell" not in cell.get("classes", []):
            continue
        images = [i for i in cell.findall(nodes.image) if not isinstance(i.parent, nodes.reference)]
        names = [
            m[1].strip("`") for p in cell.findall(nodes.paragraph) if (m := _FIGURE_CAPTION.match(p.astext()))
        ]
        if not images or len(images) != len(names):
            continue
        for image, name in zip(images, names, strict=True):
            if name in full:
                link = nodes.reference("", "", refuri=full[name], classes=["full-figure"])
                image.replace_self(link)
                link.append(image)


def setup(app: Sphinx) -> dict[str, Any]:
    """The book's Sphinx extension (named in its conf.py)."""
    app.add_config_value("book_full_figures", {}, "env")
    with contextlib.suppress(Exception):  # registered once per process
        sphinxcontrib.bibtex.plugin.register_plugin(
            "sphinxcontrib.bibtex.style.referencing", "author_year_round", RoundAuthorYear
        )
    app.connect("doctree-read", _link_full_figures)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
