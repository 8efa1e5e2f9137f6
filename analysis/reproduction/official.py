"""The ledger's second axis: each published number that official statistics also give, beside
Rosstat's value.

For a number with an official counterpart: ``official`` (the value), ``official_source`` (file and
sheet), ``official_diff`` (official minus published) and ``official_status``:

- ``official_match``: they agree within the printed precision of both (half a unit of the last
  printed digit of each; for a number computed from Rosstat's figures, the rounding of those figures
  propagated through it, as the ledger does, :func:`analysis.reproduction.ledger.propagate`); a
  claim "more than" matches if Rosstat's figure exceeds it;
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
The text's HHIs (quantity ``hhi_gva``) are set beside the HHI of Rosstat's GVA structure of the same
year, sum_a s_a^2 over its OKVED-2007 shares (:func:`rosstat_hhi`), whose one-decimal rounding alone
allows about +-10; the text's restatements of Table 1 (:func:`restated_table1`) beside Rosstat's share
of the same section, or the sum of its shares for the budget sectors.

Table 2's electricity row is set beside the coefficient that Rosstat's electricity production
(table 12.10 of section 12, ``electricity_production.csv``) and mean annual population give
(:func:`_table2`). Not on this axis, for want of shipped data: Table 2's other coefficients (their
official counterpart needs the region's and Russia's output of each product, which is not shipped;
their population part is examined in step 4) and
the monotowns' share of the population, which the recomputation axis already divides by Rosstat's
population (``mono_population_share``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import indicators as ind
from analysis.inputs import paper, rosstat
from analysis.reproduction import checks, ledger
from analysis.reproduction.ledger import table_claim_id

COLUMNS = ["official", "official_source", "official_diff", "official_status", "official_note"]
STATUSES = ("official_match", "official_differs")
OFFICIAL_DECIMALS = 1  # Rosstat prints shares and indices with one decimal


def _half(decimals: object) -> np.ndarray:
    """Half a unit of the last printed digit of each of ``decimals``."""
    return 0.5 * 10.0 ** (-np.asarray(decimals, dtype=float))


def _gva() -> pd.DataFrame:
    """Rosstat's OKVED-2007 GVA structure of the paper's region (% shares), without the total."""
    g = rosstat.table("gva_structure")
    return g[(g["region_id"] == paper.REGION) & (g["okved"] == "OKVED2007") & (g["activity"] != "total")]


def _table1() -> pd.DataFrame:
    t = paper.table(1)
    t = t[(t["item"] != "total") & t["value"].notna()]
    g = _gva().set_index(["year", "activity"])
    key = pd.MultiIndex.from_arrays([t["year"], t["okved2007"]])
    return pd.DataFrame(
        {
            "claim_id": [table_claim_id(r) for _, r in t.iterrows()],
            "table": 1,
            "item": t["item"].to_numpy(),
            "year": t["year"].to_numpy(),
            "official": g["value"].reindex(key).to_numpy(),
            "official_source": g["source"].reindex(key).to_numpy(),
            "bound": _half(t["decimals"]) + _half(OFFICIAL_DECIMALS),
        }
    )


def rosstat_hhi(year: int) -> tuple[float, float, int, str]:
    """``(H, bound, n, source)``: H = sum_a s_a^2 over Rosstat's n OKVED-2007 % shares of ``year``
    (:func:`analysis.indicators.hhi`), and the rounding bound of H, sum_a max |H(s +- e_a) - H(s)|
    with e_a half a unit of Rosstat's one printed decimal (:func:`ledger.propagate`); NaN if the
    year is missing."""
    g = _gva()
    g = g[g["year"] == year]
    if g.empty:
        return np.nan, np.nan, 0, ""
    h, bound = ledger.propagate(
        lambda x: float(ind.hhi(x)), [ledger.Cell(float(v), OFFICIAL_DECIMALS) for v in g["value"]]
    )
    return h, bound, len(g), str(g["source"].iloc[0])


def _hhi() -> pd.DataFrame:
    """The text's HHIs (quantity ``hhi_gva``) beside the HHI of Rosstat's GVA structure of the same
    year; they match if they differ by no more than the rounding bound of Rosstat's HHI plus half a
    unit of the text's last digit."""
    t = paper.text_numbers()
    t = t[t["quantity"] == "hhi_gva"]
    rows = []
    for _, r in t.iterrows():
        h, bound, n, src = rosstat_hhi(int(r["year"]))
        if n:
            rows.append(
                {
                    "claim_id": r["claim_id"],
                    "table": "hhi",
                    "item": "hhi",
                    "year": int(r["year"]),
                    "official": h,
                    "official_source": f"{src}: sum of squares of Rosstat's {n} OKVED-2007 shares (indicators.hhi)",
                    "bound": bound + float(_half(r["decimals"])),
                }
            )
    return pd.DataFrame(rows)


def restated_table1() -> dict[str, tuple[str, ...]]:
    """``{text claim id: Table 1 cells it restates}``: the text's shares of GVA (``ledger.GVA``, 2010
    and 2015; the budget sectors, ``ledger.BUDGET``, 2011 and 2015) and their restatements elsewhere
    (``ledger.RESTATED``)."""
    out = {f"gva_{k}_{y}": (f"t1_{item}_{y}",) for k, item in ledger.GVA.items() for y in (2010, 2015)}
    out |= {f"gva_budget_{y}": tuple(f"t1_{i}_{y}" for i in ledger.BUDGET) for y in (2011, 2015)}
    for cid, cells in list(out.items()):
        out |= dict.fromkeys(ledger.RESTATED.get(cid, ()), cells)
    return out


def _restated() -> pd.DataFrame:
    """The text's restatements of Table 1 (:func:`restated_table1`) beside the sum of Rosstat's shares
    of the same sections; the bound is half a unit of the text's last digit plus half a unit of
    Rosstat's per section summed. A claim "more than" matches if Rosstat's sum exceeds it."""
    t = paper.text_numbers().set_index("claim_id")
    t1 = paper.table(1)
    t1 = t1.assign(claim_id=[table_claim_id(r) for _, r in t1.iterrows()]).set_index("claim_id")
    g = _gva().set_index(["year", "activity"])
    rows = []
    for cid, cells in restated_table1().items():
        year = int(t1.at[cells[0], "year"])
        letters = [t1.at[c, "okved2007"] for c in cells]
        rows.append(
            {
                "claim_id": cid,
                "table": "text",
                "item": ";".join(cells),
                "year": year,
                "official": float(sum(g.at[(year, a), "value"] for a in letters)),
                "official_source": str(g.at[(year, letters[0]), "source"])
                + (f": {' + '.join(letters)}" if len(letters) > 1 else ""),
                "bound": float(_half(t.at[cid, "decimals"])) + len(letters) * float(_half(OFFICIAL_DECIMALS)),
            }
        )
    return pd.DataFrame(rows)


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
            "bound": _half(t["decimals"]) + _half(OFFICIAL_DECIMALS),
        }
    )


ELECTRICITY = "electricity_production"  # Rosstat's table 12.10 (rosstat.table), bn kWh


def _table2() -> pd.DataFrame:
    """Table 2's electricity row beside the coefficient Rosstat's figures give,
    K = (E_r / E_RF) / (P_r / P_RF): electricity production (table 12.10, bn kWh, one decimal) and
    mean annual population (EMISS). The bound adds the printed half-unit of K and the rounding of
    the two outputs propagated through K, K (0.05 / E_r + 0.05 / E_RF); the population is exact.
    The other products of Table 2 have no shipped official output."""
    t = paper.table(2)
    t = t[(t["item"] == "electricity") & t["value"].notna()]
    e = rosstat.table(ELECTRICITY)
    e = e[e["region_id"].isin([paper.REGION, "russia"])].pivot_table(
        index="year", columns="region_id", values="value"
    )
    pop = rosstat.table("population")
    pop = pop[pop["region_id"].isin([paper.REGION, "russia"])].pivot_table(
        index="year", columns="region_id", values="value"
    )
    years = t["year"].astype(int)
    er, erf = e[paper.REGION].reindex(years), e["russia"].reindex(years)
    share = (pop[paper.REGION] / pop["russia"]).reindex(years)
    k = (er / erf / share).to_numpy()
    half_e = 0.5 * 10.0 ** (-OFFICIAL_DECIMALS)
    source = rosstat.table(ELECTRICITY)["source"].iloc[0]
    return pd.DataFrame(
        {
            "claim_id": [table_claim_id(r) for _, r in t.iterrows()],
            "table": 2,
            "item": t["item"].to_numpy(),
            "year": years.to_numpy(),
            "official": k,
            "official_source": f"{source} and emiss_population_avg_annual_2000_2023.xlsx (K = (E_r/E_RF)/(P_r/P_RF))",
            "bound": _half(t["decimals"]) + k * (half_e / er.to_numpy() + half_e / erf.to_numpy()),
        }
    )


def _hhi_diagnosis(row: pd.Series, t1: pd.DataFrame, last_year: int) -> str:
    """Why the text's HHI differs from Rosstat's: the Table 1 cells of that year that differ from
    Rosstat's, and how far Rosstat's values in their place alone move the HHI of Table 1's shares."""
    y = int(row["year"])
    cells = t1[t1["year"] == y]
    off = cells[cells["official_status"] == "official_differs"]
    swapped = np.where(cells["official_status"] == "official_differs", cells["official"], cells["published"])
    shift = float(ind.hhi(swapped)) - float(ind.hhi(cells["published"].to_numpy()))
    return (
        f"the HHI of Rosstat's current GVA structure is {row['official']:.2f} ({row['official_diff']:+.2f}), beyond "
        f"the {row['bound']:.2f} that the rounding of its one-decimal shares and of the printed index allow; "
        f"{len(off)} of Table 1's {y} shares differ from Rosstat's ("
        + ", ".join(f"{c} {d:+.2f}" for c, d in zip(off["claim_id"], off["official_diff"]))
        + f"), and Rosstat's values in their place alone move the index of Table 1's shares by {shift:+.2f}"
        + (
            f": {y} was the latest year of Table 1, presumably revised after the paper"
            if y == last_year
            else ": presumably the same revision or rounding in the paper's source"
        )
    )


def _diagnosis(
    row: pd.Series, differs: pd.DataFrame, last_year: int, aggregation: dict[str, checks.Check]
) -> str:
    if row["table"] == "text":
        return f"the text restates Table 1 ({row['item'].replace(';', ', ')}); " + _diagnosis(
            pd.Series({**row.to_dict(), "table": 1}), differs, last_year, aggregation
        )
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
    if row["table"] == 2:
        row2 = differs[differs["table"] == 2]
        signs = {"above" if d > 0 else "below" for d in row2["official_diff"]}
        return (
            f"Rosstat's electricity output and mean annual population give {row['official']:.3f}, the paper prints "
            f"{row['published']:.2f} ({row['official_diff']:+.3f}); {len(row2)} years of the row differ, Rosstat's "
            f"figure {' and '.join(sorted(signs))} the printed one: not one misprint but presumably another series "
            "of output or of population (the paper names neither)"
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


def _qualifiers() -> pd.Series:
    """The qualifier (">", "<=", "~" or NaN) of each text number, by claim id."""
    t = paper.text_numbers()
    return t.set_index("claim_id")["qualifier"]


def official_axis(led: pd.DataFrame) -> pd.DataFrame:
    """``led`` (the ledger) with the official columns (module docstring) added, in ledger order."""
    o = pd.concat([_table1(), _table2(), _table7(), _hhi(), _restated()], ignore_index=True)
    m = led.merge(o, on="claim_id", how="left")
    m["official_diff"] = (m["official"] - m["published"]).round(6)
    has = m["official"].notna()
    more_than = m["claim_id"].map(_qualifiers()).eq(">")
    ok = np.where(more_than, m["official"] > m["published"], m["official_diff"].abs() <= m["bound"] + 1e-9)
    m["official_status"] = np.where(~has, "", np.where(ok, "official_match", "official_differs"))
    differs = m[m["official_status"] == "official_differs"]
    last_year = int(paper.table(1)["year"].max())
    aggregation = {c.inputs[0]: c for c in checks.industry_aggregation()}  # by the industry cell
    t1 = m[m["table"].eq(1)]
    m["official_note"] = [
        ""
        if status != "official_differs"
        else _hhi_diagnosis(r, t1, last_year)
        if r["table"] == "hhi"
        else _diagnosis(r, differs, last_year, aggregation)
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
    return m.drop(columns=["table", "year", "item", "bound"])


def summary(ledger: pd.DataFrame) -> pd.DataFrame:
    """Counts of the official axis by source and status (rows with no counterpart left out)."""
    s = ledger[ledger["official_status"] != ""]
    out = pd.crosstab(s["source"], s["official_status"]).reindex(columns=list(STATUSES), fill_value=0)
    out.loc["total"] = out.sum()
    out["total"] = out.sum(axis=1)
    return out
