"""Every label the figures print, in English and Russian: one table, one accessor.

:data:`LABELS` maps a key to its ``(English, Russian)`` text. Plain keys (``year``, ``hhi``,
``source_paper``) are axis labels, legend entries and notes; ``title.*`` keys are titles, with
``{region}``-style placeholders that :func:`label` fills in; ``<kind>.<id>`` keys name the items a
figure lists (``product.coal``, ``cargo.ores``, ``activity.mining``), and :func:`name_of` looks
them up, falling back to the id itself for items a user's data bring that the table lacks.

A figure is drawn once per language, ``lang`` being one of :data:`LANGS`. To translate a figure
anew, change the text here; the step modules hold no text of their own. (Generated reading
sentences are English prose and stay beside the code that computes them.)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

LANGS: Final = ("en", "ru")

LABELS: Final[dict[str, tuple[str, str]]] = {
    # ---- axes --------------------------------------------------------------------------------
    "year": ("Year", "Год"),
    "share_gva": ("Share of gross value added, %", "Доля в валовой добавленной стоимости, %"),
    "hhi": ("Herfindahl–Hirschman index (0–10 000)", "Индекс Херфиндаля — Хиршмана (0–10 000)"),
    "hhi_gva": ("HHI of GVA", "ИХХ по ВДС"),
    "coefficient": ("Per-capita production coefficient", "Коэффициент душевого производства"),
    "marketability": (  # {product}: a name_of("product", ...), lower case in English
        "Regional marketability of {product}",
        "Коэффициент региональной товарности: {product}",
    ),
    "thousand_t": ("thousand t", "тыс. т"),
    "lq": ("Location quotient", "Коэффициент локализации"),
    "index_cum": (
        "Cumulative production index, {base} = 100",
        "Накопленный индекс производства, {base} = 100",
    ),
    "members": ("Members", "Участники"),
    "coefficient_short": ("Coefficient, Russia = 1", "Коэффициент, РФ = 1"),
    "log_scale": ("{axis} (log scale)", "{axis} (лог. шкала)"),  # {axis}: another axis label
    # columns of the factor matrix (notebook 01)
    "depends_on_specialisation": ("depends on specialisation", "зависит от специализации"),
    "named_in_conclusion": ("named for Kemerovo region", "назван для Кемеровской области"),
    "factor_inferred_note": (
        "● stated in the Method; ○ inferred by this compendium from another passage (dependence_basis)",
        "● указано в «Методике»; ○ вывод этого компендиума из другого места статьи (dependence_basis)",
    ),
    # ---- legends and notes in the plot -------------------------------------------------------
    "published": ("published in the paper", "опубликовано в статье"),
    "recomputed": ("recomputed from Table 1", "пересчитано по табл. 1"),
    "rosstat": ("Rosstat, current edition", "Росстат, текущая редакция"),
    "okved_break": ("OKVED-2007 → OKVED2", "ОКВЭД-2007 → ОКВЭД2"),
    "inbound": ("in", "ввоз"),
    "outbound": ("out", "вывоз"),
    "total_stated": ("total stated", "всего по источнику"),
    "other_activities": ("other activities", "прочие"),
    "other_activities_incomplete": ("other activities ({years}: incomplete)", "прочие ({years}: неполные)"),
    # a figure's categories beyond its N (analysis.core.topn): folded, or dropped with a note
    "other_folded": ("other ({k} more)", "прочие ({k})"),
    "not_drawn": (
        "{k} more not drawn; all in the table {table}",
        "не показано ещё: {k}; все — в таблице {table}",
    ),
    "not_drawn_link": (
        "{k} more clusters and {m} more of their activities not drawn; all in the table {table}",
        "не показано ещё кластеров: {k}, их видов деятельности: {m}; все — в таблице {table}",
    ),
    "production": ("production", "производство"),
    "out_domestic": ("out, to other regions", "вывоз в другие регионы"),
    "out_export": ("out, export", "вывоз, экспорт"),
    "median_of_regions": ("median of regions", "медиана регионов"),
    # ---- titles ({region}: the region's name in the figure's language) -----------------------
    "title.factors": (
        "Factors of cluster formation named by the paper",
        "Факторы кластерообразования, названные в статье",
    ),
    "title.members": ("Cluster members by kind: {region}", "Участники кластеров по типам: {region}"),
    "title.link": (
        "Clusters and the specialisation: {region}",
        "Кластеры и специализация: {region}",
    ),
    "title.windows": (
        "Before and after the first cluster ({founded}): {region}",
        "До и после первого кластера ({founded} г.): {region}",
    ),
    # the cluster link (notebook 02)
    "link_lq": (
        "Location quotient of the cluster's activities",
        "Коэффициент локализации видов деятельности кластера",
    ),
    "link_basis_turnover": ("on turnover, {years}", "по обороту, {years}"),
    "link_basis_gva": ("on GVA shares (Rosstat), {years}", "по долям ВДС (Росстат), {years}"),
    "threshold": ("threshold {value}", "порог {value}"),
    # the question asked again (notebook 07)
    "window.hhi": ("HHI of GVA (nominal shares)", "ИХХ по ВДС (номинальные доли)"),
    "window.share_pct": ("{activity}: share of GVA, % (nominal)", "{activity}: доля в ВДС, % (номинальная)"),
    "window.lq": ("{activity}: LQ against Russia (nominal)", "{activity}: КЛ относительно РФ (номинальный)"),
    "window.volume_share_pct": (
        "{activity}: share in volume, 2009 prices, %",
        "{activity}: доля в физ. объёме, цены 2009 г., %",
    ),
    "window.real_grp_vs_russia": (
        "Real GRP relative to Russia's (volume)",
        "Реальный ВРП относительно РФ (физический объём)",
    ),
    "window_before": ("mean of the years before", "среднее за годы до"),
    "window_after": ("mean of a window after", "среднее за окно после"),
    "years_of": ("{n} of {m} years", "{n} из {m} лет"),
    "title.structure": ("Structure of GVA: {region}", "Структура ВДС: {region}"),
    "title.volume_share": (
        "Share in prices and in volume, HHI: {region}",
        "Доля в ценах и в физ. объёме, ИХХ: {region}",
    ),
    "share_nominal": ("share, current prices", "доля, текущие цены"),
    "share_volume": ("share in volume, prices of {base}", "доля в физ. объёме, цены {base} г."),
    "share_of_activity": ("{activity}, % of GVA", "{activity}, % ВДС"),
    "title.hhi": (
        "Concentration of GVA by activity: {region}",
        "Концентрация ВДС по видам деятельности: {region}",
    ),
    "title.coefficients": (
        "Per-capita production coefficients: {region}",
        "Коэффициенты душевого производства: {region}",
    ),
    "title.marketability": (  # {product}: a name_of("product", ...)
        "{product}: production, shipments out and marketability, {region}",
        "{product}: производство, вывоз и товарность, {region}",
    ),
    "title.freight": (
        "Rail freight in and out: {region}",
        "Ввоз и вывоз грузов по железной дороге: {region}",
    ),
    "title.coefficients_rosstat": (
        "Per-capita coefficients by shipments (Rosstat): {region}",
        "Душевое производство по отгрузке (Росстат): {region}",
    ),
    "title.specialisation": (
        "Specialisation of GVA among all regions: {region}",
        "Специализация ВДС среди всех регионов: {region}",
    ),
    "spec.krugman": ("Krugman index", "Индекс Кругмана"),
    "spec.hachman": ("Hachman index", "Индекс Хачмана"),
    "spec.entropy_bits": ("Entropy, bits", "Энтропия, бит"),
    "title.dispatch": (
        "Rail freight dispatched (all loading, Rosstat): {region}",
        "Отправление грузов железной дорогой (вся погрузка, Росстат): {region}",
    ),
    "dispatch_share": ("Share of Russia's rail dispatch, %", "Доля в отправлении грузов по РФ, %"),
    "dispatch_per_capita": ("Per inhabitant, Russia = 1", "На душу населения, РФ = 1"),
    "title.cumulative": (  # {base}: the base year
        "Production indices chained, {base} = 100: {region}",
        "Цепные индексы производства, {base} = 100: {region}",
    ),
    "title.ledger": (
        "Reproduction ledger: the paper's numbers by source, on both axes",
        "Реестр воспроизведения: числа статьи по источникам, по двум осям",
    ),
    "ledger_axis_recomputation": ("Axis 1: recomputation", "Ось 1: пересчёт"),
    "ledger_axis_official": ("Axis 2: official statistics", "Ось 2: официальная статистика"),
    "ledger_numbers": ("numbers of the paper", "числа статьи"),
    "title.lq_turnover": ("LQ on turnover: {region}", "КЛ по обороту: {region}"),
    "title.lq_bases": (
        "LQ on several bases, {year}: {region}",
        "КЛ по нескольким показателям, {year}: {region}",
    ),
    "title.lq_gva": (
        "LQ of GVA shares vs Russia, OKVED2 sections: {region}",
        "КЛ по долям ВДС относительно РФ, разделы ОКВЭД2: {region}",
    ),
    "title.hhi_among_regions": (
        "Concentration of GVA: the region among all regions",
        "Концентрация ВДС: регион среди всех регионов",
    ),
    # ---- sources (the note under a figure) ---------------------------------------------------
    "source_paper": (
        "Source: Ivanova (2018), Economy of Region 14(4)",
        "Источник: Иванова (2018), Экономика региона 14(4)",
    ),
    "source_rosstat": ("Source: Rosstat", "Источник: Росстат"),
    "source_named": ("Source: {source}", "Источник: {source}"),  # {source}: a user's region.yml
    # notebook 09: the national cluster lists, monotowns and the tile-grid maps
    "source_monotowns": (
        "Sources: government order 1398-р (29.07.2014); Rosstat",
        "Источники: распоряжение Правительства РФ № 1398-р (29.07.2014); Росстат",
    ),
    "map.source": (
        "Sources: Rosstat; national cluster lists (data/raw/clusters); tile layout after Papashanskiy/gos_analytics",
        "Источники: Росстат; национальные перечни кластеров (data/raw/clusters); сетка по Papashanskiy/gos_analytics",
    ),
    "map.hatched": (
        "Hatched: Tyumen and Arkhangelsk regions, shown without their autonomous okrugs (the okrugs have tiles of their own)",
        "Штриховка: Тюменская и Архангельская области без автономных округов (у округов свои клетки)",
    ),
    "map.grey": ("Grey: no value", "Серый: нет значения"),
    "map.dots": ("Dots: clusters of the national lists", "Точки: кластеры национальных перечней"),
    "lq_mining_axis": ("LQ of mining, GVA", "Коэффициент локализации добычи, ВДС"),
    "lq_cluster_axis": (
        "LQ of the cluster's sections, GVA, Russia = 1",
        "Коэффициент локализации разделов кластера, ВДС, РФ = 1",
    ),
    "monotowns_axis": ("Single-industry towns", "Моногорода"),
    "cluster_own": ("the region's clusters", "кластеры региона"),
    "cluster_other": ("other regions' clusters", "кластеры других регионов"),
    "threshold_line": ("threshold {t:g}", "порог {t:g}"),
    "title.monotowns": (
        "Single-industry towns and mining, all regions ({year})",
        "Моногорода и добыча, все регионы ({year})",
    ),
    "title.cluster_lqs": (
        "Clusters of the national lists: the region's LQ in the cluster's sections",
        "Кластеры национальных перечней: коэффициент локализации в разделах кластера",
    ),
    "title.map_hhi": ("HHI of the GVA structure, {year}", "ИХХ структуры ВДС, {year}"),
    "title.map_lq": ("LQ of {activity}, GVA, {year}", "Коэффициент локализации: {activity}, ВДС, {year}"),
    "title.map_monotowns": (
        "Single-industry towns per region (order 1398-р)",
        "Моногорода по регионам (распоряжение № 1398-р)",
    ),
    "table_n": ("Table {n}", "табл. {n}"),
    "source_both": (
        "Sources: Ivanova (2018), Economy of Region 14(4); Rosstat",
        "Источники: Иванова (2018), Экономика региона 14(4); Росстат",
    ),
    "table": ("Table {n}", "табл. {n}"),  # a table of the paper
    # ---- places ------------------------------------------------------------------------------
    "kemerovo": ("Kemerovo region", "Кемеровская область"),
    "russia": ("Russia", "Российская Федерация"),
    # ---- classification editions (Rosstat's series before and after 2016) --------------------
    "edition.OKVED2007": ("OKVED2007", "ОКВЭД2007"),
    "edition.OKVED2": ("OKVED2", "ОКВЭД2"),
    # ---- products: per-capita coefficients and marketability (Tables 2 and 3) ----------------
    "product.coal": ("Coal", "Уголь"),
    "product.electricity": ("Electricity", "Электроэнергия"),
    "product.heat": ("Heat", "Теплоэнергия"),
    "product.steel": ("Steel", "Сталь"),
    "product.sawn_wood": ("Sawn wood", "Лесоматериалы"),
    "product.crude_oil_refined": ("Crude oil refined", "Нефть на переработку"),
    "product.fuel_oil": ("Fuel oil", "Мазут топочный"),
    "product.meat": ("Meat", "Мясо"),
    "product.whole_milk_products": ("Whole-milk products", "Цельномолочная продукция"),
    "product.flour": ("Flour", "Мука"),
    # ---- cargoes: rail freight (Table 4) -----------------------------------------------------
    "cargo.all_cargo": ("All cargo", "Все грузы"),
    "cargo.coke": ("Coke", "Кокс каменноугольный"),
    "cargo.ores": ("Ores", "Руды"),
    "cargo.coal": ("Hard coal", "Уголь каменный"),
    "cargo.ferrous_metals": ("Ferrous metals", "Черные металлы"),
    # ---- activities: location quotients (Tables 5 and 6) -------------------------------------
    "activity.agriculture": ("Agriculture", "Сельское хозяйство"),
    "activity.mining": ("Mining", "Добыча полезных ископаемых"),
    "activity.mining_fuel_energy": ("Fuel and energy mining", "Добыча топливно-энергетических"),
    "activity.manufacturing": ("Manufacturing", "Обрабатывающие производства"),
    "activity.coke_petroleum": ("Coke and petroleum products", "Кокс и нефтепродукты"),
    "activity.chemicals": ("Chemicals", "Химическое производство"),
    "activity.metallurgy_metal_products": ("Metallurgy and metal products", "Металлургия и металлоизделия"),
    "activity.utilities": ("Electricity, gas, water", "Электроэнергия, газ, вода"),
    "activity.construction": ("Construction", "Строительство"),
    "activity.trade": ("Trade", "Торговля"),
    "activity.transport_communications": ("Transport and communications", "Транспорт и связь"),
    "activity.real_estate": ("Real estate", "Операции с недвижимостью"),
    "activity.health": ("Health and social services", "Здравоохранение"),
    "activity.fishing": ("Fishing, fish farming", "Рыболовство, рыбоводство"),
    "activity.hotels_restaurants": ("Hotels and restaurants", "Гостиницы и рестораны"),
    "activity.finance": ("Financial intermediation", "Финансовая деятельность"),
    "activity.public_administration": (
        "Public administration and defence",
        "Государственное управление и обеспечение военной безопасности",
    ),
    "activity.education": ("Education", "Образование"),
    "activity.households": ("Activities of households", "Деятельность домашних хозяйств"),
    "activity.other_services": ("Other services", "Прочие услуги"),
    # OKVED2 sections of their own (data/reference/activity_okved.csv), and a division of C
    "activity.energy": ("Electricity, gas and steam", "Обеспечение электроэнергией, газом и паром"),
    "activity.water_waste": ("Water supply and waste", "Водоснабжение, водоотведение, отходы"),
    "activity.transport": ("Transportation and storage", "Транспортировка и хранение"),
    "activity.information_communication": ("Information and communication", "Информация и связь"),
    "activity.real_estate_activities": ("Real estate activities", "Операции с недвижимым имуществом"),
    "activity.professional_scientific": (
        "Professional, scientific and technical activities",
        "Профессиональная, научная и техническая деятельность",
    ),
    "activity.administrative_support": (
        "Administrative and support services",
        "Административная деятельность и сопутствующие услуги",
    ),
    "activity.arts_recreation": (
        "Arts, entertainment and recreation",
        "Культура, спорт, досуг и развлечения",
    ),
    "activity.personal_services": ("Other service activities", "Предоставление прочих видов услуг"),
    "activity.motor_vehicles": ("Motor vehicles", "Производство автотранспортных средств"),
    # ---- activities of the GVA structure (Table 1), as its stacked bars name them ------------
    "gva_activity.mining": ("Mining", "Добыча полезных ископаемых"),
    "gva_activity.manufacturing": ("Manufacturing", "Обрабатывающие производства"),
    "gva_activity.trade": ("Trade", "Торговля"),
    "gva_activity.transport_communications": ("Transport and communications", "Транспорт и связь"),
    "gva_activity.real_estate": ("Real estate", "Операции с недвижимостью"),
    "gva_activity.public_administration": ("Public administration", "Госуправление"),
    "gva_activity.utilities": ("Electricity, gas, water", "Электроэнергия, газ, вода"),
    "gva_activity.health": ("Health", "Здравоохранение"),
    "gva_activity.construction": ("Construction", "Строительство"),
    "gva_activity.agriculture": ("Agriculture", "Сельское хозяйство"),
    "gva_activity.education": ("Education", "Образование"),
    # ---- bases of the location quotients (Table 6) -------------------------------------------
    "basis.turnover": ("turnover", "оборот"),
    "basis.investment": ("investment", "инвестиции"),
    "basis.employment": ("employment", "занятые"),
    "basis.fixed_assets": ("fixed assets", "основные фонды"),
    # ---- member groups of the clusters (quantities of text_numbers.csv) ----------------------
    "member_group.anchor_participants": ("anchors", "якорные участники"),
    "member_group.sme_participants": ("SMEs", "МСП"),
    "member_group.education_organisations": ("education", "образование"),
    "member_group.research_organisations": ("research", "наука"),
    "member_group.pharma_producers": ("pharma producer", "фармпроизводство"),
    "member_group.foreign_participants": ("foreign firms", "иностранные компании"),
    # ---- items of the production indices (Table 7) -------------------------------------------
    "index_item.industry": ("Industrial production", "Промышленное производство"),
    "index_item.mining": ("Mining", "Добыча полезных ископаемых"),
    "index_item.manufacturing": ("Manufacturing", "Обрабатывающие производства"),
    "index_item.utilities": ("Electricity, gas, water", "Электроэнергия, газ, вода"),
    "index_item.energy": ("Electricity, gas and steam", "Электроэнергия, газ и пар"),
    "index_item.water_waste": ("Water supply and waste", "Водоснабжение и отходы"),
    # ---- statuses of the reproduction ledger -------------------------------------------------
    "status.reproduced": ("reproduced", "воспроизведено"),
    "status.within_rounding": ("within rounding", "в пределах округления"),
    "status.discrepancy": ("discrepancy", "расхождение"),
    "status.contradicted": ("contradicted", "опровергается"),
    "status.unsupported": ("unsupported", "не подкреплено"),
    "status.transcribed_only": ("transcribed only", "только переписано"),
    "status.official_match": ("matches Rosstat", "совпадает с Росстатом"),
    "status.official_differs": ("differs from Rosstat", "расходится с Росстатом"),
    # ---- sections of the paper, as the ledger's sources name them ("<Section> (text)") ---------
    "section.abstract": ("Abstract (text)", "Аннотация (текст)"),
    "section.introduction": ("Introduction (text)", "Введение (текст)"),
    "section.method": ("Method (text)", "Методика (текст)"),
    "section.results": ("Results (text)", "Результаты (текст)"),
    "section.conclusion": ("Conclusion (text)", "Заключение (текст)"),
}

# The kinds of <kind>.<id> keys, for name_of.
KINDS: Final = frozenset(k.split(".", 1)[0] for k in LABELS if "." in k) - {"title"}


def _index(lang: str) -> int:
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, got {lang!r}")
    return LANGS.index(lang)


def label(key: str, lang: str, **fmt: object) -> str:
    """The text of ``key`` in ``lang`` (``en`` or ``ru``), its placeholders filled from ``fmt``.

    Raises KeyError naming ``key`` if the table lacks it, or naming the placeholder ``fmt`` lacks;
    ValueError for an unknown ``lang``.
    """
    i = _index(lang)
    try:
        text = LABELS[key][i]
    except KeyError:
        raise KeyError(f"no label {key!r} in analysis.core.labels.LABELS") from None
    try:
        return text.format(**fmt)
    except KeyError as e:
        raise KeyError(f"label {key!r} needs the placeholder {{{e.args[0]}}}") from None


def name_of(kind: str, item_id: str, lang: str, user: Mapping[str, str] | None = None) -> str:
    """The name of item ``item_id`` of ``kind`` (``product``, ``cargo``, ``activity``, ...) in
    ``lang``: in Russian the name a user's file gives it (``user``, from its ``*_label`` column)
    first; else this table's; else the id itself (an id a user's data bring, unnamed).

    Raises KeyError for an unknown ``kind`` (a typo would otherwise print ids silently).
    """
    _index(lang)
    if kind not in KINDS:
        raise KeyError(f"no kind {kind!r} of names in analysis.core.labels.LABELS; kinds: {sorted(KINDS)}")
    if lang == "ru" and user and user.get(item_id):
        return user[item_id]
    key = f"{kind}.{item_id}"
    return label(key, lang) if key in LABELS else item_id


# Words of the units a user's files state (data/README.md: any unit, e.g. `thousand t`,
# `million kWh`, `thousand Gcal`), English -> Russian; units already in Russian pass unchanged.
UNIT_WORDS: Final[dict[str, tuple[str, str]]] = {
    "thousand": ("thousand", "тыс."),
    "million": ("million", "млн"),
    "billion": ("billion", "млрд"),
    "mln": ("mln", "млн"),
    "bn": ("bn", "млрд"),
    "t": ("t", "т"),
    "tonnes": ("tonnes", "т"),
    "tons": ("tons", "т"),
    "units": ("units", "шт."),
    "pieces": ("pieces", "шт."),
    "m3": ("m3", "м³"),
    "m2": ("m2", "м²"),
    "kwh": ("kWh", "кВт·ч"),
    "gcal": ("Gcal", "Гкал"),
    "persons": ("persons", "чел."),
    "people": ("people", "чел."),
    "rub": ("rub", "руб."),
    "rubles": ("rubles", "руб."),
    "percent": ("percent", "%"),
}
# The next power of a thousand, in either language: a unit shown a thousand times larger.
THOUSANDFOLD: Final[dict[str, str]] = {
    "thousand": "million",
    "тыс.": "млн",
    "million": "billion",
    "млн": "млрд",
}


def unit(text: str, lang: str, *, thousandfold: bool = False) -> str:
    """A user's unit ``text`` in ``lang``, word by word (:data:`UNIT_WORDS`; words it lacks stay
    as written). With ``thousandfold``, the unit a thousand times larger: its leading "thousand"
    (тыс.) becomes "million" (млн), as a figure that shows thousands in millions says."""
    i = _index(lang)
    words = text.split()
    if thousandfold and words:
        first = UNIT_WORDS.get(words[0].lower(), (words[0], words[0]))[0]
        words[0] = THOUSANDFOLD.get(first, THOUSANDFOLD.get(words[0], words[0]))
    return " ".join(UNIT_WORDS[w.lower()][i] if w.lower() in UNIT_WORDS else w for w in words)
