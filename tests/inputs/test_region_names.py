"""Region names as a user types them (issue 19.6), what can be studied (issue 23.7), and the
partition of Russia used by every ranking (issue 19.4): analysis.inputs.regions."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.core.errors import InputError
from analysis.inputs import regions as R


@pytest.mark.parametrize(
    ("typed", "rid"),
    [
        ("Татарстан", "tatarstan"),
        ("татарстан", "tatarstan"),
        ("ТАТАРСТАН", "tatarstan"),
        ("Республика Татарстан", "tatarstan"),
        ("Tatarstan", "tatarstan"),
        ("Тюменская", "tyumen"),
        ("Москва", "moscow_city"),
        ("Московская", "moscow_oblast"),
        ("Якутия", "sakha"),
        ("Саха", "sakha"),
        ("Чувашия", "chuvashia"),
        ("Ханты-Мансийский", "khanty_mansi"),
        ("Ненецкий", "nenets"),
        ("Ямало-Ненецкий", "yamal_nenets"),
        ("Алтай", "altai_republic"),
        ("Алтайский", "altai_krai"),
        ("Еврейская", "jewish_ao"),
        ("Чукотский", "chukotka"),
        ("Пермский", "perm"),
        ("Ставропольский край", "stavropol"),
    ],
)
def test_short_names_any_case_resolve(typed, rid):
    assert R.resolve(typed).id == rid


def test_yo_and_ye_do_not_matter():
    # "Орёл" is among the aliases Rosstat's files spell; the same without ё
    assert R.resolve("Орёл").id == R.resolve("Орел").id == "oryol"


def test_every_region_short_name_resolves_to_itself_and_none_collide():
    keys: dict[str, str] = {}
    for r in R.studiable_regions():
        # Russian names only: "Altai" is both Altai Republic and Altai Krai in English, and is
        # refused with both as the closest names
        k = R.short_key(r.name_ru)
        assert R.resolve(k).id == r.id, (r.name_ru, k)
        assert keys.setdefault(k, r.id) == r.id, f"{r.name_ru!r} collides with {keys[k]}"


def test_a_typo_gets_the_closest_names():
    with pytest.raises(InputError, match=r"closest: tatarstan \(") as err:
        R.resolve("Татарстн")
    assert "Республика Татарстан" in str(err.value)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from([r.id for r in R.studiable_regions()]), st.data())
def test_dropping_one_letter_of_a_short_name_still_suggests_the_region(rid, data):
    short = R.short_key(R.resolve(rid).name_ru)
    if len(short) < 7:  # too short to stay close after a deletion
        return
    i = data.draw(st.integers(1, len(short) - 2))
    typo = short[:i] + short[i + 1 :]
    try:
        got = R.resolve(typo).id
    except InputError as exc:
        assert f"{rid} (" in str(exc)
    else:  # the deletion happened to spell another known name exactly
        assert got in {r.id for r in R.studiable_regions()}


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("russia", "Russia is the benchmark, not a region to study"),
        ("Россия", "Russia is the benchmark, not a region to study"),
        ("central_fd", "federal district"),
        ("Сибирский федеральный округ", "federal district"),
        ("evenk_okrug", "merged into its parent region"),
        ("", "no region given"),
        ("   ", "no region given"),
    ],
)
def test_what_is_not_a_region_to_study_is_refused_clearly(typed, words):
    with pytest.raises(InputError, match=words):
        R.study_region(typed)


def test_studiable_regions_are_the_85_and_the_two_parts_without_okrugs():
    ids = [r.id for r in R.studiable_regions()]
    assert len(ids) == 87 == len(set(ids))
    assert {"tyumen_excl_ao", "arkhangelsk_excl_nenets", "tyumen", "nenets"} <= set(ids)


# ------------------------------------------------------------------------------ the partition
def test_the_partition_has_no_region_beside_its_own_okrugs():
    ids = R.partition_ids()
    assert len(ids) == 85 == len(set(ids))
    boxes = R.containers()
    assert boxes == {"arkhangelsk": ("nenets",), "tyumen": ("khanty_mansi", "yamal_nenets")}
    for container, okrugs in boxes.items():
        assert container not in ids
        assert set(okrugs) <= set(ids)
        assert R.part_without_okrugs(container) in ids
        assert R.ranked_as(container) == R.part_without_okrugs(container)
    assert R.ranked_as("kemerovo") == "kemerovo" and R.ranked_as("nenets") == "nenets"


def test_partition_keeps_only_units_with_a_value():
    t = pd.DataFrame(
        {
            "region_id": ["tyumen", "tyumen_excl_ao", "khanty_mansi", "russia", "kemerovo", "tomsk"],
            "year": [2020] * 6,
            "value": [3.0, 1.0, 1.0, 100.0, 5.0, float("nan")],
        }
    )
    assert list(R.partition(t)["region_id"]) == ["tyumen_excl_ao", "khanty_mansi", "kemerovo"]
    assert list(R.partition(t, value=None)["region_id"]) == [
        "tyumen_excl_ao",
        "khanty_mansi",
        "kemerovo",
        "tomsk",
    ]


def test_left_out_names_the_years_a_container_has_no_part_without_okrugs():
    t = pd.DataFrame(
        {
            "region_id": ["tyumen", "tyumen", "tyumen_excl_ao", "arkhangelsk", "arkhangelsk_excl_nenets"],
            "year": [2009, 2010, 2010, 2010, 2010],
            "value": [1.0, 1.0, 1.0, 1.0, 1.0],
        }
    )
    assert R.left_out(t) == {"tyumen": [2009]}


@pytest.mark.parametrize(
    ("rid", "named"),
    [
        ("tyumen", ["Khanty-Mansi", "Yamal-Nenets", "tyumen_excl_ao", "includes"]),
        ("arkhangelsk", ["Nenets Autonomous Okrug", "arkhangelsk_excl_nenets", "includes"]),
        ("nenets", ["part of Arkhangelsk Oblast"]),
        ("khanty_mansi", ["part of Tyumen Oblast"]),
        ("yamal_nenets", ["part of Tyumen Oblast"]),
        ("tyumen_excl_ao", ["Tyumen Oblast without", "Khanty-Mansi", "Yamal-Nenets"]),
        ("arkhangelsk_excl_nenets", ["Arkhangelsk Oblast without Nenets"]),
    ],
)
def test_nesting_note_names_the_okrugs_or_the_container(rid, named):
    note = R.nesting_note(rid)
    for word in named:
        assert word in note


def test_no_nesting_note_for_a_region_that_nests_with_none():
    assert R.nesting_note("kemerovo") == ""
    nested = {"tyumen", "arkhangelsk", "nenets", "khanty_mansi", "yamal_nenets"}
    nested |= {"tyumen_excl_ao", "arkhangelsk_excl_nenets"}
    assert {r.id for r in R.studiable_regions() if R.nesting_note(r.id)} == nested
