"""Step 5: rail freight in and out of the region (Ivanova 2018, Table 4).

Each cell of Table 4 gives a volume (thousand t), its share of the volume of all Russian regions
and the region's rank. Two things can be recomputed from them: how much more leaves the region
than arrives (out / in), and the national total each volume implies (volume / share). In domestic
traffic every tonne loaded in one region is unloaded in another, so the totals implied by inbound
and by outbound volumes of the same cargo should agree; how well they do checks the printed
shares, which are rounded to one decimal (a rounding bound is given).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from analysis import indicators as ind
from analysis.core import figures as F
from analysis.core import labels as L
from analysis.core import prose as P
from analysis.core import topn
from analysis.inputs.regions import partition_ids, ranked_as, resolve
from analysis.reproduction import checks, ledger

# Table 4's cargoes in the order the figure lists them (their names: cargo.* in analysis.core.labels).
CARGO = ("all_cargo", "coke", "ores", "coal", "ferrous_metals")


def out_over_in(w: pd.DataFrame) -> pd.DataFrame:
    """Outbound over inbound volume per cargo and year, :math:`R = V^{out} / V^{in}`, and the
    per-cent excess :math:`100 (R - 1)`. ``w``: :func:`analysis.inputs.region.freight`'s table."""
    p = w.pivot_table(index=["cargo", "year"], columns="direction", values="volume_kt")
    p = p.reindex(columns=["in", "out"])
    out = pd.DataFrame({"in_kt": p["in"], "out_kt": p["out"]})
    out["out_over_in"] = ind.outbound_inbound_ratio(out["out_kt"], out["in_kt"])
    out["excess_pct"] = (out["out_over_in"] - 1) * 100
    return out.reset_index()


IMPLIED_TOTALS_COLUMNS = [
    "cargo",
    "year",
    "implied_by_in_kt",
    "implied_by_out_kt",
    "gap_pct",
    "rounding_bound_pct",
    "consistent",
]


def implied_totals(w: pd.DataFrame) -> pd.DataFrame:
    """National totals implied by each volume and its share, :math:`T = V / (s / 100)`, by cargo,
    direction and year; the gap between the inbound and the outbound estimate, and the gap
    rounding of the shares (to the printed decimals) could explain."""
    w = w.dropna(subset=["volume_kt", "share_pct"])
    total = ind.implied_total(w["volume_kt"].to_numpy(float), w["share_pct"].to_numpy(float))
    half = 0.5 * 10.0 ** (-w["share_decimals"].astype(float).fillna(1).to_numpy())
    # rounding of the share by +-half a unit moves the implied total by about total * half / share
    df = w[["cargo", "direction", "year"]].assign(
        implied_total_kt=total, bound_kt=total * half / w["share_pct"].to_numpy(float)
    )
    p = df.pivot_table(index=["cargo", "year"], columns="direction", values=["implied_total_kt", "bound_kt"])
    if ("implied_total_kt", "in") not in p or ("implied_total_kt", "out") not in p:
        return pd.DataFrame(columns=IMPLIED_TOTALS_COLUMNS)
    out = pd.DataFrame(
        {
            "implied_by_in_kt": p[("implied_total_kt", "in")],
            "implied_by_out_kt": p[("implied_total_kt", "out")],
        }
    )
    out["gap_pct"] = 100 * (out["implied_by_out_kt"] / out["implied_by_in_kt"] - 1)
    out["rounding_bound_pct"] = 100 * (
        p[("bound_kt", "in")] / out["implied_by_in_kt"] + p[("bound_kt", "out")] / out["implied_by_out_kt"]
    )
    out["consistent"] = out["gap_pct"].abs() <= out["rounding_bound_pct"]
    return out.reset_index()[IMPLIED_TOTALS_COLUMNS]


# Cargo rows the freight figure draws, the rest folded into "other": each row holds two bars in
# every year's panel, and 15 rows keep the figure under 7 inches high (Kemerovo region has 5).
FREIGHT_TOP = 15


def draw_freight(
    w: pd.DataFrame,
    *,
    lang: str,
    region: str,
    source: str | None = None,
    names: Mapping[str, str] | None = None,
) -> Figure:
    """In and out volumes by cargo, one panel per year (thousand t, log scale); ``source`` is the
    note under the figure (default: the paper's Table 4); ``names``: a user's Russian cargo names.
    The legend sits under the panels, never over a bar. At most :data:`FREIGHT_TOP` cargos, the
    largest by their inbound plus outbound volume in their last year (:func:`topn.latest`); the
    rest summed into one "other (k more)" row, by year and direction (:func:`topn.fold`)."""
    w = w[["cargo", "direction", "year", "volume_kt"]]
    top = topn.fold(
        w, "cargo", "volume_kt", FREIGHT_TOP, criterion=topn.latest(w, "cargo", "volume_kt", "year")
    )
    w = top.frame
    drawn = set(w["cargo"]) - {top.other}
    cargos = (
        [c for c in CARGO if c in drawn] + sorted(drawn - set(CARGO)) + ([top.other] if top.other else [])
    )
    years = sorted(w["year"].unique())
    fig, axes = F.new(
        6.5, max(0.35 * len(cargos) + 1.2, F.MIN_HEIGHT), ncols=len(years), sharey=True, squeeze=False
    )
    y = np.arange(len(cargos))
    for ax, year in zip(axes[0], years):
        s = w[w["year"] == year].set_index(["cargo", "direction"])["volume_kt"]
        ax.barh(
            y - 0.2,
            [s.get((c, "in"), np.nan) for c in cargos],
            0.4,
            label=L.label("inbound", lang),
            color=F.PALETTE[5],
        )
        ax.barh(
            y + 0.2,
            [s.get((c, "out"), np.nan) for c in cargos],
            0.4,
            label=L.label("outbound", lang),
            color=F.PALETTE[3],
        )
        F.log_axis(ax, "x")
        ax.tick_params(axis="x", which="minor", labelsize=6)
        ax.set_title(str(year))
        ax.set_xlabel(L.label("thousand_t", lang))
    first = axes[0][0]
    first.set_yticks(
        y,
        [
            L.label("other_folded", lang, k=top.k) if c == top.other else L.name_of("cargo", c, lang, names)
            for c in cargos
        ],
    )
    first.invert_yaxis()
    # Under the middle panel, below its axis label, so it covers neither bars nor labels.
    F.legend_below(axes[0][len(years) // 2], ncols=2, handles_from=axes[0][-1])
    r = resolve(region)
    fig.suptitle(
        L.label("title.freight", lang, region=r.name_en if lang == "en" else r.name_ru),
        fontsize=10,
        y=1 + 0.25 / fig.get_figheight(),  # a quarter inch above the panels' titles, whatever the height
    )
    F.source_note(
        fig,
        source or (L.label("source_paper", lang) + " (CARGO-REPORT.INFO), " + L.label("table", lang, n=4)),
    )
    return fig


def reading(ratio: pd.DataFrame, implied: pd.DataFrame, region_name: str) -> str:
    """What the tables say, in words generated from them (Markdown)."""
    lines = []
    allc = ratio[ratio["cargo"] == "all_cargo"].dropna(subset=["excess_pct"])
    if not allc.empty:
        years = ", ".join(str(int(y)) for y in allc["year"])
        excess = ", ".join(f"{v:.0f}" for v in allc["excess_pct"])
        word = "exceeded" if (allc["excess_pct"] > 0).all() else "differed from"
        lines.append(f"In {region_name}, outbound rail freight {word} inbound by {excess} % in {years}.")
    known = ratio.dropna(subset=["out_over_in"])
    if not known.empty:
        per_cargo = known.groupby("cargo")["out_over_in"]
        out_more = sorted(c for c, r in per_cargo if (r > 1).all() and c != "all_cargo")
        in_more = sorted(c for c, r in per_cargo if (r < 1).all())
        if out_more:
            lines.append(f"More leaves than arrives in every year for: {', '.join(out_more)}.")
        if in_more:
            lines.append(f"More arrives than leaves in every year for: {', '.join(in_more)}.")
    if not implied.empty:
        n, ok = len(implied), int(implied["consistent"].sum())
        verdict = (
            "so the table is internally consistent"
            if ok == n
            else "so the table is not consistent everywhere"
        )
        lines.append(
            f"The national totals implied by the inbound and by the outbound rows agree within the rounding "
            f"of the printed shares for {ok} of {n} cargo-years, {verdict}."
        )
    return " ".join(lines) if lines else "No volumes to compare."


# ------------------------------------------------------------------------ rail dispatch (Rosstat)
def dispatch(rail: pd.DataFrame, population: pd.DataFrame, region: str) -> pd.DataFrame:
    """The region's rail dispatch per year against Russia's: volume (million t), share
    :math:`s = 100\\, D_r / D_{RF}`, rank among the regions of the partition
    (:func:`analysis.inputs.regions.partition`; 1 = most; a region that contains okrugs has the
    rank of its part without them: ``ranked_as`` names the unit ranked and ``ranked_mt`` gives its
    dispatch), and dispatch per inhabitant relative to Russia's,
    :math:`(D_r / D_{RF}) / (P_r / P_{RF})` (:func:`analysis.indicators.per_capita_coefficient`)."""
    ids = set(partition_ids())
    d = rail[rail["region_id"].isin(ids | {region, "russia"})].pivot_table(
        index="year", columns="region_id", values="value"
    )
    unit = ranked_as(region)
    cols = [
        "region_id",
        "year",
        "dispatch_mt",
        "russia_mt",
        "share_pct",
        "ranked_as",
        "ranked_mt",
        "rank",
        "n_regions",
        "per_capita_vs_russia",
    ]
    if region not in d.columns or "russia" not in d.columns:
        return pd.DataFrame(columns=cols)
    regions_only = d[[c for c in d.columns if c in ids]]
    ranks = regions_only.rank(axis=1, ascending=False, method="min")
    pop = population[population["region_id"].isin([region, "russia"])].pivot_table(
        index="year", columns="region_id", values="value"
    )
    pop = pop.reindex(d.index)
    out = pd.DataFrame(
        {
            "region_id": region,
            "year": d.index,
            "dispatch_mt": d[region].to_numpy(),
            "russia_mt": d["russia"].to_numpy(),
            "share_pct": (100 * d[region] / d["russia"]).to_numpy(),
            "ranked_as": unit,
            "ranked_mt": d.get(unit, pd.Series(np.nan, index=d.index)).to_numpy(),
            "rank": ranks.get(unit, pd.Series(np.nan, index=d.index)).astype("Int64").to_numpy(),
            "n_regions": regions_only.notna().sum(axis=1).to_numpy(),
            "per_capita_vs_russia": np.asarray(
                ind.per_capita_coefficient(
                    d[region].to_numpy(float),
                    d["russia"].to_numpy(float),
                    pop.get(region, pd.Series(np.nan, index=d.index)).to_numpy(float),
                    pop.get("russia", pd.Series(np.nan, index=d.index)).to_numpy(float),
                ),
                dtype=float,
            ),
        }
    )
    return out[cols].reset_index(drop=True)


def draw_dispatch(d: pd.DataFrame, *, lang: str, region_name: str, source: str) -> Figure:
    """The region's share of Russia's rail dispatch (bars) and its dispatch per inhabitant
    relative to Russia's (line, right axis)."""
    fig, ax = F.new(6.5, 3.4)
    ax.bar(d["year"], d["share_pct"], color=F.PALETTE[5], width=0.7, label=L.label("dispatch_share", lang))
    ax.set_ylabel(L.label("dispatch_share", lang))
    ax.set_xlabel(L.label("year", lang))
    F.year_axis(ax.xaxis)
    ax2 = ax.twinx()
    ax2.plot(
        d["year"],
        d["per_capita_vs_russia"],
        "o-",
        color="black",
        ms=3,
        label=L.label("dispatch_per_capita", lang),
    )
    ax2.grid(False)
    ax2.spines["right"].set_visible(True)
    ax2.set_ylabel(L.label("dispatch_per_capita", lang))
    h1, l1 = ax.get_legend_handles_labels()
    h2, l2 = ax2.get_legend_handles_labels()
    ax.legend(h1 + h2, l1 + l2, loc="upper center", bbox_to_anchor=(0.5, -0.15), ncols=2, frameon=False)
    ax.set_title(L.label("title.dispatch", lang, region=region_name))
    F.source_note(fig, source)
    return fig


def reading_dispatch(d: pd.DataFrame, region_name: str) -> str:
    """What the dispatch table (:func:`dispatch`) says, in words generated from it (Markdown). A
    region ranked by its part without okrugs is said to be, with that part's own dispatch."""
    k = d.dropna(subset=["dispatch_mt"])
    if k.empty:
        return f"No rail dispatch for {region_name}."
    first, last = k.iloc[0], k.iloc[-1]
    year = int(last["year"])
    if pd.isna(last["rank"]):
        rank = "not ranked among the regions that year"
    else:
        rank = f"rank {int(last['rank'])} of {int(last['n_regions'])}"
        unit = str(last["ranked_as"])
        if unit != str(last["region_id"]):
            rank = (
                f"ranked by its part without okrugs, {resolve(unit).name_en}, which dispatched "
                f"{P.num(last['ranked_mt'], 1)} million t: {rank}"
            )
    return (
        f"In {year} {region_name} dispatched {P.num(last['dispatch_mt'], 1)} million t by rail, "
        f"{P.num(last['share_pct'], 1)} % of Russia's ({rank}; {P.num(first['share_pct'], 1)} % in "
        f"{int(first['year'])}), {P.num(last['per_capita_vs_russia'], 1)} times Russia's per inhabitant. "
        "Dispatch counts every tonne loaded on the railway in the region, exports included, so it is not an "
        "inter-regional outflow."
    )


def dispatch_identity() -> pd.DataFrame:
    """The paper's region: Rosstat's rail dispatch :math:`D` against Table 4's outflow :math:`V^{out}`
    plus Table 3's coal exports :math:`X`, the residual :math:`D - V^{out} - X` (every other
    export), and coal's marketability net of inbound coal, an upper bound on what leaves of the
    region's own coal: :math:`(S - V^{in}_{coal}) / P` with :math:`S` Table 3's shipments out,
    :math:`V^{in}_{coal}` Table 4's coal arriving by rail and :math:`P` Table 3's production, beside
    the printed :math:`S / P` (:func:`analysis.reproduction.checks.rail_identity`)."""
    rows = []
    for c in checks.rail_identity():
        year = int(c.check_id.rsplit("_", 1)[1])
        s_out = ledger.t3("coal_out_total", year)().value
        prod = ledger.t3("coal_production", year)().value
        coal_in = ledger.t4("coal", "in", "rail_volume", year)().value
        rows.append(
            {
                "year": year,
                "dispatch_mt": c.reference,
                "coal_exports_mt": ledger.t3("coal_out_export", year)().value / 1000,
                "outflow_plus_coal_exports_mt": c.value,
                "other_exports_mt": c.reference - c.value,
                "coal_in_mt": coal_in / 1000,
                "marketability_printed": ledger.t3("marketability", year)().value,
                "marketability_net_of_inbound": (s_out - coal_in) / prod,
            }
        )
    return pd.DataFrame(rows)


def reading_identity(t: pd.DataFrame) -> str:
    """What :func:`dispatch_identity` shows, in words generated from it (Markdown)."""
    if t.empty:
        return "No year with Rosstat's dispatch, Table 4's outflow and Table 3's exports together."
    yrs = ", ".join(str(y) for y in t["year"])
    f = lambda col, fmt: " / ".join(f"{v:{fmt}}" for v in t[col])  # noqa: E731
    return (
        f"{yrs}: Rosstat's dispatch {f('dispatch_mt', '.1f')} Mt is Table 4's outflow plus Table 3's coal exports "
        f"({f('outflow_plus_coal_exports_mt', '.1f')} Mt) and {f('other_exports_mt', '.1f')} Mt more: "
        + (
            "the gap between dispatch and Table 4's outflow is mostly coal exports, not shipments within the region. "
            if (t["coal_exports_mt"] > t["other_exports_mt"]).all()
            else "coal exports are not the larger part of the gap in every year. "
        )
        + "Coal also arrives "
        f"by rail ({f('coal_in_mt', '.1f')} Mt, Table 4); if those tonnes are among the shipments out, what leaves of "
        f"the region's own coal is at most {f('marketability_net_of_inbound', '.2f')} of production, against the "
        f"printed marketability {f('marketability_printed', '.2f')} (Table 3)."
    )
