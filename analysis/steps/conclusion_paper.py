"""The paper's conclusions judged against the evidence this compendium computes (Ivanova 2018:
its Abstract, Results and Conclusion). Notebook ``07_conclusion``, whose step module
:mod:`analysis.steps.conclusion` keeps the production indices, the windows before and after the
first cluster and their readings; this module uses them.

``evidence`` restates facts of the Results (which hold largely by construction), each ``yes``,
``partly`` or ``no``; ``paper_conclusions`` judges what the abstract and the Conclusion actually
claim (no change of the specialisation, clusters in activities short of investment, a weak pull of
the specialisation, the factors that helped, faster growth than Russia), each with a verdict
(:data:`VERDICTS`: ``holds``, ``holds in part``, ``consistent``, ``does not hold``, ``not testable
with this design``), the evidence computed for it and what evidence would test it where this
design cannot; ``what_the_checks_change`` puts the verdicts first (:data:`CHANGE_VERDICTS`). The
ledger's figure (:mod:`analysis.steps.conclusion_ledger`) counts the paper's numbers by status on both axes.
"""

from __future__ import annotations

import pandas as pd

from analysis.core import labels as L
from analysis.core import prose as P
from analysis.inputs import paper, regions, rosstat
from analysis.inputs import region as region_data
from analysis.reproduction import checks, official
from analysis.reproduction import ledger as ledger_rules
from analysis.steps import (
    cluster_profiling,
    coefficients,
    conclusion,
    factor_selection,
    freight,
    gva_hhi,
    localization,
)

REGION = paper.REGION  # the conclusions judged here are the paper's, about its region


def evidence(threshold: float) -> pd.DataFrame:
    """The paper's conclusions (in our words), the evidence computed for each, and whether it holds.

    ``holds`` is ``yes``, ``partly`` or ``no``; every number in ``evidence`` is computed here from
    data/raw, not typed in.
    """
    rows = []

    def add(cid, claim, where, ev, holds):
        rows.append(
            {"conclusion_id": cid, "conclusion": claim, "paper_source": where, "evidence": ev, "holds": holds}
        )

    lq, _ = cluster_profiling.link_lqs(
        region_data.lq_turnover(REGION).table, region_data.lq_bases(REGION).table
    )
    link = cluster_profiling.specialisation_link(region_data.clusters(REGION).table, lq, threshold)
    n_linked = int((link["source_says_linked"] == "yes").sum())
    above = link[link["above_threshold"] == True].index.tolist()  # noqa: E712
    add(
        "one_cluster_linked",
        "Only one of the five clusters (coal processing) follows the region's specialisation",
        "Results; Conclusion",
        f"paper: {n_linked} of {len(link)} linked; LQ (turnover 2016) of the clusters' core activities above "
        f"{threshold:g}: " + ", ".join(f"{c} ({link.at[c, 'max_lq']:g})" for c in above),
        "yes" if above == ["coal_processing"] else "partly",
    )

    w = paper.wide(1).drop(index="total")
    top = w.idxmax()
    add(
        "mining_dominant",
        "Mining remains the largest activity in GVA, though its share fell 2010-2015",
        "Results, Table 1",
        f"largest activity every year: {', '.join(sorted(set(top)))}; mining share "
        f"{w.loc['mining', w.columns.min()]:g} % ({w.columns.min()}) -> {w.loc['mining', w.columns.max()]:g} % ({w.columns.max()})",
        "yes" if set(top) == {"mining"} else "no",
    )

    h = gva_hhi.hhi_table().dropna(subset=["recomputed"]).set_index("year")["recomputed"]
    y_min = int(h.idxmin())
    reversal = 2014  # the paper: the move towards diversification "already in 2014" turned back
    add(
        "diversification_reversed",
        "Diversification that began in 2012 reversed from 2014 (HHI rises again)",
        "Results, HHI list",
        "recomputed HHI "
        + ", ".join(f"{y}: {v:.1f}" for y, v in h.items())
        + f"; lowest in {y_min}"
        + _volume_caveat(),
        "yes" if y_min == reversal - 1 and h.iloc[-1] > h.loc[y_min] else "partly",
    )

    ch = coefficients.changes(coefficients.by_year(region_data.product_coefficients(REGION).table))
    add(
        "coal_coefficient_up",
        "The per-capita production coefficient of coal grew 2011-2016",
        "Results, Table 2",
        f"coal {ch.at['coal', 'coef_2011']:g} -> {ch.at['coal', 'coef_2016']:g} ({ch.at['coal', 'change_pct']:+.1f} %)"
        + _population_caveat("coal"),
        "yes" if ch.at["coal", "change_pct"] > 0 else "no",
    )

    m = coefficients.marketability(region_data.shipments_out(REGION).table).set_index("year")["marketability"]
    add(
        "marketability_high",
        "Coal marketability stayed near 1: most coal produced leaves the region",
        "Results, Table 3",
        "recomputed " + ", ".join(f"{y}: {v:.3f}" for y, v in m.items()) + _marketability_caveat(),
        "yes" if (m > 0.9).all() else "partly",
    )

    o = (
        freight.out_over_in(region_data.paper_freight())
        .query("cargo == 'all_cargo'")
        .set_index("year")["excess_pct"]
    )
    add(
        "out_exceeds_in",
        "Far more freight leaves the region by rail than arrives",
        "Results, Table 4",
        "outbound above inbound by " + ", ".join(f"{y}: {v:.1f} %" for y, v in o.items()),
        "yes" if (o > 0).all() else "no",
    )

    lq = localization.by_year(region_data.lq_turnover(REGION).table)
    add(
        "mining_lq_up",
        "The specialisation in mining persists and grows (LQ on turnover)",
        "Results, Table 5",
        f"mining LQ {lq.loc['mining', lq.columns.min()]:g} ({lq.columns.min()}) -> "
        f"{lq.loc['mining', lq.columns.max()]:g} ({lq.columns.max()})",
        "yes" if lq.loc["mining"].is_monotonic_increasing else "partly",
    )

    w7 = conclusion.indices_wide(conclusion.paper_indices())
    f = conclusion.faster_than_russia(w7, REGION).set_index("item")
    for item in ("industry", "mining"):
        r = f.loc[item]
        # the paper claims faster growth over the period: judged cumulatively; the slower years are
        # given in the evidence, not counted against the claim
        holds = "yes" if r["faster_over_period"] else "no"
        add(
            f"{item}_faster",
            f"{L.label(f'index_item.{item}', 'en')} grew faster in Kemerovo region than in Russia over the period",
            "Results, Table 7",
            f"cumulative {w7.columns.min() - 1}-{w7.columns.max()}: {r['cum_region']:.1f} vs {r['cum_russia']:.1f}; "
            f"faster in {r['n_years_faster']} of {r['n_years']} years ({r['years_region_faster']})",
            holds,
        )

    last = w7.columns.max()
    dec = [i for i in ("manufacturing", "utilities") if w7.loc[(REGION, i), last] < 100]
    add(
        "manuf_utilities_fell_2016",
        f"In {last} manufacturing and utilities output fell in Kemerovo region",
        "Results, Table 7",
        ", ".join(f"{i}: {w7.loc[(REGION, i), last]:g}" for i in ("manufacturing", "utilities")),
        "yes" if len(dec) == 2 else "partly" if dec else "no",
    )
    return pd.DataFrame(rows)


def _volume_caveat() -> str:
    """The caveat on the diversification of 2012-2014: mining's share in volume (step 3)."""
    v = gva_hhi.volume_shares(
        rosstat.table("gva_structure"),
        rosstat.table("production_indices"),
        rosstat.table("grp_volume_index"),
        REGION,
    )
    c = gva_hhi.volume_change(v, "mining", 2011, 2014)
    if c is None or not c["volume_factor"] > 1 > c["nominal_factor"]:
        return ""
    return (
        f"; caveat: in volume mining's share rose x{c['volume_factor']:.3f} over 2011-2014 while its nominal share "
        f"went {c['nominal_first']:g} -> {c['nominal_last']:g} % (Rosstat): the fall of the HHI is a price effect"
    )


def _population_caveat(product: str) -> str:
    """The caveat on a coefficient's growth (step 4): how much of it the fall of the region's share
    of Russia's population gives, and how much of that the regions entering Russia's population in
    the window (Crimea and Sevastopol, 2014) give (:func:`coefficients.population_entrants`)."""
    wide = coefficients.by_year(region_data.product_coefficients(REGION).table)
    pop = rosstat.table("population")
    dec = coefficients.decompose_changes(wide, coefficients.population_share(pop, REGION))
    if product not in dec.index or not dec.at[product, "from_population_pct"] > 0:
        return ""
    d = dec.loc[product]
    first, last = int(d["first_year"]), int(d["last_year"])
    e = coefficients.population_entrants(
        pop, REGION, first, last, [r.id for r in regions.top_level_regions()]
    )
    entrants = ""
    if e is not None and abs(e.from_population_pct - d["from_population_pct"]) < 1e-6:
        entrants = (
            f" ({e.entrants_pct:.1f} points of it from "
            f"{' and '.join(regions.study_region(str(i)).name_en for i in e.regions)} entering Russia's "
            f"population between {first} and {last}; on Russia's population without them, "
            f"{e.without_entrants_pct:+.1f} %)"
        )
    return (
        f"; caveat: of these {d['change_pct']:+.1f} %, the fall of the region's share of Russia's population "
        f"alone gives {d['from_population_pct']:+.1f} %{entrants}, the change of its share of Russia's {product} "
        f"output {d['from_output_share_pct']:+.1f} % (the two multiply)"
    )


def _marketability_caveat() -> str:
    """The caveat on marketability: coal arriving by rail may leave again (step 5)."""
    t = freight.dispatch_identity()
    if t.empty:
        return ""
    return (
        "; caveat: Table 3's shipments may include coal that arrived by rail ("
        + " / ".join(f"{v:.1f}" for v in t["coal_in_mt"])
        + " Mt); net of it, marketability is at most "
        + " / ".join(f"{v:.2f}" for v in t["marketability_net_of_inbound"])
    )


def reading_evidence(ev: pd.DataFrame) -> str:
    """How many of the paper's conclusions hold on the evidence, in words (Markdown)."""
    c = ev["holds"].value_counts()
    partly = ev.loc[ev["holds"] == "partly", "conclusion_id"].tolist()
    no = ev.loc[ev["holds"] == "no", "conclusion_id"].tolist()

    def hold(n: int) -> str:
        return f"{n} {'holds' if n == 1 else 'hold'}"

    return (
        f"Of {len(ev)} facts of the Results restated as conclusions, {hold(c.get('yes', 0))} on the evidence, "
        f"{hold(c.get('partly', 0))} in part"
        + (f" ({', '.join(partly)})" if partly else "")
        + f" and {c.get('no', 0)} {'does' if c.get('no', 0) == 1 else 'do'} not"
        + (f" ({', '.join(no)})" if no else "")
        + "."
    )


# ------------------------------------------------------------- what the paper's conclusions claim
# Verdicts of the judged conclusions: ``holds`` / ``does not hold``: a test on the data says so;
# ``holds in part``: the test is split; ``consistent``: the data agree with what the claim implies,
# but the claim itself (a cause, or a quantity measured only by a proxy) is not tested;
# ``not testable with this design``: no test on the data the paper (or Rosstat) gives.
VERDICTS = ("holds", "holds in part", "consistent", "does not hold", "not testable with this design")
JUDGED_COLUMNS = ["claim_id", "claim", "paper_section", "verdict", "evidence", "what_would_test"]


def _judged(
    claim_id: str, claim: str, section: str, verdict: str, evidence: str, test: str
) -> dict[str, str]:
    if verdict not in VERDICTS:
        raise ValueError(f"unknown verdict {verdict!r}; one of {VERDICTS}")
    return dict(zip(JUDGED_COLUMNS, (claim_id, claim, section, verdict, evidence, test)))


def volume_against_share(shares: pd.Series, indices: pd.Series) -> dict[str, float] | None:
    """Output rising while the nominal share falls: among the runs of consecutive years in which
    the volume index ``indices`` (% of the previous year) exceeds 100, the one over which the
    share ``shares`` (% of GVA, by year) falls most, from the year before the run to its lowest
    year within the run. ``{first, last, year_from, share_from, year_to, share_to}`` or None if no
    run has a share before it and a lower one within it.

    A share that falls while the volume rises every year falls through relative prices, not output.
    """
    up = [int(y) for y, v in indices.sort_index().items() if pd.notna(v) and v > 100]
    runs: list[list[int]] = []
    for y in up:
        if runs and runs[-1][-1] == y - 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    best: dict[str, float] | None = None
    for run in runs:
        start = run[0] - 1
        within = shares.reindex(run).dropna()
        if start not in shares.index or pd.isna(shares[start]) or within.empty:
            continue
        fall = float(shares[start] - within.min())
        if fall > 0 and (best is None or fall > best["share_from"] - best["share_to"]):
            best = {
                "first": run[0],
                "last": run[-1],
                "year_from": start,
                "share_from": float(shares[start]),
                "year_to": int(within.idxmin()),
                "share_to": float(within.min()),
            }
    return best


def reading_volume_against_share(v: dict[str, float] | None, activity: str) -> str:
    """The sentence saying that a nominal share fell while output rose (``v``:
    :func:`volume_against_share`); empty if it did not."""
    if v is None:
        return ""
    return (
        f"{activity.capitalize()} output rose every year {v['first']:.0f}-{v['last']:.0f} (production index above 100) "
        f"while its nominal share of GVA fell from {v['share_from']:g} % ({v['year_from']:.0f}) to {v['share_to']:g} % "
        f"({v['year_to']:.0f}): the fall is one of relative prices (for a coal region, presumably coal's), not of "
        "output, so nominal shares alone do not show a change of specialisation."
    )


def cluster_weight(employment: pd.DataFrame, region: str, year: int) -> dict[str, float] | None:
    """The clusters' employees the paper states (``text_numbers.csv``, quantity ``employees``:
    coal processing "more than 8 thousand", biomedical "about 22 thousand") against the region's
    employment in ``year`` (Rosstat, ``employment_total.csv``), thousand persons:
    ``{employees, employment, share_pct, year}``; None without Rosstat's figure."""
    t = paper.text_numbers()
    employees = float(t.loc[t["quantity"] == "employees", "value"].sum())
    e = employment[(employment["region_id"] == region) & (employment["year"] == year)]["value"]
    if e.empty:
        return None
    return {
        "employees": employees,
        "employment": float(e.iloc[0]),
        "share_pct": 100 * employees / float(e.iloc[0]),
        "year": year,
    }


def judge_no_change(
    after: pd.DataFrame,
    threshold: float,
    volume: pd.Series | None = None,
    price_note: str = "",
    weight: dict[str, float] | None = None,
    claim_year: int | None = None,
) -> dict[str, str]:
    """(a) "The clusters did not change the region's specialisation".

    ``not testable with this design``, always: a test of it must be able to fail, and this one
    cannot. The clusters employ a small share of the region's workers (``weight``:
    :func:`cluster_weight`), too few to move its GVA structure whatever they did; and the claim is
    dated ``claim_year`` (the last year of the paper's data) while the windows reach 2022. What the
    data show is given as description (``after``: :func:`after_the_clusters`): the specialisation's
    LQ against Russia before the founding and in each window (above ``threshold`` or not), the
    changes of the HHI and of its nominal share, its share in volume where one exists, and
    ``volume`` (``cum_region``, ``cum_russia`` of mining's chained production index) and
    ``price_note`` (:func:`reading_volume_against_share`).
    """
    lq = after[after["indicator"] == "lq"]
    act = str(lq["activity"].iloc[0]) if len(lq) and "activity" in lq else "the specialisation"
    claim = (
        "no_change",
        "The clusters did not change the region's specialisation",
        "Abstract; Results (end); Conclusion",
    )
    test = (
        "a counterfactual: the same indicators for comparable resource regions without clusters (difference in "
        "differences or a synthetic control on Rosstat's regional GVA), and the clusters' own output as a share "
        "of the region's"
    )
    parts = []
    if weight is not None:
        parts.append(
            f"the test could not fail: the clusters' employees the paper states (about {weight['employees']:g} thousand in all) are "
            f"{weight['share_pct']:.1f} % of the region's employment in {int(weight['year'])} "
            f"({weight['employment']:g} thousand, Rosstat), too few to move its GVA structure whatever they did"
        )
    if claim_year is not None:
        later = sorted(
            {r.after_years for r in after.itertuples() if int(str(r.after_years).split("-")[-1]) > claim_year}
        )
        if later:
            parts.append(f"the claim is dated {claim_year}, the windows {', '.join(later)} come after it")
    if not lq.empty and lq["before"].notna().any():
        before = float(lq["before"].iloc[0])
        persists = bool(before > threshold and (lq["after"] > threshold).all())
        parts.append(
            f"as description: {act}'s LQ of GVA against Russia {before:.2f} ({lq['before_years'].iloc[0]}), then "
            + ", ".join(f"{r.after:.2f} ({r.after_years})" for r in lq.itertuples())
            + (
                f", above {threshold:g} in every window"
                if persists
                else f", not above {threshold:g} throughout"
            )
        )
    for name, label, fmt in (
        ("hhi", "the HHI", ".0f"),
        ("share_pct", f"{act}'s nominal share of GVA, points", ".1f"),
        ("volume_share_pct", f"{act}'s share in volume (2009 prices), points", ".1f"),
    ):
        rows = after[(after["indicator"] == name) & after["change"].notna()]
        if not rows.empty:
            parts.append(
                f"change of {label}: "
                + ", ".join(f"{r.change:+{fmt}} ({r.after_years})" for r in rows.itertuples())
            )
    if volume is not None:
        parts.append(
            f"mining output grew {'faster' if volume['cum_region'] > volume['cum_russia'] else 'no faster'} "
            f"than Russia's (Table 7 chained: {volume['cum_region']:.1f} against {volume['cum_russia']:.1f})"
        )
    evidence = ("; ".join(parts) or f"no LQ of {act} before and after the founding") + "."
    evidence += f" {price_note}" if price_note else ""
    return _judged(*claim, "not testable with this design", evidence, test)


def _assessed(link: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """The clusters the paper assesses (``source_says_linked`` not ``not_assessed``: those founded
    after its period), the one denominator of claims (b) and (c), and a note naming the rest."""
    out = link[link["source_says_linked"] != "not_assessed"]
    rest = [str(i) for i in link.index.difference(out.index, sort=False)]
    note = (
        f"; left out: {', '.join(rest)}, which the paper does not assess (founded after its period)"
        if rest
        else ""
    )
    return out, note


def _count(link: pd.DataFrame, above: bool, label: str, other: tuple[str, str]) -> str:
    """``k of n clusters`` whose ``above_threshold`` is ``above`` (named), then how many are the
    other way (``other``: singular and plural verb) and how many have no LQ: one denominator,
    ``n``, every cluster accounted for."""
    hit = link[link["above_threshold"] == above]
    miss = link[link["above_threshold"] == (not above)]
    none = [str(i) for i in link.index[link["above_threshold"].isna()]]
    return (
        f"{len(hit)} of {len(link)} clusters {label}"
        + (f" ({', '.join(map(str, hit.index))})" if len(hit) else "")
        + (f", {len(miss)} {other[len(miss) > 1]} ({', '.join(map(str, miss.index))})" if len(miss) else "")
        + (f", {len(none)} without an LQ ({', '.join(none)})" if none else "")
    )


def judge_short_of_investment(
    clusters: pd.DataFrame,
    investment_lq: pd.Series,
    dynamics: pd.DataFrame | None = None,
    threshold: float = 1.0,
) -> dict[str, str]:
    """(b) "Clusters form in activities short of investment".

    Proxy: investment per worker against Russia's (``investment_lq``: the LQ on investment over the
    LQ on employment, Table 6) of the activities each cluster works in (``clusters``: ``cluster_id,
    related_items, linked_to_specialisation``). A cluster whose activities all have a proxy at or
    below ``threshold`` gets relatively less investment per worker than in Russia. Counted over the
    clusters the paper assesses (:func:`_assessed`, the denominator of (c) too), ``n``, of which
    ``low`` are below and some have no value: ``consistent`` if ``low > n/2`` (a low share is not a
    shortage, so the claim itself is not tested); ``does not hold`` if even the clusters without a
    value could not make a majority (``low + none <= n/2``); ``holds in part`` otherwise.
    ``dynamics``: the paper's investment changes (:func:`cluster_profiling.dynamics`).
    """
    link, left_out = _assessed(cluster_profiling.specialisation_link(clusters, investment_lq, threshold))
    known = link[link["above_threshold"].notna()]
    low = known[known["above_threshold"] == False]  # noqa: E712
    claim = ("short_of_investment", "Clusters form in activities short of investment", "Abstract; Conclusion")
    test = (
        "investment per worker, or investment needs against funding, in the members' activities before each "
        "cluster was founded, against comparable activities where no cluster formed"
    )
    if known.empty:
        return _judged(
            *claim, "not testable with this design", "no LQ on investment for the clusters' activities", test
        )
    evidence = (
        "investment per worker against Russia's (LQ on investment / LQ on employment, Table 6) of the clusters' "
        "activities: "
        + "; ".join(f"{i} ({r.lq_turnover})" for i, r in known.iterrows())
        + "; ".join([""] + [f"{i}: no LQ" for i in link.index.difference(known.index, sort=False)])
        + ". "
        + _count(
            link,
            False,
            f"work only in activities at or below {threshold:g}",
            ("works in one above", "work in one above"),
        )
        + left_out
    )
    if dynamics is not None:
        d = dynamics[dynamics["indicator"] == "fixed-capital investment"]
        d = d.assign(change=d["change_recomputed_pct"].fillna(d["change_published_pct"])).dropna(
            subset=["change"]
        )
        if not d.empty:
            evidence += "; the paper's investment changes: " + ", ".join(
                f"{r.activity} {r.change:+.1f} % ({r.period})" for r in d.itertuples()
            )
    n, none = len(link), len(link) - len(known)
    verdict = (
        "consistent" if len(low) > n / 2 else "does not hold" if len(low) + none <= n / 2 else "holds in part"
    )
    return _judged(*claim, verdict, evidence + ".", test)


def judge_weak_choice(
    link: pd.DataFrame, base: pd.Series, threshold: float, rosstat: pd.DataFrame | None = None
) -> dict[str, str]:
    """(c) "The specialisation weakly shapes which activities clusters choose".

    From the link of step 2 (:func:`cluster_profiling.specialisation_link`), over the clusters the
    paper assesses (:func:`_assessed`, the denominator of (b) too): how many work in an activity
    above ``threshold``, beside the base rate, the share of the activities of ``base`` (LQs of broad
    activities) above ``threshold`` (where a cluster placed at random would land), and, if given,
    the same link on Rosstat's GVA (:func:`rosstat_link`). A handful of clusters cannot measure how
    weak a pull is: always ``not testable with this design``, the counts as description.
    """
    link, left_out = _assessed(link)
    known = link[link["above_threshold"].notna()]
    above = known[known["above_threshold"] == True]  # noqa: E712
    claim = (
        "weak_choice",
        "The region's specialisation weakly shapes which activities its clusters choose",
        "Abstract; Conclusion",
    )
    test = (
        "many regions' clusters (e.g. the Russian cluster register) against each region's LQs before the clusters "
        "were founded: how much more often clusters form in specialised activities than chance would give"
    )
    if known.empty:
        return _judged(*claim, "not testable with this design", "no LQ for the clusters' activities", test)
    b = base.dropna()
    evidence = (
        _count(link, True, f"work in an activity above {threshold:g}", ("does not", "do not"))
        + f"; the paper calls {int((link['source_says_linked'] == 'yes').sum())} of them linked"
        + (
            f"; {int((b > threshold).sum())} of {len(b)} broad activities are above {threshold:g}, the share a "
            "cluster placed at random would land in"
            if len(b)
            else ""
        )
    )
    if rosstat is not None and not rosstat.empty:
        r_link, _ = _assessed(rosstat)
        evidence += (
            f"; on Rosstat's GVA (each cluster in its founding year where the data reach it: "
            f"{P.years_span(r_link['year'].tolist())}), "
            + _count(r_link, True, f"work in an activity above {threshold:g}", ("does not", "do not"))
        )
    # How weak a pull is needs a comparison with chance over many clusters; a share of a handful
    # cannot fail the claim (issue 20.7c), so it is described, not judged.
    b_share = f" against a base rate of {int((b > threshold).sum())} of {len(b)}" if len(b) else ""
    return _judged(
        *claim,
        "not testable with this design",
        evidence
        + left_out
        + f". {len(above)} of {len(link)} ({100 * len(above) / len(link):.0f} %){b_share}: {len(link)} clusters "
        "are too few to measure how weak the pull is.",
        test,
    )


def judge_factors(factors: pd.DataFrame) -> dict[str, str]:
    """(d) The factors the Conclusion says favoured the clusters (``named_in_conclusion``).

    Always ``not testable with this design``: the paper sees the factors in clusters that formed,
    without clusters that failed or activities where none formed to set them against.
    ``factors``: :func:`analysis.steps.factor_selection.factor_table`.
    """
    named = factors[factors["named_in_conclusion"] == "yes"]
    dep = named[named["depends_on_specialisation"] == "yes"]
    stated = dep[dep["dependence_basis"] == "stated"]["factor_id"].tolist()
    inferred = dep[dep["dependence_basis"] == "inferred"]["factor_id"].tolist()
    evidence = (
        f"the Conclusion names {len(named)} factors ({', '.join(named['factor_id'])}); the Method states that "
        f"{len(stated)} of them depend on the specialisation ({', '.join(stated) or 'none'})"
        + (f", {len(inferred)} more on this compendium's reading ({', '.join(inferred)})" if inferred else "")
        + f"; {int((named['indicators'].fillna('').str.len() > 0).sum())} have an indicator paired with them (step 1). All are observed in clusters that formed; there is no cluster that failed, and no "
        "activity without a cluster, to compare."
    )
    return _judged(
        "factors_helped",
        f"{len(named)} factors favoured the emergence of the region's clusters",
        "Abstract; Conclusion",
        "not testable with this design",
        evidence,
        "the same factors measured before founding for clusters that succeeded, failed or never formed (e.g. all "
        "applicants to the pilot cluster programme), so that their presence can be set against the outcome",
    )


def judge_faster(
    faster: pd.DataFrame,
    items: tuple[str, ...] = ("industry", "mining"),
    official: pd.DataFrame | None = None,
) -> dict[str, str]:
    """ "Industrial production and mining grew faster in the region than in Russia" (over the
    period of Table 7). Judged cumulatively (``faster_over_period`` of :func:`faster_than_russia`),
    which is what the claim is about: ``holds`` if every item grew faster over the period, ``holds in
    part`` if some did, ``does not hold`` if none; the years in which the region was slower are
    given, not counted against the claim. ``official``: the same table on Rosstat's annual indices
    (Table 7's two industry cells of 2015-2016 differ from them, ``check_t7_industry_aggregation_*``):
    the verdict must hold on both, and the evidence gives both margins."""
    f = faster.set_index("item").reindex(list(items)).dropna(subset=["cum_region"])
    claim = (
        "faster_than_russia",
        "Industrial production and mining grew faster in the region than in Russia over the period",
        "Results (last paragraph), Table 7",
    )
    test = "the chained indices are the test; a longer period or output per worker would test its robustness"
    if f.empty:
        return _judged(*claim, "not testable with this design", "no production indices", test)
    base = int(faster.attrs.get("base", 0)) or None
    o = None if official is None else official.set_index("item").reindex(list(items))
    parts = []
    for i, r in f.iterrows():
        text = (
            f"{i}: {r.cum_region:.1f} against {r.cum_russia:.1f}"
            + (f" ({base} = 100)" if base else "")
            + f", faster in {r.n_years_faster} of {r.n_years} years"
        )
        if o is not None and i in o.index and pd.notna(o.at[i, "cum_region"]):
            orow = o.loc[i]
            text += (
                f"; on Rosstat's annual indices {orow['cum_region']:.1f} against {orow['cum_russia']:.1f}"
                f" (margin {orow['cum_region'] - orow['cum_russia']:+.1f} points against the paper's "
                f"{r.cum_region - r.cum_russia:+.1f})"
            )
        parts.append(text)
    holds = f["faster_over_period"].astype(bool)
    if o is not None:
        ob = o["faster_over_period"].reindex(f.index)
        holds = holds & ob.fillna(True).astype(bool)
    n = int(holds.sum())
    verdict = "holds" if n == len(f) else "holds in part" if n else "does not hold"
    return _judged(*claim, verdict, "chained indices, " + "; ".join(parts) + ".", test)


def nominal_note() -> str:
    """Mining's output (Table 7, the paper's region) against its nominal share of GVA (Table 1), in
    words generated from them (:func:`volume_against_share`); empty if output and share did not
    diverge."""
    w7 = conclusion.indices_wide(conclusion.paper_indices())
    v = volume_against_share(paper.wide(1).loc["mining"], w7.loc[(REGION, "mining")])
    return reading_volume_against_share(v, "mining")


def paper_conclusions(after: pd.DataFrame, threshold: float, gva: pd.DataFrame | None = None) -> pd.DataFrame:
    """What the paper's abstract and Conclusion claim, judged (:data:`VERDICTS`) on the paper's data
    for its region and on ``after`` (:func:`after_the_clusters` for that region): one row per claim,
    ``claim_id, claim, paper_section, verdict, evidence, what_would_test``. ``gva``: Rosstat's GVA
    structure, for the clusters' link measured on it (:func:`cluster_profiling.rosstat_link`)."""
    w7 = conclusion.indices_wide(conclusion.paper_indices())
    faster = conclusion.faster_than_russia(w7, REGION)
    faster.attrs["base"] = int(w7.columns.min()) - 1
    mining = faster.set_index("item").loc["mining"]
    note = nominal_note()
    claim_year = int(paper.table(1)["year"].max())  # the paper's data end here
    first, last = int(w7.columns.min()), int(w7.columns.max())
    official_faster = conclusion.faster_than_russia(
        conclusion.indices_wide(region_data.official_indices(REGION, "OKVED2007", first, last)), REGION
    )
    clusters = region_data.clusters(REGION).table
    lq, _ = cluster_profiling.link_lqs(
        region_data.lq_turnover(REGION).table, region_data.lq_bases(REGION).table
    )
    bases = region_data.lq_bases(REGION).table
    # investment per worker relative to Russia: the LQ on investment over the LQ on employment
    # (Table 6; the proxy the claim names, issue 20.7b)
    inv = (
        bases[bases["basis"] == "investment"].set_index("activity")["lq"]
        / bases[bases["basis"] == "employment"].set_index("activity")["lq"]
    ).round(2)
    base = bases[bases["basis"] == "turnover"].set_index("activity")["lq"]
    official_link = (
        cluster_profiling.rosstat_link(clusters, gva, REGION, region_data.activity_sections(), threshold)
        if gva is not None
        else None
    )
    rows = [
        judge_no_change(
            after,
            threshold,
            mining,
            note,
            cluster_weight(rosstat.table("employment_total"), REGION, claim_year),
            claim_year,
        ),
        judge_short_of_investment(clusters, inv, cluster_profiling.dynamics(), threshold),
        judge_weak_choice(
            cluster_profiling.specialisation_link(clusters, lq, threshold), base, threshold, official_link
        ),
        judge_factors(factor_selection.factor_table()),
        judge_faster(faster, official=official_faster),
    ]
    return pd.DataFrame(rows, columns=JUDGED_COLUMNS)


def reading_judged(j: pd.DataFrame) -> str:
    """How the paper's own conclusions fare, in words generated from the judged table (Markdown)."""
    counts = j["verdict"].value_counts()
    parts = [f"{counts[v]} {v}" for v in VERDICTS if v in counts]
    return (
        f"Of the paper's {len(j)} conclusions judged here: "
        + ", ".join(parts)
        + ". "
        + " ".join(f"`{r.claim_id}`: {r.verdict}." for r in j.itertuples())
    )


# ---------------------------------------------------------------- the verdict first (issue 20.8)
CHANGE_VERDICTS = {  # the judged verdicts as the front page says them
    "holds": "stands",
    "holds in part": "stands with a caveat",
    "consistent": "stands with a caveat",
    "does not hold": "contradicted",
    "not testable with this design": "not testable",
}
CHANGE_COLUMNS = ["claim", "verdict", "deciding_number", "ledger_rows"]


def what_the_checks_change(
    judged: pd.DataFrame, led: pd.DataFrame, chk: pd.DataFrame, volume: pd.DataFrame
) -> pd.DataFrame:
    """Each main claim of the paper with its verdict (:data:`CHANGE_VERDICTS`), the one number
    that decides it, generated from the tables, and the ledger rows or checks it rests on.
    ``judged``: :func:`paper_conclusions`; ``led``: the ledger with ``checked_via``; ``chk``: its
    checks; ``volume``: :func:`analysis.steps.gva_hhi.volume_shares` of the paper's region."""
    j = judged.set_index("claim_id")
    rows: list[dict[str, str]] = []
    c = gva_hhi.volume_change(volume, "mining", 2011, 2014)
    if c is not None:
        rows.append(
            {
                "claim": "The GVA structure diversified in 2012-2014 (the HHI fell)",
                "verdict": "stands with a caveat" if c["volume_factor"] > 1 else "stands",
                "deciding_number": (
                    f"mining's share in volume x{c['volume_factor']:.3f} over 2011-2014 while its nominal share went "
                    f"{c['nominal_first']:g} -> {c['nominal_last']:g} % (Rosstat): "
                    + ("a price effect" if c["volume_factor"] > 1 else "a fall in volume too")
                ),
                "ledger_rows": "hhi_2011; hhi_2012; hhi_2013; hhi_2014; t1_mining_2011; t1_mining_2014",
            }
        )
    rows_for = {
        "no_change": "intro_clusters_created; coal_employees; biomed_employees",
        "short_of_investment": "t6_mining_investment_2016; t6_health_investment_2016",
        "weak_choice": "intro_clusters_linked; t6_mining_turnover_2016",
        "factors_helped": "(factors.csv)",
        "faster_than_russia": "t7_kemerovo_industry_2015; t7_kemerovo_industry_2016; "
        + "; ".join(chk.loc[chk["check_id"].str.startswith("check_t7_"), "check_id"].tail(2)),
    }
    for cid, r in j.iterrows():
        ev = str(r["evidence"])
        seg = ev.split("; ")
        if cid == "faster_than_russia":
            deciding = "; ".join(seg[:2])
        elif cid == "short_of_investment" and ". " in ev:  # the count, after the list of proxies
            deciding = ev.split(". ", 1)[1].split("; ")[0]
        else:
            deciding = seg[0].split(". ")[0]
        rows.append(
            {
                "claim": r["claim"],
                "verdict": CHANGE_VERDICTS[str(r["verdict"])],
                "deciding_number": deciding,
                "ledger_rows": rows_for.get(str(cid), ""),
            }
        )
    known = set(led["claim_id"]) | set(chk["check_id"])
    out = pd.DataFrame(rows, columns=CHANGE_COLUMNS)
    # only rows that exist are cited
    out["ledger_rows"] = [
        "; ".join(x for x in s.split("; ") if x in known or x.startswith("(")) for s in out["ledger_rows"]
    ]
    return out


def change_markdown(t: pd.DataFrame) -> str:
    """:func:`what_the_checks_change` as a Markdown section (the book's front page includes it)."""
    lines = [
        "## What the checks change",
        "",
        "| claim of the paper | verdict | the number that decides it | ledger rows |",
        "|---|---|---|---|",
    ]
    for r in t.itertuples(index=False):
        cells = [str(v).replace("|", "/") for v in (r.claim, r.verdict, r.deciding_number, r.ledger_rows)]
        lines.append("| " + " | ".join(cells) + " |")
    counts = t["verdict"].value_counts()
    lines += [
        "",
        f"The paper's {len(t)} main claims by verdict: "
        + "; ".join(f"{v}: {n}" for v, n in counts.items())
        + ".",
    ]
    return "\n".join(lines) + "\n"


def verdict_first(threshold: float) -> pd.DataFrame:
    """:func:`what_the_checks_change` for the paper's region, computed from the data alone (the
    notebook shows it before the sections it summarises)."""
    gva = rosstat.table("gva_structure")
    after = conclusion.after_the_clusters(
        gva, REGION, 2012, conclusion.default_windows(2012, sorted(set(gva["year"])))
    )
    judged = paper_conclusions(after, threshold, gva)
    chk = checks.table()
    led = checks.with_checked_via(official.official_axis(ledger_rules.build()))
    v = gva_hhi.volume_shares(
        gva, rosstat.table("production_indices"), rosstat.table("grp_volume_index"), REGION
    )
    return what_the_checks_change(judged, led, chk, v)
