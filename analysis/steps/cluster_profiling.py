"""Step 2 of the paper's method: the profiles of the region's clusters and their link to its
specialisation (Ivanova 2018, section "Results", first part). Notebook ``02_cluster_profiling``.

Everything here is read from ``data/raw/paper/`` (factors.csv, clusters.csv, text_numbers.csv);
the only arithmetic is on the paper's own counts and amounts, so that a reader sees which of the
paper's figures add up.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import NullFormatter

from analysis import indicators as ind
from analysis.core import figures as F
from analysis.core import labels as L
from analysis.core import prose as P
from analysis.core import topn
from analysis.inputs import paper

# Member groups the text lists for each cluster (quantities in text_numbers.csv; their labels are
# the member_group.* entries of analysis.core.labels).
MEMBER_GROUPS = (
    "anchor_participants",
    "sme_participants",
    "education_organisations",
    "research_organisations",
    "pharma_producers",
    "foreign_participants",
)
CLUSTER_ORDER = ["coal_processing", "biomedical", "tourism", "agro", "light_industry"]
# Groups the text names inside the anchor participants ("7 anchors, including ... 2 research
# institutions"): shown in their group's column, not added to the members listed (they are already
# among the anchors).
AMONG_ANCHORS = {"research_organisations_among_anchors": "research_organisations"}


def latest_facts(facts: pd.DataFrame, order: list[str]) -> pd.DataFrame:
    """Clusters (in ``order``) x quantities: each quantity's value in the latest year the source
    gives it (undated values count as the earliest); of two values for the same year, an exact
    one before a bound ("more than 80 %"), whatever the order of the rows."""
    f = facts.assign(_exact=facts["qualifier"].isna() if "qualifier" in facts else True)
    latest = (
        f.sort_values(["year", "_exact"], na_position="first", kind="mergesort")
        .groupby(["cluster_id", "quantity"])
        .last()["value"]
        .unstack()
    )
    return latest.reindex(order)


def latest_qualifiers(facts: pd.DataFrame, order: list[str], quantity: str) -> pd.Series:
    """The qualifier (``>``, ``<``, ...; empty if exact) of the value :func:`latest_facts` takes for
    ``quantity`` of each cluster in ``order``."""
    if "qualifier" not in facts:
        return pd.Series("", index=order, dtype=object)
    f = facts[facts["quantity"] == quantity].assign(_exact=lambda d: d["qualifier"].isna())
    # the row latest_facts takes, whole (groupby.last would pick the last non-empty qualifier of any row)
    f = f.sort_values(["year", "_exact"], na_position="first", kind="mergesort")
    last = f.drop_duplicates("cluster_id", keep="last").set_index("cluster_id")
    return last["qualifier"].reindex(order).fillna("").astype(str)


def profiles(meta: pd.DataFrame, facts: pd.DataFrame) -> pd.DataFrame:
    """The clusters side by side: founding year, members by kind, SME share, employees, and the
    judgement of the link to the region's specialisation.

    ``meta`` and ``facts``: :func:`analysis.inputs.region.clusters` and ``cluster_facts``.
    ``members_stated`` is the total the text gives (latest year); ``members_listed`` the sum of the
    groups it lists, a group named among the anchors (``AMONG_ANCHORS``) not counted twice;
    ``sme_share_recomputed`` SMEs over the stated total (else the listed sum);
    ``member_groups_listed`` how many groups the sum adds (one group is no listing to check the
    total against); ``sme_share_qualifier`` the bound the source states ("more than 50 %": ``>``).
    """
    order = CLUSTER_ORDER if set(meta["cluster_id"]) == set(CLUSTER_ORDER) else list(meta["cluster_id"])
    c = meta.set_index("cluster_id").reindex(order)
    latest = latest_facts(facts, order)
    for q in ("founded", "participants", "sme_share", "employees", *MEMBER_GROUPS):
        if q not in latest:
            latest[q] = np.nan
    out = pd.DataFrame(index=order)
    out["name_en"] = c["name_en"]
    out["founded"] = latest.get("founded")
    out["members_stated"] = latest.get("participants")
    groups = list(MEMBER_GROUPS)
    out["members_listed"] = latest[groups].sum(axis=1, min_count=1)
    out["member_groups_listed"] = latest[groups].notna().sum(axis=1)
    for nested, group in AMONG_ANCHORS.items():
        if nested in latest:
            latest[group] = latest[group].fillna(latest[nested])
    for q in ("anchor_participants", "sme_participants", "education_organisations", "research_organisations"):
        out[q.replace("_participants", "").replace("_organisations", "")] = latest.get(q)
    out["sme_share_published"] = latest.get("sme_share")
    out["sme_share_qualifier"] = latest_qualifiers(facts, order, "sme_share")
    denominator = out["members_stated"].fillna(out["members_listed"])
    out["sme_share_recomputed"] = 100 * out["sme"] / denominator
    out["employees_thousand"] = latest.get("employees")
    out["linked_to_specialisation"] = c["linked_to_specialisation"]
    out.index.name = "cluster_id"
    return out


def link_lqs(turnover: pd.DataFrame | None, bases: pd.DataFrame | None) -> tuple[pd.Series, str]:
    """The LQ on turnover of each activity in the latest year there is, and a label of where it
    comes from: ``turnover`` (activity, year, lq) first, then ``bases`` (activity, basis, year, lq)
    for activities it lacks. Either may be None."""
    parts, years = [], set()
    if turnover is not None and not turnover.empty:
        last = turnover["year"].max()
        parts.append(turnover[turnover["year"] == last].set_index("activity")["lq"])
        years.add(int(last))
    if bases is not None and not bases.empty:
        t = bases[bases["basis"] == "turnover"]
        if not t.empty:
            last = t["year"].max()
            parts.append(t[t["year"] == last].set_index("activity")["lq"])
            years.add(int(last))
    if not parts:
        return pd.Series(dtype=float), ""
    lq = pd.concat(parts)
    lq = lq[~lq.index.duplicated()]
    return lq, "turnover " + ", ".join(str(y) for y in sorted(years))


def specialisation_link(clusters: pd.DataFrame, lq: pd.Series, threshold: float) -> pd.DataFrame:
    """For each cluster, the location quotients of the activities it works in (``related_items``)
    and whether any is above ``threshold`` (the paper uses 1), beside the source's own judgement.

    The paper judges that only the coal-processing cluster follows the region's specialisation;
    this tests such a judgement against the LQs. Activities without an LQ are listed as unknown.
    """
    rows = []
    for r in clusters.itertuples(index=False):
        items = [i for i in str(r.related_items).split("|") if i]
        known = {i: float(lq[i]) for i in items if i in lq.index and pd.notna(lq[i])}
        best = max(known.values()) if known else np.nan
        rows.append(
            {
                "cluster_id": r.cluster_id,
                "related_activities": ", ".join(items),
                "lq_turnover": ", ".join(f"{i} {v:g}" for i, v in known.items()) or "no LQ",
                "max_lq": best,
                "above_threshold": (bool(best > threshold) if known else None),
                "source_says_linked": r.linked_to_specialisation,
            }
        )
    return pd.DataFrame(rows).set_index("cluster_id")


LINK_COLUMNS = [
    "related_activities",
    "sections",
    "lq_gva",
    "max_lq",
    "above_threshold",
    "verdict",
    "founded",
    "year",
    "year_basis",
    "okved",
    "source_says_linked",
]


def gva_years(gva: pd.DataFrame, region: str) -> dict[int, tuple[pd.DataFrame, str]]:
    """Every year with the region's GVA structure: the region's and Russia's shares by OKVED
    section (sections x ``region``, ``russia``) and the edition; where a year has both editions,
    OKVED2 (the current classification)."""
    g = gva[gva["region_id"].isin([region, "russia"]) & (gva["activity"] != "total")]
    out: dict[int, tuple[pd.DataFrame, str]] = {}
    for (year, okved), part in sorted(
        g.groupby(["year", "okved"]), key=lambda k: (k[0][0], k[0][1] == "OKVED2")
    ):
        w = part.pivot_table(index="activity", columns="region_id", values="value")
        if region in w.columns and "russia" in w.columns and w[region].notna().any():
            out[int(year)] = (w, str(okved))
    return out


def judgement_year(founded: float | None, years: list[int]) -> tuple[int, str]:
    """The year a cluster's link is judged in, and why: its founding year where the data reach it;
    else the nearest year with data (the later of two equally near); the latest year where the
    founding year is unknown. ``years``: those with data (non-empty)."""
    latest = max(years)
    if founded is None or pd.isna(founded):
        return latest, "latest year with data; founding year unknown"
    f = int(founded)
    if f in years:
        return f, "founding year"
    near = min(years, key=lambda y: (abs(y - f), -y))
    return near, f"nearest year with data to the founding year {f}"


def okved_sections(
    item: str, m: pd.DataFrame, okved: str, parents: Mapping[str, str] | None = None
) -> tuple[list[str], bool, str] | None:
    """The OKVED sections of ``okved`` (edition) an activity id stands for, whether it is only a
    part of them, and how it was mapped; None if it maps to none. An id of the crosswalk ``m``
    (:func:`analysis.inputs.region.activity_sections`, indexed by id) gives its sections; an
    OKVED2 section letter stands for the crosswalk id whose ``okved2`` is that letter (so it maps
    to OKVED-2007 too); a user's activity with a ``parent`` (``parents``) gets its parent's
    sections, as a part of them."""
    col, scope = ("okved2", "scope") if okved == "OKVED2" else ("okved2007", "scope_okved2007")
    path: list[str] = []  # the ids gone through after ``item``
    cur, through_parent = item, False
    while cur not in m.index:
        exact = m.index[(m["okved2"] == cur) & (m["scope"] == "section")]
        if len(cur) == 1 and len(exact):
            cur = str(exact[0])
        elif parents and cur in parents and parents[cur] not in path and parents[cur] != item:
            cur, through_parent = parents[cur], True
        else:
            return None
        path.append(cur)
    letters = str(m.at[cur, col]).split("|")
    within = through_parent or m.at[cur, scope] == "within"
    return letters, within, "".join(f"{x} → " for x in path)


def _activity_gva_lq(
    item: str,
    w: pd.DataFrame,
    m: pd.DataFrame,
    okved: str,
    region: str,
    parents: Mapping[str, str] | None = None,
) -> tuple[float | None, str]:
    """One activity id's LQ on GVA shares (its sections summed) and where it was measured."""
    found = okved_sections(item, m, okved, parents)
    if found is None:
        return None, f"{item}: -"
    letters, within, via = found
    part = w.reindex(letters)
    where = f"{item}: {via}{'+'.join(letters)}" + (" (within)" if within else "")
    if part[region].notna().all() and part["russia"].notna().all() and part["russia"].sum() > 0:
        return float(part[region].sum() / part["russia"].sum()), where
    return None, where


def rosstat_link(
    clusters: pd.DataFrame,
    gva: pd.DataFrame,
    region: str,
    sections: pd.DataFrame,
    threshold: float,
    parents: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """The link to the specialisation measured on Rosstat's GVA structure, for any region, judged
    when each cluster was founded: in its founding year (``founded``) where the data reach it, else
    the nearest year with data (:func:`judgement_year`; ``year_basis`` says which). Each activity a
    cluster works in is mapped to its OKVED section(s) of that year's edition
    (:func:`okved_sections`; ``sections``: :func:`analysis.inputs.region.activity_sections`;
    ``parents``: a user's sub-activities, :func:`analysis.inputs.region.activity_parents`), and its
    LQ is the region's share of GVA in those sections over Russia's,
    :math:`LQ = \\sum s_{r,i} / \\sum s_{RF,i}`. The verdict is the same rule as for the paper's LQs:
    ``linked`` if the largest LQ exceeds ``threshold``, ``not linked`` if not, ``not assessed``
    where no activity of the cluster has a quotient. An activity that is only a part of a section
    (``within``) gets its section's LQ."""
    by_year = gva_years(gva, region)
    if not by_year:
        return pd.DataFrame(columns=["cluster_id", *LINK_COLUMNS]).set_index("cluster_id")
    m = sections.set_index("id")
    rows = []
    for r in clusters.itertuples(index=False):
        founded = getattr(r, "founded", None)
        year, why = judgement_year(founded, sorted(by_year))
        w, okved = by_year[year]
        items = [i for i in str(r.related_items).split("|") if i]
        known, where = {}, []
        for i in items:
            lq, at = _activity_gva_lq(i, w, m, okved, region, parents)
            where.append(at)
            if lq is not None:
                known[i] = lq
        best = max(known.values()) if known else np.nan
        above = bool(best > threshold) if known else None
        rows.append(
            {
                "cluster_id": r.cluster_id,
                "related_activities": ", ".join(items),
                "sections": "; ".join(where),
                "lq_gva": ", ".join(f"{i} {v:.3f}" for i, v in known.items()) or "no LQ",
                "max_lq": best,
                "above_threshold": above,
                "verdict": "not assessed" if above is None else "linked" if above else "not linked",
                "founded": founded if founded is not None and pd.notna(founded) else np.nan,
                "year": year,
                "year_basis": why,
                "okved": okved,
                "source_says_linked": r.linked_to_specialisation,
            }
        )
    return pd.DataFrame(rows).set_index("cluster_id")


def link_points(
    clusters: pd.DataFrame,
    lq: pd.Series,
    lq_label: str,
    gva: pd.DataFrame | None = None,
    region: str = "",
    sections: pd.DataFrame | None = None,
    parents: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """The location quotients the link rests on, one row per cluster, activity and basis:
    ``cluster_id, activity, basis, years, lq`` — on turnover (``lq``: :func:`link_lqs`, labelled
    ``lq_label``) and, with ``gva``, on Rosstat's GVA shares in the year each cluster is judged in,
    as in :func:`rosstat_link`. Activities without an LQ on a basis have no row for it. For the
    figure of the link."""
    rows = []
    by_year = gva_years(gva, region) if gva is not None and sections is not None else {}
    m = sections.set_index("id") if sections is not None else None
    for r in clusters.itertuples(index=False):
        for item in (i for i in str(r.related_items).split("|") if i):
            if item in lq.index and pd.notna(lq[item]):
                years = lq_label.removeprefix("turnover ")
                rows.append((r.cluster_id, item, "turnover", years, float(lq[item])))
            if by_year and m is not None:
                year, _ = judgement_year(getattr(r, "founded", None), sorted(by_year))
                w, okved = by_year[year]
                v, _ = _activity_gva_lq(item, w, m, okved, region, parents)
                if v is not None:
                    rows.append((r.cluster_id, item, "gva", f"{year} ({okved})", v))
    return pd.DataFrame(rows, columns=["cluster_id", "activity", "basis", "years", "lq"])


# Clusters, and activities under each, the link figure draws: 8 headings with 4 activities each
# are 40 rows, about 10 inches high (Kemerovo region: 5 clusters, at most 4 activities each).
LINK_CLUSTERS, LINK_ACTIVITIES = 8, 4


def link_drawn(points: pd.DataFrame, clusters: pd.Series) -> tuple[pd.DataFrame, list[str], int, int]:
    """What the link figure draws of ``points`` (:func:`link_points`) for ``clusters`` (ids, in
    order): at most :data:`LINK_CLUSTERS` clusters, those with the highest quotient of any of their
    activities (clusters without one last), and under each at most :data:`LINK_ACTIVITIES`
    activities, the highest quotients first (:func:`topn.keep`; quotients do not add up, so the
    rest are left out). Returns the points kept, the clusters kept (in ``clusters``' order) and the
    numbers of clusters and of kept clusters' activities left out."""
    size = points.groupby("cluster_id")["lq"].max().reindex(list(clusters))
    kept, rest = topn.largest(size, LINK_CLUSTERS)
    shown = [str(c) for c in clusters if str(c) in kept]
    parts, dropped = [], 0
    for c in shown:
        part = points[points["cluster_id"] == c]
        top = topn.keep(part, "activity", LINK_ACTIVITIES, part.groupby("activity")["lq"].max())
        parts.append(top.frame)
        dropped += top.k
    drawn = pd.concat(parts).index if parts else points.index[:0]
    return points[points.index.isin(drawn)], shown, len(rest), dropped


def draw_link(
    points: pd.DataFrame,
    *,
    meta: pd.DataFrame,
    threshold: float,
    lang: str,
    region_name: str,
    source: str,
    names: Mapping[str, str] | None = None,
    table: str = "cluster_specialisation_lqs.csv",
) -> Figure:
    """The cluster link at a glance: each cluster (a bold heading) with the activities it works in
    below it, each activity's location quotient on each basis (a marker per basis: turnover, GVA
    shares) and the threshold as a vertical line: a cluster follows the specialisation when one of
    its activities lies right of the line. Log scale: LQs are ratios. Bounded by
    :func:`link_drawn`; what it leaves out is said in a note naming ``table``, which holds it all."""
    points, shown, k, m = link_drawn(points, meta["cluster_id"])
    rows: list[tuple[str, str | None]] = []  # (cluster, activity or None for the heading)
    for c in shown:
        rows.append((c, None))
        acts = list(dict.fromkeys(points.loc[points["cluster_id"] == c, "activity"]))
        rows += [(c, a) for a in acts] or [(c, "")]
    y = {r: i for i, r in enumerate(rows)}
    fig, ax = F.new(6.5, max(0.22 * len(rows) + 1.3, F.MIN_HEIGHT))
    styles = {"turnover": ("o", F.PALETTE[0], -0.12), "gva": ("s", F.PALETTE[1], 0.12)}
    for basis, part in points.groupby("basis", sort=False):
        marker, colour, dy = styles.get(str(basis), ("D", F.PALETTE[2], 0.0))
        ax.scatter(
            part["lq"],
            [y[(c, a)] + dy for c, a in zip(part["cluster_id"], part["activity"])],
            marker=marker,
            color=colour,
            s=24,
            zorder=3,
            label=L.label(f"link_basis_{basis}", lang, years=", ".join(sorted(set(part["years"])))),
        )
    ax.axvline(
        threshold, color="black", lw=0.9, ls="--", label=L.label("threshold", lang, value=f"{threshold:g}")
    )
    ax.set_xscale("log")
    lo, hi = min([threshold, *points["lq"]]), max([threshold, *points["lq"]])
    ticks = [t for t in (0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50) if lo / 2 <= t <= hi * 2]
    ax.set_xticks(ticks, [f"{t:g}" for t in ticks])
    ax.xaxis.set_minor_formatter(NullFormatter())
    cluster_names = meta.set_index("cluster_id")["name_en" if lang == "en" else "name_ru"]
    ticks = [
        _short(cluster_names[c])
        if a is None
        else "   " + (L.name_of("activity", a, lang, names) if a else "–")
        for c, a in rows
    ]
    ax.set_yticks(range(len(rows)), ticks)
    for tick, (_, a) in zip(ax.get_yticklabels(), rows):
        if a is None:
            tick.set_fontweight("bold")
    for i, (_, a) in enumerate(rows):
        if a is None and i:
            ax.axhline(i - 0.5, color="#cccccc", lw=0.6)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.grid(axis="y", visible=False)
    ax.set_xlabel(L.label("link_lq", lang))
    F.legend_below(ax)
    ax.set_title(L.label("title.link", lang, region=region_name))
    left_out = L.label("not_drawn_link", lang, k=k, m=m, table=table) + "\n" if k or m else ""
    F.source_note(fig, left_out + source)
    return fig


def _short(name: object) -> str:
    text = str(name)
    return text if len(text) < 38 else text[:36] + "…"


def dynamics() -> pd.DataFrame:
    """Investment and export dynamics of the clusters' activities (Results section): published
    change in % and, where the text gives both levels, the change recomputed from them."""
    t = paper.text_numbers().set_index("claim_id")
    spec = [
        # claim of the change, claims of the two levels (or None), activity, indicator
        ("coal_mining_investment_change", None, None, "mining", "fixed-capital investment"),
        (
            "coal_coke_investment_change",
            "coal_coke_investment_2012",
            "coal_coke_investment_2016",
            "coke and petroleum products",
            "fixed-capital investment",
        ),
        (
            "coal_chem_investment_change",
            "coal_chem_investment_2012",
            "coal_chem_investment_2016",
            "chemicals",
            "fixed-capital investment",
        ),
        (
            None,
            "health_investment_2012",
            "health_investment_2016",
            "health and social services",
            "fixed-capital investment",
        ),
        ("coal_export_growth", None, None, "hard coal", "exports, physical volume"),
        ("fertiliser_export_growth", None, None, "fertilisers", "exports"),
        ("iron_semis_export_growth", None, None, "iron and non-alloy steel semis", "exports"),
        ("coke_export_change", None, None, "coke and semi-coke", "exports"),
    ]
    rows = []
    for change, a, b, activity, indicator in spec:
        start = t.at[a, "value"] if a else np.nan
        end = t.at[b, "value"] if b else np.nan
        period = f"{int(t.at[a, 'year'])}-{int(t.at[b, 'year'])}" if a else t.at[change, "unit"].split()[-1]
        rows.append(
            {
                "activity": activity,
                "indicator": indicator,
                "period": period,
                "start_mln_rub": start,
                "end_mln_rub": end,
                "change_published_pct": t.at[change, "value"] if change else np.nan,
                "change_recomputed_pct": float(ind.growth_rate([start, end])) if a else np.nan,
            }
        )
    return pd.DataFrame(rows)


# ------------------------------------------------------------------------------------ figures
# Cluster bars the members figure draws, the rest summed into "other": at 0.45 inch a bar, 20
# bars and "other" keep it under 11 inches high (Kemerovo region has 5 clusters).
MEMBERS_TOP = 20


def draw_members(
    p: pd.DataFrame, *, lang: str, facts: pd.DataFrame, meta: pd.DataFrame, region_name: str, source: str
) -> Figure:
    """Stacked bars: members of each cluster by kind, as the source lists them. At most
    :data:`MEMBERS_TOP` clusters, those with the most members (the total stated, else the groups
    listed); the rest summed, group by group, into one "other (k more)" bar (:func:`topn.fold`)."""
    latest = latest_facts(facts, list(p.index))
    groups = [q for q in MEMBER_GROUPS if q in latest]
    wide = latest[groups].assign(_stated=p["members_stated"].astype(float))
    size = wide["_stated"].fillna(wide[groups].sum(axis=1, min_count=1))
    tidy = wide.rename_axis("cluster_id").reset_index().melt("cluster_id", var_name="quantity")
    top = topn.fold(tidy, "cluster_id", "value", MEMBERS_TOP, criterion=size, by=["quantity"])
    order = [c for c in p.index if str(c) in top.kept] + ([top.other] if top.other else [])
    latest = top.frame.pivot(index="cluster_id", columns="quantity", values="value").reindex(order)
    fig, ax = F.new(6.5, max(0.45 * len(order) + 1.0, F.MIN_HEIGHT))
    left = np.zeros(len(order))
    for g in groups:
        v = latest[g].fillna(0).to_numpy()
        ax.barh(range(len(order)), v, left=left, label=L.label(f"member_group.{g}", lang))
        left += v
    stated = latest["_stated"].to_numpy(float)
    ax.scatter(
        stated,
        range(len(order)),
        marker="|",
        s=200,
        color="black",
        zorder=3,
        label=L.label("total_stated", lang),
    )
    names = meta.set_index("cluster_id").reindex(order)["name_en" if lang == "en" else "name_ru"]
    if top.other:
        names[top.other] = L.label("other_folded", lang, k=top.k)
    ax.set_yticks(range(len(order)), [n if len(n) < 38 else n[:36] + "…" for n in names])
    ax.invert_yaxis()
    ax.set_xlabel(L.label("members", lang))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncols=4, frameon=False)
    ax.set_title(L.label("title.members", lang, region=region_name))
    F.source_note(fig, source)
    return fig


BOUNDS = {">": "more than", ">=": "at least", "<": "less than", "<=": "at most", "~": "about"}


def share_agrees(published: float, recomputed: float, qualifier: str) -> bool:
    """Whether a recomputed share agrees with the published one as the source states it: with a
    bound (``>``: "more than", ...) the recomputed value must satisfy the inequality; an exact or
    approximate value must lie within half a percentage point (the rounding of a whole per cent)."""
    q = qualifier.strip()
    if q == ">":
        return recomputed > published
    if q == ">=":
        return recomputed >= published
    if q == "<":
        return recomputed < published
    if q == "<=":
        return recomputed <= published
    return abs(published - recomputed) < 0.5


def reading(profiles: pd.DataFrame, link: pd.DataFrame | None, threshold: float, region_name: str) -> str:
    """What the tables say, in words generated from them (Markdown): whether the member groups
    listed add up to the total stated (only where two or more groups are listed), whether the SME
    share agrees with the counts (:func:`share_agrees`), and the link on the LQs of ``link``
    (:func:`specialisation_link`), clusters without a quotient counted apart."""
    lines = [f"{region_name} has {len(profiles)} clusters in the data."]
    groups = profiles.get("member_groups_listed", pd.Series(2, index=profiles.index))
    add = profiles[groups >= 2].dropna(subset=["members_stated", "members_listed"])
    off = add[add["members_stated"] != add["members_listed"]]
    if len(add):
        lines.append(
            f"For {len(add) - len(off)} of {len(add)} clusters with a total and two or more member groups, "
            "the groups listed add up to the total stated"
            + (
                "; they do not for "
                + ", ".join(
                    f"{c} ({P.num(r.members_listed, 0)} listed vs {P.num(r.members_stated, 0)} stated)"
                    for c, r in off.iterrows()
                )
                if len(off)
                else ""
            )
            + "."
        )
    one = profiles[(groups == 1) & profiles["members_stated"].notna()]
    if len(one):
        lines.append(f"{', '.join(one.index)}: one member group given beside the total, nothing to add up.")
    share = profiles.dropna(subset=["sme_share_published", "sme_share_recomputed"])
    quals = profiles.get("sme_share_qualifier", pd.Series("", index=profiles.index)).fillna("")
    for c, r in share.iterrows():
        q = str(quals[c])
        pub, rec = float(r["sme_share_published"]), float(r["sme_share_recomputed"])
        stated = f"{BOUNDS[q] + ' ' if q in BOUNDS else ''}{pub:g} %"  # as the source prints it
        if share_agrees(pub, rec, q):
            if q in (">", ">=", "<", "<="):
                lines.append(
                    f"{c}: the SME share stated is {stated}, and the counts give {P.num(rec, 1)} %, as stated."
                )
        else:
            lines.append(f"{c}: the SME share stated is {stated}, the counts give {P.num(rec, 1)} %.")
    if link is not None and not link.empty:
        above = link.index[link["above_threshold"] == True].tolist()  # noqa: E712 (None means no LQ)
        unknown = link.index[link["above_threshold"].isna()].tolist()
        said = link.index[link["source_says_linked"] == "yes"].tolist()
        assessed = len(link) - len(unknown)
        lines.append(
            f"By the location quotients, {len(above)} of {assessed} clusters with a quotient work in an activity "
            f"above {threshold:g}"
            + (f" ({', '.join(above)})" if above else "")
            + (
                f"; {len(unknown)} not assessed, no LQ for {'its' if len(unknown) == 1 else 'their'} activities "
                f"({', '.join(unknown)})"
                if unknown
                else ""
            )
            + (f". The source calls linked to the specialisation: {', '.join(said)}." if said else ".")
        )
    return " ".join(lines)


def base_rate(
    link: pd.DataFrame, gva: pd.DataFrame, region: str, threshold: float
) -> dict[str, float] | None:
    """What chance alone would give the link of :func:`rosstat_link`: in the years the clusters
    were judged in, the share of the region's OKVED sections with a GVA share whose LQ exceeds
    ``threshold``, :math:`b = \\#\\{i : s_{r,i} / s_{RF,i} > t\\} / \\#\\{i\\}` pooled over those years
    (a cluster placed in a section at random lands above the threshold with probability
    :math:`b`), beside the clusters' own share. ``{linked, assessed, above, sections, rate,
    share}``; None where no cluster is assessed."""
    assessed = link[link["verdict"] != "not assessed"]
    if assessed.empty:
        return None
    by_year = gva_years(gva, region)
    above = sections = 0
    for year in sorted(set(assessed["year"].astype(int))):
        w = by_year[year][0].dropna(subset=[region, "russia"])
        w = w[w["russia"] > 0]
        lq = w[region] / w["russia"]
        above += int((lq > threshold).sum())
        sections += len(lq)
    linked = int((assessed["verdict"] == "linked").sum())
    return {
        "linked": linked,
        "assessed": len(assessed),
        "above": above,
        "sections": sections,
        "rate": above / sections if sections else float("nan"),
        "share": linked / len(assessed),
    }


def reading_base_rate(b: dict[str, float] | None, threshold: float) -> str:
    """The clusters' share linked against the base rate (:func:`base_rate`), in words: a
    description, since a handful of clusters cannot measure the difference (step 9 does, for the
    national lists)."""
    if b is None:
        return "No cluster has a GVA quotient, so there is nothing to set against chance."
    n, k = int(b["assessed"]), int(b["linked"])
    return (
        f"{k} of {n} assessed clusters ({P.num(100 * b['share'], 0)} %) sit in an activity above {threshold:g}; "
        f"of the region's OKVED sections in the same years, {int(b['above'])} of {int(b['sections'])} "
        f"({P.num(100 * b['rate'], 0)} %) are above it, the share a cluster placed at random would land in. "
        + (
            "The clusters sit in the specialisation more often than chance would place them"
            if b["share"] > b["rate"]
            else "The clusters sit in the specialisation no more often than chance would place them"
        )
        + f"; with {n} {'cluster' if n == 1 else 'clusters'} this describes, it does not test (step 9 tests the "
        "same question on the national cluster lists)."
    )


def reading_rosstat_link(link: pd.DataFrame, threshold: float) -> str:
    """What the link on Rosstat's GVA structure says, in words generated from it (Markdown): the
    clusters linked, not linked and not assessed, each with the quotient and the year it was judged
    in (:func:`rosstat_link`)."""

    def at(c: str) -> str:
        r = link.loc[c]
        year = f"{int(r['year'])}, {r['okved']}"
        basis = str(r["year_basis"])
        when = (
            year
            if basis == "founding year"
            else f"{year}: the latest year with data, founding year unknown"
            if basis.startswith("latest")
            else f"{year}: the nearest year with data to its founding in {int(r['founded'])}"
        )
        return f"{c} ({P.num(r['max_lq'], 2)} in {when})" if pd.notna(r["max_lq"]) else f"{c} ({when})"

    verdict = link["verdict"]
    linked = [c for c in link.index if verdict[c] == "linked"]
    not_linked = [c for c in link.index if verdict[c] == "not linked"]
    unassessed = [c for c in link.index if verdict[c] == "not assessed"]
    at_founding = int((link["year_basis"] == "founding year").sum())
    when = (
        "each cluster judged in its founding year"
        if at_founding == len(link)
        else f"each cluster judged in its founding year where the data reach it ({at_founding} of {len(link)}; "
        "the others in the year given beside them)"
    )
    text = (
        f"On the official GVA structure, {when}, "
        f"{len(linked)} of {len(link) - len(unassessed)} clusters with a quotient work in an activity whose quotient "
        f"exceeds {threshold:g}" + (f": {', '.join(at(c) for c in linked)}." if linked else ".")
    )
    if not_linked:
        text += f" Not linked: {', '.join(at(c) for c in not_linked)}."
    if unassessed:
        text += (
            f" Not assessed, no GVA quotient for {'its' if len(unassessed) == 1 else 'their'} activities: "
            f"{', '.join(at(c) for c in unassessed)}."
        )
    return text
