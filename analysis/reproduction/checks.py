"""Checks that relate several published numbers to one another or to an official figure, beside
the ledger's one-number rules, and the ``checked_via`` column that makes the ledger's checked share
auditable.

A check has an id (``check_*``), the claim ids of the published numbers it takes as inputs, the
value it computes, the bound it must meet, and whether it passes. Three kinds today:

- **Table 7's aggregation** (``check_t7_industry_aggregation_<year>``): an index of industry is an
  average of its components' indices, so the printed industry index must lie within the range of
  mining's, manufacturing's and utilities' of the same year, and near their mean weighted by the
  components' shares of GVA in the previous year (Table 1):
  :math:`\\bar I_t = \\sum_a w_{a,t-1} I_{a,t} / \\sum_a w_{a,t-1}`. "Near" is
  :data:`AGGREGATION_TOLERANCE` index points, a choice stated here: GVA shares are not the
  output weights Rosstat uses, and Rosstat's own annual indices of the region meet it in every year
  (the test module checks that).
- **The rail identity** (``check_rail_dispatch_identity_<year>``): Rosstat's dispatch of freight
  by rail from the region (``rail_dispatch.csv``, appendix section 16.1) loads both the tonnes
  Table 4 counts as leaving the region and the coal Table 3 counts as exported, so it must cover
  their sum, and the rest, every other export, must be small: a residual
  :math:`D - (V^{out} + X^{coal})` between 0 and :data:`RAIL_RESIDUAL_MAX` of :math:`D`.
- **The coal exports of the text against Table 3** (``check_coal_export_sources_<year>``), paper
  against paper: the text's exports of coal (``coal_export_<year>``, Mt, from the Federal Customs
  Service by its footnote) and Table 3's coal shipped out for export (thousand t, from Rosstat,
  Kemerovostat and CARGO-REPORT.INFO by its footnote) count the same tonnes, so they must agree
  within the rounding of both: :math:`|X^{text} - X^{T3}/1000| \\le e^{text} + e^{T3}/1000`.

``checked_via`` (:func:`checked_via`): for each ledger row, the ids of the passing one-number rules
(``status`` reproduced or within rounding) and passing checks that take it as an input, ``;``
separated. A published number counts as checked (:func:`is_checked`) when it is recomputed (any
status but ``transcribed_only``), has an official counterpart, or has a ``checked_via`` entry.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.inputs import paper, rosstat
from analysis.reproduction import claims, ledger

AGGREGATION_TOLERANCE = 1.0  # index points between the printed industry index and the weighted mean
RAIL_RESIDUAL_MAX = 0.05  # the largest share of dispatch left for every export but coal's
COMPONENTS = ("mining", "manufacturing", "utilities")
PASSING = ("reproduced", "within_rounding")  # statuses of a one-number rule that passes
COLUMNS = ["check_id", "subject", "inputs", "value", "reference", "bound", "passes", "note"]


@dataclass(frozen=True)
class Check:
    """One check: its inputs (ledger claim ids), the value computed, the printed or official number
    it is set against, the bound, whether it passes, and a note generated from the numbers."""

    check_id: str
    subject: str
    inputs: tuple[str, ...]
    value: float
    reference: float
    bound: float
    passes: bool
    note: str


def weighted_mean(indices: dict[str, float], weights: dict[str, float]) -> float:
    """:math:`\\sum_a w_a I_a / \\sum_a w_a` over the keys of ``indices``."""
    w = np.array([weights[a] for a in indices])
    return float(np.dot(w, [indices[a] for a in indices]) / w.sum())


def aggregation(industry: float, indices: dict[str, float], weights: dict[str, float]) -> tuple[float, bool]:
    """``(weighted mean, passes)``: the industry index lies within its components' range and
    within :data:`AGGREGATION_TOLERANCE` of their weighted mean."""
    m = weighted_mean(indices, weights)
    lo, hi = min(indices.values()), max(indices.values())
    return m, bool(lo <= industry <= hi and abs(industry - m) <= AGGREGATION_TOLERANCE)


def official_industry(region: str, year: int) -> dict[str, float]:
    """Rosstat's annual OKVED-2007 indices of industry and its components (``production_indices.csv``)."""
    p = rosstat.table("production_indices")
    p = p[(p["region_id"] == region) & (p["okved"] == "OKVED2007") & (p["year"] == year)]
    return dict(zip(p["activity"], p["value"].astype(float)))


def industry_aggregation() -> list[Check]:
    """Table 7's industry index of the paper's region against its components, every year Table 1
    gives the previous year's shares (module docstring); the note sets Rosstat's annual indices
    through the same check."""
    t7 = paper.table(7)
    t7 = t7[t7["region"] == paper.REGION].pivot_table(index="item", columns="year", values="value")
    t1 = paper.wide(1)
    out = []
    for year in t7.columns:
        if year - 1 not in t1.columns or t1.loc[list(COMPONENTS), year - 1].isna().any():
            continue
        comp = {a: float(t7.at[a, year]) for a in COMPONENTS}
        weights = {a: float(t1.at[a, year - 1]) for a in COMPONENTS}
        industry = float(t7.at["industry", year])
        m, ok = aggregation(industry, comp, weights)
        off = official_industry(paper.REGION, int(year))
        om, o_ok = aggregation(off["industry"], {a: off[a] for a in COMPONENTS}, weights)
        lo, hi = min(comp.values()), max(comp.values())
        where = "within" if lo <= industry <= hi else "above" if industry > hi else "below"
        note = (
            f"{year}: the printed industry index {industry:g} lies {where} its components' range ({lo:g}-{hi:g}: "
            + ", ".join(f"{a} {v:g}" for a, v in comp.items())
            + f"); weighted by Table 1's {year - 1} shares ("
            + ", ".join(f"{weights[a]:g}" for a in COMPONENTS)
            + f") they give {m:.2f}, {industry - m:+.2f} from the printed index; Rosstat's annual index {off['industry']:g} "
            f"is {off['industry'] - om:+.2f} from its own components' weighted mean ({om:.2f}) and "
            + ("passes" if o_ok else "fails")
            + " the same check"
        )
        out.append(
            Check(
                f"check_t7_industry_aggregation_{year}",
                "Table 7: industry index within its components' range and near their weighted mean",
                tuple(f"t7_{paper.REGION}_{a}_{year}" for a in ("industry", *COMPONENTS))
                + tuple(f"t1_{a}_{year - 1}" for a in COMPONENTS),
                round(m, 6),
                industry,
                AGGREGATION_TOLERANCE,
                ok,
                note,
            )
        )
    return out


def rail_identity() -> list[Check]:
    """Rosstat's rail dispatch from the paper's region against Table 4's outflow plus Table 3's coal
    exports (module docstring), every year both print."""
    d = rosstat.table("rail_dispatch")
    d = d[d["region_id"] == paper.REGION].set_index("year")["value"]
    out = []
    for year in ledger.PAPER_YEARS:
        try:
            v_out = ledger.t4("all_cargo", "out", "rail_volume", year)()
            x = ledger.t3("coal_out_export", year)()
        except KeyError:
            continue
        if year not in d.index:
            continue
        dispatch = float(d[year])
        both = (v_out.value + x.value) / 1000  # thousand t -> million t
        residual = dispatch - both
        ok = bool(0 <= residual <= RAIL_RESIDUAL_MAX * dispatch)
        out.append(
            Check(
                f"check_rail_dispatch_identity_{year}",
                "Rosstat's rail dispatch = Table 4's outflow + Table 3's coal exports + other exports",
                (v_out.claim_id, x.claim_id),
                round(both, 6),
                dispatch,
                RAIL_RESIDUAL_MAX * dispatch,
                ok,
                f"{year}: Table 4's outflow {v_out.value / 1000:.1f} Mt + Table 3's coal exports {x.value / 1000:.1f} Mt = "
                f"{both:.1f} Mt against Rosstat's dispatch {dispatch:g} Mt (rr2022_section16_transport.xlsx:16.1.): "
                f"{residual:.1f} Mt ({100 * residual / dispatch:.1f} %) left for every other export",
            )
        )
    return out


def coal_export_sources() -> list[Check]:
    """The text's coal exports against Table 3's, every year both give (module docstring)."""
    t = paper.text_numbers()
    out = []
    for _, r in t[t["quantity"] == "export_coal"].iterrows():
        year = int(r["year"])
        try:
            t3 = ledger.t3("coal_out_export", year)()
        except KeyError:
            continue
        text = ledger.claim_cell(str(r["claim_id"]))
        t3_mt = t3.value / 1000  # thousand t -> million t
        diff = text.value - t3_mt
        bound = text.half_unit + t3.half_unit / 1000
        ok = bool(abs(diff) <= bound + 1e-9)
        out.append(
            Check(
                f"check_coal_export_sources_{year}",
                "the text's coal exports (customs) = Table 3's coal shipped out for export",
                (text.claim_id, t3.claim_id),
                round(t3_mt, 6),
                text.value,
                round(bound, 6),
                ok,
                f"{year}: the text's {text.value:g} Mt (the Federal Customs Service, its footnote) against Table 3's "
                f"{t3_mt:.2f} Mt shipped out for export (Rosstat, Kemerovostat, CARGO-REPORT.INFO): the text's is {diff:+.2f} Mt "
                f"({100 * diff / t3_mt:+.1f} %), "
                + (
                    f"within the {bound:.2f} Mt the rounding of both allows"
                    if ok
                    else f"beyond the {bound:.2f} Mt the rounding of both allows; presumably two measures of exports "
                    "(declared at customs, shipped out of the region) that the paper does not reconcile"
                ),
            )
        )
    return out


def table() -> pd.DataFrame:
    """Every check (:data:`COLUMNS`), inputs ``;`` separated."""
    every = (*industry_aggregation(), *rail_identity(), *coal_export_sources())
    rows = [{**c.__dict__, "inputs": ";".join(c.inputs)} for c in every]
    return pd.DataFrame(rows, columns=COLUMNS)


def checked_via(led: pd.DataFrame, checks: pd.DataFrame) -> pd.Series:
    """For each row of ``led``, the passing rules (``ledger.RULES`` whose row's status is in
    :data:`PASSING`) and passing ``checks`` that take it as an input, ``;`` separated, sorted."""
    status = led.set_index("claim_id")["status"]
    via: dict[str, set[str]] = {c: set() for c in led["claim_id"]}
    for rule in ledger.RULES:
        if status.get(rule.claim_id) not in PASSING:
            continue
        for cell in rule.inputs():
            if cell.claim_id and cell.claim_id in via and cell.claim_id != rule.claim_id:
                via[cell.claim_id].add(rule.claim_id)
    for c in checks[checks["passes"]].itertuples():
        for i in str(c.inputs).split(";"):
            if i in via:
                via[i].add(str(c.check_id))
    return pd.Series([";".join(sorted(via[c])) for c in led["claim_id"]], index=led.index, name="checked_via")


def with_checked_via(led: pd.DataFrame) -> pd.DataFrame:
    """``led`` (the ledger with its official axis) with :func:`checked_via` added as its last column."""
    return led.assign(checked_via=checked_via(led, table()))


def is_number(led: pd.DataFrame) -> pd.Series:
    """Rows that are published numbers, not the sentences without a number (:mod:`claims`)."""
    return ~led["claim_id"].isin([c.claim_id for c in claims.CLAIMS])


def is_checked(led: pd.DataFrame) -> pd.Series:
    """A number is checked when recomputed (status other than ``transcribed_only``), matched or
    set against an official figure (``official_status`` not empty), or named in ``checked_via``."""
    return (
        (led["status"] != "transcribed_only")
        | (led["official_status"].fillna("") != "")
        | (led["checked_via"].fillna("") != "")
    )


def checked_counts(led: pd.DataFrame) -> dict[str, int]:
    """``{numbers, checked, recomputed, official, via_only}``: the counts the README states, from
    the ledger alone."""
    n = led[is_number(led)]
    rec = n["status"] != "transcribed_only"
    off = n["official_status"].fillna("") != ""
    return {
        "numbers": len(n),
        "checked": int(is_checked(n).sum()),
        "recomputed": int(rec.sum()),
        "official": int(off.sum()),
        "via_only": int((is_checked(n) & ~rec & ~off).sum()),
    }


def reading(led: pd.DataFrame, chk: pd.DataFrame) -> str:
    """The checks and the checked share, in words generated from ``led`` (with ``checked_via``) and
    ``chk`` (:func:`table`) (Markdown)."""
    c = checked_counts(led)
    failing = chk[~chk["passes"]]
    lines = [
        f"{int(chk['passes'].sum())} of {len(chk)} checks across numbers pass"
        + (
            ": " + "; ".join(f"`{r.check_id}` fails ({r.note})" for r in failing.itertuples())
            if len(failing)
            else ""
        )
        + ".",
        f"Checked: {c['checked']} of {c['numbers']} published numbers ({100 * c['checked'] / c['numbers']:.1f} %): "
        f"{c['recomputed']} recomputed, {c['official']} set against an official figure, and {c['via_only']} more only "
        "as inputs of a passing rule or check (`checked_via`).",
    ]
    return "\n\n".join(lines)
