"""Indicators of regional specialisation, concentration and dynamics: pure functions.

The paper is Ivanova (2018), Economy of Region 14(4), 1207-1220, doi:10.17059/2018-4-12. Where a
peer package defines the same indicator, ours matches its published examples: EconGeo (R, P.-A.
Balland) and REAT (R, T. Wieland). Functions never modify their inputs and do no I/O.

The indicators the study's steps do not call (shares and location quotients of volumes, Gini,
Krugman and Hachman of a volume matrix, the ``*_long`` forms) are in
``benchmarks/panel_indicators.py``, beside the benchmark that measures them, under the policy below.

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
    "entropy_index",
    "equivalent_number",
    "growth_rate",
    "hhi",
    "hhi_normalised",
    "implied_total",
    "location_quotient_from_shares",
    "marketability",
    "outbound_inbound_ratio",
    "per_capita_coefficient",
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


# ---------------------------------------------------------------------- specialisation
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
