"""Step 6: location quotients (Ivanova 2018, Tables 5 and 6). Notebook ``06_localization``.

A location quotient compares an activity's share in the region with its share in Russia,
LQ = (x_ri / x_r) / (x_i / x); above the threshold (the paper: above 1) the region is specialised
in the activity and, the paper argues, may host a cluster in it. The tables come from
:mod:`analysis.inputs.region`: the paper prints LQs on turnover (2013-2016) and, for 2016, on four
bases (turnover, fixed-capital investment, average employment, fixed assets); a user's
``activity_bases.csv`` gives the volumes for another region. For any region, Rosstat's GVA
structure gives LQs of each activity's GVA share against Russia's, 2009-2022.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd
from matplotlib.colors import TwoSlopeNorm
from matplotlib.figure import Figure

from analysis import indicators as ind
from analysis.core import figures as F
from analysis.core import labels as L
from analysis.core import prose as P
from analysis.core import tidy, topn
from analysis.inputs.rosstat import GVA_ACTIVITIES

BASES = ["turnover", "investment", "employment", "fixed_assets"]
# (English, Russian) name of each basis, from the basis.* entries of analysis.core.labels; notebook
# 06 reads it to label the columns of its heatmap.
BASIS_NAMES = {b: L.LABELS[f"basis.{b}"] for b in BASES}


def name(item: str, lang: str, edition: str | None = None, names: Mapping[str, str] | None = None) -> str:
    """Display name of an activity: the paper's items (or a user's, with its Russian ``names``),
    or an OKVED section letter of ``edition`` (shortened to fit a figure)."""
    if edition is not None:
        ru, en = GVA_ACTIVITIES[edition].get(item, (item, item))
        text = en if lang == "en" else ru
        text = text.split(";")[0].split(",")[0]
        return f"{item}: {text if len(text) <= 34 else text[:33] + '…'}"
    return L.name_of("activity", item, lang, names)


def by_year(lq: pd.DataFrame) -> pd.DataFrame:
    """Activities x years of a long ``activity, year, lq`` table, activities in the order given."""
    return tidy.wide(lq, "activity", "year", "lq")


def by_basis(lq: pd.DataFrame) -> pd.DataFrame:
    """Activities x bases of a long ``activity, basis, year, lq`` table of one year."""
    w = tidy.wide(lq, "activity", "basis", "lq")
    w = w.reindex(columns=[b for b in BASES if b in w.columns] + [b for b in w.columns if b not in BASES])
    w.columns.name = None
    return w


def above_threshold(wide: pd.DataFrame, threshold: float) -> pd.DataFrame:
    """For each column (year or basis), the activities whose LQ exceeds ``threshold``."""
    rows = []
    for col in wide.columns:
        s = wide[col].dropna()
        hits = s[s > threshold].sort_values(ascending=False)
        rows.append(
            {
                "column": col,
                "n_above": len(hits),
                "n_known": len(s),
                "activities_above": ", ".join(f"{i} {round(v, 3):g}" for i, v in hits.items()),
            }
        )
    return pd.DataFrame(rows)


def rosstat_lq(gva: pd.DataFrame, region: str) -> pd.DataFrame:
    """LQ of each activity's GVA share in ``region`` against Russia's, year by year:
    LQ_ri = s_ri / s_RF,i (indicators.location_quotient_from_shares).
    An activity absent in Russia (share 0) gives NaN."""
    g = gva[gva["activity"] != "total"]
    frames = []
    for (year, okved), part in g[g["region_id"].isin([region, "russia"])].groupby(["year", "okved"]):
        w = part.pivot_table(index="region_id", columns="activity", values="value")
        if region not in w.index or "russia" not in w.index:
            continue
        lq = ind.location_quotient_from_shares(w.loc[region], w.loc["russia"])
        frames.append(
            pd.DataFrame(
                {
                    "year": year,
                    "okved": okved,
                    "activity": w.columns,
                    "share_region": w.loc[region].to_numpy(),
                    "share_russia": w.loc["russia"].to_numpy(),
                    "lq": np.asarray(lq, dtype=float),
                }
            )
        )
    cols = ["year", "okved", "activity", "share_region", "share_russia", "lq"]
    return pd.concat(frames, ignore_index=True)[cols] if frames else pd.DataFrame(columns=cols)


# Activity rows a heatmap draws: 25 rows of printed values keep it under 10 inches high, and hold
# all 21 OKVED2 sections of Rosstat's GVA (Kemerovo region: 20 sections, 8 activities on turnover).
HEATMAP_TOP = 25


def draw_heatmap(
    wide: pd.DataFrame,
    *,
    lang: str,
    threshold: float,
    title: str,
    source: str,
    table: str,
    columns_label: Callable[[object], str] | None = None,
    edition: str | None = None,
    names: Mapping[str, str] | None = None,
) -> Figure:
    """Heatmap of LQs, diverging around the threshold, values printed in the cells; ``names``: a
    user's Russian activity names. At most :data:`HEATMAP_TOP` activities, those with the highest
    quotient in any column (the strongest specialisations); quotients do not add up, so the rest
    are left out with a note naming ``table``, the file that holds them all."""
    import seaborn as sns  # imported here: 127 ms, and only this figure needs it

    data = wide.dropna(how="all")
    kept, rest = topn.largest(data.max(axis=1), HEATMAP_TOP)
    data = data[data.index.astype(str).isin(kept)]
    data.index = [name(i, lang, edition, names) for i in data.index]
    if columns_label:
        data.columns = [columns_label(c) for c in data.columns]
    fig, ax = F.new(6.5, max(0.35 * len(data) + 1.4, F.MIN_HEIGHT))
    vmax = float(np.nanmax(data.to_numpy(float)))
    sns.heatmap(
        data,
        ax=ax,
        annot=True,
        fmt=".2f",
        cmap="RdBu_r",
        linewidths=0.5,
        linecolor="white",
        norm=TwoSlopeNorm(vmin=0, vcenter=threshold, vmax=max(vmax, threshold + 0.01)),
        cbar_kws={"label": L.label("lq", lang)},
        annot_kws={"fontsize": 7},
    )
    ax.grid(False)
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.set_title(title)
    F.source_note(fig, topn.note(len(rest), table, lang) + source)
    return fig


def reading(
    turnover: pd.DataFrame | None,
    bases: pd.DataFrame | None,
    gva: pd.DataFrame,
    threshold: float,
    region_name: str,
) -> str:
    """What the tables say, in words generated from them (Markdown). ``turnover``: activities x
    years; ``bases``: activities x bases; ``gva``: activities x years of Rosstat's GVA LQs (OKVED2)."""
    lines = []
    if bases is not None and not bases.empty:
        always = [
            a for a in bases.index if (bases.loc[a].dropna() > threshold).all() and bases.loc[a].notna().any()
        ]
        lines.append(
            f"In {region_name}, above {threshold:g} on every basis given: {', '.join(always) or 'no activity'}."
        )
    if turnover is not None and not turnover.empty and turnover.notna().any().any():
        last = max(c for c in turnover.columns if turnover[c].notna().any())
        top = turnover[last].idxmax()
        then = turnover.loc[top].dropna()
        first = min(then.index)
        lines.append(
            f"On turnover the highest quotient in {last} is {top}'s, {P.num(turnover.at[top, last], 2)}"
            + (f" ({P.num(then[first], 2)} in {first})" if first != last else f" ({last} only)")
            + "."
        )
    known = [c for c in gva.columns if gva[c].notna().any()]
    if known:
        last = max(known)
        above = gva[last].dropna()
        above = above[above > threshold].sort_values(ascending=False)
        lines.append(
            f"On GVA shares (Rosstat, OKVED2) in {last}, {len(above)} of {gva[last].notna().sum()} sections "
            f"{'is' if len(above) == 1 else 'are'} above {threshold:g}"
            + (f", highest {above.index[0]} ({P.num(above.iloc[0], 2)})." if len(above) else ".")
        )
    return " ".join(lines) if lines else "No location quotients for this region."


def gva_years_line(lq_gva: pd.DataFrame, shown: str = "OKVED2") -> str:
    """The years the LQ-of-GVA section shows (edition ``shown``) and those its table adds, from
    the data (Markdown): the heading names no years, which differ by region and edition."""

    def span(ed: str) -> str:
        years = sorted(int(y) for y in lq_gva.loc[lq_gva["okved"] == ed, "year"].unique())
        if not years:
            return ""
        return f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])

    if not span(shown):
        return f"Rosstat publishes no {shown} GVA shares for this region."
    others = [f"{ed} {span(ed)}" for ed in sorted(set(lq_gva["okved"]) - {shown}) if span(ed)]
    return f"Shown: {shown} sections, {span(shown)}" + (
        f"; `lq_gva_rosstat.csv` also holds {', '.join(others)}." if others else "."
    )
