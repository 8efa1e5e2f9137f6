"""The book's offline check (:mod:`analysis.runner.book` builds the book, then calls it).

Offline: every script, style sheet, font and MathJax file is in the book's folder. Before anything
is copied, :func:`offline_problems` reads every page and style sheet of the build and the build
fails if one would load something over http(s) (hyperlinks such as the DOI are not loads).
:func:`script_problems` fails it as well if a page carries something that can run that the build
did not write (text from the inputs, shown in the notebooks' outputs).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

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
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_style = tag == "style"
        for key, value in attrs:
            if value is None:
                continue
            if key in _RESOURCE_ATTRS.get(tag, ()) and _REMOTE.match(value):
                self.found.append(f"<{tag} {key}={value[:120]!r}>")
            if key == "style" and _CSS_REMOTE.search(value):
                self.found.append(f"<{tag} style=...url(remote)>")

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
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


def offline_problems(site: Path) -> list[str]:
    """Every page or style sheet of ``site`` that would load something over http(s)."""
    bad = []
    for p in sorted(site.rglob("*.html")):
        bad += [
            f"{p.relative_to(site).as_posix()}: {r}"
            for r in network_references(p.read_text(encoding="utf-8"))
        ]
    for p in sorted(site.rglob("*.css")):
        if _CSS_REMOTE.search(p.read_text(encoding="utf-8", errors="replace")):
            bad.append(f"{p.relative_to(site).as_posix()}: a remote url()/@import")
    return bad


# Scripts the build itself puts into pages: Sphinx's and the theme's files in _static/, the search
# index, and their few inline snippets (Sphinx 7, pydata/sphinx-book-theme, MathJax 2's config).
# Anything else that can run (another <script>, an on...= handler, a javascript: URL) came from the
# notebooks' outputs, i.e. from data, and fails the build.
_OWN_SCRIPT_SRC = re.compile(
    r"^(?:\.\./)*(?:_static/[\w./-]+\.js|searchindex\.js)(?:\?[\w=.&-]*)?$|^\{\{ pathto\("
)
_OWN_INLINE = re.compile(
    r"^\s*(?:DOCUMENTATION_OPTIONS\.\w+ = [^;<>]*;"
    r"|document\.documentElement\.dataset\.mode = localStorage\.getItem\(\"mode\"\)"
    r"|// Activate the search field on page load"
    r"|MathJax\.Hub\.Config\()"
)
_URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "srcdoc"}
_SCRIPT_URL = re.compile(r"^\s*(?:javascript|vbscript|data\s*:\s*text/html)", re.I)


class _Scripts(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._inline: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "script":
            src = a.get("src")
            if src is not None and not _OWN_SCRIPT_SRC.match(src):
                self.found.append(f"<script src={src[:80]!r}>")
            self._inline = [] if src is None else None
        for key, value in attrs:
            if key.startswith("on"):
                self.found.append(f"<{tag} {key}={(value or '')[:60]!r}>")
            elif key in _URL_ATTRS and value and _SCRIPT_URL.match(value):
                self.found.append(f"<{tag} {key}={value[:60]!r}>")

    def handle_data(self, data: str) -> None:
        if self._inline is not None:
            self._inline.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._inline is not None:
            text = "".join(self._inline)
            if text.strip() and not _OWN_INLINE.match(text):
                self.found.append(f"<script>{' '.join(text.split())[:60]}</script>")
            self._inline = None


def foreign_scripts(html_text: str) -> list[str]:
    """Everything in a page that can run and that the build did not put there: a ``<script>``
    other than Sphinx's and the theme's, an event-handler attribute (``onerror=``, ...), a
    ``javascript:`` URL. Empty for a page built from data that carried no markup."""
    p = _Scripts()
    p.feed(html_text)
    p.close()
    return p.found


def script_problems(site: Path) -> list[str]:
    """Every page of ``site`` with something that can run that the build did not emit."""
    return [
        f"{p.relative_to(site).as_posix()}: {r}"
        for p in sorted(site.rglob("*.html"))
        for r in foreign_scripts(p.read_text(encoding="utf-8"))
    ]
