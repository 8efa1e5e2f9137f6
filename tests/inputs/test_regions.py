"""The region registry: 85 regions, ids, OKATO codes, every spelling in the files, no ambiguity."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.core.errors import InputError
from analysis.core.outputs import csv_bytes
from analysis.core.paths import REFERENCE
from analysis.inputs import regions

REG = regions.load_registry()


def test_csv_columns_and_kinds():
    assert list(REG.columns) == regions.COLUMNS
    assert REG.id.is_unique and REG.okato.is_unique
    assert REG.id.str.fullmatch(r"[a-z][a-z_]*").all()
    counts = REG.kind.value_counts().to_dict()
    assert counts == {
        "region": 82,
        "autonomous_okrug_within": 3,
        "region_excluding_ao": 2,
        "former_okrug": 6,
        "federal_district": 9,
        "country": 1,
    }


def test_85_regions():
    regs = regions.all_regions()
    assert len(regs) == 85 and len({r.id for r in regs}) == 85
    assert all(r.kind in ("region", "autonomous_okrug_within") for r in regs)
    assert all(len(r.okato) == 11 for r in regs)
    assert "russia" not in {r.id for r in regs}
    assert not any(r.kind == "federal_district" for r in regs)
    assert len(regions.top_level_regions()) == 82


def test_okato_is_text_with_leading_zero():
    assert regions.resolve("altai_krai").okato == "01000000000"
    assert regions.resolve("01000000000").id == "altai_krai"
    assert regions.resolve("central_fd").okato == "030"
    assert regions.resolve("643").id == "russia"


@pytest.mark.parametrize(
    "name",
    [
        "kemerovo",
        "KEMEROVO",
        "32000000000",
        "Кемеровская область - Кузбасс",
        "Кемеровская область-Кузбасс",
        "Кемеровская область",
        "  кемеровская   область ",
        "Кемеровская\u00a0область",
        "Kemerovo Oblast - Kuzbass",
        "kemerovo oblast",
        "KEMEROVSKAYA OBL",
        "Кузбасс",
    ],
)
def test_resolve_kemerovo(name):
    r = regions.resolve(name)
    assert r == regions.Region(
        "kemerovo", "32000000000", "Кемеровская область - Кузбасс", "Kemerovo Oblast - Kuzbass", "region", ""
    )


@pytest.mark.parametrize(
    "name, rid",
    [
        ("г. Москва", "moscow_city"),
        ("г.Москва", "moscow_city"),
        (" г.Москва", "moscow_city"),
        ("Город Москва столица Российской Федерации город федерального значения", "moscow_city"),
        ("Moscow", "moscow_city"),
        ("Московская область", "moscow_oblast"),
        ("Республика Татарстан (Татарстан)", "tatarstan"),
        ("Республика Татарстан", "tatarstan"),
        ("Hенецкий авт.округ", "nenets"),  # Latin H
        ("    в т.ч. Ненецкий автономный округ", "nenets"),
        ("Калинингpадская  область", "kaliningrad"),  # Latin p
        ("Российская Федерация 1", "russia"),
        ("Российская Федерация из суммы субъектов", "russia"),
        ("Республика Ингушетия*", "ingushetia"),
        ("Южный федеральный округ 2", "southern_fd"),
        ("Республика Северная Осетия – Алания", "north_ossetia"),
        (" Карачаево-Черкесская .", "karachay_cherkessia"),
        ("Ханты-Мансийский      автономный округ – Югра", "khanty_mansi"),
        ("Тюменская область (без ХМАО и ЯНАО)", "tyumen_excl_ao"),
        (
            "Тюменская область (кроме Ханты-Мансийского автономного округа-Югры и Ямало-Ненецкого "
            "автономного округа)",
            "tyumen_excl_ao",
        ),
        ("Архангельская область без авт.округа", "arkhangelsk_excl_nenets"),
        ("Сибирский федеральный округ", "siberian_fd"),
        ("035", "siberian_fd"),
    ],
)
def test_resolve_spellings(name, rid):
    assert regions.resolve(name).id == rid
    assert regions.match_name(name) == rid


def test_unknown_region_lists_close_matches():
    with pytest.raises(InputError) as err:
        regions.resolve("Кемеровская обл.")
    msg = str(err.value)
    assert "unknown region 'Кемеровская обл.'" in msg and "kemerovo" in msg
    with pytest.raises(InputError, match="tatarstan"):
        regions.resolve("Tatarstn")
    assert regions.match_name("Атлантида") is None
    assert regions.match_name(None) is None


def test_no_alias_maps_to_two_ids():
    owner: dict[str, str] = {}
    for r in REG.itertuples(index=False):
        names = [r.id, r.okato, r.name_ru, r.name_en, *filter(None, r.aliases.split("|"))]
        for n in names:
            k = regions.name_key(n)
            assert owner.setdefault(k, r.id) == r.id, (n, owner[k], r.id)


def test_okrugs_and_parts_name_their_parent():
    sel = REG[REG.kind.isin(["autonomous_okrug_within", "region_excluding_ao", "former_okrug"])]
    assert set(sel.parent) <= set(REG[REG.kind == "region"].id)
    assert dict(zip(sel.id, sel.parent))["nenets"] == "arkhangelsk"
    assert {regions.resolve(i).parent for i in ("khanty_mansi", "yamal_nenets", "tyumen_excl_ao")} == {
        "tyumen"
    }
    assert (REG[~REG.id.isin(sel.id)].parent == "").all()


def test_every_label_in_the_files_is_an_alias_and_csv_is_current():
    """regions.csv equals a rebuild from regioncodes.xlsx and the labels of the shipped files
    (a rebuild raises if any label matches no region or two)."""
    built = regions.build_registry()
    assert csv_bytes(built) == (REFERENCE / "regions.csv").read_bytes()
    labels = regions.found_labels()
    assert len(labels) >= 200  # distinct spellings, outer spaces stripped
    assert all(regions.match_name(label) for label in labels)


def test_kemerovo_spellings_recorded():
    aliases = set(REG.set_index("id").at["kemerovo", "aliases"].split("|"))
    assert {"Кемеровская область", "Кемеровская область-Кузбасс"} <= aliases


def test_name_key_normalises():
    k = regions.name_key
    assert k("г.Москва") == k("г. Москва") == k(" Г.  МОСКВА ")
    assert k("Ямало-Hенецкий авт.округ") == k("Ямало-Ненецкий авт. округ")
    assert k("Кемеровская область - Кузбасс") == k("Кемеровская область–Кузбасс")
    assert k("Республика Крым 1)2)") == k("Республика Крым")
    assert k("Kemerovo") == "kemerovo"  # Latin text stays Latin


_ALIASES = sorted(
    {
        (n, r.id)
        for r in REG.itertuples(index=False)
        for n in [r.name_ru, r.name_en, *filter(None, r.aliases.split("|"))]
    }
)


@settings(max_examples=200, deadline=None)
@given(
    pair=st.sampled_from(_ALIASES),
    left=st.sampled_from(["", " ", "  ", "\u00a0", "\t"]),
    right=st.sampled_from(["", " ", "\u00a0", " 1)", "*"]),
    upper=st.booleans(),
)
def test_spelling_noise_does_not_change_the_region(pair, left, right, upper):
    name, rid = pair
    noisy = left + (name.upper() if upper else name) + right
    assert regions.match_name(noisy) == rid


def test_resolve_by_id_gives_every_registry_row():
    """resolve's lookup by id (a dict made once from the registry) gives each row's fields."""
    df = regions.load_registry()
    assert len(df) > 85
    for row in df.itertuples(index=False):
        r = regions.resolve(row.id)
        assert (r.id, r.okato, r.name_ru, r.name_en, r.kind, r.parent) == (
            row.id,
            row.okato,
            row.name_ru,
            row.name_en,
            row.kind,
            row.parent,
        )
    assert regions.all_regions() is not regions.all_regions()  # a list of its own for each caller
    assert regions.all_regions() == regions.all_regions()
