"""Step 3: the structure of gross value added and its Herfindahl-Hirschman index
(Ivanova 2018, Table 1 and the HHI list in "Results"). Notebook ``03_gva_hhi``.

The paper's HHI is the sum of squared per-cent shares of the 15 activities of Table 1 (scale
0-10 000). We recompute it from the printed shares for each year with all shares (2011-2015:
2010 lacks seven rows), and set it beside the published values and the 2008 reference. For any
region, Rosstat's current GVA-structure table gives the same index for 2009-2022; the
classification changes in 2016 (OKVED-2007 sections A-P to OKVED2 sections A-T), so the series has
a break there, which the tables and figures show rather than hide.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from analysis import indicators as ind
from analysis.core import figures as F
from analysis.core import labels as L
from analysis.core import prose as P
from analysis.inputs import paper
from analysis.inputs.rosstat import GVA_ACTIVITIES
from analysis.reproduction.ledger import recompute_hhi


def paper_gva() -> pd.DataFrame:
    """Table 1 as a tidy table: region, year, activity, okved, value (% of GVA), unit, source."""
    t = paper.table(1)
    t = t[t["item"] != "total"]
    return pd.DataFrame(
        {
            "region": t["region"],
            "year": t["year"],
            "activity": t["item"],
            "okved": "OKVED2007:" + t["okved2007"],
            "value": t["value"],
            "unit": "% of GVA",
            "source": "paper Table 1",
        }
    ).reset_index(drop=True)


def paper_structure_wide() -> pd.DataFrame:
    """Table 1 as printed: activities x years, with the printed column sums."""
    w = paper.wide(1).drop(index="total")
    w.loc["sum of shares"] = w.sum(min_count=len(w))
    return w


def hhi_table() -> pd.DataFrame:
    """HHI per year: published (text), recomputed from Table 1, difference, rounding tolerance,
    normalised HHI and the equivalent number of activities; 2008 is the paper's reference [29]."""
    t = paper.text_numbers().set_index("claim_id")
    rows = []
    for year in range(2008, 2016):
        cid = f"hhi_{year}"
        published = t.at[cid, "value"] if cid in t.index else np.nan
        if 2010 <= year <= 2015:
            h, tol = recompute_hhi(year)
        else:
            h, tol = np.nan, np.nan
        shares = paper.wide(1).drop(index="total")[year] if year >= 2010 else None
        complete = shares is not None and shares.notna().all()
        rows.append(
            {
                "year": year,
                "published": published,
                "recomputed": h,
                "difference": h - published if not np.isnan(h) else np.nan,
                "rounding_tolerance": tol,
                "hhi_normalised": float(ind.hhi_normalised(shares.to_numpy())) if complete else np.nan,
                "equivalent_activities": float(ind.equivalent_number(shares.to_numpy()))
                if complete
                else np.nan,
                "note": (
                    "reference from the paper's source [29]; no shares given"
                    if year == 2008
                    else "Table 1 lacks 2010 for seven activities"
                    if year == 2010
                    else ""
                    if complete
                    else "no data"
                ),
            }
        )
    return pd.DataFrame(rows).query("year != 2009").reset_index(drop=True)


def rosstat_hhi(gva: pd.DataFrame, region: str) -> pd.DataFrame:
    """HHI per year of ``region`` from Rosstat's GVA structure (tidy, per-cent shares), with the
    classification edition and the number of activities, and the sum of shares as printed."""
    g = gva[(gva["region_id"] == region) & (gva["activity"] != "total")]
    if g.empty:
        return pd.DataFrame(
            columns=["year", "okved", "n_activities", "sum_of_shares", "hhi", "equivalent_activities"]
        )
    out = g.groupby(["year", "okved"], as_index=False).agg(
        n_activities=("value", "count"), sum_of_shares=("value", "sum")
    )
    h = ind.hhi(g, by=["year", "okved"], value="value")
    h = h.rename("hhi").reset_index() if isinstance(h, pd.Series) else h
    out = out.merge(h, on=["year", "okved"])
    out["equivalent_activities"] = 10_000 / out["hhi"]
    return out.sort_values("year").reset_index(drop=True)


# Table 1's activities (OKVED-2007 letters) in Rosstat's GVA table.
def paper_vs_rosstat(gva: pd.DataFrame) -> pd.DataFrame:
    """Table 1 beside Rosstat's current table for the same activities and years (Kemerovo)."""
    p = paper_gva()
    p = p.assign(letter=p["okved"].str.split(":").str[1])
    r = gva[(gva["region_id"] == "kemerovo") & (gva["okved"] == "OKVED2007")]
    r = r[["year", "activity", "value"]].rename(columns={"activity": "letter", "value": "rosstat"})
    m = p.merge(r, on=["year", "letter"], how="left")
    m = m.rename(columns={"value": "paper"})[["year", "activity", "letter", "paper", "rosstat"]]
    m["difference"] = m["rosstat"] - m["paper"]
    return m.sort_values(["activity", "year"]).reset_index(drop=True)


# ------------------------------------------------------------------------------------ figures
def draw_structure(
    w: pd.DataFrame,
    *,
    lang: str,
    region_name: str,
    source: str,
    top: int = 7,
    labels: dict[str, str] | None = None,
) -> Figure:
    """Stacked bars of a GVA structure (activities x years, per cent): the ``top`` largest
    activities of the last year and the rest; ``labels`` name activities the paper does not."""
    order = w[w.columns.max()].sort_values(ascending=False).index[:top]
    fig, ax = F.new(6.5, 3.8)
    years = list(w.columns)
    bottom = np.zeros(len(years))
    for i, item in enumerate(order):
        v = w.loc[item].to_numpy(float)
        ax.bar(
            years,
            np.nan_to_num(v),
            bottom=bottom,
            label=(labels or {}).get(item, L.name_of("gva_activity", item, lang)),
            color=F.PALETTE[i % len(F.PALETTE)],
            width=0.7,
        )
        bottom += np.nan_to_num(v)
    rest = w.drop(index=order).sum(min_count=len(w) - len(order)).to_numpy(float)
    gaps = [str(y) for y in years if w[y].isna().any()]
    missing = ", ".join(gaps)
    ax.bar(
        years,
        np.nan_to_num(rest),
        bottom=bottom,
        color="#bbbbbb",
        width=0.7,
        label=(
            L.label("other_activities_incomplete", lang, years=missing)
            if missing
            else L.label("other_activities", lang)
        ),
    )
    ax.set_ylabel(L.label("share_gva", lang))
    ax.set_ylim(0, 105)
    F.year_axis(ax.xaxis)
    # Under the bars, two columns: beside them the long Russian section names made the figure
    # three times as wide as high.
    F.legend_below(ax, ncols=2, points=22)
    ax.set_title(L.label("title.structure", lang, region=region_name))
    F.source_note(fig, source)
    return fig


def draw_hhi(rosstat: pd.DataFrame, *, lang: str, region_name: str, h: pd.DataFrame | None = None) -> Figure:
    """HHI over time: Rosstat's series (with the 2016 classification break) and, where given, the
    paper's published values and our recomputation from its Table 1 (``h``: :func:`hhi_table`)."""
    fig, ax = F.new(6.5, 3.6)
    if h is not None and not h.empty:
        ax.plot(
            h["year"], h["published"], "o", color=F.PALETTE[1], label=L.label("published", lang), zorder=3
        )
        ax.plot(h["year"], h["recomputed"], "x-", color=F.PALETTE[0], label=L.label("recomputed", lang))
    if rosstat is not None and not rosstat.empty:
        for ed, style in (("OKVED2007", "-"), ("OKVED2", "--")):
            s = rosstat[rosstat["okved"] == ed]
            ax.plot(
                s["year"],
                s["hhi"],
                style,
                color=F.PALETTE[2],
                label=f"{L.label('rosstat', lang)}, {L.label(f'edition.{ed}', lang)}",
            )
        F.mark_break(ax, lang)
    ax.set_xlabel(L.label("year", lang))
    F.year_axis(ax.xaxis)
    ax.set_ylabel(L.label("hhi", lang))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncols=2, fontsize=7, frameon=False)
    ax.set_title(L.label("title.hhi", lang, region=region_name))
    F.source_note(fig, L.label("source_both" if h is not None and not h.empty else "source_rosstat", lang))
    return fig


# Broad activities followed across the 2016 classification change. The pairs are the sections
# Rosstat itself treats as successors; they are not identical in scope (OKVED2 moved, e.g.,
# publishing to ICT and repair to manufacturing), so a series that crosses 2016 keeps its edition.
BROAD = {
    "mining": {"OKVED2007": ["C"], "OKVED2": ["B"]},
    "manufacturing": {"OKVED2007": ["D"], "OKVED2": ["C"]},
    "utilities": {"OKVED2007": ["E"], "OKVED2": ["D", "E"]},
    "agriculture": {"OKVED2007": ["A", "B"], "OKVED2": ["A"]},
    "construction": {"OKVED2007": ["F"], "OKVED2": ["F"]},
    "trade": {"OKVED2007": ["G"], "OKVED2": ["G"]},
}


def broad_activities(gva: pd.DataFrame, regions: list[str] | None = None) -> pd.DataFrame:
    """Shares of the broad activities (``BROAD``) per region and year, with the edition:
    region_id, year, okved, activity, value."""
    g = gva[gva["activity"] != "total"]
    if regions is not None:
        g = g[g["region_id"].isin(regions)]
    frames = []
    for name, by_edition in BROAD.items():
        for edition, letters in by_edition.items():
            part = g[(g["okved"] == edition) & g["activity"].isin(letters)]
            # every section of the group must be known: an unknown part makes the sum unknown
            s = part.groupby(["region_id", "year", "okved"], as_index=False)["value"].sum(
                min_count=len(letters)
            )
            frames.append(s.assign(activity=name))
    out = pd.concat(frames, ignore_index=True)
    return (
        out[["region_id", "year", "okved", "activity", "value"]]
        .sort_values(["region_id", "activity", "year"])
        .reset_index(drop=True)
    )


def reading(h: pd.DataFrame, region_name: str) -> str:
    """What Rosstat's HHI series says, in words generated from it (Markdown)."""
    if h.empty:
        return f"Rosstat's table has no GVA structure for {region_name}."
    lines = []
    h = h.dropna(subset=["hhi"])
    if h.empty:
        return f"Rosstat's table gives no complete GVA structure for {region_name} in any year."
    for ed, part in h.groupby("okved", sort=False):
        part = part.set_index("year")["hhi"].sort_index()
        years = P.years_span(part.index.tolist())
        if len(part) == 1:
            lines.append(f"{ed} ({years} only): {P.num(part.iloc[0], 0)}.")
            continue
        if part.min() == part.max():
            lines.append(f"{ed} ({years}): {P.span(part.tolist(), 0, verb='ranged')}.")
            continue
        lo, hi, last = P.nums([part.min(), part.max(), part.iloc[-1]], 0)
        lines.append(
            f"{ed} ({years}): lowest {lo} in {int(part.idxmin())}, highest {hi} in {int(part.idxmax())}, "
            f"last {last} ({part.index.max()})."
        )
    top = h.loc[h["hhi"].idxmax()]
    editions = h["okved"].nunique()
    return (
        f"Concentration of {region_name}'s GVA (HHI, Rosstat): "
        + " ".join(lines)
        + f" The highest value of the whole series is {P.num(top['hhi'], 0)} ({int(top['year'])}), equal to "
        f"{P.num(top['equivalent_activities'], 1)} equally large activities."
        + (
            " The two editions of the classification differ in their sections, so their levels are compared with care."
            if editions > 1
            else ""
        )
    )


def paper_reading(h: pd.DataFrame) -> str:
    """What the published HHI values and their recomputation from Table 1 say (Markdown)."""
    d = h.dropna(subset=["published", "recomputed"])
    if d.empty:
        return "No published index can be recomputed."
    ok = d[d["difference"].abs() <= d["rounding_tolerance"]]
    diffs = ", ".join(f"{int(y)}: {v:+.2f}" for y, v in zip(d["year"], d["difference"]))
    big = d.loc[d["difference"].abs().idxmax()]
    rec = d.set_index("year")["recomputed"]
    low = int(rec.idxmin())
    return (
        f"Recomputed from Table 1's shares, {len(ok)} of {len(d)} published indices lie within the bound that "
        f"rounding of the shares allows (recomputed minus published: {diffs}). The largest gap is "
        f"{big['difference']:+.2f} in {int(big['year'])}, against a bound of {big['rounding_tolerance']:.2f}"
        + (
            f"; its decimals are the recomputation's ({big['published'] % 1:.2f}): a misprinted digit would explain "
            "that, and so would shares less rounded than those printed, which the bound allows (the ledger note "
            f"`hhi_{int(big['year'])}` weighs both). "
            if abs(big["difference"]) >= 1
            and round(big["published"] % 1, 2) == round(big["recomputed"] % 1, 2)
            else ". "
        )
        + f"The recomputed index is lowest in {low} ({rec.min():.1f}) and {'higher' if rec.iloc[-1] > rec.min() else 'not higher'} "
        + f"again by {int(rec.index.max())} ({rec.iloc[-1]:.1f})."
    )


def rosstat_structure(gva: pd.DataFrame, region: str, edition: str = "OKVED2") -> pd.DataFrame:
    """The region's GVA shares (per cent) by section x year in one classification edition."""
    g = gva[(gva["region_id"] == region) & (gva["okved"] == edition) & (gva["activity"] != "total")]
    w = g.pivot(index="activity", columns="year", values="value")
    w.columns.name = None
    return w


def section_labels(edition: str, lang: str) -> dict[str, str]:
    """Short labels of the OKVED sections of ``edition``: the letter and the name's first part."""
    i = 1 if lang == "en" else 0
    return {k: f"{k}: {v[i].split(';')[0].split(',')[0]}" for k, v in GVA_ACTIVITIES[edition].items()}


# ------------------------------------------------------------------ shares in volume, not prices
# The broad activities (``BROAD``) that have a production index of their own in Rosstat's appendix
# (section 12), per edition: OKVED2 splits utilities into energy (D) and water and waste (E), each
# with its own index and none for the two together, so OKVED2 utilities have no volume share.
INDEXED = {
    "OKVED2007": {"mining": "mining", "manufacturing": "manufacturing", "utilities": "utilities"},
    "OKVED2": {"mining": "mining", "manufacturing": "manufacturing"},
}
VOLUME_COLUMNS = [
    "year",
    "okved",
    "activity",
    "base_year",
    "nominal_share",
    "volume_share",
    "volume_index",
    "relative_price",
]


def volume_shares(
    gva: pd.DataFrame, indices: pd.DataFrame, grp_volume: pd.DataFrame, region: str
) -> pd.DataFrame:
    """Shares of GVA in volume for each broad activity with a production index (``INDEXED``), per
    classification edition: the nominal share of the edition's first year carried by the activity's
    production index over the region's GRP volume index (:func:`analysis.indicators.volume_share`).

    ``volume_share`` is in per cent at the prices of ``base_year``; ``volume_index`` is it over the
    base year's share (base = 100); ``relative_price`` = nominal / volume share, the activity's price
    relative to the region's output since the base year (1 in the base year). Each edition is chained
    on its own, never across 2016. ``gva``: Rosstat's GVA structure; ``indices``: the production
    indices (``production_indices.csv``); ``grp_volume``: the GRP volume indices
    (``grp_volume_index.csv``), all tidy with ``region_id, year, activity, okved, value``.
    """
    broad = broad_activities(gva, [region])
    grp = grp_volume[grp_volume["region_id"] == region].set_index("year")["value"]
    p = indices[indices["region_id"] == region]
    frames = []
    for edition, items in INDEXED.items():
        nominal = broad[broad["okved"] == edition]
        for activity, item in items.items():
            s = nominal[nominal["activity"] == activity].set_index("year")["value"].dropna()
            idx = p[(p["okved"] == edition) & (p["activity"] == item)].set_index("year")["value"]
            if s.empty or idx.empty or grp.empty or not s.iloc[0] > 0:
                continue  # an activity absent in the base year has no share to carry
            base = int(s.index.min())
            v = ind.volume_share(float(s[base]), idx, grp, base)
            # every year with a nominal or a volume share, from the base year on
            v = v[v.index >= base].reindex(sorted(set(v.index[v.index >= base]) | set(s.index)))
            frames.append(
                pd.DataFrame(
                    {
                        "year": v.index.astype(int),
                        "okved": edition,
                        "activity": activity,
                        "base_year": base,
                        "nominal_share": s.reindex(v.index).to_numpy(float),
                        "volume_share": v.to_numpy(float),
                        "volume_index": 100 * v.to_numpy(float) / float(s[base]),
                    }
                )
            )
    if not frames:
        return pd.DataFrame(columns=VOLUME_COLUMNS)
    out = pd.concat(frames, ignore_index=True)
    out["relative_price"] = out["nominal_share"] / out["volume_share"]
    return (
        out[VOLUME_COLUMNS]
        .sort_values(["okved", "activity", "year"], key=_edition_order)
        .reset_index(drop=True)
    )


def _edition_order(col: pd.Series) -> pd.Series:
    return col.map({"OKVED2007": 0, "OKVED2": 1}) if col.name == "okved" else col


def volume_change(v: pd.DataFrame, activity: str, first: int, last: int) -> dict[str, float] | None:
    """From ``first`` to ``last`` within one edition of :func:`volume_shares`: the factor by which
    the activity's volume share changed and, where both years have a nominal share, the factor of
    the nominal share and the implied relative price (nominal factor / volume factor; NaN without a
    nominal share). None if no edition has a volume share in both years (a year whose production
    index or GRP volume index is missing has none)."""
    for edition, part in v[v["activity"] == activity].groupby("okved", sort=False):
        part = part.set_index("year")
        if not {first, last} <= set(part.index) or part.loc[[first, last], "volume_share"].isna().any():
            continue
        vol = float(part.at[last, "volume_share"] / part.at[first, "volume_share"])
        n0, n1 = float(part.at[first, "nominal_share"]), float(part.at[last, "nominal_share"])
        return {
            "edition": str(edition),
            "base_year": int(part.at[first, "base_year"]),
            "first": first,
            "last": last,
            "volume_factor": vol,
            "nominal_first": n0,
            "nominal_last": n1,
            "nominal_factor": n1 / n0,
            "relative_price": n1 / n0 / vol,
        }
    return None


def largest_falls(h: pd.DataFrame) -> list[tuple[str, int, int]]:
    """The largest fall of the HHI within each edition (``h``: :func:`rosstat_hhi`): ``(edition,
    from_year, to_year)`` with from_year < to_year maximising H_from - H_to > 0; an edition whose
    index never falls is left out."""
    out = []
    for edition, part in h.groupby("okved", sort=False):
        s = part.set_index("year")["hhi"].sort_index()
        best: tuple[float, int, int] | None = None
        for a in s.index:
            later = s[s.index > a]
            if later.empty:
                continue
            fall = float(s[a] - later.min())
            if fall > 0 and (best is None or fall > best[0]):
                best = (fall, int(a), int(later.idxmin()))
        if best is not None:
            out.append((str(edition), best[1], best[2]))
    return out


def _fall_sentence(v: pd.DataFrame, hh: pd.Series, edition: str, a: int, b: int) -> str:
    head = f"{edition}: the HHI falls most from {hh[a]:.0f} ({a}) to {hh[b]:.0f} ({b})"
    part = v[(v["okved"] == edition) & (v["year"] == a)].dropna(subset=["nominal_share"])
    if part.empty:
        return head + "; no activity with a production index has a volume share in that year."
    top = str(part.loc[part["nominal_share"].idxmax(), "activity"])
    c = volume_change(v, top, a, b)
    if c is None or not np.isfinite(c["nominal_factor"]):
        return head + (
            f"; {top} is the largest activity with a production index, but its share in volume is not known in both "
            "years (a production index or the GRP volume index is missing), so this fall cannot be split into "
            "volume and prices."
        )
    rose = c["volume_factor"] > 1
    n0, n1 = P.nums([c["nominal_first"], c["nominal_last"]], 1)
    nominal = (
        f"keeps {n0} % of GVA in current prices"
        if c["nominal_first"] == c["nominal_last"]
        else f"goes from {n0} to {n1} % of GVA in current prices (x{c['nominal_factor']:.3f})"
    )
    text = (
        head
        + f"; {top}, the largest activity with a production index, {nominal} and its share in volume (prices "
        f"of {c['base_year']}) {'rises' if rose else 'falls'} {abs(100 * (c['volume_factor'] - 1)):.1f} % "
        f"(x{c['volume_factor']:.3f}): its price relative to the region's output moves x{c['relative_price']:.2f}."
    )
    if c["nominal_factor"] < 1 and rose:
        text += (
            f" In volume {top} gained weight, so the region became more specialised in it, not less: this fall of "
            f"the index comes from {top}'s relative price, not from a move away from {top}."
        )
    elif c["nominal_factor"] < 1:
        text += f" {top.capitalize()} lost weight in volume too, so this fall is not one of prices alone."
    return text


def reading_volume(v: pd.DataFrame, h: pd.DataFrame, region_name: str) -> str:
    """For the largest fall of the HHI in each edition (:func:`largest_falls`), whether the largest
    activity that has a production index lost weight in volume or only in prices, in words
    generated from ``v`` (:func:`volume_shares`) and ``h`` (:func:`rosstat_hhi`) (Markdown)."""
    if v.empty:
        return (
            f"No share in volume for {region_name}: Rosstat publishes no production index or no GRP volume index "
            "for the activities of its GVA structure."
        )
    falls = largest_falls(h)
    if not falls:
        return f"The HHI of {region_name} never falls within an edition of the classification."
    sentences = [
        _fall_sentence(v, h[h["okved"] == ed].set_index("year")["hhi"], ed, a, b) for ed, a, b in falls
    ]
    return f"Concentration of {region_name}'s GVA in prices and in volume. " + " ".join(sentences)


def draw_volume_share(
    v: pd.DataFrame, h: pd.DataFrame, *, activity: str, lang: str, region_name: str
) -> Figure:
    """An activity's nominal against its volume share of GVA (left axis, per cent; each edition
    chained on its own, the volume share at the prices of the edition's first year) and the HHI
    (right axis), 2009-2022, with the 2016 classification break."""
    fig, ax = F.new(6.5, 3.6)
    part = v[v["activity"] == activity]
    for ed, style in (("OKVED2007", "-"), ("OKVED2", "--")):
        s = part[part["okved"] == ed]
        if s.empty:
            continue
        edition = L.label(f"edition.{ed}", lang)
        ax.plot(
            s["year"],
            s["nominal_share"],
            style,
            marker="o",
            ms=3,
            color=F.PALETTE[0],
            label=f"{L.label('share_nominal', lang)}, {edition}",
        )
        base = int(s["base_year"].iloc[0])
        ax.plot(
            s["year"],
            s["volume_share"],
            style,
            marker="s",
            ms=3,
            color=F.PALETTE[1],
            label=f"{L.label('share_volume', lang, base=base)}, {edition}",
        )
    ax.set_xlabel(L.label("year", lang))
    ax.set_ylabel(L.label("share_of_activity", lang, activity=L.name_of("gva_activity", activity, lang)))
    ax2 = ax.twinx()
    for ed, style in (("OKVED2007", "-"), ("OKVED2", "--")):
        s = h[h["okved"] == ed]
        if not s.empty:
            ax2.plot(
                s["year"],
                s["hhi"],
                style,
                color=F.PALETTE[2],
                lw=1.0,
                label=f"{L.label('hhi_gva', lang)}, {L.label(f'edition.{ed}', lang)}",
            )
    ax2.set_ylabel(L.label("hhi_gva", lang))
    ax2.grid(False)
    F.mark_break(ax, lang)
    h1, l1 = ax.get_legend_handles_labels()
    h2, l2 = ax2.get_legend_handles_labels()
    ax.legend(
        h1 + h2, l1 + l2, loc="upper center", bbox_to_anchor=(0.5, -0.18), ncols=2, fontsize=7, frameon=False
    )
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_title(L.label("title.volume_share", lang, region=region_name))
    F.source_note(fig, L.label("source_rosstat", lang))
    return fig


def largest_indexed(v: pd.DataFrame) -> str:
    """The activity of :func:`volume_shares` with the largest nominal share in the first year of the
    first edition: the one the volume figure follows."""
    first = v[v["okved"] == v["okved"].iloc[0]]
    first = first[first["year"] == first["year"].min()]
    return str(first.loc[first["nominal_share"].idxmax(), "activity"])
