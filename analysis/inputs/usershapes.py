"""A user's validated files (:mod:`analysis.inputs.userdata`) in the shapes the steps read: the
paper's tables' shapes, so that a step runs on the user's numbers as on the paper's.

Pure functions of frames that :func:`analysis.inputs.userdata.load` returned; no reading, no checks.
"""

from __future__ import annotations

import pandas as pd

from analysis.inputs.userdata import DESTINATIONS, FREIGHT_QUANTITIES


def freight_wide(df: pd.DataFrame) -> pd.DataFrame:
    """freight.csv in the shape of :func:`analysis.freight.freight_wide`: one row per cargo,
    direction and year with ``volume_kt``, ``share_pct``, ``rank`` (NaN where not supplied) and
    ``share_decimals`` (decimals the share was written with, for rounding bounds)."""
    cols = ["cargo", "direction", "year", "volume_kt", "share_pct", "rank", "share_decimals"]
    if df is None or df.empty:
        return pd.DataFrame(columns=cols)
    d = df.assign(year=df["year"].astype(int))
    w = d.pivot(index=["cargo", "direction", "year"], columns="quantity", values="value")
    w = w.reindex(columns=list(FREIGHT_QUANTITIES))
    dec = d[d["quantity"] == "share_of_russia"].set_index(["cargo", "direction", "year"])["decimals"]
    w["share_decimals"] = dec.reindex(w.index).astype("Int64")
    w.columns.name = None
    w = w.rename(columns={"volume": "volume_kt", "share_of_russia": "share_pct"}).reset_index()
    return w[cols].sort_values(["cargo", "direction", "year"]).reset_index(drop=True)


def clusters_like_paper(df: pd.DataFrame) -> pd.DataFrame:
    """clusters.csv in the shape of ``paper.clusters()``: cluster_id, name_ru, name_en,
    linked_to_specialisation (``not_assessed`` where empty), related_items ("|"-joined)."""
    out = pd.DataFrame(
        {
            "cluster_id": df["cluster_id"],
            "name_ru": df["name"],
            "name_en": df["name_en"].where(df["name_en"].notna(), df["name"]),
            "linked_to_specialisation": df["linked_to_specialisation"].fillna("not_assessed"),
            "related_items": df["related_activities"].map(
                lambda s: "|".join(t.strip() for t in str(s).split("|") if t.strip())
            ),
        }
    )
    return out.reset_index(drop=True)


def cluster_facts_long(clusters: pd.DataFrame, facts: pd.DataFrame | None) -> pd.DataFrame:
    """Facts in the shape of :func:`analysis.steps.cluster_profiling.cluster_facts`: cluster_id, quantity, year,
    value, unit, qualifier, claim_id. ``founded`` comes from clusters.csv; employees are in
    thousand persons and the SME share in per cent of participants, as the paper gives them;
    ``claim_id`` is ``file:row``."""
    cols = ["cluster_id", "quantity", "year", "value", "unit", "qualifier", "claim_id"]
    parts = []
    fr = clusters[clusters["founded"].notna()]
    rows = dict(zip(clusters.index, clusters.attrs.get("rows", [None] * len(clusters))))
    parts.append(
        pd.DataFrame(
            {
                "cluster_id": fr["cluster_id"],
                "quantity": "founded",
                "year": pd.NA,
                "value": fr["founded"].astype(float),
                "unit": "year",
                "qualifier": None,
                "claim_id": [f"clusters.csv:{rows.get(i)}" for i in fr.index],
            }
        )
    )
    if facts is not None and not facts.empty:
        f = facts.copy()
        thousand = (f["quantity"] == "employees") & (f["unit"] == "persons")
        f.loc[thousand, "value"] = f.loc[thousand, "value"] / 1000
        f.loc[f["quantity"] == "employees", "unit"] = "thousand persons"
        f.loc[f["quantity"] == "sme_share", "unit"] = "percent of participants"
        frows = facts.attrs.get("rows", [None] * len(f))
        f["claim_id"] = [f"cluster_facts.csv:{r}" for r in frows]
        parts.append(f[cols])
    out = (
        pd.concat([p for p in parts if not p.empty], ignore_index=True)
        if any(not p.empty for p in parts)
        else pd.DataFrame(columns=cols)
    )
    out["year"] = out["year"].astype("Int64")
    return out[cols]


def marketability_inputs(production: pd.DataFrame | None, shipments_out: pd.DataFrame) -> pd.DataFrame:
    """One row per product and year shipped out: ``production`` (region_value of production.csv,
    NaN if not supplied), ``out_domestic``, ``out_export`` and ``unit`` (the same for all three:
    validated). The marketability is (out_domestic + out_export) / production."""
    s = shipments_out.assign(year=shipments_out["year"].astype(int))
    w = s.pivot(index=["product", "year"], columns="destination", values="value")
    w = w.reindex(columns=list(DESTINATIONS)).add_prefix("out_")
    w["unit"] = s.groupby(["product", "year"])["unit"].first()
    if production is not None:
        p = production.assign(year=production["year"].astype(int)).set_index(["product", "year"])
        w["production"] = p["region_value"].reindex(w.index)
    else:
        w["production"] = float("nan")
    w.columns.name = None
    return w.reset_index()[["product", "year", "production", "out_domestic", "out_export", "unit"]]


def bases_with_totals(df: pd.DataFrame) -> pd.DataFrame:
    """activity_bases.csv without the total rows, each row with its basis-year totals:
    activity, parent, basis, year, region_value, russia_value, region_total, russia_total, unit.
    The location quotient is (region_value / region_total) / (russia_value / russia_total)."""
    d = df.assign(year=df["year"].astype(int))
    tot = d[d["activity"] == "total"].set_index(["basis", "year"])
    rest = d[d["activity"] != "total"].copy()
    key = pd.MultiIndex.from_frame(rest[["basis", "year"]])
    rest["region_total"] = tot["region_value"].reindex(key).to_numpy()
    rest["russia_total"] = tot["russia_value"].reindex(key).to_numpy()
    cols = [
        "activity",
        "parent",
        "basis",
        "year",
        "region_value",
        "russia_value",
        "region_total",
        "russia_total",
        "unit",
    ]
    return rest[cols].reset_index(drop=True)
