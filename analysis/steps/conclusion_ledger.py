"""The ledger's figure of notebook ``07_conclusion``: the paper's numbers counted by source and by
their status on the two axes of the reproduction ledger (recomputation and official statistics; see
:mod:`analysis.reproduction.ledger` and :mod:`analysis.reproduction.official`)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from analysis.core import figures as F
from analysis.core import labels as L
from analysis.reproduction import ledger as ledger_rules
from analysis.reproduction import official

# Colours of the ledger's statuses on both axes; a status another rule brings gets the next free one.
STATUS_COLOURS = {
    "reproduced": F.PALETTE[2],
    "within_rounding": F.PALETTE[0],
    "discrepancy": F.PALETTE[3],
    "transcribed_only": "#BBBBBB",
    "official_match": F.PALETTE[5],
    "official_differs": F.PALETTE[1],
}


def ledger_counts(ledger: pd.DataFrame, column: str, statuses: tuple[str, ...]) -> pd.DataFrame:
    """Rows of the ledger counted by ``source`` (rows, in the ledger's order) and by the status in
    ``column`` (columns: ``statuses`` first, then any other non-empty status found, sorted); rows
    whose status is empty (no official counterpart) are not counted."""
    s = ledger[ledger[column].fillna("") != ""]
    found = sorted(set(s[column]) - set(statuses))
    sources = list(dict.fromkeys(ledger["source"]))
    return pd.crosstab(s["source"], s[column]).reindex(
        index=sources, columns=[*statuses, *found], fill_value=0
    )


def _source_label(source: str, lang: str) -> str:
    """``Table 7`` -> ``табл. 7``; ``Results (text)`` -> ``Результаты (текст)``; else unchanged."""
    if source.startswith("Table ") and source[6:].isdigit():
        return L.label("table", lang, n=int(source[6:]))
    if source.endswith(" (text)"):
        return L.name_of("section", source[: -len(" (text)")].lower(), lang)
    return source


def draw_ledger(ledger: pd.DataFrame, *, lang: str) -> Figure:
    """The ledger on both axes, side by side: the paper's numbers by source (rows) counted by their
    status on the recomputation axis (left: ``status``) and on the official-statistics axis (right:
    ``official_status``, numbers with an official counterpart only). Stacked bars, the count
    written in each segment wide enough to hold it; the legends sit under the panels."""
    panels = [
        ("status", ledger_rules.STATUSES, "ledger_axis_recomputation"),
        ("official_status", official.STATUSES, "ledger_axis_official"),
    ]
    counts = [ledger_counts(ledger, col, statuses) for col, statuses, _ in panels]
    sources = list(counts[0].index)
    fig, axes = F.new(
        7.0, 0.32 * len(sources) + 1.9, ncols=2, sharey=True, gridspec_kw={"width_ratios": [2.2, 1.0]}
    )
    free = iter(F.PALETTE[4:])
    y = np.arange(len(sources))
    for ax, c, (_, _, title), ncols in zip(axes, counts, panels, (2, 1)):
        left = np.zeros(len(sources))
        width = max(float(c.sum(axis=1).max()), 1.0)
        for status in c.columns:
            v = c[status].to_numpy(float)
            colour = STATUS_COLOURS.get(status) or next(free, "#666666")
            ax.barh(
                y, v, left=left, color=colour, label=f"{L.name_of('status', status, lang)} ({int(v.sum())})"
            )
            for yi, (x0, n) in enumerate(zip(left, v)):
                if n >= 0.06 * width:
                    ax.text(x0 + n / 2, yi, f"{int(n)}", ha="center", va="center", fontsize=6.5)
            left += v
        ax.set_title(L.label(title, lang), fontsize=9)
        ax.set_xlabel(L.label("ledger_numbers", lang))
        ax.grid(axis="y", visible=False)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncols=ncols, frameon=False, fontsize=7)
    axes[0].set_yticks(y, [_source_label(s, lang) for s in sources])
    axes[0].invert_yaxis()
    fig.suptitle(L.label("title.ledger", lang))
    F.source_note(fig, L.label("source_both", lang))
    return fig
