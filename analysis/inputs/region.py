"""What a region has: for each quantity a step needs, the region's table and where it came from.

One function per quantity. Each returns either :class:`Sourced` (the table, its origin and the
source a reader can follow) or :class:`Missing` (what is missing, why, and where to supply it),
with the same columns whatever the origin:

- ``paper``: Ivanova (2018)'s tables, for Kemerovo region only (``data/raw/paper/``);
- ``user``: a user's folder ``data/user/<region>/`` (or ``user_folder``), validated on load
  (:mod:`analysis.inputs.userdata`);
- Rosstat's tables, for every region, are read with :func:`analysis.inputs.rosstat.table`.

The paper comes first for its region; for any other region the user's files, where official data
do not exist. A notebook runs the same cells for every region: ``if x:`` is true for a
:class:`Sourced`, false for a :class:`Missing`, whose ``str`` is the SKIPPED line to print.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from analysis import indicators as ind
from analysis.core import paths
from analysis.core.errors import InputError
from analysis.core.sources import Column, Schema, read_csv
from analysis.inputs import paper, rosstat, userdata, usershapes

Origin = Literal["paper", "user", "rosstat"]


@dataclass(frozen=True)
class Sourced:
    """A region's table, its origin and the source a reader can follow; ``names`` are the
    Russian names a user's file gives its ids (its ``*_label`` column), for the figures."""

    what: str
    table: pd.DataFrame
    origin: Origin
    source: str
    names: Mapping[str, str] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return True

    def __str__(self) -> str:
        origin = {"paper": "the paper", "user": "the user's folder", "rosstat": "Rosstat"}[self.origin]
        said = self.source.startswith(origin)  # "Rosstat, Regions of Russia ...": Rosstat said once
        return f"{self.what}: from {self.source if said else f'{origin}, {self.source}'}"


@dataclass(frozen=True)
class Missing:
    """A quantity a region does not have: what, why, and where to supply it."""

    what: str
    reason: str
    supply: str = ""

    def __bool__(self) -> bool:
        return False

    def __str__(self) -> str:
        fix = f"; supply {self.supply} (see data/README.md)" if self.supply else ""
        return f"SKIPPED: {self.what}: {self.reason}{fix}"


Available = Sourced | Missing

PAPER = "Ivanova (2018)"


def folder_of(region: str, user_folder: str = "") -> Path:
    """The folder of a region's own inputs: ``user_folder`` (relative to the repository root) if
    given, which must exist (:func:`given_folder`), else ``data/user/<region>/``."""
    return given_folder(user_folder) if user_folder else paths.user_dir(region)


def given_folder(user_folder: str) -> Path:
    """The folder a user named (``--param user_folder=...``, relative to the repository root, or
    absolute). A folder named and not found is an error naming the closest existing folders:
    a misspelt name would otherwise read nothing, skip every user input and let the runner
    remove the outputs of the last run as no longer written."""
    folder = paths.ROOT / user_folder
    if folder.is_dir():
        return folder
    parent = folder.parent if folder.parent.is_dir() else paths.USER
    existing = sorted(d for d in parent.iterdir() if d.is_dir() and not d.name.startswith("."))
    shown = {paths.rel(d) if paths.ROOT in d.resolve().parents else str(d): d.name for d in existing}
    close = difflib.get_close_matches(folder.name, list(shown.values()), n=3, cutoff=0.5)
    hint = [k for c in close for k, v in shown.items() if v == c]
    raise InputError(
        folder,
        "the user folder does not exist" + (" (it is a file)" if folder.exists() else ""),
        column="user_folder",
        expected="an existing folder"
        + (f"; closest: {', '.join(hint)}" if hint else f"; existing: {', '.join(shown) or 'none'}"),
        found=user_folder,
    )


def _user(region: str, user_folder: str, name: str) -> tuple[pd.DataFrame | None, str, str]:
    """(the user's file ``name`` or None, its source line, the path to supply it at)."""
    folder = folder_of(region, user_folder)
    where = f"{paths.rel(folder)}/{name}.csv"
    df = userdata.load(region, name, folder=folder if user_folder else None)
    if df is None:
        return None, "", where
    meta = userdata.describe(region, folder=folder if user_folder else None)
    named = meta.get("source", "")
    return df, f"{where}" + (f" ({named})" if named else ""), where


def _names(df: pd.DataFrame | None, id_col: str, label_col: str) -> dict[str, str]:
    """The user's name of each id (the first non-empty ``label_col`` value), if the file has them."""
    if df is None or label_col not in df:
        return {}
    named = df[df[label_col].fillna("").astype(str).str.strip() != ""]
    return {str(k): str(v).strip() for k, v in named.groupby(id_col, sort=True)[label_col].first().items()}


# ----------------------------------------------------------------------------------- clusters
def clusters(region: str, user_folder: str = "") -> Available:
    """The region's clusters: ``cluster_id, name_ru, name_en, linked_to_specialisation,
    related_items`` ("|"-joined ids of the activities each cluster works in) and ``founded``."""
    if paper.covers(region):
        c = paper.clusters()
        founded = paper_cluster_facts().query("quantity == 'founded'").groupby("cluster_id")["value"].min()
        c = c.assign(founded=c["cluster_id"].map(founded))
        return Sourced(
            "clusters", c, "paper", f"{PAPER}, Introduction and Results (data/raw/paper/clusters.csv)"
        )
    df, source, where = _user(region, user_folder, "clusters")
    if df is None:
        return Missing("clusters", "no register of clusters by region is among the official data", where)
    _check_related(df, region, user_folder)
    c = usershapes.clusters_like_paper(df).assign(founded=df["founded"].to_numpy(float))
    return Sourced("clusters", c, "user", source)


def _check_related(df: pd.DataFrame, region: str, user_folder: str) -> None:
    """Every id in ``related_activities`` must be an activity the study can measure: one of the
    crosswalk to OKVED sections (data/reference/activity_okved.csv), or one of the user's own
    ``activity_bases.csv``. Otherwise the link to the specialisation could not be computed."""
    known = set(activity_sections()["id"]) | set(rosstat.GVA_ACTIVITIES["OKVED2"])  # ids, OKVED2 letters
    bases, _, _ = _user(region, user_folder, "activity_bases")
    if bases is not None:
        known |= {str(a).casefold() for a in bases["activity"]}
    rows = df.attrs.get("rows", list(range(2, len(df) + 2)))
    for row, value in zip(rows, df["related_activities"]):
        for item in (t.strip() for t in str(value).split("|") if t.strip()):
            if item not in known and item.casefold() not in known:
                raise InputError(
                    paths.ROOT / df.attrs["file"]
                    if "file" in df.attrs
                    else folder_of(region, user_folder) / "clusters.csv",
                    f"related activity {item!r} maps to no OKVED section and is not in activity_bases.csv",
                    row=row,
                    column="related_activities",
                    expected="ids of data/reference/activity_okved.csv ("
                    + ", ".join(sorted(set(activity_sections()["id"])))
                    + "), an OKVED2 section letter (A-T) or an activity of your activity_bases.csv",
                    found=item,
                )


def paper_cluster_facts() -> pd.DataFrame:
    """The paper's facts about its clusters: cluster_id, quantity, year, value, unit, qualifier,
    claim_id (from the running text, ``data/raw/paper/text_numbers.csv``)."""
    t = paper.text_numbers()
    t = t[t["subject"].isin(set(paper.clusters()["cluster_id"]))]
    cols = ["subject", "quantity", "year", "value", "unit", "qualifier", "claim_id"]
    return t[cols].rename(columns={"subject": "cluster_id"}).reset_index(drop=True)


def cluster_facts(region: str, user_folder: str = "") -> Available:
    """Facts about the region's clusters (members by kind, SME share, employees, founding year):
    ``cluster_id, quantity, year, value, unit, qualifier, claim_id``."""
    if paper.covers(region):
        return Sourced(
            "facts about the clusters",
            paper_cluster_facts(),
            "paper",
            f"{PAPER}, Results (data/raw/paper/text_numbers.csv)",
        )
    cl, source, where = _user(region, user_folder, "clusters")
    if cl is None:
        return Missing("facts about the clusters", "no clusters.csv", where)
    facts, fsource, _ = _user(region, user_folder, "cluster_facts")
    return Sourced(
        "facts about the clusters", usershapes.cluster_facts_long(cl, facts), "user", fsource or source
    )


# ------------------------------------------------------------------------------------ freight
def paper_freight(full_years_only: bool = True) -> pd.DataFrame:
    """Table 4 as rows (cargo, direction, year) with volume, share, rank and the number of
    decimals the share is printed with."""
    t = paper.table(4)
    if full_years_only:
        t = t[t["period"] == "year"]
    w = t.pivot_table(index=["item", "direction", "year"], columns="quantity", values="value").reset_index()
    w.columns.name = None
    dec = t[t["quantity"] == "rail_share_of_russia"].set_index(["item", "direction", "year"])["decimals"]
    w["share_decimals"] = dec.reindex(pd.MultiIndex.from_frame(w[["item", "direction", "year"]])).to_numpy()
    w = w.rename(
        columns={
            "item": "cargo",
            "rail_volume": "volume_kt",
            "rail_share_of_russia": "share_pct",
            "rail_rank": "rank",
        }
    )
    return w[["cargo", "direction", "year", "volume_kt", "share_pct", "rank", "share_decimals"]]


def freight(region: str, user_folder: str = "") -> Available:
    """Rail freight into and out of the region by cargo and year: ``cargo, direction, year,
    volume_kt, share_pct, rank, share_decimals``."""
    if paper.covers(region):
        return Sourced(
            "rail freight in and out by cargo",
            paper_freight(),
            "paper",
            f"{PAPER}, Table 4 (data of CARGO-REPORT.INFO)",
        )
    df, source, where = _user(region, user_folder, "freight")
    if df is None:
        return Missing(
            "rail freight in and out by cargo",
            "inter-regional rail freight by cargo is not among the official data shipped here",
            where,
        )
    return Sourced(
        "rail freight in and out by cargo",
        usershapes.freight_wide(df),
        "user",
        source,
        _names(df, "cargo", "cargo_label"),
    )


def rail_dispatch(region: str, user_folder: str = "") -> Available:
    """Freight dispatched by rail, million tonnes, every region and Russia, 2000-2021 (Rosstat,
    appendix to «Регионы России», table 16.1): the whole table, since ranks need every region.
    Dispatch is all loading in a region, shipments within it included, not the paper's
    inter-regional outflow."""
    t = rosstat.table("rail_dispatch")
    if t[t["region_id"] == region]["value"].notna().sum() == 0:
        return Missing("rail freight dispatched", "Rosstat's table 16.1 has no rail dispatch for this region")
    return Sourced(
        "rail freight dispatched",
        t,
        "rosstat",
        "Rosstat, Regions of Russia appendix, table 16.1 (rail dispatch)",
    )


# ------------------------------------------------------------------------------- coefficients
def product_coefficients(region: str, user_folder: str = "") -> Available:
    """Per-capita production coefficients by product and year: ``product, year, coefficient``.

    The paper prints them (Table 2). From a user's ``production.csv`` (output of the region and of
    Russia) and Rosstat's mean annual population they are computed as
    :math:`K = (x_r / x_{RF}) / (P_r / P_{RF})` (:func:`analysis.indicators.per_capita_coefficient`).
    """
    if paper.covers(region):
        t = paper.table(2)[["item", "year", "value"]]
        t = t.rename(columns={"item": "product", "value": "coefficient"}).reset_index(drop=True)
        return Sourced("per-capita coefficients by product", t, "paper", f"{PAPER}, Table 2")
    prod, source, where = _user(region, user_folder, "production")
    if prod is None:
        return Missing(
            "per-capita coefficients by product", "output by product is not among the official data", where
        )
    pop = rosstat.table("population")
    p = pop[pop["region_id"].isin([region, "russia"])].pivot_table(
        index="year", columns="region_id", values="value"
    )
    d = prod.assign(year=prod["year"].astype(int)).merge(
        p.add_prefix("pop_").reset_index(), on="year", how="left"
    )
    d["coefficient"] = ind.per_capita_coefficient(
        d["region_value"].to_numpy(float),
        d["russia_value"].to_numpy(float),
        d[f"pop_{region}"].to_numpy(float) if f"pop_{region}" in d else np.nan,
        d["pop_russia"].to_numpy(float) if "pop_russia" in d else np.nan,
    )
    t = d[["product", "year", "coefficient"]].sort_values(["product", "year"]).reset_index(drop=True)
    return Sourced(
        "per-capita coefficients by product",
        t,
        "user",
        f"{source}; population: Rosstat",
        _names(prod, "product", "product_label"),
    )


def shipments_out(region: str, user_folder: str = "") -> Available:
    """Output and shipments out of the region by product and year: ``product, year, unit,
    production, out_domestic, out_export`` (production NaN where not given)."""
    if paper.covers(region):
        w = paper.wide(3, index="quantity")
        t = pd.DataFrame(
            {
                "product": "coal",
                "year": w.columns.astype(int),
                "unit": "thousand t",
                "production": w.loc["coal_production"].to_numpy(float),
                "out_domestic": w.loc["coal_out_domestic"].to_numpy(float),
                "out_export": w.loc["coal_out_export"].to_numpy(float),
            }
        )
        return Sourced("shipments out of the region by product", t, "paper", f"{PAPER}, Table 3")
    ship, source, where = _user(region, user_folder, "shipments_out")
    if ship is None:
        return Missing(
            "shipments out of the region by product",
            "shipments of products out of a region are not among the official data",
            where,
        )
    prod, _, _ = _user(region, user_folder, "production")
    m = usershapes.marketability_inputs(prod, ship)
    return Sourced(
        "shipments out of the region by product",
        m[["product", "year", "unit", "production", "out_domestic", "out_export"]],
        "user",
        source,
        {**_names(prod, "product", "product_label"), **_names(ship, "product", "product_label")},
    )


# ---------------------------------------------------------------------------- location quotients
def _user_lq(region: str, user_folder: str) -> tuple[pd.DataFrame | None, str, str, dict[str, str]]:
    b, source, where = _user(region, user_folder, "activity_bases")
    if b is None:
        return None, source, where, {}
    t = usershapes.bases_with_totals(b)
    t["lq"] = ind.location_quotient_from_shares(
        (t["region_value"] / t["region_total"]).to_numpy(float),
        (t["russia_value"] / t["russia_total"]).to_numpy(float),
    )
    return t[["activity", "basis", "year", "lq"]], source, where, _names(b, "activity", "activity_label")


def activity_parents(region: str, user_folder: str = "") -> dict[str, str]:
    """Each activity of a user's ``activity_bases.csv`` that names a ``parent``, mapped to it (the
    activity is a part of its parent: step 2 gives it its parent's OKVED sections when the
    crosswalk lacks it). Empty for the paper's region and without the file."""
    if paper.covers(region):
        return {}
    b, _, _ = _user(region, user_folder, "activity_bases")
    if b is None or "parent" not in b:
        return {}
    p = b.dropna(subset=["parent"])
    return {str(a): str(q) for a, q in zip(p["activity"], p["parent"]) if str(q) and str(a) != str(q)}


_NO_BASES = "turnover, investment, employment and fixed assets by activity and region are not among the official data shipped here"


ACTIVITY_OKVED = paths.REFERENCE / "activity_okved.csv"


def activity_sections() -> pd.DataFrame:
    """The crosswalk of activity ids (the paper's items, the templates' examples) to OKVED
    sections of both editions: ``id, okved2007, okved2, scope_okved2007, scope, name_en, note``;
    ``okved2007`` and ``okved2`` may list several sections ("D|E"); ``scope_okved2007`` (OKVED-2007)
    and ``scope`` (OKVED2) are ``section`` or ``within`` (the activity is a part of the section,
    whose LQ then stands for it). Every OKVED2 section letter is the ``okved2`` of exactly one id
    of scope ``section`` (a letter in ``related_activities`` stands for it). Documented in
    data/README.md."""
    schema = Schema(
        columns=(
            Column("id"),
            Column("okved2007"),
            Column("okved2"),
            Column("scope_okved2007", choices=("section", "within")),
            Column("scope", choices=("section", "within")),
            Column("name_en"),
            Column("note", nullable=True),
        ),
        unique=("id",),
    )
    return read_csv(ACTIVITY_OKVED, schema, check_sum=False)


def lq_turnover(region: str, user_folder: str = "") -> Available:
    """Location quotients on turnover by activity and year: ``activity, year, lq``.

    The paper prints them (Table 5); from a user's ``activity_bases.csv`` they are
    :math:`LQ_{ri} = (x_{ri}/x_r) / (x_i/x)` with the totals the user gives."""
    if paper.covers(region):
        t = paper.table(5)[["item", "year", "value"]].rename(columns={"item": "activity", "value": "lq"})
        return Sourced(
            "location quotients on turnover", t.reset_index(drop=True), "paper", f"{PAPER}, Table 5"
        )
    u, source, where, names = _user_lq(region, user_folder)
    if u is None or not (u["basis"] == "turnover").any():
        return Missing("location quotients on turnover", _NO_BASES, where)
    u = u[u["basis"] == "turnover"][["activity", "year", "lq"]].reset_index(drop=True)
    return Sourced("location quotients on turnover", u, "user", source, names)


def lq_bases(region: str, user_folder: str = "") -> Available:
    """Location quotients on several bases in one year: ``activity, basis, year, lq``.

    The paper prints them for 2016 (Table 6, its transport row left out: three values for four
    columns); from a user's ``activity_bases.csv``, the latest year given on the most bases."""
    if paper.covers(region):
        t = paper.table(6)
        t = t[t["basis"] != "unplaced"][["item", "basis", "value"]]
        t = t.rename(columns={"item": "activity", "value": "lq"}).assign(year=2016)
        return Sourced(
            "location quotients on several bases",
            t[["activity", "basis", "year", "lq"]].reset_index(drop=True),
            "paper",
            f"{PAPER}, Table 6",
        )
    u, source, where, names = _user_lq(region, user_folder)
    if u is None:
        return Missing("location quotients on several bases", _NO_BASES, where)
    n_bases = u.groupby("year")["basis"].nunique()
    year = int(n_bases[n_bases == n_bases.max()].index.max())
    return Sourced(
        "location quotients on several bases",
        u[u["year"] == year].reset_index(drop=True),
        "user",
        source,
        names,
    )


# ---------------------------------------------------------------------------- production indices
def official_indices(region: str, okved: str, first: int, last: int) -> pd.DataFrame:
    """Rosstat's annual production indices of ``region`` and Russia in one OKVED edition and
    span of years, as ``region, item, year, value`` (the shape of the paper's Table 7)."""
    t = rosstat.table("production_indices")
    t = t[t["region_id"].isin([region, "russia"]) & (t["okved"] == okved) & t["year"].between(first, last)]
    t = t.drop(columns="region").rename(columns={"region_id": "region", "activity": "item"})
    return t[["region", "item", "year", "value"]].reset_index(drop=True)


def production_indices(region: str, user_folder: str = "") -> Available:
    """Yearly production indices (per cent of the previous year) of the region and of Russia,
    OKVED-2007, 2010-2016: ``region, item, year, value`` with items industry, mining,
    manufacturing, utilities.

    The paper prints them for its region (Table 7); for every other region they come from
    Rosstat's annual indices (appendix to «Регионы России», section 12, tables 12.3.1-12.6)."""
    if paper.covers(region):
        t = paper.table(7)[["region", "item", "year", "value"]].reset_index(drop=True)
        return Sourced("production indices against Russia", t, "paper", f"{PAPER}, Table 7")
    t = official_indices(region, "OKVED2007", 2010, 2016)
    if t[t["region"] == region]["value"].notna().sum() == 0:
        return Missing(
            "production indices against Russia",
            "Rosstat's annual production indices (section 12 of the appendix to «Регионы России») have no "
            "OKVED-2007 values for this region in 2010-2016",
        )
    return Sourced(
        "production indices against Russia",
        t,
        "rosstat",
        "Rosstat, Regions of Russia appendix, section 12 (tables 12.3.1, 12.4.1, 12.5.1, 12.6), OKVED-2007",
    )


def production_indices_okved2(region: str, user_folder: str = "") -> Available:
    """Yearly production indices of the region and of Russia by OKVED2, 2015-2021 (Rosstat,
    tables 12.3.2, 12.4.2, 12.5.2, 12.7, 12.8), for every region, the paper's included: a series
    of its own, never spliced onto the OKVED-2007 one (the sections differ in scope)."""
    t = official_indices(region, "OKVED2", 2015, 2021)
    if t[t["region"] == region]["value"].notna().sum() == 0:
        return Missing(
            "production indices by OKVED2", "Rosstat's annual indices have no values for this region"
        )
    return Sourced(
        "production indices by OKVED2",
        t,
        "rosstat",
        "Rosstat, Regions of Russia appendix, section 12 (tables 12.3.2, 12.4.2, 12.5.2, 12.7, 12.8), OKVED2",
    )
