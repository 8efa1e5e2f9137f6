"""A region among all regions: concentration (HHI of the GVA structure) and the location
quotients of mining and manufacturing against Russia, from Rosstat's GVA table, 2009-2022.

Rosstat lists the three autonomous okrugs both as regions and inside their parent region; they
are ranked as regions of their own (85 regions from 2014, 83 before Crimea and Sevastopol were
added), and never summed with their parent.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from analysis import indicators as ind
from analysis.core import figures as F
from analysis.core import labels as L
from analysis.core.memo import by_content
from analysis.inputs.regions import all_regions
from analysis.steps import gva_hhi


@by_content  # the same for every region: computed once per kernel in batch runs
def hhi_all(gva: pd.DataFrame) -> pd.DataFrame:
    """HHI of every region's GVA structure per year, with its rank (1 = most concentrated)."""
    ids = {r.id for r in all_regions()}
    g = gva[gva["region_id"].isin(ids) & (gva["activity"] != "total")]
    h = ind.hhi(g, by=["region_id", "year", "okved"], value="value")
    h = h.rename("hhi").reset_index() if isinstance(h, pd.Series) else h.reset_index()
    h["rank"] = (
        h.groupby("year")["hhi"].rank(ascending=False, method="min").astype("Int64")
    )  # NA: unknown HHI
    h["n_regions"] = h.groupby("year")["hhi"].transform("count").astype(int)
    return h.sort_values(["year", "rank", "region_id"]).reset_index(drop=True)


def _names() -> pd.DataFrame:
    return pd.DataFrame(
        [(r.id, r.name_en, r.name_ru) for r in all_regions()], columns=["region_id", "name_en", "name_ru"]
    )


def _wide(t: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Regions (and Russia) as columns of a tidy Rosstat table, ``keys`` as the index."""
    ids = {r.id for r in all_regions()} | {"russia"}
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


@by_content  # the same for every region: computed once per kernel in batch runs
def lq_broad_all(gva: pd.DataFrame, activities=("mining", "manufacturing")) -> pd.DataFrame:
    """LQ of the broad activities (gva_hhi.BROAD) of every region against Russia, per year."""
    ids = {r.id for r in all_regions()}
    b = gva_hhi.broad_activities(gva, sorted(ids | {"russia"}))
    b = b[b["activity"].isin(activities)]
    ref = b[b["region_id"] == "russia"].set_index(["year", "okved", "activity"])["value"]
    b = b[b["region_id"] != "russia"].copy()
    b["share_russia"] = ref.reindex(pd.MultiIndex.from_frame(b[["year", "okved", "activity"]])).to_numpy()
    b["lq"] = ind.location_quotient_from_shares(b["value"].to_numpy(), b["share_russia"].to_numpy())
    b["rank"] = b.groupby(["year", "activity"])["lq"].rank(ascending=False, method="min").astype("Int64")
    return b.rename(columns={"value": "share_region"}).reset_index(drop=True)


@by_content  # the same for every region: computed once per kernel in batch runs
def specialisation_all(gva: pd.DataFrame) -> pd.DataFrame:
    """Krugman dissimilarity from Russia's structure, Hachman index and entropy of every region's
    GVA structure per year, each with its rank (1 = the most specialised: the largest Krugman, the
    smallest Hachman, the smallest entropy). The shares are Rosstat's per-cent shares of the
    sections of each edition; the reference is Russia's structure in the same year."""
    ids = {r.id for r in all_regions()}
    g = gva[gva["activity"] != "total"]
    ref = g[g["region_id"] == "russia"].set_index(["year", "okved", "activity"])["value"]
    r = g[g["region_id"].isin(ids)].copy()
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


def draw_specialisation(spec: pd.DataFrame, *, region: str, name: str, lang: str) -> Figure:
    """Krugman, Hachman and entropy of all regions per year (grey), the median (line) and the
    region (colour), one panel each; the classification break marked."""
    fig, axes = F.new(6.5, 6.0, nrows=3, sharex=True, squeeze=False)
    rng = np.random.default_rng(0)  # a seeded jitter: the same bytes on every run
    for ax, col in zip(axes[:, 0], ("krugman", "hachman", "entropy_bits")):
        for y, v in spec.groupby("year")[col]:
            ax.scatter(y + rng.uniform(-0.25, 0.25, len(v)), v, s=3, color="#bbbbbb", zorder=1)
        med = spec.groupby("year")[col].median()
        ax.plot(med.index, med.to_numpy(), color="#555555", lw=1, label=L.label("median_of_regions", lang))
        r = spec[spec["region_id"] == region]
        ax.plot(r["year"], r[col], "o-", color=F.PALETTE[3], ms=3, label=name, zorder=3)
        F.mark_break(ax, lang, text=False)
        ax.set_ylabel(L.label(f"spec.{col}", lang))
    axes[-1, 0].set_xlabel(L.label("year", lang))
    F.year_axis(axes[-1, 0].xaxis)
    axes[0, 0].legend(loc="upper left", fontsize=7, frameon=False)
    axes[0, 0].set_title(L.label("title.specialisation", lang, region=name))
    F.source_note(fig, L.label("source_rosstat", lang))
    return fig


def region_position(hhi: pd.DataFrame, lq: pd.DataFrame, region: str) -> pd.DataFrame:
    """The region's HHI, its rank among regions, and its mining and manufacturing LQ per year."""
    h = hhi[hhi["region_id"] == region].set_index("year")[["okved", "hhi", "rank", "n_regions"]]
    for act in ("mining", "manufacturing"):
        s = lq[(lq["region_id"] == region) & (lq["activity"] == act)].set_index("year")
        h[f"lq_{act}"] = s["lq"]
        h[f"lq_{act}_rank"] = s["rank"]
    return h.reset_index()


def draw_hhi_among_regions(hhi: pd.DataFrame, *, region: str, name: str, lang: str) -> Figure:
    """HHI of all regions per year (grey dots), the median (line) and the chosen region (colour)."""
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
    r = hhi[hhi["region_id"] == region]
    ax.plot(r["year"], r["hhi"], "o-", color=F.PALETTE[3], ms=4, label=name, zorder=3)
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


def reading(position: pd.DataFrame, region_name: str) -> str:
    """Where the region stands among all regions, in words generated from it (Markdown)."""
    p = position.set_index("year")
    top = p[p["rank"] <= 20].index.tolist()
    lines = [
        f"{region_name}'s rank by concentration of GVA (1 = most concentrated) ranges from {int(p['rank'].min())} "
        f"to {int(p['rank'].max())} of {int(p['n_regions'].max())} regions in {p.index.min()}-{p.index.max()}"
        + (f"; among the twenty most concentrated in {', '.join(str(y) for y in top)}." if top else ".")
    ]
    for act in ("mining", "manufacturing"):
        lq = p[f"lq_{act}"].dropna()
        if len(lq):
            above = (lq > 1).sum()
            lines.append(
                f"Its {act} LQ ranges from {lq.min():.2f} to {lq.max():.2f} (rank {int(p[f'lq_{act}_rank'].min())}"
                f"-{int(p[f'lq_{act}_rank'].max())}), above 1 in {above} of {len(lq)} years."
            )
    return " ".join(lines)


def reading_specialisation(spec: pd.DataFrame, region: str, region_name: str) -> str:
    """Where the region stands on the three measures, in words generated from them (Markdown)."""
    r = spec[spec["region_id"] == region].set_index("year")
    if r.empty:
        return f"No GVA structure for {region_name}."
    last = r.index.max()
    x = r.loc[last]
    return (
        f"In {last} {region_name}'s structure differs from Russia's by a Krugman index of {x['krugman']:.2f} "
        f"(rank {int(x['krugman_rank'])} of {int(x['n_regions'])}, 1 = most different), has a Hachman index of "
        f"{x['hachman']:.2f} (rank {int(x['hachman_rank'])}, 1 = most specialised) and an entropy of "
        f"{x['entropy_bits']:.2f} bits (rank {int(x['entropy_bits_rank'])}, 1 = least diverse). Over "
        f"{r.index.min()}-{last} its Krugman rank ranged from {int(r['krugman_rank'].min())} to "
        f"{int(r['krugman_rank'].max())}."
    )
