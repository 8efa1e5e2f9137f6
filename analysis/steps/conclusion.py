"""Step 7: production indices against Russia (Ivanova 2018, Table 7), the paper's question asked
again with data to 2022, and the paper's conclusions set against the evidence this compendium
computes. Notebook ``07_conclusion``.

Yearly production indices (% of the previous year) of the region and of Russia, chained
(indicators.chain_index), give the cumulative change since the base year, which answers the claim
that industry and mining grew faster in the region than in Russia over the period; the yearly
comparison shows in which years they did not.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from analysis import indicators as ind
from analysis.core import figures as F
from analysis.core import labels as L
from analysis.inputs import paper
from analysis.inputs import region as region_data
from analysis.steps import cluster_profiling, coefficients, freight, gva_hhi, localization

REGION = paper.REGION  # the conclusions judged here are the paper's, about its region
# Items of the production indices (names: index_item.* in analysis.core.labels): Table 7's and
# OKVED-2007's; OKVED2 splits utilities into energy (section D) and water and waste (E).
ITEMS = ("industry", "mining", "manufacturing", "utilities", "energy", "water_waste")


def indices_wide(indices: pd.DataFrame) -> pd.DataFrame:
    """A tidy ``region, item, year, value`` table of indices as rows (region, item) x years."""
    return indices.pivot_table(index=["region", "item"], columns="year", values="value")


def cumulative(w: pd.DataFrame) -> pd.DataFrame:
    """Chained indices, base year (the year before the first) = 100:
    :math:`C_t = 100 \\prod_{s \\le t} I_s / 100` (:func:`analysis.indicators.chain_index`)."""
    c = ind.chain_index(w)
    c = pd.DataFrame(np.asarray(c, dtype=float), index=w.index, columns=w.columns)
    c.insert(0, min(w.columns) - 1, 100.0)
    return c


def faster_than_russia(w: pd.DataFrame, region: str) -> pd.DataFrame:
    """For each item: the years in which the region's index exceeded Russia's, and the cumulative
    growth of both over the whole period."""
    c = cumulative(w)
    last = c.columns.max()
    rows = []
    for item in [i for i in ITEMS if (region, i) in w.index and ("russia", i) in w.index]:
        k, r = w.loc[(region, item)], w.loc[("russia", item)]
        rows.append(
            {
                "item": item,
                "years_region_faster": ", ".join(str(y) for y in w.columns if k[y] > r[y]),
                "n_years_faster": int((k > r).sum()),
                "n_years": int(k.notna().sum()),
                "cum_region": c.loc[(region, item), last],
                "cum_russia": c.loc[("russia", item), last],
                "faster_over_period": bool(c.loc[(region, item), last] > c.loc[("russia", item), last]),
            }
        )
    return pd.DataFrame(rows)


def evidence(threshold: float) -> pd.DataFrame:
    """The paper's conclusions (in our words), the evidence computed for each, and whether it holds.

    ``holds`` is ``yes``, ``partly`` or ``no``; every number in ``evidence`` is computed here from
    data/raw, not typed in.
    """
    rows = []

    def add(cid, claim, where, ev, holds):
        rows.append(
            {"conclusion_id": cid, "conclusion": claim, "paper_source": where, "evidence": ev, "holds": holds}
        )

    lq, _ = cluster_profiling.link_lqs(
        region_data.lq_turnover(REGION).table, region_data.lq_bases(REGION).table
    )
    link = cluster_profiling.specialisation_link(region_data.clusters(REGION).table, lq, threshold)
    n_linked = int((link["source_says_linked"] == "yes").sum())
    above = link[link["above_threshold"] == True].index.tolist()  # noqa: E712
    add(
        "one_cluster_linked",
        "Only one of the five clusters (coal processing) follows the region's specialisation",
        "Results; Conclusion",
        f"paper: {n_linked} of {len(link)} linked; LQ (turnover 2016) of the clusters' core activities above "
        f"{threshold:g}: " + ", ".join(f"{c} ({link.at[c, 'max_lq']:g})" for c in above),
        "yes" if above == ["coal_processing"] else "partly",
    )

    w = paper.wide(1).drop(index="total")
    top = w.idxmax()
    add(
        "mining_dominant",
        "Mining remains the largest activity in GVA, though its share fell 2010-2015",
        "Results, Table 1",
        f"largest activity every year: {', '.join(sorted(set(top)))}; mining share "
        f"{w.loc['mining', w.columns.min()]:g} % ({w.columns.min()}) -> {w.loc['mining', w.columns.max()]:g} % ({w.columns.max()})",
        "yes" if set(top) == {"mining"} else "no",
    )

    h = gva_hhi.hhi_table().dropna(subset=["recomputed"]).set_index("year")["recomputed"]
    y_min = int(h.idxmin())
    reversal = 2014  # the paper: the move towards diversification "already in 2014" turned back
    add(
        "diversification_reversed",
        "Diversification that began in 2012 reversed from 2014 (HHI rises again)",
        "Results, HHI list",
        "recomputed HHI " + ", ".join(f"{y}: {v:.1f}" for y, v in h.items()) + f"; lowest in {y_min}",
        "yes" if y_min == reversal - 1 and h.iloc[-1] > h.loc[y_min] else "partly",
    )

    ch = coefficients.changes(coefficients.by_year(region_data.product_coefficients(REGION).table))
    add(
        "coal_coefficient_up",
        "The per-capita production coefficient of coal grew 2011-2016",
        "Results, Table 2",
        f"coal {ch.at['coal', 'coef_2011']:g} -> {ch.at['coal', 'coef_2016']:g} ({ch.at['coal', 'change_pct']:+.1f} %)",
        "yes" if ch.at["coal", "change_pct"] > 0 else "no",
    )

    m = coefficients.marketability(region_data.shipments_out(REGION).table).set_index("year")["marketability"]
    add(
        "marketability_high",
        "Coal marketability stayed near 1: most coal produced leaves the region",
        "Results, Table 3",
        "recomputed " + ", ".join(f"{y}: {v:.3f}" for y, v in m.items()),
        "yes" if (m > 0.9).all() else "partly",
    )

    o = (
        freight.out_over_in(region_data.paper_freight())
        .query("cargo == 'all_cargo'")
        .set_index("year")["excess_pct"]
    )
    add(
        "out_exceeds_in",
        "Far more freight leaves the region by rail than arrives",
        "Results, Table 4",
        "outbound above inbound by " + ", ".join(f"{y}: {v:.1f} %" for y, v in o.items()),
        "yes" if (o > 0).all() else "no",
    )

    lq = localization.by_year(region_data.lq_turnover(REGION).table)
    add(
        "mining_lq_up",
        "The specialisation in mining persists and grows (LQ on turnover)",
        "Results, Table 5",
        f"mining LQ {lq.loc['mining', lq.columns.min()]:g} ({lq.columns.min()}) -> "
        f"{lq.loc['mining', lq.columns.max()]:g} ({lq.columns.max()})",
        "yes" if lq.loc["mining"].is_monotonic_increasing else "partly",
    )

    w7 = indices_wide(paper_indices())
    f = faster_than_russia(w7, REGION).set_index("item")
    for item in ("industry", "mining"):
        r = f.loc[item]
        holds = (
            "yes"
            if r["faster_over_period"] and r["n_years_faster"] == r["n_years"]
            else ("partly" if r["faster_over_period"] else "no")
        )
        add(
            f"{item}_faster",
            f"{L.label(f'index_item.{item}', 'en')} grew faster in Kemerovo region than in Russia",
            "Results, Table 7",
            f"cumulative 2009-2016: {r['cum_region']:.1f} vs {r['cum_russia']:.1f}; faster in "
            f"{r['n_years_faster']} of {r['n_years']} years ({r['years_region_faster']})",
            holds,
        )

    last = w7.columns.max()
    dec = [i for i in ("manufacturing", "utilities") if w7.loc[(REGION, i), last] < 100]
    add(
        "manuf_utilities_fell_2016",
        f"In {last} manufacturing and utilities output fell in Kemerovo region",
        "Results, Table 7",
        ", ".join(f"{i}: {w7.loc[(REGION, i), last]:g}" for i in ("manufacturing", "utilities")),
        "yes" if len(dec) == 2 else "partly" if dec else "no",
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
    ax.set_xlabel(L.label("year", lang))
    ax.set_ylabel(L.label("index_cum", lang, base=c.columns.min()))
    ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False, fontsize=7)
    ax.set_title(L.label("title.cumulative", lang, base=c.columns.min(), region=region_name))
    F.source_note(fig, source)
    return fig


def draw_ledger(ledger: pd.DataFrame, *, lang: str) -> Figure:
    """Published vs recomputed values of the ledger (log-log), coloured by status."""
    d = ledger.dropna(subset=["recomputed"])
    d = d[(d["published"].abs() > 0) & (d["recomputed"].abs() > 0)]
    fig, ax = F.new(5.0, 4.2)
    colours = {"reproduced": F.PALETTE[2], "within_rounding": F.PALETTE[0], "discrepancy": F.PALETTE[3]}
    for status, colour in colours.items():
        s = d[d["status"] == status]
        ax.scatter(
            s["published"].abs(),
            s["recomputed"].abs(),
            s=14,
            color=colour,
            label=f"{L.label(f'status.{status}', lang)} ({len(s)})",
            zorder=3,
        )
    lim = [
        d[["published", "recomputed"]].abs().min().min() / 2,
        d[["published", "recomputed"]].abs().max().max() * 2,
    ]
    ax.plot(lim, lim, color="#888888", lw=0.8)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(L.label("published_abs", lang))
    ax.set_ylabel(L.label("recomputed_abs", lang))
    ax.legend(loc="upper left", fontsize=7)
    ax.set_title(L.label("title.ledger", lang))
    F.source_note(fig, L.label("source_paper", lang))
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
    """How Table 7 compares with the official annual indices, in words (Markdown)."""
    known = pvo.dropna(subset=["official"])
    same = known[known["difference"].abs() < 0.05]
    off = known[known["difference"].abs() >= 0.05]
    return (
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


def after_the_clusters(
    gva: pd.DataFrame,
    region: str,
    founded: int = 2012,
    windows: list[tuple[int, int]] | None = None,
    grp_volume: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The paper's question asked again with Rosstat's data: did the concentration (HHI) and the
    mining specialisation (GVA share, LQ against Russia) change after the first cluster was
    founded (``founded``, 2012 for the coal-processing cluster)? And, as a volume measure beside
    these nominal shares, did the region's real GRP grow against Russia's?

    The mean of the years before ``founded`` against the mean of each window in ``windows``
    (default: the last three years), one row per indicator and window, with the classification
    edition of each period. Descriptive: a difference of means says nothing of what the clusters
    caused, and nominal shares move with prices.
    """
    h = gva_hhi.rosstat_hhi(gva, region).set_index("year")
    broad = gva_hhi.broad_activities(gva, [region])
    mining = broad[broad["activity"] == "mining"].set_index("year")["value"]
    lq = localization.rosstat_lq(gva, region)
    mining_letters = {ed: letters[0] for ed, letters in gva_hhi.BROAD["mining"].items()}
    lq = lq[lq.apply(lambda r: r["activity"] == mining_letters[r["okved"]], axis=1)].set_index("year")["lq"]
    years = sorted(h.index)
    windows = windows or ([(years[-3], years[-1])] if len(years) >= 3 else [])
    before = [y for y in years if y < founded]
    series: list[tuple[str, str, pd.Series]] = [
        ("hhi", "nominal shares", h["hhi"]),
        ("mining_share_pct", "nominal shares", mining),
        ("mining_lq", "nominal shares", lq),
    ]
    if grp_volume is not None:
        series.append(("real_grp_vs_russia", "volume", real_grp_relative(grp_volume, region)))

    def edition(y: int) -> str:
        return str(h.loc[y, "okved"]) if y in h.index else "-"

    rows: list[dict[str, object]] = []
    for first, last in windows:
        after = list(range(first, last + 1))
        for name, kind, s in series:
            b, a = s.reindex(before).mean(), s.reindex(after).mean()
            rows.append(
                {
                    "indicator": name,
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


def reading_indices(faster: pd.DataFrame, region_name: str) -> str:
    """What the chained indices say, in words generated from them (Markdown)."""
    lines = []
    for r in faster.itertuples(index=False):
        over = "faster" if r.faster_over_period else "not faster"
        lines.append(
            f"{r.item}: {over} than Russia over the period ({r.cum_region:.1f} against {r.cum_russia:.1f}), "
            f"faster in {r.n_years_faster} of {r.n_years} years"
            + (f" ({r.years_region_faster})" if r.years_region_faster else "")
            + "."
        )
    return f"Production in {region_name} against Russia, chained: " + " ".join(lines)


def reading_after(after: pd.DataFrame, region_name: str, founded: int) -> str:
    """What the before/after comparison says, window by window, in words generated from it."""
    if after.empty:
        return "No window to compare."
    labels = {
        "hhi": ("the HHI", ".0f"),
        "mining_share_pct": ("mining's share of GVA (%)", ".1f"),
        "mining_lq": ("mining's LQ", ".2f"),
        "real_grp_vs_russia": ("real GRP relative to Russia's", ".1f"),
    }
    parts = []
    for window, part in after.groupby("after_years", sort=False):
        bits = []
        for r in part.itertuples(index=False):
            if pd.notna(r.change) and r.indicator in labels:
                label, fmt = labels[str(r.indicator)]
                bits.append(f"{label} {'rose' if r.change > 0 else 'fell'} {abs(r.change):{fmt}}")
        parts.append(f"{window} ({part['editions'].iloc[0]}): " + (", ".join(bits) or "no data"))
    before = after["before_years"].iloc[0]
    return (
        f"{region_name}, first cluster founded in {founded}; against the mean of {before}: "
        + "; ".join(parts)
        + ". The answer depends on the window chosen, the nominal shares move with the prices of what the "
        "region sells, and the windows cross the 2016 classification change: this describes the structure, "
        "it does not test what the clusters caused."
    )


def reading_evidence(ev: pd.DataFrame) -> str:
    """How many of the paper's conclusions hold on the evidence, in words (Markdown)."""
    c = ev["holds"].value_counts()
    partly = ev.loc[ev["holds"] == "partly", "conclusion_id"].tolist()
    no = ev.loc[ev["holds"] == "no", "conclusion_id"].tolist()
    return (
        f"Of {len(ev)} conclusions, {c.get('yes', 0)} hold on the evidence, {c.get('partly', 0)} hold in part"
        + (f" ({', '.join(partly)})" if partly else "")
        + f" and {c.get('no', 0)} do not"
        + (f" ({', '.join(no)})" if no else "")
        + "."
    )
