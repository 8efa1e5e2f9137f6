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

from analysis import indicators as ind
from analysis.core import figures as F
from analysis.core import paths
from analysis.inputs import paper, userdata
from analysis.inputs.regions import resolve

CARGO = {
    "all_cargo": ("All cargo", "Все грузы"),
    "coke": ("Coke", "Кокс каменноугольный"),
    "ores": ("Ores", "Руды"),
    "coal": ("Hard coal", "Уголь каменный"),
    "ferrous_metals": ("Ferrous metals", "Черные металлы"),
}


def freight_wide(full_years_only: bool = True) -> pd.DataFrame:
    """Table 4 as rows (cargo, direction, year) with volume, share, rank and the number of
    decimals the share is printed with (the same shape as ``userdata.freight_wide``)."""
    t = paper.table(4)
    if full_years_only:
        t = t[t["period"] == "year"]
    w = t.pivot_table(index=["item", "direction", "year"], columns="quantity", values="value").reset_index()
    w.columns.name = None
    dec = t[t["quantity"] == "rail_share_of_russia"].set_index(["item", "direction", "year"])["decimals"]
    w["share_decimals"] = dec.reindex(pd.MultiIndex.from_frame(w[["item", "direction", "year"]])).to_numpy()
    w = w.rename(
        columns={
            "item": "cargo",
            "rail_volume": "volume_kt",
            "rail_share_of_russia": "share_pct",
            "rail_rank": "rank",
        }
    )
    return w[["cargo", "direction", "year", "volume_kt", "share_pct", "rank", "share_decimals"]]


def region_freight(region: str, user_folder: str = "") -> tuple[pd.DataFrame | None, str]:
    """The freight table of ``region`` and its source: Table 4 for the paper's region, else the
    user's ``freight.csv`` (``data/user/<region>/`` or ``user_folder``); ``(None, why)`` if absent."""

    if paper.covers(region):
        return freight_wide(), ""
    folder = (paths.ROOT / user_folder) if user_folder else None
    fr = userdata.load(region, "freight", folder=folder)
    if fr is None:
        return None, (
            f"rail freight by region is not in Rosstat's files; supply "
            f"{paths.rel(folder or paths.user_dir(region))}/freight.csv (see data/README.md)"
        )
    return userdata.freight_wide(fr), userdata.describe(region, folder=folder).get("source", "")


def out_over_in(w: pd.DataFrame | None = None) -> pd.DataFrame:
    """Outbound over inbound volume per cargo and year, and the per-cent excess.
    ``w``: :func:`freight_wide` (the paper's, by default) or a user's ``userdata.freight_wide``."""
    w = freight_wide() if w is None else w
    p = w.pivot_table(index=["cargo", "year"], columns="direction", values="volume_kt")
    p = p.reindex(columns=["in", "out"])
    out = pd.DataFrame({"in_kt": p["in"], "out_kt": p["out"]})
    out["out_over_in"] = ind.outbound_inbound_ratio(out["out_kt"], out["in_kt"])
    out["excess_pct"] = (out["out_over_in"] - 1) * 100
    return out.reset_index()


def implied_totals(w: pd.DataFrame | None = None) -> pd.DataFrame:
    """National totals implied by each volume and its share, by cargo, direction and year; the
    gap between the inbound and the outbound estimate, and the gap rounding of the shares (to the
    printed decimals) could explain."""
    w = freight_wide() if w is None else w
    w = w.dropna(subset=["volume_kt", "share_pct"])
    total = ind.implied_total(w["volume_kt"].to_numpy(float), w["share_pct"].to_numpy(float))
    half = 0.5 * 10.0 ** (-w["share_decimals"].astype(float).fillna(1).to_numpy())
    # rounding of the share by +-half a unit moves the implied total by about total * half / share
    df = w[["cargo", "direction", "year"]].assign(
        implied_total_kt=total, bound_kt=total * half / w["share_pct"].to_numpy(float)
    )
    p = df.pivot_table(index=["cargo", "year"], columns="direction", values=["implied_total_kt", "bound_kt"])
    if ("implied_total_kt", "in") not in p or ("implied_total_kt", "out") not in p:
        return pd.DataFrame(
            columns=[
                "cargo",
                "year",
                "implied_by_in_kt",
                "implied_by_out_kt",
                "gap_pct",
                "rounding_bound_pct",
                "consistent",
            ]
        )
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
    return out.reset_index()


def draw_freight(
    lang: str, w: pd.DataFrame | None = None, region: str = "kemerovo", source: str | None = None
):
    """In and out volumes by cargo, one panel per year (thousand t, log scale)."""

    w = freight_wide() if w is None else w
    cargos = [c for c in CARGO if c in set(w["cargo"])] + sorted(set(w["cargo"]) - set(CARGO))
    years = sorted(w["year"].unique())
    fig, axes = F.new(6.5, 0.35 * len(cargos) + 1.2, ncols=len(years), sharey=True, squeeze=False)
    y = np.arange(len(cargos))
    for ax, year in zip(axes[0], years):
        s = w[w["year"] == year].set_index(["cargo", "direction"])["volume_kt"]
        ax.barh(
            y - 0.2,
            [s.get((c, "in"), np.nan) for c in cargos],
            0.4,
            label=F.t("inbound", lang),
            color=F.PALETTE[5],
        )
        ax.barh(
            y + 0.2,
            [s.get((c, "out"), np.nan) for c in cargos],
            0.4,
            label=F.t("outbound", lang),
            color=F.PALETTE[3],
        )
        ax.set_xscale("log")
        ax.set_title(str(year))
        ax.set_xlabel(F.t("thousand_t", lang))
    first = axes[0][0]
    first.set_yticks(y, [CARGO.get(c, (c, c))[F.LANGS.index(lang)] for c in cargos])
    first.invert_yaxis()
    axes[0][-1].legend(loc="lower right", fontsize=7)
    r = resolve(region)
    fig.suptitle(
        {
            "en": f"Rail freight in and out: {r.name_en}",
            "ru": f"Ввоз и вывоз грузов по железной дороге: {r.name_ru}",
        }[lang],
        fontsize=10,
        y=1.02,
    )
    F.source_note(
        fig,
        source
        or (F.t("source_paper", lang) + " (CARGO-REPORT.INFO), " + {"en": "Table 4", "ru": "табл. 4"}[lang]),
    )
    return fig
