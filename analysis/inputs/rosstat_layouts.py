"""What Rosstat's files are and what they become: the declarative tables the importers follow.

The columns every importer returns (:data:`COLUMNS`, described in :mod:`analysis.inputs.rosstat`)
and those of the import log; the registry kinds kept as rows; the raw files' names (in
``data/raw/rosstat/``); the OKVED sections of each edition as Rosstat names them; and, for the
files of several sheets, which sheets are read with the title, unit and activity each must show.
The importers (:mod:`analysis.inputs.rosstat_importers`, :mod:`analysis.inputs.rosstat_appendix`)
check every sheet against these before reading a number.
"""

from __future__ import annotations

from dataclasses import dataclass

# --- what every importer returns -------------------------------------------------------------

COLUMNS = ["region_id", "okato", "region", "year", "activity", "okved", "value", "unit", "source"]
LOG_COLUMNS = ["table", "source", "row", "action", "reason"]
KEEP_KINDS = {"country", "region", "autonomous_okrug_within", "region_excluding_ao"}

# --- the raw files (data/raw/rosstat/) -------------------------------------------------------

GVA_FILE = "VRP_OKVED2_s2016_gva_structure_2009_2022.xlsx"
POPULATION_FILE = "emiss_population_avg_annual_2000_2023.xlsx"
GRP_FILE = "VRP_total_percapita_1998_2022.xlsx"
GRP_RR2019_FILE = "rr2019_razdel9_VRP.xlsx"
SHIPMENTS_FILE = "shipments_mining_manuf_egw_by_region_2005_2016.xlsx"
FIXED_ASSETS_FILE = "fixed_assets_by_region_2000_2024.xlsx"
PRODUCTION_INDEX_FILE = "m806_MAQ_IND_YTD.csv"
RR2022_INDUSTRY_FILE = "rr2022_section12_industrial_production.xlsx"
RR2022_TRANSPORT_FILE = "rr2022_section16_transport.xlsx"
RR2022_GRP_FILE = "rr2022_section8_grp.xlsx"
RR2022_LABOUR_FILE = "rr2022_section2_labour.xlsx"
RR2022_INVESTMENT_FILE = "rr2022_section10_investment.xlsx"
RR2022_ENTERPRISES_FILE = "rr2022_section11_enterprises.xlsx"

# Section code -> (Russian name as Rosstat prints it in the GVA tables, English name), per edition.
GVA_ACTIVITIES: dict[str, dict[str, tuple[str, str]]] = {
    "OKVED2007": {
        "A": ("Сельское хозяйство, охота и лесное хозяйство", "Agriculture, hunting and forestry"),
        "B": ("Рыболовство, рыбоводство", "Fishing, fish farming"),
        "C": ("Добыча полезных ископаемых", "Mining and quarrying"),
        "D": ("Обрабатывающие производства", "Manufacturing"),
        "E": (
            "Производство и распределение электроэнергии, газа и воды",
            "Electricity, gas and water supply",
        ),
        "F": ("Строительство", "Construction"),
        "G": (
            "Оптовая и розничная торговля; ремонт автотранспортных средств, мотоциклов, бытовых "
            "изделий и предметов личного пользования",
            "Wholesale and retail trade; repair of motor vehicles, motorcycles and personal and "
            "household goods",
        ),
        "H": ("Гостиницы и рестораны", "Hotels and restaurants"),
        "I": ("Транспорт и связь", "Transport and communications"),
        "J": ("Финансовая деятельность", "Financial intermediation"),
        "K": (
            "Операции с недвижимым имуществом, аренда и предоставление услуг",
            "Real estate, renting and business activities",
        ),
        "L": (
            "Государственное управление и обеспечение военной безопасности; социальное страхование",
            "Public administration and defence; compulsory social security",
        ),
        "M": ("Образование", "Education"),
        "N": ("Здравоохранение и предоставление социальных услуг", "Health and social work"),
        "O": (
            "Предоставление прочих коммунальных, социальных и персональных услуг",
            "Other community, social and personal service activities",
        ),
        "P": ("Деятельность домашних хозяйств", "Activities of households"),
    },
    "OKVED2": {
        "A": (
            "Сельское, лесное хозяйство, охота, рыболовство и рыбоводство",
            "Agriculture, forestry, hunting, fishing and fish farming",
        ),
        "B": ("Добыча полезных ископаемых", "Mining and quarrying"),
        "C": ("Обрабатывающие производства", "Manufacturing"),
        "D": (
            "Обеспечение электрической энергией, газом и паром; кондиционирование воздуха",
            "Electricity, gas, steam and air conditioning supply",
        ),
        "E": (
            "Водоснабжение; водоотведение, организация сбора и утилизация отходов, деятельность "
            "по ликвидации загрязнений",
            "Water supply; sewerage, waste management and remediation activities",
        ),
        "F": ("Строительство", "Construction"),
        "G": (
            "Торговля оптовая и розничная; ремонт автотранспортных средств и мотоциклов",
            "Wholesale and retail trade; repair of motor vehicles and motorcycles",
        ),
        "H": ("Транспортировка и хранение", "Transportation and storage"),
        "I": (
            "Деятельность гостиниц и предприятий общественного питания",
            "Accommodation and food service activities",
        ),
        "J": ("Деятельность в области информации и связи", "Information and communication"),
        "K": ("Деятельность финансовая и страховая", "Financial and insurance activities"),
        "L": ("Деятельность по операциям с недвижимым имуществом", "Real estate activities"),
        "M": (
            "Деятельность профессиональная, научная и техническая",
            "Professional, scientific and technical activities",
        ),
        "N": (
            "Деятельность административная и сопутствующие дополнительные услуги",
            "Administrative and support service activities",
        ),
        "O": (
            "Государственное управление и обеспечение военной безопасности; социальное обеспечение",
            "Public administration and defence; compulsory social security",
        ),
        "P": ("Образование", "Education"),
        "Q": (
            "Деятельность в области здравоохранения и социальных услуг",
            "Human health and social work activities",
        ),
        "R": (
            "Деятельность в области культуры, спорта, организации досуга и развлечений",
            "Arts, entertainment and recreation",
        ),
        "S": ("Предоставление прочих видов услуг", "Other service activities"),
        "T": (
            "Деятельность домашних хозяйств как работодателей; недифференцированная деятельность "
            "частных домашних хозяйств по производству товаров и оказанию услуг для "
            "собственного потребления",
            "Activities of households as employers; undifferentiated goods- and "
            "services-producing activities of households for own use",
        ),
    },
}


def okved_edition(year: int) -> str:
    """OKVED edition of Rosstat's GVA-by-activity tables: OKVED-2007 to 2015, OKVED2 from 2016."""
    return "OKVED2007" if year <= 2015 else "OKVED2"


# --- sheets of the files of several sheets ---------------------------------------------------

# SHIPMENTS_FILE: sheet -> (OKVED-2007 section, the activity named in the title)
SHIPMENT_SHEETS = {
    "1": ("C", "Добыча полезных ископаемых"),
    "2": ("D", "Обрабатывающие производства"),
    "3": ("E", "Производство и распределение электроэнергии, газа и воды"),
}

# FIXED_ASSETS_FILE: every sheet's title starts so and names one of these units.
FIXED_ASSETS_UNITS = {"млн рублей": "mln RUB", "тыс. рублей": "thousand RUB", "тыс рублей": "thousand RUB"}
FIXED_ASSETS_TITLE = "Наличие основных фондов на конец года по полной учетной стоимости"


# --- appendix to «Регионы России» (edition with data to 2021) --------------------------------

# RR2022_INDUSTRY_FILE, production indices: sheet -> (title text, activity, OKVED edition)
INDEX_SHEETS = {
    "12.3.1.": ("12.3.1. В соответствии с ОКВЭД (2000-2016", "industry", "OKVED2007"),
    "12.4.1.": ("«Добыча полезных ископаемых»", "mining", "OKVED2007"),
    "12.5.1.": ("«Обрабатывающие производства»", "manufacturing", "OKVED2007"),
    "12.6.": ("«Производство и распределение электроэнергии, газа и воды»", "utilities", "OKVED2007"),
    "12.3.2.": ("12.3.2. В соответствии с ОКВЭД", "industry", "OKVED2"),
    "12.4.2.": ("«Добыча полезных ископаемых»", "mining", "OKVED2"),
    "12.5.2.": ("«Обрабатывающие производства»", "manufacturing", "OKVED2"),
    "12.7.": ("«Обеспечение электрической энергией, газом и паром", "energy", "OKVED2"),
    "12.8.": ("«Водоснабжение; водоотведение", "water_waste", "OKVED2"),
}


# RR2022_INDUSTRY_FILE, shipments by OKVED2: sheet -> (title text, OKVED2 section)
SHIPMENT_OKVED2_SHEETS = {
    "12.2.2.": ("12.2.2. «Добыча полезных ископаемых»", "B"),
    "12.2.4.": ("12.2.4. «Обрабатывающие производства»", "C"),
    "12.2.6.": ("12.2.6. «Обеспечение электрической энергией, газом и паром", "D"),
    "12.2.7.": ("12.2.7. «Водоснабжение; водоотведение", "E"),
}


@dataclass(frozen=True)
class OneSheet:
    """A table of the appendix to «Регионы России» that is one sheet with one quantity: where it is,
    how its title rows read, and what it becomes (read by
    :func:`analysis.inputs.rosstat_appendix.appendix_sheet`)."""

    file: str
    sheet: str
    title: str
    unit_text: str
    unit: str
    activity: str
    total_label: str | None = None
    times_as_percent: bool = False


# importer name -> its one sheet
ONE_SHEET = {
    "rail_dispatch": OneSheet(
        RR2022_TRANSPORT_FILE,
        "16.1.",
        "ОТПРАВЛЕНИЕ ГРУЗОВ ЖЕЛЕЗНОДОРОЖНЫМ ТРАНСПОРТОМ",
        "миллионов тонн",
        "million t",
        "rail_dispatch",
    ),
    "grp_volume_index": OneSheet(
        RR2022_GRP_FILE,
        "8.3.",
        "8.3. ИНДЕКС ФИЗИЧЕСКОГО ОБЪЕМА ВАЛОВОГО РЕГИОНАЛЬНОГО ПРОДУКТА",
        "в процентах к предыдущему году",
        "percent of previous year",
        "grp_volume",
        total_label="Валовой региональный продукт по субъектам Российской Федерации",
        times_as_percent=True,
    ),
    "employment_total": OneSheet(
        RR2022_LABOUR_FILE,
        "2.3.",
        "2.3. СРЕДНЕГОДОВАЯ ЧИСЛЕННОСТЬ ЗАНЯТЫХ",
        "тысяч человек",
        "thousand persons",
        "total",
    ),
    "investment_total": OneSheet(
        RR2022_INVESTMENT_FILE,
        "10.1.",
        "10.1. ИНВЕСТИЦИИ В ОСНОВНОЙ КАПИТАЛ",
        "миллионов рублей",
        "mln RUB",
        "total",
    ),
    "turnover_total": OneSheet(
        RR2022_ENTERPRISES_FILE, "11.2.", "11.2. ОБОРОТ ОРГАНИЗАЦИЙ", "миллиардов рублей", "bn RUB", "total"
    ),
    "electricity_production": OneSheet(
        RR2022_INDUSTRY_FILE,
        "12.10.",
        "12.10. ПРОИЗВОДСТВО ЭЛЕКТРОЭНЕРГИИ",
        "миллиардов киловатт-часов",
        "bn kWh",
        "electricity",
    ),
}
