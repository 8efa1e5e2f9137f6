"""Step 7: production indices (Ivanova 2018, Table 7) and the paper's conclusions set against the
evidence this compendium computes.

Table 7 gives yearly production indices (% of the previous year) for Russia and Kemerovo region,
2010-2016. Chaining them (indicators.chain_index) gives the cumulative change since 2009, which
answers the text's claim that industry and mining grew faster in Kuzbass than in Russia over the
period; the yearly comparison shows in which years they did not.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import indicators as ind
from analysis.core import figures as F
from analysis.inputs import paper, userdata
from analysis.steps import cluster_profiling, coefficients, freight, gva_hhi, localization

ITEMS = {
    "industry": ("Industrial production", "Промышленное производство"),
    "mining": ("Mining", "Добыча полезных ископаемых"),
    "manufacturing": ("Manufacturing", "Обрабатывающие производства"),
    "utilities": ("Electricity, gas, water", "Электроэнергия, газ, вода"),
}


def indices_wide() -> pd.DataFrame:
    """Table 7: rows (region, item), columns years."""
    t = paper.table(7)
    return t.pivot_table(index=["region", "item"], columns="year", values="value")


def cumulative() -> pd.DataFrame:
    """Chained indices, 2009 = 100, for each region and item (tidy)."""
    w = indices_wide()
    c = ind.chain_index(w)
    c = pd.DataFrame(np.asarray(c, dtype=float), index=w.index, columns=w.columns)
    c.insert(0, min(w.columns) - 1, 100.0)
    return c


def faster_than_russia() -> pd.DataFrame:
    """For each item: years in which Kemerovo's index exceeded Russia's, and the cumulative
    2009-2016 growth of both."""
    w, c = indices_wide(), cumulative()
    last = c.columns.max()
    rows = []
    for item in ITEMS:
        k, r = w.loc[("kemerovo", item)], w.loc[("russia", item)]
        rows.append(
            {
                "item": item,
                "years_kemerovo_faster": ", ".join(str(y) for y in w.columns if k[y] > r[y]),
                "n_years_faster": int((k > r).sum()),
                "n_years": len(w.columns),
                "cum_kemerovo": c.loc[("kemerovo", item), last],
                "cum_russia": c.loc[("russia", item), last],
                "faster_over_period": bool(c.loc[("kemerovo", item), last] > c.loc[("russia", item), last]),
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

    link = cluster_profiling.specialisation_link(threshold)
    n_linked = int((link["paper_says_linked"] == "yes").sum())
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

    ch = coefficients.coefficient_changes()
    add(
        "coal_coefficient_up",
        "The per-capita production coefficient of coal grew 2011-2016",
        "Results, Table 2",
        f"coal {ch.at['coal', 'coef_2011']:g} -> {ch.at['coal', 'coef_2016']:g} ({ch.at['coal', 'change_pct']:+.1f} %)",
        "yes" if ch.at["coal", "change_pct"] > 0 else "no",
    )

    m = coefficients.marketability_table()["marketability_recomputed"]
    add(
        "marketability_high",
        "Coal marketability stayed near 1: most coal produced leaves the region",
        "Results, Table 3",
        "recomputed " + ", ".join(f"{y}: {v:.3f}" for y, v in m.items()),
        "yes" if (m > 0.9).all() else "partly",
    )

    o = freight.out_over_in().query("cargo == 'all_cargo'").set_index("year")["excess_pct"]
    add(
        "out_exceeds_in",
        "Far more freight leaves the region by rail than arrives",
        "Results, Table 4",
        "outbound above inbound by " + ", ".join(f"{y}: {v:.1f} %" for y, v in o.items()),
        "yes" if (o > 0).all() else "no",
    )

    lq = localization.turnover_wide()
    add(
        "mining_lq_up",
        "The specialisation in mining persists and grows (LQ on turnover)",
        "Results, Table 5",
        f"mining LQ {lq.loc['mining', lq.columns.min()]:g} ({lq.columns.min()}) -> "
        f"{lq.loc['mining', lq.columns.max()]:g} ({lq.columns.max()})",
        "yes" if lq.loc["mining"].is_monotonic_increasing else "partly",
    )

    f = faster_than_russia().set_index("item")
    for item in ("industry", "mining"):
        r = f.loc[item]
        holds = (
            "yes"
            if r["faster_over_period"] and r["n_years_faster"] == r["n_years"]
            else ("partly" if r["faster_over_period"] else "no")
        )
        add(
            f"{item}_faster",
            f"{ITEMS[item][0]} grew faster in Kemerovo region than in Russia",
            "Results, Table 7",
            f"cumulative 2009-2016: {r['cum_kemerovo']:.1f} vs {r['cum_russia']:.1f}; faster in "
            f"{r['n_years_faster']} of {r['n_years']} years ({r['years_kemerovo_faster']})",
            holds,
        )

    w7 = indices_wide()
    last = w7.columns.max()
    dec = [i for i in ("manufacturing", "utilities") if w7.loc[("kemerovo", i), last] < 100]
    add(
        "manuf_utilities_fell_2016",
        f"In {last} manufacturing and utilities output fell in Kemerovo region",
        "Results, Table 7",
        ", ".join(f"{i}: {w7.loc[('kemerovo', i), last]:g}" for i in ("manufacturing", "utilities")),
        "yes" if len(dec) == 2 else "partly" if dec else "no",
    )
    return pd.DataFrame(rows)


def draw_cumulative(lang: str):
    """Cumulative production indices, 2009 = 100, Kemerovo region (solid) vs Russia (dashed)."""
    c = cumulative()
    fig, ax = F.new(6.5, 3.6)
    for i, item in enumerate(ITEMS):
        for region, ls in (("kemerovo", "-"), ("russia", "--")):
            s = c.loc[(region, item)]
            ax.plot(
                s.index,
                s.to_numpy(float),
                ls,
                color=F.PALETTE[i],
                marker="o" if region == "kemerovo" else None,
                ms=3,
                label=f"{ITEMS[item][F.LANGS.index(lang)]}, {F.t(region, lang)}",
            )
    ax.axhline(100, color="#888888", lw=0.8)
    ax.set_xlabel(F.t("year", lang))
    ax.set_ylabel(F.t("index_cum", lang))
    ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False, fontsize=7)
    ax.set_title(
        {"en": "Production indices chained (Table 7)", "ru": "Цепные индексы производства (табл. 7)"}[lang]
    )
    F.source_note(fig, F.t("source_paper", lang))
    return fig


def draw_ledger(ledger: pd.DataFrame, lang: str):
    """Published vs recomputed values of the ledger (log-log), coloured by status."""
    d = ledger.dropna(subset=["recomputed"])
    d = d[(d["published"].abs() > 0) & (d["recomputed"].abs() > 0)]
    fig, ax = F.new(5.0, 4.2)
    colours = {"reproduced": F.PALETTE[2], "within_rounding": F.PALETTE[0], "discrepancy": F.PALETTE[3]}
    names = {
        "reproduced": ("reproduced", "воспроизведено"),
        "within_rounding": ("within rounding", "в пределах округления"),
        "discrepancy": ("discrepancy", "расхождение"),
    }
    for status, colour in colours.items():
        s = d[d["status"] == status]
        ax.scatter(
            s["published"].abs(),
            s["recomputed"].abs(),
            s=14,
            color=colour,
            label=f"{names[status][F.LANGS.index(lang)]} ({len(s)})",
            zorder=3,
        )
    lim = [
        d[["published", "recomputed"]].abs().min().min() / 2,
        d[["published", "recomputed"]].abs().max().max() * 2,
    ]
    ax.plot(lim, lim, color="#888888", lw=0.8)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel({"en": "published (absolute value)", "ru": "опубликовано (по модулю)"}[lang])
    ax.set_ylabel({"en": "recomputed (absolute value)", "ru": "пересчитано (по модулю)"}[lang])
    ax.legend(loc="upper left", fontsize=7)
    ax.set_title({"en": "Reproduction ledger: published vs recomputed", "ru": "Реестр воспроизведения"}[lang])
    F.source_note(fig, F.t("source_paper", lang))
    return fig


def paper_vs_rosstat_indices(production_index: pd.DataFrame) -> pd.DataFrame:
    """Table 7's mining indices beside Rosstat's monthly bulletin (December, January-December
    in % of the previous year), Kemerovo region and Russia, for the years both cover."""
    w = indices_wide()
    rows = []
    for region in ("kemerovo", "russia"):
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
    out = pd.DataFrame(rows)
    out["difference"] = out["rosstat_bulletin"] - out["paper"]
    return out


def after_the_clusters(gva: pd.DataFrame, region: str, founded: int = 2012) -> pd.DataFrame:
    """The paper's question asked again with Rosstat's data to the last year available: did the
    concentration (HHI) and the mining specialisation (share, LQ against Russia) change after the
    first cluster was founded (``founded``, 2012 for the coal-processing cluster)?

    Compares the mean of the years before ``founded`` with the mean of the last three years, each
    within one classification edition where possible; the edition of each period is shown.
    """

    h = gva_hhi.rosstat_hhi(gva, region).set_index("year")
    broad = gva_hhi.broad_activities(gva, [region])
    mining = broad[broad["activity"] == "mining"].set_index("year")["value"]
    lq = localization.rosstat_lq(gva, region)
    mining_letters = {ed: letters[0] for ed, letters in gva_hhi.BROAD["mining"].items()}
    lq = lq[lq.apply(lambda r: r["activity"] == mining_letters[r["okved"]], axis=1)].set_index("year")["lq"]
    before = [y for y in h.index if y < founded]
    after = sorted(h.index)[-3:]
    rows = []
    for name, s in (("hhi", h["hhi"]), ("mining_share_pct", mining), ("mining_lq", lq)):
        b, a = s.reindex(before).mean(), s.reindex(after).mean()
        rows.append(
            {
                "indicator": name,
                "before": b,
                "before_years": f"{min(before)}-{max(before)}",
                "after": a,
                "after_years": f"{min(after)}-{max(after)}",
                "change": a - b,
                "editions": f"{h.loc[min(before), 'okved']} / {h.loc[max(after), 'okved']}",
            }
        )
    return pd.DataFrame(rows)


def first_cluster_year(region: str) -> int:
    """Founding year of the region's first cluster: from the paper for Kemerovo region
    (text claims ``*_founded``), else from the user's cluster data; 0 when unknown."""

    if paper.covers(region):
        facts = cluster_profiling.cluster_facts()
        years = facts.loc[facts["quantity"] == "founded", "value"]
        return int(years.min())
    facts = userdata.load(region, "cluster_facts")
    if facts is None:
        return 0
    years = facts.loc[facts["quantity"] == "founded", "value"]
    return int(years.min()) if len(years) else 0
