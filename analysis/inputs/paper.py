"""The paper's numbers, as transcribed in ``data/raw/paper/`` (see ``data/raw/README.md``).

Each loader verifies the file's checksum, validates it against its schema and returns a tidy
DataFrame. ``printed`` keeps the token as printed, so :func:`decimals` can tell the published
precision of every value (the ledger's rounding tolerances come from it).
"""

from __future__ import annotations

from functools import cache

import pandas as pd

from analysis.core import paths, provenance
from analysis.core.errors import InputError
from analysis.core.sources import Column, Schema, read_csv

REGION = "kemerovo"  # Ivanova (2018) studies Kemerovo region only


def covers(region: str) -> bool:
    """Whether the paper's own tables exist for ``region`` (a registry id)."""
    return region == REGION


TABLE_FILES = {
    1: "table1_gva_structure.csv",
    2: "table2_per_capita_coefficients.csv",
    3: "table3_coal_marketability.csv",
    4: "table4_rail_freight.csv",
    5: "table5_lq_turnover.csv",
    6: "table6_lq_bases_2016.csv",
    7: "table7_production_indices.csv",
}
TABLE_TITLES = {
    1: "Structure of gross value added by activity, % of total (current prices)",
    2: "Per-capita production coefficients by product",
    3: "Regional marketability of coal",
    4: "Rail freight in and out of the region (domestic traffic)",
    5: "Location quotients on turnover by activity",
    6: "Location quotients on four bases, 2016",
    7: "Production indices, % of previous year",
}

_CORE = (
    Column("table", "int", min=1, max=7),
    Column("row", "int", min=1),
    Column("label_ru"),
    Column("item"),
    Column("quantity"),
    Column("region", choices=("kemerovo", "russia")),
    Column("year", "int", min=2000, max=2017),
    Column("value", "float", nullable=True),
    Column("printed", nullable=True),
    Column("unit"),
    Column("source"),
    Column("note", nullable=True),
)
_EXTRA = {
    1: (Column("okved2007"),),
    2: (Column("product_unit_ru"),),
    3: (),
    4: (Column("direction", choices=("in", "out")), Column("period")),
    5: (Column("parent", nullable=True), Column("basis", choices=("turnover",))),
    6: (Column("basis", choices=("turnover", "investment", "employment", "fixed_assets", "unplaced")),),
    7: (),
}
_KEYS = {
    1: ("item", "year"),
    2: ("item", "year"),
    3: ("quantity", "year"),
    4: ("item", "direction", "quantity", "year"),
    5: ("item", "year"),
    6: ("item", "basis", "value"),
    7: ("region", "item", "year"),
}

TEXT_SCHEMA = Schema(
    (
        Column("claim_id"),
        Column(
            "section", choices=("abstract", "introduction", "method", "results", "conclusion", "footnote")
        ),
        Column("subject"),
        Column("quantity"),
        Column("year", "int", nullable=True, min=2000, max=2020),
        Column("value", "float"),
        Column("printed"),
        Column("unit"),
        Column("qualifier", nullable=True, choices=(">", "<", "~", "<=", None)),
        Column("context_ru"),
        Column("note", nullable=True),
    ),
    unique=("claim_id",),
)

CLUSTER_SCHEMA = Schema(
    (
        Column("cluster_id"),
        Column("name_ru"),
        Column("name_en"),
        Column("founded_claim", nullable=True),
        Column("status", nullable=True),
        Column("linked_to_specialisation", choices=("yes", "no", "not_assessed")),
        Column("activities_en"),
        Column("related_items"),
        Column("prerequisites_per_paper", nullable=True),
        Column("source"),
        Column("note", nullable=True),
    ),
    unique=("cluster_id",),
)

FACTOR_SCHEMA = Schema(
    (
        Column("factor_id"),
        Column("factor_en"),
        Column("depends_on_specialisation", choices=("yes", "no")),
        # stated: the Method says so (in its list of six, or by leaving the factor out of it);
        # inferred: this compendium's reading, with the passage it rests on
        Column("dependence_basis", choices=("stated", "inferred")),
        Column("dependence_passage"),
        Column("indicators", nullable=True),
        Column("named_in_conclusion", choices=("yes", "no")),
        Column("source"),
        Column("note", nullable=True),
    ),
    unique=("factor_id",),
)


def decimals(printed: str | None) -> int | None:
    """Number of decimals of a printed token: ``'5,40'`` -> 2, ``'100'`` -> 0.

    For Table 4's ``'71903,87/8,9 (1)'`` use :func:`table` which splits the token first.
    """
    if printed is None or (isinstance(printed, float) and pd.isna(printed)):
        return None
    tok = str(printed).replace("%", "").strip().split()[0]
    return len(tok.split(",")[1]) if "," in tok else 0


def _table4_token(printed: str, quantity: str) -> str:
    vol, rest = printed.split("/", 1)
    share, rank = rest.strip().split("(")
    return {"rail_volume": vol, "rail_share_of_russia": share, "rail_rank": rank.rstrip(")")}[
        quantity
    ].strip()


@cache
def _table(n: int) -> pd.DataFrame:
    if n not in TABLE_FILES:
        raise InputError(None, f"the paper has no Table {n}", expected="1 to 7", found=n)
    schema = Schema(_CORE + _EXTRA[n], unique=_KEYS[n])
    df = read_csv(paths.RAW_PAPER / TABLE_FILES[n], schema)
    if n == 4:
        tokens = [_table4_token(p, q) for p, q in zip(df["printed"], df["quantity"])]
    else:
        tokens = df["printed"].tolist()
    df["decimals"] = pd.array([decimals(t) for t in tokens], dtype="Int64")
    return df


def table(n: int) -> pd.DataFrame:
    """Tidy Table ``n`` (1-7) of the paper; a fresh copy each call."""
    df = _table(n).copy()
    provenance.note(paths.RAW_PAPER / TABLE_FILES[n])
    return df


@cache
def _text() -> pd.DataFrame:
    df = read_csv(paths.RAW_PAPER / "text_numbers.csv", TEXT_SCHEMA)
    df["decimals"] = pd.array(
        [decimals(p) if any(c.isdigit() for c in p) else 0 for p in df["printed"]], dtype="Int64"
    )
    return df


def text_numbers() -> pd.DataFrame:
    """Every number of the running text (``data/raw/paper/text_numbers.csv``)."""
    provenance.note(paths.RAW_PAPER / "text_numbers.csv")
    return _text().copy()


def claim(claim_id: str) -> float:
    """The value of one text claim by id."""
    t = _text()
    hit = t.loc[t["claim_id"] == claim_id, "value"]
    if hit.empty:
        raise InputError(paths.RAW_PAPER / "text_numbers.csv", f"no claim {claim_id!r}", column="claim_id")
    return float(hit.iloc[0])


def clusters() -> pd.DataFrame:
    """The five clusters (``data/raw/paper/clusters.csv``)."""
    return read_csv(paths.RAW_PAPER / "clusters.csv", CLUSTER_SCHEMA)


def factors() -> pd.DataFrame:
    """Factors of cluster formation (``data/raw/paper/factors.csv``)."""
    return read_csv(paths.RAW_PAPER / "factors.csv", FACTOR_SCHEMA)


def wide(n: int, columns: str = "year", index: str = "item", **filters: object) -> pd.DataFrame:
    """Table ``n`` pivoted as printed (rows = ``index``, columns = ``columns``), after ``filters``."""
    df = table(n)
    for k, v in filters.items():
        df = df[df[k] == v]
    order = list(dict.fromkeys(df[index]))
    return df.pivot(index=index, columns=columns, values="value").reindex(order)
