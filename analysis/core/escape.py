"""User text made inert where it reaches Markdown or HTML output.

A user's files name clusters, products and cargos and give sources and notes in free text; that
text reaches generated sentences, figure captions (notebooks, the book, ``figures/README.md``) and
the book's tables. Markdown passes raw HTML through, and Jupyter, MyST and browsers then run a
``<script>`` or an ``onerror=`` handler in it (issue 23.1). Two functions, used by every writer:

- :func:`markdown` for a string that is plain text by contract (a caption, a name, a source):
  every character Markdown or MyST would read as markup is backslash-escaped, line breaks become
  spaces, so the text shows as typed and can start no block;
- :func:`safe_markdown` for generated Markdown that interpolates user text (the readings shown by
  :func:`analysis.study.say`): the generated markup (emphasis, code spans, lists) keeps working,
  but no raw HTML, autolink or link to a ``javascript:``-like scheme survives.

HTML tables need nothing here: pandas' ``to_html`` escapes cells, index and labels.
"""

from __future__ import annotations

import re

# CommonMark's backslash escapes apply to every ASCII punctuation character; these are the ones
# that start markup inside a line: emphasis, code, links and images (no "[", no link), HTML and
# entities, MyST roles, dollar math, table cells, strikethrough, a heading.
_MARKUP = re.compile(r"([\\`*_{}\[\]<>#|$~&])")
# A link or image destination: "](" then the target; a reference definition "[x]: target".
_INLINE_LINK = re.compile(r"\]\(\s*<?\s*([^)\s>]*)")
_REFERENCE = re.compile(r"^(\s{0,3})\[([^\]]*)\]:\s*<?(\S*)", re.M)
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
SAFE_SCHEMES = ("http", "https", "mailto")


def markdown(text: object) -> str:
    """``text`` as literal Markdown inline text: ``<script>`` shows as ``<script>``, ``*x*`` as
    ``*x*``; whitespace runs (line breaks included) become one space."""
    return _MARKUP.sub(r"\\\1", " ".join(str(text).split()))


def _unsafe(target: str) -> bool:
    m = _SCHEME.match(target.strip())
    return m is not None and m[1].lower() not in SAFE_SCHEMES


def safe_markdown(text: str) -> str:
    """Generated Markdown ``text`` with no raw HTML and no link to an unsafe scheme.

    Every ``<`` becomes the entity ``&lt;`` (it renders as ``<``): no HTML tag, HTML block or
    autolink can start. A link or image whose destination has a scheme other than
    :data:`SAFE_SCHEMES` (``javascript:``, ``data:``, ``vbscript:``, ...) is left as text by
    escaping its brackets. Everything else is unchanged."""
    out = text.replace("<", "&lt;")

    def inline(m: re.Match[str]) -> str:
        return "\\]\\(" + m[0][2:] if _unsafe(m[1]) else m[0]

    out = _INLINE_LINK.sub(inline, out)

    def reference(m: re.Match[str]) -> str:
        return f"{m[1]}\\[{m[2]}\\]:" + m[0][m.end(2) - m.start(0) + 2 :] if _unsafe(m[3]) else m[0]

    return _REFERENCE.sub(reference, out)
