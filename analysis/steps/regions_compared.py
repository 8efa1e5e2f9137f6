"""A region among all regions: concentration (HHI of the GVA structure) and the location
quotients of mining and manufacturing against Russia, from Rosstat's GVA table, 2009-2022.

The all-regions set is the partition of :func:`analysis.inputs.regions.partition`: the 85 federal
subjects with Tyumen region and Arkhangelsk region replaced by their parts without their autonomous
okrugs, so the okrugs (ranked as regions of their own) are counted once. The number of regions of
a year is counted from the data (83 before 2014, when Crimea and Sevastopol have no figures). A
region that contains okrugs is shown with its own figures and the rank of its part without them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from analysis import indicators as ind
from analysis.core import figures as F
from analysis.core import labels as L
from analysis.core import prose as P
from analysis.core.memo import by_content
from analysis.inputs.regions import left_out, partition, partition_ids, partition_regions, ranked_as, resolve
from analysis.steps import gva_hhi


@by_content  # the same for every region: computed once per kernel in batch runs
def hhi_all(gva: pd.DataFrame) -> pd.DataFrame:
    """HHI of every region's GVA structure per year, with its rank (1 = most concentrated) and the
    number of regions with an HHI that year; regions are the units of the partition
    (:func:`analysis.inputs.regions.partition`), never a region beside its own okrugs."""
    g = partition(gva[gva["activity"] != "total"], value=None)
    h = ind.hhi(g, by=["region_id", "year", "okved"], value="value")
    h = h.rename("hhi").reset_index() if isinstance(h, pd.Series) else h.reset_index()
    h["rank"] = (
        h.groupby("year")["hhi"].rank(ascending=False, method="min").astype("Int64")
    )  # NA: unknown HHI
    h["n_regions"] = h.groupby("year")["hhi"].transform("count").astype(int)
    return h.sort_values(["year", "rank", "region_id"]).reset_index(drop=True)


def _names() -> pd.DataFrame:
    return pd.DataFrame(
        [(r.id, r.name_en, r.name_ru) for r in partition_regions()],
        columns=["region_id", "name_en", "name_ru"],
    )


def _wide(t: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Regions of the partition (and Russia) as columns of a tidy Rosstat table, ``keys`` as the
    index."""
    ids = {*partition_ids(), "russia"}
    return t[t["region_id"].isin(ids)].pivot_table(index=keys, columns="region_id", values="value")


def _per_capita(x: pd.DataFrame, population: pd.DataFrame) -> pd.DataFrame:
    """(x_r / x_RF) / (P_r / P_RF) for every region column of ``x`` (index with a ``year`` level)."""
    pop = _wide(population, ["year"])
    years = x.index.get_level_values("year")
    p = pop.reindex(years)
    p.index = x.index
    regions = [c for c in x.columns if c != "russia"]
    out = pd.DataFrame(
        {
            r: ind.per_capita_coefficient(
                x[r].to_numpy(float),
                x["russia"].to_numpy(float),
                p.get(r, pd.Series(np.nan, index=x.index)).to_numpy(float),
                p["russia"].to_numpy(float),
            )
            for r in regions
        },
        index=x.index,
    )
    out.columns.name = "region_id"
    return out


def _long(w: pd.DataFrame, name: str) -> pd.DataFrame:
    """A wide table with regions as columns back to long, the values named ``name``."""
    return w.stack(future_stack=True).rename(name).reset_index()


@by_content  # the same for every region: computed once per kernel in batch runs
def dispatch_all(rail: pd.DataFrame, population: pd.DataFrame) -> pd.DataFrame:
    """Rail dispatch of every region per year (Rosstat 16.1): million t, share of Russia's (%),
    rank (1 = most) and dispatch per inhabitant relative to Russia's; with region ids and names."""
    w = _wide(rail, ["year"])
    regions = [c for c in w.columns if c != "russia"]
    share = 100 * w[regions].div(w["russia"], axis=0)
    rank = w[regions].rank(axis=1, ascending=False, method="min")
    pc = _per_capita(w, population)
    out = (
        _long(w[regions], "dispatch_mt")
        .merge(_long(share, "share_pct"), on=["year", "region_id"])
        .merge(_long(rank, "rank"), on=["year", "region_id"])
        .merge(_long(pc, "per_capita_vs_russia"), on=["year", "region_id"])
    )
    out = out.dropna(subset=["dispatch_mt"])
    out["rank"] = out["rank"].astype("Int64")
    out = out.merge(_names(), on="region_id")
    cols = [
        "region_id",
        "name_en",
        "name_ru",
        "year",
        "dispatch_mt",
        "share_pct",
        "rank",
        "per_capita_vs_russia",
    ]
    return out[cols].sort_values(["year", "region_id"]).reset_index(drop=True)


@by_content  # the same for every region: computed once per kernel in batch runs
def coefficients_all(shipments: pd.DataFrame, population: pd.DataFrame) -> pd.DataFrame:
    """Per-capita coefficients by activity of every region per year from shipments (OKVED-2007
    sections C, D, E to 2016, OKVED2 B, C, D, E from 2017), with region ids and names."""
    w = _wide(shipments, ["year", "okved", "activity"])
    pc = _per_capita(w, population)
    out = _long(pc, "coefficient").dropna(subset=["coefficient"]).merge(_names(), on="region_id")
    cols = ["region_id", "name_en", "name_ru", "year", "okved", "activity", "coefficient"]
    return out[cols].sort_values(["year", "okved", "activity", "region_id"]).reset_index(drop=True)


@by_content  # the same for every region: computed once per kernel in batch runs
def indices_all(indices: pd.DataFrame) -> pd.DataFrame:
    """Every region's yearly production indices beside Russia's (Rosstat, section 12), and whether
    the region grew faster in that year; with region ids and names."""
    w = _wide(indices, ["year", "okved", "activity"])
    regions = [c for c in w.columns if c != "russia"]
    out = _long(w[regions], "index").merge(
        w["russia"].rename("index_russia").reset_index(), on=["year", "okved", "activity"]
    )
    out = out.dropna(subset=["index"])
    out["faster_than_russia"] = out["index"] > out["index_russia"]
    out = out.merge(_names(), on="region_id").rename(columns={"activity": "item"})
    cols = [
        "region_id",
        "name_en",
        "name_ru",
        "year",
        "okved",
        "item",
        "index",
        "index_russia",
        "faster_than_russia",
    ]
    return out[cols].sort_values(["year", "okved", "item", "region_id"]).reset_index(drop=True)


def _lq(gva: pd.DataFrame, regions: list[str], activities: tuple[str, ...]) -> pd.DataFrame:
    """:math:`LQ = s_{r,i} / s_{RF,i}` of the broad ``activities`` of ``regions``, per year:
    region_id, year, okved, activity, value (the region's share), share_russia, lq."""
    b = gva_hhi.broad_activities(gva, [*regions, "russia"])
    b = b[b["activity"].isin(activities)]
    ref = b[b["region_id"] == "russia"].set_index(["year", "okved", "activity"])["value"]
    b = b[b["region_id"] != "russia"].copy()
    b["share_russia"] = ref.reindex(pd.MultiIndex.from_frame(b[["year", "okved", "activity"]])).to_numpy()
    b["lq"] = ind.location_quotient_from_shares(b["value"].to_numpy(), b["share_russia"].to_numpy())
    return b


@by_content  # the same for every region: computed once per kernel in batch runs
def lq_broad_all(gva: pd.DataFrame, activities=("mining", "manufacturing")) -> pd.DataFrame:
    """LQ of the broad activities (gva_hhi.BROAD) of every region of the partition against Russia,
    per year, with its rank (1 = highest) and the number of regions with an LQ."""
    b = _lq(gva, [*partition_ids()], activities)
    b["rank"] = b.groupby(["year", "activity"])["lq"].rank(ascending=False, method="min").astype("Int64")
    b["n_regions"] = b.groupby(["year", "activity"])["lq"].transform("count").astype(int)
    return b.rename(columns={"value": "share_region"}).reset_index(drop=True)


@by_content  # the same for every region: computed once per kernel in batch runs
def specialisation_all(gva: pd.DataFrame) -> pd.DataFrame:
    """Krugman dissimilarity from Russia's structure, Hachman index and entropy of every region's
    GVA structure per year, each with its rank (1 = the most specialised: the largest Krugman, the
    smallest Hachman, the smallest entropy). The shares are Rosstat's per-cent shares of the
    sections of each edition; the reference is Russia's structure in the same year."""
    g = gva[gva["activity"] != "total"]
    ref = g[g["region_id"] == "russia"].set_index(["year", "okved", "activity"])["value"]
    r = partition(g, value=None).copy()
    r["share_reference"] = ref.reindex(pd.MultiIndex.from_frame(r[["year", "okved", "activity"]])).to_numpy()
    r = r.rename(columns={"value": "share_region"})
    out = ind.specialisation_from_shares(r, by=["region_id", "year", "okved"])
    e = ind.entropy_index(r, by=["region_id", "year", "okved"], value="share_region")
    e = e.rename("entropy_bits").reset_index() if isinstance(e, pd.Series) else e.reset_index()
    out = out.merge(e, on=["region_id", "year", "okved"])
    for col, ascending in (("krugman", False), ("hachman", True), ("entropy_bits", True)):
        out[f"{col}_rank"] = out.groupby("year")[col].rank(ascending=ascending, method="min").astype("Int64")
    out["n_regions"] = out.groupby("year")["krugman"].transform("count").astype(int)
    return out.sort_values(["year", "region_id"]).reset_index(drop=True)


def _shown(region: str, name: str, lang: str) -> str:
    """The name of the series drawn among all regions: the region's ``name``, or for a region that
    contains okrugs the name of its part without them, which is what is ranked."""
    unit = ranked_as(region)
    if unit == region:
        return name
    r = resolve(unit)
    return r.name_en if lang == "en" else r.name_ru


def draw_specialisation(spec: pd.DataFrame, *, region: str, name: str, lang: str) -> Figure:
    """Krugman, Hachman and entropy of all regions per year (grey), the median (line) and the
    region (colour; for a region that contains okrugs, its part without them, which is ranked),
    one panel each; the classification break marked."""
    fig, axes = F.new(6.5, 6.0, nrows=3, sharex=True, squeeze=False)
    rng = np.random.default_rng(0)  # a seeded jitter: the same bytes on every run
    for ax, col in zip(axes[:, 0], ("krugman", "hachman", "entropy_bits")):
        for y, v in spec.groupby("year")[col]:
            ax.scatter(y + rng.uniform(-0.25, 0.25, len(v)), v, s=3, color="#bbbbbb", zorder=1)
        med = spec.groupby("year")[col].median()
        ax.plot(med.index, med.to_numpy(), color="#555555", lw=1, label=L.label("median_of_regions", lang))
        r = spec[spec["region_id"] == ranked_as(region)]
        ax.plot(r["year"], r[col], "o-", color=F.PALETTE[3], ms=3, label=_shown(region, name, lang), zorder=3)
        F.mark_break(ax, lang, text=False)
        ax.set_ylabel(L.label(f"spec.{col}", lang))
    axes[-1, 0].set_xlabel(L.label("year", lang))
    F.year_axis(axes[-1, 0].xaxis)
    axes[0, 0].legend(loc="upper left", fontsize=7, frameon=False)
    axes[0, 0].set_title(L.label("title.specialisation", lang, region=name))
    F.source_note(fig, L.label("source_rosstat", lang))
    return fig


def region_position(
    hhi: pd.DataFrame, lq: pd.DataFrame, region: str, gva: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The region's HHI and its mining and manufacturing LQ per year, with the ranks among all
    regions and the number of regions ranked that year (counted).

    The ranks are those of :func:`analysis.inputs.regions.ranked_as` (column ``ranked_as``): for
    a region that contains okrugs, its part without them, whose rank is missing in a year
    Rosstat does not publish that part; its own HHI and LQ (of the whole region, as Rosstat
    publishes it) are then computed from ``gva``, which such a region needs."""
    unit = ranked_as(region)
    years = pd.Index(sorted(hhi["year"].unique()), name="year")
    h = hhi[hhi["region_id"] == unit].set_index("year")[["okved", "hhi", "rank"]].reindex(years)
    h["n_regions"] = hhi.groupby("year")["hhi"].count().reindex(years).fillna(0).astype(int)
    own_lq = lq
    if unit != region:
        if gva is None:
            raise ValueError(f"{region} contains okrugs: its own HHI and LQ need the GVA table (gva=)")
        own = gva_hhi.rosstat_hhi(gva, region).set_index("year")
        h["okved"] = own["okved"].reindex(years)
        h["hhi"] = own["hhi"].reindex(years)
        own_lq = _lq(gva, [region], ("mining", "manufacturing"))
    for act in ("mining", "manufacturing"):
        s = own_lq[(own_lq["region_id"] == region) & (own_lq["activity"] == act)].set_index("year")
        r = lq[(lq["region_id"] == unit) & (lq["activity"] == act)].set_index("year")
        h[f"lq_{act}"] = s["lq"].reindex(years)
        h[f"lq_{act}_rank"] = r["rank"].reindex(years)
    h["region_id"], h["ranked_as"] = region, unit
    return h.dropna(subset=["hhi"]).reset_index()


def draw_hhi_among_regions(hhi: pd.DataFrame, *, region: str, name: str, lang: str) -> Figure:
    """HHI of all regions per year (grey dots), the median (line) and the chosen region (colour;
    for a region that contains okrugs, its part without them, which is ranked)."""
    fig, ax = F.new(6.5, 3.6)
    years = sorted(hhi["year"].unique())
    rng = np.random.default_rng(0)  # fixed jitter: the figure is byte-identical on every run
    for y in years:
        v = hhi.loc[hhi["year"] == y, "hhi"].to_numpy()
        ax.scatter(y + rng.uniform(-0.25, 0.25, len(v)), v, s=4, color="#bbbbbb", zorder=1)
    med = hhi.groupby("year")["hhi"].median()
    ax.plot(
        med.index,
        med.to_numpy(),
        color="#555555",
        lw=1,
        label=L.label("median_of_regions", lang),
    )
    r = hhi[hhi["region_id"] == ranked_as(region)]
    ax.plot(r["year"], r["hhi"], "o-", color=F.PALETTE[3], ms=4, label=_shown(region, name, lang), zorder=3)
    F.mark_break(ax, lang)
    F.log_axis(ax, "y")
    ax.tick_params(axis="y", which="minor", labelsize=6)
    ax.set_xlabel(L.label("year", lang))
    F.year_axis(ax.xaxis)
    ax.set_ylabel(L.label("log_scale", lang, axis=L.label("hhi_gva", lang)))
    ax.legend(loc="upper left", fontsize=7)
    ax.set_title(L.label("title.hhi_among_regions", lang))
    F.source_note(fig, L.label("source_rosstat", lang) + " (VRP_OKVED2_s2016)")
    return fig


def _count(n: pd.Series) -> str:
    """'85 regions', or '83 to 85 regions' when the number counted differs between years."""
    lo, hi = int(n.min()), int(n.max())
    return f"{hi} regions" if lo == hi else f"{lo} to {hi} regions (counted per year)"


def _years(years: list[int]) -> str:
    return ", ".join(str(y) for y in years)


def reading_units(hhi: pd.DataFrame, gva: pd.DataFrame) -> str:
    """How many regions each year's ranking counts (from :func:`hhi_all`), and which regions that
    contain okrugs are left out of it in which years (they have a GVA structure, their part
    without okrugs has none: :func:`analysis.inputs.regions.left_out`). Markdown."""
    n = hhi.dropna(subset=["hhi"]).groupby("year")["region_id"].nunique()
    runs: list[str] = []
    for count, years in n.groupby(n, sort=False):
        ys = years.index.tolist()
        span = str(ys[0]) if len(ys) == 1 else f"{ys[0]}-{ys[-1]}"
        runs.append(
            f"{count} in {span}" if ys == list(range(ys[0], ys[-1] + 1)) else f"{count} in {_years(ys)}"
        )
    out = f"Regions ranked by concentration of GVA, counted per year: {'; '.join(runs)}."
    gone = left_out(gva[gva["activity"] != "total"])
    if gone:
        out += (
            " Left out, because Rosstat publishes no GVA structure for their part without okrugs then: "
            + "; ".join(f"{resolve(c).name_en} in {_years(ys)}" for c, ys in gone.items())
            + " (their okrugs are ranked on their own)."
        )
    return out


def reading(position: pd.DataFrame, region_name: str) -> str:
    """Where the region stands among all regions, in words generated from :func:`region_position`
    (Markdown).

    Ranks and numbers of regions are those of the table (per year, counted); years without a
    rank are named; for a region ranked by its part without okrugs (``ranked_as`` is not
    ``region_id``), the sentence says whose ranks these are."""
    p = position.set_index("year")
    if p.empty:
        return f"No GVA structure for {region_name}."
    lines = []
    unit = str(p["ranked_as"].iloc[0])
    ranked = p.dropna(subset=["rank"])
    who = region_name
    if unit != p["region_id"].iloc[0]:
        part = resolve(unit).name_en
        lines.append(
            f"The HHI and LQs shown are of {region_name} as a whole; its ranks are those of {part}, "
            "the unit counted among all regions."
        )
        who = part
    if ranked.empty:
        lines.append(f"{who} is not ranked by concentration of GVA in any year shown.")
    else:
        top = ranked[ranked["rank"] <= 20].index.tolist()
        lo, hi = int(ranked["rank"].min()), int(ranked["rank"].max())
        lines.append(
            f"{who}'s rank by concentration of GVA (1 = most concentrated) "
            + (f"ranges from {lo} to {hi}" if lo != hi else f"is {lo}")
            + f" of {_count(ranked['n_regions'])} "
            + ("in" if lo != hi else "in every year of")
            + f" {P.years_span(ranked.index.tolist())}"
            + (
                f"; among the twenty most concentrated in {_years(top)}."
                if top and len(top) < len(ranked)
                else "; among the twenty most concentrated in every one of these years."
                if top and lo != hi
                else "."
            )
        )
        unranked = sorted(set(p.index) - set(ranked.index))
        if unranked:
            lines.append(
                f"It is not ranked in {_years(unranked)}: Rosstat publishes no GVA structure for it then."
            )
    for act in ("mining", "manufacturing"):
        lq = p[f"lq_{act}"].dropna()
        if len(lq):
            above = int((lq > 1).sum())
            ranks = p[f"lq_{act}_rank"].dropna()
            rank_text = (
                (
                    f" (rank {int(ranks.min())}-{int(ranks.max())})"
                    if ranks.min() != ranks.max()
                    else f" (rank {int(ranks.min())})"
                )
                if len(ranks)
                else " (not ranked)"
            )
            # P.span: the two ends printed apart, "stays at" where every year is the same.
            span = P.span(lq.tolist(), 2)
            n = len(lq)
            lines.append(
                f"Its {act} LQ {span}{rank_text}, above 1 in {above} of {n} {'year' if n == 1 else 'years'}."
            )
    return " ".join(lines)


def reading_specialisation(spec: pd.DataFrame, region: str, region_name: str) -> str:
    """Where the region stands on the three measures, in words generated from them (Markdown);
    for a region that contains okrugs, where its part without them stands, said so."""
    unit = ranked_as(region)
    r = spec[spec["region_id"] == unit].set_index("year")
    who = region_name if unit == region else resolve(unit).name_en
    intro = (
        "" if unit == region else f"{region_name} is ranked among all regions by its part without okrugs. "
    )
    if r.empty:
        return intro + f"No GVA structure for {who}."
    last = r.index.max()
    x = r.loc[last]
    n_last = int(spec[spec["year"] == last]["krugman"].count())
    ranks = r["krugman_rank"].dropna()
    return intro + (
        f"In {last} {who}'s structure differs from Russia's by a Krugman index of {x['krugman']:.2f} "
        f"(rank {int(x['krugman_rank'])} of {n_last}, 1 = most different), has a Hachman index of "
        f"{x['hachman']:.2f} (rank {int(x['hachman_rank'])}, 1 = most specialised) and an entropy of "
        f"{x['entropy_bits']:.2f} bits (rank {int(x['entropy_bits_rank'])}, 1 = least diverse). Over "
        f"{r.index.min()}-{last} its Krugman rank "
        + (
            f"ranged from {int(ranks.min())} to {int(ranks.max())}."
            if ranks.min() != ranks.max()
            else f"was {int(ranks.min())} in every year."
        )
    )
