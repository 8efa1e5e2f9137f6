"""The registry of Russia's regions and of every spelling of their names in the shipped files.

Russia has 85 regions (subjects of the federation). Rosstat's tables also carry rows that are not
regions: the country, federal districts, the parts of two regions without their autonomous okrugs,
and (EMISS before 2008) okrugs that were since merged into their regions. Every row label of every
shipped Rosstat file resolves here to one id; the ``kind`` says what the row is:

==========================  =====  ===============================================================
kind                        count  meaning
==========================  =====  ===============================================================
``region``                     82  a region that no other region contains
``autonomous_okrug_within``     3  Nenets AO (in Arkhangelsk region), Khanty-Mansi AO - Yugra and
                                   Yamal-Nenets AO (in Tyumen region): regions of their own, but
                                   the parent's row already includes them; ``parent`` names it
``region_excluding_ao``         2  "Архангельская область (кроме Ненецкого автономного округа)",
                                   "Тюменская область без автономных округов": the parent minus
                                   its okrugs; not a region; ``parent`` names the region
``former_okrug``                6  Komi-Permyak, Aginsky Buryat, Ust-Orda Buryat, Taymyr, Evenk,
                                   Koryak okrugs, merged into their ``parent`` in 2005-2008
``federal_district``            9  federal districts (current and former OKATO codes)
``country``                     1  ``russia``, "Российская Федерация"
==========================  =====  ===============================================================

So :func:`all_regions` (85) double counts the three okrugs if summed with their parents; sum over
:func:`top_level_regions` (82, the 85 without the okrugs) to add up to the country, and use the
okrug rows or the ``region_excluding_ao`` rows only for the parts themselves.

The registry is persisted as ``data/reference/regions.csv`` (columns ``id, okato, name_ru, name_en,
kind, aliases, parent``; aliases joined by ``|``). It is built by :func:`build_registry` from the
curated table below, the crosswalk ``data/raw/rosstat/regioncodes.xlsx`` and every row label found
in the shipped Rosstat files (``python -m analysis registry`` rewrites it). Names are compared by
:func:`name_key`: case, spaces (leading, repeated, non-breaking), dashes, footnote marks ("1)",
"*", a trailing " 2"), "г.Москва" vs "г. Москва", "авт.округ" vs "авт. округ", the "в т.ч."
prefix and Latin letters typed for Cyrillic ("Hенецкий" with a Latin H) do not matter.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.core.errors import InputError
from analysis.core.outputs import write_csv
from analysis.core.paths import RAW_ROSSTAT, REFERENCE, rel
from analysis.core.sources import Column, Schema, read_csv, verify

REGISTRY_CSV = REFERENCE / "regions.csv"
COLUMNS = ["id", "okato", "name_ru", "name_en", "kind", "aliases", "parent"]
KINDS = (
    "country",
    "federal_district",
    "region",
    "autonomous_okrug_within",
    "region_excluding_ao",
    "former_okrug",
)
ALIAS_SEP = "|"


@dataclass(frozen=True)
class Region:
    """One row of the registry."""

    id: str
    okato: str
    name_ru: str
    name_en: str
    kind: str
    parent: str = ""


# --- curated table --------------------------------------------------------------------------
# id | OKATO | kind | parent | canonical Russian name | English name | extra aliases (";")
# Extra aliases are only those the files' spellings cannot be matched by without help (truncated
# or abbreviated names); every spelling actually found is added by build_registry().
_CURATED = """
russia|643|country||Российская Федерация|Russian Federation|Россия;Russia;РФ;Российская Федерация из суммы субъектов;Российская Федерация из суммы субъектов Российской Федерации
central_fd|030|federal_district||Центральный федеральный округ|Central Federal District|
northwestern_fd|031|federal_district||Северо-Западный федеральный округ|Northwestern Federal District|
southern_fd|040|federal_district||Южный федеральный округ|Southern Federal District|032;037;Южный федеральный округ (по 2009 год);Южный федеральный округ (с 2010 года);Южный федеральный округ (с 29.07.2016)
north_caucasian_fd|038|federal_district||Северо-Кавказский федеральный округ|North Caucasian Federal District|
volga_fd|033|federal_district||Приволжский федеральный округ|Volga Federal District|
ural_fd|034|federal_district||Уральский федеральный округ|Ural Federal District|
siberian_fd|041|federal_district||Сибирский федеральный округ|Siberian Federal District|035
far_eastern_fd|042|federal_district||Дальневосточный федеральный округ|Far Eastern Federal District|036
crimean_fd|039|federal_district||Крымский федеральный округ|Crimean Federal District|
belgorod|14000000000|region||Белгородская область|Belgorod Oblast|
bryansk|15000000000|region||Брянская область|Bryansk Oblast|
vladimir|17000000000|region||Владимирская область|Vladimir Oblast|
voronezh|20000000000|region||Воронежская область|Voronezh Oblast|
ivanovo|24000000000|region||Ивановская область|Ivanovo Oblast|
kaluga|29000000000|region||Калужская область|Kaluga Oblast|
kostroma|34000000000|region||Костромская область|Kostroma Oblast|
kursk|38000000000|region||Курская область|Kursk Oblast|
lipetsk|42000000000|region||Липецкая область|Lipetsk Oblast|
moscow_oblast|46000000000|region||Московская область|Moscow Oblast|
oryol|54000000000|region||Орловская область|Oryol Oblast|
ryazan|61000000000|region||Рязанская область|Ryazan Oblast|
smolensk|66000000000|region||Смоленская область|Smolensk Oblast|
tambov|68000000000|region||Тамбовская область|Tambov Oblast|
tver|28000000000|region||Тверская область|Tver Oblast|
tula|70000000000|region||Тульская область|Tula Oblast|
yaroslavl|78000000000|region||Ярославская область|Yaroslavl Oblast|
moscow_city|45000000000|region||г. Москва|Moscow|Москва
karelia|86000000000|region||Республика Карелия|Republic of Karelia|
komi|87000000000|region||Республика Коми|Komi Republic|
arkhangelsk|11000000000|region||Архангельская область|Arkhangelsk Oblast|
nenets|11100000000|autonomous_okrug_within|arkhangelsk|Ненецкий автономный округ|Nenets Autonomous Okrug|Ненецкий авт. округ
arkhangelsk_excl_nenets|11001000000|region_excluding_ao|arkhangelsk|Архангельская область (кроме Ненецкого автономного округа)|Arkhangelsk Oblast excluding Nenets AO|Архангельская область без автономного округа;Архангельская область без авт. округа
vologda|19000000000|region||Вологодская область|Vologda Oblast|
kaliningrad|27000000000|region||Калининградская область|Kaliningrad Oblast|
leningrad|41000000000|region||Ленинградская область|Leningrad Oblast|
murmansk|47000000000|region||Мурманская область|Murmansk Oblast|
novgorod|49000000000|region||Новгородская область|Novgorod Oblast|
pskov|58000000000|region||Псковская область|Pskov Oblast|
st_petersburg|40000000000|region||г. Санкт-Петербург|Saint Petersburg|Санкт-Петербург
adygea|79000000000|region||Республика Адыгея (Адыгея)|Republic of Adygea|Республика Адыгея
kalmykia|85000000000|region||Республика Калмыкия|Republic of Kalmykia|
crimea|35000000000|region||Республика Крым|Republic of Crimea|
krasnodar|03000000000|region||Краснодарский край|Krasnodar Krai|
astrakhan|12000000000|region||Астраханская область|Astrakhan Oblast|
volgograd|18000000000|region||Волгоградская область|Volgograd Oblast|
rostov|60000000000|region||Ростовская область|Rostov Oblast|
sevastopol|67000000000|region||г. Севастополь|Sevastopol|Севастополь
dagestan|82000000000|region||Республика Дагестан|Republic of Dagestan|
ingushetia|26000000000|region||Республика Ингушетия|Republic of Ingushetia|
kabardino_balkaria|83000000000|region||Кабардино-Балкарская Республика|Kabardino-Balkarian Republic|Кабардино-Балкарская
karachay_cherkessia|91000000000|region||Карачаево-Черкесская Республика|Karachay-Cherkess Republic|Карачаево-Черкесская
north_ossetia|90000000000|region||Республика Северная Осетия - Алания|Republic of North Ossetia - Alania|Северная Осетия - Алания
chechnya|96000000000|region||Чеченская Республика|Chechen Republic|
stavropol|07000000000|region||Ставропольский край|Stavropol Krai|
bashkortostan|80000000000|region||Республика Башкортостан|Republic of Bashkortostan|
mari_el|88000000000|region||Республика Марий Эл|Mari El Republic|
mordovia|89000000000|region||Республика Мордовия|Republic of Mordovia|
tatarstan|92000000000|region||Республика Татарстан (Татарстан)|Republic of Tatarstan|Республика Татарстан
udmurtia|94000000000|region||Удмуртская Республика|Udmurt Republic|
chuvashia|97000000000|region||Чувашская Республика - Чувашия|Chuvash Republic|Чувашская Республика
perm|57000000000|region||Пермский край|Perm Krai|
kirov|33000000000|region||Кировская область|Kirov Oblast|
nizhny_novgorod|22000000000|region||Нижегородская область|Nizhny Novgorod Oblast|
orenburg|53000000000|region||Оренбургская область|Orenburg Oblast|
penza|56000000000|region||Пензенская область|Penza Oblast|
samara|36000000000|region||Самарская область|Samara Oblast|
saratov|63000000000|region||Саратовская область|Saratov Oblast|
ulyanovsk|73000000000|region||Ульяновская область|Ulyanovsk Oblast|
kurgan|37000000000|region||Курганская область|Kurgan Oblast|
sverdlovsk|65000000000|region||Свердловская область|Sverdlovsk Oblast|
tyumen|71000000000|region||Тюменская область|Tyumen Oblast|
khanty_mansi|71100000000|autonomous_okrug_within|tyumen|Ханты-Мансийский автономный округ - Югра|Khanty-Mansi Autonomous Okrug - Yugra|Ханты-Мансийский автономный округ;Ханты-Мансийский авт.округ;Ханты-Мансийский авт. округ - Югра;Ханты Мансийский автономный округ - Югра
yamal_nenets|71140000000|autonomous_okrug_within|tyumen|Ямало-Ненецкий автономный округ|Yamal-Nenets Autonomous Okrug|Ямало-Ненецкий авт. округ
tyumen_excl_ao|71001000000|region_excluding_ao|tyumen|Тюменская область без автономных округов|Tyumen Oblast excluding Khanty-Mansi and Yamal-Nenets AOs|Тюменская область (без Ханты-Мансийского авт.округа-Югра и Ямало-Ненецкого авт.округа);Тюменская область (без ХМАО и ЯНАО);Тюменская область без авт. округов
chelyabinsk|75000000000|region||Челябинская область|Chelyabinsk Oblast|
altai_republic|84000000000|region||Республика Алтай|Altai Republic|
tyva|93000000000|region||Республика Тыва|Tuva Republic|
khakassia|95000000000|region||Республика Хакасия|Republic of Khakassia|
altai_krai|01000000000|region||Алтайский край|Altai Krai|
krasnoyarsk|04000000000|region||Красноярский край|Krasnoyarsk Krai|
irkutsk|25000000000|region||Иркутская область|Irkutsk Oblast|
kemerovo|32000000000|region||Кемеровская область - Кузбасс|Kemerovo Oblast - Kuzbass|Кемеровская область;Кузбасс;Kemerovo Oblast;Kuzbass
novosibirsk|50000000000|region||Новосибирская область|Novosibirsk Oblast|
omsk|52000000000|region||Омская область|Omsk Oblast|
tomsk|69000000000|region||Томская область|Tomsk Oblast|
buryatia|81000000000|region||Республика Бурятия|Republic of Buryatia|
zabaykalsky|76000000000|region||Забайкальский край|Zabaykalsky Krai|
sakha|98000000000|region||Республика Саха (Якутия)|Sakha (Yakutia) Republic|
kamchatka|30000000000|region||Камчатский край|Kamchatka Krai|
primorsky|05000000000|region||Приморский край|Primorsky Krai|
khabarovsk|08000000000|region||Хабаровский край|Khabarovsk Krai|
amur|10000000000|region||Амурская область|Amur Oblast|
magadan|44000000000|region||Магаданская область|Magadan Oblast|
sakhalin|64000000000|region||Сахалинская область|Sakhalin Oblast|
jewish_ao|99000000000|region||Еврейская автономная область|Jewish Autonomous Oblast|Еврейская авт. область
chukotka|77000000000|region||Чукотский автономный округ|Chukotka Autonomous Okrug|Чукотский авт. округ
komi_permyak_okrug|57100000000|former_okrug|perm|Коми-Пермяцкий округ|Komi-Permyak Okrug|Коми-Пермяцкий округ, входящий в состав Пермского края
aginsky_buryat_okrug|76100000000|former_okrug|zabaykalsky|Агинский Бурятский округ|Agin-Buryat Okrug|Агинский Бурятский округ (Забайкальский край)
ust_orda_buryat_okrug|25100000000|former_okrug|irkutsk|Усть-Ордынский Бурятский округ|Ust-Orda Buryat Okrug|
taymyr_okrug|04100000000|former_okrug|krasnoyarsk|Таймырский (Долгано-Ненецкий) автономный округ|Taymyr Autonomous Okrug|Таймырский (Долгано-Ненецкий) автономный округ (Красноярский край)
evenk_okrug|04130000000|former_okrug|krasnoyarsk|Эвенкийский автономный округ|Evenk Autonomous Okrug|Эвенкийский автономный округ (Красноярский край)
koryak_okrug|30100000000|former_okrug|kamchatka|Корякский округ|Koryak Okrug|Корякский округ, входящий в состав Камчатского края
"""

# Latin letters typed for look-alike Cyrillic ones ("Hенецкий", "Калинингpадская").
_LATIN_TO_CYRILLIC = str.maketrans("ABCEHKMOPTXaceopxy", "АВСЕНКМОРТХасеорху")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_DASHES = re.compile(r"\s*[-\u2010-\u2015\u2212]\s*")
_FOOTNOTE = re.compile(r"(?:\s*\d+\)|\s+\d+|\*+)+$")  # one or more marks: "1)", " 2", "*"
_PREFIX = re.compile(r"^(?:в\s*т\.\s*ч\.|в\s+том\s+числе:?)\s*")


def name_key(name: object) -> str:
    """The comparison key of a name: what two spellings of one region have in common.

    NFKC (non-breaking and other odd spaces, "…"), Latin look-alikes to Cyrillic in Cyrillic
    text, lower case, ё→е, one kind of dash without spaces, no space after a full stop, footnote
    marks and a leading "в т.ч." removed, spaces collapsed, trailing punctuation stripped.
    """
    s = unicodedata.normalize("NFKC", str(name)).strip()
    if _CYRILLIC.search(s):
        s = s.translate(_LATIN_TO_CYRILLIC)
    s = s.casefold().replace("ё", "е")
    s = re.sub(r"\s+", " ", s).strip()
    s = _FOOTNOTE.sub("", s).strip()
    s = _PREFIX.sub("", s)
    s = _DASHES.sub("-", s)
    s = re.sub(r"\s*\.\s*", ".", s)
    s = re.sub(r"\(\s+", "(", s)
    s = re.sub(r"\s+\)", ")", s)
    return s.strip(" .,:;*")


def _curated() -> pd.DataFrame:
    rows = []
    for line in _CURATED.strip().splitlines():
        parts = line.split("|")
        if len(parts) != 7:
            raise ValueError(f"bad curated registry line: {line!r}")
        rid, okato, kind, parent, name_ru, name_en, extra = parts
        rows.append(
            {
                "id": rid,
                "okato": okato,
                "name_ru": name_ru,
                "name_en": name_en,
                "kind": kind,
                "parent": parent,
                "extra": [a for a in extra.split(";") if a],
            }
        )
    return pd.DataFrame(rows)


# --- building the registry from the shipped files ------------------------------------------
# Where the row labels are: (file, sheets or None for all, label column (0-based), first row).
_LABEL_CELLS = [
    ("VRP_OKVED2_s2016_gva_structure_2009_2022.xlsx", None, 1, 6),
    ("VRP_total_percapita_1998_2022.xlsx", ["Per Capita"], 0, 2),
    ("emiss_population_avg_annual_2000_2023.xlsx", ["Отчет"], 0, 2),
    ("fixed_assets_by_region_2000_2024.xlsx", ["1", "2", "3", "4", "5", "6"], 0, 4),
    ("shipments_mining_manuf_egw_by_region_2005_2016.xlsx", ["1", "2", "3"], 0, 4),
    ("rr2019_razdel9_VRP.xlsx", ["9.1.", "9.2.", "9.3.", "9.4.1.", "9.4.2.", "9.4.3.", "9.5.", "9.6."], 0, 6),
    (
        "rr2022_section12_industrial_production.xlsx",
        ["12.2.2.", "12.2.4.", "12.2.6.", "12.2.7."]
        + ["12.3.1.", "12.3.2.", "12.4.1.", "12.4.2.", "12.5.1.", "12.5.2.", "12.6.", "12.7.", "12.8."],
        0,
        6,
    ),
    ("rr2022_section16_transport.xlsx", ["16.1."], 0, 6),
    ("rr2022_section8_grp.xlsx", ["8.3."], 0, 6),
    ("rr2022_section2_labour.xlsx", ["2.3."], 0, 6),
    ("rr2022_section10_investment.xlsx", ["10.1."], 0, 6),
    ("rr2022_section11_enterprises.xlsx", ["11.2."], 0, 6),
]
_CSV_HEADERS = ["m806_MAQ_IND_YTD.csv", "m806_MAQ_IND_YOY.csv", "m806_PROD_SHIP_MLN_RUB.csv"]
_XLS_LABELS = ("m806_014-022_mining_index_official.xls", 0, 5)
_PANEL = ("rr2021_regions_rosstat_panel.csv", "region_rus")
# Labels that are headings, indicator totals or notes, not places.
_NOT_A_PLACE = re.compile(
    r"^(в том числе|валов|фактическое конечное|продолжение|окончание|примечание|\.\.\.|…|#n/a)"
    r"|^\d+[).]?\s+\S.{20,}|^=|федеральн\w* закон|^[¾_—–-]{3,}|^информация по показателю|^\(",
    re.IGNORECASE,
)


def _is_label(value: object) -> bool:
    if not isinstance(value, str) or not value.strip():
        return False
    v = value.strip()
    if not re.search(r"[A-Za-z\u0400-\u04ff]", v):  # "¾¾¾", "2.", "6"
        return False
    return not _NOT_A_PLACE.search(v)


def found_labels(folder: Path = RAW_ROSSTAT) -> dict[str, set[str]]:
    """Every place label in the shipped files: ``{spelling: {"file:sheet", ...}}``.

    Spellings are kept as found except for outer whitespace (which :func:`name_key` ignores anyway).
    """
    import openpyxl
    import xlrd

    out: dict[str, set[str]] = {}

    def add(value: object, where: str) -> None:
        if _is_label(value):
            out.setdefault(str(value).strip(), set()).add(where)

    for name, sheets, col, first in _LABEL_CELLS:
        path = verify(folder / name)
        wb = openpyxl.load_workbook(path, read_only=True)
        try:
            for ws in wb.worksheets:
                if sheets is not None and ws.title not in sheets:
                    continue
                for row in ws.iter_rows(min_row=first, values_only=True):
                    if len(row) > col:
                        add(row[col], f"{name}:{ws.title}")
        finally:
            wb.close()
    for name in _CSV_HEADERS:
        for header in pd.read_csv(verify(folder / name), nrows=0).columns[2:]:
            add(header, name)
    name, col, first = _XLS_LABELS
    book = xlrd.open_workbook(verify(folder / name))
    for sh in book.sheets():
        for i in range(first - 1, sh.nrows):
            add(sh.cell_value(i, col), f"{name}:{sh.name.strip()}")
    name, panel_col = _PANEL
    for value in pd.read_csv(verify(folder / name), usecols=[panel_col])[panel_col].unique():
        add(value, name)
    return out


def _crosswalk(folder: Path) -> tuple[dict[str, list[str]], list[tuple[str, str]]]:
    """regioncodes.xlsx: ``{okato: [names]}`` from Sheet1 and ``[(long name, short name)]``
    from Лист1 (which has no OKATO column)."""
    import openpyxl

    path = verify(folder / "regioncodes.xlsx")
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        rows = list(wb["Sheet1"].iter_rows(values_only=True))
        expected = ("Rus Name", "Name", "Short Name", "Abbrev", "OKATO_id")
        if tuple(rows[0][:5]) != expected:
            raise InputError(
                path,
                "unexpected header",
                sheet="Sheet1",
                row=1,
                expected=", ".join(expected),
                found=rows[0][:5],
            )
        by_okato: dict[str, list[str]] = {}
        for r in rows[1:]:
            if r[4] is None:
                continue
            by_okato.setdefault(str(r[4]).strip(), []).extend(
                str(v).strip() for v in r[:4] if v not in (None, "")
            )
        pairs = [
            (str(r[0]).strip(), str(r[1]).strip())
            for r in list(wb["Лист1"].iter_rows(values_only=True))[1:]
            if r[0]
        ]
    finally:
        wb.close()
    return by_okato, pairs


def build_registry(folder: Path = RAW_ROSSTAT) -> pd.DataFrame:
    """Build the registry table (the content of ``data/reference/regions.csv``).

    Aliases of a region: the curated extra aliases, the names regioncodes.xlsx gives for its OKATO
    code, and every label in the shipped files whose :func:`name_key` equals the key of a name
    already known for it. A label that matches no region, or matches two, is an error: the curated
    table must then be extended deliberately.
    """
    cur = _curated()
    aliases: dict[str, set[str]] = {rid: set(extra) for rid, extra in zip(cur["id"], cur["extra"])}
    by_okato, pairs = _crosswalk(folder)
    okato_to_id = dict(zip(cur["okato"], cur["id"]))
    for okato, names in by_okato.items():
        if okato not in okato_to_id:
            raise InputError(
                folder / "regioncodes.xlsx",
                f"OKATO code {okato} is not in the curated registry (analysis/regions.py)",
                sheet="Sheet1",
            )
        aliases[okato_to_id[okato]].update(names)

    def keymap() -> dict[str, set[str]]:
        km: dict[str, set[str]] = {}
        for rid, name_ru, name_en in zip(cur["id"], cur["name_ru"], cur["name_en"]):
            for n in {rid, name_ru, name_en, *aliases[rid]}:
                km.setdefault(name_key(n), set()).add(rid)
        return km

    km = keymap()
    for long_name, short in pairs:  # Лист1: short names next to long ones
        ids = km.get(name_key(long_name), set())
        if len(ids) != 1:
            raise InputError(
                folder / "regioncodes.xlsx",
                f"name {long_name!r} matches {sorted(ids) or 'no region'}",
                sheet="Лист1",
            )
        aliases[next(iter(ids))].update({long_name, short})
    km = keymap()
    unmatched = []
    for label, where in sorted(found_labels(folder).items()):
        ids = km.get(name_key(label), set())
        if len(ids) == 1:
            aliases[next(iter(ids))].add(label)
        else:
            unmatched.append(
                f"{label!r} ({sorted(where)[0]}): "
                f"{'matches ' + ', '.join(sorted(ids)) if ids else 'no match'}"
            )
    if unmatched:
        raise InputError(
            rel(Path(__file__)),
            "row labels in the Rosstat files that the curated registry cannot place: " + "; ".join(unmatched),
            expected="every label to match exactly one region",
        )
    rows = []
    for rid, okato, name_ru, name_en, kind, parent in zip(
        cur["id"], cur["okato"], cur["name_ru"], cur["name_en"], cur["kind"], cur["parent"]
    ):
        al = sorted(a for a in aliases[rid] if a not in (name_ru, name_en, rid))
        rows.append(
            {
                "id": rid,
                "okato": okato,
                "name_ru": name_ru,
                "name_en": name_en,
                "kind": kind,
                "aliases": ALIAS_SEP.join(al),
                "parent": parent,
            }
        )
    df = pd.DataFrame(rows, columns=COLUMNS)
    order = {k: i for i, k in enumerate(KINDS)}
    df["_k"] = df["kind"].map(order)
    return df.sort_values(["_k", "okato", "id"]).drop(columns="_k").reset_index(drop=True)


def write_registry(path: Path = REGISTRY_CSV) -> Path:
    """Rebuild the registry from the files and write it (deterministic bytes)."""

    path = write_csv(build_registry(), path)
    for cached in (_registry, _kinds, _short, _by_id, _all, _containers, _partition):
        cached.cache_clear()  # everything derived from the registry
    return path


# --- loading and resolving -----------------------------------------------------------------


@functools.lru_cache(maxsize=4)
def _registry(path: Path = REGISTRY_CSV) -> tuple[pd.DataFrame, dict[str, str]]:

    schema = Schema(
        columns=(
            Column("id"),
            Column("okato"),
            Column("name_ru"),
            Column("name_en"),
            Column("kind", choices=KINDS),
            Column("aliases", nullable=True),
            Column("parent", nullable=True),
        ),
        unique=("id",),
    )
    # A derived table, not a raw one: it is rebuilt from checksummed inputs (`python -m analysis
    # registry`), and a test checks that it equals the rebuild.
    df = read_csv(path, schema, check_sum=False)
    df = df.fillna("").astype(str)
    lookup: dict[str, str] = {}
    for rid, okato, name_ru, name_en, alias_text in zip(
        df["id"], df["okato"], df["name_ru"], df["name_en"], df["aliases"]
    ):
        names = [rid, okato, name_ru, name_en, *[a for a in alias_text.split(ALIAS_SEP) if a]]
        for n in names:
            k = name_key(n)
            if lookup.get(k, rid) != rid:
                raise InputError(
                    path,
                    f"name {n!r} belongs to two regions",
                    expected="each alias to name one region",
                    found=f"{lookup[k]} and {rid}",
                )
            lookup[k] = rid
    return df, lookup


@functools.lru_cache(maxsize=4)
def _short(path: Path = REGISTRY_CSV) -> dict[str, str]:
    df, lookup = _registry(path)
    return _short_keys(df, lookup)


def load_registry() -> pd.DataFrame:
    """The registry as a table: ``id, okato, name_ru, name_en, kind, aliases, parent``."""
    return _registry()[0].copy()


def _region(row: pd.Series) -> Region:
    """A registry row (as ``df.iloc[i]`` gives it) as a :class:`Region`."""
    return Region(row.id, row.okato, row.name_ru, row.name_en, row.kind, row.parent)


# Words a name may be typed without: "Татарстан" for "Республика Татарстан", "Тюменская" for
# "Тюменская область", "Москва" for "г. Москва", "Tatarstan" for "Republic of Tatarstan".
_GENERIC = re.compile(
    r"(?:^|(?<=[\s(-]))(?:республика|область|край|автономный округ|автономная область|авт\.округ|"
    r"авт\.область|город|г\.|republic of|republic|oblast|krai|autonomous okrug|autonomous oblast)"
    r"(?=$|[\s)-])"
)


def short_key(name: object) -> str:
    """:func:`name_key` without the words that say what kind of region it is (республика, область,
    край, г., автономный округ, автономная область; Republic, Oblast, Krai, Autonomous Okrug):
    the key of a name typed without them."""
    s = _GENERIC.sub(" ", name_key(name))
    s = re.sub(r"^г\.", "", s)  # name_key joins "г. Москва" into "г.москва"
    s = re.sub(r"\s*-\s*", "-", re.sub(r"\s+", " ", s)).strip(" -")
    return re.sub(r"\(\s*\)", "", s).strip()


def _short_keys(df: pd.DataFrame, lookup: dict[str, str]) -> dict[str, str]:
    """Short keys (:func:`short_key`) of every name and alias, and of the two halves of names
    such as "Республика Саха (Якутия)" or "Чувашская Республика - Чувашия"; a short key that two regions share is left out (it names
    neither), and so is one that is the full key of another region's name."""
    found: dict[str, set[str]] = {}
    for rid, name_ru, name_en, alias_text, kind in zip(
        df["id"], df["name_ru"], df["name_en"], df["aliases"], df["kind"]
    ):
        for n in [name_ru, name_en, *[a for a in alias_text.split(ALIAS_SEP) if a]]:
            keys = {short_key(n)}
            m = re.fullmatch(r"(.+?)\s*\(([^()]+)\)", short_key(n))
            if m and kind == "region":  # "саха (якутия)": "саха" and "якутия" name it too
                keys |= {m.group(1).strip(), m.group(2).strip()}
            if kind in ("region", "autonomous_okrug_within"):  # "Чувашская Республика - Чувашия"
                keys |= {short_key(part) for part in re.split(r"\s+[-\u2013\u2014]\s+", str(n))}
            for k in keys - {""}:
                found.setdefault(k, set()).add(rid)
    out: dict[str, str] = {}
    for k, ids in found.items():
        (rid, *others) = sorted(ids)
        if not others and lookup.get(k, rid) == rid:
            out[k] = rid
    return out


def match_name(raw_name: object) -> str | None:
    """The id of a row label, or ``None`` if it names no known region (for importers)."""
    if raw_name is None:
        return None
    return _registry()[1].get(name_key(raw_name))


def resolve(name_or_id: str) -> Region:
    """A region from its id, OKATO code, Russian or English name, or any alias.

    Case and whitespace do not matter. An unknown name raises :class:`InputError` listing the
    closest known names.
    """
    df, lookup = _registry()
    short = _short()
    if not str(name_or_id).strip():
        raise InputError(
            None,
            "no region given (an empty name)",
            expected="a region id, OKATO code, Russian or English name (see data/reference/regions.csv)",
        )
    rid = lookup.get(name_key(name_or_id)) or short.get(short_key(name_or_id))
    if rid is None:
        # Typos are compared with the short keys too: "Татарстн" is near "татарстан", far from
        # "республика татарстан (татарстан)".
        known = {**short, **lookup}
        close = difflib.get_close_matches(short_key(name_or_id), list(known), n=12, cutoff=0.6)
        close += difflib.get_close_matches(name_key(name_or_id), list(known), n=8, cutoff=0.6)
        seen: list[str] = []
        for k in close:
            if known[k] not in seen:
                seen.append(known[k])
        names = df.set_index("id")["name_ru"]
        hint = "; ".join(f"{i} ({names[i]})" for i in seen[:5])
        raise InputError(
            None,
            f"unknown region {name_or_id!r}" + (f"; closest: {hint}" if hint else ""),
            expected="a region id, OKATO code, Russian or English name (see data/reference/regions.csv)",
        )
    return _by_id()[rid]


@functools.lru_cache(maxsize=1)  # of the registry, itself read once: steps resolve ids per row
def _by_id() -> dict[str, Region]:
    df = _registry()[0]
    return {row.id: _region(row) for _, row in df.iterrows()}


def kind_of(region_id: str) -> str:
    """The ``kind`` of a registry id (KeyError if there is no such id)."""
    return _kinds()[region_id]


@functools.lru_cache(maxsize=1)
def _kinds() -> dict[str, str]:
    df = _registry()[0]
    return dict(zip(df["id"], df["kind"]))


def all_regions() -> list[Region]:
    """The 85 regions (kinds ``region`` and ``autonomous_okrug_within``), in OKATO order.

    Summing over them double counts the three autonomous okrugs; see :func:`top_level_regions`.
    """
    return list(_all())


@functools.lru_cache(maxsize=1)  # of the registry, itself read once (maps and tables ask per row)
def _all() -> tuple[Region, ...]:
    df = _registry()[0]
    sel = df[df["kind"].isin(["region", "autonomous_okrug_within"])].sort_values("okato")
    fields = ("id", "okato", "name_ru", "name_en", "kind", "parent")  # Region's, in order
    return tuple(Region(*row) for row in zip(*(sel[f] for f in fields)))


def top_level_regions() -> list[Region]:
    """The 82 regions that partition the country: the 85 without the okrugs inside a parent."""
    return [r for r in all_regions() if r.kind == "region"]


# --- what can be studied, and the regions that contain other regions -----------------------
STUDIED_KINDS = ("region", "autonomous_okrug_within", "region_excluding_ao")


def studiable_regions() -> list[Region]:
    """Every id a study can be run for, in OKATO order: the 85 regions and the two parts of
    regions without their okrugs (:data:`STUDIED_KINDS`). Not the country (the benchmark), not
    a federal district (a sum of regions), not an okrug merged away before 2008 (no data since)."""
    df = _registry()[0]
    sel = df[df["kind"].isin(STUDIED_KINDS)].sort_values("okato")
    return [_region(row) for _, row in sel.iterrows()]


def study_region(name_or_id: str) -> Region:
    """:func:`resolve` for a region to study: the country, a federal district or a former okrug
    is refused with what to study instead."""
    r = resolve(name_or_id)
    why = {
        "country": "Russia is the benchmark, not a region to study: every quotient would be 1",
        "federal_district": "a federal district is a sum of regions, not a region to study",
        "former_okrug": "this okrug was merged into its parent region in 2005-2008; Rosstat has no "
        "figures of its own since",
    }.get(r.kind)
    if why:
        instead = (
            f"its parent region ({r.parent}, {resolve(r.parent).name_en})"
            if r.parent
            else "one of the regions of data/reference/regions.csv (kind region, autonomous_okrug_within "
            "or region_excluding_ao)"
        )
        raise InputError(None, f"{r.id} ({r.name_en}): {why}", column="--region", expected=instead)
    return r


def containers() -> dict[str, tuple[str, ...]]:
    """The regions that contain others, with the okrugs they contain: ``{"arkhangelsk":
    ("nenets",), "tyumen": ("khanty_mansi", "yamal_nenets")}`` (registry column ``parent``)."""
    return dict(_containers())


@functools.lru_cache(maxsize=1)  # of the registry, itself read once (steps ask per region and row)
def _containers() -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for r in all_regions():
        if r.kind == "autonomous_okrug_within":
            out[r.parent] = (*out.get(r.parent, ()), r.id)
    return dict(sorted(out.items()))


def part_without_okrugs(container: str) -> str:
    """The registry id of a container region without its okrugs (``tyumen`` -> ``tyumen_excl_ao``)."""
    df = _registry()[0]
    hit = df[(df["kind"] == "region_excluding_ao") & (df["parent"] == container)]["id"]
    if len(hit) != 1:
        raise KeyError(f"{container} is not a region with a part without okrugs in the registry")
    return str(hit.iloc[0])


def partition_regions() -> list[Region]:
    """The all-regions set: 85 units that cover Russia without overlap, in OKATO order.

    The 85 federal subjects, with each region that contains autonomous okrugs (Tyumen region,
    Arkhangelsk region) replaced by its part without them (``tyumen_excl_ao``,
    ``arkhangelsk_excl_nenets``), so that the okrugs' economies are counted once. Every
    distribution, median, rank and count of regions uses this set (:func:`partition`); a
    container region is ranked by its part without okrugs, or left out where Rosstat does not
    publish that part, never beside its own okrugs (the project's rule, issue 19)."""
    return list(_partition())


@functools.lru_cache(maxsize=1)  # of the registry, itself read once: 55 ms a call otherwise
def _partition() -> tuple[Region, ...]:
    boxes = containers()
    df = _registry()[0]
    keep = [r.id for r in all_regions() if r.id not in boxes]
    keep += [part_without_okrugs(c) for c in boxes]
    sel = df[df["id"].isin(keep)].sort_values("okato")
    return tuple(_region(row) for _, row in sel.iterrows())


def partition_ids() -> list[str]:
    """The ids of :func:`partition_regions`."""
    return [r.id for r in partition_regions()]


def partition(table: pd.DataFrame, value: str | None = "value") -> pd.DataFrame:
    """The rows of a tidy table (column ``region_id``) that belong to the all-regions set of
    :func:`partition_regions` and whose ``value`` is known (all of them with ``value=None``).

    The units of a year (or of any key) are then counted, not assumed: 83 before 2014, where
    Crimea and Sevastopol have no figures; a container region appears only through its part
    without okrugs, and only where Rosstat publishes that part."""
    rows = table[table["region_id"].isin(partition_ids())]
    return rows if value is None else rows[rows[value].notna()]


def left_out(table: pd.DataFrame, value: str = "value") -> dict[str, list[int]]:
    """Regions that contain okrugs and are left out of the all-regions set of a tidy table
    (``region_id, year, value``) in some years: ``{container: [years]}``, the years where the
    table has a value for the container but none for its part without okrugs."""
    out: dict[str, list[int]] = {}
    known = table[table[value].notna()]
    for c in containers():
        have = set(known.loc[known["region_id"] == c, "year"])
        part = set(known.loc[known["region_id"] == part_without_okrugs(c), "year"])
        if have - part:
            out[c] = sorted(int(y) for y in have - part)
    return out


def ranked_as(region_id: str) -> str:
    """The unit of the all-regions set whose rank a region's run reports: the part without okrugs
    for a region that contains okrugs, the region itself otherwise."""
    return part_without_okrugs(region_id) if region_id in containers() else region_id


def nesting_note(region_id: str) -> str:
    """A sentence saying how a region nests with others (empty for a region that does not):
    a container names its okrugs and says it is ranked by its part without them; an okrug names
    the region that contains it; a part without okrugs names its region and the okrugs left out."""
    r = resolve(region_id)
    names = {x.id: x.name_en for x in studiable_regions()}

    def listed(ids: tuple[str, ...]) -> str:
        return " and ".join(names[i] for i in ids)

    boxes = containers()
    if r.id in boxes:
        okrugs = boxes[r.id]
        part = part_without_okrugs(r.id)
        return (
            f"{r.name_en}, as Rosstat publishes it, includes {listed(okrugs)}, which are regions of their "
            f"own. Its figures here are those of the whole region; among all regions it is ranked by its part "
            f"without {'them' if len(okrugs) > 1 else 'it'} ({names[part]}, `{part}`) where Rosstat "
            f"publishes that part, and is not ranked where it does not, so that no economy is counted twice."
        )
    if r.kind == "autonomous_okrug_within":
        part = part_without_okrugs(r.parent)
        return (
            f"{r.name_en} is part of {names[r.parent]}: Rosstat's figures for {names[r.parent]} include it. "
            f"Among all regions it is ranked on its own, beside {names[part]} (`{part}`), never beside the "
            f"whole of {names[r.parent]}."
        )
    if r.kind == "region_excluding_ao":
        okrugs = boxes[r.parent]
        return (
            f"{r.name_en} is {names[r.parent]} without {listed(okrugs)}: a part Rosstat publishes, not a "
            f"federal subject. Among all regions it stands for {names[r.parent]}, beside "
            f"{listed(okrugs)}."
        )
    return ""
