"""Numbers and series in generated sentences, said so that every claim is true of its data.

A reading sentence states a result; these helpers keep its wording honest whatever the region:

- :func:`num` prints a number with at least the decimals asked for, and more where a nonzero value
  would otherwise print as zero ("0.00" for 0.004 would be false); a missing value is said, never
  printed as ``nan``;
- :func:`decimals_for` chooses one precision for several numbers so that different values print
  differently (a reader must not see "20.0, 20.0" for two values said to differ);
- :func:`series` describes a yearly series: "rose every year" only for a strictly increasing one,
  "did not fall" for a non-decreasing one with a flat step, "stayed at" for a constant one, "from X
  to Y" only with X and Y different as printed, and always the years it covers;
- :func:`span` says the range of several values, "stays at" where they are equal;
- :func:`unique` joins parts once each ("Rosstat, Rosstat" is a repetition, not two sources).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from itertools import pairwise

MAX_EXTRA = 6  # decimals added at most to tell values apart or show a small one


def _finite(x: float) -> bool:
    return isinstance(x, (int, float)) and math.isfinite(x)


def decimals_for(values: Iterable[float], decimals: int = 1) -> int:
    """The fewest decimals, at least ``decimals`` (and at most ``decimals`` + :data:`MAX_EXTRA`),
    with which no nonzero value of ``values`` prints as zero and no two different values print
    alike. Missing and infinite values are ignored."""
    vals = sorted({float(v) for v in values if _finite(float(v))})
    for d in range(max(decimals, 0), max(decimals, 0) + MAX_EXTRA + 1):
        shown = [f"{v:.{d}f}" for v in vals]
        zero_like = any(float(s) == 0 and v != 0 for s, v in zip(shown, vals))
        if not zero_like and len(set(shown)) == len(vals):
            return d
    return max(decimals, 0) + MAX_EXTRA


def num(x: float | None, decimals: int = 1, *, sign: bool = False, missing: str = "not available") -> str:
    """``x`` with ``decimals`` decimals, more if a nonzero ``x`` would print as zero
    (:func:`decimals_for`), two significant digits (``1.2e-09``) if even that is too few;
    ``missing`` for None, NaN or an infinite value. ``sign``: a leading + for positive values
    (changes); zero is printed unsigned."""
    if x is None or not _finite(float(x)):
        return missing
    v = float(x)
    d = decimals_for([v], decimals)
    text = f"{v:+.{d}f}" if sign else f"{v:.{d}f}"
    if float(text) == 0 and v != 0:  # smaller than the decimals can show: two significant digits
        text = f"{v:+.2g}" if sign else f"{v:.2g}"
    elif float(text) == 0:
        text = f"{0.0:.{d}f}"  # no "-0.0" nor "+0.0"
    return text


def nums(values: Sequence[float], decimals: int = 1) -> list[str]:
    """``values`` printed with one precision (:func:`decimals_for`) so that different values print
    differently; missing ones as "not available"."""
    d = decimals_for(values, decimals)
    return [num(v, d) for v in values]


def years_span(years: Sequence[int]) -> str:
    """The years a claim covers: "2014", "2014-2016" when consecutive, else listed."""
    ys = sorted({int(y) for y in years})
    if not ys:
        return "no year"
    if len(ys) == 1:
        return str(ys[0])
    if ys == list(range(ys[0], ys[-1] + 1)):
        return f"{ys[0]}-{ys[-1]}"
    return ", ".join(str(y) for y in ys)


def series(years: Sequence[int], values: Sequence[float], decimals: int = 1, unit: str = "") -> str:
    """What a yearly series did, true of the values given (missing ones dropped), with the years it
    covers. Strictly increasing: "rose every year of 2014-2016 (a, b, c)"; strictly decreasing:
    "fell every year ..."; non-decreasing with a flat step: "did not fall ... (a, b, c)" (likewise
    "did not rise"); constant: "stayed at a in 2014-2016"; one value: "was a in 2014 only"; else
    "ranged from lo to hi over ...". Consecutive observations are compared: "every year" means every
    step between the years listed."""
    pairs = sorted((int(y), float(v)) for y, v in zip(years, values) if v is not None and _finite(float(v)))
    if not pairs:
        return "has no value"
    ys = [y for y, _ in pairs]
    vs = [v for _, v in pairs]
    u = f" {unit}" if unit else ""
    span = years_span(ys)
    shown = nums(vs, decimals)
    listed = ", ".join(f"{s}{u} ({y})" for s, y in zip(shown, ys))
    if len(vs) == 1:
        return f"was {shown[0]}{u} in {ys[0]} only"
    steps = list(pairwise(vs))
    if all(a == b for a, b in steps):
        return f"stayed at {shown[0]}{u} in {span}"
    if all(a < b for a, b in steps):
        return f"rose every year of {span} ({listed})"
    if all(a > b for a, b in steps):
        return f"fell every year of {span} ({listed})"
    if all(a <= b for a, b in steps):
        return f"did not fall in {span} ({listed})"
    if all(a >= b for a, b in steps):
        return f"did not rise in {span} ({listed})"
    lo, hi = nums([min(vs), max(vs)], decimals)
    return f"ranged from {lo} to {hi}{u} over {span}"


def span(values: Sequence[float], decimals: int = 1, unit: str = "", verb: str = "ranges") -> str:
    """The range of ``values`` (missing ones dropped) as a predicate: "ranges from lo to hi" with lo
    and hi different as printed (:func:`decimals_for`), "stays at x" where every value is the same,
    "has no value" where none is known. ``verb``: "ranges" or "ranged" (then "stayed at")."""
    vs = [float(v) for v in values if v is not None and _finite(float(v))]
    u = f" {unit}" if unit else ""
    if not vs:
        return "has no value"
    if min(vs) == max(vs):
        return f"{'stayed' if verb.endswith('ed') else 'stays'} at {num(vs[0], decimals)}{u}"
    lo, hi = nums([min(vs), max(vs)], decimals)  # the two ends printed apart
    return f"{verb} from {lo} to {hi}{u}"


def unique(parts: Iterable[str], sep: str = ", ") -> str:
    """``parts`` joined by ``sep``, each once, in order of first appearance, empty ones dropped."""
    return sep.join(dict.fromkeys(p for p in parts if p))
