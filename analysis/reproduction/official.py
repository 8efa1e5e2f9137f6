"""The ledger's second axis: each published number that official statistics also give, beside
Rosstat's value.

For a number with an official counterpart: ``official`` (the value), ``official_source`` (file and
sheet), ``official_diff`` (official minus published) and ``official_status``:

- ``official_match``: they agree within the printed precision of both (half a unit of the last
  printed digit of each);
- ``official_differs``: they do not; ``official_note`` then says how they differ and the likely
  reason, worded as a hypothesis where the sources do not settle it;
- empty where no official counterpart exists.

Counterparts today: every activity share of Table 1 (Rosstat's GVA structure, OKVED-2007 sections,
``data/interim/rosstat/gva_structure.csv``) and every production index of Table 7 (Rosstat's annual
indices, appendix to «Регионы России», section 12, ``production_indices.csv``). Table 7's mining
indices have a second official source, Rosstat's monthly bulletin (December's January-December
index, ``production_index.csv`` from ``m806_MAQ_IND_YTD.csv``, 2009-2015): it is named in
``official_source`` and, where it differs from the annual figure, described in ``official_note``
(prefixed "Second source:"); the status is judged against the annual figure, the revised one.

Not on this axis, for want of shipped data: Table 2's per-capita coefficients (their official
counterpart needs the region's and Russia's output of each product, which is not shipped; their
population part is examined in step 4, :func:`analysis.steps.coefficients.coal_implied_russia`) and
the monotowns' share of the population, which the recomputation axis already divides by Rosstat's
population (``mono_population_share``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.inputs import paper, rosstat
from analysis.reproduction import checks
from analysis.reproduction.ledger import table_claim_id

COLUMNS = ["official", "official_source", "official_diff", "official_status", "official_note"]
STATUSES = ("official_match", "official_differs")
OFFICIAL_DECIMALS = 1  # Rosstat prints shares and indices with one decimal


def _table1() -> pd.DataFrame:
    t = paper.table(1)
    t = t[(t["item"] != "total") & t["value"].notna()]
    g = rosstat.table("gva_structure")
    g = g[(g["region_id"] == paper.REGION) & (g["okved"] == "OKVED2007")].set_index(["year", "activity"])
    key = pd.MultiIndex.from_arrays([t["year"], t["okved2007"]])
    return pd.DataFrame(
        {
            "claim_id": [table_claim_id(r) for _, r in t.iterrows()],
            "table": 1,
            "item": t["item"].to_numpy(),
            "year": t["year"].to_numpy(),
            "official": g["value"].reindex(key).to_numpy(),
            "official_source": g["source"].reindex(key).to_numpy(),
        }
    )


def _table7() -> pd.DataFrame:
    t = paper.table(7)
    t = t[t["value"].notna()]
    p = rosstat.table("production_indices")
    p = p[p["okved"] == "OKVED2007"].set_index(["region_id", "activity", "year"])
    key = pd.MultiIndex.from_arrays([t["region"], t["item"], t["year"]])
    return pd.DataFrame(
        {
            "claim_id": [table_claim_id(r) for _, r in t.iterrows()],
            "table": 7,
            "item": t["item"].to_numpy(),
            "year": t["year"].to_numpy(),
            "official": p["value"].reindex(key).to_numpy(),
            "official_source": p["source"].reindex(key).to_numpy(),
        }
    )


def _diagnosis(
    row: pd.Series, differs: pd.DataFrame, last_year: int, aggregation: dict[str, checks.Check]
) -> str:
    if row["table"] == 1:
        if row["year"] == last_year:
            return (
                f"Rosstat's current GVA structure gives {row['official']:.1f} ({row['official_diff']:+.2f} points); "
                f"{last_year} was the latest year of Table 1 when the paper was written, and later editions of the "
                "regional accounts revise the latest years: presumably a revision after the paper"
            )
        return (
            f"Rosstat's current GVA structure gives {row['official']:.1f} ({row['official_diff']:+.2f} points), just "
            "beyond the two printed precisions; the other cells of that year agree: presumably a small revision or "
            "rounding in the paper's source"
        )
    same_year = differs[(differs["table"] == 7) & (differs["year"] == row["year"])]
    if row["claim_id"] in aggregation:
        c = aggregation[row["claim_id"]]
        others = differs[differs["claim_id"].isin(list(aggregation))]
        years = ", ".join(f"{int(y)} ({d:+.1f})" for y, d in zip(others["year"], others["official_diff"]))
        return (
            f"Rosstat's annual index is {row['official']:.1f}, the paper prints {row['published']:.1f} "
            f"({row['official_diff']:+.1f}). The aggregation check ({c.check_id}) "
            + ("passes" if c.passes else "fails")
            + f" for the printed index: {c.note}. The industry index differs from Rosstat's in "
            f"{len(others)} years ({years})"
            + (
                " while its components agree with Rosstat's: not one misprint but presumably an industry index "
                "from another series than its components'"
                if not differs["claim_id"].isin(c.inputs[1:4]).any()
                else "; some of its components differ too"
            )
        )
    return (
        f"Rosstat's annual index is {row['official']:.1f}, the paper prints {row['published']:.1f} "
        f"({row['official_diff']:+.1f}); "
        + (
            "the other items of that year agree, so a revision of the whole year is unlikely: the paper's figure "
            "may come from another publication (e.g. the regional statistics office's) or be a misprint"
            if len(same_year) == 1
            else "other items of the same year differ too: presumably another edition of the series"
        )
    )


BULLETIN = "production_index"  # the monthly bulletin's December year-to-date indices (rosstat.table)


def second_source(claim_id: str, published: float, bulletin: pd.Series) -> tuple[str, str]:
    """``(source, note)`` of the monthly bulletin for a Table 7 mining cell (``""`` where it has no
    value). ``bulletin``: value and source by ``(region_id, year)``."""
    parts = claim_id.split("_")  # t7_<region>_mining_<year>
    if len(parts) != 4 or parts[0] != "t7" or parts[2] != "mining":
        return "", ""
    key = (parts[1], int(parts[3]))
    if key not in bulletin.index:
        return "", ""
    value, source = bulletin.loc[key]
    if abs(value - published) < 0.05:
        return str(source), ""
    return str(source), (
        f"Second source: Rosstat's monthly bulletin (December, January-December) gives {value:.1f} "
        f"({value - published:+.1f} against the paper); the paper's figure equals the annual appendix's, "
        "presumably the bulletin's operational estimate before the annual revision"
    )


def official_axis(ledger: pd.DataFrame) -> pd.DataFrame:
    """``ledger`` with the official columns (module docstring) added, in ledger order."""
    o = pd.concat([_table1(), _table7()], ignore_index=True)
    m = ledger.merge(o.drop(columns=["item"]), on="claim_id", how="left")
    m["official_diff"] = (m["official"] - m["published"]).round(6)
    decimals = paper_decimals(m)
    bound = 0.5 * 10.0 ** (-decimals) + 0.5 * 10.0**-OFFICIAL_DECIMALS
    has = m["official"].notna()
    m["official_status"] = np.where(
        ~has, "", np.where(m["official_diff"].abs() <= bound + 1e-9, "official_match", "official_differs")
    )
    differs = m[m["official_status"] == "official_differs"]
    last_year = int(paper.table(1)["year"].max())
    aggregation = {c.inputs[0]: c for c in checks.industry_aggregation()}  # by the industry cell
    m["official_note"] = [
        _diagnosis(r, differs, last_year, aggregation) if status == "official_differs" else ""
        for status, (_, r) in zip(m["official_status"], m.iterrows())
    ]
    m["official_source"] = m["official_source"].fillna("")
    b = rosstat.table(BULLETIN)
    b = b[(b["activity"] == "C") & b["region_id"].isin(["russia", paper.REGION])]
    bulletin = b.set_index(["region_id", "year"])[["value", "source"]]
    for i, r in m.iterrows():
        src, note = second_source(r["claim_id"], r["published"], bulletin)
        if src:
            m.at[i, "official_source"] = f"{r['official_source']}; {src} (monthly bulletin)"
        if note:
            m.at[i, "official_note"] = f"{r['official_note']}; {note}" if r["official_note"] else note
    m["official"] = m["official"].round(6)
    return m.drop(columns=["table", "year"])


def paper_decimals(m: pd.DataFrame) -> np.ndarray:
    """Printed decimals of each ledger row's published value (its table cell's)."""
    d = {}
    for n in (1, 7):
        t = paper.table(n)
        d.update({table_claim_id(r): r["decimals"] for _, r in t.iterrows() if pd.notna(r["value"])})
    return np.array([float(d.get(c, 1)) for c in m["claim_id"]])


def summary(ledger: pd.DataFrame) -> pd.DataFrame:
    """Counts of the official axis by source and status (rows with no counterpart left out)."""
    s = ledger[ledger["official_status"] != ""]
    out = pd.crosstab(s["source"], s["official_status"]).reindex(columns=list(STATUSES), fill_value=0)
    out.loc["total"] = out.sum()
    out["total"] = out.sum(axis=1)
    return out
