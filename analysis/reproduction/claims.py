"""Sentences of the paper that state no number of their own, checked against the paper's tables.

Two kinds, each one row of the ledger (:func:`analysis.reproduction.ledger.build`):

- a **general statement** ("all categories arrive less than they leave", "the coefficients of the
  processing industries fall") admits no exception: ``published`` is 0, the exceptions it admits;
  ``recomputed`` is the number of exceptions the paper's own tables show; the status is
  ``reproduced`` if there are none and ``contradicted`` otherwise, the note then opening with
  "DIAGNOSIS: " and the exceptions (generated from the tables);
- a **claim about an activity no table prints** (machinery as a specialisation, education "close
  to 1"): ``recomputed`` counts the cells of Tables 5 and 6 that could support it; with none the
  status is ``unsupported`` and ``published`` is empty (the sentence prints no number).

The statements are paraphrased in ``statement``; ``context_ru`` quotes the words checked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.inputs import paper

# Table 2's goods of the processing (manufacturing) industries: all but coal (mining) and
# electricity and heat (utilities), by OKVED-2007 section.
NOT_PROCESSING = ("coal", "electricity", "heat")
# The inbound cargoes the text names as the largest (text_numbers.csv: rail_ores_in_share,
# rail_ferrous_in_share).
INBOUND_LISTED = ("ores", "ferrous_metals")

Check = Callable[[], tuple[float, str]]


@dataclass(frozen=True)
class TextClaim:
    """A sentence without a number: where it is, what it says, and how it is checked."""

    claim_id: str
    section: str
    quantity: str
    statement: str
    context_ru: str
    check: Check
    general: bool = True  # a general statement (exceptions counted), else a claim with no printed support


def _full_years_t4(quantity: str, direction: str) -> pd.DataFrame:
    return paper.wide(4, index="item", quantity=quantity, period="year", direction=direction)


def largest_inbound_not_listed() -> tuple[float, str]:
    """Years in which the cargo with the largest inbound share of Table 4 is not among those the
    text lists as the largest (``INBOUND_LISTED``)."""
    share = _full_years_t4("rail_share_of_russia", "in").drop(index="all_cargo")
    rank = _full_years_t4("rail_rank", "in")
    top = share.idxmax()
    off = [int(y) for y in top.index if top[y] not in INBOUND_LISTED]
    shown = ", ".join(f"{top[y]} {share.at[top[y], y]:g} % (rank {rank.at[top[y], y]:g}) in {y}" for y in off)
    return float(len(off)), (
        f"the largest inbound share in Table 4 is {shown}; the text names only "
        + " and ".join(INBOUND_LISTED)
        if off
        else "in every year the largest inbound share is one the text names"
    )


def inbound_not_below_outbound() -> tuple[float, str]:
    """Cargo-years of Table 4 (full years) in which inbound volume is not below outbound."""
    vin, vout = _full_years_t4("rail_volume", "in"), _full_years_t4("rail_volume", "out")
    off = [(i, int(y)) for i in vin.index for y in vin.columns if vin.at[i, y] >= vout.at[i, y]]
    text = "; ".join(
        f"{i} {y}: in {vin.at[i, y]:,.0f} >= out {vout.at[i, y]:,.0f} thousand t" for i, y in off
    )
    return float(len(off)), (text or "every cargo leaves in larger volume than it arrives, every year")


def processing_coefficients_rising() -> tuple[float, str]:
    """Goods of the processing industries in Table 2 whose per-capita coefficient is higher in
    the last year than in the first."""
    w = paper.wide(2)
    first, last = w.columns.min(), w.columns.max()
    proc = w.drop(index=list(NOT_PROCESSING))
    up = proc[proc[last] > proc[first]]
    text = "; ".join(f"{i} {r[first]:g} -> {r[last]:g}" for i, r in up.iterrows())
    return float(len(up)), (
        f"{len(up)} of {len(proc)} processing goods of Table 2 rise {first}-{last}: {text}"
        if len(up)
        else f"all {len(proc)} processing goods of Table 2 fall {first}-{last}"
    )


def large_structural_changes() -> tuple[float, str]:
    """Activities of Table 1, trade (the yardstick) left out, whose share changed between the
    paragraph's own endpoints, 2010 and 2015, by more than the fall the same paragraph calls
    significant (trade, ``gva_trade_2010`` minus ``gva_trade_2015``): |s_2015 - s_2010| > that fall.
    Activities with no 2010 share in Table 1 cannot be compared and are named in the note."""
    first, last = 2010, 2015
    yardstick = paper.claim("gva_trade_2010") - paper.claim("gva_trade_2015")
    w = paper.wide(1).drop(index=["total", "trade"])
    both = w[[first, last]].dropna()
    change = both[last] - both[first]
    big = change[change.abs() > yardstick + 1e-9].sort_values(key=abs, ascending=False)
    text = "; ".join(
        f"{i} {both.at[i, first]:g} -> {both.at[i, last]:g} ({v:+.2f} points)" for i, v in big.items()
    )
    largest_other = change.drop(index=big.index).abs().idxmax()
    return float(len(big)), (
        f"the paragraph calls trade's fall of {yardstick:.2f} points ({first}-{last}) significant; of the "
        f"{len(both)} other activities Table 1 gives in both years, "
        + (f"{len(big)} changed more: {text}" if len(big) else "none changed more")
        + f" (the next largest, {largest_other}, {change[largest_other]:+.2f}); {len(w) - len(both)} activities have "
        f"no {first} share in Table 1"
    )


def printed_support(items: tuple[str, ...]) -> Check:
    """Cells of Tables 5 and 6 (location quotients) printed for any of ``items``."""

    def count() -> tuple[float, str]:
        n = 0
        for k in (5, 6):
            t = paper.table(k)
            n += int(t.loc[t["item"].isin(items), "value"].notna().sum())
        return float(n), (
            f"Tables 5 and 6 print no location quotient for {' or '.join(items)}: the sentence rests on no printed number"
            if n == 0
            else f"{n} cells of Tables 5-6 print it"
        )

    return count


CLAIMS: tuple[TextClaim, ...] = (
    TextClaim(
        "claim_inbound_largest",
        "results",
        "counter_examples",
        "the largest inbound cargoes are ores (about 14 %) and ferrous metals (about 7 %)",
        "Наибольший удельный вес среди ввозимых в Кузбасс грузов имеют позиции: руды всякие ..., черные металлы",
        largest_inbound_not_listed,
    ),
    TextClaim(
        "claim_all_cargo_in_below_out",
        "results",
        "counter_examples",
        "cargo of every category arrives in much smaller volume than it leaves",
        "грузов всех категорий ввозится значительно меньше, чем вывозится",
        inbound_not_below_outbound,
    ),
    TextClaim(
        "claim_processing_coefficients_fall",
        "results",
        "counter_examples",
        "the per-capita coefficients of the processing industries fall (steel, meat as examples)",
        "Коэффициенты душевого производства в перерабатывающих отраслях снижаются",
        processing_coefficients_rising,
    ),
    TextClaim(
        "claim_gva_structure_stable",
        "results",
        "counter_examples",
        "the structure of GVA did not change significantly in 2010-2015",
        "структура производства валовой добавленной стоимости ... не претерпела значительных изменений",
        large_structural_changes,
    ),
    TextClaim(
        "claim_machinery_specialisation",
        "results",
        "printed_support",
        "machinery and equipment remains a specialisation of the region (LQs of 2016)",
        "специализацией Кемеровской области остаются ... производство машин и оборудования",
        printed_support(("machinery", "machinery_equipment")),
        general=False,
    ),
    TextClaim(
        "claim_nonmetallic_near_one",
        "results",
        "printed_support",
        "other non-metallic mineral products have a location quotient close to 1",
        "близкие к единице, имеют ... производство прочих неметаллических минеральных продуктов",
        printed_support(("non_metallic_minerals", "nonmetallic_minerals")),
        general=False,
    ),
    TextClaim(
        "claim_education_near_one",
        "results",
        "printed_support",
        "education has a location quotient close to 1",
        "близкие к единице, имеют ... образование",
        printed_support(("education",)),
        general=False,
    ),
)


def rows() -> list[dict[str, object]]:
    """One ledger row per claim (module docstring), in the ledger's columns."""
    out = []
    for c in CLAIMS:
        found, text = c.check()
        if c.general:
            status = "reproduced" if found == 0 else "contradicted"
            published: float = 0.0
        else:
            if found:
                raise ValueError(f"{c.claim_id}: the tables now print support for it; give it a rule")
            status, published = "unsupported", np.nan
        out.append(
            {
                "claim_id": c.claim_id,
                "source": f"{c.section.capitalize()} (text)",
                "quantity": c.quantity,
                "published": published,
                "recomputed": found,
                "abs_diff": abs(found - published) if c.general else np.nan,
                "tolerance": 0.0 if c.general else np.nan,
                "status": status,
                "note": (
                    f"DIAGNOSIS: {text}; the text: {c.statement} («{c.context_ru}»)"
                    if status == "contradicted"
                    else f"the text: {c.statement} («{c.context_ru}»); {text}"
                ),
            }
        )
    return out
