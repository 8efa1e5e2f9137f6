"""The reproduction ledger: every number the paper publishes, recomputed where the paper (or an
official source) gives the inputs, and traced to its table or section where it does not.

One row per published number, columns ``claim_id, source, quantity, published, recomputed,
abs_diff, tolerance, status, note``. ``status`` is

- ``reproduced``: the recomputed value, rounded to the published precision, equals the published one
  (for a claim printed as "more than" / "about" / "does not exceed": the claim holds);
- ``within_rounding``: it differs by no more than ``tolerance``, the largest change that rounding of
  the printed inputs (half a unit of their last digit) and of the published value can explain;
- ``discrepancy``: it differs by more; ``note`` then carries the diagnosis (``DIAGNOSES``);
- ``transcribed_only``: the paper gives no inputs to recompute from.

Tolerances are propagated from the inputs' printed precision: for a result f(x_1..x_k) the bound is
sum_i max(|f(x + e_i) - f(x)|, |f(x - e_i) - f(x)|) with e_i half a unit of x_i's last printed
digit, plus half a unit of the published value's last digit.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from analysis import indicators as ind
from analysis.inputs import paper

COLUMNS = [
    "claim_id",
    "source",
    "quantity",
    "published",
    "recomputed",
    "abs_diff",
    "tolerance",
    "status",
    "note",
]
STATUSES = ("reproduced", "within_rounding", "discrepancy", "transcribed_only")


@dataclass(frozen=True)
class Cell:
    """A printed input: its value and number of printed decimals."""

    value: float
    decimals: int

    @property
    def half_unit(self) -> float:
        return 0.5 * 10.0 ** (-self.decimals)


def _cells(df: pd.DataFrame) -> list[Cell]:
    return [Cell(float(v), 0 if pd.isna(d) else int(d)) for v, d in zip(df["value"], df["decimals"])]


def propagate(f: Callable[[np.ndarray], float], inputs: Sequence[Cell]) -> tuple[float, float]:
    """``(f(x), bound)``: the result on the printed inputs and how far rounding of them can move it.

    One-at-a-time bound, exact for sums and differences and conservative for products and ratios of
    a few inputs: sum_i max(|f(x+e_i)-f(x)|, |f(x-e_i)-f(x)|).
    """
    x = np.array([c.value for c in inputs], dtype=float)
    fx = float(f(x))
    bound = 0.0
    for i, c in enumerate(inputs):
        up, down = x.copy(), x.copy()
        up[i] += c.half_unit
        # A printed 0.0 stands for [0, 0.05): non-negative quantities are not pushed below zero.
        down[i] = max(down[i] - c.half_unit, 0.0) if c.value >= 0 else down[i] - c.half_unit
        bound += max(abs(float(f(up)) - fx), abs(float(f(down)) - fx))
    return fx, bound


# ---------------------------------------------------------------------------------------------
# Access to the transcribed cells
def t_cell(n: int, year: int | None = None, **where) -> Cell:
    """One cell of Table ``n`` selected by column values, e.g. ``t_cell(1, 2011, item='mining')``."""
    key = dict(where, **({} if year is None else {"year": year}))
    hits = [c for c in _records(n) if all(c[k] == v for k, v in key.items())]
    if len(hits) != 1:
        raise KeyError(f"Table {n}: {len(hits)} cells match {key}")
    c = hits[0]
    return Cell(float(c["value"]), 0 if pd.isna(c["decimals"]) else int(c["decimals"]))


@cache
def _records(n: int) -> tuple[dict, ...]:
    # The ledger looks up a few hundred single cells: plain records are much faster to scan than
    # filtering a DataFrame each time.
    return tuple(paper.table(n).to_dict("records"))


def t_cells(n: int, year: int, exclude: Sequence[str] = ("total",), **where) -> list[Cell]:
    df = paper.table(n)
    df = df[(df["year"] == year) & ~df["item"].isin(exclude)]
    for k, v in where.items():
        df = df[df[k] == v]
    return _cells(df)


def claim_cell(claim_id: str) -> Cell:
    t = paper.text_numbers().set_index("claim_id")
    return Cell(float(t.at[claim_id, "value"]), int(t.at[claim_id, "decimals"]))


# ---------------------------------------------------------------------------------------------
# Recomputation rules: claim_id -> function returning (recomputed, tolerance of inputs, note)
Rule = Callable[[], tuple[float, float, str]]


def _same(cell: Cell, note: str) -> Rule:
    return lambda: (cell.value, 0.0, note)


def _sum_of(cells: list[Cell], note: str) -> Rule:
    return lambda: (*propagate(lambda x: x.sum(), cells), note)


def _pct_change(old: Cell, new: Cell, note: str) -> Rule:
    return lambda: (*propagate(lambda x: (x[1] / x[0] - 1) * 100, [old, new]), note)


def _ratio(num: Cell, den: Cell, note: str, scale: float = 1.0) -> Rule:
    return lambda: (*propagate(lambda x: scale * x[0] / x[1], [num, den]), note)


def recompute_hhi(year: int) -> tuple[float, float]:
    """HHI of Table 1's printed shares in ``year`` and the rounding bound on it (NaN if a share
    is missing)."""
    cells = t_cells(1, year)
    if any(np.isnan(c.value) for c in cells):
        return np.nan, np.nan
    return propagate(lambda x: float(ind.hhi(x)), cells)


def _hhi_rule(year: int) -> Rule:
    return lambda: (
        *recompute_hhi(year),
        "sum of squared % shares of Table 1's 15 activities (indicators.hhi)",
    )


def _rules() -> dict[str, Rule]:
    c = claim_cell
    tc = t_cell
    r: dict[str, Rule] = {}
    # GVA structure, Table 1 and the text
    for y in range(2011, 2016):
        r[f"hhi_{y}"] = _hhi_rule(y)
        r[f"t1_total_{y}"] = _sum_of(t_cells(1, y), "sum of the 15 activity shares of Table 1")
    r["abs_hhi_2012"], r["abs_hhi_2015"] = r["hhi_2012"], r["hhi_2015"]
    mining15 = tc(1, 2015, item="mining")
    for k in ("abs_mining_share_2015", "intro_mining_share_2015", "gva_mining_2015"):
        r[k] = _same(mining15, "Table 1, mining, 2015")
    r["gva_mining_2010"] = _same(tc(1, 2010, item="mining"), "Table 1, mining, 2010")
    r["gva_manuf_2010"] = _same(tc(1, 2010, item="manufacturing"), "Table 1, manufacturing, 2010")
    r["gva_manuf_2015"] = _same(tc(1, 2015, item="manufacturing"), "Table 1, manufacturing, 2015")
    r["gva_trade_2010"] = _same(tc(1, 2010, item="trade"), "Table 1, trade, 2010")
    r["gva_trade_2015"] = _same(tc(1, 2015, item="trade"), "Table 1, trade, 2015")
    budget = ("public_administration", "education", "health")
    for y in (2011, 2015):
        r[f"gva_budget_{y}"] = _sum_of(
            [tc(1, y, item=i) for i in budget], "Table 1: public administration + education + health"
        )
    # Per-capita coefficients, Table 2
    for claim_id, item, year in [
        ("abs_coal_coef_2011", "coal", 2011),
        ("abs_coal_coef_2016", "coal", 2016),
        ("coef_coal_2011", "coal", 2011),
        ("coef_coal_2016", "coal", 2016),
        ("coef_oil_2011", "crude_oil_refined", 2011),
        ("coef_oil_2016", "crude_oil_refined", 2016),
        ("coef_fueloil_2011", "fuel_oil", 2011),
        ("coef_fueloil_2016", "fuel_oil", 2016),
        ("coef_steel_2011", "steel", 2011),
        ("coef_steel_2016", "steel", 2016),
        ("coef_meat_2011", "meat", 2011),
        ("coef_meat_2016", "meat", 2016),
    ]:
        r[claim_id] = _same(tc(2, year, item=item), f"Table 2, {item}, {year}")
    for claim_id, item in [
        ("coef_coal_change", "coal"),
        ("coef_steel_change", "steel"),
        ("coef_meat_change", "meat"),
    ]:
        r[claim_id] = _pct_change(
            tc(2, 2011, item=item), tc(2, 2016, item=item), f"Table 2, {item}: 2016 over 2011, % change"
        )
    for claim_id, item in [("coef_oil_ratio", "crude_oil_refined"), ("coef_fueloil_ratio", "fuel_oil")]:
        r[claim_id] = _ratio(
            tc(2, 2016, item=item), tc(2, 2011, item=item), f"Table 2, {item}: 2016 over 2011, times"
        )
    # Marketability, Table 3
    for y in (2014, 2015, 2016):
        dom, exp = tc(3, y, quantity="coal_out_domestic"), tc(3, y, quantity="coal_out_export")
        r[f"t3_coal_out_total_{y}"] = _sum_of([dom, exp], "Table 3: domestic + export shipments")
        r[f"t3_marketability_{y}"] = _ratio(
            tc(3, y, quantity="coal_out_total"),
            tc(3, y, quantity="coal_production"),
            "Table 3: total shipments out / production (indicators.marketability)",
        )
        r[f"t3_coal_out_domestic_{y}"] = _same(
            tc(4, y, item="coal", direction="out", quantity="rail_volume", period="year"),
            "equals Table 4, coal out by rail",
        )
    for k, y in [
        ("abs_marketability_2014", 2014),
        ("mkt_coal_2014", 2014),
        ("abs_marketability_2016", 2016),
        ("mkt_coal_2016", 2016),
    ]:
        r[k] = r[f"t3_marketability_{y}"]
    r["export_coal_growth"] = _pct_change(
        tc(3, 2014, quantity="coal_out_export"),
        tc(3, 2016, quantity="coal_out_export"),
        "Table 3: coal exports 2016 over 2014, % change",
    )

    # Rail freight, Table 4
    def t4(item, d, q, y):
        return tc(4, y, item=item, direction=d, quantity=q, period="year")

    for y in (2014, 2015, 2016):
        r[f"rail_out_over_in_{y}"] = _ratio(
            t4("all_cargo", "out", "rail_volume", y),
            t4("all_cargo", "in", "rail_volume", y),
            "Table 4: (all cargo out / all cargo in - 1) x 100",
        )
        r[f"rail_out_over_in_{y}"] = lambda y=y: (lambda v, t, n: (100 * (v - 1), 100 * t, n))(
            *_ratio(
                t4("all_cargo", "out", "rail_volume", y),
                t4("all_cargo", "in", "rail_volume", y),
                "Table 4: (all cargo out / all cargo in - 1) x 100",
            )()
        )

    # Each share of Table 4 from the other direction: domestic rail traffic loads and unloads the
    # same tonnes, so the national total implied by the outbound row (volume / share) is also the
    # total of the inbound row, and vice versa.
    t4all = paper.table(4)
    for _, row in t4all[t4all["quantity"] == "rail_share_of_russia"].iterrows():
        other = "in" if row["direction"] == "out" else "out"
        sel = {"item": row["item"], "period": row["period"]}
        vol = tc(4, int(row["year"]), direction=row["direction"], quantity="rail_volume", **sel)
        ovol = tc(4, int(row["year"]), direction=other, quantity="rail_volume", **sel)
        osh = tc(4, int(row["year"]), direction=other, quantity="rail_share_of_russia", **sel)
        r[table_claim_id(row)] = lambda vol=vol, ovol=ovol, osh=osh, other=other: (
            *propagate(lambda x: 100 * x[0] / float(ind.implied_total(x[1], x[2])), [vol, ovol, osh]),
            f"100 x volume / national total implied by the {other}bound row (volume / share): "
            "domestic traffic loads and unloads the same tonnes",
        )

    def mean_of(item, d, q, note):
        cells = [t4(item, d, q, y) for y in (2014, 2015, 2016)]
        return lambda: (*propagate(lambda x: x.mean(), cells), note + " (mean of 2014-2016)")

    r["rail_out_share"] = mean_of("all_cargo", "out", "rail_share_of_russia", "Table 4: all cargo out, share")
    r["rail_in_share"] = mean_of("all_cargo", "in", "rail_share_of_russia", "Table 4: all cargo in, share")
    r["rail_ores_in_share"] = mean_of("ores", "in", "rail_share_of_russia", "Table 4: ores in, share")
    r["rail_ferrous_in_share"] = mean_of(
        "ferrous_metals", "in", "rail_share_of_russia", "Table 4: ferrous metals in, share"
    )

    # "more than" claims: the smallest yearly value must exceed the threshold
    def min_of(item, d, q, note):
        cells = [t4(item, d, q, y) for y in (2014, 2015, 2016)]
        return lambda: (min(c.value for c in cells), 0.0, note + " (lowest of 2014-2016)")

    r["rail_coke_out_share"] = min_of("coke", "out", "rail_share_of_russia", "Table 4: coke out, share")
    r["rail_coal_out_share"] = min_of("coal", "out", "rail_share_of_russia", "Table 4: coal out, share")
    r["rail_ores_out_share_2016"] = _same(
        t4("ores", "out", "rail_share_of_russia", 2016), "Table 4: ores out, share, 2016"
    )
    for k, item, d in [
        ("rail_coke_out_rank", "coke", "out"),
        ("rail_ores_out_rank", "ores", "out"),
        ("rail_coal_out_rank", "coal", "out"),
        ("rail_ores_in_rank", "ores", "in"),
        ("rail_ferrous_in_rank", "ferrous_metals", "in"),
        ("rail_rank_all", "all_cargo", "out"),
    ]:
        r[k] = _same(t4(item, d, "rail_rank", 2016), f"Table 4: {item} {d}, rank in 2016")
    # Clusters: counts the text states and the parts it lists
    r["coal_sme_share"] = lambda: (
        *propagate(
            lambda x: 100 * x[3] / x.sum(),
            [c("coal_anchor"), c("coal_education"), c("coal_research"), c("coal_sme")],
        ),
        "SMEs / (anchors + education + research + SMEs), the members the text lists",
    )
    r["biomed_participants"] = _sum_of(
        [
            c(k)
            for k in (
                "biomed_anchor",
                "biomed_pharma",
                "biomed_sme",
                "biomed_education",
                "biomed_research",
                "biomed_foreign",
            )
        ],
        "sum of the member groups the text lists",
    )
    r["biomed_sme_share"] = _ratio(c("biomed_sme"), c("biomed_participants"), "SMEs / members", 100)
    r["tourism_participants_2017"] = _sum_of(
        [c("tourism_participants_2016"), c("tourism_participants_added_2017")],
        "members at the end of 2016 + members added in 2017",
    )
    r["intro_tourism_participants"] = r["tourism_participants_2017"]
    r["intro_tourism_sme_share"] = lambda: (
        100
        * round(c("intro_tourism_sme_share").value / 100 * c("tourism_participants_2017").value)
        / c("tourism_participants_2017").value,
        0.0,
        "nearest whole number of SMEs among 97 members, as a share",
    )
    r["intro_agro_participants"] = _sum_of([c("agro_sme"), c("agro_anchor")], "SMEs + anchor members")
    r["agro_sme_share"] = _ratio(c("agro_sme"), c("intro_agro_participants"), "SMEs / 130 members", 100)
    r["tourism_investment_to_2018"] = lambda: (
        *propagate(
            lambda x: x.sum() / 1000,
            [c("tourism_funding_federal"), c("tourism_funding_regional"), c("tourism_funding_offbudget")],
        ),
        "federal + regional + off-budget funding, bn rub",
    )
    r["coal_coke_investment_change"] = _pct_change(
        c("coal_coke_investment_2012"),
        c("coal_coke_investment_2016"),
        "2016 over 2012 from the text's own amounts",
    )
    r["coal_chem_investment_change"] = _pct_change(
        c("coal_chem_investment_2012"),
        c("coal_chem_investment_2016"),
        "2016 over 2012 from the text's own amounts",
    )
    r["coal_export_growth"] = lambda: (
        *propagate(
            lambda x: (x[0] / (x[0] - x[1]) - 1) * 100, [c("coal_export_2016"), c("coal_export_increase")]
        ),
        "128 Mt in 2016 against 128 - 37.3 Mt in 2012",
    )
    clusters = paper.clusters()
    r["intro_clusters_created"] = lambda: (float(len(clusters)), 0.0, "rows of data/raw/paper/clusters.csv")
    r["concl_clusters_total"] = r["intro_clusters_created"]
    linked = float((clusters["linked_to_specialisation"] == "yes").sum())
    for k in ("intro_clusters_linked", "abs_clusters_linked", "res_clusters_linked", "concl_clusters_linked"):
        r[k] = lambda: (linked, 0.0, "clusters the paper ties to the specialisation (clusters.csv)")
    r["light_start"] = _same(c("intro_light_industry_start"), "restates the Introduction")
    r["lq_chem_turnover_2016"] = _same(tc(5, 2016, item="chemicals"), "Table 5, chemicals, 2016")
    return r


# Why a recomputable number falls outside its tolerance. Every discrepancy needs one.
DIAGNOSES = {
    "coef_oil_ratio": "0.48 / 0.07 = 6.86 from the printed, rounded coefficients; the paper's 6.7 "
    "was presumably computed from unrounded ones",
    "coal_coke_investment_change": "2061.8 / 1815 = 1.1360, i.e. +13.6 %: the paper truncates "
    "(13.59 -> 13.5) instead of rounding",
    "coal_chem_investment_change": "1860.8 / 1436 = 1.2958, i.e. +29.6 %: the paper truncates "
    "(29.58 -> 29.5) instead of rounding",
    "export_coal_growth": "Table 3's exports give +6.46 %; the paper truncates to 6.4 instead of "
    "rounding to 6.5",
    "tourism_participants_2017": "74 members at the end of 2016 plus 21 added in 2017 make 95, "
    "not 97: one of the three counts is misprinted, or the text omits "
    "other changes",
    "intro_tourism_participants": "see tourism_participants_2017: the counts in the text add up to 95",
    "intro_tourism_sme_share": "no whole number of SMEs among 97 members gives 82.3 % "
    "(80/97 = 82.5 %, 79/97 = 81.4 %); the share was presumably taken "
    "from a list with another total (e.g. 79/96 = 82.3 %)",
    "agro_sme_share": "123 SMEs of 130 members is 94.6 %, not 92 %; 92 % of 130 would be 120 SMEs; "
    "the text's counts and share come from sources of different dates",
    "rail_ferrous_in_share": "the text puts ferrous metals (about 7 %, 5th place) among inbound "
    "cargo, but Table 4 gives these figures for OUTBOUND ferrous metals "
    "(7.1, 7.0, 6.1 %, rank 5); inbound is about 2 %, rank 14-17",
    "rail_ferrous_in_rank": "see rail_ferrous_in_share: rank 5 is that of outbound ferrous metals",
    "hhi_2011": "the published 1724.03 is 2.0 below the sum of squares of Table 1's printed shares "
    "(1726.03); the author presumably used unrounded shares (mining 34.6 is printed "
    "with one decimal: a 0.03 difference in it moves HHI by 2)",
}


def _status(
    published: float, recomputed: float, decimals: int, qualifier: str | None, tol_inputs: float
) -> tuple[str, float, float]:
    if recomputed is None or np.isnan(recomputed):
        return "transcribed_only", np.nan, np.nan
    diff = abs(recomputed - published)
    tol = tol_inputs + 0.5 * 10.0 ** (-decimals)
    if qualifier == ">":
        return ("reproduced" if recomputed > published else "discrepancy"), diff, tol
    if qualifier == "<=":
        return (
            ("reproduced" if recomputed <= published + 0.5 * 10.0 ** (-decimals) else "discrepancy"),
            diff,
            tol,
        )
    if qualifier == "~":
        # "about N": the recomputed value rounds to N at the published precision, or lies within
        # one unit of its last digit.
        ok = diff <= 2 * 0.5 * 10.0 ** (-decimals) + tol_inputs
        return ("reproduced" if ok else "discrepancy"), diff, tol
    if round(recomputed, decimals) == round(published, decimals) or diff < 1e-9:
        return "reproduced", diff, tol
    return ("within_rounding" if diff <= tol + 1e-9 else "discrepancy"), diff, tol


def _row(claim_id, source, quantity, published, decimals, qualifier, rule, base_note, rules_extra=None):
    recomputed, tol_in, how = (np.nan, 0.0, "") if rule is None else rule()
    status, diff, tol = _status(published, recomputed, decimals, qualifier, tol_in)
    note_parts = [p for p in (how, base_note) if isinstance(p, str) and p]
    if qualifier and status != "transcribed_only":
        note_parts.insert(
            0, {">": "claim 'more than'", "<=": "claim 'does not exceed'", "~": "claim 'about'"}[qualifier]
        )
    if status == "discrepancy":
        note_parts.insert(0, "DIAGNOSIS: " + DIAGNOSES.get(claim_id, ""))
    elif claim_id in DIAGNOSES:
        note_parts.append("why it differs: " + DIAGNOSES[claim_id])
    return {
        "claim_id": claim_id,
        "source": source,
        "quantity": quantity,
        "published": published,
        "recomputed": recomputed,
        "abs_diff": diff,
        "tolerance": tol,
        "status": status,
        "note": "; ".join(note_parts),
    }


def table_claim_id(row: pd.Series) -> str:
    """Stable id of a table cell, e.g. ``t1_mining_2011``, ``t4_coal_out_rail_volume_2016``."""
    n = int(row["table"])
    parts = [f"t{n}"]
    if n == 7:
        parts.append(row["region"])
    if n == 3:
        parts.append(row["quantity"])
    else:
        parts.append(row["item"])
    if n == 4:
        parts += [row["direction"], row["quantity"]]
    if n == 6:
        parts.append(row["basis"])
        if row["basis"] == "unplaced":
            parts.append(str(row["value"]).replace(".", "_"))
    year = str(row["year"]) if n != 4 or row["period"] == "year" else "2017ytd"
    parts.append(year)
    return "_".join(parts)


def build() -> pd.DataFrame:
    """The ledger of Kemerovo region: every table cell and every text number of the paper."""
    rules = _rules()
    rows = []
    for n in range(1, 8):
        for _, cell in paper.table(n).iterrows():
            cid = table_claim_id(cell)
            if pd.isna(cell["value"]):
                continue  # not printed: nothing published (data/raw/README.md explains the gap)
            rule = rules.get(cid)
            if (
                n == 6
                and cell["basis"] == "turnover"
                and cell["item"] in ("agriculture", "mining", "manufacturing", "utilities")
            ):
                rule = _same(t_cell(5, 2016, item=cell["item"]), "equals Table 5, 2016")
            rows.append(
                _row(
                    cid,
                    f"Table {n}",
                    cell["quantity"],
                    float(cell["value"]),
                    int(cell["decimals"]),
                    None,
                    rule,
                    cell["note"],
                )
            )
    for _, t in paper.text_numbers().iterrows():
        rows.append(
            _row(
                t["claim_id"],
                f"{t['section'].capitalize()} (text)",
                t["quantity"],
                float(t["value"]),
                int(t["decimals"]),
                t["qualifier"] if isinstance(t["qualifier"], str) else None,
                rules.get(t["claim_id"]),
                t["note"],
            )
        )
    df = pd.DataFrame(rows, columns=COLUMNS)
    for col in ("published", "recomputed", "abs_diff", "tolerance"):
        df[col] = df[col].astype(float).round(6)
    return df


def summary(ledger: pd.DataFrame) -> pd.DataFrame:
    """Count of ledger rows by source and status."""
    s = ledger.assign(source=ledger["source"].str.replace(r" \(text\)", " (text)", regex=True))
    return s.pivot_table(
        index="source", columns="status", values="claim_id", aggfunc="count", fill_value=0
    ).reindex(columns=list(STATUSES), fill_value=0)
