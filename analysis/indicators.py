"""Indicators of regional specialisation, concentration and dynamics: pure functions.

The paper is Ivanova (2018), Economy of Region 14(4), 1207-1220, doi:10.17059/2018-4-12. Where a
peer package defines the same indicator, ours matches its published examples: EconGeo (R, P.-A.
Balland) and REAT (R, T. Wieland). Functions never modify their inputs and do no I/O.

Shapes
    * one vector (list, ndarray, Series): one region's activities, or one time series;
    * a wide panel (DataFrame or 2-D ndarray): rows = regions, columns = activities (or periods).
      Reducers work along ``axis``: 1 (default) gives one value per row, 0 one per column;
    * a tidy long table (columns region, year, activity, value; names configurable): reducers
      take ``by=`` (grouping columns, one value per group); transforms have ``*_long`` variants
      returning a Series aligned with the table's rows. All of it is vectorised (bincount,
      groupby-transform), never a Python loop over groups.

Missing and zero data: the policy, kept local on purpose
    * NaN means "unknown"; pandas' nullable NA is read as NaN.
    * A reducer (HHI, Gini, ...) over a group containing NaN is NaN for that group only, unless
      ``skipna=True``: then the unknown cells are left out and n counts the known cells.
    * An element-wise indicator (shares, LQ) is NaN in a NaN cell. Totals computed from the data
      (not passed) skip unknown cells, so every other cell is computed as if the unknown cell were
      0; this emits :class:`MissingDataWarning` naming the cells. Pass the totals to avoid it.
      (EconGeo turns a matrix with one NA into zeros; ecomplexity drops rows.)
    * Zero denominators (empty region, absent activity, zero base year) give NaN, never inf, and
      no numpy RuntimeWarning.
    * A row absent from a long table is a zero (LQ, Krugman, Hachman match the wide matrix with
      0 there; mark unknown cells with NaN rows instead). Reducers with ``by=`` count the rows
      present as n, so keep zero rows for the Gini and the normalised HHI.
    * Negative volumes or shares, a share above its scale and a part above its total raise
      ValueError naming the cells (REAT returns NA for a part above its total; bad input is loud).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

Vector = Sequence[float] | np.ndarray | pd.Series
Panel = Vector | pd.DataFrame
Keys = str | Sequence[str]

__all__ = [
    "MissingDataWarning",
    "chain_index",
    "chain_index_long",
    "entropy_index",
    "equivalent_number",
    "gini",
    "growth_rate",
    "growth_rate_long",
    "hachman_index",
    "hachman_index_long",
    "hhi",
    "hhi_normalised",
    "implied_total",
    "krugman_index",
    "krugman_index_long",
    "location_quotient",
    "location_quotient_from_shares",
    "location_quotient_long",
    "marketability",
    "outbound_inbound_ratio",
    "per_capita_coefficient",
    "shares",
    "shares_long",
]

_RTOL = 1e-9  # published tables are rounded: a part may exceed its total by this much
_PANDAS = (pd.Series, pd.DataFrame)


class MissingDataWarning(UserWarning):
    """Totals were computed from data with unknown cells; the message names them."""


# --------------------------------------------------------------------------------- helpers
def _float(x: Any) -> np.ndarray:
    if isinstance(x, (pd.Series, pd.DataFrame)):
        return x.to_numpy(dtype=float, na_value=np.nan)
    return np.asarray(x, dtype=float)


def _listing(names: list[Any], count: int) -> str:
    return f"{count} cell(s): " + ", ".join(map(repr, names[:10])) + (", ..." if count > 10 else "")


def _nonneg(v: np.ndarray, cells: Callable[[np.ndarray], str], func: str, what: str) -> None:
    bad = v < 0  # NaN compares False: unknown is not negative
    if bad.any():
        raise ValueError(f"{func}: {what} must be non-negative; negative in {cells(bad)}")


def _not_above(
    part: Any, whole: Any, shape: tuple[int, ...], cells: Callable[[np.ndarray], str], func: str, what: str
) -> None:
    whole = np.asarray(whole, dtype=float)
    bad = np.broadcast_to(np.asarray(part) > whole + _RTOL * np.abs(whole), shape)
    if bad.any():
        raise ValueError(f"{func}: {what}; see {cells(bad)}")


def _div(num: Any, den: Any) -> Any:
    """num / den with NaN (never inf) for a zero denominator and no numpy warnings."""
    if not isinstance(num, _PANDAS) and not isinstance(den, _PANDAS):
        num, den = np.asarray(num, dtype=float), np.asarray(den, dtype=float)
    with np.errstate(all="ignore"):  # 0/0, x/0, and overflow of extreme ratios
        q = num / den
    if isinstance(q, _PANDAS):
        return q.mask(np.isinf(q.to_numpy(dtype=float, na_value=np.nan)))
    q = np.where(np.isinf(q), np.nan, q)
    return float(q) if q.ndim == 0 else q


def _warn_missing(func: str, where: str, computed: Sequence[str]) -> None:
    warnings.warn(
        f"{func}: unknown values in {where}; {' and '.join(computed)} computed from the data "
        "skip them, so the other cells are computed as if these were 0. Pass the totals to "
        "avoid this.",
        MissingDataWarning,
        stacklevel=3,
    )


class _Grid:
    """A vector or a matrix as a 2-D float array with the units (regions) in rows."""

    rows: pd.Index  # labels of the rows of a (regions)
    cols: pd.Index  # labels of the columns of a (activities)

    def __init__(self, x: Panel, axis: int = 1):
        if axis not in (0, 1):
            raise ValueError(f"axis must be 0 or 1, got {axis!r}")
        try:
            a = _float(x)
        except (TypeError, ValueError) as e:  # e.g. a long table passed without by=
            raise ValueError(
                "expected numbers: a vector or a region x activity matrix; for a "
                "long table use by= or the *_long functions"
            ) from e
        if a.ndim not in (1, 2):
            raise ValueError(f"expected a vector or a matrix, got {a.ndim} dimension(s)")
        self.x, self.axis, self.vector = x, axis, a.ndim == 1
        self.a = a[None, :] if self.vector else (a.T if axis == 0 else a)
        if isinstance(x, pd.DataFrame):
            self.rows, self.cols = (x.index, x.columns) if axis == 1 else (x.columns, x.index)
        else:
            self.rows = pd.RangeIndex(self.a.shape[0])
            self.cols = x.index if isinstance(x, pd.Series) else pd.RangeIndex(self.a.shape[1])

    def cells(self, mask: np.ndarray) -> str:
        r, c = np.nonzero(np.reshape(mask, self.a.shape))
        names = [
            self.cols[j] if self.vector else (self.rows[i], self.cols[j]) for i, j in zip(r[:10], c[:10])
        ]
        return _listing(names, len(r))

    def like(self, out: np.ndarray) -> Any:
        """A result shaped like the input."""
        if self.vector:
            return (
                pd.Series(out[0], index=self.x.index, name=self.x.name)
                if isinstance(self.x, pd.Series)
                else out[0]
            )
        out = out.T if self.axis == 0 else out
        if isinstance(self.x, pd.DataFrame):
            return pd.DataFrame(out, index=self.x.index, columns=self.x.columns)
        return out

    def per_row(self, out: np.ndarray, name: str) -> Any:
        """One result per unit: a float for a vector, a Series for a DataFrame."""
        if self.vector:
            return float(out[0])
        return pd.Series(out, index=self.rows, name=name) if isinstance(self.x, pd.DataFrame) else out


@dataclass
class _Seg:
    """Values with a group code each: the common form of wide rows and long-table groups."""

    v: np.ndarray
    codes: np.ndarray
    n: int
    wrap: Callable[[np.ndarray], Any]
    cells: Callable[[np.ndarray], str]


def _keys(by: Keys) -> list[str]:
    return [by] if isinstance(by, str) else list(by)


def _require(df: pd.DataFrame, cols: Sequence[str | None], func: str) -> None:
    absent = [c for c in cols if c is not None and c not in df.columns]
    if absent:
        raise ValueError(f"{func}: column(s) {absent} not in the table; it has {list(df.columns)}")


def _row_cells(df: pd.DataFrame, keys: Sequence[str]) -> Callable[[np.ndarray], str]:
    def cells(mask: np.ndarray) -> str:
        mask = np.asarray(mask)
        rows = df.loc[mask, list(keys)].head(10).itertuples(index=False, name=None)
        return _listing(list(rows), int(mask.sum()))

    return cells


def _segments(x: Panel, axis: int, by: Keys | None, value: str, func: str) -> _Seg:
    if by is None:
        g = _Grid(x, axis)
        nr, nc = g.a.shape
        return _Seg(g.a.ravel(), np.repeat(np.arange(nr), nc), nr, lambda out: g.per_row(out, func), g.cells)
    if not isinstance(x, pd.DataFrame):
        raise ValueError(f"{func}: by= needs a long DataFrame")
    keys = _keys(by)
    _require(x, keys + [value], func)
    if x[keys].isna().to_numpy().any():
        raise ValueError(f"{func}: grouping columns {keys} have empty keys")
    grouped = x.groupby(keys, sort=True)
    index = grouped.size().index  # ngroup numbers the groups in this sorted order
    return _Seg(
        _float(x[value]),
        grouped.ngroup().to_numpy(),
        len(index),
        lambda out: pd.Series(out, index=index, name=func),
        _row_cells(x, [c for c in x.columns if c != value]),
    )


def _gsum(terms: np.ndarray, s: _Seg, skipna: bool) -> tuple[np.ndarray, np.ndarray]:
    """Per-group sum of terms and count of known values. NaN for a group with an unknown value
    (unless skipna) or with none known; a NaN term of a known value (0/0) always propagates."""
    known = ~np.isnan(s.v)
    total = np.bincount(s.codes, weights=np.where(known, terms, 0.0), minlength=s.n)
    count = np.bincount(s.codes, weights=known.astype(float), minlength=s.n)
    if not skipna:
        total[np.bincount(s.codes, weights=(~known).astype(float), minlength=s.n) > 0] = np.nan
    total[count == 0] = np.nan
    return total, count


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
def _hhi_sum(
    s: Panel, scale: float, skipna: bool, axis: int, by: Keys | None, value: str, func: str
) -> tuple[_Seg, np.ndarray, np.ndarray]:
    seg = _segments(s, axis, by, value, func)
    _nonneg(seg.v, seg.cells, func, "shares")
    above = seg.v > scale * (1 + _RTOL)
    if above.any():
        raise ValueError(
            f"{func}: shares above {scale:g} (scale={scale:g}; scale=1 means fractions) in {seg.cells(above)}"
        )
    total, count = _gsum(seg.v**2, seg, skipna)
    return seg, total, count


def hhi(
    s: Panel,
    *,
    scale: float = 100.0,
    skipna: bool = False,
    axis: int = 1,
    by: Keys | None = None,
    value: str = "value",
) -> Any:
    """Herfindahl-Hirschman index H = sum_i s_i^2 of shares s_i given on 0..scale.

    Per-cent shares (scale=100, the paper's convention) give H in [10 000/n, 10 000]; fractions
    (scale=1) give [1/n, 1]. Shares are used as given, not renormalised: shares of a total that
    includes unlisted activities count as published. Sources: Hirschman (1945), Herfindahl
    (1950); Ivanova (2018), HHI of Kemerovo region 2011-2015 from Table 1; REAT ``herf``;
    EconGeo ``Herfindahl``.
    """
    seg, total, _ = _hhi_sum(s, scale, skipna, axis, by, value, "hhi")
    return seg.wrap(total)


def hhi_normalised(
    s: Panel,
    *,
    scale: float = 100.0,
    skipna: bool = False,
    axis: int = 1,
    by: Keys | None = None,
    value: str = "value",
) -> Any:
    """Normalised HHI on fractions: H* = (H - 1/n) / (1 - 1/n), H = sum_i (s_i/scale)^2.

    n counts all activities, zero shares included (known ones only with skipna); n = 1 gives
    NaN. H* is 0 for equal shares and 1 for one activity. Source: REAT ``herf(coefnorm=TRUE)``.
    """
    seg, total, n = _hhi_sum(s, scale, skipna, axis, by, value, "hhi_normalised")
    return seg.wrap(_div(total / scale**2 - _div(1.0, n), 1.0 - _div(1.0, n)))


def equivalent_number(
    s: Panel,
    *,
    scale: float = 100.0,
    skipna: bool = False,
    axis: int = 1,
    by: Keys | None = None,
    value: str = "value",
) -> Any:
    """Equivalent number of activities 1/H, H = sum_i (s_i/scale)^2 on fractions.

    The number of equal-sized activities with the same HHI (Adelman 1969). H = 0 gives NaN.
    """
    seg, total, _ = _hhi_sum(s, scale, skipna, axis, by, value, "equivalent_number")
    return seg.wrap(_div(1.0, total / scale**2))


def entropy_index(
    x: Panel,
    *,
    base: float = 2.0,
    skipna: bool = False,
    axis: int = 1,
    by: Keys | None = None,
    value: str = "value",
) -> Any:
    """Shannon entropy E = -sum_i p_i log_base(p_i), p_i = x_i / sum_j x_j, with 0 log 0 = 0.

    Takes non-negative values or shares (renormalised to fractions). 0 for one activity,
    log_base(n) for n equal ones; an all-zero row gives NaN. base=2 follows EconGeo ``entropy``
    (which also adds 1e-9 inside the log and rounds to 3 decimals; we do neither). Sources:
    Shannon (1948); Frenken, Van Oort & Verburg (2007), Regional Studies 41(5).
    """
    seg = _segments(x, axis, by, value, "entropy_index")
    _nonneg(seg.v, seg.cells, "entropy_index", "values")
    total, _ = _gsum(seg.v, seg, skipna)
    p = _div(seg.v, total[seg.codes])
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p > 0, -p * np.log(p), np.where(p == 0, 0.0, np.nan))
    return seg.wrap(_gsum(terms, seg, skipna)[0] / np.log(base))


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


def location_quotient_from_shares(region_shares: Any, reference_shares: Any) -> Any:
    """Location quotient from shares: LQ_i = s_ri / s_i.

    ``region_shares`` are the activity shares of the region's total and ``reference_shares``
    those of the reference economy (e.g. Russia), on the same scale (per cent or fractions);
    this equals (x_ri / x_r) / (x_i / x) when the shares come from the same totals. Use it for
    published structures such as Rosstat's GVA shares, where the volumes are not given (the
    region's share is not a part of the national share, so :func:`location_quotient`'s
    part-of-total checks do not apply). Element-wise, aligned by label for pandas objects; a zero
    reference share gives NaN; negative shares raise. Source: Ivanova (2018), section on
    location quotients; Isard (1960).
    """
    r = _num(region_shares, "location_quotient_from_shares", "region_shares")
    ref = _num(reference_shares, "location_quotient_from_shares", "reference_shares")
    return _div(r, ref)


def specialisation_from_shares(
    df: pd.DataFrame,
    *,
    by: Keys,
    share: str = "share_region",
    reference: str = "share_reference",
    scale: float = 100.0,
) -> pd.DataFrame:
    """Krugman dissimilarity and Hachman index of published structures against a reference
    economy's, per group ``by`` (e.g. region and year), from a long table of activity shares.

    With s_ri = share / scale and s_i = reference / scale (fractions of each economy's total):
    Krugman K_r = sum_i |s_ri - s_i| (0 for the reference's structure, up to 2; Krugman 1991),
    Hachman H_r = 1 / sum_i s_ri * (s_ri / s_i) (1 for the reference's structure, towards 0 the
    more the region concentrates where the reference is small; Hachman 1994). These are
    :func:`krugman_index` and :func:`hachman_index` with the reference given as shares, as
    Rosstat publishes GVA structures (no volumes). An unknown share makes the group's values NaN;
    a zero reference share with a non-zero regional share makes Hachman NaN (undefined).
    """
    keys = _keys(by)
    _require(df, [*keys, share, reference], "specialisation_from_shares")
    sr = _float(df[share]) / scale
    si = _float(df[reference]) / scale
    with np.errstate(divide="ignore", invalid="ignore"):
        k_terms = np.abs(sr - si)
        h_terms = np.where((sr == 0) & (si == 0), 0.0, sr * sr / si)
    h_terms = np.where(np.isinf(h_terms), np.nan, h_terms)
    g = pd.DataFrame({**{k: df[k].to_numpy() for k in keys}, "k": k_terms, "h": h_terms})
    out = g.groupby(keys, sort=True).agg(
        krugman=("k", lambda v: v.sum(min_count=len(v))), h=("h", lambda v: v.sum(min_count=len(v)))
    )
    out["hachman"] = 1.0 / out.pop("h")
    return out.reset_index()


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


# ------------------------------------------------------------------- ratios of two series
def _num(x: Any, func: str, what: str) -> Any:
    """Float ndarray, or pandas object kept for label alignment; checked non-negative."""
    if isinstance(x, pd.Series):
        x = pd.Series(_float(x), index=x.index, name=x.name)
    elif isinstance(x, pd.DataFrame):
        x = pd.DataFrame(_float(x), index=x.index, columns=x.columns)
    else:
        x = _float(x)
    negative = int((_float(x) < 0).sum())
    if negative:
        raise ValueError(f"{func}: {what} must be non-negative; {negative} negative value(s)")
    return x


def _share_at_most_one(q: Any, func: str, what: str) -> None:
    if (_float(q) > 1 + _RTOL).any():
        raise ValueError(f"{func}: {what}")


def per_capita_coefficient(x_region: Any, x_total: Any, population_region: Any, population_total: Any) -> Any:
    """Per-capita production coefficient (x_r / x_RF) / (P_r / P_RF).

    Above 1: the region produces more per inhabitant than the country. Element-wise over
    scalars, arrays and pandas objects (aligned by label). Zero denominators give NaN; a part
    above its total raises. Sources: Ivanova (2018), Table 2; ecomplexity ``RPOP``.
    """
    func = "per_capita_coefficient"
    sx = _div(_num(x_region, func, "x_region"), _num(x_total, func, "x_total"))
    sp = _div(
        _num(population_region, func, "population_region"), _num(population_total, func, "population_total")
    )
    _share_at_most_one(sx, func, "x_region exceeds x_total")
    _share_at_most_one(sp, func, "population_region exceeds population_total")
    return _div(sx, sp)


def marketability(shipments_out: Any, production: Any, *, scale: float = 1.0) -> Any:
    """Regional marketability: shipments out of the region / regional production * scale.

    Can exceed 1 (shipments from stocks or of goods brought in); zero production gives NaN.
    Source: Ivanova (2018), Table 3 (coal: 0.98, 0.94, 0.93 in 2014-2016).
    """
    return (
        _div(
            _num(shipments_out, "marketability", "shipments_out"),
            _num(production, "marketability", "production"),
        )
        * scale
    )


def outbound_inbound_ratio(outbound: Any, inbound: Any) -> Any:
    """Freight shipped out / freight brought in; (ratio - 1) * 100 is the per-cent excess.

    Zero inbound gives NaN. Source: Ivanova (2018), Table 4 (outbound above inbound by 61, 55
    and 58 % in 2014-2016).
    """
    return _div(
        _num(outbound, "outbound_inbound_ratio", "outbound"),
        _num(inbound, "outbound_inbound_ratio", "inbound"),
    )


def implied_total(volume: Any, share: Any, *, scale: float = 100.0) -> Any:
    """National total implied by a regional volume and its share: volume / (share / scale).

    Share 0 gives NaN; a share above ``scale`` raises. Source: Ivanova (2018), Table 4 gives
    volumes with their per-cent share of Russia.
    """
    s = _num(share, "implied_total", "share")
    _share_at_most_one(_float(s) / scale, "implied_total", f"share above {scale:g}")
    return _div(_num(volume, "implied_total", "volume"), s / scale)


# ------------------------------------------------------------------------------- dynamics
def _pct(new: Any, old: Any) -> Any:
    return (_div(new, old) - 1.0) * 100.0


def growth_rate(
    x: Panel, *, how: Literal["total", "period"] = "total", skipna: bool = False, axis: int = 1
) -> Any:
    """Growth in per cent: total (x_last / x_first - 1) * 100, or period (x_t / x_(t-1) - 1) * 100.

    Time runs along ``axis`` (1: columns are periods). "period" keeps the shape, first period
    NaN; "total" gives one value per row, NaN if the first or last value is unknown (skipna:
    first and last known values) or if fewer than two periods are known. A zero base gives NaN.
    """
    g = _Grid(x, axis)
    a = g.a
    _nonneg(a, g.cells, "growth_rate", "values")
    if how == "period":
        prev = np.full_like(a, np.nan)
        prev[:, 1:] = a[:, :-1]
        return g.like(_pct(a, prev))
    if how != "total":
        raise ValueError(f"growth_rate: how must be 'total' or 'period', got {how!r}")
    rows, known = np.arange(a.shape[0]), ~np.isnan(a) if skipna else np.ones(a.shape, bool)
    first = known.argmax(axis=1)
    last = a.shape[1] - 1 - known[:, ::-1].argmax(axis=1)
    out = np.where(first < last, _pct(a[rows, last], a[rows, first]), np.nan)
    return g.per_row(out, "growth_rate")


def chain_index(idx: Panel, *, base: float = 100.0, axis: int = 1) -> Any:
    """Chain index I_t = base * prod_(k<=t) i_k / 100 from "% of previous year" indices i_k.

    I_t is the level of period t with the period before the first index at ``base``. An unknown
    index makes every later level NaN (the chain is broken there). Rosstat publishes such
    indices ("в % к предыдущему году").
    """
    g = _Grid(idx, axis)
    _nonneg(g.a, g.cells, "chain_index", "indices")
    return g.like(base * np.cumprod(g.a / 100.0, axis=1))


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


def volume_share(
    share_base: float, activity_index: pd.Series, total_index: pd.Series, base_year: int
) -> pd.Series:
    """An activity's share of the region's output at the prices of ``base_year`` (per cent),
    carried by volume indices from its nominal share ``share_base`` in that year:

    .. math:: s^{v}_t = s_b \\prod_{k=b+1}^{t} \\frac{I^{a}_k}{I^{Y}_k} \\ (t > b), \\qquad
              s^{v}_t = s_b \\prod_{k=t+1}^{b} \\frac{I^{Y}_k}{I^{a}_k} \\ (t < b),

    ``activity_index`` :math:`I^a_k` and ``total_index`` :math:`I^Y_k` being "% of previous year"
    volume indices by year (Rosstat: the activity's production index, appendix section 12, and the
    GRP volume index, section 8.3). The nominal share then equals :math:`s^v_t \\cdot p_t` with
    :math:`p_t` the activity's price relative to the region's output since ``b``, so the volume
    share moves with quantities only. Assumptions, which the caller states: the production index
    (gross output) moves as the activity's real value added, and GRP (value added plus net taxes on
    products) as real GVA. The chain stops at the first year without either index, in both
    directions. Returns the share by year (``base_year`` included), sorted.
    """
    if not np.isfinite(share_base):
        raise ValueError(f"volume_share: the nominal share of {base_year} is unknown")
    both = pd.concat([activity_index, total_index], axis=1).dropna()
    bad = (both <= 0).any(axis=1)
    if bad.any():
        raise ValueError(
            f"volume_share: indices must be positive; not in {', '.join(map(str, both.index[bad]))}"
        )
    ratio = both.iloc[:, 0] / both.iloc[:, 1]
    out = {base_year: float(share_base)}
    level, t = float(share_base), base_year + 1
    while t in ratio.index:
        level *= float(ratio[t])
        out[t] = level
        t += 1
    level, t = float(share_base), base_year
    while t in ratio.index:
        level /= float(ratio[t])
        out[t - 1] = level
        t -= 1
    return pd.Series(out, dtype=float).sort_index()
