"""The study for regions other than Kemerovo: Rosstat's data for any region, the user's inputs
where Rosstat has none, and all regions ranked."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from helpers import run_cli

from analysis import study
from analysis.core import paths
from analysis.inputs.regions import partition_ids
from analysis.runner import workspace
from analysis.steps import gva_hhi, regions_compared


@pytest.fixture(scope="module")
def gva() -> pd.DataFrame:
    return study.rosstat("gva_structure")


def test_each_region_hhi_is_the_sum_of_squared_rosstat_shares(gva):
    h = regions_compared.hhi_all(gva).set_index(["region_id", "year"])["hhi"]
    # the partition: the 85 subjects with Tyumen and Arkhangelsk regions taken without their okrugs
    ids = set(partition_ids())
    shares = gva[(gva["activity"] != "total") & gva["region_id"].isin(ids)]
    by_hand = shares.assign(sq=shares["value"] ** 2).groupby(["region_id", "year"])["sq"].sum(min_count=1)
    np.testing.assert_allclose(
        h.sort_index().to_numpy(), by_hand.reindex(h.sort_index().index).to_numpy(), rtol=0, atol=1e-9
    )
    assert set(h.index.get_level_values("region_id")) == ids
    assert h.dropna().groupby("year").size().loc[2022] == 85


def test_kemerovo_rosstat_hhi_2014(gva):
    # Rosstat's 2014 shares for Kemerovo region (OKVED-2007, one decimal), squared and summed by hand.
    row = gva_hhi.rosstat_hhi(gva, "kemerovo").set_index("year").loc[2014]
    shares = gva[(gva["region_id"] == "kemerovo") & (gva["year"] == 2014) & (gva["activity"] != "total")][
        "value"
    ]
    assert row["hhi"] == pytest.approx(float((shares**2).sum()), abs=1e-9)
    assert shares.max() == pytest.approx(21.5)  # mining, the paper's Table 1 says 21.4


def test_region_position_ranks(gva):
    h = regions_compared.hhi_all(gva)
    lq = regions_compared.lq_broad_all(gva)
    pos = regions_compared.region_position(h, lq, "kemerovo").set_index("year")
    assert (pos["rank"] >= 1).all() and (pos["rank"] <= pos["n_regions"]).all()
    # Kemerovo region's mining LQ is far above 1 in every year (the paper's finding, to 2022)
    assert (pos["lq_mining"] > 1.5).all()


@pytest.fixture(scope="module")
def tomsk_run(tmp_path_factory) -> Path:
    """Every step for Tomsk region, chosen by its Russian name, with the worked example's
    (synthetic) user folder, in a copy of the repository: the test writes nothing here."""
    copy = workspace.make_copy(tmp_path_factory.mktemp("repo") / "repo")
    r = run_cli(
        copy,
        "run",
        "--region",
        "Томская область",
        "--jobs",
        "2",
        "--param",
        "user_folder=data/user/example_region",
    )
    assert r.returncode == 0, r.stdout + r.stderr
    assert "9 step(s), 0 failed" in r.stdout
    return copy


def _cells(nb_path: Path) -> list[dict]:
    return json.loads(nb_path.read_text(encoding="utf-8"))["cells"]


def _output_text(cell: dict) -> str:
    parts = []
    for o in cell.get("outputs", []):
        parts.append("".join(o.get("text", "")))
        for mime in ("text/plain", "text/markdown"):
            parts.append("".join(o.get("data", {}).get(mime, "")))
    return "".join(parts)


@pytest.mark.slow
def test_another_region_names_no_kemerovo_and_has_no_empty_heading(tomsk_run):
    """No heading, title or generated sentence of Tomsk's notebooks names the paper's region, and
    every heading is followed by output (a table, a sentence, a figure or a SKIPPED line)."""
    notebooks = sorted((tomsk_run / "build" / "notebooks" / "tomsk").glob("*.ipynb"))
    assert len(notebooks) == 9
    for nb in notebooks:
        cells = _cells(nb)
        for cell in cells:
            if cell["cell_type"] == "markdown":
                for line in "".join(cell["source"]).splitlines():
                    if line.startswith("#"):
                        assert not re.search("Kemerovo|Кемеров|Kuzbass|Кузбасс", line), (nb.name, line)
            elif nb.stem != "09_national_clusters":  # its tables list every region's clusters and towns
                assert not re.search("Kemerovo|Кемеров|kemerovo", _output_text(cell)), nb.name
        headings = [
            i
            for i, c in enumerate(cells)
            if c["cell_type"] == "markdown" and "".join(c["source"]).startswith("## ")
        ]
        for i in headings:
            following = []
            for c in cells[i + 1 :]:
                if c["cell_type"] == "markdown" and "".join(c["source"]).startswith("#"):
                    break
                following.append(c)
            assert any(c["cell_type"] == "code" and _output_text(c).strip() for c in following), (
                nb.name,
                "".join(cells[i]["source"]).splitlines()[0],
            )


@pytest.mark.slow
def test_another_region_gets_every_user_data_result(tomsk_run):
    out = tomsk_run / "data" / "processed" / "tomsk"
    src = pd.read_csv(paths.USER / "example_region" / "freight.csv")
    vol = src[src["quantity"] == "volume"].pivot_table(
        index=["cargo", "year"], columns="direction", values="value"
    )
    expected = (vol["out"] / vol["in"]).rename("expected").reset_index()
    m = pd.read_csv(out / "rail_out_over_in.csv").merge(expected, on=["cargo", "year"])
    assert len(m) == len(expected) > 0
    np.testing.assert_allclose(m["out_over_in"], m["expected"], rtol=1e-12)
    # the cluster link: an LQ and a verdict for every cluster with an activity the user measured
    link = pd.read_csv(out / "cluster_specialisation_link.csv").set_index("cluster_id")
    assert set(link.index) == {"wood_processing", "pharma", "it_services"}
    # example: manufacturing 200/1000 vs 20000/100000 -> LQ 1.0; health 50/1000 vs 4000/100000 -> 1.25
    assert link.at["pharma", "max_lq"] == pytest.approx(1.25, abs=1e-12)
    assert link.at["pharma", "above_threshold"] and not link.at["wood_processing", "above_threshold"]
    # the same rule on Rosstat's GVA structure, for every cluster (pharma works in health, section Q)
    gva_link = pd.read_csv(out / "cluster_specialisation_link_rosstat.csv").set_index("cluster_id")
    assert set(gva_link.index) == set(link.index) and gva_link["max_lq"].notna().all()
    # "after the clusters" without a parameter: the founding year comes from clusters.csv (2013)
    after = pd.read_csv(out / "after_the_clusters.csv")
    assert set(after["before_years"]) == {"2009-2012"}
    # marketability: (300 + 700) / 1200 in 2016
    mk = pd.read_csv(out / "marketability.csv").set_index(["product", "year"])
    assert mk.at[("sawn_wood", 2016), "marketability"] == pytest.approx(1000 / 1200, abs=1e-12)
    figures = {p.name.split(".")[0] for p in (tomsk_run / "figures" / "tomsk").glob("*.png")}
    assert {
        "02_cluster_members",
        "04_per_capita_coefficients",
        "04_marketability_sawn_wood",
        "05_rail_freight",
        "06_lq_turnover",
        "06_lq_bases",
    } <= figures
