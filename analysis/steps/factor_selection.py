"""Step 1 of the paper's method (section "Method"): the factors of cluster formation, which of
them depend on the region's specialisation, what indicator measures each, and which the
Conclusion names for Kemerovo region. Notebook ``01_factor_selection``.

Read from ``data/raw/paper/factors.csv``; nothing is computed beyond counting. Whether a factor
depends on the specialisation is either ``stated`` by the Method (its list of six such factors,
or a factor of its list left out of the six) or ``inferred`` by this compendium from another
passage (column ``dependence_basis``, the passage in ``dependence_passage``): only stated rows
are ever attributed to the Method.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from analysis.core import figures as F
from analysis.core import labels as L
from analysis.inputs import paper

COLUMNS = [
    "factor_id",
    "factor_en",
    "depends_on_specialisation",
    "dependence_basis",
    "dependence_passage",
    "indicators",
    "named_in_conclusion",
    "source",
]


def factor_table() -> pd.DataFrame:
    """Factors of cluster formation (Method section, plus those the Introduction or Conclusion
    adds): does each depend on the region's specialisation, is that stated by the Method or
    inferred here (and from which passage), what measures it, and does the Conclusion name it for
    Kemerovo region."""
    return paper.factors()[COLUMNS].fillna({"indicators": ""})


def dependent(f: pd.DataFrame, basis: str) -> list[str]:
    """Ids of the factors marked as depending on the specialisation whose ``dependence_basis`` is
    ``basis`` (``stated``: the Method's own list; ``inferred``: this compendium's reading)."""
    return f.loc[
        (f["depends_on_specialisation"] == "yes") & (f["dependence_basis"] == basis), "factor_id"
    ].tolist()


def _counts(f: pd.DataFrame, column: str, columns: list[str]) -> pd.DataFrame:
    """Counts of factors by (depends on specialisation: yes, no) x ``column`` (in ``columns``' order)."""
    return pd.crosstab(
        f["depends_on_specialisation"],
        f[column],
        rownames=["depends_on_specialisation"],
        colnames=[column],
    ).reindex(index=["yes", "no"], columns=columns, fill_value=0)


def dependence_summary(f: pd.DataFrame) -> pd.DataFrame:
    """Counts of factors by (depends on specialisation) x (stated by the Method or inferred)."""
    return _counts(f, "dependence_basis", ["stated", "inferred"])


def factor_summary(f: pd.DataFrame) -> pd.DataFrame:
    """Counts of factors by (depends on specialisation) x (named in the Conclusion)."""
    return _counts(f, "named_in_conclusion", ["yes", "no"])


# ------------------------------------------------------------------------------------ figures
INFERRED_SHADE = 0.45  # cell shade of an inferred "yes" (a stated "yes" is 1, "no" is 0)


def draw_factors(f: pd.DataFrame, *, lang: str) -> Figure:
    """Matrix of factors: depends on specialisation / named in the Conclusion. A dependence the
    Method states is a filled dot on a dark cell; one this compendium infers, a hollow dot on a
    light cell (explained below the figure, not in a legend over the cells)."""
    cols = ["depends_on_specialisation", "named_in_conclusion"]
    inferred = (f["dependence_basis"] == "inferred").to_numpy()
    m = np.array([[1.0 if v == "yes" else 0.0 for v in f[c]] for c in cols]).T
    m[:, 0] = np.where(inferred & (m[:, 0] > 0), INFERRED_SHADE, m[:, 0])
    fig, ax = F.new(6.5, 0.28 * len(f) + 1.2)
    ax.imshow(m, cmap="Blues", vmin=0, vmax=1.4, aspect="auto")
    ax.set_xticks(range(len(cols)), [L.label(c, lang) for c in cols])
    ax.set_yticks(range(len(f)), f["factor_id"].str.replace("_", " "))
    ax.tick_params(axis="x", top=True, bottom=False, labeltop=True, labelbottom=False)
    ax.grid(False)
    for (i, j), v in np.ndenumerate(m):
        mark = "" if v == 0 else ("○" if v == INFERRED_SHADE else "●")
        ax.text(j, i, mark, ha="center", va="center", color="white" if v == 1 else "#08306B", fontsize=9)
    ax.set_title(L.label("title.factors", lang), pad=28)
    F.source_note(fig, L.label("factor_inferred_note", lang) + "\n" + L.label("source_paper", lang))
    return fig


def reading_attribution(f: pd.DataFrame) -> str:
    """Which dependences the Method states and which this compendium infers, in words generated
    from the table (Markdown). Only ``stated`` rows are attributed to the Method."""
    stated, inferred = dependent(f, "stated"), dependent(f, "inferred")
    other_inferred = f.loc[
        (f["dependence_basis"] == "inferred") & (f["depends_on_specialisation"] != "yes"), "factor_id"
    ].tolist()
    return (
        f"The Method states that the specialisation shapes {len(stated)} factors ({', '.join(stated) or 'none'})."
        + (
            f" This compendium also marks {len(inferred)} as depending on it on its own reading of other passages "
            f"({', '.join(inferred)}), shown as inferred."
            if inferred
            else ""
        )
        + (
            f" For {', '.join(other_inferred)} the Method says nothing either way; 'no' is this compendium's reading."
            if other_inferred
            else ""
        )
    )


def reading(f: pd.DataFrame) -> str:
    """What the factor table says against the Conclusion, in words generated from it (Markdown)."""
    dep = f[f["depends_on_specialisation"] == "yes"]
    other = f[f["depends_on_specialisation"] != "yes"]
    named_dep = dep[dep["named_in_conclusion"] == "yes"]
    named_other = other[other["named_in_conclusion"] == "yes"]["factor_id"].tolist()
    named_stated = named_dep[named_dep["dependence_basis"] == "stated"]["factor_id"].tolist()
    named_inferred = named_dep[named_dep["dependence_basis"] == "inferred"]["factor_id"].tolist()
    with_indicator = f[f["indicators"].str.len() > 0]
    return (
        f"Of {len(dep)} factors marked as depending on the specialisation, the Conclusion names {len(named_dep)} "
        f"as at work in the paper's region: {len(named_stated)} the Method states as depending on it "
        f"({', '.join(named_stated) or 'none'})"
        + (
            f" and {len(named_inferred)} inferred here ({', '.join(named_inferred)})"
            if named_inferred
            else ""
        )
        + f"; of the {len(other)} others it names "
        f"{len(named_other)} ({', '.join(named_other) or 'none'}). {len(with_indicator)} factors have an indicator "
        "that can be measured for a cluster; step 2 collects them."
    )
