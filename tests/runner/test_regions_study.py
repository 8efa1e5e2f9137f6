"""The study for regions other than Kemerovo: Rosstat's data for any region, the user's inputs
where Rosstat has none, and all regions ranked."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from helpers import run_cli

from analysis import study
from analysis.core import paths
from analysis.inputs.regions import all_regions
from analysis.steps import gva_hhi, regions_compared


@pytest.fixture(scope="module")
def gva() -> pd.DataFrame:
    return study.rosstat("gva_structure")


def test_each_region_hhi_is_the_sum_of_squared_rosstat_shares(gva):
    h = regions_compared.hhi_all(gva).set_index(["region_id", "year"])["hhi"]
    shares = gva[(gva["activity"] != "total") & gva["region_id"].isin({r.id for r in all_regions()})]
    by_hand = shares.assign(sq=shares["value"] ** 2).groupby(["region_id", "year"])["sq"].sum()
    np.testing.assert_allclose(
        h.sort_index().to_numpy(), by_hand.reindex(h.sort_index().index).to_numpy(), rtol=0, atol=1e-9
    )
    assert set(h.index.get_level_values("region_id")) == {r.id for r in all_regions()}
    assert h.groupby("year").size().loc[2022] == 85


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


@pytest.mark.slow
def test_another_region_by_russian_name_with_user_freight(repo_copy):
    """Tomsk region, chosen by its Russian name, with the worked example's (synthetic) freight file:
    step 5 computes out/in from the user's volumes; step 2 says plainly that clusters are missing.
    Run in a copy of the repository: the test writes nothing here."""
    r = run_cli(
        repo_copy,
        "run",
        "--region",
        "Томская область",
        "--steps",
        "2,5",
        "--jobs",
        "2",
        "--param",
        "user_folder=data/user/example_region",
    )
    assert r.returncode == 0, r.stdout + r.stderr
    out = pd.read_csv(repo_copy / "data" / "processed" / "tomsk" / "rail_out_over_in.csv")
    src = pd.read_csv(paths.USER / "example_region" / "freight.csv")
    vol = src[src["quantity"] == "volume"].pivot_table(
        index=["cargo", "year"], columns="direction", values="value"
    )
    expected = (vol["out"] / vol["in"]).rename("expected").reset_index()
    m = out.merge(expected, on=["cargo", "year"])
    assert len(m) == len(expected) > 0
    np.testing.assert_allclose(m["out_over_in"], m["expected"], rtol=1e-12)
    nb = (repo_copy / "build" / "notebooks" / "tomsk" / "02_cluster_profiling.ipynb").read_text()
    assert "SKIPPED" in nb and "clusters.csv" in nb
