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
from matplotlib.ticker import ScalarFormatter

from analysis import indicators as ind
from analysis.core import figures as F
from analysis.core import labels as L
from analysis.inputs.regions import all_regions
from analysis.steps import gva_hhi


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
    ax.axvline(2015.5, color="#888888", lw=0.8, ls=":")
    ax.text(
        2015.6,
        0.02,
        " " + L.label("okved_break", lang),
        va="bottom",
        fontsize=7,
        color="#555555",
        transform=ax.get_xaxis_transform(),
    )
    ax.set_yscale("log")
    for axis in (ax.yaxis,):
        axis.set_major_formatter(ScalarFormatter())
        axis.set_minor_formatter(ScalarFormatter())
    ax.tick_params(axis="y", which="minor", labelsize=6)
    ax.set_xlabel(L.label("year", lang))
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
