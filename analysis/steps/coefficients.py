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

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from analysis import indicators as ind
from analysis.core import figures as F
from analysis.core import labels as L
from analysis.core import tidy
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
    ax.set_yscale("log")
    plain = FuncFormatter(lambda v, _pos: f"{v:g}")  # 2, 3, not 2x10^0
    ax.yaxis.set_major_formatter(plain)
    ax.yaxis.set_minor_formatter(plain)
    ax.tick_params(axis="y", which="minor", labelsize=6)
    ax.axhline(1, color="#888888", lw=0.8)
    F.mark_break(ax, lang, 2016.5, text=False)  # shipments: OKVED2 from 2017
    ax.set_xlabel(L.label("year", lang))
    ax.set_ylabel(L.label("log_scale", lang, axis=L.label("coefficient_short", lang)))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncols=2, fontsize=7, frameon=False)
    ax.set_title(L.label("title.coefficients_rosstat", lang, region=region_name))
    F.source_note(fig, L.label("source_rosstat", lang))
    return fig


# ------------------------------------------------------------------------------------ figures
def draw_coefficients(w: pd.DataFrame, *, lang: str, region_name: str, source: str) -> Figure:
    """Coefficients by product over time (``w``: :func:`by_year`), log scale (Kemerovo region's
    span 0.07 to 32)."""
    fig, ax = F.new(6.5, 3.8)
    markers = "os^vDPX*<>"
    for i, (item, row) in enumerate(w.iterrows()):
        ax.plot(
            row.index,
            row.to_numpy(float),
            marker=markers[i % len(markers)],
            ms=3.5,
            label=L.name_of("product", item, lang),
            color=F.PALETTE[i % len(F.PALETTE)],
            ls="-" if i < len(F.PALETTE) else "--",
        )
    ax.set_yscale("log")
    ax.axhline(1, color="#888888", lw=0.8)
    ax.set_xlabel(L.label("year", lang))
    ax.set_ylabel(L.label("log_scale", lang, axis=L.label("coefficient", lang)))
    ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False)
    ax.set_title(L.label("title.coefficients", lang, region=region_name))
    F.source_note(fig, source)
    return fig


def draw_marketability(m: pd.DataFrame, *, lang: str, region_name: str, source: str) -> Figure:
    """Production and shipments out of one product (bars), marketability (line, right axis);
    ``m``: :func:`marketability` for one product. Thousand units are shown in millions."""
    fig, ax = F.new(6.5, 3.4)
    x = np.arange(len(m))
    product, unit = str(m["product"].iloc[0]), str(m["unit"].iloc[0])
    scale, shown_unit = (
        (1000, unit.replace("thousand", "million")) if unit.startswith("thousand") else (1, unit)
    )
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
    name = L.name_of("product", product, lang)
    ax.set_ylabel(f"{name}, {shown_unit}")
    ax2 = ax.twinx()
    ax2.plot(x, m["marketability"], "o-", color="black", label=L.label("marketability", lang))
    ax2.set_ylim(min(0.8, float(np.nanmin(m["marketability"])) - 0.05), 1.05)
    ax2.grid(False)
    ax2.spines["right"].set_visible(True)
    ax2.set_ylabel(L.label("marketability", lang))
    h1, l1 = ax.get_legend_handles_labels()
    h2, l2 = ax2.get_legend_handles_labels()
    ax.legend(h1 + h2, l1 + l2, loc="lower left", fontsize=7)
    ax.set_title(L.label("title.marketability", lang, product=name, region=region_name))
    F.source_note(fig, source)
    return fig


def reading(ch: pd.DataFrame | None, market: pd.DataFrame | None, region_name: str) -> str:
    """What the tables say, in words generated from them (Markdown)."""
    lines = []
    if ch is not None and not ch.empty:
        first, last = (c.removeprefix("coef_") for c in ch.columns[:2])
        top = ch[f"coef_{last}"].idxmax()
        up = ch.index[ch["change_pct"] > 0].tolist()
        down = ch.index[ch["change_pct"] < 0].tolist()
        lines.append(
            f"In {region_name} the highest coefficient in {last} is {top}'s, {ch.at[top, f'coef_{last}']:.2f} "
            f"({ch.at[top, 'change_pct']:+.1f} % since {first}). Rose {first}-{last}: "
            f"{', '.join(up) or 'none'}; fell: {', '.join(down) or 'none'}."
        )
        above = ch.index[ch["above_1_every_year"]].tolist()
        lines.append(f"Above 1 in every year: {', '.join(above) or 'none'}.")
    if market is not None and not market.empty:
        for product, part in market.dropna(subset=["marketability"]).groupby("product", sort=False):
            vals = ", ".join(f"{v:.3f} ({int(y)})" for y, v in zip(part["year"], part["marketability"]))
            exp = part["export_share_of_out_pct"]
            trend = (
                "rose every year"
                if exp.is_monotonic_increasing and exp.nunique() > 1
                else "fell every year"
                if exp.is_monotonic_decreasing and exp.nunique() > 1
                else f"ranged from {exp.min():.1f} to {exp.max():.1f} %"
            )
            lines.append(
                f"Marketability of {product}: {vals}; the export share of what leaves the region {trend}."
            )
    return " ".join(lines) if lines else "No coefficients or shipments for this region."
