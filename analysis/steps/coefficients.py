"""Step 4: per-capita production coefficients and regional marketability (Ivanova 2018, Tables 2
and 3). Notebook ``04_coefficients``.

A per-capita production coefficient is the region's share of national output of a product over
its share of national population, K = (x_r / x_RF) / (P_r / P_RF): above 1 the region makes more
of the product per inhabitant than the country. Marketability is shipments out of the region
(to other regions and abroad) over production, M = (S_dom + S_exp) / Q. The tables come from
:mod:`analysis.inputs.region` (the paper's for Kemerovo region, a user's elsewhere); Rosstat's
shipments by activity and population give the coefficient by activity for any region.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from analysis import indicators as ind
from analysis.core import figures as F
from analysis.core import labels as L
from analysis.core import prose as P
from analysis.core import tidy, topn
from analysis.inputs.rosstat import GVA_ACTIVITIES


def by_year(coefficients: pd.DataFrame) -> pd.DataFrame:
    """Products x years of a long ``product, year, coefficient`` table, products in the order given."""
    return tidy.wide(coefficients, "product", "year", "coefficient")


def changes(wide: pd.DataFrame) -> pd.DataFrame:
    """Change of every product's coefficient from the first to the last year: in per cent,
    :math:`100 (K_{last} / K_{first} - 1)`, and as a ratio (texts cite either form), plus whether
    the product stays above 1 in every year."""
    first, last = wide.columns.min(), wide.columns.max()
    return pd.DataFrame(
        {
            f"coef_{first}": wide[first],
            f"coef_{last}": wide[last],
            "change_pct": ind.growth_rate(wide),
            "ratio_last_to_first": wide[last] / wide[first],
            "above_1_every_year": (wide > 1).all(axis=1),
        }
    )


def marketability(shipments: pd.DataFrame) -> pd.DataFrame:
    """Shipments out and marketability by product and year:
    :math:`S = S_{dom} + S_{exp}`, :math:`M = S / Q` (:func:`analysis.indicators.marketability`),
    and the export share of what leaves, :math:`100\\, S_{exp} / S`. NaN where production is not given."""
    m = shipments.copy()
    m["out_total"] = m[["out_domestic", "out_export"]].sum(axis=1, min_count=1)
    m["marketability"] = ind.marketability(m["out_total"].to_numpy(float), m["production"].to_numpy(float))
    m["export_share_of_out_pct"] = 100 * m["out_export"] / m["out_total"]
    return m.reset_index(drop=True)


def rosstat_coefficients(shipments: pd.DataFrame, population: pd.DataFrame, region: str) -> pd.DataFrame:
    """Per-capita coefficients of ``region`` by activity from Rosstat: shipped goods of own
    production (mln rub; OKVED-2007 sections C, D, E to 2016, OKVED2 sections B, C, D, E from
    2017) and mean annual population, both against Russia:
    :math:`K = (x_r / x_{RF}) / (P_r / P_{RF})`. ``okved`` keeps the edition with its letters
    (C is mining in one and manufacturing in the other). Years where an input is missing are
    dropped."""
    s = shipments[shipments["region_id"].isin([region, "russia"])]
    s = s.pivot_table(index=["year", "okved", "activity"], columns="region_id", values="value")
    p = population[population["region_id"].isin([region, "russia"])]
    p = p.pivot_table(index="year", columns="region_id", values="value")
    if (
        region not in s.columns
        or region not in p.columns
        or "russia" not in s.columns
        or "russia" not in p.columns
    ):
        return pd.DataFrame(columns=["year", "okved", "activity", "coefficient"])
    s = s.reset_index().merge(p.add_prefix("pop_").reset_index(), on="year", how="inner")
    s["coefficient"] = ind.per_capita_coefficient(s[region], s["russia"], s[f"pop_{region}"], s["pop_russia"])
    s = s.dropna(subset=["coefficient"])
    cols = ["year", "okved", "activity", "coefficient"]
    return (
        s[cols]
        .sort_values(["okved", "activity", "year"], ascending=[False, True, True])
        .reset_index(drop=True)
    )


def late_start(shipments: pd.DataFrame, region: str) -> dict[str, float] | None:
    """A region that enters Rosstat's shipments later than Russia's series starts (Crimea and
    Sevastopol from 2014): ``{year, first_year_russia, ratio}`` with ``ratio`` the region's total
    over the OKVED-2007 sections in its first year against the next year's; None otherwise. A first
    year well below the next may cover part of the year only."""
    s = shipments[(shipments["okved"] == "OKVED2007") & shipments["value"].notna()]
    own = s[s["region_id"] == region].groupby("year")["value"].sum()
    russia = s[s["region_id"] == "russia"]["year"]
    if own.empty or russia.empty or own.index.min() <= russia.min():
        return None
    y = int(own.index.min())
    ratio = float(own[y] / own[y + 1]) if y + 1 in own.index and own[y + 1] > 0 else float("nan")
    return {"year": y, "first_year_russia": int(russia.min()), "ratio": ratio}


def reading_rosstat_coefficients(
    rc: pd.DataFrame, shipments: pd.DataFrame, region: str, region_name: str
) -> str:
    """The years :func:`rosstat_coefficients` covers, and a flag on a late first year
    (:func:`late_start`), in words generated from them (Markdown)."""
    if rc.empty:
        return f"No per-capita coefficient from Rosstat's shipments for {region_name}."
    text = (
        f"Coefficients from Rosstat's shipments for {region_name} cover {P.years_span(rc['year'].tolist())}."
    )
    late = late_start(shipments, region)
    if late is not None:
        y = late["year"]
        text += (
            f" {region_name} first appears in Rosstat's shipments in {y}, while Russia's series starts in "
            f"{late['first_year_russia']}"
            + (
                f"; its {y} shipments are {P.num(late['ratio'], 2)} of {y + 1}'s, so {y} may cover part of the year "
                f"only, and its {y} coefficients are not comparable with later years'."
                if np.isfinite(late["ratio"]) and late["ratio"] < 1
                else "."
            )
        )
    return text


def draw_rosstat_coefficients(rc: pd.DataFrame, *, lang: str, region_name: str) -> Figure:
    """Coefficients by activity over time (``rc``: :func:`rosstat_coefficients`), one line per
    OKVED section and edition, the classification break marked, log scale."""
    fig, ax = F.new(6.5, 3.6)
    for i, ((okved, act), part) in enumerate(rc.groupby(["okved", "activity"], sort=False)):
        name = (
            GVA_ACTIVITIES[okved].get(act, (act, act))[1 if lang == "en" else 0].split(";")[0].split(",")[0]
        )
        ax.plot(
            part["year"],
            part["coefficient"],
            "o-" if okved == "OKVED2" else "s--",
            ms=3,
            color=F.PALETTE[i % len(F.PALETTE)],
            label=f"{L.label('edition.' + okved, lang)} {act}: {name}",
        )
    F.log_axis(ax, "y")
    ax.tick_params(axis="y", which="minor", labelsize=6)
    F.year_axis(ax.xaxis)
    ax.axhline(1, color="#888888", lw=0.8)
    F.mark_break(ax, lang, 2016.5, text=False)  # shipments: OKVED2 from 2017
    ax.set_xlabel(L.label("year", lang))
    ax.set_ylabel(L.label("log_scale", lang, axis=L.label("coefficient_short", lang)))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncols=2, fontsize=7, frameon=False)
    ax.set_title(L.label("title.coefficients_rosstat", lang, region=region_name))
    F.source_note(fig, L.label("source_rosstat", lang))
    return fig


# ------------------------------------------------------------------------------------ figures
# Product lines the coefficients figure draws: beyond 12, lines of eight colours and ten markers
# can no longer be told apart, and the legend beside the axes outgrows them (Kemerovo region: 10).
COEFFICIENTS_TOP = 12


def draw_coefficients(
    w: pd.DataFrame,
    *,
    lang: str,
    region_name: str,
    source: str,
    names: Mapping[str, str] | None = None,
    table: str = "per_capita_coefficients.csv",
) -> Figure:
    """Coefficients by product over time (``w``: :func:`by_year`), log scale (Kemerovo region's
    span 0.07 to 32); ``names``: a user's Russian product names. At most
    :data:`COEFFICIENTS_TOP` products, those with the largest coefficient in their last year
    with one; coefficients do not add up, so the rest are left out with a note naming ``table``."""
    last = w.ffill(axis=1).iloc[:, -1]  # each product's value in its last year with one
    kept, rest = topn.largest(last, COEFFICIENTS_TOP)
    w = w[w.index.astype(str).isin(kept)]
    fig, ax = F.new(6.5, 3.8)
    markers = "os^vDPX*<>"
    for i, (item, row) in enumerate(w.iterrows()):
        ax.plot(
            row.index,
            row.to_numpy(float),
            marker=markers[i % len(markers)],
            ms=3.5,
            label=L.name_of("product", item, lang, names),
            color=F.PALETTE[i % len(F.PALETTE)],
            ls="-" if i < len(F.PALETTE) else "--",
        )
    F.log_axis(ax, "y")
    ax.tick_params(axis="y", which="minor", labelsize=6)
    F.year_axis(ax.xaxis)
    ax.axhline(1, color="#888888", lw=0.8)
    ax.set_xlabel(L.label("year", lang))
    ax.set_ylabel(L.label("log_scale", lang, axis=L.label("coefficient", lang)))
    ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False)
    ax.set_title(L.label("title.coefficients", lang, region=region_name))
    F.source_note(fig, topn.note(len(rest), table, lang) + source)
    return fig


# Products that get a marketability figure each: twelve figures are already a long section, and
# a user's folder may bring 100 products (Kemerovo region: 1, coal).
MARKETABILITY_FIGURES = 12


def marketability_drawn(m: pd.DataFrame, table: str = "marketability.csv") -> tuple[list[str], str]:
    """The products of ``m`` (:func:`marketability`) that get a figure, in ``m``'s order: at most
    :data:`MARKETABILITY_FIGURES`, those with the highest marketability in their last year with
    one (:func:`topn.latest`; shares of output are comparable across units, volumes are not), and
    the sentence (Markdown) saying how many more ``table`` holds, empty when none is left out."""
    kept, rest = topn.largest(topn.latest(m, "product", "marketability", "year"), MARKETABILITY_FIGURES)
    drawn = [str(p) for p in pd.unique(m["product"]) if str(p) in kept]
    more = f"{len(rest)} more products not drawn; all in the table `{table}`." if rest else ""
    return drawn, more


def draw_marketability(
    m: pd.DataFrame, *, lang: str, region_name: str, source: str, names: Mapping[str, str] | None = None
) -> Figure:
    """Production and shipments out of one product (bars), marketability (line, right axis);
    ``m``: :func:`marketability` for one product. Thousand units are shown in millions;
    ``names``: a user's Russian product names."""
    fig, ax = F.new(6.5, 3.4)
    x = np.arange(len(m))
    product, unit = str(m["product"].iloc[0]), str(m["unit"].iloc[0])
    thousands = unit.split()[:1] in (["thousand"], ["тыс."])  # shown in millions
    scale, shown_unit = (1000 if thousands else 1), L.unit(unit, lang, thousandfold=thousands)
    ax.bar(x - 0.2, m["production"] / scale, 0.4, label=L.label("production", lang))
    ax.bar(
        x + 0.2,
        m["out_domestic"] / scale,
        0.4,
        label=L.label("out_domestic", lang),
    )
    ax.bar(
        x + 0.2,
        m["out_export"] / scale,
        0.4,
        bottom=m["out_domestic"] / scale,
        label=L.label("out_export", lang),
    )
    ax.set_xticks(x, m["year"].astype(int).astype(str))
    name = L.name_of("product", product, lang, names)
    ax.set_ylabel(f"{name}, {shown_unit}")
    ax2 = ax.twinx()
    # "crude oil" inside an English phrase, but "LNG" as written
    shown_name = name[:1].lower() + name[1:] if lang == "en" and not name[:2].isupper() else name
    ax2.plot(
        x, m["marketability"], "o-", color="black", label=L.label("marketability", lang, product=shown_name)
    )
    ax2.set_ylim(min(0.8, float(np.nanmin(m["marketability"])) - 0.05), 1.05)
    ax2.grid(False)
    ax2.spines["right"].set_visible(True)
    ax2.set_ylabel(L.label("marketability", lang, product=shown_name))
    h1, l1 = ax.get_legend_handles_labels()
    h2, l2 = ax2.get_legend_handles_labels()
    ax.legend(h1 + h2, l1 + l2, loc="lower left", fontsize=7)
    ax.set_title(L.label("title.marketability", lang, product=name, region=region_name))
    F.source_note(fig, source)
    return fig


def reading(ch: pd.DataFrame | None, market: pd.DataFrame | None, region_name: str) -> str:
    """What the tables say, in words generated from them (Markdown): the highest coefficient of
    the last year, the products whose coefficient rose or fell between the first and the last year,
    and per product its marketability and what the export share of what leaves did
    (:func:`analysis.core.prose.series`: "rose every year" only for a strictly rising series)."""
    lines = []
    if ch is not None and not ch.empty:
        first, last = (c.removeprefix("coef_") for c in ch.columns[:2])
        known = ch[f"coef_{last}"].dropna()
        if len(known):
            top = known.idxmax()
            change = ch.at[top, "change_pct"]
            lines.append(
                f"In {region_name} the highest coefficient in {last} is {top}'s, {P.num(known[top], 2)}"
                + (f" ({P.num(change, 1, sign=True)} % since {first})" if pd.notna(change) else "")
                + "."
            )
        up = ch.index[ch["change_pct"] > 0].tolist()
        down = ch.index[ch["change_pct"] < 0].tolist()
        lines.append(f"Rose {first}-{last}: {', '.join(up) or 'none'}; fell: {', '.join(down) or 'none'}.")
        above = ch.index[ch["above_1_every_year"]].tolist()
        lines.append(f"Above 1 in every year: {', '.join(above) or 'none'}.")
    if market is not None and not market.empty:
        for product, part in market.dropna(subset=["marketability"]).groupby("product", sort=False):
            shown = P.nums(part["marketability"].tolist(), 3)
            vals = ", ".join(f"{v} ({int(y)})" for y, v in zip(part["year"], shown))
            exp = part.dropna(subset=["export_share_of_out_pct"])
            trend = (
                "the export share of what leaves the region "
                + P.series(exp["year"].tolist(), exp["export_share_of_out_pct"].tolist(), 1, "%")
                if len(exp)
                else "the export share of what leaves the region is not known"
            )
            lines.append(f"Marketability of {product}: {vals}; {trend}.")
    return " ".join(lines) if lines else "No coefficients or shipments for this region."


# ------------------------------------------------------------------ cross-table plausibility
def population_share(population: pd.DataFrame, region: str) -> pd.Series:
    """The region's share of Russia's population by year, :math:`P_r / P_{RF}` (Rosstat's annual
    averages, tidy ``region_id, year, value``; Russia's includes Crimea and Sevastopol from 2014,
    as EMISS counts them)."""
    p = population[population["activity"] == "total"] if "activity" in population else population
    w = p[p["region_id"].isin([region, "russia"])].pivot_table(
        index="year", columns="region_id", values="value"
    )
    return (w[region] / w["russia"]).dropna().rename("population_share")


def implied_national_output(wide: pd.DataFrame, market: pd.DataFrame, pop_share: pd.Series) -> pd.DataFrame:
    """Russia's output implied by the coefficient (Table 2) and the region's production (Table 3):
    from :math:`K = (x_r / x_{RF}) / (P_r / P_{RF})`,

    .. math:: x_{RF} = \\frac{x_r}{K \\, P_r / P_{RF}},

    for every product and year both give (``wide``: :func:`by_year`; ``market``: :func:`marketability`,
    production in its ``unit``; ``pop_share``: :func:`population_share`). Columns ``product, year,
    unit, coefficient, production_region, population_share_pct, output_share_pct`` (:math:`100 K P_r/P_{RF}`)
    and ``implied_national_output`` (same unit as the production)."""
    rows = []
    for r in market.dropna(subset=["production"]).itertuples(index=False):
        year = int(r.year)
        if r.product not in wide.index or year not in wide.columns or year not in pop_share.index:
            continue
        k = float(wide.at[r.product, year])
        s = float(pop_share[year])
        rows.append(
            {
                "product": r.product,
                "year": year,
                "unit": r.unit,
                "coefficient": k,
                "production_region": float(r.production),
                "population_share_pct": 100 * s,
                "output_share_pct": 100 * k * s,
                "implied_national_output": float(r.production) / (k * s),
            }
        )
    cols = ["product", "year", "unit", "coefficient", "production_region", "population_share_pct"]
    return pd.DataFrame(rows, columns=[*cols, "output_share_pct", "implied_national_output"])


@dataclass(frozen=True)
class Entrants:
    """What :func:`population_entrants` finds: the entering regions and the population term with
    and without them (percent)."""

    regions: tuple[str, ...]
    from_population_pct: float
    without_entrants_pct: float

    @property
    def entrants_pct(self) -> float:
        """Points of the population term that the entering regions give."""
        return self.from_population_pct - self.without_entrants_pct


def population_entrants(
    population: pd.DataFrame, region: str, first: int, last: int, units: Collection[str]
) -> Entrants | None:
    """How much of the population term of a coefficient's change (:func:`decompose_changes`,
    ``from_population_pct`` :math:`100(s_{P,first}/s_{P,last}-1)`) comes from regions that enter
    Russia's population total between ``first`` and ``last`` (those with no population in ``first``
    and one in ``last``: Crimea and Sevastopol from 2014). With :math:`E` their population in
    ``last``, the same term on Russia net of them is
    :math:`100\\,\\frac{P_{r,first}/P_{RF,first}}{P_{r,last}/(P_{RF,last}-E_{last})} - 100`.
    ``None`` when no region enters, or a population is missing (``population``: Rosstat's tidy
    annual averages, ``region_id, year, value``; ``units``: the regions that partition the country,
    :func:`analysis.inputs.regions.top_level_regions`, so that a part published late is no entrant)."""
    p = population[population["activity"] == "total"] if "activity" in population else population
    w = p.pivot_table(index="year", columns="region_id", values="value")
    if first not in w.index or last not in w.index or "russia" not in w or region not in w:
        return None
    entrants = sorted(
        c
        for c in set(units) & set(w.columns) - {region}
        if pd.isna(w.at[first, c]) and pd.notna(w.at[last, c])
    )
    values = [w.at[y, c] for y in (first, last) for c in (region, "russia")]
    if not entrants or any(pd.isna(v) for v in values):
        return None
    e = float(w.loc[last, entrants].sum())
    sp0 = float(w.at[first, region] / w.at[first, "russia"])
    total = 100 * (sp0 / float(w.at[last, region] / w.at[last, "russia"]) - 1)
    net = 100 * (sp0 / float(w.at[last, region] / (w.at[last, "russia"] - e)) - 1)
    return Entrants(tuple(entrants), total, net)


def decompose_changes(wide: pd.DataFrame, pop_share: pd.Series) -> pd.DataFrame:
    """Each coefficient's change from the first to the last year split into the region's share
    of national output and its share of population. With :math:`s_x = K\\, s_P`,

    .. math:: \\frac{K_1}{K_0} = \\frac{s_{x,1}/s_{x,0}}{s_{P,1}/s_{P,0}}, \\qquad
              \\ln\\frac{K_1}{K_0} = \\ln\\frac{s_{x,1}}{s_{x,0}} - \\ln\\frac{s_{P,1}}{s_{P,0}}.

    Columns: ``change_pct`` :math:`100(K_1/K_0-1)`; ``from_population_pct`` the change the fall
    or rise of the population share alone gives, :math:`100(s_{P,0}/s_{P,1}-1)`;
    ``from_output_share_pct`` the change of the share of national output,
    :math:`100(s_{x,1}/s_{x,0}-1)`; and the two log contributions (log points x 100), which add
    up to ``log_change``."""
    first, last = wide.columns.min(), wide.columns.max()
    sp0, sp1 = float(pop_share[first]), float(pop_share[last])
    k0, k1 = wide[first].astype(float), wide[last].astype(float)
    out = pd.DataFrame(
        {
            "first_year": first,
            "last_year": last,
            "change_pct": 100 * (k1 / k0 - 1),
            "from_population_pct": 100 * (sp0 / sp1 - 1),
            "from_output_share_pct": 100 * (k1 * sp1 / (k0 * sp0) - 1),
            "log_change": 100 * np.log(k1 / k0),
            "log_from_population": -100 * np.log(sp1 / sp0),
            "log_from_output_share": 100 * np.log(k1 * sp1 / (k0 * sp0)),
        }
    )
    out.index.name = "product"
    return out


def reading_plausibility(implied: pd.DataFrame, dec: pd.DataFrame) -> str:
    """The implied national output and the split of the coefficient's change, in words
    (Markdown), for every product with both a coefficient and the region's production (the rows of
    ``implied``: :func:`implied_national_output`; ``dec``: :func:`decompose_changes`), and the
    products whose coefficient moved more through the population share than through the share of
    output."""
    lines = []
    for product, part in implied.groupby("product", sort=False):
        unit = str(part["unit"].iloc[0])
        big = unit.startswith("thousand ")
        out = P.nums((part["implied_national_output"] / (1000 if big else 1)).tolist(), 1)
        vals = ", ".join(f"{v} ({y})" for v, y in zip(out, part["year"]))
        shares = ", ".join(f"{v} %" for v in P.nums(part["output_share_pct"].tolist(), 1))
        lines.append(
            f"The {product} coefficient times the region's population share, set against the region's production, "
            f"implies a national output of {product} of {vals} {unit.replace('thousand ', 'million ')}; the region's implied "
            f"share of national output is {shares}."
        )
        if product in dec.index and pd.notna(dec.at[product, "change_pct"]):
            r = dec.loc[product]
            lines.append(
                f"Of {product}'s {P.num(r['change_pct'], 1, sign=True)} % change of the coefficient "
                f"{int(r['first_year'])}-{int(r['last_year'])}, the region's share of national output accounts for "
                f"{P.num(r['from_output_share_pct'], 1, sign=True)} % and the change of its population share for "
                f"{P.num(r['from_population_pct'], 1, sign=True)} % (log points: "
                f"{P.num(r['log_from_output_share'], 1, sign=True)} and {P.num(r['log_from_population'], 1, sign=True)} "
                f"of {P.num(r['log_change'], 1, sign=True)})."
            )
    if lines and not dec.empty:
        small = dec.index[dec["log_from_output_share"].abs() < dec["log_from_population"].abs()].tolist()
        if small:
            lines.append(
                "Products whose coefficient moved more through the population share than through the share of "
                f"output: {', '.join(small)}."
            )
    return " ".join(lines) if lines else "No product with both a coefficient and production."
