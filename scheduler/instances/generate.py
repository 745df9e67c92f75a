"""Realistic scenarios of any size, satisfiable by construction, for benchmarks and tests.

    python -m scheduler.instances.generate --classes 8 --days 7 --sites 40 --lecturers 16 --seed 1 > gen.yaml

A made-up province: cities clustered around a capital, each with lodging; field-teaching sites of
every kind around the cities (a few remote ones in the hills), with opening days, hours and
closed dates; lecturers with topics, home towns and absences; themed classes based in the
cities; and requirements that are demanding but can be met.

How "can be met" is ensured: before writing the requirements, the generator plans a simple
**witness** itinerary by hand-made rules (every class sleeps at its base every night and makes
day trips to nearby sites, one class per site per day; at most one lecture a class a day, in the
morning, given by a qualified lecturer who is at home that day and is not already teaching that
day; seminars and report writing in the evenings; each day laid out by the day simulation the
solver's construction uses, ``scheduler.plan.day``). The requirements are then set at or below
what that witness achieves (field share a little below, seminar and report-writing hours,
red-education visits, must-visit sites among the sites it visits, lectures only where it found a
lecturer), and the witness is checked against the finished scenario by the independent checker
(``scheduler.analysis.check``). A scenario whose witness breaks a rule is never written: that
would be a bug here, and ``generate()`` raises.

Same options, same seed: the same bytes (``random.Random`` seeded from the options only, no
clock, no set iteration order).
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import random
import re
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

from scheduler.analysis.check import check
from scheduler.plan.day import DaySimulator, Drive, Visit
from scheduler.plan.figures import class_figures
from scheduler.plan.model import Event, Night, Plan
from scheduler.plan.realism import PROGRAMME_KINDS
from scheduler.scenario.model import Scenario, Site, Weekday, on_step, parse_clock
from scheduler.scenario.travel import TravelTable

GENERATOR_VERSION = 2
"""Bumped whenever the same options would give a different file."""

KM_PER_DEGREE = 111.2

# ---------------------------------------------------------------------------
# Vocabulary: names, themes, topics, kinds of site

SYLLABLES: tuple[tuple[str, str], ...] = (
    ("青", "qing"), ("河", "he"), ("安", "an"), ("平", "ping"), ("山", "shan"), ("阳", "yang"),
    ("东", "dong"), ("西", "xi"), ("南", "nan"), ("北", "bei"), ("金", "jin"), ("宁", "ning"),
    ("兴", "xing"), ("华", "hua"), ("丰", "feng"), ("昌", "chang"), ("林", "lin"), ("泉", "quan"),
    ("江", "jiang"), ("海", "hai"), ("新", "xin"), ("远", "yuan"), ("德", "de"), ("石", "shi"),
    ("松", "song"), ("桃", "tao"), ("云", "yun"), ("龙", "long"), ("湖", "hu"), ("春", "chun"),
    ("秀", "xiu"), ("永", "yong"), ("祥", "xiang"), ("福", "fu"), ("广", "guang"), ("宝", "bao"),
    ("岭", "ling"), ("峰", "feng"), ("川", "chuan"), ("桥", "qiao"), ("口", "kou"), ("台", "tai"),
    ("营", "ying"), ("城", "cheng"), ("庄", "zhuang"), ("柳", "liu"), ("梅", "mei"), ("沙", "sha"),
)  # fmt: skip

SURNAMES = (
    ("王", "Wang"), ("李", "Li"), ("张", "Zhang"), ("刘", "Liu"), ("陈", "Chen"), ("杨", "Yang"),
    ("赵", "Zhao"), ("黄", "Huang"), ("周", "Zhou"), ("吴", "Wu"), ("徐", "Xu"), ("孙", "Sun"),
    ("马", "Ma"), ("朱", "Zhu"), ("胡", "Hu"), ("郭", "Guo"), ("何", "He"), ("高", "Gao"),
    ("林", "Lin"), ("罗", "Luo"), ("郑", "Zheng"), ("梁", "Liang"), ("谢", "Xie"), ("宋", "Song"),
)  # fmt: skip
GIVEN_NAMES = (
    ("明", "Ming"), ("华", "Hua"), ("丽", "Li"), ("军", "Jun"), ("伟", "Wei"), ("芳", "Fang"),
    ("敏", "Min"), ("静", "Jing"), ("强", "Qiang"), ("磊", "Lei"), ("洋", "Yang"), ("艳", "Yan"),
    ("勇", "Yong"), ("杰", "Jie"), ("涛", "Tao"), ("超", "Chao"), ("霞", "Xia"), ("刚", "Gang"),
    ("建国", "Jianguo"), ("志强", "Zhiqiang"), ("海燕", "Haiyan"), ("晓东", "Xiaodong"),
    ("文博", "Wenbo"), ("思远", "Siyuan"), ("红梅", "Hongmei"), ("国栋", "Guodong"),
)  # fmt: skip


@dataclass(frozen=True)
class ThemeSpec:
    id: str
    name_zh: str
    name_en: str
    topics: tuple[tuple[str, str, str], ...]  # (id, zh, en)
    bureau: tuple[str, str]  # the department its lecturers come from (zh, en)


THEMES: tuple[ThemeSpec, ...] = (
    ThemeSpec("economy", "推进经济高质量发展", "High-quality economic development",
              (("high_quality_development", "推进高质量发展", "Promoting high-quality development"),
               ("industrial_upgrading", "产业转型升级", "Industrial upgrading")),
              ("发展和改革委员会", "Development and Reform Commission")),
    ThemeSpec("rural", "乡村振兴", "Rural revitalisation",
              (("rural_revitalisation", "乡村振兴战略", "The rural revitalisation strategy"),
               ("rural_land_system", "农村土地制度", "The rural land system")),
              ("农业农村厅", "Department of Agriculture and Rural Affairs")),
    ThemeSpec("urban", "城市建设与治理", "Urban construction and governance",
              (("urban_planning", "城市规划建设与管理", "Urban planning, construction and management"),
               ("urban_renewal", "城市更新", "Urban renewal")),
              ("住房和城乡建设厅", "Department of Housing and Urban-Rural Development")),
    ThemeSpec("private", "民营经济发展", "Private-sector development",
              (("private_economy", "民营经济发展形势与政策", "The private economy: situation and policy"),
               ("business_environment", "优化营商环境", "Improving the business environment")),
              ("工商业联合会", "Federation of Industry and Commerce")),
    ThemeSpec("innovation", "科技创新", "Science and technology innovation",
              (("innovation_driven", "创新驱动发展", "Innovation-driven development"),
               ("tech_transfer", "科技成果转化", "Turning research into products")),
              ("科学技术厅", "Department of Science and Technology")),
    ThemeSpec("ecology", "生态文明建设", "Ecological civilisation",
              (("ecological_protection", "生态环境保护", "Protecting the environment"),
               ("green_development", "绿色低碳发展", "Green, low-carbon development")),
              ("生态环境厅", "Department of Ecology and Environment")),
    ThemeSpec("grassroots", "基层党建与社会治理", "Grassroots Party building and governance",
              (("grassroots_governance", "基层社会治理", "Grassroots social governance"),
               ("party_building", "基层党建", "Party building at the grassroots")),
              ("委组织部", "Organisation Department")),
    ThemeSpec("culture", "文化和旅游融合发展", "Culture and tourism",
              (("cultural_heritage", "文化遗产保护与利用", "Cultural heritage"),
               ("tourism_development", "文旅融合发展", "Developing culture and tourism together")),
              ("文化和旅游厅", "Department of Culture and Tourism")),
    ThemeSpec("opening", "扩大对外开放", "Opening up",
              (("free_trade_zone", "自由贸易试验区建设", "Building the free trade zone"),
               ("foreign_investment", "外贸与招商引资", "Trade and attracting investment")),
              ("商务厅", "Department of Commerce")),
    ThemeSpec("digital", "数字政府建设", "Digital government",
              (("digital_government", "数字政府建设", "Building digital government"),
               ("data_governance", "数据治理", "Data governance")),
              ("大数据管理局", "Big Data Administration")),
)  # fmt: skip

GENERAL_TOPICS = (
    ("party_spirit", "党性修养与理想信念", "Party spirit and ideals"),
    ("policy_briefing", "形势与政策", "The situation and policy"),
    ("leadership", "领导力与执行力", "Leadership and getting things done"),
    ("integrity", "廉洁从政", "Integrity in office"),
)
ALL_THEMES = "*"


@dataclass(frozen=True)
class SiteType:
    """A kind of site with its names, themes, opening days, hours and visit lengths."""

    kind: str
    name_zh: str  # "{town}" is replaced
    name_en: str
    themes: tuple[str, ...]  # theme ids it may serve; ALL_THEMES: every theme (red education)
    weekdays: tuple[tuple[str, ...], ...]  # choices
    hours: tuple[tuple[str, str], ...]  # choices
    visit_minutes: tuple[int, ...]
    capacity: tuple[int, ...] = (1,)
    red_education: bool | None = None  # None: the kind's default
    remote: bool = False  # may lie in the hills, far from any city


EVERY_DAY = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WORKDAYS = ("mon", "tue", "wed", "thu", "fri")
MON_SAT = ("mon", "tue", "wed", "thu", "fri", "sat")
TUE_SUN = ("tue", "wed", "thu", "fri", "sat", "sun")

SITE_TYPES: tuple[tuple[SiteType, int], ...] = (  # (type, weight)
    (SiteType("enterprise", "{town}装备制造集团", "{Town} Equipment Manufacturing Group",
              ("economy", "private", "innovation"), (WORKDAYS, MON_SAT),
              (("08:30", "17:00"), ("09:00", "16:30")), (60, 90, 120)), 6),
    (SiteType("enterprise", "{town}新材料股份有限公司", "{Town} New Materials Co.",
              ("economy", "private", "innovation"), (WORKDAYS, MON_SAT),
              (("08:30", "17:00"), ("09:00", "16:30")), (60, 90)), 5),
    (SiteType("enterprise", "{town}港口物流园", "{Town} Port Logistics Park",
              ("opening", "economy"), (MON_SAT,), (("08:30", "17:00"),), (60, 90)), 4),
    (SiteType("enterprise", "{town}电商产业园", "{Town} E-commerce Park",
              ("digital", "private", "rural"), (MON_SAT, EVERY_DAY), (("09:00", "17:30"),), (60, 90)), 4),
    (SiteType("village", "{town}村", "{Town} Village",
              ("rural", "grassroots", "ecology"), (EVERY_DAY,), (("08:00", "17:30"),), (90, 120),
              remote=True), 12),
    (SiteType("village", "{town}民宿村", "{Town} Guesthouse Village",
              ("rural", "culture"), (EVERY_DAY,), (("08:00", "17:30"),), (90, 120), remote=True), 5),
    (SiteType("community", "{town}社区", "{Town} Community",
              ("urban", "grassroots", "digital"), (EVERY_DAY, MON_SAT), (("08:30", "17:30"),), (60, 90)), 12),
    (SiteType("memorial", "{town}革命烈士纪念馆", "{Town} Revolutionary Martyrs' Memorial",
              (ALL_THEMES,), (TUE_SUN,), (("08:30", "16:30"), ("09:00", "17:00")), (60, 90), (2, 3),
              remote=True), 6),
    (SiteType("memorial", "{town}抗战纪念馆", "{Town} War of Resistance Memorial",
              (ALL_THEMES,), (TUE_SUN,), (("09:00", "16:30"),), (90, 120), (2, 3), remote=True), 4),
    (SiteType("memorial", "{town}会议旧址", "{Town} Historic Meeting Site",
              (ALL_THEMES,), (TUE_SUN, EVERY_DAY), (("08:30", "17:00"),), (60,), (2,), remote=True), 3),
    (SiteType("museum", "{town}党史馆", "{Town} Party History Museum",
              (ALL_THEMES,), (TUE_SUN,), (("09:00", "16:30"),), (60, 90), (2, 3)), 3),
    (SiteType("museum", "{town}工业博物馆", "{Town} Industrial Museum",
              ("economy", "innovation"), (TUE_SUN,), (("09:00", "16:00"),), (90, 120), (2,),
              red_education=False), 2),
    (SiteType("museum", "{town}民俗博物馆", "{Town} Folk Museum",
              ("culture",), (TUE_SUN,), (("09:00", "16:30"),), (60, 90), (2,), red_education=False), 2),
    (SiteType("government", "{town}政务服务中心", "{Town} Government Service Centre",
              ("digital", "urban", "private"), (WORKDAYS,), (("08:30", "17:00"),), (60, 90)), 5),
    (SiteType("government", "{town}综合执法指挥中心", "{Town} Urban Management Centre",
              ("urban", "grassroots", "digital"), (WORKDAYS,), (("08:30", "17:00"),), (60,)), 3),
    (SiteType("school", "{town}职业技术学院", "{Town} Vocational and Technical College",
              ("innovation", "culture"), (WORKDAYS,), (("08:00", "16:30"),), (60, 90)), 4),
    (SiteType("school", "{town}农业科技示范基地", "{Town} Agricultural Science Demonstration Base",
              ("rural", "innovation"), (MON_SAT,), (("08:00", "17:00"),), (90,), remote=True), 2),
    (SiteType("park", "{town}高新技术产业园", "{Town} High-Tech Industrial Park",
              ("innovation", "economy", "opening"), (MON_SAT,), (("08:30", "17:00"),), (90, 120), (2,)), 4),
    (SiteType("park", "{town}湿地公园", "{Town} Wetland Park",
              ("ecology", "culture"), (EVERY_DAY,), (("08:00", "17:30"),), (60, 90, 120), (2, 3),
              remote=True), 3),
    (SiteType("other", "{town}乡村振兴展示馆", "{Town} Rural Revitalisation Exhibition Hall",
              ("rural", "ecology"), (TUE_SUN, EVERY_DAY), (("09:00", "17:00"),), (60,)), 2),
    (SiteType("other", "{town}数字经济展示中心", "{Town} Digital Economy Showroom",
              ("digital", "innovation", "opening"), (MON_SAT,), (("09:00", "17:00"),), (60,)), 2),
)  # fmt: skip


# ---------------------------------------------------------------------------
# Options and result


@dataclass(frozen=True)
class GeneratorOptions:
    """What to generate: the size of the programme and the seed."""

    classes: int
    days: int
    sites: int
    lecturers: int
    seed: int = 0

    def __post_init__(self) -> None:
        for name, least in (("classes", 1), ("days", 1), ("sites", 1), ("lecturers", 0)):
            if getattr(self, name) < least:
                raise ValueError(f"{name} must be at least {least}, not {getattr(self, name)}")
        if self.days > 366:
            raise ValueError(f"days must be at most 366, not {self.days}")

    def command(self) -> str:
        return (
            f"python -m scheduler.instances.generate --classes {self.classes} --days {self.days} "
            f"--sites {self.sites} --lecturers {self.lecturers} --seed {self.seed}"
        )


@dataclass(frozen=True)
class WitnessFigures:
    """What the witness plan achieves, over all classes (the requirements are set from these)."""

    least_field_share: float
    least_seminar_class_hours: int
    least_report_writing_class_hours: int
    least_red_education_visits: int
    lectures: int
    visits: int


@dataclass(frozen=True)
class Generated:
    """A generated scenario: as YAML-ready data and as text, validated, with its witness plan."""

    options: GeneratorOptions
    data: dict[str, Any]
    scenario: Scenario
    witness: Plan
    figures: WitnessFigures
    text: str


def generate(options: GeneratorOptions) -> Generated:
    """Generate a scenario and a plan that keeps every hard rule of it.

    Raises
    ------
    RuntimeError
        If the witness plan breaks a rule of the scenario (a bug in the generator).
    """
    return _Generator(options).run()


def scenario_yaml(options: GeneratorOptions) -> str:
    """The generated scenario as YAML text (what the command prints)."""
    return generate(options).text


# ---------------------------------------------------------------------------
# The generator


@dataclass
class _City:
    id: str
    name_zh: str
    name_en: str
    lat: float
    lon: float
    capital: bool = False


@dataclass
class _ClassSpec:
    id: str
    theme: ThemeSpec
    base: str
    start_place: str
    trainees: int
    data: dict[str, Any]
    lectures: list[tuple[int, str, str]] = field(default_factory=list)  # (day, topic, lecturer)


class _Names:
    """Two-syllable place names, never the same twice."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used_zh: set[str] = set()
        self.used_ids: set[str] = set()

    def town(self) -> tuple[str, str]:
        for _ in range(1000):
            (a_zh, a_py), (b_zh, b_py) = self.rng.sample(SYLLABLES, 2)
            zh, py = a_zh + b_zh, a_py + b_py
            if zh not in self.used_zh:
                self.used_zh.add(zh)
                return zh, py
        raise RuntimeError("ran out of place names")

    def unique_id(self, stem: str) -> str:
        candidate, number = stem, 2
        while candidate in self.used_ids:
            candidate, number = f"{stem}{number}", number + 1
        self.used_ids.add(candidate)
        return candidate


def _stream(options: GeneratorOptions, part: str) -> random.Random:
    """An independent random stream per part of the scenario, seeded from the options only."""
    return random.Random(f"scheduler.generate/v{GENERATOR_VERSION}/{options.seed}/{part}")


def _offset(lat: float, lon: float, km: float, angle: float) -> tuple[float, float]:
    dlat = km * math.cos(angle) / KM_PER_DEGREE
    dlon = km * math.sin(angle) / (KM_PER_DEGREE * math.cos(math.radians(lat)))
    return round(lat + dlat, 4), round(lon + dlon, 4)


def _flat_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    dlat = (a[0] - b[0]) * KM_PER_DEGREE
    dlon = (a[1] - b[1]) * KM_PER_DEGREE * math.cos(math.radians(a[0]))
    return math.hypot(dlat, dlon)


class _Generator:
    def __init__(self, options: GeneratorOptions):
        self.options = options
        self.rng = _stream(options, "main")
        self.names = _Names(_stream(options, "names"))

    # -- the world -----------------------------------------------------------
    def run(self) -> Generated:
        o = self.options
        rng = self.rng
        province_zh, province_py = self.names.town()
        self.province = (province_zh + "省", province_py.capitalize() + " Province")
        year = 2025 + rng.randrange(2)
        first = dt.date(year, 3, 2) + dt.timedelta(weeks=rng.randrange(30))
        first -= dt.timedelta(days=first.weekday())  # a Monday ...
        first -= dt.timedelta(days=rng.choice((0, 1)))  # ... or the Sunday before
        self.first_date = first
        self.dates = [first + dt.timedelta(days=d) for d in range(o.days)]

        self.cities = self._cities()
        self.themes = self._themes()
        self.topics = self._topics()
        self.site_data = self._sites()
        self.lecturer_data = self._lecturers()
        self.class_specs = self._classes()
        self.programme = self._programme()
        self.limits = self._limits()
        self.lodging = self._lodging()
        self.travel = self._travel()
        self.fixed_requirements = self._fixed_requirements()

        world = self._data(requirements={"default": dict(self.fixed_requirements)})
        self.world = Scenario.model_validate(world)
        self.table = TravelTable(self.world)
        witness = _Witness(self, self.world, self.table, _stream(o, "witness")).build()
        requirements, figures = self._requirements(witness)
        data = self._data(requirements=requirements)
        scenario = Scenario.model_validate(data)
        violations = check(scenario, witness, self.table)
        if violations:
            lines = "\n".join(f"- [{v.rule}] {v}" for v in violations)
            raise RuntimeError(f"generator bug: the witness plan breaks the generated scenario:\n{lines}")
        text = self._header(figures, witness) + _dump(data)
        return Generated(o, data, scenario, witness, figures, text)

    def _cities(self) -> list[_City]:
        o, rng = self.options, self.rng
        count = max(2, min(14, round(2 + 1.6 * math.sqrt(o.classes)), max(2, o.sites // 2)))
        radius = 80 + 10 * count
        centre = (round(rng.uniform(30.0, 42.0), 4), round(rng.uniform(108.0, 122.0), 4))
        cities: list[_City] = []
        for index in range(count):
            for _attempt in range(500):
                if index == 0:
                    lat, lon = centre
                else:
                    distance = radius * math.sqrt(rng.uniform(0.12, 1.0))
                    lat, lon = _offset(*centre, distance, rng.uniform(0, 2 * math.pi))
                if all(_flat_km((lat, lon), (c.lat, c.lon)) >= 30 for c in cities):
                    break
            zh, py = self.names.town()
            suffix_zh = "市" if index == 0 or rng.random() < 0.6 else "县"
            suffix_en = "" if suffix_zh == "市" else " County"
            cities.append(
                _City(self.names.unique_id(py), zh + suffix_zh, py.capitalize() + suffix_en, lat, lon, index == 0)
            )
        return cities

    def _themes(self) -> list[ThemeSpec]:
        classes = self.options.classes
        count = min(len(THEMES), max(min(classes, 2), math.ceil(classes / 2)))
        return self.rng.sample(THEMES, count)

    def _topics(self) -> list[tuple[str, str, str]]:
        topics = [topic for theme in self.themes for topic in theme.topics]
        return topics + list(GENERAL_TOPICS)

    def _sites(self) -> list[dict[str, Any]]:
        o, rng = self.options, self.rng
        used_themes = [t.id for t in self.themes]
        types, weights = zip(*SITE_TYPES, strict=True)
        # one of each kind first (as far as the count allows), then by weight
        first_of_kind: list[SiteType] = []
        for site_type in types:
            if site_type.kind not in {t.kind for t in first_of_kind}:
                first_of_kind.append(site_type)
        rng.shuffle(first_of_kind)
        chosen = first_of_kind[: o.sites] + rng.choices(types, weights, k=max(0, o.sites - len(first_of_kind)))
        city_weights = [3 if c.capital else 2 for c in self.cities]
        self.site_places: list[dict[str, Any]] = []
        sites = []
        for index, site_type in enumerate(chosen):
            # spread sites over the cities in turn (then by weight), so every city has some
            city = self.cities[index] if index < len(self.cities) else rng.choices(self.cities, city_weights)[0]
            remote = site_type.remote and rng.random() < 0.25
            distance = rng.uniform(40, 90) if remote else rng.uniform(3, 30)
            lat, lon = _offset(city.lat, city.lon, distance, rng.uniform(0, 2 * math.pi))
            town_zh, town_py = self.names.town()
            site_id = self.names.unique_id(f"{town_py}_{site_type.kind}")
            name_zh = site_type.name_zh.format(town=town_zh)
            name_en = site_type.name_en.format(Town=town_py.capitalize())
            self.site_places.append(
                {"id": site_id, "name_zh": name_zh, "name_en": name_en, "lat": lat, "lon": lon, "city": city.name_en}
            )
            if site_type.themes == (ALL_THEMES,):
                themes = used_themes
            else:
                fitting = [t for t in site_type.themes if t in used_themes]
                themes = sorted(rng.sample(fitting, min(len(fitting), rng.choice((1, 2)))), key=used_themes.index)
            hours = rng.choice(site_type.hours)
            site: dict[str, Any] = {
                "id": site_id,
                "place": site_id,
                "kind": site_type.kind,
                "themes": themes,
                "visit_minutes": rng.choice(site_type.visit_minutes),
                "capacity_classes": rng.choice(site_type.capacity),
                "open_weekdays": list(rng.choice(site_type.weekdays)),
                "hours": {"open": hours[0], "close": hours[1]},
                "value": rng.choice((0, 1, 1, 2, 2, 3)),
            }
            if site_type.red_education is not None:
                site["red_education"] = site_type.red_education
            if site_type.kind in ("museum", "memorial") and rng.random() < 0.3:
                site["capacity_trainees"] = rng.choice((100, 120, 150))
            if rng.random() < 0.12:
                closed = sorted(set(rng.sample(self.dates, min(len(self.dates), rng.choice((1, 1, 2))))))
                site["closed_dates"] = closed
            if site["open_weekdays"] == list(EVERY_DAY):
                del site["open_weekdays"]
            if not themes:
                del site["themes"]
            sites.append(site)
        return sites

    def _lecturers(self) -> list[dict[str, Any]]:
        o, rng = self.options, self.rng
        # topics in the order they most need a second lecturer: party spirit, each theme's first
        # topic, each theme's second, the other general topics
        order = [GENERAL_TOPICS[0][0]]
        order += [t.topics[0][0] for t in self.themes] + [t.topics[1][0] for t in self.themes]
        order += [t[0] for t in GENERAL_TOPICS[1:]]
        theme_of = {topic[0]: theme for theme in self.themes for topic in theme.topics}
        home_weights = [6 if c.capital else 1 for c in self.cities]
        lecturers = []
        used_names: set[str] = set()
        for index in range(o.lecturers):
            primary = order[(index // 2) % len(order)]
            topics = [primary]
            for extra_chance in (0.45, 0.15):
                if rng.random() < extra_chance:
                    extra = rng.choice(order)
                    if extra not in topics:
                        topics.append(extra)
            home = rng.choices(self.cities, home_weights)[0]
            for _ in range(100):
                (s_zh, s_en), (g_zh, g_en) = rng.choice(SURNAMES), rng.choice(GIVEN_NAMES)
                if s_zh + g_zh not in used_names:
                    break
            used_names.add(s_zh + g_zh)
            theme = theme_of.get(primary)
            unit = "委党校" if theme is None else theme.bureau[0]
            if home.capital:
                affiliation = f"{self.province[0]}{unit}"
            else:  # a city's departments are bureaux (局), a province's departments (厅)
                affiliation = f"{home.name_zh}{unit.replace('厅', '局')}"
            lecturer: dict[str, Any] = {
                "id": self.names.unique_id(f"lect_{s_en.lower()}_{g_en.lower()}"),
                "name_zh": s_zh + g_zh,
                "name_en": f"{s_en} {g_en}",
                "affiliation": affiliation,
                "topics": topics,
                "home": home.id,
                "max_sessions_per_day": rng.choice((1, 2, 2)),
            }
            if rng.random() < 0.2:
                lecturer["max_sessions"] = max(2, o.days // 2)
            away: list[dict[str, Any]] = []
            whole_days = rng.choices((0, 1, 2), (50, 35, 15))[0]
            for date in sorted(rng.sample(self.dates, min(whole_days, max(0, o.days - 1)))):
                away.append({"date": date})
            if rng.random() < 0.25:
                date = rng.choice(self.dates)
                if date not in [a["date"] for a in away]:
                    start, end = rng.choice((("08:00", "12:00"), ("13:30", "18:00")))
                    away.append({"date": date, "start": start, "end": end})
            if away:
                lecturer["unavailable"] = sorted(away, key=lambda a: a["date"])
            lecturers.append(lecturer)
        return lecturers

    def _classes(self) -> list[_ClassSpec]:
        o, rng = self.options, self.rng
        # bases: the capital twice in each round, every other city once
        rounds: list[_City] = []
        while len(rounds) < o.classes:
            batch = [c for c in self.cities for _ in range(2 if c.capital else 1)]
            rng.shuffle(batch)
            rounds += batch
        bases = rounds[: o.classes]
        numbers: Counter[str] = Counter()
        specs = []
        for index in range(o.classes):
            theme = self.themes[index % len(self.themes)]
            numbers[theme.id] += 1
            number = numbers[theme.id]
            base = bases[index]
            start = base
            if o.days >= 3 and rng.random() < 0.15:
                near = [c for c in self.cities if c is not base and _flat_km((c.lat, c.lon), (base.lat, base.lon)) < 70]
                if near:
                    start = rng.choice(near)
            (s_zh, s_en), (g_zh, g_en) = rng.choice(SURNAMES), rng.choice(GIVEN_NAMES)
            class_id = f"{theme.id}_{number}"
            data: dict[str, Any] = {
                "id": class_id,
                "name_zh": f"{theme.name_zh}专题培训班(第{number}期·{base.name_zh})",
                "name_en": f"{theme.name_en} class {number} ({base.name_en})",
                "theme": theme.id,
                "trainees": rng.randint(30, 60),
                "base": base.id,
            }
            if start is not base:
                data["start_place"] = start.id
            data["professor"] = {
                "id": self.names.unique_id(f"prof_{s_en.lower()}_{g_en.lower()}"),
                "name_zh": f"{s_zh}{g_zh}教授",
                "name_en": f"Prof. {s_en} {g_en}",
                "affiliation": f"{self.province[0]}委党校",
            }
            specs.append(_ClassSpec(class_id, theme, base.id, start.id, data["trainees"], data))
        return specs

    def _programme(self) -> dict[str, Any]:
        rng = self.rng
        evening_end, quiet = rng.choice((("21:30", "22:30"), ("22:00", "23:00")))
        programme: dict[str, Any] = {
            "name_zh": f"{self.province[0]}{self.first_date.year}年干部专题培训班(生成)",
            "name_en": f"{self.province[1]} officials' themed training {self.first_date.year} (generated)",
            "organiser": f"中共{self.province[0]}委组织部",
            "first_date": self.first_date,
            "days": self.options.days,
            "language": "zh",
            "minutes_per_class_hour": 45,
            "frame": {
                "earliest_departure": "07:30",
                "lunch": {"earliest": "11:30", "latest": "13:30", "minutes": 60},
                "dinner": {"start": "18:00", "end": "19:00"},
                "evening": {"start": "19:00", "end": evening_end},
                "quiet_hours_from": quiet,
                "late_evening_after": evening_end,
            },
        }
        if self.options.days >= 2:
            programme["day_overrides"] = [{"day": self.options.days, "latest_return": "16:00"}]
        return programme

    def _limits(self) -> dict[str, Any]:
        rng = self.rng
        return {
            "max_coach_minutes_per_day": rng.choice((360, 420)),
            "max_continuous_drive_minutes": 240,
            "rest_stop_minutes": 20,
            "latest_return": "18:00",
            "max_teaching_minutes_per_day": 600,
            "lecturer_max_travel_minutes": rng.choice((180, 240)),
        }

    def _lodging(self) -> list[dict[str, Any]]:
        based = Counter(spec.base for spec in self.class_specs)
        lodging = []
        for city in self.cities:
            rooms = based[city.id] + self.rng.randint(1, 3) + (1 if city.capital else 0)
            lodging.append({"place": city.id, "classes_per_night": rooms})
        return lodging

    def _travel(self) -> dict[str, Any]:
        rng = self.rng
        road_factor, speed = 1.3, rng.choice((70, 75, 80))
        overrides = []
        pairs = [
            (a, b)
            for i, a in enumerate(self.cities)
            for b in self.cities[i + 1 :]
            if 40 < _flat_km((a.lat, a.lon), (b.lat, b.lon)) < 150
        ]
        for a, b in rng.sample(pairs, min(len(pairs), len(self.cities) // 3)):
            km = _flat_km((a.lat, a.lon), (b.lat, b.lon)) * road_factor
            minutes = math.ceil(km / speed * 60 * rng.uniform(1.2, 1.45))
            overrides.append({"from": a.id, "to": b.id, "minutes": minutes, "km": round(km * 1.1, 1)})
        travel: dict[str, Any] = {"road_factor": road_factor, "coach_speed_kmh": speed}
        if overrides:
            travel["overrides"] = overrides
        return travel

    def _fixed_requirements(self) -> dict[str, Any]:
        rng = self.rng
        frame_evening = parse_clock(self.programme["frame"]["evening"]["end"]) - parse_clock("19:00")
        return {
            "lecture_class_hours": 2,
            "max_seminar_class_hours_per_evening": min(4, frame_evening // 45),
            "max_visits_per_day": 3,
            "opening_minutes": rng.choice((30, 45, 60)),
            "presentation_minutes": rng.choice((45, 60, 90)) if self.options.days >= 2 else 45,
            "closing_minutes": 30,
        }

    # -- requirements from the witness ------------------------------------------
    def _requirements(self, witness: Plan) -> tuple[dict[str, Any], WitnessFigures]:
        rng = self.rng
        figures = class_figures(self.world, witness)
        per_hour = 45
        share = min(f.field_share for f in figures.values())
        seminar = min(f.seminar_minutes for f in figures.values()) // per_hour
        report = min(f.report_writing_minutes for f in figures.values()) // per_hour
        red = min(f.red_education_visits for f in figures.values())
        default = dict(self.fixed_requirements)
        default["min_field_share"] = max(0.0, math.floor((share - 0.02) * 100) / 100)
        # two to two and a half class hours an evening, as such programmes hold, never above the witness
        default["min_seminar_class_hours"] = min(seminar, round(self.options.days * rng.uniform(2.0, 2.6)))
        default["min_report_writing_class_hours"] = report
        default["min_red_education_visits"] = min(2, red)
        by_class: dict[str, Any] = {}
        visited_by = {cid: list(f.sites_visited) for cid, f in figures.items()}
        busy_days = {(e.class_id, e.date) for e in witness.events if e.kind in PROGRAMME_KINDS}
        for spec in self.class_specs:
            entry: dict[str, Any] = {}
            dates = (self.first_date + dt.timedelta(days=d) for d in range(self.options.days))
            if any((spec.id, date) not in busy_days for date in dates):
                # the witness leaves a day without a visit or a session (every site it could reach
                # was closed): the requirement is what the witness achieves, so the class may too
                entry["programme_every_day"] = False
            lectures = Counter(topic for _day, topic, _lecturer in spec.lectures)
            if lectures:
                entry["lectures"] = {topic: lectures[topic] for topic in sorted(lectures, key=self._topic_order)}
            visited = visited_by[spec.id]
            fitting = [s for s in visited if spec.theme.id in self.world.site(s).themes]
            pool = fitting if len(fitting) >= 2 else visited
            count = min(len(pool), rng.choice((1, 2, 2, 3)))
            if count:
                entry["must_visit"] = sorted(rng.sample(pool, count), key=visited.index)
            if rng.random() < 0.2:
                others = [s["id"] for s in self.site_data if s["id"] not in visited]
                if others:
                    entry["never_visit"] = [rng.choice(others)]
            if entry:
                by_class[spec.id] = entry
        result = WitnessFigures(
            least_field_share=share,
            least_seminar_class_hours=seminar,
            least_report_writing_class_hours=report,
            least_red_education_visits=red,
            lectures=sum(len(s.lectures) for s in self.class_specs),
            visits=sum(len(v) for v in visited_by.values()),
        )
        return {"default": default, "by_class": by_class}, result

    def _topic_order(self, topic: str) -> int:
        return [t[0] for t in self.topics].index(topic)

    # -- output --------------------------------------------------------------
    def _data(self, requirements: dict[str, Any]) -> dict[str, Any]:
        places = [
            {"id": c.id, "name_zh": c.name_zh, "name_en": c.name_en, "lat": c.lat, "lon": c.lon}
            | ({"note": "provincial capital"} if c.capital else {})
            for c in self.cities
        ]
        return {
            "schema": 1,
            "programme": self.programme,
            "travel": self.travel,
            "places": places + self.site_places,
            "themes": [{"id": t.id, "name_zh": t.name_zh, "name_en": t.name_en} for t in self.themes],
            "topics": [{"id": i, "name_zh": zh, "name_en": en} for i, zh, en in self.topics],
            "classes": [spec.data for spec in self.class_specs],
            "lecturers": self.lecturer_data,
            "sites": self.site_data,
            "lodging": self.lodging,
            "requirements": requirements,
            "limits": self.limits,
            "weights": {
                "coach_minute": 1,
                "theme_fit": 30,
                "site_value": 10,
                "lecturer_imbalance": 20,
                "late_evening": 20,
            },
        }

    def _header(self, figures: WitnessFigures, witness: Plan) -> str:
        o = self.options
        lines = [
            f"Generated by: {o.command()}",
            f"(scheduler/instances/generate.py, generator version {GENERATOR_VERSION}; same options, same file)",
            "",
            f"A made-up programme in a made-up province: {o.classes} classes, {o.days} days from "
            f"{self.first_date} ({Weekday.of(self.first_date).value}),",
            f"{len(self.cities)} cities with lodging, {o.sites} sites, {o.lecturers} lecturers, "
            f"{_plural(len(self.themes), 'theme')}, {len(self.topics)} topics.",
            "",
            "Satisfiable by construction: the generator planned a witness itinerary (every class",
            "sleeps at its base and makes day trips, one class per site per day, at most one morning",
            "lecture a class a day) and checked it with scheduler.analysis.check against this very file.",
            f"The witness makes {figures.visits} visits and gives {figures.lectures} lectures; over the "
            f"classes it reaches at least",
            f"a field share of {figures.least_field_share:.3f}, {figures.least_seminar_class_hours} seminar and "
            f"{figures.least_report_writing_class_hours} report-writing class hours and "
            f"{figures.least_red_education_visits} red-education visits.",
            "The requirements are set at or below those (field share 0.02 lower); every must-visit",
            "site is one the witness visits, and every lecture is one it found a lecturer for.",
        ]
        return "\n".join(f"# {line}".rstrip() for line in lines) + "\n\n"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


# ---------------------------------------------------------------------------
# The witness plan


@dataclass(frozen=True)
class _Session:
    kind: str  # opening, lecture, presentation, closing
    minutes: int
    earliest: int = 0
    lecturer: str | None = None
    topic: str | None = None


Step = tuple[Any, ...]


class _Witness:
    """A plan made by simple rules, used to prove the generated scenario can be planned."""

    MAX_VISITS = 3
    NEAREST = 24
    """Sites tried per class-day: the nearest ones that are still free."""

    def __init__(self, gen: _Generator, scenario: Scenario, travel: TravelTable, rng: random.Random):
        self.gen = gen
        self.scenario = scenario
        self.travel = travel
        self.rng = rng
        self.frame = scenario.programme.frame
        self.req = scenario.requirements.default
        self.per_hour = scenario.programme.minutes_per_class_hour
        self.days = scenario.programme.days
        self.simulator = DaySimulator(scenario, travel)

    def build(self) -> Plan:
        self._plan_lectures()
        events: list[Event] = []
        nights: list[Night] = []
        site_days: set[tuple[str, int]] = set()
        visited: dict[str, list[str]] = {spec.id: [] for spec in self.gen.class_specs}
        reports_left = {spec.id: self.rng.choice((2, 3, 4)) for spec in self.gen.class_specs}
        specs = self.gen.class_specs
        for day in range(self.days):
            date = self.scenario.programme.date_of(day)
            turn = day % len(specs)
            for spec in specs[turn:] + specs[:turn]:
                start = spec.start_place if day == 0 else spec.base
                steps = self._day(spec, day, start, spec.base, site_days=site_days, visited=visited[spec.id])
                for step in steps:
                    if step[0] == "field_visit":
                        site_days.add((step[4], day))
                        visited[spec.id].append(step[4])
                events += self._evening_and_events(spec, day, date, start, steps=steps, reports_left=reports_left)
                if day < self.days - 1:
                    nights.append(Night(spec.id, date, spec.base))
        return Plan(tuple(events), tuple(nights))

    # -- lectures ----------------------------------------------------------------
    def _plan_lectures(self) -> None:
        """Choose each class's lectures: a topic, a day and a lecturer. One lecture a class a day,
        in the morning at the place the class wakes up, over before lunch must start; one lecture
        a lecturer a day, only on days the lecturer is not away at all, from a home within
        ``lecturer_max_travel_minutes``; topics only where at least two lecturers qualify."""
        scenario, rng = self.scenario, self.rng
        limit = scenario.limits.lecturer_max_travel_minutes
        away = {
            l.id: {scenario.programme.day_of(a.date) for a in scenario.lecturer_away(l.id) if a.date is not None}
            for l in scenario.lecturers
        }
        busy: set[tuple[str, int]] = set()
        given: Counter[str] = Counter()
        wanted = min(6, max(1, round(self.days * 0.5)))
        minutes = self.req.lecture_class_hours * self.per_hour
        must_end = self.frame.lunch.latest - self.frame.lunch.minutes

        def qualified(topic: str, place: str) -> list[Any]:
            return [
                l
                for l in scenario.lecturers
                if topic in l.topics and (limit is None or self.travel.driving_minutes(l.home, place) <= limit)
            ]

        def in_time(lecturer: Any, day: int, place: str) -> bool:
            begin = self.frame.session_start + (self.req.opening_minutes if day == 0 else 0)
            margin = self.scenario.limits.lecturer_arrival_margin_minutes
            begin = max(
                begin, self.frame.earliest_departure + self.travel.driving_minutes(lecturer.home, place) + margin
            )
            return on_step(begin, self.frame.time_step_minutes) + minutes <= must_end

        for spec in self.gen.class_specs:
            general = [t[0] for t in GENERAL_TOPICS]
            rng.shuffle(general)
            candidates = [t[0] for t in spec.theme.topics] + general
            topics = [t for t in candidates if len(qualified(t, spec.base)) >= 2][:wanted]
            days = list(range(self.days))
            rng.shuffle(days)
            for topic in topics:
                for day in days:
                    if any(d == day for d, _topic, _lecturer in spec.lectures):
                        continue
                    place = spec.start_place if day == 0 else spec.base
                    free = [
                        l
                        for l in qualified(topic, place)
                        if day not in away[l.id]
                        and (l.id, day) not in busy
                        and (l.max_sessions is None or given[l.id] < l.max_sessions)
                        and in_time(l, day, place)
                    ]
                    if not free:
                        continue
                    chosen = min(free, key=lambda l: (given[l.id], self.travel.driving_minutes(l.home, place), l.id))
                    busy.add((chosen.id, day))
                    given[chosen.id] += 1
                    spec.lectures.append((day, topic, chosen.id))
                    break

    # -- a class's day -------------------------------------------------------------
    def _sessions(self, spec: _ClassSpec, day: int, place: str) -> tuple[list[_Session], list[_Session]]:
        morning, afternoon = [], []
        if day == 0 and self.req.opening_minutes:
            morning.append(_Session("opening", self.req.opening_minutes))
        for lecture_day, topic, lecturer_id in spec.lectures:
            if lecture_day == day:
                home = self.scenario.lecturer(lecturer_id).home
                earliest = (
                    self.frame.earliest_departure
                    + self.travel.driving_minutes(home, place)
                    + self.scenario.limits.lecturer_arrival_margin_minutes
                )
                minutes = self.req.lecture_class_hours * self.per_hour
                morning.append(_Session("lecture", minutes, earliest, lecturer_id, topic))
        if day == self.days - 1 and self.req.presentation_minutes:
            afternoon.append(_Session("presentation", self.req.presentation_minutes))
        if day == self.days - 1 and self.req.closing_minutes:
            afternoon.append(_Session("closing", self.req.closing_minutes))
        return morning, afternoon

    def _day(
        self, spec: _ClassSpec, day: int, start: str, end: str, *, site_days: set[tuple[str, int]], visited: list[str]
    ) -> list[Step]:
        """The day's steps with the best route found by cheapest insertion (may be no visit)."""
        scenario = self.scenario
        date = scenario.programme.date_of(day)
        morning, afternoon = self._sessions(spec, day, start)
        steps = self.simulate(day, start, end, morning=morning, route=[], afternoon=afternoon)
        if steps is None:
            raise RuntimeError(f"generator bug: class {spec.id} cannot even stay put on day {day + 1}")
        limit = scenario.max_coach_minutes_on(day)
        red_needed = sum(scenario.site(s).is_red_education for s in visited) < 2
        candidates = [
            site
            for site in scenario.sites
            if site.id not in visited
            and (site.id, day) not in site_days
            and site.is_open_on(date)
            and (site.capacity_trainees is None or site.capacity_trainees >= spec.trainees)
            and self.travel.driving_minutes(start, site.place) + self.travel.driving_minutes(site.place, end) <= limit
        ]
        candidates.sort(
            key=lambda s: (
                self.travel.driving_minutes(start, s.place) + self.travel.driving_minutes(s.place, end),
                s.id,
            )
        )
        candidates = candidates[: self.NEAREST]
        route: list[Site] = []
        best_steps, best_drive = steps, 0
        while len(route) < self.MAX_VISITS and candidates:
            best = None
            for site in candidates:
                for position in range(len(route) + 1):
                    trial = route[:position] + [site] + route[position:]
                    found = self.simulate(day, start, end, morning=morning, route=trial, afternoon=afternoon)
                    if found is None:
                        continue
                    drive = sum(s[4] for s in found if s[0] == "travel")
                    load = sum(s[2] - s[1] for s in found if s[0] != "travel" and s[0] != "meal")
                    if load > scenario.limits.max_teaching_minutes_per_day:
                        continue
                    gain = 3 * site.visit_minutes - (drive - best_drive)
                    gain += 30 * (spec.theme.id in site.themes) + 10 * site.value
                    gain += 300 * (red_needed and site.is_red_education)
                    if best is None or gain > best[0]:
                        best = (gain, trial, found, drive, site)
            if best is None or best[0] <= 0:
                break
            _gain, route, best_steps, best_drive, site = best
            candidates.remove(site)
            red_needed = red_needed and not site.is_red_education
        return best_steps

    def simulate(
        self,
        day: int,
        start: str,
        end: str,
        *,
        morning: Sequence[_Session],
        route: Sequence[Site],
        afternoon: Sequence[_Session],
    ) -> list[Step] | None:
        """The day at its earliest times as steps ``(kind, start, end, ...)``, or None if a rule breaks.

        The morning sessions at the start place, each once its lecturer can be there; then the
        coach legs, visits and lunch as the shared day simulation (``scheduler.plan.day``) lays
        them out; then the afternoon sessions at the end place (they wait for nobody, so they
        follow one another from lunch on, as the simulation counts them).
        """
        time = self.frame.session_start if morning else self.frame.earliest_departure
        steps: list[Step] = []
        for session in morning:
            begin = on_step(max(time, session.earliest), self.frame.time_step_minutes)
            steps.append(("session", begin, begin + session.minutes, start, session))
            time = begin + session.minutes
        minutes = sum(session.minutes for session in afternoon)
        found = self.simulator.simulate(start, end, route, day, leave_after=time, afternoon=minutes)
        if found is None:
            return None
        for step in found.steps:
            if isinstance(step, Drive):
                leg = step.leg
                steps.append(("travel", step.start, step.end, step.origin, leg.driving_minutes, step.destination, leg))
            elif isinstance(step, Visit):
                steps.append(("field_visit", step.start, step.end, step.site.place, step.site.id))
            else:
                steps.append(("meal", step.start, step.end, step.place, "lunch"))
        time = found.afternoon_from
        for session in afternoon:
            steps.append(("session", time, time + session.minutes, end, session))
            time += session.minutes
        return steps

    # -- evenings and events -------------------------------------------------------------
    def _evening_and_events(
        self, spec: _ClassSpec, day: int, date: dt.date, start: str, *, steps: list[Step], reports_left: dict[str, int]
    ) -> list[Event]:
        frame, per_hour = self.frame, self.per_hour
        professor = self.scenario.training_class(spec.id).professor.id
        events: list[Event] = []
        load = 0
        for step in steps:
            kind, begin, finish, place = step[:4]
            if kind == "session":
                session: _Session = step[4]
                load += session.minutes
                if session.kind == "lecture":
                    events.append(
                        Event(spec.id, date, begin, finish, "lecture", place,
                              lecturer=session.lecturer, topic=session.topic)
                    )  # fmt: skip
                else:
                    events.append(Event(spec.id, date, begin, finish, session.kind, place, professor=professor))
            elif kind == "meal":
                events.append(Event(spec.id, date, begin, finish, "meal", place, label="lunch"))
            elif kind == "travel":
                leg = step[6]
                events.append(
                    Event(spec.id, date, begin, finish, "travel", place, from_place=place, to_place=step[5],
                          driving_minutes=leg.driving_minutes, rest_minutes=leg.rest_minutes, km=leg.km)
                )  # fmt: skip
            elif kind == "field_visit":
                load += finish - begin
                events.append(Event(spec.id, date, begin, finish, "field_visit", place, site=step[4]))
        evening_place = spec.base
        events.append(Event(spec.id, date, frame.dinner.start, frame.dinner.end, "meal", evening_place, label="dinner"))
        if day == self.days - 1 and (self.req.presentation_minutes or self.req.closing_minutes):
            return events  # the programme ends with the presentations and the closing
        room = self.scenario.limits.max_teaching_minutes_per_day - load
        window = frame.evening.end - frame.evening.start
        hours = max(0, min(self.req.max_seminar_class_hours_per_evening, window // per_hour, room // per_hour))
        time = frame.evening.start
        if hours:
            events.append(
                Event(spec.id, date, time, time + hours * per_hour, "seminar", evening_place, professor=professor)
            )
            time += hours * per_hour
        if reports_left[spec.id] > 0 and time + per_hour <= frame.quiet_hours_from:
            reports_left[spec.id] -= 1
            events.append(
                Event(spec.id, date, time, time + per_hour, "report_writing", evening_place, professor=professor)
            )
        return events


# ---------------------------------------------------------------------------
# YAML


FLOW_SECTIONS = ("places", "themes", "topics", "classes", "lecturers", "sites", "lodging")
"""Sections written one entry a line, ``- {id: ..., ...}``."""


def _dump(data: dict[str, Any]) -> str:
    """The scenario as YAML: sections in block style, list entries and small mappings in flow style."""
    parts = []
    for key, value in data.items():
        if key in FLOW_SECTIONS and value:
            parts.append("\n".join([f"{key}:"] + [f"  - {_flow(item)}" for item in value]) + "\n")
        else:
            parts.append("".join(_block(key, value, 0)))
    return "\n".join(parts)


def _block(key: str, value: Any, depth: int) -> list[str]:
    pad = "  " * depth
    if isinstance(value, dict) and not _small(value):
        return [f"{pad}{key}:\n"] + [line for k, v in value.items() for line in _block(k, v, depth + 1)]
    if isinstance(value, list) and any(isinstance(item, dict) for item in value):
        return [f"{pad}{key}:\n"] + [f"{pad}  - {_flow(item)}\n" for item in value]
    return [f"{pad}{key}: {_flow(value)}\n"]


def _small(mapping: dict[str, Any]) -> bool:
    """A mapping short enough for one line: a few scalars (lunch, hours, lecture counts)."""
    return len(mapping) <= 4 and all(not isinstance(v, (dict, list)) for v in mapping.values())


def _flow(value: Any) -> str:
    """One value in YAML flow style; clock times in double quotes, as people write them."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    if isinstance(value, str) and _CLOCK_TEXT.match(value):
        return f'"{value}"'
    text = yaml.safe_dump([value], allow_unicode=True, default_flow_style=True, width=100_000).strip()
    return text[1:-1]


_CLOCK_TEXT = re.compile(r"^\d{2}:\d{2}$")


# ---------------------------------------------------------------------------
# The command


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scheduler.instances.generate",
        description="Write a realistic, satisfiable scenario YAML of the given size to stdout.",
    )
    parser.add_argument("--classes", type=int, required=True, help="number of classes")
    parser.add_argument("--days", type=int, required=True, help="number of days")
    parser.add_argument("--sites", type=int, required=True, help="number of field-teaching sites")
    parser.add_argument("--lecturers", type=int, required=True, help="number of lecturers")
    parser.add_argument("--seed", type=int, default=0, help="random seed: same seed, same file (default 0)")
    parser.add_argument("--out", default="-", help="file to write (default: stdout)")
    args = parser.parse_args(argv)
    try:
        options = GeneratorOptions(args.classes, args.days, args.sites, args.lecturers, args.seed)
    except ValueError as error:
        parser.error(str(error))
    text = scenario_yaml(options)
    if args.out == "-":
        sys.stdout.buffer.write(text.encode("utf-8"))
        sys.stdout.flush()
    else:
        with open(args.out, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
