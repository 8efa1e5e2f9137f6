"""Step 5: rail freight in and out of the region (Ivanova 2018, Table 4).

Each cell of Table 4 gives a volume (thousand t), its share of the volume of all Russian regions
and the region's rank. Two things can be recomputed from them: how much more leaves the region
than arrives (out / in), and the national total each volume implies (volume / share). In domestic
traffic every tonne loaded in one region is unloaded in another, so the totals implied by inbound
and by outbound volumes of the same cargo should agree; how well they do checks the printed
shares, which are rounded to one decimal (a rounding bound is given).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from . import figures as F
from . import indicators as ind
from . import paper

CARGO = {"all_cargo": ("All cargo", "Все грузы"), "coke": ("Coke", "Кокс каменноугольный"),
         "ores": ("Ores", "Руды"), "coal": ("Hard coal", "Уголь каменный"),
         "ferrous_metals": ("Ferrous metals", "Черные металлы")}


def freight_wide(full_years_only: bool = True) -> pd.DataFrame:
    """Table 4 as rows (cargo, direction, year) with volume, share and rank."""
    t = paper.table(4)
    if full_years_only:
        t = t[t["period"] == "year"]
    w = t.pivot_table(index=["item", "direction", "year"], columns="quantity", values="value").reset_index()
    w.columns.name = None
    return w.rename(columns={"item": "cargo", "rail_volume": "volume_kt", "rail_share_of_russia": "share_pct",
                             "rail_rank": "rank"})[["cargo", "direction", "year", "volume_kt", "share_pct", "rank"]]


def out_over_in() -> pd.DataFrame:
    """Outbound over inbound volume per cargo and year, and the per-cent excess."""
    w = freight_wide().pivot_table(index=["cargo", "year"], columns="direction", values="volume_kt")
    out = pd.DataFrame({"in_kt": w["in"], "out_kt": w["out"]})
    out["out_over_in"] = ind.outbound_inbound_ratio(out["out_kt"], out["in_kt"])
    out["excess_pct"] = (out["out_over_in"] - 1) * 100
    return out.reset_index()


def implied_totals() -> pd.DataFrame:
    """National totals implied by each volume and its share, by cargo, direction and year; the
    gap between the inbound and the outbound estimate, and the gap rounding of the shares (to the
    printed decimals) could explain."""
    t = paper.table(4)
    t = t[t["period"] == "year"]
    vol = t[t["quantity"] == "rail_volume"].set_index(["item", "direction", "year"])
    sh = t[t["quantity"] == "rail_share_of_russia"].set_index(["item", "direction", "year"])
    total = ind.implied_total(vol["value"], sh["value"])
    half = 0.5 * 10.0 ** (-sh["decimals"].astype(float))
    # rounding of the share by +-half unit moves the implied total by about total * half / share
    bound = total * half / sh["value"]
    df = pd.DataFrame({"implied_total_kt": total, "bound_kt": bound}).reset_index()
    w = df.pivot_table(index=["item", "year"], columns="direction", values=["implied_total_kt", "bound_kt"])
    out = pd.DataFrame({
        "implied_by_in_kt": w[("implied_total_kt", "in")],
        "implied_by_out_kt": w[("implied_total_kt", "out")],
    })
    out["gap_pct"] = 100 * (out["implied_by_out_kt"] / out["implied_by_in_kt"] - 1)
    out["rounding_bound_pct"] = 100 * (w[("bound_kt", "in")] / out["implied_by_in_kt"]
                                       + w[("bound_kt", "out")] / out["implied_by_out_kt"])
    out["consistent"] = out["gap_pct"].abs() <= out["rounding_bound_pct"]
    out.index.names = ["cargo", "year"]
    return out.reset_index()


def draw_freight(lang: str):
    """In and out volumes by cargo, one panel per year (thousand t, log scale)."""
    w = freight_wide()
    cargos = list(CARGO)
    years = sorted(w["year"].unique())
    fig, axes = F.new(6.5, 2.8, ncols=len(years), sharey=True)
    y = np.arange(len(cargos))
    for ax, year in zip(np.atleast_1d(axes), years):
        s = w[w["year"] == year].set_index(["cargo", "direction"])["volume_kt"]
        ax.barh(y - 0.2, [s.get((c, "in"), np.nan) for c in cargos], 0.4, label=F.t("inbound", lang), color=F.PALETTE[5])
        ax.barh(y + 0.2, [s.get((c, "out"), np.nan) for c in cargos], 0.4, label=F.t("outbound", lang), color=F.PALETTE[3])
        ax.set_xscale("log")
        ax.set_title(str(year))
        ax.set_xlabel(F.t("thousand_t", lang))
    first = np.atleast_1d(axes)[0]
    first.set_yticks(y, [CARGO[c][F.LANGS.index(lang)] for c in cargos])
    first.invert_yaxis()
    np.atleast_1d(axes)[-1].legend(loc="lower right", fontsize=7)
    fig.suptitle({"en": "Rail freight in and out of Kemerovo region (Table 4)",
                  "ru": "Ввоз и вывоз грузов по железной дороге, Кемеровская обл. (табл. 4)"}[lang],
                 fontsize=10, y=1.02)
    F.source_note(fig, F.t("source_paper", lang) + " (CARGO-REPORT.INFO)")
    return fig
