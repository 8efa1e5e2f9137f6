"""Step 4: per-capita production coefficients and the regional marketability of coal
(Ivanova 2018, Tables 2 and 3).

A per-capita production coefficient is the region's share of national output of a product over
its share of national population, (x_r / x_RF) / (P_r / P_RF): above 1 the region makes more of
the product per inhabitant than the country. The paper prints the coefficients (Table 2) but not
the output and population behind them, so we can only recompute the changes its text cites. The
marketability of coal is shipments out of the region (domestic and export) over production
(Table 3), which we recompute in full. For any region, Rosstat's shipments of mining,
manufacturing and utilities (2005-2016) and population give the same coefficient by activity.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import indicators as ind
from analysis.core import figures as F
from analysis.core import paths
from analysis.inputs import paper, userdata

NAMES = {
    "coal": ("Coal", "Уголь"),
    "electricity": ("Electricity", "Электроэнергия"),
    "heat": ("Heat", "Теплоэнергия"),
    "steel": ("Steel", "Сталь"),
    "sawn_wood": ("Sawn wood", "Лесоматериалы"),
    "crude_oil_refined": ("Crude oil refined", "Нефть на переработку"),
    "fuel_oil": ("Fuel oil", "Мазут топочный"),
    "meat": ("Meat", "Мясо"),
    "whole_milk_products": ("Whole-milk products", "Цельномолочная продукция"),
    "flour": ("Flour", "Мука"),
}


def coefficients_wide() -> pd.DataFrame:
    """Table 2: products x years."""
    return paper.wide(2)


def coefficient_changes() -> pd.DataFrame:
    """Change of every product's coefficient from the first to the last year of Table 2: in %,
    and as a ratio (the text cites either form), plus whether the product stays above 1."""
    w = coefficients_wide()
    first, last = w.columns.min(), w.columns.max()
    out = pd.DataFrame(
        {
            f"coef_{first}": w[first],
            f"coef_{last}": w[last],
            "change_pct": ind.growth_rate(w),
            "ratio_last_to_first": w[last] / w[first],
            "above_1_every_year": (w > 1).all(axis=1),
        }
    )
    return out


def marketability_table() -> pd.DataFrame:
    """Table 3 with shipments and marketability recomputed: total out = domestic + export;
    marketability = total out / production (indicators.marketability)."""
    w = paper.wide(3, index="quantity")
    out = pd.DataFrame(
        {
            "production_kt": w.loc["coal_production"],
            "out_domestic_kt": w.loc["coal_out_domestic"],
            "out_export_kt": w.loc["coal_out_export"],
            "out_total_published_kt": w.loc["coal_out_total"],
        }
    )
    out["out_total_recomputed_kt"] = out["out_domestic_kt"] + out["out_export_kt"]
    out["marketability_published"] = w.loc["marketability"]
    out["marketability_recomputed"] = ind.marketability(out["out_total_recomputed_kt"], out["production_kt"])
    out["export_share_of_out_pct"] = 100 * out["out_export_kt"] / out["out_total_recomputed_kt"]
    out.index.name = "year"
    return out


def rosstat_coefficients(shipments: pd.DataFrame, population: pd.DataFrame, region: str) -> pd.DataFrame:
    """Per-capita coefficients of ``region`` by activity from Rosstat: shipped goods of own
    production (mln rub, OKVED-2007 sections C, D, E) and mean annual population, both against
    Russia. Years where either input is missing are dropped (reported by the caller)."""
    s = shipments[shipments["region_id"].isin([region, "russia"])]
    s = s.pivot_table(index=["year", "activity"], columns="region_id", values="value")
    p = population[population["region_id"].isin([region, "russia"])]
    p = p.pivot_table(index="year", columns="region_id", values="value")
    if (
        region not in s.columns
        or region not in p.columns
        or "russia" not in s.columns
        or "russia" not in p.columns
    ):
        return pd.DataFrame(columns=["year", "activity", "coefficient"])
    s = s.reset_index().merge(p.add_prefix("pop_").reset_index(), on="year", how="inner")
    s["coefficient"] = ind.per_capita_coefficient(s[region], s["russia"], s[f"pop_{region}"], s["pop_russia"])
    s = s.dropna(subset=["coefficient"])
    return s[["year", "activity", "coefficient"]].sort_values(["activity", "year"]).reset_index(drop=True)


# ------------------------------------------------------------------------------------ figures
def draw_coefficients(lang: str):
    """Table 2's coefficients over time, log scale (they span 0.07 to 32)."""
    w = coefficients_wide()
    fig, ax = F.new(6.5, 3.8)
    markers = "os^vDPX*<>"
    for i, (item, row) in enumerate(w.iterrows()):
        ax.plot(
            row.index,
            row.to_numpy(float),
            marker=markers[i % len(markers)],
            ms=3.5,
            label=NAMES[item][F.LANGS.index(lang)],
            color=F.PALETTE[i % len(F.PALETTE)],
            ls="-" if i < len(F.PALETTE) else "--",
        )
    ax.set_yscale("log")
    ax.axhline(1, color="#888888", lw=0.8)
    ax.set_xlabel(F.t("year", lang))
    ax.set_ylabel(F.t("coefficient", lang) + {"en": " (log scale)", "ru": " (лог. шкала)"}[lang])
    ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False)
    ax.set_title(
        {
            "en": "Per-capita production coefficients, Kemerovo region (Table 2)",
            "ru": "Коэффициенты душевого производства, Кемеровская обл. (табл. 2)",
        }[lang]
    )
    F.source_note(fig, F.t("source_paper", lang))
    return fig


def draw_marketability(m: pd.DataFrame, lang: str):
    """Coal production and shipments out (bars), marketability (line, right axis)."""
    fig, ax = F.new(6.5, 3.4)
    x = np.arange(len(m.index))
    ax.bar(x - 0.2, m["production_kt"] / 1000, 0.4, label={"en": "production", "ru": "производство"}[lang])
    ax.bar(
        x + 0.2,
        m["out_domestic_kt"] / 1000,
        0.4,
        label={"en": "out, domestic rail", "ru": "вывоз, внутренний"}[lang],
    )
    ax.bar(
        x + 0.2,
        m["out_export_kt"] / 1000,
        0.4,
        bottom=m["out_domestic_kt"] / 1000,
        label={"en": "out, export", "ru": "вывоз, экспорт"}[lang],
    )
    ax.set_xticks(x, m.index.astype(str))
    ax.set_ylabel({"en": "Coal, million t", "ru": "Уголь, млн т"}[lang])
    ax2 = ax.twinx()
    ax2.plot(x, m["marketability_recomputed"], "o-", color="black", label=F.t("marketability", lang))
    ax2.set_ylim(0.8, 1.05)
    ax2.grid(False)
    ax2.spines["right"].set_visible(True)
    ax2.set_ylabel(F.t("marketability", lang))
    h1, l1 = ax.get_legend_handles_labels()
    h2, l2 = ax2.get_legend_handles_labels()
    ax.legend(h1 + h2, l1 + l2, loc="lower left", fontsize=7)
    ax.set_title(
        {
            "en": "Coal: production, shipments out and marketability (Table 3)",
            "ru": "Уголь: производство, вывоз и товарность (табл. 3)",
        }[lang]
    )
    F.source_note(fig, F.t("source_paper", lang))
    return fig


def user_coefficients(production: pd.DataFrame, population: pd.DataFrame, region: str) -> pd.DataFrame:
    """Per-capita production coefficients from a user's ``production.csv`` (output of the region
    and of Russia by product and year) and Rosstat's mean annual population."""
    p = population[population["region_id"].isin([region, "russia"])]
    p = p.pivot_table(index="year", columns="region_id", values="value")
    d = production.assign(year=production["year"].astype(int)).merge(
        p.add_prefix("pop_").reset_index(), on="year", how="left"
    )
    d["coefficient"] = ind.per_capita_coefficient(
        d["region_value"].to_numpy(float),
        d["russia_value"].to_numpy(float),
        d[f"pop_{region}"].to_numpy(float),
        d["pop_russia"].to_numpy(float),
    )
    return (
        d[["product", "year", "unit", "coefficient"]].sort_values(["product", "year"]).reset_index(drop=True)
    )


def user_marketability(inputs: pd.DataFrame) -> pd.DataFrame:
    """Marketability from a user's shipments out (``userdata.marketability_inputs``):
    (domestic + export) / production; NaN where production is not supplied."""
    m = inputs.copy()
    m["out_total"] = m[["out_domestic", "out_export"]].sum(axis=1, min_count=1)
    m["marketability"] = ind.marketability(m["out_total"].to_numpy(float), m["production"].to_numpy(float))
    return m


def region_products(region: str, population: pd.DataFrame, user_folder: str = ""):
    """Per-capita coefficients and marketability from the user's ``production.csv`` and
    ``shipments_out.csv`` for ``region``: ``(coefficients or None, marketability or None, notes)``."""

    folder = (paths.ROOT / user_folder) if user_folder else None
    where = paths.rel(folder or paths.user_dir(region))
    prod = userdata.load(region, "production", folder=folder)
    ship = userdata.load(region, "shipments_out", folder=folder)
    notes = []
    coef = user_coefficients(prod, population, region) if prod is not None else None
    if prod is None:
        notes.append(f"no {where}/production.csv: product output is not in Rosstat's files shipped here")
    mkt = user_marketability(userdata.marketability_inputs(prod, ship)) if ship is not None else None
    if ship is None:
        notes.append(
            f"no {where}/shipments_out.csv: shipments of products out of the region are not in Rosstat's files"
        )
    return coef, mkt, "; ".join(notes)
