"""Indicators the study's steps do not call: shares of volumes, the Gini coefficient, location
quotients and the Krugman and Hachman indices of a volume matrix, and the ``*_long`` forms of
these and of the dynamics (growth rates, chain indices) for tidy long tables.

They are the general part of the indicator library, beside the benchmark that measures them
(``benchmarks/part_indicators.py``) and checked by ``tests/benchmarks/test_panel_indicators.py``
against EconGeo's and REAT's published examples. The shapes and the policy on missing and zero
data are those of :mod:`analysis.indicators` (its module docstring), whose helpers they use; the
study's own indicators (HHI, shares-based LQ and specialisation, coefficients, dynamics of wide
series) stay there. ``analysis`` never imports this module.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from analysis.indicators import (
    _RTOL,
    Keys,
    MissingDataWarning,
    Panel,
    _div,
    _float,
    _Grid,
    _gsum,
    _keys,
    _listing,
    _nonneg,
    _pct,
    _require,
    _row_cells,
    _Seg,
    _segments,
)

__all__ = [
    "chain_index_long",
    "gini",
    "growth_rate_long",
    "hachman_index",
    "hachman_index_long",
    "krugman_index",
    "krugman_index_long",
    "location_quotient",
    "location_quotient_long",
    "shares",
    "shares_long",
]


# --------------------------------------------------------------------------------- helpers
def _not_above(
    part: Any, whole: Any, shape: tuple[int, ...], cells: Callable[[np.ndarray], str], func: str, what: str
) -> None:
    whole = np.asarray(whole, dtype=float)
    bad = np.broadcast_to(np.asarray(part) > whole + _RTOL * np.abs(whole), shape)
    if bad.any():
        raise ValueError(f"{func}: {what}; see {cells(bad)}")


def _warn_missing(func: str, where: str, computed: Sequence[str]) -> None:
    warnings.warn(
        f"{func}: unknown values in {where}; {' and '.join(computed)} computed from the data "
        "skip them, so the other cells are computed as if these were 0. Pass the totals to "
        "avoid this.",
        MissingDataWarning,
        stacklevel=3,
    )


# ---------------------------------------------------------------------------------- shares
def shares(x: Panel, total: Any = None, *, scale: float = 100.0, axis: int = 1) -> Any:
    """Share of each part in its total: s_i = x_i / X * scale (scale=100: per cent).

    A matrix gives shares along ``axis`` (1: each row's structure). ``total`` (a scalar, or one
    per row as array or Series) may exceed the sum of the parts, as Rosstat totals include
    activities not listed; by default it is the sum of the known parts (module policy on NaN).
    Source: the structure of gross value added, Ivanova (2018), Table 1.
    """
    g, func = _Grid(x, axis), "shares"
    a = g.a
    _nonneg(a, g.cells, func, "values")
    if total is None:
        tot = np.nansum(a, axis=1)
        if np.isnan(a).any():
            _warn_missing(func, g.cells(np.isnan(a)), ["totals"])
    else:
        tot = _float(total.reindex(g.rows) if isinstance(total, pd.Series) else total)
        tot = np.broadcast_to(tot, (a.shape[0],)).astype(float)
        _nonneg(tot, lambda m: _listing(list(g.rows[m]), int(m.sum())), func, "totals")
        _not_above(
            np.nansum(a, axis=1)[:, None],
            tot[:, None],
            a.shape,
            g.cells,
            func,
            "the parts sum to more than their total",
        )
    return g.like(_div(a, tot[:, None]) * scale)


def shares_long(
    df: pd.DataFrame,
    *,
    within: Keys = ("year", "region"),
    value: str = "value",
    total: str | None = None,
    scale: float = 100.0,
) -> pd.Series:
    """:func:`shares` of a long table: value / (sum of value within ``within``) * scale.

    ``total`` names a column of explicit totals (constant within each group).
    """
    func, keys = "shares_long", _keys(within)
    _require(df, keys + [value, total], func)
    a, cells = _float(df[value]), _row_cells(df, [c for c in df.columns if c != value])
    _nonneg(a, cells, func, "values")
    tot: np.ndarray
    if total is None:
        tot = pd.Series(a, index=df.index).groupby([df[k] for k in keys]).transform("sum").to_numpy()
        if np.isnan(a).any():
            _warn_missing(func, cells(np.isnan(a)), ["totals"])
    else:
        tot = _float(df[total])
        _nonneg(tot, cells, func, "totals")
        parts = pd.Series(a, index=df.index).groupby([df[k] for k in keys]).transform("sum")
        _not_above(parts.to_numpy(), tot, a.shape, cells, func, "the parts sum to more than their total")
    return pd.Series(_div(a, tot) * scale, index=df.index, name="share")


# ----------------------------------------------------------------------- concentration
def gini(
    x: Panel,
    *,
    normalised: bool = False,
    skipna: bool = False,
    axis: int = 1,
    by: Keys | None = None,
    value: str = "value",
) -> Any:
    """Gini coefficient G = sum_i (2i - n - 1) x_(i) / (n sum_i x_i), x_(1) <= ... <= x_(n).

    This is REAT's default ``gini(x)`` (coefnorm=FALSE): G = 1 - (1/n) sum_j (Y_(j-1) + Y_j) with
    Y_j the Lorenz ordinates, equal to the formula above; max (n-1)/n. EconGeo ``Gini`` gives the
    same. ``normalised=True`` is REAT's coefnorm=TRUE, G* = G n/(n-1), max 1 (n = 1: NaN).
    REAT: gini(c(20,50,20,10)) = 0.3, normalised 0.4. Source: Gini (1912).
    """
    seg = _segments(x, axis, by, value, "gini")
    _nonneg(seg.v, seg.cells, "gini", "values")
    known = ~np.isnan(seg.v)
    # sort by group, then value, unknown last, so ranks 1..n count known values only
    order = np.lexsort((np.where(known, seg.v, np.inf), seg.codes))
    c, v, k = seg.codes[order], seg.v[order], known[order]
    rank = np.arange(c.size) - np.searchsorted(c, c) + 1
    total, n = _gsum(seg.v, seg, skipna)
    terms = np.where(k, (2 * rank - n[c] - 1) * v, 0.0)
    g = _div(np.bincount(c, weights=terms, minlength=seg.n), n * total)
    return seg.wrap(g * _div(n, n - 1) if normalised else g)


# ---------------------------------------------------------------------- specialisation
def _aligned(t: Any, labels: pd.Index, func: str, what: str) -> np.ndarray:
    if isinstance(t, pd.Series):
        absent = labels.difference(t.index)
        if len(absent):
            raise ValueError(f"{func}: {what} has no value for {list(absent)[:10]}")
        t = t.reindex(labels)
    v = np.broadcast_to(_float(t), (len(labels),)) if np.ndim(t) == 0 else _float(t)
    if v.shape != (len(labels),):
        raise ValueError(f"{func}: {what} has {v.size} values for {len(labels)} labels")
    return v.astype(float)


def _validate_totals(
    a: np.ndarray, totals: tuple[Any, Any, Any], sums: tuple[Any, ...], cells: Callable, func: str
) -> None:
    """Totals are non-negative and hold their parts: sum_i x_ri <= x_r, sum_r x_ri <= x_i,
    sum_r x_r <= x, sum_i x_i <= x (totals may include activities or regions not listed)."""
    xr, xi, x = totals
    for what, v in (("values", a), ("region totals", xr), ("activity totals", xi), ("total", x)):
        _nonneg(np.broadcast_to(v, a.shape), cells, func, what)
    for part, whole, what in zip(
        sums,
        (xr, xi, x, x),
        (
            "the values of a region sum to more than its total x_r",
            "the values of an activity sum to more than its total x_i",
            "the region totals sum to more than the total x",
            "the activity totals sum to more than the total x",
        ),
    ):
        _not_above(part, whole, a.shape, cells, func, what)


def _wide_totals(
    g: _Grid, region_total: Any, activity_total: Any, total: Any, func: str
) -> tuple[np.ndarray, np.ndarray, float]:
    """x_r, x_i and x: passed, or computed from the matrix skipping unknown cells."""
    a, computed = g.a, []
    if region_total is None:
        xr = np.nansum(a, axis=1)
        computed.append("region totals x_r")
    else:
        xr = _aligned(region_total, g.rows, func, "region_total")
    if activity_total is None:
        if g.vector:
            raise ValueError(
                f"{func}: one region's vector needs activity_total, the x_i of the "
                "reference economy (e.g. Russia)"
            )
        xi = np.nansum(a, axis=0)
        computed.append("activity totals x_i")
    else:
        xi = _aligned(activity_total, g.cols, func, "activity_total")
    if total is None and region_total is not None and activity_total is not None:
        raise ValueError(
            f"{func}: with region_total and activity_total both given, pass total "
            "as well: x = sum of x_r and x = sum of x_i may differ"
        )
    if total is not None:
        x = float(total)
    elif activity_total is None and region_total is None:
        x = float(np.nansum(a))
        computed.append("total x")
    else:  # x is the sum of the totals that were passed
        base = xi if activity_total is not None else xr
        x = float(np.nansum(base))
        if np.isnan(base).any():
            _warn_missing(func, "the passed totals", ["total x"])
    if np.isnan(a).any() and computed:
        _warn_missing(func, g.cells(np.isnan(a)), computed)
    _validate_totals(
        a,
        (xr[:, None], xi[None, :], x),
        (np.nansum(a, axis=1)[:, None], np.nansum(a, axis=0)[None, :], np.nansum(xr), np.nansum(xi)),
        g.cells,
        func,
    )
    return xr, xi, x


def _spec(a: np.ndarray, xr: Any, xi: Any, x: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Region structure s_ri = x_ri/x_r, reference structure s_i = x_i/x, and LQ = s_ri/s_i."""
    sr, si = _div(a, xr), _div(xi, x)
    return sr, si, _div(sr, si)


def location_quotient(
    x: Panel, *, region_total: Any = None, activity_total: Any = None, total: float | None = None
) -> Any:
    """Location quotient LQ_ri = (x_ri / x_r) / (x_i / x).

    ``x``: a region x activity matrix, or one region's vector (then ``activity_total``, the
    reference economy by activity, is required). Totals default to sums of the matrix; pass them
    when Rosstat totals include activities not listed: region_total x_r (one per row),
    activity_total x_i (one per column), total x. x defaults to the sum of the totals passed
    (x_i if given, else x_r); with both given, x must be given. A zero denominator gives NaN.
    Sources: Hoover (1936); Isard (1960); EconGeo ``location_quotient``; REAT ``locq``;
    Ivanova (2018), Tables 5-6.
    """
    g = _Grid(x)
    xr, xi, tot = _wide_totals(g, region_total, activity_total, total, "location_quotient")
    return g.like(_spec(g.a, xr[:, None], xi[None, :], tot)[2])


def krugman_index(
    x: Panel,
    *,
    region_total: Any = None,
    activity_total: Any = None,
    total: float | None = None,
    skipna: bool = False,
) -> Any:
    """Krugman specialisation index K_r = sum_i |x_ri/x_r - x_i/x|, in [0, 2].

    The reference s_i = x_i/x is the structure of all regions together, the region itself
    included (EconGeo ``krugman_index``: its documentation matrix gives 1.6, 1.0, 0.6, 0.7, 1.1;
    comparing with the rest of the economy instead would give 2.0 for its first region). Totals
    as in :func:`location_quotient`. Source: Krugman (1991), Geography and Trade.
    """
    g = _Grid(x)
    xr, xi, tot = _wide_totals(g, region_total, activity_total, total, "krugman_index")
    sr, si, _ = _spec(g.a, xr[:, None], xi[None, :], tot)
    seg = _segments(x, 1, None, "value", "krugman_index")
    return g.per_row(_gsum(np.abs(sr - si).ravel(), seg, skipna)[0], "krugman_index")


def hachman_index(
    x: Panel,
    *,
    region_total: Any = None,
    activity_total: Any = None,
    total: float | None = None,
    skipna: bool = False,
) -> Any:
    """Hachman index HI_r = 1 / sum_i s_ri LQ_ri = 1 / sum_i s_ri^2 / s_i, in (0, 1].

    1 when the region's structure equals the reference one, towards 0 as it specialises. An
    activity absent from the reference (x_i = 0, hence x_ri = 0) contributes 0, as in EconGeo
    ``hachman`` (which sets such LQ to 0). With explicit totals the shares need not sum to 1
    and HI may exceed 1. Totals as in :func:`location_quotient`. Source: Hachman index (F.
    Hachman, Utah); EconGeo ``hachman``.
    """
    g = _Grid(x)
    xr, xi, tot = _wide_totals(g, region_total, activity_total, total, "hachman_index")
    sr, si, lq = _spec(g.a, xr[:, None], xi[None, :], tot)
    terms = np.where((si == 0) & (g.a == 0), 0.0, sr * lq)
    seg = _segments(x, 1, None, "value", "hachman_index")
    return g.per_row(_div(1.0, _gsum(terms.ravel(), seg, skipna)[0]), "hachman_index")


def _long_spec(
    df: pd.DataFrame,
    region: str,
    year: str | None,
    activity: str,
    value: str,
    region_total: str | None,
    activity_total: str | None,
    total: str | None,
    func: str,
) -> tuple[np.ndarray, ...]:
    """Per row of a long table: x_ri, x_r, x_i, x (columns passed, or group sums)."""
    ky = [year] if year is not None else []
    kr, ki = ky + [region], ky + [activity]
    _require(df, [region, year, activity, value, region_total, activity_total, total], func)
    cells = _row_cells(df, ky + [region, activity])
    # Each key column is hashed once (pandas.factorize); every group sum below is then an
    # np.bincount over integer codes, instead of a pandas groupby that hashes the text keys again.
    factor = {k: pd.factorize(df[k], sort=False) for k in ky + [region, activity]}
    if any((c < 0).any() for c, _ in factor.values()):  # factorize codes an empty key as -1
        raise ValueError(f"{func}: empty keys in {ky + [region, activity]}")
    memo: dict[tuple[str, ...], tuple[np.ndarray, int]] = {}

    def codes(keys: list[str]) -> tuple[np.ndarray, int]:
        if tuple(keys) not in memo:
            code, n = np.zeros(len(df), dtype=np.int64), 1
            for k in keys:
                c, uniques = factor[k]
                code, n = code * len(uniques) + c, n * len(uniques)
            if n > 4 * len(df) + 1024:  # sparse combinations: renumber densely
                code, dense = pd.factorize(code)
                n = len(dense)
            memo[tuple(keys)] = (code, n)
        return memo[tuple(keys)]

    def duplicated(keys: list[str]) -> np.ndarray:
        """True for every row but the first of its group (as DataFrame.duplicated)."""
        code, n = codes(keys)
        rows = np.arange(len(code))
        first = np.full(n, len(code), dtype=np.int64)
        np.minimum.at(first, code, rows)
        return first[code] != rows

    dup = duplicated(ky + [region, activity])
    if dup.any():
        raise ValueError(f"{func}: duplicate rows for {cells(dup)}")
    a = _float(df[value])

    def gsum(v: np.ndarray, keys: list[str]) -> np.ndarray:
        """Group sum broadcast back to the rows; unknown values count as 0 (module policy)."""
        v = np.where(np.isnan(v), 0.0, v)
        if not keys:
            return np.full(v.shape, v.sum())
        code, n = codes(keys)
        return np.bincount(code, weights=v, minlength=n)[code]

    computed = []
    if region_total is None:
        xr = gsum(a, kr)
        computed.append("region totals x_r")
    else:
        xr = _float(df[region_total])
    if activity_total is None:
        xi = gsum(a, ki)
        computed.append("activity totals x_i")
    else:
        xi = _float(df[activity_total])
    if total is None and region_total is not None and activity_total is not None:
        raise ValueError(
            f"{func}: with region_total and activity_total both given, pass total "
            "as well: x = sum of x_r and x = sum of x_i may differ"
        )
    if total is not None:
        tot = _float(df[total])
    elif activity_total is None and region_total is None:
        tot = gsum(a, ky)
        computed.append("total x")
    else:  # sum each (year, activity) or (year, region) total once
        base, keys = (xi, ki) if activity_total is not None else (xr, kr)
        tot = gsum(np.where(duplicated(keys), 0.0, base), ky)
        if np.isnan(base).any():
            _warn_missing(func, "the passed totals", ["total x"])
    if np.isnan(a).any() and computed:
        _warn_missing(func, cells(np.isnan(a)), computed)
    once = [np.where(duplicated(k), 0.0, t) for k, t in ((kr, xr), (ki, xi))]
    _validate_totals(
        a, (xr, xi, tot), (gsum(a, kr), gsum(a, ki), gsum(once[0], ky), gsum(once[1], ky)), cells, func
    )
    return a, xr, xi, tot


def location_quotient_long(
    df: pd.DataFrame,
    *,
    region: str = "region",
    year: str | None = "year",
    activity: str = "activity",
    value: str = "value",
    region_total: str | None = None,
    activity_total: str | None = None,
    total: str | None = None,
) -> pd.Series:
    """:func:`location_quotient` of a long table, year by year (``year=None``: no time column).

    Totals are column names (constant within their group) or computed per year; one row per
    (year, region, activity). Returns a Series aligned with ``df``.
    """
    a, xr, xi, tot = _long_spec(
        df, region, year, activity, value, region_total, activity_total, total, "location_quotient_long"
    )
    return pd.Series(_spec(a, xr, xi, tot)[2], index=df.index, name="lq")


def _long_reduce(
    df: pd.DataFrame, region: str, year: str | None, terms: np.ndarray, a: np.ndarray, skipna: bool, func: str
) -> pd.Series:
    keys = ([year] if year is not None else []) + [region]
    grouped = df.groupby(keys, sort=True)
    index = grouped.size().index
    seg = _Seg(a, grouped.ngroup().to_numpy(), len(index), lambda o: o, lambda m: "")
    return pd.Series(_gsum(terms, seg, skipna)[0], index=index, name=func)


def krugman_index_long(
    df: pd.DataFrame,
    *,
    region: str = "region",
    year: str | None = "year",
    activity: str = "activity",
    value: str = "value",
    region_total: str | None = None,
    activity_total: str | None = None,
    total: str | None = None,
    skipna: bool = False,
) -> pd.Series:
    """:func:`krugman_index` of a long table: a Series indexed by (year, region).

    A region's absent (year, activity) row counts as x_ri = 0, i.e. adds s_i to K_r, as a zero
    cell of the wide matrix would: K_r = sum_rows (|s_ri - s_i| - s_i) + sum_i s_i.
    """
    a, xr, xi, tot = _long_spec(
        df, region, year, activity, value, region_total, activity_total, total, "krugman_index_long"
    )
    sr, si, _ = _spec(a, xr, xi, tot)
    k = _long_reduce(df, region, year, np.abs(sr - si) - si, a, skipna, "krugman_index")
    # with skipna an unknown row is left out, as in the wide form, not counted as absent
    k -= _long_reduce(
        df, region, year, np.where(np.isnan(a), si, 0.0), np.zeros(a.size), True, "krugman_index"
    )
    once = np.where(df.duplicated(([year] if year else []) + [activity]).to_numpy(), 0.0, si)
    if year is None:
        return k + once.sum()
    sum_si = pd.Series(once).groupby(df[year].to_numpy()).sum()  # sum_i s_i of each year
    return k + sum_si.reindex(k.index.get_level_values(year)).to_numpy()


def hachman_index_long(
    df: pd.DataFrame,
    *,
    region: str = "region",
    year: str | None = "year",
    activity: str = "activity",
    value: str = "value",
    region_total: str | None = None,
    activity_total: str | None = None,
    total: str | None = None,
    skipna: bool = False,
) -> pd.Series:
    """:func:`hachman_index` of a long table: a Series indexed by (year, region)."""
    a, xr, xi, tot = _long_spec(
        df, region, year, activity, value, region_total, activity_total, total, "hachman_index_long"
    )
    sr, si, lq = _spec(a, xr, xi, tot)
    terms = np.where((si == 0) & (a == 0), 0.0, sr * lq)
    return _div(1.0, _long_reduce(df, region, year, terms, a, skipna, "hachman_index"))


# ------------------------------------------------------------------------------- dynamics
@dataclass
class _Series:
    order: np.ndarray  # positions of df rows sorted by group, then time
    codes: np.ndarray  # group code of each sorted row
    v: np.ndarray  # values, sorted
    follows: np.ndarray  # row comes right after its group's previous period
    index: pd.Index  # group labels


def _time_sorted(df: pd.DataFrame, by: Keys, time: str, value: str, func: str, what: str) -> _Series:
    keys = _keys(by)
    _require(df, keys + [time, value], func)
    cells = _row_cells(df, keys + [time])
    dup = df.duplicated(keys + [time]).to_numpy()
    if dup.any():
        raise ValueError(f"{func}: duplicate rows for {cells(dup)}")
    _nonneg(_float(df[value]), cells, func, what)
    grouped = df.groupby(keys, sort=True)
    codes, t = grouped.ngroup().to_numpy(), df[time].to_numpy()
    # positions: the frame has a RangeIndex
    order = pd.DataFrame({"c": codes, "t": t}).sort_values(["c", "t"], kind="stable").index.to_numpy()
    c, ts = codes[order], t[order]
    start = np.r_[True, c[1:] != c[:-1]]
    # with integer years a missing year is a gap, not a step: it breaks period comparisons
    step = np.r_[False, np.diff(ts) == 1] if pd.api.types.is_integer_dtype(df[time]) else ~start
    return _Series(order, c, _float(df[value])[order], ~start & step, grouped.size().index)


def growth_rate_long(
    df: pd.DataFrame,
    *,
    how: Literal["total", "period"] = "total",
    by: Keys = ("region", "activity"),
    time: str = "year",
    value: str = "value",
    skipna: bool = False,
) -> pd.Series:
    """:func:`growth_rate` of a long table within each ``by`` group, ordered by ``time``.

    "period": a Series aligned with ``df``, NaN where the previous period is absent (with
    integer years a missing year is a gap). "total": one value per group, first to last row.
    """
    s = _time_sorted(df, by, time, value, "growth_rate_long", "values")
    if how == "period":
        prev = np.where(s.follows, np.r_[np.nan, s.v[:-1]], np.nan)
        out = np.empty(len(df))
        out[s.order] = _pct(s.v, prev)
        return pd.Series(out, index=df.index, name="growth_rate")
    if how != "total":
        raise ValueError(f"growth_rate_long: how must be 'total' or 'period', got {how!r}")
    keep = ~np.isnan(s.v) if skipna else np.ones(s.v.size, bool)
    c, v = s.codes[keep], s.v[keep]
    firsts = np.flatnonzero(np.r_[True, c[1:] != c[:-1]]) if c.size else np.array([], int)
    lasts = np.flatnonzero(np.r_[c[1:] != c[:-1], True]) if c.size else np.array([], int)
    out = np.full(len(s.index), np.nan)
    ok = firsts < lasts
    out[c[firsts[ok]]] = _pct(v[lasts[ok]], v[firsts[ok]])
    return pd.Series(out, index=s.index, name="growth_rate")


def chain_index_long(
    df: pd.DataFrame,
    *,
    by: Keys = ("region", "activity"),
    time: str = "year",
    value: str = "value",
    base: float = 100.0,
) -> pd.Series:
    """:func:`chain_index` of a long table within each ``by`` group, ordered by ``time``.

    An unknown index or (integer years) a missing year breaks the chain: NaN from there on.
    Returns a Series aligned with ``df``.
    """
    s = _time_sorted(df, by, time, value, "chain_index_long", "indices")
    start = np.r_[True, s.codes[1:] != s.codes[:-1]]
    broken = np.isnan(s.v) | (~start & ~s.follows)
    broken = pd.Series(broken).groupby(s.codes).cummax().to_numpy()
    level = pd.Series(np.where(np.isnan(s.v), 1.0, s.v / 100.0)).groupby(s.codes).cumprod()
    out = np.empty(len(df))
    out[s.order] = np.where(broken, np.nan, base * level.to_numpy())
    return pd.Series(out, index=df.index, name="chain_index")
