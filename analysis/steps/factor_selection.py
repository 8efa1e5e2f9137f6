"""Step 1 of the paper's method (section "Method"): the factors of cluster formation, which of
them depend on the region's specialisation, what indicator measures each, and which the
Conclusion names for Kemerovo region. Notebook ``01_factor_selection``.

Read from ``data/raw/paper/factors.csv``; nothing is computed beyond counting.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from analysis.core import figures as F
from analysis.core import labels as L
from analysis.inputs import paper


def factor_table() -> pd.DataFrame:
    """Factors of cluster formation (Method section): does each depend on the region's
    specialisation, what measures it, and does the Conclusion name it for Kemerovo region."""
    f = paper.factors()
    return f[
        ["factor_id", "factor_en", "depends_on_specialisation", "indicators", "named_in_conclusion", "source"]
    ].fillna({"indicators": ""})


def factor_summary(f: pd.DataFrame) -> pd.DataFrame:
    """Counts of factors by (depends on specialisation) x (named in the Conclusion)."""
    return pd.crosstab(
        f["depends_on_specialisation"],
        f["named_in_conclusion"],
        rownames=["depends_on_specialisation"],
        colnames=["named_in_conclusion"],
    ).reindex(index=["yes", "no"], columns=["yes", "no"], fill_value=0)


# ------------------------------------------------------------------------------------ figures
def draw_factors(f: pd.DataFrame, *, lang: str) -> Figure:
    """Matrix of factors: depends on specialisation / named in the Conclusion."""
    cols = ["depends_on_specialisation", "named_in_conclusion"]
    m = np.array([[1.0 if v == "yes" else 0.0 for v in f[c]] for c in cols]).T
    fig, ax = F.new(6.5, 0.28 * len(f) + 1.2)
    ax.imshow(m, cmap="Blues", vmin=0, vmax=1.4, aspect="auto")
    ax.set_xticks(range(len(cols)), [L.label(c, lang) for c in cols])
    ax.set_yticks(range(len(f)), f["factor_id"].str.replace("_", " "))
    ax.tick_params(axis="x", top=True, bottom=False, labeltop=True, labelbottom=False)
    ax.grid(False)
    for (i, j), v in np.ndenumerate(m):
        ax.text(j, i, "●" if v else "", ha="center", va="center", color="white", fontsize=9)
    ax.set_title(L.label("title.factors", lang), pad=28)
    F.source_note(fig, L.label("source_paper", lang))
    return fig


def reading(f: pd.DataFrame) -> str:
    """What the factor table says, in words generated from it (Markdown)."""
    dep = f[f["depends_on_specialisation"] == "yes"]
    other = f[f["depends_on_specialisation"] != "yes"]
    named_dep = dep[dep["named_in_conclusion"] == "yes"]["factor_id"].tolist()
    named_other = other[other["named_in_conclusion"] == "yes"]["factor_id"].tolist()
    with_indicator = f[f["indicators"].str.len() > 0]
    return (
        f"Of {len(dep)} factors marked as depending on the specialisation, the Conclusion names {len(named_dep)} "
        f"as at work in the paper's region ({', '.join(named_dep) or 'none'}); of the {len(other)} others it names "
        f"{len(named_other)} ({', '.join(named_other) or 'none'}). {len(with_indicator)} factors have an indicator "
        "that can be measured for a cluster; step 2 collects them."
    )
