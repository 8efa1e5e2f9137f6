"""The paper's question for all of Russia: do the clusters of a national list sit in their regions'
specialisations? With the single-industry towns beside concentration and mining, and maps.

For every cluster of the national lists (:mod:`analysis.inputs.national`): its region's location
quotient on Rosstat's GVA shares, :math:`LQ = \\sum_{i \\in S} s_{r,i} / \\sum_{i \\in S} s_{RF,i}`
over the OKVED sections :math:`S` its codes fall in, at the listing year or the nearest year with
data; linked if the LQ exceeds the threshold (Ivanova 2018's rule, 1). Against the *base rate*, the
share of all region x section pairs above the threshold in the same year, an exact binomial test
(Clopper and Pearson 1934 for the interval). Regions are the partition of the rule for regions
that contain other regions (:func:`partition_units`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Colormap, LogNorm, Normalize, TwoSlopeNorm
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from analysis import indicators as ind
from analysis.core import figures as F
from analysis.core import labels as L
from analysis.core import topn
from analysis.core.memo import by_content
from analysis.inputs.regions import (
    all_regions,
    containers,
    part_without_okrugs,
    partition_ids,
    ranked_as,
    resolve,
)
from analysis.steps import gva_hhi

# Government order 1398-р of 29.07.2014 (data/raw/clusters/README.md): the monotowns' year.
ORDER_YEAR = 2014


def _parts() -> dict[str, str]:
    """The regions that contain okrugs and their parts without them, as the registry has them
    (:func:`analysis.inputs.regions.containers`): ``{"tyumen": "tyumen_excl_ao", ...}``."""
    return {c: part_without_okrugs(c) for c in containers()}


def partition_units(published: Iterable[str]) -> list[str]:
    """The units of the all-regions set (:func:`analysis.inputs.regions.partition_ids`, the rule
    for regions that contain other regions) that have data among ``published``: a container is
    represented by its part without okrugs where that is published and left out where it is not;
    never both a container and its okrugs. OKATO order."""
    have = set(published)
    return [u for u in partition_ids() if u in have]


def related(region: str) -> set[str]:
    """The ids whose clusters belong to a run for ``region``: itself, and for a container its
    okrugs and its part without them."""
    out = {region}
    boxes = containers()
    if region in boxes:
        out |= {part_without_okrugs(region), *boxes[region]}
    return out


def belongs_note(region: str, name: str) -> str:
    """One sentence on where ``region`` stands under the rule (empty for other regions)."""
    names = {r.id: r.name_en for r in all_regions()}
    boxes = containers()
    if region in boxes:
        parts = " and ".join(names[o] for o in boxes[region])
        return (
            f"{name} as Rosstat publishes it includes {parts}; in the all-regions distributions, base rates and "
            f"maps it is represented by its part without them ({resolve(part_without_okrugs(region)).name_en}) where "
            "Rosstat publishes that part, and is left out where it does not."
        )
    for parent, okrugs in boxes.items():
        if region in okrugs:
            return (
                f"{name} is part of {names[parent]}; it is a unit of its own in the all-regions comparisons."
            )
    return ""


@by_content  # the same for every region: computed once per kernel in batch runs
def section_lqs(gva: pd.DataFrame) -> pd.DataFrame:
    """LQ of every region's GVA share in every OKVED section against Russia's, per year:
    :math:`LQ_{r,i} = s_{r,i} / s_{RF,i}` (``indicators.location_quotient_from_shares``, as steps 6
    and 8). ``region_id, year, okved, section, share_region, share_russia, lq``."""
    g = gva[gva["activity"] != "total"]
    ref = g[g["region_id"] == "russia"].set_index(["year", "activity"])["value"]
    r = g[g["region_id"] != "russia"].copy()
    r["share_russia"] = ref.reindex(pd.MultiIndex.from_frame(r[["year", "activity"]])).to_numpy()
    r["lq"] = ind.location_quotient_from_shares(r["value"].to_numpy(float), r["share_russia"].to_numpy(float))
    r = r.rename(columns={"value": "share_region", "activity": "section"})
    cols = ["region_id", "year", "okved", "section", "share_region", "share_russia", "lq"]
    return r[cols].sort_values(["year", "region_id", "section"]).reset_index(drop=True)


@by_content  # the same for every region: computed once per kernel in batch runs
def base_rates(lqs: pd.DataFrame, threshold: float) -> pd.DataFrame:
    """Per year, the share of region x section pairs whose LQ exceeds ``threshold``, over the
    partition's units with data (:func:`partition_units`): ``year, okved, units, pairs, above,
    base_rate``. Units are counted, not assumed (83 before 2014, without Crimea and Sevastopol)."""
    rows = []
    for year, g in lqs.groupby("year"):
        units = partition_units(g.loc[g["lq"].notna(), "region_id"])
        p = g[g["region_id"].isin(units) & g["lq"].notna()]
        above = int((p["lq"] > threshold).sum())
        rows.append((int(str(year)), str(p["okved"].iloc[0]), len(units), len(p), above, above / len(p)))
    return pd.DataFrame(rows, columns=["year", "okved", "units", "pairs", "above", "base_rate"])


def sections_in_edition(sections: str, divisions: str, okved: str, crosswalk: pd.DataFrame) -> list[str]:
    """The sections of ``okved``'s edition a cluster's codes fall in: OKVED2 sections as listed
    ('C|M'); for OKVED-2007, each division's section there (``crosswalk``:
    :func:`analysis.inputs.national.divisions`), a section listed without a division standing
    for all its divisions."""
    if okved == "OKVED2":
        return sorted(s for s in sections.split("|") if s)
    cw = crosswalk.set_index("division")
    divs = [d for d in divisions.split("|") if d]
    out = {str(cw.at[d, "okved2007"]) for d in divs}
    covered = {str(cw.at[d, "section"]) for d in divs}
    for s in (s for s in sections.split("|") if s and s not in covered):
        out |= set(crosswalk.loc[crosswalk["section"] == s, "okved2007"].astype(str))
    return sorted(out)


def nearest_year(year: int, years: Iterable[int]) -> int:
    """The year of ``years`` closest to ``year``; of two equally close, the earlier."""
    return min(years, key=lambda y: (abs(y - year), y))


@by_content  # the same for every region: computed once per kernel in batch runs
def cluster_lqs(
    clusters: pd.DataFrame, lqs: pd.DataFrame, crosswalk: pd.DataFrame, base: pd.DataFrame, threshold: float
) -> pd.DataFrame:
    """The national table: for each cluster and region of the lists, the year used (the listing
    year, or the nearest year with the region's data, said in ``year_note``), the edition, the
    sections, the LQ of their combined GVA share, the verdict (``linked`` if LQ > ``threshold``,
    ``not linked``, or ``not assessable`` with the reason) and the base rate of that year."""
    by_region = {str(k): g for k, g in lqs.groupby("region_id")}
    rate = base.set_index("year")["base_rate"]
    rows = []
    for c in clusters.itertuples(index=False):
        row: dict[str, object] = {
            "cluster": c.cluster,
            "region_id": c.region_id,
            "list": c.list,
            "listing_year": c.year,
            "codes": c.codes,
            "year_used": pd.NA,
            "okved": "",
            "sections": "",
            "lq": np.nan,
            "verdict": "not assessable",
            "year_note": "",
            "base_rate": np.nan,
        }
        g = by_region.get(str(c.region_id))
        if pd.isna(c.year):
            row["year_note"] = "no listing year in the list"
        elif g is None or g["lq"].notna().sum() == 0:
            row["year_note"] = "no GVA structure for the region"
        else:
            years = sorted(int(y) for y in g.loc[g["lq"].notna(), "year"].unique())
            used = nearest_year(int(c.year), years)
            row["year_used"] = used
            row["year_note"] = (
                "listing year" if used == int(c.year) else f"nearest year with data to {int(c.year)}"
            )
            gy = g[g["year"] == used].set_index("section")
            okved = str(gy["okved"].iloc[0])
            secs = sections_in_edition(str(c.sections), str(c.divisions), okved, crosswalk)
            part = gy.reindex(secs)
            row.update(okved=okved, sections="+".join(secs), base_rate=float(rate.get(used, np.nan)))
            if part["share_region"].notna().all() and part["share_russia"].sum() > 0:
                lq = float(part["share_region"].sum() / part["share_russia"].sum())
                row.update(lq=lq, verdict="linked" if lq > threshold else "not linked")
            else:
                row["year_note"] = f"{row['year_note']}; a section's share is not published"
        rows.append(row)
    out = pd.DataFrame(rows)
    out["year_used"] = out["year_used"].astype("Int64")
    out["listing_year"] = out["listing_year"].astype("Int64")
    return out


@dataclass(frozen=True)
class BinomialResult:
    """Linked clusters against the base rate: ``linked`` of ``assessed``, the expected share
    ``base_rate`` (the mean of the base rates of the years used), the observed ``share``, its exact
    95% interval and the two-sided p-value."""

    linked: int
    assessed: int
    base_rate: float
    share: float
    ci_low: float
    ci_high: float
    p_value: float


def binomial(table: pd.DataFrame) -> BinomialResult | None:
    """The exact binomial test of the linked count against the base rate,
    :math:`P = \\sum_{j: p(j) \\le p(k)} \\binom{n}{j} p_0^j (1-p_0)^{n-j}` (two-sided, as
    ``scipy.stats.binomtest``), with the Clopper-Pearson interval of the share. None if no cluster
    is assessable."""
    from scipy.stats import binomtest  # lazy: scipy.stats costs about a second to import

    a = table[table["verdict"] != "not assessable"]
    if a.empty:
        return None
    k, n = int((a["verdict"] == "linked").sum()), len(a)
    p0 = float(a["base_rate"].mean())
    res = binomtest(k, n, p0, alternative="two-sided")
    ci = res.proportion_ci(confidence_level=0.95, method="exact")
    return BinomialResult(k, n, p0, k / n, float(ci.low), float(ci.high), float(res.pvalue))


def counts(table: pd.DataFrame) -> dict[str, int]:
    """Clusters (rows) per verdict."""
    v = table["verdict"].value_counts()
    return {k: int(v.get(k, 0)) for k in ("linked", "not linked", "not assessable")}


# ---------------------------------------------------------------------------------- monotowns
def _hhi(g: pd.DataFrame) -> pd.Series:
    h = ind.hhi(g, by=["region_id"], value="value")
    return h if isinstance(h, pd.Series) else h.iloc[:, 0]


MEASURES = ("hhi", "lq_mining", "lq_manufacturing")


def measures(gva: pd.DataFrame, year: int, ids: list[str]) -> pd.DataFrame:
    """Step 8's measures of the regions ``ids`` in ``year``, indexed by region id: the HHI of the
    GVA structure (:math:`H = \\sum_i s_i^2`, shares in %) and the LQs of mining and manufacturing
    against Russia (sections summed as ``gva_hhi.BROAD``)."""
    g = gva[(gva["year"] == year) & (gva["activity"] != "total")]
    hhi = _hhi(g[g["region_id"].isin(ids)])
    b = gva_hhi.broad_activities(g, [*ids, "russia"])
    b = b[b["activity"].isin(["mining", "manufacturing"])].pivot_table(
        index="region_id", columns="activity", values="value"
    )
    lq = b.drop(index="russia").div(b.loc["russia"], axis=1)
    out = pd.DataFrame({"hhi": hhi, "lq_mining": lq["mining"], "lq_manufacturing": lq["manufacturing"]})
    return out.reindex(ids)


@by_content  # the same for every region: computed once per kernel in batch runs
def monotown_table(towns: pd.DataFrame, gva: pd.DataFrame, year: int = ORDER_YEAR) -> pd.DataFrame:
    """Every unit of the partition in ``year``: its single-industry towns (all, and by category
    1-3), the HHI of its GVA structure and its LQs of mining and manufacturing (step 8's
    measures). A container's towns are counted in its part without the okrugs (the order lists
    okrugs' towns under the okrug's own name)."""
    g = gva[(gva["year"] == year) & (gva["activity"] != "total")]
    units = partition_units(g["region_id"].unique())
    m = measures(gva, year, units)
    t = towns.assign(unit=towns["region_id"].replace(_parts()))
    n = t.groupby(["unit", "category"]).size().unstack(fill_value=0).reindex(columns=[1, 2, 3], fill_value=0)
    names = {r.id: (r.name_en, r.name_ru) for r in all_regions()}
    rows = []
    for u in units:
        en, ru = names.get(u, (resolve(u).name_en, resolve(u).name_ru))
        c = n.loc[u] if u in n.index else pd.Series(0, index=[1, 2, 3])
        rows.append(
            {
                "region_id": u,
                "name_en": en,
                "name_ru": ru,
                "year": year,
                "monotowns": int(c.sum()),
                "category_1": int(c[1]),
                "category_2": int(c[2]),
                "category_3": int(c[3]),
                **{k: float(m.at[u, k]) if u in m.index else np.nan for k in MEASURES},
            }
        )
    return pd.DataFrame(rows)


def unassigned_towns(towns: pd.DataFrame, table: pd.DataFrame) -> int:
    """Towns of the list that no unit of ``table`` holds (e.g. a container left out)."""
    units = set(table["region_id"])
    return int((~towns["region_id"].replace(_parts()).isin(units)).sum())


# -------------------------------------------------------------------------------------- maps
def map_values(table: pd.DataFrame, column: str) -> pd.Series:
    """A column of a table of partition units as values of the 85 subjects' tiles: a container's
    tile shows its part without the okrugs (NaN where that part is not a unit)."""
    v = table.set_index("region_id")[column]
    out = {}
    for r in all_regions():
        unit = ranked_as(r.id)
        out[r.id] = float(v[unit]) if unit in v.index and pd.notna(v[unit]) else np.nan
    return pd.Series(out, name=column)


def draw_tile_map(
    values: pd.Series,
    tiles: pd.DataFrame,
    *,
    title: str,
    legend: str,
    lang: str,
    highlight: str,
    marks: pd.Series | None = None,
    cmap: str = "viridis",
    log: bool = False,
    centre: float | None = None,
) -> Figure:
    """A tile-grid cartogram of the 85 regions: one square per region at its ``tiles`` position,
    coloured by ``values`` (grey: no value), the region ``highlight`` outlined, containers' tiles
    hatched (their value is the part without the okrugs), and with ``marks`` a dot per cluster of
    the national lists in the tile's corner."""
    fig, ax = F.new(7.2, 4.6)
    v = values.dropna()
    norm: Normalize
    if log:
        norm = LogNorm(vmin=float(v.min()), vmax=float(v.max()))
    elif centre is not None and v.min() < centre < v.max():
        norm = TwoSlopeNorm(vcenter=centre, vmin=float(v.min()), vmax=float(v.max()))
    else:
        norm = Normalize(vmin=float(v.min()), vmax=float(v.max()))
    cm: Colormap = colormaps[cmap]
    boxes = containers()
    nrows = int(tiles["row"].max()) + 1
    for t in tiles.itertuples(index=False):
        x, y = int(t.col), nrows - 1 - int(t.row)
        val = values.get(t.region_id, np.nan)
        colour = cm(norm(val)) if pd.notna(val) else "#e0e0e0"
        ax.add_patch(
            Rectangle(
                (x, y),
                0.94,
                0.94,
                facecolor=colour,
                edgecolor="#333333" if t.region_id != highlight else F.PALETTE[3],
                lw=0.3 if t.region_id != highlight else 2.0,
                hatch="////" if t.region_id in boxes else None,
                zorder=3 if t.region_id == highlight else 2,
            )
        )
        light = pd.isna(val) or float(np.mean(cm(norm(val))[:3])) > 0.55
        ax.text(
            x + 0.47,
            y + 0.5,
            str(getattr(t, f"abbr_{lang}")),
            ha="center",
            va="center",
            fontsize=4.2,
            color="black" if light else "white",
            zorder=4,
        )
        k = int(marks.get(t.region_id, 0)) if marks is not None else 0
        for i in range(min(k, 4)):
            ax.plot(
                x + 0.12 + 0.18 * i, y + 0.14, "o", ms=1.8, color=F.PALETTE[1], mec="black", mew=0.3, zorder=5
            )
        if k > 4:
            ax.text(x + 0.82, y + 0.14, "+", fontsize=4, va="center", ha="center", zorder=5)
    ax.set_xlim(-0.2, int(tiles["col"].max()) + 1.1)
    ax.set_ylim(-0.2, nrows + 0.1)
    ax.set_aspect("equal")
    ax.axis("off")
    sm = ScalarMappable(norm=norm, cmap=cm)
    cb = fig.colorbar(sm, ax=ax, shrink=0.6, pad=0.01)
    cb.set_label(legend, fontsize=7)
    cb.ax.tick_params(labelsize=6)
    notes = [L.label("map.hatched", lang), L.label("map.grey", lang)]
    if marks is not None:
        notes.append(L.label("map.dots", lang))
    ax.text(0.0, -0.02, "\n".join(notes), transform=ax.transAxes, fontsize=5.5, va="top", color="#444444")
    ax.set_title(title)
    F.source_note(fig, L.label("map.source", lang))
    return fig


def draw_monotowns(table: pd.DataFrame, *, region: str, lang: str, label_top: int = 8) -> Figure:
    """Single-industry towns per region against the region's mining LQ (log scale), the colour
    the HHI of its GVA structure; the ``label_top`` regions with most towns and ``region`` named."""
    fig, ax = F.new(6.5, 4.0)
    t = table.dropna(subset=["lq_mining"])
    t = t[t["lq_mining"] > 0]
    sc = ax.scatter(
        t["lq_mining"],
        t["monotowns"],
        c=t["hhi"],
        cmap="viridis",
        s=14,
        edgecolor="#333333",
        lw=0.3,
        zorder=2,
    )
    cb = fig.colorbar(sc, ax=ax, pad=0.01)
    cb.set_label(L.label("hhi_gva", lang), fontsize=7)
    cb.ax.tick_params(labelsize=6)
    name = "name_en" if lang == "en" else "name_ru"
    named = t.sort_values(["monotowns", "region_id"], ascending=[False, True]).head(label_top)
    for r in (
        pd.concat([named, t[t["region_id"] == region]]).drop_duplicates("region_id").itertuples(index=False)
    ):
        own = r.region_id == region
        ax.annotate(
            str(getattr(r, name)),
            (r.lq_mining, r.monotowns),
            xytext=(4, 2),
            textcoords="offset points",
            fontsize=6.5 if own else 5.5,
            color=F.PALETTE[3] if own else "#333333",
            fontweight="bold" if own else "normal",
        )
        if own:
            ax.scatter(
                [r.lq_mining], [r.monotowns], s=40, facecolor="none", edgecolor=F.PALETTE[3], lw=1.2, zorder=3
            )
    ax.axvline(1, color="#888888", lw=0.8, ls=":")
    ax.set_xscale("log")
    ax.set_xlabel(L.label("log_scale", lang, axis=L.label("lq_mining_axis", lang)))
    ax.set_ylabel(L.label("monotowns_axis", lang))
    ax.set_title(L.label("title.monotowns", lang, year=int(table["year"].iloc[0])))
    F.source_note(fig, L.label("source_monotowns", lang))
    return fig


# Rows of the national clusters' figure: the shipped lists give about 30 assessable clusters; a
# list a user adds may give hundreds, and a row each would outgrow any page (issue 23.3).
CLUSTER_LQS_TOP = 60


def draw_cluster_lqs(table: pd.DataFrame, *, region: str, threshold: float, lang: str) -> Figure:
    """Each assessable cluster's LQ (log scale) against the threshold, clusters of ``region``
    (and of the regions it contains) in colour; one row per cluster, sorted by LQ. At most
    :data:`CLUSTER_LQS_TOP` rows: the region's own clusters, then the highest LQs
    (:func:`analysis.core.topn.keep`); a note names the table that holds them all."""
    a = table[table["verdict"] != "not assessable"].reset_index(drop=True)
    own = a["region_id"].isin(related(region))
    row = a.index.astype(str)
    top = topn.keep(
        a.assign(row=row), "row", CLUSTER_LQS_TOP, pd.Series(np.where(own, np.inf, a["lq"]), index=row)
    )
    a = top.frame.drop(columns="row").sort_values(["lq", "cluster"]).reset_index(drop=True)
    fig, ax = F.new(6.5, max(3.0, 0.16 * len(a) + 1.0))
    mine = a["region_id"].isin(related(region))
    names = {r.id: (r.name_en if lang == "en" else r.name_ru) for r in all_regions()}
    ax.scatter(
        a.loc[~mine, "lq"],
        a.index[~mine],
        s=12,
        color="#777777",
        zorder=2,
        label=L.label("cluster_other", lang),
    )
    if mine.any():
        ax.scatter(
            a.loc[mine, "lq"],
            a.index[mine],
            s=22,
            color=F.PALETTE[3],
            zorder=3,
            label=L.label("cluster_own", lang),
        )
    ax.axvline(
        threshold, color="#333333", lw=0.8, ls="--", label=L.label("threshold_line", lang, t=threshold)
    )
    ax.set_yticks(list(a.index))
    ax.set_yticklabels(
        [f"{names.get(r, r)}: {str(c)[:38]}" for r, c in zip(a["region_id"], a["cluster"])], fontsize=5
    )
    ax.set_xscale("log")
    ax.set_xlabel(L.label("log_scale", lang, axis=L.label("lq_cluster_axis", lang)))
    ax.legend(loc="lower right", fontsize=6)
    ax.set_title(L.label("title.cluster_lqs", lang))
    F.source_note(fig, topn.note(top.k, "national_cluster_lqs.csv", lang) + L.label("map.source", lang))
    return fig


# ---------------------------------------------------------------------------------- readings
def _s(n: int) -> str:
    return "" if n == 1 else "s"


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def reading_clusters(table: pd.DataFrame, test: BinomialResult | None, threshold: float) -> str:
    """What the national table shows, generated from it (Markdown)."""
    c = counts(table)
    n = len(table)
    lines = [
        f"Of the {n} cluster-region rows of the national lists, {c['linked']} are linked (their region's LQ in "
        f"the cluster's sections is above {threshold:g}), {c['not linked']} are not, and {c['not assessable']} "
        "cannot be assessed"
        + (
            " ("
            + "; ".join(
                f"{k}: {v}"
                for k, v in table.loc[table["verdict"] == "not assessable", "year_note"]
                .value_counts()
                .items()
            )
            + ")."
            if c["not assessable"]
            else "."
        )
    ]
    moved = table[table["year_note"].str.startswith("nearest")]
    if len(moved):
        lines.append(
            f"{len(moved)} of them are measured in the nearest year with data, not the listing year "
            f"({', '.join(sorted({f'{a} for {b}' for a, b in zip(moved['year_used'], moved['listing_year'])}))})."
        )
    if test is not None:
        direction = "more often" if test.share > test.base_rate else "less often"
        lines.append(
            f"{_pct(test.share)} of the {test.assessed} assessable clusters are linked (exact 95% interval "
            f"{_pct(test.ci_low)}-{_pct(test.ci_high)}), against a base rate of {_pct(test.base_rate)} of region x "
            f"section pairs above the threshold in the same years: clusters sit in a specialisation {direction} "
            f"than a random region-section pair, two-sided exact binomial p = {test.p_value:.3g}"
            + (
                "; so few clusters leave this well within chance."
                if test.p_value >= 0.05
                else "; chance alone would rarely give a departure this large."
            )
        )
    return " ".join(lines)


def reading_limits(table: pd.DataFrame) -> str:
    """What the test can and cannot show, with the list's own numbers (Markdown)."""
    a = table[table["verdict"] != "not assessable"]
    letter = a["okved"].map({"OKVED2007": "D", "OKVED2": "C"})  # manufacturing in each edition
    manuf = sum(m in s.split("+") for m, s in zip(letter, a["sections"]))
    lists = table["list"].value_counts()
    return (
        f"The lists are state-selected ({', '.join(f'{v} row{_s(v)} from {k}' for k, v in lists.items())}): the pilot "
        "clusters were chosen by the Ministry of Economic Development, mostly in high-technology activities and "
        "in regions strong in science and industry. The test therefore asks whether *selected* clusters sit in "
        "their regions' specialisations, not where clusters emerge, and it is a first answer, not a replication "
        "of the paper, which judged one region on turnover and several bases. At OKVED-section level the "
        f"measure is coarse: {manuf} of the {len(a)} assessable clusters include manufacturing (OKVED2 C, "
        "OKVED-2007 D), so it mostly asks whether the region's manufacturing share exceeds Russia's. The base "
        "rate counts single sections while a cluster spanning several sections is measured on their combined "
        "share, and the base rate is the mean of the rates of the years used, so the binomial test is an "
        "approximation of the exact null (a sum of unequal Bernoulli trials)."
    )


def monotowns_shown(mono: pd.DataFrame, region: str, top: int = 12) -> pd.DataFrame:
    """The ``top`` units with the most single-industry towns (ties by id), and the run's region's
    unit (:func:`analysis.inputs.regions.ranked_as`: a container is shown by its part without
    okrugs) if it is not among them; indexed by ``region_id``, without the Russian names."""
    first = mono.sort_values(["monotowns", "region_id"], ascending=[False, True]).head(top)
    rows = pd.concat([first, mono[mono["region_id"] == ranked_as(region)]]).drop_duplicates("region_id")
    return rows.set_index("region_id").drop(columns="name_ru")


def reading_monotowns(table: pd.DataFrame, towns: pd.DataFrame, region: str, name: str) -> str:
    """Monotowns against HHI and the mining LQ, and the run's region, generated (Markdown)."""
    t = table.dropna(subset=["hhi", "lq_mining"])
    varies = t["monotowns"].nunique() > 1  # a rank correlation with a constant is not defined
    rho_m = t["monotowns"].corr(t["lq_mining"], method="spearman") if varies else np.nan
    rho_h = t["monotowns"].corr(t["hhi"], method="spearman") if varies else np.nan
    with_towns = int((table["monotowns"] > 0).sum())
    lines = [
        f"In {int(table['year'].iloc[0])}, {int(table['monotowns'].sum())} single-industry towns of the order lie in "
        f"{with_towns} of the {len(table)} units; across the {len(t)} units with both measures, Spearman's rank "
        + (
            f"correlation of the number of towns with the mining LQ is {rho_m:.2f} and with the HHI {rho_h:.2f}."
            if pd.notna(rho_m) and pd.notna(rho_h)
            else "correlation of the number of towns with the mining LQ and the HHI is not defined (no variation)."
        )
    ]
    unit = ranked_as(region)
    if unit in set(table["region_id"]):
        r = table.set_index("region_id").loc[unit]
        who = f"{name}{' without its okrugs' if unit != region else ''}"
        if r["monotowns"] == 0:
            lines.append(f"{who} has none; {len(table) - with_towns} of the {len(table)} units have none.")
        else:
            rank = int((table["monotowns"] > r["monotowns"]).sum()) + 1
            lines.append(
                f"{who} has {int(r['monotowns'])} (categories 1/2/3: {int(r['category_1'])}/{int(r['category_2'])}/"
                f"{int(r['category_3'])}), rank {rank} of {len(table)} by number of towns."
            )
    else:
        lines.append(
            f"{name} is not a unit of this table (its part without the okrugs is not published that year)."
        )
    lost = unassigned_towns(towns, table)
    if lost:
        lines.append(f"{lost} towns of the list lie in regions left out of the table.")
    return " ".join(lines)


def paper_monotowns(text_numbers: pd.DataFrame, towns: pd.DataFrame, region: str) -> pd.DataFrame:
    """The paper's monotown facts for its region (text_numbers.csv: ``mono_towns``,
    ``mono_red_zone_fraction``, ``mono_yellow_zone``) beside the official list's counts; the red
    zone is category 1 and the yellow zone category 2 of order 1398-р. The paper's "a third" is
    its fraction times its own count of towns."""
    t = text_numbers.set_index("claim_id")
    own = towns[towns["region_id"] == region]
    total = float(t.at["mono_towns", "value"])
    rows = [
        ("towns", "mono_towns", total, len(own)),
        (
            "category 1 (red zone)",
            "mono_red_zone_fraction",
            float(t.at["mono_red_zone_fraction", "value"]) * total,
            int((own["category"] == 1).sum()),
        ),
        (
            "category 2 (yellow zone)",
            "mono_yellow_zone",
            float(t.at["mono_yellow_zone", "value"]),
            int((own["category"] == 2).sum()),
        ),
    ]
    out = pd.DataFrame(rows, columns=["quantity", "claim_id", "paper", "order_1398r"])
    out["printed"] = [str(t.at[c, "printed"]) for c in out["claim_id"]]
    return out.set_index("quantity")[["claim_id", "printed", "paper", "order_1398r"]]


def reading_paper_monotowns(m: pd.DataFrame) -> str:
    """The paper's monotown counts against the official list's, generated (Markdown)."""
    parts = []
    for q, r in m.iterrows():
        same = round(float(r["paper"])) == int(r["order_1398r"])
        parts.append(
            f"{q}: the paper «{r['printed']}» ({float(r['paper']):.0f}), the list {int(r['order_1398r'])}"
            + (" (the same)" if same else "")
        )
    return (
        "; ".join(parts)
        + ". The list's edition is not stated and was amended many times after 2014, so categories may differ "
        "from the edition the paper read."
    )


# A map per measure of :func:`monotown_table`: title key, legend key, log colour scale, centre.
MAPS = {
    "hhi": ("title.map_hhi", "hhi_gva", False, None),
    "lq_mining": ("title.map_lq", "lq", False, 1.0),  # zeros (no mining): no log scale
    "lq_manufacturing": ("title.map_lq", "lq", False, 1.0),
    "monotowns": ("title.map_monotowns", "monotowns_axis", False, None),
}


def draw_measure_map(
    measures: pd.DataFrame, column: str, tiles: pd.DataFrame, *, region: str, lang: str, marks: pd.Series
) -> Figure:
    """The tile map of one column of :func:`monotown_table` (``MAPS``), titled with its year."""
    title_key, legend_key, log, centre = MAPS[column]
    activity = column.removeprefix("lq_")
    return draw_tile_map(
        map_values(measures, column),
        tiles,
        title=L.label(
            title_key,
            lang,
            year=int(measures["year"].iloc[0]),
            activity=L.name_of("activity", activity, lang).lower(),
        ),
        legend=L.label(legend_key, lang),
        lang=lang,
        highlight=region,
        marks=marks,
        log=log,
        centre=centre,
    )


def reading_maps(measured: pd.DataFrame, region: str, name: str, whole: pd.DataFrame | None = None) -> str:
    """Where the run's region stands on the mapped measures, generated (Markdown). For a
    container, ``whole`` (:func:`measures` of the region as Rosstat publishes it) is stated
    unranked, and the ranks are those of its part without the okrugs."""
    year = int(measured["year"].iloc[0])
    unit = ranked_as(region)
    present = unit in set(measured["region_id"])
    lines = [f"The maps of {year} show {len(measured)} units."]
    what = {"hhi": "HHI", "lq_mining": "LQ of mining", "lq_manufacturing": "LQ of manufacturing"}
    if region in containers() and whole is not None and region in whole.index:
        w = whole.loc[region]
        lines.append(
            f"{name} as Rosstat publishes it, with its okrugs: "
            + ", ".join(f"{what[k]} {w[k]:.2f}" for k in MEASURES if pd.notna(w[k]))
            + " (not ranked: the okrugs are units of their own)."
        )
    if region in containers():
        lines.append(
            "Its tile shows its part without the okrugs"
            + ("." if present else ", which Rosstat does not publish for that year: grey.")
        )
    if present:
        r = measured.set_index("region_id").loc[unit]
        parts = []
        for k in MEASURES:
            v = measured[k].dropna()
            if pd.notna(r[k]):
                parts.append(f"{what[k]} {r[k]:.2f} (rank {int((v > r[k]).sum()) + 1} of {len(v)})")
        who = f"{name} without its okrugs" if unit != region else name
        lines.append(f"{who}: " + ", ".join(parts) + ".")
    return " ".join(lines)
