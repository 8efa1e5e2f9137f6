"""Step 7: production indices against Russia (Ivanova 2018, Table 7) and the paper's question asked
again with data to 2022. Notebook ``07_conclusion``.

Yearly production indices (% of the previous year) of the region and of Russia, chained
(indicators.chain_index), give the cumulative change since the base year, which answers the claim
that industry and mining grew faster in the region than in Russia over the period; the yearly
comparison shows in which years they did not.

The windows before and after the first cluster (``after_the_clusters``) ask the paper's question
again with Rosstat's GVA, for any region. The paper's conclusions set against the evidence, and the
ledger's figure, are in :mod:`analysis.steps.conclusion_paper` (same notebook), which uses this
module; this module does not use it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from analysis import indicators as ind
from analysis.core import figures as F
from analysis.core import labels as L
from analysis.core import prose as P
from analysis.inputs import paper
from analysis.inputs import region as region_data
from analysis.steps import gva_hhi

REGION = paper.REGION  # Table 7's region: the paper's
# Items of the production indices (names: index_item.* in analysis.core.labels): Table 7's and
# OKVED-2007's; OKVED2 splits utilities into energy (section D) and water and waste (E).
ITEMS = ("industry", "mining", "manufacturing", "utilities", "energy", "water_waste")


def indices_wide(indices: pd.DataFrame) -> pd.DataFrame:
    """A tidy ``region, item, year, value`` table of indices as rows (region, item) x years."""
    return indices.pivot_table(index=["region", "item"], columns="year", values="value")


def cumulative(w: pd.DataFrame) -> pd.DataFrame:
    """Chained indices from the first year every series has data, the year before it = 100:
    :math:`C_t = 100 \\prod_{t_0 \\le s \\le t} I_s / 100` (:func:`analysis.indicators.chain_index`),
    :math:`t_0` the latest of the rows' first years with an index (rows without any stay empty).
    A region whose series start late (Sevastopol from 2015) is thus compared with Russia rebased to
    the same base year, never with an invented base followed by gaps; earlier years are left out.
    An unknown index later on breaks that row's chain (NaN from there)."""
    firsts = [int(row.first_valid_index()) for _, row in w.iterrows() if row.notna().any()]
    start = max(firsts) if firsts else min(w.columns)
    w = w.loc[:, [y for y in w.columns if y >= start]]
    c = ind.chain_index(w)
    c = pd.DataFrame(np.asarray(c, dtype=float), index=w.index, columns=w.columns)
    c.insert(0, start - 1, np.where(w.notna().any(axis=1), 100.0, np.nan))
    return c


def faster_than_russia(w: pd.DataFrame, region: str) -> pd.DataFrame:
    """For each item: the years in which the region's index exceeded Russia's (of the years both
    give), and the cumulative growth of both from the base year of :func:`cumulative` to the last
    year of the region's unbroken chain (``base_year``, ``last_year``); ``faster_over_period`` is
    empty where the region has no chained level."""
    c = cumulative(w)
    rows = []
    for item in [i for i in ITEMS if (region, i) in w.index and ("russia", i) in w.index]:
        k, r = w.loc[(region, item)], w.loc[("russia", item)]
        both = k.notna() & r.notna()
        chain = c.loc[(region, item)].dropna()
        last = int(chain.index[-1]) if len(chain) > 1 else None
        cum_k = float(chain.iloc[-1]) if last is not None else np.nan
        cum_r = float(c.loc[("russia", item), last]) if last is not None else np.nan
        rows.append(
            {
                "item": item,
                "years_region_faster": ", ".join(str(y) for y in w.columns if both[y] and k[y] > r[y]),
                "n_years_faster": int((k[both] > r[both]).sum()),
                "n_years": int(both.sum()),
                "base_year": int(c.columns.min()),
                "last_year": last if last is not None else np.nan,
                "cum_region": cum_k,
                "cum_russia": cum_r,
                "faster_over_period": bool(cum_k > cum_r) if last is not None else None,
            }
        )
    return pd.DataFrame(rows)


def draw_cumulative(c: pd.DataFrame, *, lang: str, region: str, region_name: str, source: str) -> Figure:
    """Cumulative production indices (``c``: :func:`cumulative`), the region (solid) against
    Russia (dashed)."""
    fig, ax = F.new(6.5, 3.6)
    names = {region: region_name, "russia": L.label("russia", lang)}
    for i, item in enumerate(ITEMS):
        for reg, ls in ((region, "-"), ("russia", "--")):
            if (reg, item) not in c.index:
                continue
            s = c.loc[(reg, item)]
            ax.plot(
                s.index,
                s.to_numpy(float),
                ls,
                color=F.PALETTE[i],
                marker="o" if reg == region else None,
                ms=3,
                label=f"{L.label(f'index_item.{item}', lang)}, {names[reg]}",
            )
    ax.axhline(100, color="#888888", lw=0.8)
    ax.set_xticks([int(y) for y in c.columns])  # whole years, however few (no 2014.25)
    ax.set_xlabel(L.label("year", lang))
    F.year_axis(ax.xaxis)
    ax.set_ylabel(L.label("index_cum", lang, base=c.columns.min()))
    F.legend_below(ax, ncols=2)  # beside the axes it made the figure wider than 2.5 x its height
    ax.set_title(L.label("title.cumulative", lang, base=c.columns.min(), region=region_name))
    F.source_note(fig, source)
    return fig


def paper_indices() -> pd.DataFrame:
    """Table 7 as a tidy ``region, item, year, value`` table (Kemerovo region and Russia)."""
    return region_data.production_indices(REGION).table


def paper_vs_official_indices(paper_t: pd.DataFrame, official: pd.DataFrame) -> pd.DataFrame:
    """Table 7 beside Rosstat's annual indices (section 12 of the appendix, OKVED-2007) cell by
    cell: ``region, item, year, paper, official, difference`` (official minus paper)."""
    m = paper_t.merge(official, on=["region", "item", "year"], how="left", suffixes=("_paper", "_official"))
    m = m.rename(columns={"value_paper": "paper", "value_official": "official"})
    m["difference"] = m["official"] - m["paper"]
    return m.sort_values(["region", "item", "year"]).reset_index(drop=True)


def reading_official(pvo: pd.DataFrame) -> str:
    """How Table 7 compares with the official annual indices, in words (Markdown), and, for each
    item of the region whose cells differ, what Rosstat's indices make of the "faster than Russia"
    judgement (:func:`official_chains`)."""
    known = pvo.dropna(subset=["official"])
    same = known[known["difference"].abs() < 0.05]
    off = known[known["difference"].abs() >= 0.05]
    text = (
        f"Of {len(pvo)} cells of Table 7, {len(known)} have an official counterpart; {len(same)} are equal to the "
        f"printed precision"
        + (
            "; they differ in "
            + ", ".join(f"{r.region} {r.item} {r.year} ({r.difference:+.1f})" for r in off.itertuples())
            if len(off)
            else ""
        )
        + "."
    )
    for r in official_chains(pvo).itertuples(index=False):
        a, b, c = P.nums([r.cum_official, r.cum_russia, r.cum_paper], 1)
        verdict = "faster" if r.cum_official > r.cum_russia else "not faster"
        same_verdict = (r.cum_official > r.cum_russia) == (r.cum_paper > r.cum_russia_paper)
        text += (
            f" Chained on Rosstat's annual indices, {r.region} {r.item} is {a} against Russia's {b} "
            f"({r.base} = 100; Table 7 gives {c}): {verdict} than Russia"
            + (", as in the paper" if same_verdict else ", unlike the paper")
            + f", with a margin of {P.num(r.cum_official - r.cum_russia, 1, sign=True)} points against "
            f"{P.num(r.cum_paper - r.cum_russia_paper, 1, sign=True)}; "
            + (
                f"the differing cells change which years it grew faster: {r.years_flipped}."
                if r.years_flipped
                else "the differing cells do not change in which years it grew faster."
            )
        )
    return text


def official_chains(pvo: pd.DataFrame) -> pd.DataFrame:
    r"""For each item of a region (not Russia) with a cell of Table 7 that differs from Rosstat's
    annual index (``pvo``: :func:`paper_vs_official_indices`), both chains against Russia's,
    :math:`100 \prod_t I_t / 100` over the years both give, base the year before the first:
    ``region, item, base, cum_paper, cum_official, cum_russia_paper, cum_russia`` (Russia's official
    chain), and ``years_flipped``, the years whose faster-or-not against Russia differs between
    the printed and the official indices. Items with an official cell missing are left out."""
    rows = []
    for (region, item), g in pvo[pvo["region"] != "russia"].groupby(["region", "item"], sort=True):
        if not (g["difference"].abs() >= 0.05).any() or g["official"].isna().any():
            continue
        rus = pvo[(pvo["region"] == "russia") & (pvo["item"] == item)].set_index("year")
        g = g.set_index("year")
        years = [y for y in g.index if y in rus.index and pd.notna(rus.at[y, "official"])]
        if not years:
            continue
        g, rus = g.loc[years], rus.loc[years]
        flipped = [
            str(y)
            for y in years
            if (g.at[y, "paper"] > rus.at[y, "paper"]) != (g.at[y, "official"] > rus.at[y, "official"])
        ]
        rows.append(
            {
                "region": region,
                "item": item,
                "base": int(min(years)) - 1,
                "cum_paper": 100 * float(np.prod(g["paper"] / 100)),
                "cum_official": 100 * float(np.prod(g["official"] / 100)),
                "cum_russia_paper": 100 * float(np.prod(rus["paper"] / 100)),
                "cum_russia": 100 * float(np.prod(rus["official"] / 100)),
                "years_flipped": ", ".join(flipped),
            }
        )
    cols = [
        "region",
        "item",
        "base",
        "cum_paper",
        "cum_official",
        "cum_russia_paper",
        "cum_russia",
        "years_flipped",
    ]
    return pd.DataFrame(rows, columns=cols)


def paper_vs_rosstat_indices(production_index: pd.DataFrame) -> pd.DataFrame:
    """Table 7's mining indices beside Rosstat's monthly bulletin (December, January-December
    in % of the previous year), Kemerovo region and Russia, for the years both cover."""
    w = indices_wide(paper_indices())
    rows = []
    for region in (REGION, "russia"):
        r = production_index[
            (production_index["region_id"] == region) & (production_index["activity"] == "C")
        ]
        r = r.set_index("year")["value"]
        for year in w.columns:
            if year in r.index:
                rows.append(
                    {
                        "region": region,
                        "year": year,
                        "paper": w.loc[(region, "mining"), year],
                        "rosstat_bulletin": r[year],
                    }
                )
    out = pd.DataFrame(rows, columns=["region", "year", "paper", "rosstat_bulletin"])
    out["difference"] = out["rosstat_bulletin"] - out["paper"]
    return out


def parse_windows(spec: str) -> list[tuple[int, int]]:
    """``"2013-2015,2017-2019"`` -> ``[(2013, 2015), (2017, 2019)]``; a single year is a window of one."""
    out = []
    for part in (p.strip() for p in spec.split(",") if p.strip()):
        first, _, last = part.partition("-")
        if not first.strip().isdigit() or (last and not last.strip().isdigit()):
            raise ValueError(f"a window is YEAR or YEAR-YEAR, got {part!r}")
        a, b = int(first), int(last or first)
        if b < a:
            raise ValueError(f"a window ends before it starts: {part!r}")
        out.append((a, b))
    return out


def default_windows(founded: int, years: list[int]) -> list[tuple[int, int]]:
    """Windows after the founding year to compare with the years before it: the first three years
    after ``founded``, 2017-2019 (the first full years of OKVED2 after the change) and the last
    three years of ``years``, each kept only if it has data, without repeats."""
    last = max(years)
    out = [(founded + 1, min(founded + 3, last)), (2017, 2019), (last - 2, last)]
    return list(dict.fromkeys(w for w in out if w[0] <= w[1] and w[0] in years and w[0] > founded))


def real_grp_relative(grp_volume: pd.DataFrame, region: str) -> pd.Series:
    """The region's real GRP relative to Russia's, chained from the yearly volume indices
    (constant prices): :math:`R_t = 100 \\prod_{s \\le t} (I^r_s / I^{RF}_s)`, base the year before
    the first index. A volume measure, free of the price movements that move nominal shares."""
    w = grp_volume[grp_volume["region_id"].isin([region, "russia"])].pivot_table(
        index="year", columns="region_id", values="value"
    )
    if region not in w or "russia" not in w:
        return pd.Series(dtype=float)
    ratio = (w[region] / w["russia"]).dropna()
    out = 100 * ratio.cumprod()
    out.loc[ratio.index.min() - 1] = 100.0
    return out.sort_index()


def specialisations(gva: pd.DataFrame, region: str, founded: int) -> pd.DataFrame:
    """The region's broad activities (``gva_hhi.BROAD``) ranked by their LQ of GVA against Russia,
    :math:`LQ_a = s^r_a / s^{RF}_a` (per-cent shares, Rosstat), in the last year before ``founded``
    with data, else the first year with data (``year`` says which): ``activity, year, okved,
    share_region, share_russia, lq``, highest LQ first."""
    b = gva_hhi.broad_activities(gva, [region, "russia"])
    w = b.pivot_table(index=["year", "okved", "activity"], columns="region_id", values="value")
    cols = ["activity", "year", "okved", "share_region", "share_russia", "lq"]
    if region not in w or "russia" not in w:
        return pd.DataFrame(columns=cols)
    w = w.dropna(subset=[region, "russia"])
    w = w[w["russia"] > 0].reset_index()
    if w.empty:
        return pd.DataFrame(columns=cols)
    years = sorted(set(w["year"]))
    before = [y for y in years if y < founded]
    year = before[-1] if before else years[0]
    out = w[w["year"] == year].rename(columns={region: "share_region", "russia": "share_russia"})
    out = out.assign(lq=out["share_region"] / out["share_russia"])
    return out[cols].sort_values(["lq", "activity"], ascending=[False, True]).reset_index(drop=True)


def activity_series(gva: pd.DataFrame, region: str, activity: str) -> tuple[pd.Series, pd.Series]:
    """A broad activity's nominal share of GVA (per cent) and its LQ against Russia, by year,
    each year in its own edition (``gva_hhi.BROAD``)."""
    b = gva_hhi.broad_activities(gva, [region, "russia"])
    w = b[b["activity"] == activity].pivot_table(index="year", columns="region_id", values="value")
    if region not in w:
        return pd.Series(dtype=float), pd.Series(dtype=float)
    share = w[region].dropna()
    lq = (
        (w[region] / w["russia"].where(w["russia"] > 0)).dropna() if "russia" in w else pd.Series(dtype=float)
    )
    return share, lq


def after_the_clusters(
    gva: pd.DataFrame,
    region: str,
    founded: int = 2012,
    windows: list[tuple[int, int]] | None = None,
    grp_volume: pd.DataFrame | None = None,
    indices: pd.DataFrame | None = None,
    activity: str | None = None,
) -> pd.DataFrame:
    """The paper's question asked again with Rosstat's data: did the concentration (HHI) and the
    region's own specialisation (``activity``; default: its broad activity with the highest LQ
    before ``founded``, :func:`specialisations`) change after the first cluster was founded? Its
    nominal GVA share and LQ against Russia; with ``indices`` (production indices) and
    ``grp_volume``, its share in volume at 2009 prices (:func:`analysis.steps.gva_hhi.volume_shares`,
    OKVED-2007 chain, to 2016) where Rosstat publishes a production index for it; and the region's
    real GRP against Russia's.

    The mean of the years before ``founded`` against the mean of each window in ``windows``
    (default: the last three years), one row per indicator and window, with the activity and the
    classification edition of each period. Descriptive: a difference of means says nothing of what
    the clusters caused.
    """
    h = gva_hhi.rosstat_hhi(gva, region).set_index("year")
    if activity is None:
        spec = specialisations(gva, region, founded)
        activity = str(spec["activity"].iloc[0]) if len(spec) else ""
    empty = pd.Series(dtype=float)
    share, lq = activity_series(gva, region, activity) if activity else (empty, empty)
    years = sorted(h.index)
    windows = windows or ([(years[-3], years[-1])] if len(years) >= 3 else [])
    before = [y for y in years if y < founded]
    series: list[tuple[str, str, str, pd.Series]] = [
        ("hhi", "nominal shares", "", h.get("hhi", empty)),
        ("share_pct", "nominal shares", activity, share),
        ("lq", "nominal shares", activity, lq),
    ]
    if grp_volume is not None and indices is not None and activity:
        v = gva_hhi.volume_shares(gva, indices, grp_volume, region)
        v = v[(v["activity"] == activity) & (v["okved"] == "OKVED2007")]
        if not v.empty:
            series.append(
                ("volume_share_pct", "volume", activity, v.set_index("year")["volume_share"].dropna())
            )
    if grp_volume is not None:
        series.append(("real_grp_vs_russia", "volume", "", real_grp_relative(grp_volume, region)))

    def edition(y: int) -> str:
        return str(h.loc[y, "okved"]) if y in h.index else "-"

    rows: list[dict[str, object]] = []
    for first, last in windows:
        after = list(range(first, last + 1))
        for name, kind, act, s in series:
            b, a = s.reindex(before).mean(), s.reindex(after).mean()
            rows.append(
                {
                    "indicator": name,
                    "activity": act,
                    "measure": kind,
                    "before": b,
                    "before_years": f"{min(before)}-{max(before)}" if before else "none",
                    "after": a,
                    "after_years": f"{first}-{last}",
                    "years_with_data": int(s.reindex(after).notna().sum()),
                    "change": a - b,
                    "editions": f"{edition(min(before)) if before else '-'} / {edition(last)}",
                }
            )
    return pd.DataFrame(rows)


def reading_specialisation(
    spec: pd.DataFrame, activity: str, v: pd.DataFrame | None, region_name: str
) -> str:
    """Which specialisation the question asked again follows, and whether it has a share in volume,
    in words generated from ``spec`` (:func:`specialisations`) and ``v``
    (:func:`analysis.steps.gva_hhi.volume_shares`) (Markdown)."""
    if spec.empty or not activity:
        return f"Rosstat's GVA structure gives no location quotient for {region_name}: no specialisation to follow."
    row = spec[spec["activity"] == activity]
    said = (
        f"{activity}, its broad activity with the highest LQ of GVA against Russia in {int(spec['year'].iloc[0])} "
        f"({float(row['lq'].iloc[0]):.2f})"
        if activity == spec["activity"].iloc[0]
        else f"{activity}, as given"
    )
    ranks = ", ".join(f"{r.activity} {r.lq:.2f}" for r in spec.head(3).itertuples())
    has_volume = v is not None and not v[(v["activity"] == activity) & (v["okved"] == "OKVED2007")].empty
    volume = (
        "Its share in volume (prices of 2009, OKVED-2007 chain, to 2016) is set beside its nominal share."
        if has_volume
        else f"{activity.capitalize()} has no share in volume here: Rosstat publishes production indices for mining, "
        "manufacturing and utilities only"
        + (", and none of them for this region." if activity in gva_hhi.INDEXED["OKVED2007"] else ".")
    )
    return (
        f"The specialisation followed for {region_name} is {said}; the highest LQs that year: {ranks}. "
        + volume
    )


WINDOW_INDICATORS = {  # indicator -> how its values are printed on the bars
    "hhi": ".0f",
    "share_pct": ".1f",
    "lq": ".2f",
    "volume_share_pct": ".1f",
    "real_grp_vs_russia": ".1f",
}


def draw_windows(after: pd.DataFrame, *, lang: str, region_name: str, founded: int) -> Figure:
    """The question asked again (``after``: :func:`after_the_clusters`), one panel per indicator:
    the mean of the years before the first cluster (grey) beside the mean of each window after it
    (blue), values on the bars. Descriptive: the bars compare means; nominal shares move with
    prices, the volume panel does not."""
    inds = [i for i in WINDOW_INDICATORS if i in set(after["indicator"])]
    nrows = max(1, -(-len(inds) // 2))
    fig, axes = F.new(6.5, 2.4 * nrows, nrows=nrows, ncols=2, squeeze=False)
    for ax, name in zip(axes.flat, inds):
        part = after[after["indicator"] == name]
        labels = [str(part["before_years"].iloc[0])]
        for r in part.itertuples(index=False):
            first, last = (int(v) for v in str(r.after_years).split("-"))
            short = int(r.years_with_data) < last - first + 1  # a mean of fewer years: said on the axis
            labels.append(
                str(r.after_years)
                + (
                    "\n" + L.label("years_of", lang, n=int(r.years_with_data), m=last - first + 1)
                    if short
                    else ""
                )
            )
        values = [float(part["before"].iloc[0]), *part["after"].astype(float)]
        colours = ["#999999"] + [F.PALETTE[0]] * len(part)
        x = np.arange(len(values))
        ax.bar(x, values, color=colours, width=0.6)
        for xi, v in zip(x, values):
            if np.isfinite(v):
                ax.annotate(
                    f"{v:{WINDOW_INDICATORS[name]}}",
                    (xi, v),
                    xytext=(0, 2),
                    textcoords="offset points",
                    ha="center",
                    fontsize=7,
                )
        ax.set_xticks(x, labels, fontsize=7)
        act = str(part["activity"].iloc[0]) if "activity" in part else ""
        ax.set_title(
            L.label(f"window.{name}", lang, activity=L.name_of("gva_activity", act, lang) if act else ""),
            fontsize=8,
        )
        ax.margins(y=0.15)
        ax.grid(axis="x", visible=False)
    for ax in list(axes.flat)[len(inds) :]:
        ax.set_visible(False)
    handles = [
        Patch(color="#999999", label=L.label("window_before", lang)),
        Patch(color=F.PALETTE[0], label=L.label("window_after", lang)),
    ]
    axes[nrows - 1][0].legend(
        handles=handles, loc="upper left", bbox_to_anchor=(0.0, -0.25), ncols=2, frameon=False, fontsize=7
    )
    fig.suptitle(L.label("title.windows", lang, region=region_name, founded=founded), fontsize=10)
    fig.tight_layout()
    F.source_note(fig, L.label("source_rosstat", lang))
    return fig


def reading_indices(faster: pd.DataFrame, region_name: str) -> str:
    """What the chained indices say, in words generated from them (Markdown): per item, faster or
    not than Russia over the years the chain covers (said, with its base), and in how many of the
    years both give."""
    lines = []
    for r in faster.itertuples(index=False):
        years = (
            f"{r.n_years_faster} of {r.n_years} years" if r.n_years != 1 else f"{r.n_years_faster} of 1 year"
        )
        each = f"faster in {years}" + (f" ({r.years_region_faster})" if r.years_region_faster else "")
        if r.faster_over_period is None or pd.isna(r.faster_over_period):
            lines.append(f"{r.item}: no chained level for the region; {each}.")
            continue
        base, last = int(r.base_year), int(r.last_year)
        period = f"in {last} alone" if last == base + 1 else f"over {base + 1}-{last}"
        over = "faster" if r.faster_over_period else "not faster"
        a, b = P.nums([r.cum_region, r.cum_russia], 1)
        lines.append(f"{r.item}: {over} than Russia {period} ({base} = 100: {a} against {b}), {each}.")
    return f"Production in {region_name} against Russia, chained: " + " ".join(lines)


def reading_after(after: pd.DataFrame, region_name: str, founded: int) -> str:
    """What the before/after comparison says, window by window, in words generated from it."""
    if after.empty:
        return "No window to compare."
    labels = {
        "hhi": ("the HHI", ".0f"),
        "share_pct": ("{a}'s share of GVA (%)", ".1f"),
        "lq": ("{a}'s LQ", ".2f"),
        "volume_share_pct": ("{a}'s share in volume (2009 prices, %)", ".1f"),
        "real_grp_vs_russia": ("real GRP relative to Russia's", ".1f"),
    }
    parts = []
    for window, part in after.groupby("after_years", sort=False):
        bits = []
        for r in part.itertuples(index=False):
            if pd.notna(r.change) and r.indicator in labels:
                label, fmt = labels[str(r.indicator)]
                label = label.format(a=getattr(r, "activity", ""))
                n, m = int(r.years_with_data), _window_length(str(r.after_years))
                few = f" (mean of {n} of its {m} years)" if n < m else ""
                moved = "rose" if r.change > 0 else "fell" if r.change < 0 else "did not change"
                bits.append(f"{label} {moved}" + (f" {abs(r.change):{fmt}}" if r.change else "") + few)
        parts.append(f"{window} ({part['editions'].iloc[0]}): " + (", ".join(bits) or "no data"))
    before = after["before_years"].iloc[0]
    return (
        f"{region_name}, first cluster founded in {founded}; against the mean of {before}: "
        + "; ".join(parts)
        + ". The answer depends on the window chosen, nominal shares move with the prices of what the region "
        "sells, and the windows cross the 2016 classification change: this describes the structure, it does not "
        "test what the clusters caused."
    )


def _window_length(span: str) -> int:
    first, _, last = span.partition("-")
    return int(last or first) - int(first) + 1


def reading_bulletin(pvr: pd.DataFrame) -> str:
    """How often Rosstat's monthly bulletin (:func:`paper_vs_rosstat_indices`) equals Table 7, and
    where it differs (``|difference| >= 0.05``, half the printed decimal), in words (Markdown)."""
    if pvr.empty:
        return "No region-year of Table 7 has a bulletin index to compare."
    differ = pvr[pvr["difference"].abs() >= 0.05]
    listed = ", ".join(
        f"{r.region} {r.year} ({P.num(r.difference, 1, sign=True)})" for r in differ.itertuples()
    )
    return f"The bulletin equals Table 7 in {len(pvr) - len(differ)} of {len(pvr)} region-years" + (
        f"; it differs in {listed}." if listed else "; it differs in none."
    )
