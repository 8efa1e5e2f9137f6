"""A user's folder at the input limits (issue 23.3): 100 cargos, products, activities and clusters.
Every figure that draws one row, line or legend entry per category stays bounded: at most its N
categories plus one "other", or its N with a note naming the table that holds them all."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from analysis.core import figures as F
from analysis.core import paths
from analysis.core import sources as S
from analysis.inputs import region as region_data
from analysis.steps import cluster_profiling, coefficients, freight, localization

N = S.MAX_CATEGORIES  # 100 of each, the most a file may bring
ACTS = N - 1  # activities beside the total
TAIL = "a test,\n"  # source, note


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """The worked example with every file of categories at the limit; category i's values grow
    with i, so the largest are the last ones."""
    f = tmp_path_factory.mktemp("many") / "tomsk"
    shutil.copytree(paths.USER / "example_region", f)
    (f / "freight.csv").write_text(
        "cargo,cargo_label,direction,year,quantity,value,unit,source,note\n"
        + "".join(
            f"c{i:02d},Груз {i},{d},{y},volume,{i + 1},thousand t,{TAIL}"
            for i in range(N)
            for d in ("in", "out")
            for y in (2014, 2015)
        ),
        encoding="utf-8",
    )
    (f / "production.csv").write_text(
        "product,product_label,year,region_value,russia_value,unit,source,note\n"
        + "".join(
            f"p{i:02d},Продукт {i},{y},{i + 1},1000,thousand t,{TAIL}" for i in range(N) for y in (2014, 2015)
        ),
        encoding="utf-8",
    )
    (f / "shipments_out.csv").write_text(  # marketability (i + 1) / 200: growing with i
        "product,product_label,year,destination,value,unit,source,note\n"
        + "".join(
            f"p{i:02d},Продукт {i},2015,domestic,{(i + 1) ** 2 / 200:.4f},thousand t,{TAIL}" for i in range(N)
        ),
        encoding="utf-8",
    )
    (f / "activity_bases.csv").write_text(
        "activity,activity_label,parent,basis,year,region_value,russia_value,unit,source,note\n"
        + "".join(
            f"total,Всего,,{b},{y},100000,1000000,bn RUB,{TAIL}"
            + "".join(f"a{i:02d},Вид {i},,{b},{y},{i + 1},1000,bn RUB,{TAIL}" for i in range(ACTS))
            for b, y in (("turnover", 2014), ("turnover", 2015), ("employment", 2015))
        ),
        encoding="utf-8",
    )
    (f / "clusters.csv").write_text(
        "cluster_id,name,name_en,founded,related_activities,linked_to_specialisation,status,source,note\n"
        + "".join(
            f"k{i:02d},Кластер {i},Cluster {i},2014,{'|'.join(f'a{(i + j) % ACTS:02d}' for j in range(6))},"
            f"not_assessed,,{TAIL}"
            for i in range(N)
        ),
        encoding="utf-8",
    )
    (f / "cluster_facts.csv").write_text(
        "cluster_id,quantity,year,value,unit,qualifier,source,note\n"
        + "".join(
            f"k{i:02d},participants,2016,{2 * i + 2},organisations,,{TAIL}"
            f"k{i:02d},sme_participants,2016,{i + 1},organisations,,{TAIL}"
            for i in range(N)
        ),
        encoding="utf-8",
    )
    return f


def _ticks(ax) -> list[str]:
    return [t.get_text().strip() for t in ax.get_yticklabels()]


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_a_hundred_cargos_draw_the_largest_and_one_other_row_holding_the_rest(folder, lang):
    fr = region_data.freight("tomsk", str(folder))
    assert fr.table["cargo"].nunique() == N
    fig = freight.draw_freight(fr.table, lang=lang, region="tomsk", source="s", names=fr.names)
    ticks = _ticks(fig.axes[0])
    assert len(ticks) == freight.FREIGHT_TOP + 1 and fig.get_figheight() <= 7
    other = {"en": "other (85 more)", "ru": "прочие (85)"}[lang]
    assert ticks[-1] == other and set(ticks[:-1]) == {
        (f"c{i}" if lang == "en" else f"Груз {i}") for i in range(85, 100)
    }
    # the other bar holds the sum of the 85 smallest: 1 + ... + 85 thousand t, in and out
    widths = [p.get_width() for p in fig.axes[0].patches]
    assert widths.count(85 * 86 / 2) == 2
    F.plt.close(fig)


def test_a_hundred_products_draw_twelve_lines_and_say_where_the_others_are(folder):
    coef = region_data.product_coefficients("tomsk", str(folder))
    by_year = coefficients.by_year(coef.table)
    assert len(by_year) == N  # the table stays complete
    fig = coefficients.draw_coefficients(by_year, lang="en", region_name="R", source="s")
    labels = fig.axes[0].get_legend_handles_labels()[1]
    assert len(labels) == coefficients.COEFFICIENTS_TOP
    assert set(labels) == {f"p{i}" for i in range(88, 100)}  # the largest coefficients
    assert F._SOURCE_NOTE[fig] == "88 more not drawn; all in the table per_capita_coefficients.csv\ns"
    F.plt.close(fig)


def test_a_hundred_activities_draw_the_highest_quotients_with_a_note(folder):
    t = region_data.lq_turnover("tomsk", str(folder))
    wide = localization.by_year(t.table)
    assert len(wide) == ACTS
    fig = localization.draw_heatmap(
        wide, lang="ru", threshold=1.0, title="t", source="s", table="lq_turnover.csv", names=t.names
    )
    ticks = _ticks(fig.axes[0])
    assert len(ticks) == localization.HEATMAP_TOP and fig.get_figheight() <= 10.5
    assert set(ticks) == {f"Вид {i}" for i in range(74, 99)}
    assert F._SOURCE_NOTE[fig] == "не показано ещё: 74; все — в таблице lq_turnover.csv\ns"
    F.plt.close(fig)


def test_a_hundred_clusters_draw_the_largest_members_and_the_rest_summed(folder):
    clusters = region_data.clusters("tomsk", str(folder))
    facts = region_data.cluster_facts("tomsk", str(folder))
    p = cluster_profiling.profiles(clusters.table, facts.table)
    assert len(p) == N
    fig = cluster_profiling.draw_members(
        p, lang="en", facts=facts.table, meta=clusters.table, region_name="R", source="s"
    )
    ax = fig.axes[0]
    ticks = _ticks(ax)
    assert len(ticks) == cluster_profiling.MEMBERS_TOP + 1 and fig.get_figheight() <= 11
    assert ticks[-1] == "other (80 more)" and "Cluster 99" in ticks and "Cluster 79" not in ticks
    stated = ax.collections[0].get_offsets()[:, 0]
    assert stated.sum() == sum(2 * i + 2 for i in range(N))  # the total stated, all clusters
    assert stated[-1] == sum(2 * i + 2 for i in range(80))
    F.plt.close(fig)


def test_a_hundred_clusters_of_six_activities_each_draw_a_bounded_link(folder):
    clusters = region_data.clusters("tomsk", str(folder))
    t = region_data.lq_turnover("tomsk", str(folder))
    lq, label = cluster_profiling.link_lqs(t.table, None)
    points = cluster_profiling.link_points(clusters.table, lq, label)
    assert points["cluster_id"].nunique() == N and len(points) == 6 * N
    fig = cluster_profiling.draw_link(
        points, meta=clusters.table, threshold=1.0, lang="en", region_name="R", source="s"
    )
    ticks = _ticks(fig.axes[0])
    k, a = cluster_profiling.LINK_CLUSTERS, cluster_profiling.LINK_ACTIVITIES
    assert len(ticks) == k * (1 + a) and fig.get_figheight() <= 10.5
    # clusters 93-98 hold a98, the highest quotient; 92 and 91 reach a97 and a96 (99 holds a00-a05)
    assert [x for x in ticks if x.startswith("Cluster")] == [f"Cluster {i}" for i in range(91, 99)]
    assert F._SOURCE_NOTE[fig].startswith(
        "92 more clusters and 16 more of their activities not drawn; all in the table cluster_specialisation_lqs.csv\n"
    )
    F.plt.close(fig)


def test_a_hundred_products_shipped_get_twelve_marketability_figures_and_a_sentence(folder):
    ship = region_data.shipments_out("tomsk", str(folder))
    market = coefficients.marketability(ship.table)
    assert market["product"].nunique() == N
    drawn, more = coefficients.marketability_drawn(market)
    assert drawn == [f"p{i}" for i in range(88, 100)]  # the highest marketability, in the table's order
    assert more == "88 more products not drawn; all in the table `marketability.csv`."
    assert coefficients.marketability_drawn(market[market["product"] == "p05"]) == (["p05"], "")
