"""Step 2 of the paper's method: the profiles of the region's clusters and their link to its
specialisation (Ivanova 2018, section "Results", first part). Notebook ``02_cluster_profiling``.

Everything here is read from ``data/raw/paper/`` (factors.csv, clusters.csv, text_numbers.csv);
the only arithmetic is on the paper's own counts and amounts, so that a reader sees which of the
paper's figures add up.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import indicators as ind
from analysis.core import figures as F
from analysis.core import paths
from analysis.inputs import paper, userdata

# Member groups the text lists for each cluster (quantity in text_numbers.csv -> label).
MEMBER_GROUPS = {
    "anchor_participants": ("anchors", "якорные участники"),
    "sme_participants": ("SMEs", "МСП"),
    "education_organisations": ("education", "образование"),
    "research_organisations": ("research", "наука"),
    "pharma_producers": ("pharma producer", "фармпроизводство"),
    "foreign_participants": ("foreign firms", "иностранные компании"),
}
CLUSTER_ORDER = ["coal_processing", "biomedical", "tourism", "agro", "light_industry"]


def _claims(subject: str | None = None) -> pd.DataFrame:
    t = paper.text_numbers()
    return t if subject is None else t[t["subject"] == subject]


def cluster_facts() -> pd.DataFrame:
    """Tidy facts about the clusters: cluster_id, quantity, year, value, unit, qualifier, claim_id."""
    t = paper.text_numbers()
    t = t[t["subject"].isin(CLUSTER_ORDER)]
    return (
        t[["subject", "quantity", "year", "value", "unit", "qualifier", "claim_id"]]
        .rename(columns={"subject": "cluster_id"})
        .reset_index(drop=True)
    )


def profiles(meta: pd.DataFrame | None = None, facts: pd.DataFrame | None = None) -> pd.DataFrame:
    """The clusters side by side: founding year, members by kind, SME share, employees, and the
    judgement of the link to the region's specialisation.

    ``meta`` and ``facts`` default to the paper's (``clusters.csv``, :func:`cluster_facts`); a
    user's come from ``userdata.clusters_like_paper`` and ``userdata.cluster_facts_long``.
    ``members_stated`` is the total the text gives (latest year); ``members_listed`` the sum of the
    groups it lists; ``sme_share_recomputed`` SMEs over the stated total (else the listed sum).
    """
    meta = paper.clusters() if meta is None else meta
    order = CLUSTER_ORDER if set(meta["cluster_id"]) == set(CLUSTER_ORDER) else list(meta["cluster_id"])
    c = meta.set_index("cluster_id").reindex(order)
    facts = cluster_facts() if facts is None else facts
    latest = (
        facts.sort_values("year", na_position="first")
        .groupby(["cluster_id", "quantity"])
        .last()["value"]
        .unstack()
    ).reindex(order)
    for q in ("founded", "participants", "sme_share", "employees", *MEMBER_GROUPS):
        if q not in latest:
            latest[q] = np.nan
    out = pd.DataFrame(index=order)
    out["name_en"] = c["name_en"]
    out["founded"] = latest.get("founded")
    out["members_stated"] = latest.get("participants")
    groups = list(MEMBER_GROUPS)
    out["members_listed"] = latest[groups].sum(axis=1, min_count=1)
    for q in ("anchor_participants", "sme_participants", "education_organisations", "research_organisations"):
        out[q.replace("_participants", "").replace("_organisations", "")] = latest.get(q)
    out["sme_share_published"] = latest.get("sme_share")
    denominator = out["members_stated"].fillna(out["members_listed"])
    out["sme_share_recomputed"] = 100 * out["sme"] / denominator
    out["employees_thousand"] = latest.get("employees")
    out["linked_to_specialisation"] = c["linked_to_specialisation"]
    out.index.name = "cluster_id"
    return out


def specialisation_link(threshold: float, year: int = 2016) -> pd.DataFrame:
    """For each cluster, the location quotients (turnover, Table 5 or Table 6) of the activities
    it relates to, and whether any is above ``threshold`` (the paper uses 1).

    This tests the paper's judgement (only the coal-processing cluster follows the specialisation)
    against its own LQ tables. Activities without an LQ in the paper are listed as unknown. The activities a cluster relates to
    (``related_items`` in clusters.csv) are the compendium's reading of the cluster's core business.
    """
    lq = pd.concat(
        [
            paper.table(5).query("year == @year")[["item", "value"]],
            paper.table(6).query("basis == 'turnover'")[["item", "value"]],
        ]
    )
    lq = lq.drop_duplicates("item").set_index("item")["value"]
    rows = []
    for cid, r in paper.clusters().set_index("cluster_id").reindex(CLUSTER_ORDER).iterrows():
        items = r["related_items"].split("|")
        known = {i: lq[i] for i in items if i in lq.index}
        best = max(known.values()) if known else np.nan
        rows.append(
            {
                "cluster_id": cid,
                "related_activities": ", ".join(items),
                "lq_turnover": ", ".join(f"{i} {v:g}" for i, v in known.items()) or "none in the paper",
                "max_lq": best,
                "above_threshold": (bool(best > threshold) if known else None),
                "paper_says_linked": r["linked_to_specialisation"],
            }
        )
    return pd.DataFrame(rows).set_index("cluster_id")


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
def draw_members(
    p: pd.DataFrame, lang: str, facts: pd.DataFrame | None = None, meta: pd.DataFrame | None = None
):
    """Stacked bars: members of each cluster by kind, as the source lists them."""
    facts = cluster_facts() if facts is None else facts
    meta = paper.clusters() if meta is None else meta
    order = list(p.index)
    latest = (
        facts.sort_values("year", na_position="first")
        .groupby(["cluster_id", "quantity"])
        .last()["value"]
        .unstack()
    ).reindex(order)
    groups = [q for q in MEMBER_GROUPS if q in latest]
    fig, ax = F.new(6.5, 0.45 * len(order) + 1.0)
    left = np.zeros(len(order))
    for g in groups:
        v = latest[g].fillna(0).to_numpy()
        ax.barh(range(len(order)), v, left=left, label=MEMBER_GROUPS[g][F.LANGS.index(lang)])
        left += v
    stated = p["members_stated"].to_numpy(float)
    ax.scatter(
        stated,
        range(len(order)),
        marker="|",
        s=200,
        color="black",
        zorder=3,
        label={"en": "total stated", "ru": "всего по источнику"}[lang],
    )
    names = meta.set_index("cluster_id").reindex(order)["name_en" if lang == "en" else "name_ru"]
    ax.set_yticks(range(len(order)), [n if len(n) < 38 else n[:36] + "…" for n in names])
    ax.invert_yaxis()
    ax.set_xlabel(F.t("members", lang))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncols=4, frameon=False)
    ax.set_title({"en": "Cluster members by kind", "ru": "Участники кластеров по типам"}[lang])
    F.source_note(
        fig,
        F.t("source_paper", lang)
        if meta is None or set(order) == set(CLUSTER_ORDER)
        else {
            "en": "Source: the region's cluster data (data/user)",
            "ru": "Источник: данные региона о кластерах (data/user)",
        }[lang],
    )
    return fig


def region_clusters(region: str, user_folder: str = ""):
    """``(meta, facts, why)``: the paper's clusters for its region, else the user's
    ``clusters.csv`` and ``cluster_facts.csv``; ``(None, None, why)`` if absent."""

    if paper.covers(region):
        return paper.clusters(), cluster_facts(), ""
    folder = (paths.ROOT / user_folder) if user_folder else None
    cl = userdata.load(region, "clusters", folder=folder)
    if cl is None:
        return (
            None,
            None,
            (
                f"the paper profiles Kemerovo region's clusters only; supply "
                f"{paths.rel(folder or paths.user_dir(region))}/clusters.csv (see data/README.md)"
            ),
        )
    facts = userdata.cluster_facts_long(cl, userdata.load(region, "cluster_facts", folder=folder))
    return userdata.clusters_like_paper(cl), facts, ""
