"""The reproduction ledger: every number the paper publishes, recomputed where the paper (or an
official source) gives the inputs, and traced to its table or section where it does not.

One row per published number, columns ``claim_id, source, quantity, published, recomputed,
abs_diff, tolerance, status, note``. ``status`` is

- ``reproduced``: the recomputed value, rounded to the published precision, equals the published one
  (for a claim printed as "more than" / "about" / "does not exceed": the claim holds);
- ``within_rounding``: it differs by no more than ``tolerance``, the largest change that rounding of
  the printed inputs (half a unit of their last digit) and of the published value can explain;
- ``discrepancy``: it differs by more; ``note`` then carries the diagnosis (``DIAGNOSES``);
- ``transcribed_only``: the paper gives no inputs to recompute from, or gives them so coarsely that
  their rounding could move the result by more than its own size (tolerance >= |result|): no
  published value near it could fail, so it is not counted as a check and ``note`` gives the range;
- ``contradicted``: a sentence without a number of its own that admits no exception ("all categories
  arrive less than they leave") has exceptions in the paper's own tables, which ``note`` lists
  (:mod:`analysis.reproduction.claims`; such a sentence that holds is ``reproduced``);
- ``unsupported``: a sentence about an activity for which the paper prints no number at all.

Tolerances are propagated from the inputs' printed precision: for a result f(x_1..x_k) the bound is
sum_i max(|f(x + e_i) - f(x)|, |f(x - e_i) - f(x)|) with e_i half a unit of x_i's last printed
digit, plus half a unit of the published value's last digit. Exact counts (units in ``COUNT_UNITS``:
organisations, clusters, towns, years, ranks) are not rounded: as inputs and as published values
they carry no rounding tolerance, so a sum of counts that misses the printed total by one is a
discrepancy.

How each recomputable number is recomputed is declared in ``RULES``: one :class:`Rule` per claim,
claim -> inputs -> formula -> note. Inputs are lazy references to printed cells, read when
:func:`build` runs.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cache, partial
from typing import Any

import numpy as np
import pandas as pd

from analysis import indicators as ind
from analysis.inputs import paper, rosstat
from analysis.reproduction import claims

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
STATUSES = ("reproduced", "within_rounding", "discrepancy", "contradicted", "unsupported", "transcribed_only")
# Units of numbers that are exact counts, not rounded measurements (text_numbers.csv and the
# tables' ``unit`` column): they get no rounding tolerance.
COUNT_UNITS = frozenset({"organisations", "clusters", "towns", "year", "rank", "rank among regions"})


@dataclass(frozen=True)
class Cell:
    """A printed input: its value, number of printed decimals, and whether it is an exact count."""

    value: float
    decimals: int
    count: bool = False
    claim_id: str = ""  # the ledger row of the printed number ("" for an official figure)

    @property
    def half_unit(self) -> float:
        """Half a unit of the last printed digit, 0.5 x 10^-decimals; 0 for an exact count."""
        return 0.0 if self.count else 0.5 * 10.0 ** (-self.decimals)


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
def _decimals(d: Any) -> int:
    return 0 if pd.isna(d) else int(d)


def t_cell(n: int, year: int | None = None, **where: object) -> Cell:
    """One cell of Table ``n`` selected by column values, e.g. ``t_cell(1, 2011, item='mining')``."""
    key = dict(where, **({} if year is None else {"year": year}))
    hits = [c for c in _records(n) if all(c[k] == v for k, v in key.items())]
    if len(hits) != 1:
        raise KeyError(f"Table {n}: {len(hits)} cells match {key}")
    h = hits[0]
    return Cell(float(h["value"]), _decimals(h["decimals"]), h["unit"] in COUNT_UNITS, table_claim_id(h))


@cache
def _records(n: int) -> tuple[dict[Hashable, Any], ...]:
    # The ledger looks up a few hundred single cells: plain records are much faster to scan than
    # filtering a DataFrame each time.
    return tuple(paper.table(n).to_dict("records"))


def t_cells(n: int, year: int) -> list[Cell]:
    """The cells of Table ``n`` in ``year``, in printed order, without the ``total`` row."""
    df = paper.table(n)
    df = df[(df["year"] == year) & (df["item"] != "total")]
    return [
        Cell(float(r["value"]), _decimals(r["decimals"]), r["unit"] in COUNT_UNITS, table_claim_id(r))
        for _, r in df.iterrows()
    ]


def claim_cell(claim_id: str) -> Cell:
    """The number of the running text with id ``claim_id`` as a cell."""
    t = paper.text_numbers().set_index("claim_id")
    return Cell(
        float(t.at[claim_id, "value"]),
        int(t.at[claim_id, "decimals"]),
        t.at[claim_id, "unit"] in COUNT_UNITS,
        claim_id,
    )


# ---------------------------------------------------------------------------------------------
# Recomputation rules: claim -> inputs -> formula -> note
CellRef = Callable[[], Cell]
Inputs = Callable[[], list[Cell]]
Formula = Callable[[np.ndarray], float]


@dataclass(frozen=True)
class Rule:
    """How one published number is recomputed: ``formula`` applied to the values of ``inputs()``.

    ``inputs`` is called only when the rule is evaluated, so the paper is read by :func:`build`, not
    at import. ``exact`` marks numbers that restate, pick or count their inputs: no rounding
    tolerance is propagated through them.
    """

    claim_id: str
    inputs: Inputs
    formula: Formula
    note: str | Callable[[], str]
    exact: bool = False

    def describe(self) -> str:
        """The note; a callable note is generated from the data when the ledger is built."""
        return self.note if isinstance(self.note, str) else self.note()

    def evaluate(self) -> tuple[float, float]:
        """``(recomputed, tolerance from the inputs)``: ``propagate(formula, inputs)``, or
        ``(formula(x), 0)`` if ``exact``; ``(NaN, NaN)`` if an input is not printed."""
        cells = self.inputs()
        if any(np.isnan(c.value) for c in cells):
            return np.nan, np.nan
        if self.exact:
            return float(self.formula(np.array([c.value for c in cells], dtype=float))), 0.0
        return propagate(self.formula, cells)

    def span(self) -> tuple[float, float]:
        """``(lowest, highest)`` of ``formula`` over the corners of the inputs' rounding box, each x_i
        in [x_i - e_i, x_i + e_i] (not below 0 for a non-negative x_i): the exact range for formulas
        monotone in each input (sums, differences, products and ratios of positive numbers)."""
        cells = self.inputs()
        lo_hi = [
            (
                max(c.value - c.half_unit, 0.0) if c.value >= 0 else c.value - c.half_unit,
                c.value + c.half_unit,
            )
            for c in cells
        ]
        values = [float(self.formula(np.array(corner, dtype=float))) for corner in itertools.product(*lo_hi)]
        return min(values), max(values)


# Inputs: lazy references to printed numbers.
def cells(*refs: CellRef) -> Inputs:
    """The cells ``refs`` point to, in order."""
    return lambda: [ref() for ref in refs]


def tab(n: int, year: int, **where: object) -> CellRef:
    """:func:`t_cell` of Table ``n`` in ``year`` selected by ``where``."""
    return partial(t_cell, n, year, **where)


def t1(item: str, year: int) -> CellRef:
    """Table 1: % share of ``item`` in GVA."""
    return tab(1, year, item=item)


def t1_row(year: int) -> Inputs:
    """Table 1: the % shares of all activities in ``year`` (:func:`t_cells`)."""
    return partial(t_cells, 1, year)


def t2(item: str, year: int) -> CellRef:
    """Table 2: per-capita coefficient of ``item``."""
    return tab(2, year, item=item)


def t3(quantity: str, year: int) -> CellRef:
    """Table 3: coal ``quantity``."""
    return tab(3, year, quantity=quantity)


def t4(item: str, direction: str, quantity: str, year: int) -> CellRef:
    """Table 4: a full-year cell."""
    return tab(4, year, item=item, direction=direction, quantity=quantity, period="year")


def t4_shares(item: str, direction: str) -> Inputs:
    """Table 4: the shares of Russia in 2014, 2015 and 2016."""
    return cells(*(t4(item, direction, "rail_share_of_russia", y) for y in (2014, 2015, 2016)))


def txt(claim_id: str) -> CellRef:
    """:func:`claim_cell`: the number of the running text with id ``claim_id``."""
    return partial(claim_cell, claim_id)


def texts(*claim_ids: str) -> Inputs:
    """The text numbers ``claim_ids``, in order."""
    return cells(*(txt(c) for c in claim_ids))


def clusters(linked_only: bool = False) -> Inputs:
    """An exact 1 per row of clusters.csv (per cluster tied to the specialisation if ``linked_only``)."""

    def ones() -> list[Cell]:
        c = paper.clusters()
        n = (c["linked_to_specialisation"] == "yes").sum() if linked_only else len(c)
        return [Cell(1.0, 0, count=True)] * int(n)

    return ones


PAPER_YEARS = range(2011, 2017)  # the years of the paper's tables on the region (Tables 2-4)


def population_thousand(region: str, year: int) -> float:
    """Rosstat's average annual population of ``region`` in ``year``, thousand persons
    (``data/interim/rosstat/population.csv``, from emiss_population_avg_annual_2000_2023.xlsx)."""
    p = rosstat.table("population")
    hit = p[(p["region_id"] == region) & (p["year"] == year)]["value"]
    return float(hit.iloc[0]) / 1000 if len(hit) else np.nan


def mono_share_by_year() -> dict[int, float]:
    """100 x monotown population (the text's 1636 thousand) / the region's population in each of
    ``PAPER_YEARS`` (Rosstat's annual average)."""
    mono = claim_cell("mono_population").value
    return {y: 100 * mono / population_thousand(paper.REGION, y) for y in PAPER_YEARS}


def mono_base_year() -> int:
    """The year of ``PAPER_YEARS`` whose population gives the share nearest the printed one: the
    text names no year, so the base is inferred, and the note says so."""
    printed = claim_cell("mono_population_share").value
    shares = mono_share_by_year()
    return min(shares, key=lambda y: abs(shares[y] - printed))


def mono_inputs() -> list[Cell]:
    """The text's monotown population and Rosstat's population of the region in
    :func:`mono_base_year`, both in thousand persons (the latter exact to the person)."""
    return [claim_cell("mono_population"), Cell(population_thousand(paper.REGION, mono_base_year()), 3)]


def mono_note() -> str:
    """How the monotowns' share was recomputed, with the share each year's population gives."""
    shares = mono_share_by_year()
    y = mono_base_year()
    mono = claim_cell("mono_population").value
    late = [k for k in PAPER_YEARS if k >= PAPER_YEARS.stop - 3]  # the last three years of the tables
    return (
        f"100 x {mono:g} thousand (the text; the towns' own populations are not in the shipped data, so this "
        "number is not checked) / the region's average annual population (Rosstat, population.csv from "
        f"emiss_population_avg_annual_2000_2023.xlsx:Отчет); the text names no year: {y} is the year of "
        f"{PAPER_YEARS.start}-{PAPER_YEARS.stop - 1} whose population gives the share nearest the printed one ("
        + ", ".join(f"{k}: {v:.2f}" for k, v in shares.items())
        + f"). The base year was chosen because it fits, so the status says only that some year gives the "
        f"printed share: the shares range {min(shares.values()):.2f}-{max(shares.values()):.2f} over "
        f"{PAPER_YEARS.start}-{PAPER_YEARS.stop - 1}, and {min(shares[k] for k in late):.1f}-"
        f"{max(shares[k] for k in late):.1f} over {late[0]}-{late[-1]}"
    )


def fueloil_note() -> str:
    """Table 2's fuel-oil ratio 2016 / 2011 as printed, and its range were the two cells printed with
    the two decimals of the rest of the row (x.x0: a trailing zero dropped), a hypothesis the note
    weighs against Table 2's own trailing zeros."""
    new, old = t2("fuel_oil", 2016)(), t2("fuel_oil", 2011)()
    e = Cell(0.0, 2).half_unit  # half a unit of the second decimal
    lo, hi = (new.value - e) / (old.value + e), (new.value + e) / (old.value - e)
    t = paper.table(2)
    row = t[t["item"] == "fuel_oil"]
    zeros = t[(t["decimals"] == 2) & t["printed"].str.endswith("0")]
    return (
        f"Table 2, fuel_oil: 2016 over 2011, times; Table 2 prints the two cells as {old.value:.{old.decimals}f} and "
        f"{new.value:.{new.decimals}f}, {old.decimals} decimal where {int((row['decimals'] == 2).sum())} of the row's "
        f"{len(row)} cells have two. Were they {old.value:.2f} and {new.value:.2f} with the trailing zero dropped, "
        f"the ratio would lie in {lo:.2f}-{hi:.2f} and the printed {claim_cell('coef_fueloil_ratio').value:g} inside "
        "it; a hypothesis only: Table 2 prints a trailing zero elsewhere ("
        + ", ".join(f"{r['item']} {r['year']}: {r['printed']}" for _, r in zeros.iterrows())
        + ")"
    )


# Factories of the common formulas.
def same(claim_id: str, ref: CellRef, note: str) -> Rule:
    """x: the number restates one printed cell (no input tolerance)."""
    return Rule(claim_id, cells(ref), lambda x: x[0], note, exact=True)


def sum_of(claim_id: str, inputs: Inputs, note: str) -> Rule:
    """sum_i x_i."""
    return Rule(claim_id, inputs, lambda x: x.sum(), note)


def count_of(claim_id: str, inputs: Inputs, note: str) -> Rule:
    """sum_i x_i over exact ones: a count (no input tolerance)."""
    return Rule(claim_id, inputs, lambda x: x.sum(), note, exact=True)


def mean_of(claim_id: str, inputs: Inputs, note: str) -> Rule:
    """sum_i x_i / k."""
    return Rule(claim_id, inputs, lambda x: x.mean(), note)


def lowest_of(claim_id: str, inputs: Inputs, note: str) -> Rule:
    """min_i x_i (no input tolerance): a "more than" claim holds if the lowest value does."""
    return Rule(claim_id, inputs, lambda x: x.min(), note, exact=True)


def pct_change(claim_id: str, old: CellRef, new: CellRef, note: str) -> Rule:
    """(new / old - 1) x 100."""
    return Rule(claim_id, cells(old, new), lambda x: (x[1] / x[0] - 1) * 100, note)


def ratio(claim_id: str, num: CellRef, den: CellRef, note: str, scale: float = 1.0) -> Rule:
    """scale x num / den."""
    return Rule(claim_id, cells(num, den), lambda x: scale * x[0] / x[1], note)


def hhi_of(claim_id: str, year: int) -> Rule:
    """sum_i s_i^2 over Table 1's printed % shares s_i in ``year`` (indicators.hhi)."""
    note = "sum of squared % shares of Table 1's 15 activities (indicators.hhi)"
    return Rule(claim_id, t1_row(year), lambda x: float(ind.hhi(x)), note)


def share_via_other_direction(item: str, direction: str, column: str) -> Rule:
    """A share of Table 4 from the other direction: 100 x volume / (other volume / other share).

    Domestic rail traffic loads and unloads the same tonnes, so the national total implied by the
    outbound row (volume / share) is also the total of the inbound row, and vice versa. ``column``
    ends the claim id (``T4_COLUMNS``).
    """
    other = "in" if direction == "out" else "out"
    year = T4_COLUMNS[column]
    inputs = cells(
        tab(4, year, item=item, direction=direction, quantity="rail_volume"),
        tab(4, year, item=item, direction=other, quantity="rail_volume"),
        tab(4, year, item=item, direction=other, quantity="rail_share_of_russia"),
    )
    return Rule(
        f"t4_{item}_{direction}_rail_share_of_russia_{column}",
        inputs,
        lambda x: 100 * x[0] / float(ind.implied_total(x[1], x[2])),
        f"100 x volume / national total implied by the {other}bound row (volume / share): "
        "domestic traffic loads and unloads the same tonnes",
    )


# Table 4's columns as claim ids end them: the three full years, and 2017 to 21 October.
T4_COLUMNS = {"2014": 2014, "2015": 2015, "2016": 2016, "2017ytd": 2017}
T4_CARGO = ("all_cargo", "coke", "ores", "coal", "ferrous_metals")
COEFS = {"coal": "coal", "oil": "crude_oil_refined", "fueloil": "fuel_oil", "steel": "steel", "meat": "meat"}
GVA = {"mining": "mining", "manuf": "manufacturing", "trade": "trade"}
BUDGET = ("public_administration", "education", "health")

# One rule per recomputable number, one line each: claim, inputs, formula (the factory's), note.
# fmt: off
_RULES: tuple[Rule, ...] = (
    # GVA structure, Table 1 and the text
    *(hhi_of(f"hhi_{y}", y) for y in range(2011, 2016)),
    *(sum_of(f"t1_total_{y}", t1_row(y), "sum of the 15 activity shares of Table 1") for y in range(2011, 2016)),
    *(same(f"gva_{k}_{y}", t1(item, y), f"Table 1, {item}, {y}") for k, item in GVA.items() for y in (2010, 2015)),
    *(sum_of(f"gva_budget_{y}", cells(*(t1(i, y) for i in BUDGET)), "Table 1: public administration + education + health")
      for y in (2011, 2015)),
    # Per-capita coefficients, Table 2
    *(same(f"coef_{k}_{y}", t2(item, y), f"Table 2, {item}, {y}") for k, item in COEFS.items() for y in (2011, 2016)),
    *(pct_change(f"coef_{k}_change", t2(COEFS[k], 2011), t2(COEFS[k], 2016), f"Table 2, {COEFS[k]}: 2016 over 2011, % change")
      for k in ("coal", "steel", "meat")),
    ratio("coef_oil_ratio", t2(COEFS["oil"], 2016), t2(COEFS["oil"], 2011), f"Table 2, {COEFS['oil']}: 2016 over 2011, times"),
    Rule("coef_fueloil_ratio", cells(t2("fuel_oil", 2016), t2("fuel_oil", 2011)), lambda x: x[0] / x[1], fueloil_note),
    # Marketability, Table 3
    *(sum_of(f"t3_coal_out_total_{y}", cells(t3("coal_out_domestic", y), t3("coal_out_export", y)), "Table 3: domestic + export shipments")
      for y in (2014, 2015, 2016)),
    *(ratio(f"t3_marketability_{y}", t3("coal_out_total", y), t3("coal_production", y), "Table 3: total shipments out / production (indicators.marketability)")
      for y in (2014, 2015, 2016)),
    *(same(f"t3_coal_out_domestic_{y}", t4("coal", "out", "rail_volume", y), "equals Table 4, coal out by rail")
      for y in (2014, 2015, 2016)),
    *(Rule(f"t3_coal_out_export_{y}", cells(t3("coal_out_total", y), t3("coal_out_domestic", y)), lambda x: x[0] - x[1],
           "Table 3: total shipments out - domestic shipments (the export row from the identity)") for y in (2014, 2015, 2016)),
    pct_change("export_coal_growth", t3("coal_out_export", 2014), t3("coal_out_export", 2016), "Table 3: coal exports 2016 over 2014, % change"),
    # Rail freight, Table 4
    *(pct_change(f"rail_out_over_in_{y}", t4("all_cargo", "in", "rail_volume", y), t4("all_cargo", "out", "rail_volume", y), "Table 4: (all cargo out / all cargo in - 1) x 100")
      for y in (2014, 2015, 2016)),
    *(share_via_other_direction(item, d, col) for item in T4_CARGO for d in ("in", "out") for col in T4_COLUMNS),
    mean_of("rail_out_share", t4_shares("all_cargo", "out"), "Table 4: all cargo out, share (mean of 2014-2016)"),
    mean_of("rail_in_share", t4_shares("all_cargo", "in"), "Table 4: all cargo in, share (mean of 2014-2016)"),
    mean_of("rail_ores_in_share", t4_shares("ores", "in"), "Table 4: ores in, share (mean of 2014-2016)"),
    mean_of("rail_ferrous_in_share", t4_shares("ferrous_metals", "in"), "Table 4: ferrous metals in, share (mean of 2014-2016)"),
    lowest_of("rail_coke_out_share", t4_shares("coke", "out"), "Table 4: coke out, share (lowest of 2014-2016)"),
    lowest_of("rail_coal_out_share", t4_shares("coal", "out"), "Table 4: coal out, share (lowest of 2014-2016)"),
    same("rail_ores_out_share_2016", t4("ores", "out", "rail_share_of_russia", 2016), "Table 4: ores out, share, 2016"),
    *(same(k, t4(item, d, "rail_rank", 2016), f"Table 4: {item} {d}, rank in 2016")
      for k, item, d in (("rail_coke_out_rank", "coke", "out"), ("rail_ores_out_rank", "ores", "out"), ("rail_coal_out_rank", "coal", "out"),
                         ("rail_ores_in_rank", "ores", "in"), ("rail_ferrous_in_rank", "ferrous_metals", "in"))),
    Rule("rail_rank_all", cells(*(tab(4, y, item="all_cargo", direction=d, quantity="rail_rank", period=p)
                                  for d in ("in", "out") for y, p in ((2014, "year"), (2015, "year"), (2016, "year"), (2017, "2017-01-01/2017-10-21")))),
         lambda x: x.max(), "Table 4: all cargo, the worst rank of inbound and outbound in 2014-2016 and 2017 to 21 October "
         "(the text: first by inbound and by outbound volume)", exact=True),
    # Clusters: counts the text states and the parts it lists
    Rule("coal_sme_share", texts("coal_anchor", "coal_education", "coal_research", "coal_sme"), lambda x: 100 * x[3] / x.sum(),
         "SMEs / (anchors + education + research + SMEs), the members the text lists"),
    sum_of("biomed_participants", texts("biomed_anchor", "biomed_pharma", "biomed_sme", "biomed_education", "biomed_research", "biomed_foreign"),
           "sum of the member groups the text lists"),
    ratio("biomed_sme_share", txt("biomed_sme"), txt("biomed_participants"), "SMEs / members", 100),
    same("tourism_sme_share", txt("intro_tourism_sme_share"), "restates the Introduction's share of SMEs (intro_tourism_sme_share)"),
    sum_of("tourism_participants_2017", texts("tourism_participants_2016", "tourism_participants_added_2017"), "members at the end of 2016 + members added in 2017"),
    Rule("intro_tourism_sme_share", texts("intro_tourism_sme_share", "tourism_participants_2017"), lambda x: 100 * round(x[0] / 100 * x[1]) / x[1],
         "nearest whole number of SMEs among 97 members, as a share", exact=True),
    sum_of("intro_agro_participants", texts("agro_sme", "agro_anchor"),
           "123 SMEs + 7 anchor members; the 2 research institutions are among the anchors ('в том числе'), "
           "not added again (which would give 132)"),
    ratio("agro_sme_share", txt("agro_sme"), txt("intro_agro_participants"), "SMEs / 130 members", 100),
    Rule("tourism_investment_to_2018", texts("tourism_funding_federal", "tourism_funding_regional", "tourism_funding_offbudget"), lambda x: x.sum() / 1000,
         "federal + regional + off-budget funding, bn rub"),
    *(pct_change(f"coal_{k}_investment_change", txt(f"coal_{k}_investment_2012"), txt(f"coal_{k}_investment_2016"), "2016 over 2012 from the text's own amounts")
      for k in ("coke", "chem")),
    Rule("coal_export_growth", texts("coal_export_2016", "coal_export_increase"), lambda x: (x[0] / (x[0] - x[1]) - 1) * 100,
         "128 Mt in 2016 against 128 - 37.3 Mt in 2012"),
    count_of("intro_clusters_created", clusters(), "rows of data/raw/paper/clusters.csv"),
    count_of("intro_clusters_linked", clusters(linked_only=True), "clusters the paper ties to the specialisation (clusters.csv)"),
    same("light_start", txt("intro_light_industry_start"), "restates the Introduction"),
    Rule("mono_population_share", mono_inputs, lambda x: 100 * x[0] / x[1], mono_note),
    # Location quotients, Tables 5 and 6
    same("lq_chem_turnover_2016", tab(5, 2016, item="chemicals"), "Table 5, chemicals, 2016"),
    *(same(f"t6_{item}_turnover_2016", tab(5, 2016, item=item), "equals Table 5, 2016")
      for item in ("agriculture", "mining", "manufacturing", "utilities")),
)
# fmt: on
# Numbers the paper states again elsewhere (abstract, introduction, results, conclusion): each
# restatement is recomputed by the rule of the claim it repeats.
RESTATED = {
    "hhi_2012": ("abs_hhi_2012",),
    "hhi_2015": ("abs_hhi_2015",),
    "gva_mining_2015": ("abs_mining_share_2015", "intro_mining_share_2015"),
    "coef_coal_2011": ("abs_coal_coef_2011",),
    "coef_coal_2016": ("abs_coal_coef_2016",),
    "t3_marketability_2014": ("abs_marketability_2014", "mkt_coal_2014"),
    "t3_marketability_2016": ("abs_marketability_2016", "mkt_coal_2016"),
    "tourism_participants_2017": ("intro_tourism_participants",),
    "intro_clusters_created": ("concl_clusters_total",),
    "intro_clusters_linked": ("abs_clusters_linked", "res_clusters_linked", "concl_clusters_linked"),
}
RULES: tuple[Rule, ...] = _RULES + tuple(
    replace(r, claim_id=again) for r in _RULES for again in RESTATED.get(r.claim_id, ())
)


def recompute_hhi(year: int) -> tuple[float, float]:
    """HHI of Table 1's printed shares in ``year``, sum_i s_i^2, and the rounding bound on it (NaN if
    a share is missing)."""
    return hhi_of(f"hhi_{year}", year).evaluate()


def hhi_gap(year: int) -> float:
    """The text's HHI of ``year`` minus :func:`recompute_hhi` (published - sum_i s_i^2 of Table 1)."""
    return claim_cell(f"hhi_{year}").value - recompute_hhi(year)[0]


def closing_shares(year: int) -> dict[str, tuple[float, float]]:
    """``{item: (printed s, s')}`` for the one-decimal shares s of Table 1 in ``year`` for which
    s' = sqrt(s^2 + gap) (:func:`hhi_gap`), the value that alone would close the gap, still rounds to
    the printed s: the less-rounded shares the published HHI admits, one at a time."""
    t = paper.table(1)
    t = t[(t["year"] == year) & (t["item"] != "total") & (t["decimals"] == 1)]
    gap, out = hhi_gap(year), {}
    for _, r in t.iterrows():
        sq = float(r["value"]) ** 2 + gap
        if sq >= 0 and abs(np.sqrt(sq) - float(r["value"])) < 0.05:
            out[str(r["item"])] = (float(r["value"]), float(np.sqrt(sq)))
    return out


def _digits_apart(a: float, b: float) -> int:
    """Digits in which ``a`` and ``b`` differ, written with two decimals."""
    return sum(x != y for x, y in zip(f"{a:.2f}", f"{b:.2f}")) + abs(len(f"{a:.2f}") - len(f"{b:.2f}"))


def rosstat_share(letter: str, year: int) -> float:
    """Rosstat's % share of OKVED-2007 section ``letter`` in the region's GVA (gva_structure.csv)."""
    g = rosstat.table("gva_structure")
    hit = g[(g["region_id"] == paper.REGION) & (g["okved"] == "OKVED2007") & (g["activity"] == letter)]
    return float(hit.loc[hit["year"] == year, "value"].iloc[0])


def _closing(year: int) -> str:
    return " or ".join(f"{i} alone at {v:.3f} (printed {s:g})" for i, (s, v) in closing_shares(year).items())


def hhi_2011_note() -> str:
    """The 2011 HHI's gap to Table 1's printed shares, both readings weighed (from the data)."""
    pub, (rec, tol) = claim_cell("hhi_2011").value, recompute_hhi(2011)
    gap, s_m = pub - rec, closing_shares(2011)["mining"]
    return (
        f"the published {pub:.2f} is {-gap:.3f} below the sum of squares of Table 1's printed shares ({rec:.3f}); "
        f"written with two decimals they differ in {_digits_apart(pub, rec)} digit. Two readings, neither ruled "
        f"out: (a) a misprint of that digit, which predicts a gap of a whole {round(gap):+d}, as found "
        f"({gap:+.3f}); (b) shares less rounded than printed: {_closing(2011)} closes the gap and still rounds "
        f"to the printed figure, well within the rounding bound ({tol:.2f}). For (a): under (b) a gap so near a "
        "whole number would be a coincidence. For (b): the author did square less-rounded shares in 2014 "
        f"(hhi_2014: a gap of {hhi_gap(2014):+.3f} the printed shares cannot give). Rosstat's 2011 mining share, "
        f"{rosstat_share('C', 2011):.1f}, is also rounded to one decimal: it cannot tell {s_m[1]:.3f} from "
        f"{s_m[0]:g} and favours neither reading. The status is within rounding under both"
    )


def hhi_2014_note() -> str:
    """Why the 2014 HHI misses Table 1's printed shares by far more than 2012's (from the data)."""
    pub, (rec, _) = claim_cell("hhi_2014").value, recompute_hhi(2014)
    gap, g12, g13 = pub - rec, hhi_gap(2012), hhi_gap(2013)
    s_m = closing_shares(2014)["mining"]
    return (
        f"the published {pub:.2f} is {-gap:.3f} below the sum of squares of Table 1's printed shares ({rec:.3f}), "
        f"{abs(gap / g12):.0f} times 2012's gap ({g12:+.4f}) and {abs(gap / g13):.0f} times 2013's ({g13:+.4f}); "
        f"{_digits_apart(pub, rec)} digits differ, so not a one-digit misprint. The printed shares cannot give "
        f"{pub:.2f}: the author squared at least one share less rounded than Table 1 prints; {_closing(2014)} "
        "would close the gap and still round to the printed one-decimal figure. Rosstat's current 2014 mining "
        f"share is {rosstat_share('C', 2014):.1f}, which neither the printed {s_m[0]:g} nor {s_m[1]:.3f} rounds "
        "to: presumably the paper's source was an earlier edition of the regional accounts (t1_mining_2014 on "
        "the official axis)"
    )


def agro_note() -> str:
    """The agro cluster's share of SMEs against the counts the text gives (from the data)."""
    sme, n, share = (claim_cell(c).value for c in ("agro_sme", "intro_agro_participants", "agro_sme_share"))
    smes = [k for k in range(int(n) + 1) if round(100 * k / n) == share]
    members = [m for m in range(int(sme), 2 * int(n)) if round(100 * sme / m) == share]
    return (
        f"{sme:g} SMEs of {n:g} members is {100 * sme / n:.1f} %, not {share:g} %; {share:g} % of {n:g} members "
        f"would be {' or '.join(map(str, smes))} SMEs, and {sme:g} SMEs would be {share:g} % of "
        f"{' or '.join(map(str, members))} members. A hypothesis the paper gives no means to test: the counts "
        "and the share were taken from sources of different dates (it names no date or source for either); a "
        "slip in the share or in one count would explain the gap as well"
    )


# Why a recomputable number falls outside its tolerance. Every discrepancy needs one. A callable
# note is generated from the data when the ledger is built (:func:`diagnosis`).
DIAGNOSES: dict[str, str | Callable[[], str]] = {
    "coef_oil_ratio": "0.48 / 0.07 = 6.86 from the printed, rounded coefficients; the paper's 6.7 "
    "was presumably computed from unrounded ones",
    "coal_coke_investment_change": "2061.8 / 1815 = 1.1360, i.e. +13.6 %; the printed 13.5 would follow "
    "from cutting 13.59 off after one decimal instead of rounding, a hypothesis: elsewhere the paper "
    "rounds (57.59 -> 58, 6.873 -> 6.9)",
    "coal_chem_investment_change": "1860.8 / 1436 = 1.2958, i.e. +29.6 %; the printed 29.5 is within "
    "the rounding of the two amounts, and would also follow from cutting 29.58 off after one decimal",
    "export_coal_growth": "Table 3's exports give +6.46 %; the printed 6.4 would follow from cutting "
    "6.46 off after one decimal instead of rounding to 6.5, a hypothesis: elsewhere the paper rounds "
    "(57.59 -> 58, 6.873 -> 6.9)",
    "tourism_participants_2017": "74 members at the end of 2016 plus 21 added in 2017 make 95, "
    "not 97: one of the three counts is misprinted, or the text omits "
    "other changes",
    "intro_tourism_participants": "see tourism_participants_2017: the counts in the text add up to 95",
    "intro_tourism_sme_share": "no whole number of SMEs among 97 members gives 82.3 % "
    "(80/97 = 82.5 %, 79/97 = 81.4 %); the share was presumably taken "
    "from a list with another total (e.g. 79/96 = 82.3 %)",
    "agro_sme_share": agro_note,
    "rail_ferrous_in_share": "the text puts ferrous metals (about 7 %, 5th place) among inbound "
    "cargo, but Table 4 gives these figures for OUTBOUND ferrous metals "
    "(7.1, 7.0, 6.1 %, rank 5); inbound is about 2 %, rank 14-17",
    "rail_ferrous_in_rank": "see rail_ferrous_in_share: rank 5 is that of outbound ferrous metals",
    "hhi_2011": hhi_2011_note,
    "hhi_2014": hhi_2014_note,
}


def diagnosis(claim_id: str) -> str:
    """The note of ``DIAGNOSES`` for ``claim_id`` ("" if none), generated if it is callable."""
    d = DIAGNOSES.get(claim_id, "")
    return d if isinstance(d, str) else d()


QUALIFIER_NOTES = {">": "claim 'more than'", "<=": "claim 'does not exceed'", "~": "claim 'about'"}


def _status(
    published: float,
    recomputed: float,
    decimals: int,
    qualifier: str | None,
    tol_inputs: float,
    count: bool = False,
) -> tuple[str, float, float]:
    """``(status, abs_diff, tolerance)`` of one number (module docstring); ``count``: the published
    number is an exact count, so its own rounding adds nothing to the tolerance."""
    if np.isnan(recomputed):
        return "transcribed_only", np.nan, np.nan
    half = 0.0 if count else 0.5 * 10.0 ** (-decimals)
    diff = abs(recomputed - published)
    tol = tol_inputs + half
    if qualifier == ">":
        return ("reproduced" if recomputed > published else "discrepancy"), diff, tol
    if qualifier == "<=":
        return ("reproduced" if recomputed <= published + half else "discrepancy"), diff, tol
    if qualifier == "~":
        # "about N": the recomputed value rounds to N at the published precision, or lies within
        # one unit of its last digit.
        ok = diff <= 2 * half + tol_inputs
        return ("reproduced" if ok else "discrepancy"), diff, tol
    if round(recomputed, decimals) == round(published, decimals) or diff < 1e-9:
        return "reproduced", diff, tol
    return ("within_rounding" if diff <= tol + 1e-9 else "discrepancy"), diff, tol


def _row(
    claim_id: str,
    source: str,
    quantity: str,
    published: float,
    decimals: int,
    qualifier: str | None,
    rule: Rule | None,
    base_note: str | None,
    count: bool = False,
) -> dict[str, object]:
    recomputed, tol_in = (np.nan, 0.0) if rule is None else rule.evaluate()
    coarse = ""
    if rule is not None and tol_in >= abs(recomputed) > 0:
        # Inputs printed so coarsely that their rounding can move the result by more than its own
        # size: no published value near it could fail the check, so it is not counted as one.
        lo, hi = rule.span()
        coarse = (
            f"not a check: the printed inputs give {recomputed:g}, but their rounding allows any value from "
            f"{lo:.2f} to {hi:.2f} (a bound of {tol_in:.2f}, above the value itself), so no published number in "
            "that range could fail"
        )
        recomputed = np.nan
    status, diff, tol = _status(published, recomputed, decimals, qualifier, tol_in, count)
    note_parts = [p for p in (coarse, "" if rule is None else rule.describe(), base_note) if p]
    if qualifier and status != "transcribed_only":
        note_parts.insert(0, QUALIFIER_NOTES[qualifier])
    if status == "discrepancy":
        note_parts.insert(0, "DIAGNOSIS: " + diagnosis(claim_id))
    elif claim_id in DIAGNOSES:
        note_parts.append("why it differs: " + diagnosis(claim_id))
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


def _str(v: object) -> str | None:
    # Empty CSV fields are read as NaN.
    return v if isinstance(v, str) else None


def _index(rules: Iterable[Rule]) -> dict[str, Rule]:
    by_id: dict[str, Rule] = {}
    for r in rules:
        if r.claim_id in by_id:
            raise ValueError(f"two rules recompute {r.claim_id}")
        by_id[r.claim_id] = r
    return by_id


def table_claim_id(row: pd.Series | dict[Hashable, Any]) -> str:
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
    """The ledger of Kemerovo region: every table cell and every text number of the paper, with
    ``RULES`` evaluated for the numbers they recompute and the status of each (module docstring)."""
    rules = _index(RULES)
    rows = []
    for n in range(1, 8):
        for _, cell in paper.table(n).iterrows():
            if pd.isna(cell["value"]):
                continue  # not printed: nothing published (data/raw/README.md explains the gap)
            cid = table_claim_id(cell)
            rows.append(
                _row(
                    cid,
                    f"Table {n}",
                    cell["quantity"],
                    float(cell["value"]),
                    int(cell["decimals"]),
                    None,
                    rules.get(cid),
                    _str(cell["note"]),
                    cell["unit"] in COUNT_UNITS,
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
                _str(t["qualifier"]),
                rules.get(t["claim_id"]),
                _str(t["note"]),
                t["unit"] in COUNT_UNITS,
            )
        )
    rows += claims.rows()
    df = pd.DataFrame(rows, columns=COLUMNS)
    if unused := sorted(rules.keys() - set(df["claim_id"])):
        raise ValueError(f"rules for numbers the paper does not publish: {unused}")
    for col in ("published", "recomputed", "abs_diff", "tolerance"):
        df[col] = df[col].astype(float).round(6)
    return df


def summary(ledger: pd.DataFrame) -> pd.DataFrame:
    """Count of ledger rows by source and status."""
    return ledger.pivot_table(
        index="source", columns="status", values="claim_id", aggfunc="count", fill_value=0
    ).reindex(columns=list(STATUSES), fill_value=0)
