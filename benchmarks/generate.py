#!/usr/bin/env python3
"""Build a synthetic, valid, realistic records repository, to benchmark `aimama check` on.

    python benchmarks/generate.py DIR --children N [--seed S] [--git] [--activities]

The proportions are a real province's (200,000 volunteers for 180,000 children): about 250
children per village and 10 villages per township; 1.1 volunteers (80% local, 15% remote, 5%
professional) and 1.1 pairings per child; a pledge for this year from ~85% of the approved
volunteers.  Every record is valid and every reference resolves, so `aimama check` should find
no errors.  Files are written from string templates (a YAML emitter would dominate the run
time), and every choice comes from one seeded ``random.Random``: the same arguments give the
same repository, byte for byte.

``--activities`` adds this year's activity log of every volunteer with a pairing active in it
(records/activities/2026/<volunteer>.yaml), its entries shaped by her programme: for the
agencies' "六个一" a call, WeChat or video call most months, a home visit, a micro-wish by the
child's birthday or Spring Festival, a book, a group activity (the volunteer's children together),
an accident-insurance policy; for the villages' quarterly visits with the "一看二联三问四帮"
checklist, safety education, tutoring, a group activity, and calls.  About 6% of the duties are
missed on purpose, some contacts only attempted, a few checklists one item short — some 9.5
entries a pairing.  Its choices come from a generator seeded by each volunteer's id, so the
other records are the same with or without it.
"""

from __future__ import annotations

import argparse
import calendar
import datetime as dt
import itertools
import math
import multiprocessing
import os
import random
import shutil
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))
from lunardate import LunarDate  # noqa: E402  (aimama's own dependency, for Spring Festival)

from aimama_cli.core import ids  # noqa: E402  (after the path tweak, so it runs from any folder)
from aimama_cli.store import gitio  # noqa: E402

TODAY = dt.date(2026, 10, 31).toordinal()  # no record carries a later date
YEAR = 2026  # the pledges are this year's
CHILD_BORN_AFTER = dt.date(2008, 11, 23).toordinal()  # every child is under 18 on 2026-11-23
CHILD_BORN_BY = dt.date(2020, 12, 31).toordinal()
SCHOOL_YEAR_START = dt.date(2026, 9, 1)
FIRST_ROSTER = dt.date(2021, 3, 1).toordinal()
LAST_ROSTER = dt.date(2026, 6, 30).toordinal()
FIRST_JOIN = dt.date(2019, 1, 1).toordinal()
CHILDREN_PER_VILLAGE = 250
VILLAGES_PER_TOWNSHIP = 10
TOWNSHIPS_PER_COUNTY = 6
REMOTE_PER_AGENCY_TEAM = 60

# Real county codes of 湖南, 岳阳市 first (the demo data's city): (city, city name, county, name).
COUNTIES = [
    ("430600", "岳阳市", c, n) for c, n in [
        ("430602", "岳阳楼区"), ("430603", "云溪区"), ("430611", "君山区"), ("430621", "岳阳县"),
        ("430623", "华容县"), ("430624", "湘阴县"), ("430626", "平江县"), ("430681", "汨罗市"),
        ("430682", "临湘市")]
] + [
    ("430700", "常德市", c, n) for c, n in [
        ("430702", "武陵区"), ("430703", "鼎城区"), ("430721", "安乡县"), ("430722", "汉寿县"),
        ("430723", "澧县"), ("430724", "临澧县"), ("430725", "桃源县"), ("430726", "石门县"),
        ("430781", "津市市")]
] + [
    ("430900", "益阳市", c, n) for c, n in [
        ("430902", "资阳区"), ("430903", "赫山区"), ("430921", "南县"), ("430922", "桃江县"),
        ("430923", "安化县"), ("430981", "沅江市")]
] + [
    ("430500", "邵阳市", c, n) for c, n in [
        ("430522", "新邵县"), ("430523", "邵阳县"), ("430524", "隆回县"), ("430525", "洞口县"),
        ("430527", "绥宁县"), ("430528", "新宁县"), ("430581", "武冈市"), ("430582", "邵东市")]
] + [
    ("430400", "衡阳市", c, n) for c, n in [
        ("430421", "衡阳县"), ("430422", "衡南县"), ("430423", "衡山县"), ("430424", "衡东县"),
        ("430426", "祁东县"), ("430481", "耒阳市"), ("430482", "常宁市")]
]

SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜"
            "叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方邹孟熊秦邱江尹黎贺顾毛龚邵万严覃"
            "戴莫向汤易喻")
GIVEN = {
    "female": "秀英丽敏静芳娟霞艳玲桂兰萍红梅琳雪婷慧莉燕丹玉凤佳欣怡雨涵诗琪悦彤萱妍晴岚",
    "male": "伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆旭然轩睿博宸泽建国志",
}
PLACE_CHARS = "新石桃柳杨梅荷塘湖山岭坪江河桥湾洲坡冲峰田源溪松竹兴安和平福康乐长青龙凤鹤云光明东南西金银花月星沙港铺"

CATEGORY_WEIGHTS = {"left_behind": 55, "other_difficulty": 14, "single_parent": 12, "disabled": 8,
                    "unsupported": 6, "scattered_orphan": 5}
CATEGORY_NAMES = list(CATEGORY_WEIGHTS)
CATEGORY_CUM = list(itertools.accumulate(CATEGORY_WEIGHTS.values()))
PARENTS = {
    "left_behind": ["父母均在广东东莞务工，每年春节返乡", "父亲在浙江宁波务工，母亲在长沙务工",
                    "父母均在外省务工，由祖辈照料", "父亲在外务工，母亲改嫁后失去联系"],
    "scattered_orphan": ["父母均已去世"],
    "unsupported": ["父亲服刑，母亲失联", "父亲重度残疾，母亲离家出走", "母亲去世，父亲失联"],
    "single_parent": ["父母离异，随母亲生活", "父母离异，随父亲生活", "父亲因病去世，随母亲生活"],
    "disabled": ["父母在家务农", "父亲因病丧失劳动能力，母亲在家照料"],
    "other_difficulty": ["父亲因病丧失劳动能力", "家庭遭遇火灾，生活困难", "父母在家务农，家庭低保户"],
}
GUARDIANS = {  # relation codes a child of each (first) category is most often in the care of
    "left_behind": ["grandmother", "grandmother", "grandfather", "maternal_grandmother", "aunt"],
    "scattered_orphan": ["grandfather", "grandmother", "maternal_grandmother", "uncle", "aunt",
                         "other_relative"],
    "unsupported": ["grandmother", "grandfather", "maternal_grandfather", "uncle", "other_relative"],
    "single_parent": ["mother", "mother", "father"],
    "disabled": ["mother", "father", "grandmother"],
    "other_difficulty": ["mother", "father", "grandmother"],
}
FEMALE_RELATIONS = {"mother", "grandmother", "maternal_grandmother", "aunt"}
PATERNAL_RELATIONS = {"father", "grandfather", "uncle"}  # share the child's surname
NEEDS = ["emotional", "study", "safety", "health", "daily_care", "family_relations"]
CATEGORY_NEEDS = {"disabled": "rehabilitation", "scattered_orphan": "psychological",
                  "unsupported": "legal", "single_parent": "family_relations",
                  "left_behind": "emotional"}
PROFESSIONAL_NEEDS = {"psychological", "rehabilitation", "legal"}
RISK_CUM = {True: [30, 70, 90, 100], False: [5, 20, 55, 100]}  # priority child or not
RISKS = ["red", "orange", "yellow", "green"]
ROSTER_SOURCES = ["civil_affairs", "education", "police", "village", "women_federation", "import"]
CLOSE_REASONS = ["guardian_returned", "moved_away", "circumstances_improved", "withdrew"]
CHILD_NOTES = ["患有哮喘，需随身携带药物", "性格内向，不爱与人交流", "视力较差，已配眼镜",
               "近期情绪低落，需重点关注", "听力障碍，佩戴助听器", "有先天性心脏病，需定期复查"]

PHONE_PREFIXES = ["130", "131", "132", "133", "135", "136", "137", "138", "150", "151", "152",
                  "155", "157", "158", "159", "177", "180", "181", "186", "187", "188", "189"]
LOCAL_SKILLS = ["cooking", "reading", "tutoring", "arts", "sports", "safety_training", "family_education"]
REMOTE_SKILLS = ["tutoring", "reading", "arts", "sports", "legal", "medical", "safety_training"]
VETTING, VETTING_CUM = ["approved", "pending", "rejected", "suspended"], [92, 96, 98, 100]
CHECKS = ("criminal_record", "administrative_sanction", "administrative_penalty")
REJECT_REASONS = {"criminal_record": "有刑事处罚记录，不符合爱心妈妈条件",
                  "administrative_sanction": "曾受行政处分，不符合爱心妈妈条件",
                  "administrative_penalty": "有行政处罚记录，不符合爱心妈妈条件"}
SUSPEND_REASONS = ["本人因病申请暂停服务", "工作调动，暂停结对", "家庭原因申请暂停",
                   "未按要求履行职责，暂停服务待复核"]
AGENCY_UNITS = [("教育局", "agency"), ("卫生健康局", "agency"), ("人民法院", "agency"),
                ("人民检察院", "agency"), ("财政局", "agency"), ("农业农村局", "agency"),
                ("人力资源和社会保障局", "agency"), ("民政局", "agency"), ("税务局", "agency"),
                ("人民医院", "agency"), ("农村商业银行", "enterprise"), ("供电公司", "enterprise"),
                ("移动分公司", "enterprise"), ("邮政分公司", "enterprise")]
# (team kind, team name, unit, the skill its volunteers share)
PROFESSIONAL_TEAMS = [("family_education", "家庭教育指导服务队", "妇联", "family_education"),
                      ("legal_aid", "法律援助服务队", "法律援助中心", "legal"),
                      ("mental_health", "心理健康服务队", "心理健康服务中心", "psychology")]
PLANS = {
    "local": ["每月入户走访不少于一次，落实“一看二联三问四帮”", "每周电话联系一次，每月入户走访，重点关注学习和安全",
              "每月走访，协助监护人做好生活照料"],
    "remote": ["落实“六个一”，每年至少入户走访一次，定期电话或微信联系", "每月视频通话一次，生日或春节完成微心愿"],
    "professional": ["每季度开展一次心理疏导，必要时转介专业机构", "提供法律咨询，督促落实监护责任",
                     "开展家庭教育指导，改善亲子关系"],
}


def hunan_codes() -> list[tuple[str, str, int, int]]:
    """(code, name, first year, last year) of every 湖南 county code from python-stdnum's table
    (GB/T 2260 with the years each code was in use), to give ID numbers a birthplace that
    existed when their holder was born."""
    import stdnum

    table = Path(stdnum.__file__).parent / "cn" / "loc.dat"
    if not table.is_file():  # without the table every county code is taken as valid
        return []
    out, in_hunan = [], False
    for line in table.read_text(encoding="utf-8").splitlines():
        if not line.startswith(" "):
            in_hunan = line.startswith("43 ")
        elif in_hunan:
            suffix, _, names = line.strip().partition(" county=")
            if suffix.endswith("00"):  # a prefecture, not a county
                continue
            for entry in names.strip('"').split(","):
                years, _, name = entry[1:].partition("]") if entry.startswith("[") else ("-", "", entry)
                first, _, last = years.partition("-")
                if name not in ("市辖区", "市区"):
                    out.append(("43" + suffix, name, int(first or 1900), int(last or 2100)))
    return out


HUNAN_CODES = hunan_codes()
VALID_CODES = {year: [code for code, _, first, last in HUNAN_CODES if first <= year <= last]
               for year in range(1950, 2027)}  # year of birth -> codes in use
VALID_SETS = {year: set(codes) for year, codes in VALID_CODES.items()}
CODE_BY_NAME = {}  # (county name, year) -> the code it had that year
for _code, _name, _first, _last in HUNAN_CODES:
    for _year in range(max(_first, 1950), min(_last, 2026) + 1):
        CODE_BY_NAME.setdefault((_name, _year), _code)


def iso(ordinal: int) -> str:
    return dt.date.fromordinal(ordinal).isoformat()


def add_years(ordinal: int, years: int) -> int:
    d = dt.date.fromordinal(ordinal)
    return d.replace(year=d.year + years, day=min(d.day, 28)).toordinal()


def age_on(birth: int, day: dt.date) -> int:
    b = dt.date.fromordinal(birth)
    return day.year - b.year - ((day.month, day.day) < (b.month, b.day))


# --- the records, as plain objects (rendered to YAML once every choice is made) -----------------

@dataclass(slots=True)
class Team:
    id: str
    name: str
    level: str
    kind: str
    region: str  # 12-digit code
    parent: Team | None
    leader: str
    unit: str | None = None
    skill: str | None = None  # professional teams: the skill its volunteers share


@dataclass(slots=True)
class County:
    code: str
    name: str
    city: str
    team: Team | None = None
    coordinator: str = ""  # id of the coordinator who vets its volunteers
    children: list = field(default_factory=list)
    agency_teams: list = field(default_factory=list)
    professional_teams: list = field(default_factory=list)


@dataclass(slots=True)
class Township:
    code: str
    name: str
    county: County
    team: Team | None = None
    coordinator: str = ""  # id of the coordinator who confirms its villages' rosters


@dataclass(slots=True)
class Village:
    code: str
    name: str
    township: Township
    team: Team | None = None
    children: list = field(default_factory=list)


@dataclass(slots=True)
class Child:
    id: str
    name: str
    gender: str
    birth: int
    id_number: str
    categories: list
    guardianship: str
    village: Village
    address: str
    guardian: tuple  # (name, relation, phone)
    consent_on: int
    consent_evidence: str
    parents: str | None
    school: tuple | None  # (name, grade, teacher)
    risk: str
    needs: list
    roster: tuple  # (source, confirmed_by, confirmed_on)
    priority: bool  # 应结尽结: must be paired
    closing: bool  # to be closed once its pairings are known
    notes: str | None
    closed: tuple | None = None  # (on, reason)
    pairings: list = field(default_factory=list)


@dataclass(slots=True)
class Volunteer:
    id: str
    name: str
    gender: str
    birth: int
    id_number: str
    phone: str
    kind: str
    team: Team
    village: Village
    skills: list
    capacity: int
    joined_on: int
    vetting: str
    checks: list  # [(kind, result, checked_on, evidence)]
    decided_by: str | None
    decided_on: int | None
    reason: str | None
    approved_on: int | None  # when she was first approved (a suspension decides again later)
    withdrawn_on: int | None
    active_pairings: int = 0
    pairings: list = field(default_factory=list)  # hers, in the order they were made


@dataclass(slots=True)
class Pairing:
    id: str
    child: Child
    volunteer: Volunteer
    started_on: int
    ended_on: int | None = None
    end_reason: str | None = None
    plan: str | None = None


@dataclass(slots=True)
class Pledge:
    id: str
    volunteer: Volunteer
    signed_on: int
    programme: str
    term_start: int


class FastRandom(random.Random):
    """random.Random drawing integers from one float (choice, randint, sample, shuffle...), twice
    as fast as its exact rejection sampling; a bias of 1 in 2**53 does not matter here.
    (random.Random.__init_subclass__ keeps a `_randbelow` that a subclass defines.)"""

    def _randbelow(self, n: int) -> int:
        return int(self.random() * n)


class Generator:
    def __init__(self, n_children: int, seed: int, programme_for: dict[str, str]):
        self.rng = FastRandom(seed)
        self.seed = seed
        self.n = n_children
        self.programme_for = programme_for  # volunteer kind -> the programme she pledges to
        self.taken: set[str] = set()
        self.used_numbers: set[str] = set()  # ID numbers and phones must not repeat
        self.regions: list[tuple[str, str, str]] = []  # (code, name, level)
        self.coordinators: list[tuple] = []  # (id, name, email, roles, regions)
        self.counties: list[County] = []
        self.townships: list[Township] = []
        self.villages: list[Village] = []
        self.teams: list[Team] = []
        self.children: list[Child] = []
        self.volunteers: list[Volunteer] = []
        self.pairings: list[Pairing] = []
        self.pledges: list[Pledge] = []
        self.logs: list[ActivityLog] = []  # --activities: this year's log of each volunteer paired in it
        self.unpaired_priority = 0  # priority children no volunteer was left for (should be 0)

    # --- small helpers ---------------------------------------------------------------------

    def new_id(self, kind: str, county: str) -> str:
        # the seeded generator: the same ids (and file names) on every run with the same seed
        rid = ids.new_id(kind, county, self.taken, rng=self.rng)
        self.taken.add(rid)
        return rid

    def between(self, first: int, last: int) -> int:
        """A random day in [first, last]; ``last`` when the window is empty."""
        return self.rng.randint(first, last) if first < last else last

    def name(self, gender: str, surname: str | None = None) -> str:
        given = GIVEN[gender]
        chars = self.rng.choice(given) + (self.rng.choice(given) if self.rng.random() < 0.7 else "")
        return (surname or self.rng.choice(SURNAMES)) + chars

    def place_name(self, suffix: str, taken: set[str]) -> str:
        while True:
            name = self.rng.choice(PLACE_CHARS) + self.rng.choice(PLACE_CHARS) + suffix
            if name not in taken:
                taken.add(name)
                return name

    def unique(self, make) -> str:
        while True:
            value = make()
            if value not in self.used_numbers:
                self.used_numbers.add(value)
                return value

    def id_number(self, county: County, birth: int, gender: str) -> str:
        date = dt.date.fromordinal(birth)
        region = self.birthplace(county, date.year)
        male = gender == "male"  # GB 11643: an odd sequence number means male
        return self.unique(lambda: ids.make_id_number(region, date, self.rng.randrange(0, 999, 2) + male))

    def birthplace(self, county: County, year: int) -> str:
        """The region code of an ID number issued to someone born in ``year``: the county's own,
        unless the code did not exist yet (validators such as python-stdnum reject that), then
        the county's older code under the same name, else some other 湖南 county's of the time."""
        if county.code in VALID_SETS[year] or not VALID_CODES[year]:
            return county.code
        return CODE_BY_NAME.get((county.name, year)) or self.rng.choice(VALID_CODES[year])

    def phone(self, prefix: str | None = None) -> str:
        rng = self.rng
        return self.unique(lambda: f"{prefix or rng.choice(PHONE_PREFIXES)}{rng.randrange(10**8):08d}")

    # --- places, coordinators, teams -------------------------------------------------------

    def make_places(self) -> None:
        n_villages = max(2, round(self.n / CHILDREN_PER_VILLAGE))
        n_townships = max(2, math.ceil(n_villages / VILLAGES_PER_TOWNSHIP))
        n_counties = min(len(COUNTIES), max(2, math.ceil(n_townships / TOWNSHIPS_PER_COUNTY)))
        self.regions.append(("430000000000", "湖南省", "province"))
        cities = {}
        for city, city_name, code, name in COUNTIES[:n_counties]:
            if city not in cities:
                cities[city] = city_name
                self.regions.append((city + "000000", city_name, "city"))
            self.counties.append(County(code, name, city))
            self.regions.append((code + "000000", name, "county"))
        names: dict[str, set[str]] = {}  # names already used under a county or township
        for i in range(n_townships):
            county = self.counties[i % n_counties]
            name = self.place_name(self.rng.choice("镇镇镇乡"), names.setdefault(county.code, set()))
            self.townships.append(Township(f"{county.code}{100 + i // n_counties:03d}", name, county))
        for i in range(n_villages):
            township = self.townships[i % n_townships]
            suffix = "社区" if self.rng.random() < 0.1 else "村"
            name = self.place_name(suffix, names.setdefault(township.code, set()))
            self.villages.append(Village(f"{township.code}{200 + i // n_townships:03d}", name, township))
        self.regions += [(t.code + "000", t.name, "township") for t in self.townships]
        self.regions += [(v.code, v.name, "village") for v in self.villages]

    def make_coordinators(self) -> None:
        """A city admin, a vetting coordinator per county, a roster coordinator per township."""
        def add(city: str, roles: list[str], region: str) -> str:
            rid = self.new_id("coordinator", city)
            email = f"{rid.lower()}@fulian.example.org"
            self.coordinators.append((rid, self.name("female"), email, roles, region))
            return rid

        for city in dict.fromkeys(c.city for c in self.counties):
            add(city, ["admin", "pairing"], city[:4])
        for county in self.counties:
            county.coordinator = add(county.city, ["vetting", "pairing"], county.code)
        for township in self.townships:
            township.coordinator = add(township.county.city, ["roster"], township.code)

    def team(self, name, level, kind, region, parent, unit=None, skill=None) -> Team:
        team = Team(self.new_id("team", region[:6]), name, level, kind, region, parent,
                    self.name("female"), unit, skill)
        self.teams.append(team)
        return team

    def make_teams(self) -> None:
        city_teams = {}
        for region, name, level in self.regions:
            if level == "city":
                city_teams[region[:6]] = self.team(f"{name}妇联爱心妈妈总队", "city", "women_federation",
                                                    region, None)
        for c in self.counties:
            c.team = self.team(f"{c.name}爱心妈妈志愿服务队", "county", "women_federation",
                               c.code + "000000", city_teams[c.city])
            # remote volunteers come from the county's agencies and enterprises, ~60 per team
            n_agency = max(2, math.ceil(len(c.children) * 1.1 * 0.15 / REMOTE_PER_AGENCY_TEAM))
            for i in range(n_agency):
                if i < len(AGENCY_UNITS):
                    unit, kind = c.name + AGENCY_UNITS[i][0], AGENCY_UNITS[i][1]
                else:  # a big county: its schools form teams too
                    unit, kind = f"{c.name}第{i - len(AGENCY_UNITS) + 1}中学", "agency"
                c.agency_teams.append(self.team(f"{unit}爱心妈妈志愿服务队", "agency", kind,
                                                c.code + "000000", c.team, unit))
            for kind, name, unit, skill in PROFESSIONAL_TEAMS:
                c.professional_teams.append(self.team(c.name + name, "professional", kind,
                                                      c.code + "000000", c.team, c.name + unit, skill))
        for t in self.townships:
            t.team = self.team(f"{t.name}爱心妈妈志愿服务队", "township", "women_federation",
                               t.code + "000", t.county.team)
        for v in self.villages:
            v.team = self.team(f"{v.name}爱心妈妈志愿服务队", "village", "village", v.code, v.township.team)

    # --- children --------------------------------------------------------------------------

    def make_children(self) -> None:
        rng = self.rng
        cum = list(itertools.accumulate(rng.uniform(0.5, 1.5) for _ in self.villages))  # sizes differ
        for _ in range(self.n):
            village = rng.choices(self.villages, cum_weights=cum)[0]
            child = self.child(village)
            village.children.append(child)
            village.township.county.children.append(child)
            self.children.append(child)

    def categories(self) -> list[str]:
        cats = [self.rng.choices(CATEGORY_NAMES, cum_weights=CATEGORY_CUM)[0]]
        if self.rng.random() < 0.15:  # e.g. a left-behind child who is also disabled
            extra = self.rng.choice(["disabled", "other_difficulty"])
            if extra != cats[0]:
                cats.append(extra)
        return cats

    def school(self, birth: int, village: Village) -> tuple | None:
        age = age_on(birth, SCHOOL_YEAR_START)
        township, county = village.township, village.township.county
        if age < 3:
            return None
        if age < 6:
            name, grade = f"{township.name}中心幼儿园", ["小班", "中班", "大班"][age - 3]
        elif age < 12:
            name, grade = f"{township.name}中心小学", "一二三四五六"[age - 6] + "年级"
        elif age < 15:
            name, grade = f"{township.name}中学", "七八九"[age - 12] + "年级"
        else:
            name = county.name + self.rng.choice(["第一中学", "职业中专"])
            grade = "高" + "一二三"[age - 15]
        return name, grade, self.rng.choice(SURNAMES) + "老师"

    def child(self, village: Village) -> Child:
        rng = self.rng
        county = village.township.county
        gender = rng.choice(["female", "male"])
        surname = rng.choice(SURNAMES)
        birth = rng.randint(CHILD_BORN_AFTER + 1, CHILD_BORN_BY)
        cats = self.categories()
        first = cats[0]
        without_parents = first in ("left_behind", "scattered_orphan", "unsupported")
        inadequate = rng.random() < (0.3 if without_parents else 0.05)
        likely = first in ("scattered_orphan", "unsupported") or (first == "left_behind" and inadequate)
        risk = rng.choices(RISKS, cum_weights=RISK_CUM[likely])[0]
        # 应结尽结, as aimama judges it (people.is_priority): orphans, unsupported children, and
        # left-behind children whose guardianship is lacking or whose risk is red or orange
        priority = bool({"scattered_orphan", "unsupported"} & set(cats)) or (
            "left_behind" in cats and (inadequate or risk in ("red", "orange")))
        relation = rng.choice(GUARDIANS[first])
        guardian_gender = "female" if relation in FEMALE_RELATIONS else "male"
        guardian = (self.name(guardian_gender, surname if relation in PATERNAL_RELATIONS else None),
                    relation, self.phone("139"))
        confirmed_on = self.between(max(FIRST_ROSTER, birth + 30), LAST_ROSTER)
        consent_on = confirmed_on + rng.randint(3, 30)
        needs = rng.sample(NEEDS, rng.randint(1, 3))
        for cat in cats:
            if cat in CATEGORY_NEEDS and CATEGORY_NEEDS[cat] not in needs:
                needs.append(CATEGORY_NEEDS[cat])
        return Child(
            id=self.new_id("child", county.code),
            name=self.name(gender, surname),
            gender=gender,
            birth=birth,
            id_number=self.id_number(county, birth, gender),
            categories=cats,
            guardianship="inadequate" if inadequate else "adequate",
            village=village,
            address=f"{village.name}{rng.randint(1, 12)}组{rng.randint(1, 60)}号",
            guardian=guardian,
            consent_on=consent_on,
            consent_evidence=f"监护人结对同意书 {village.name}〔{iso(consent_on)[:4]}〕{rng.randint(1, 300)}号",
            parents=rng.choice(PARENTS[first]),
            school=self.school(birth, village),
            risk=risk,
            needs=needs,
            roster=(rng.choice(ROSTER_SOURCES), village.township.coordinator, confirmed_on),
            priority=priority,
            closing=rng.random() < 0.02,
            notes=rng.choice(CHILD_NOTES) if rng.random() < 0.1 else None,
        )

    # --- volunteers ------------------------------------------------------------------------

    def make_volunteers(self) -> None:
        """Locals per village, remote and professional volunteers per county, 80/15/5."""
        rng = self.rng
        for village in self.villages:
            for _ in range(int(len(village.children) * 1.1 * 0.80 + rng.random())):
                self.volunteer("local", village.team, village)
        for county in self.counties:
            villages = [v for v in self.villages if v.township.county is county]
            for kind, share, teams in (("remote", 0.15, county.agency_teams),
                                       ("professional", 0.05, county.professional_teams)):
                for _ in range(int(len(county.children) * 1.1 * share + rng.random())):
                    self.volunteer(kind, rng.choice(teams), rng.choice(villages))

    def volunteer(self, kind: str, team: Team, village: Village) -> None:
        rng = self.rng
        county = village.township.county
        gender = "male" if rng.random() < 0.08 else "female"  # a few 爱心爸爸
        birth = rng.randint(add_years(TODAY, -65) + 1, add_years(TODAY, -25))
        skills = rng.sample(LOCAL_SKILLS if kind == "local" else REMOTE_SKILLS, rng.randint(1, 3))
        if team.skill and team.skill not in skills:
            skills.insert(0, team.skill)
        status = rng.choices(VETTING, cum_weights=VETTING_CUM)[0]
        # pending applications are recent; the others joined any time since 2019, aged 19 or more
        first_join = TODAY - 120 if status == "pending" else max(FIRST_JOIN, add_years(birth, 19))
        joined_on = self.between(first_join, LAST_ROSTER if status != "pending" else TODAY - 10)
        # checks stay valid three years (check_valid_days 1095 in templates/repository/aimama.yaml),
        # so whoever joined earlier than that was vetted again since
        checks = self.checks(status, max(joined_on, TODAY - 1000), village, team)
        decided_by = decided_on = reason = approved_on = withdrawn_on = None
        if status != "pending":
            decided_by, decided_on = county.coordinator, max(c[2] for c in checks) + rng.randint(1, 20)
        if status in ("approved", "suspended"):
            approved_on = decided_on
        if status == "rejected":
            reason = REJECT_REASONS[next(c[0] for c in checks if c[1] == "found")]
        elif status == "suspended":
            decided_on = self.between(approved_on + 180, TODAY)
            reason = rng.choice(SUSPEND_REASONS)
        if status == "approved" and rng.random() < 0.033:  # ~3% of all volunteers have withdrawn
            withdrawn_on = self.between(approved_on + 90, TODAY)
        self.volunteers.append(Volunteer(
            id=self.new_id("volunteer", county.code),
            name=self.name(gender),
            gender=gender,
            birth=birth,
            id_number=self.id_number(county, birth, gender),
            phone=self.phone(),
            kind=kind,
            team=team,
            village=village,
            skills=skills,
            capacity=rng.choices([1, 2, 3], cum_weights=[40, 80, 100])[0],
            joined_on=joined_on,
            vetting=status,
            checks=checks,
            decided_by=decided_by,
            decided_on=decided_on,
            reason=reason,
            approved_on=approved_on,
            withdrawn_on=withdrawn_on,
        ))

    def checks(self, status: str, vetted_from: int, village: Village, team: Team) -> list[tuple]:
        """The three checks of the vetting rules; a pending application has done some of them."""
        rng = self.rng
        kinds = list(CHECKS)
        if status == "pending":
            kinds = kinds[: rng.randint(0, 2)]
        found = rng.choice(CHECKS) if status == "rejected" else None
        out = []
        for kind in kinds:
            on = min(vetted_from + rng.randint(3, 30), TODAY)
            result = "found" if kind == found else "clear"
            if kind == "criminal_record":
                evidence = f"无犯罪记录证明 第{dt.date.fromordinal(on).year}{rng.randrange(10**6):06d}号"
            elif kind == "administrative_sanction":
                evidence = f"{team.unit}人事部门证明" if team.unit else f"{village.name}委会证明"
            else:
                evidence = f"公安机关违法记录查询 {iso(on).replace('-', '')}{rng.randrange(10**4):04d}"
            out.append((kind, result, on, evidence))
        return out

    # --- pairings and pledges --------------------------------------------------------------

    def make_pairings(self) -> None:
        rng = self.rng
        # every approved, active volunteer offers `capacity` slots: locals in their village
        # (nearest first), remote and professional volunteers across their county
        slots: dict[tuple[str, str], list[Volunteer]] = {}
        for v in self.volunteers:
            if v.vetting == "approved" and v.withdrawn_on is None:
                pool = v.village.code if v.kind == "local" else v.village.township.county.code
                slots.setdefault((v.kind, pool), []).extend([v] * v.capacity)
        for pool in slots.values():
            rng.shuffle(pool)
        for village in self.villages:
            county = village.township.county.code
            # priority children first, so that they are never the ones left without a volunteer
            for child in sorted(village.children, key=lambda c: not c.priority):
                if not child.priority and rng.random() < 0.14:  # ~10% of all children unpaired
                    continue
                wanted = [("local", village.code)]
                if rng.random() < 0.2:  # N+1: a remote volunteer as well
                    wanted.append(("remote", county))
                if PROFESSIONAL_NEEDS & set(child.needs) and rng.random() < 0.1:
                    wanted.append(("professional", county))
                for key in wanted:
                    if slots.get(key):
                        self.pair(child, slots[key].pop())
                if child.priority and not child.pairings:
                    self.unpaired_priority += 1
        self.close_children()
        self.end_former_pairings()

    def pair(self, child: Child, volunteer: Volunteer, ended_on: int | None = None,
             end_reason: str | None = None) -> Pairing:
        """A pairing that starts once the guardian consented and the volunteer was approved."""
        first = max(child.consent_on, volunteer.approved_on) + 1
        started_on = self.between(first, min(first + 180, (ended_on or TODAY) - 30))
        pairing = Pairing(self.new_id("pairing", child.village.township.county.code), child, volunteer,
                          started_on, ended_on, end_reason,
                          self.rng.choice(PLANS[volunteer.kind]) if self.rng.random() < 0.7 else None)
        child.pairings.append(pairing)
        volunteer.pairings.append(pairing)
        if ended_on is None:
            volunteer.active_pairings += 1
        self.pairings.append(pairing)
        return pairing

    def close_children(self) -> None:
        """~2% of the children leave the roster; their pairings end the same day."""
        for child in self.children:
            if child.closing:
                latest = max([p.started_on for p in child.pairings] or [child.consent_on])
                on = self.between(min(latest + 30, TODAY), TODAY)
                child.closed = (on, self.rng.choice(CLOSE_REASONS))
                for p in child.pairings:
                    p.ended_on, p.end_reason = on, "child_closed"
                    p.volunteer.active_pairings -= 1

    def end_former_pairings(self) -> None:
        """Volunteers who withdrew or were suspended had a pairing that ended on that day."""
        rng = self.rng
        for v in self.volunteers:
            end = v.withdrawn_on or (v.decided_on if v.vetting == "suspended" else None)
            if end is None:
                continue
            pool = v.village.children if v.kind == "local" else v.village.township.county.children
            child = rng.choice(pool) if pool else None
            if child is None or child.closing or max(child.consent_on, v.approved_on) + 30 >= end:
                continue
            self.pair(child, v, end, "volunteer_withdrew" if v.withdrawn_on else "volunteer_suspended")

    def make_pledges(self) -> None:
        """This year's pledge from every paired volunteer, and from enough others for ~85%."""
        rng = self.rng
        eligible = [v for v in self.volunteers if v.vetting == "approved" and v.withdrawn_on is None]
        paired = sum(1 for v in eligible if v.active_pairings)
        unpaired = len(eligible) - paired
        share = max(0.0, min(1.0, (0.85 * len(eligible) - paired) / unpaired)) if unpaired else 0.0
        for v in eligible:
            if v.active_pairings or rng.random() < share:
                first = max(dt.date(YEAR, 1, 5).toordinal(), v.approved_on + 1)
                first_year = dt.date.fromordinal(v.joined_on).year  # her first three-year term
                self.pledges.append(Pledge(self.new_id("pledge", v.village.township.county.code), v,
                                           self.between(first, min(first + 75, TODAY)),
                                           self.programme_for[v.kind],
                                           first_year + 3 * ((YEAR - first_year) // 3)))

    def build(self, pairings: bool = True) -> None:
        self.make_places()
        self.make_coordinators()
        self.make_children()
        self.make_teams()
        self.make_volunteers()
        if pairings:
            self.make_pairings()
        else:  # the start of a year's pairing round: nobody paired yet (benchmarks/plan.py)
            self.close_children()
            self.end_former_pairings()
        self.make_pledges()

    def make_activity_logs(self, programmes: dict[str, dict]) -> None:
        """A log for YEAR from every volunteer with a pairing active in it, to be filled by her
        programme's duties (``programmes``: id -> the programme file's content).  Its entries
        are drawn when the file is written, from a generator seeded by the volunteer's id: the
        main sequence of choices, and so every other record, stays as it was without logs."""
        for v in self.volunteers:
            if any(p.started_on <= YEAR_LAST and (p.ended_on is None or p.ended_on > YEAR_FIRST)
                   for p in v.pairings):
                duties = (programmes.get(self.programme_for[v.kind]) or {}).get("duties") or []
                self.logs.append(ActivityLog(v.id, v, [d for d in duties if isinstance(d, dict)],
                                             self.seed))


# --- rendering: plain string templates, keys in the schema's `properties` order -----------------

def seq(key: str, values, indent: str = "") -> str:
    if not values:
        return f"{indent}{key}: []"
    return f"{indent}{key}:\n" + "\n".join(f"{indent}  - {v}" for v in values)


def opt(key: str, value, date: bool = False) -> list[str]:
    """``key: value`` when the optional value is there (``key`` may carry its indent)."""
    if value is None:
        return []
    return [f"{key}: '{iso(value)}'" if date else f"{key}: {value}"]


def closed_block(closed: tuple | None) -> list[str]:
    # 'on' quoted: a YAML 1.1 reader (PyYAML, many scripts) would read a bare on: as the key True
    return [] if closed is None else ["closed:", f"  'on': '{iso(closed[0])}'", f"  reason: {closed[1]}"]


def render_child(c: Child) -> str:
    g_name, relation, phone = c.guardian
    source, confirmed_by, confirmed_on = c.roster
    school = [] if c.school is None else [
        "school:", f"  name: {c.school[0]}", f"  grade: {c.school[1]}", f"  teacher: {c.school[2]}"]
    lines = [
        f"id: {c.id}",
        f"name: {c.name}",
        f"gender: {c.gender}",
        f"birth_date: '{iso(c.birth)}'",
        f"id_number: '{c.id_number}'",
        seq("categories", c.categories),
        f"guardianship: {c.guardianship}",
        f"village: '{c.village.code}'",
        f"address: {c.address}",
        "guardian:",
        f"  name: {g_name}",
        f"  relation: {relation}",
        f"  phone: '{phone}'",
        "  consent:",
        "    given: true",
        f"    date: '{iso(c.consent_on)}'",
        f"    evidence: {c.consent_evidence}",
        *opt("parents", c.parents),
        *school,
        f"risk_level: {c.risk}",
        seq("needs", c.needs),
        "roster:",
        f"  source: {source}",
        f"  confirmed_by: {confirmed_by}",
        f"  confirmed_on: '{iso(confirmed_on)}'",
        f"status: {'closed' if c.closed else 'active'}",
        *closed_block(c.closed),
        *opt("notes", c.notes),
    ]
    return "\n".join(lines) + "\n"


def render_volunteer(v: Volunteer) -> str:
    checks = [f"    - kind: {kind}\n      result: {result}\n      checked_on: '{iso(on)}'\n"
              f"      evidence: {ev}" for kind, result, on, ev in v.checks]
    lines = [
        f"id: {v.id}",
        f"name: {v.name}",
        f"gender: {v.gender}",
        f"birth_date: '{iso(v.birth)}'",
        f"id_number: '{v.id_number}'",
        f"phone: '{v.phone}'",
        f"kind: {v.kind}",
        f"team: {v.team.id}",
        f"village: '{v.village.code}'",
        *opt("unit", v.team.unit),
        seq("skills", v.skills),
        f"capacity: {v.capacity}",
        f"joined_on: '{iso(v.joined_on)}'",
        "vetting:",
        f"  status: {v.vetting}",
        "  checks:" if checks else "  checks: []",
        *checks,
        *opt("  decided_by", v.decided_by),
        *opt("  decided_on", v.decided_on, date=True),
        *opt("  reason", v.reason),
        f"status: {'withdrawn' if v.withdrawn_on else 'active'}",
        *closed_block((v.withdrawn_on, "withdrew") if v.withdrawn_on else None),
    ]
    return "\n".join(lines) + "\n"


def render_team(t: Team) -> str:
    lines = [
        f"id: {t.id}",
        f"name: {t.name}",
        f"level: {t.level}",
        f"kind: {t.kind}",
        f"region: '{t.region}'",
        *opt("parent", t.parent.id if t.parent else None),
        f"leader: {t.leader}",
        *opt("unit", t.unit),
        "status: active",
    ]
    return "\n".join(lines) + "\n"


def render_pairing(p: Pairing) -> str:
    lines = [
        f"id: {p.id}",
        f"child: {p.child.id}",
        f"volunteer: {p.volunteer.id}",
        f"role: {p.volunteer.kind}",
        f"started_on: '{iso(p.started_on)}'",
        *opt("ended_on", p.ended_on, date=True),
        *opt("end_reason", p.end_reason),
        *opt("plan", p.plan),
    ]
    return "\n".join(lines) + "\n"


def render_pledge(s: Pledge) -> str:
    return (f"id: {s.id}\nvolunteer: {s.volunteer.id}\nteam: {s.volunteer.team.id}\nyear: {YEAR}\n"
            f"signed_on: '{iso(s.signed_on)}'\nprogramme: {s.programme}\nterm_start: {s.term_start}\n")


# --- activity logs (--activities): a year of entries per volunteer, shaped by her programme -----

YEAR_FIRST, YEAR_LAST = dt.date(YEAR, 1, 1).toordinal(), dt.date(YEAR, 12, 31).toordinal()
MONTHS = [(dt.date(YEAR, m, 1).toordinal(),
           dt.date(YEAR, m, calendar.monthrange(YEAR, m)[1]).toordinal()) for m in range(1, 13)]
QUARTERS = [(MONTHS[m][0], MONTHS[m + 2][1]) for m in range(0, 12, 3)]
SPRING_FESTIVAL = LunarDate(YEAR, 1, 1).to_solar_date().toordinal()  # 2026-02-17
GROUP_DAYS = [dt.date(YEAR, m, d).toordinal() for m, d in ((5, 30), (5, 31), (7, 25), (8, 15), (10, 2))]
MISS = 0.06  # a duty left undone on purpose: a month or quarter without contact, a yearly duty skipped
LATE = 0.05  # a micro-wish fulfilled after its birthday or Spring Festival deadline
ATTEMPT = 0.08  # a contact tried in vain (contact: attempted) before the one that worked
SKIP_ITEM = 0.02  # a visit that left one checklist item out
NO_COVER, SHORT_COVER = 0.03, 0.04  # no insurance bought; a policy that runs out before year end
BY_PAIRING = 0.02  # an entry that names the pairing rather than the child
EXTRA_CALL = 0.3  # a month in which a volunteer whose programme asks for no monthly contact phones
CONTACT_KINDS = ["phone_call", "wechat", "video_call"]
WISHES = ["一个新书包", "一台护眼台灯", "一套课外书", "一双运动鞋", "一个足球", "一件羽绒服",
          "一套文具", "一辆自行车", "一个篮球", "一本新华字典", "一套画笔", "一个保温杯"]
BOOKS = ["《小王子》", "《草房子》", "《稻草人》", "《城南旧事》", "《夏洛的网》", "《青铜葵花》",
         "《格林童话》", "《十万个为什么》", "《安徒生童话》", "《昆虫记》", "《西游记》", "《朝花夕拾》"]
INSURERS = ["中国人寿保险股份有限公司", "中国人民财产保险股份有限公司", "中国平安财产保险股份有限公司",
            "中国太平洋财产保险股份有限公司"]
TEXTS = {  # {n}: the child's given name
    "phone_call": ["电话联系{n}和监护人，了解近期学习和身体情况。", "电话联系{n}，提醒上下学注意交通安全。",
                   "电话询问{n}家里有没有困难。"],
    "wechat": ["微信联系{n}，了解近期学习和身体情况。", "微信和{n}聊了聊学校里的事。"],
    "video_call": ["视频联系{n}和监护人，询问家里有没有困难。", "视频通话时和{n}聊了最近的考试。"],
    "home_visit": ["入户看望{n}，查看家中安全隐患，和监护人聊了孩子近况。", "入户走访{n}，帮忙做了一顿饭，陪孩子写作业。",
                   "入户看望{n}，和爷爷奶奶商量孩子的学习安排。"],
    "attempted": ["电话未接通，改日再联系。", "微信消息未回复，监护人电话也无人接听。"],
    "micro_wish": ["看望{n}，送上微心愿{wish}。"],
    "book": ["寄去{title}，和{n}一起读了第一章。"],
    "group_activity": ["带孩子参加爱心妈妈集体活动。", "带孩子参加“六一”亲子运动会。", "带孩子参观县科技馆。"],
    "insurance": ["为{n}购买意外伤害保险一份。"],
    "local_exchange": ["与本地爱心妈妈交流{n}近况，约定一起走访。"],
    "safety_education": ["给{n}讲防溺水、防性侵安全知识。", "和{n}一起学习交通安全知识。"],
    "self_protection": ["教{n}自我保护常识。"],
    "tutoring": ["四点半课堂辅导{n}做作业。", "课后陪{n}完成作业，讲解了两道应用题。"],
}
HOURS = {"phone_call": ["0.3", "0.5", "0.5", "1"], "wechat": ["0.3", "0.5"], "video_call": ["0.5", "0.5", "1"],
         "home_visit": ["1.5", "2", "2", "3"], "group_activity": ["3", "4", "4", "6"],
         "tutoring": ["1", "1.5", "2"]}


@dataclass(slots=True)
class ActivityLog:
    id: str  # the volunteer's: the file is records/activities/<YEAR>/<id>.yaml
    volunteer: Volunteer
    duties: list  # her programme's duties, as its file has them
    seed: int


def birthday_in(birth: int, year: int) -> int:
    b = dt.date.fromordinal(birth)
    try:
        return b.replace(year=year).toordinal()
    except ValueError:  # born on 29 February: 1 March in a common year
        return dt.date(year, 3, 1).toordinal()


class LogWriter:
    """One volunteer's entries for YEAR, drawn from a generator seeded by her id."""

    def __init__(self, log: ActivityLog):
        self.rng = FastRandom(f"{log.seed}/{log.id}")
        self.entries: list[tuple[int, int, str]] = []  # (day, order made, text)
        self.checklists = [(frozenset(d.get("kinds") or ()), [c["id"] for c in d.get("checklist") or ()])
                           for d in log.duties if d.get("per") == "visit" and d.get("checklist")]

    def add(self, day: int, who, kinds: list[str], text: str, attempted: bool = False,
            extra: tuple = ()) -> None:
        """``who``: a pairing (named by its child, or now and then by its id) or a list of children."""
        rng = self.rng
        if isinstance(who, list):
            named = f"    children: [{', '.join(who)}]"
        elif rng.random() < BY_PAIRING:
            named = f"    pairing: {who.id}"
        else:
            named = f"    child: {who.child.id}"
        lines = [f"  - date: '{iso(day)}'", named, f"    kinds: [{', '.join(kinds)}]",
                 f"    contact: {'attempted' if attempted else 'made'}",
                 f"    hours: {'0.1' if attempted else rng.choice(HOURS.get(kinds[0], ['1', '1.5', '2']))}"]
        for wanted, items in self.checklists:
            if not attempted and wanted.intersection(kinds):
                if rng.random() < SKIP_ITEM:
                    items = [i for i in items if i != rng.choice(items)]
                lines.append(f"    checklist: [{', '.join(items)}]")
                break
        lines.extend(extra)
        lines.append(f"    details: {text}")
        self.entries.append((day, len(self.entries), "\n".join(lines)))

    def text(self, kind: str, p, **values) -> str:
        name = p.child.name
        return self.rng.choice(TEXTS.get(kind) or ["开展关爱活动。"]).format(
            n=name[1:] if len(name) > 2 else name, **values)

    def periodic(self, duty: dict, p, first: int, last: int) -> None:
        """An entry in each month (quarter) of [first, last], but in one or two of them when
        the duty is to be missed; a period still under way is done in proportion to its days."""
        rng = self.rng
        kinds = sorted(duty.get("kinds") or ["home_visit"])
        pool = [k for k in kinds if k != "home_visit"] or kinds
        spans = [(max(a, first), min(b, last), b) for a, b in (MONTHS if duty.get("per") == "month" else QUARTERS)
                 if max(a, first) <= min(b, last)]
        missed = set(rng.sample(range(len(spans)), min(len(spans), rng.randint(1, 2)))) \
            if spans and rng.random() < MISS else set()
        for i, (a, b, end) in enumerate(spans):
            kind = rng.choice(pool)
            if end > last and rng.random() > (b - a + 1) / (end - a + 1):
                continue  # the period runs on past today: not everyone has done it yet
            if i in missed:
                if rng.random() < 0.5:
                    self.add(self.between(a, b), p, [kind], rng.choice(TEXTS["attempted"]), attempted=True)
                continue
            day = self.between(a, b)
            if day > a and rng.random() < ATTEMPT:
                self.add(self.between(a, day - 1), p, [kind], rng.choice(TEXTS["attempted"]), attempted=True)
            self.add(day, p, [kind], self.text(kind, p))

    def between(self, first: int, last: int) -> int:
        return self.rng.randint(first, last) if first < last else last

    def deadline(self, kind: str, p, first: int, end: int) -> int:
        """As duties.deadline_for: the named day within [first, end], else ``end``."""
        named = {"spring_festival": [SPRING_FESTIVAL], "children_day": [dt.date(YEAR, 6, 1).toordinal()],
                 "birthday": [birthday_in(p.child.birth, YEAR)]}
        named["birthday_or_spring_festival"] = named["birthday"] + named["spring_festival"]
        days = [d for d in named.get(kind, ()) if first <= d <= end]
        return min(days) if days else end

    def yearly(self, duty: dict, p, first: int, end: int, last: int) -> None:
        rng = self.rng
        kinds = sorted(duty.get("kinds") or ["home_visit"])
        kind = next((k for k in ("micro_wish", "insurance") if k in kinds), kinds[0])
        deadline = self.deadline(duty.get("deadline", "period_end"), p, first, end)
        if duty.get("cover") or kind == "insurance":
            if rng.random() >= NO_COVER:
                self.insurance(p, first, last)
            return
        if rng.random() < MISS:
            return
        if deadline >= end:  # by the year's end: any day so far
            day = self.between(first, last)
        elif deadline > last:  # a birthday still to come: done early, or not yet
            if rng.random() < 0.5:
                return
            day = self.between(max(first, deadline - 60), last)
        elif deadline < last and rng.random() < LATE:
            day = self.between(deadline + 1, last)
        else:
            day = self.between(max(first, deadline - 30), deadline)
        extra, values, shown = (), {}, [kind]
        if kind == "micro_wish":
            values["wish"] = rng.choice(WISHES)
            extra = ("    micro_wish:", f"      wish: {values['wish']}", f"      fulfilled_on: '{iso(day)}'")
            if abs(day - SPRING_FESTIVAL) <= 30 and rng.random() < 0.5:
                shown = ["home_visit", "micro_wish", "festival"]
        elif kind == "book":
            values["title"] = rng.choice(BOOKS)
            extra = ("    book:", f"      title: {values['title']}")
            if rng.random() < 0.5:
                shown = ["video_call", "book"]
        elif kind == "local_exchange" and rng.random() < 0.5:
            shown = ["wechat", "local_exchange"]
        self.add(day, p, shown, self.text(kind, p, **values), extra=extra)

    def insurance(self, p, first: int, last: int) -> None:
        """A policy from the first active day, for a year (or running out before the year ends)."""
        rng = self.rng
        to = add_years(first, 1) - 1
        if rng.random() < SHORT_COVER:
            to = self.between(max(first, TODAY + 1), YEAR_LAST - 1)
        extra = ("    insurance:", f"      insurer: {rng.choice(INSURERS)}",
                 f"      policy_no: 'P{YEAR}{rng.randrange(10**10):010d}'", f"      from: '{iso(first)}'",
                 f"      to: '{iso(to)}'")
        self.add(min(first + rng.randint(0, 10), last), p, ["insurance"], self.text("insurance", p), extra=extra)

    def group(self, windows: list) -> None:
        """One group activity for each pairing; children whose pairings are active that day go
        together (``children: [...]``)."""
        rng = self.rng
        waiting = [w for w in windows if rng.random() >= MISS]
        while waiting:
            p, first, _end, last = waiting[0]
            day = rng.choice(GROUP_DAYS)
            if not first <= day <= last:
                day = self.between(first, last)
            together = [w for w in waiting if w[1] <= day <= w[3]]
            children = list(dict.fromkeys(w[0].child.id for w in together))
            who = children if len(children) > 1 or rng.random() < 0.3 else p
            self.add(day, who, ["group_activity"], self.text("group_activity", p))
            waiting = [w for w in waiting if w not in together]


def render_activity(log: ActivityLog) -> str:
    w = LogWriter(log)
    windows = []  # (pairing, first active day in YEAR, last active day in YEAR, last day logged)
    for p in log.volunteer.pairings:
        first = max(p.started_on, YEAR_FIRST)
        end = min(p.ended_on - 1, YEAR_LAST) if p.ended_on else YEAR_LAST
        if first <= min(end, TODAY):
            windows.append((p, first, end, min(end, TODAY)))
    monthly = any(d.get("per") == "month" for d in log.duties)
    for p, first, end, last in windows:
        for duty in log.duties:
            per = duty.get("per", "year")
            if "group_activity" in (duty.get("kinds") or ()) and per in ("year", "term"):
                continue  # below, for all her children at once
            if per in ("month", "quarter"):
                w.periodic(duty, p, first, last)
            elif per in ("year", "term"):
                w.yearly(duty, p, first, end, last)
        if not monthly:  # calls no duty asks for
            for a, b in MONTHS:
                if max(a, first) <= min(b, last) and w.rng.random() < EXTRA_CALL:
                    kind = w.rng.choice(CONTACT_KINDS)
                    w.add(w.between(max(a, first), min(b, last)), p, [kind], w.text(kind, p))
    if any("group_activity" in (d.get("kinds") or ()) and d.get("per", "year") in ("year", "term")
           for d in log.duties):
        w.group(windows)
    w.entries.sort()
    body = "\n".join(text for _day, _n, text in w.entries)
    return f"volunteer: {log.id}\nyear: {YEAR}\n" + (f"entries:\n{body}\n" if body else "entries: []\n")


def render_config(g: Generator) -> str:
    entries = [f"  - programme: {p}\n    volunteer_kind: {kind}" for kind, p in g.programme_for.items()]
    return (f"version: 1\nname: 湖南省爱心妈妈结对关爱（合成基准数据，{g.n} 名儿童）\nregion: '43'\n"
            f"language: zh\nprogrammes:\n" + "\n".join(entries) + "\n"
            "vetting:\n  min_age: 18\n  max_age: 70\n"
            + seq("required_checks", CHECKS, "  ") + "\npledge:\n  term_years: 3\n")


def render_regions(g: Generator) -> str:
    return "regions:\n" + "".join(f"  - code: '{code}'\n    name: {name}\n    level: {level}\n"
                                  for code, name, level in g.regions)


def render_coordinators(g: Generator) -> str:
    return "coordinators:\n" + "".join(
        f"  - id: {rid}\n    name: {name}\n    email: {email}\n" + seq("roles", roles, "    ")
        + f"\n    regions:\n      - '{region}'\n"
        for rid, name, email, roles, region in g.coordinators)


# When records/programmes/ of this project has none, one programme that every kind can pledge to.
DEFAULT_PROGRAMME = """\
id: yueyang-village
name: 岳阳市爱心妈妈结对关爱规程（基准测试用）
province: 湖南省
source: 合成数据，仅供基准测试
applies_to:
  - local
  - remote
  - professional
duties:
  - id: home_visit
    name: 入户走访
    description: 每季度至少入户走访一次，落实“一看二联三问四帮”
    kinds:
      - home_visit
    count: 1
    per: quarter
    deadline: period_end
"""


def project_programmes() -> dict[Path, dict]:
    """This project's programme files (path -> content), copied into every generated repository."""
    files = sorted((PROJECT / "records" / "programmes").glob("*.yaml"))
    if not files:
        return {}
    import yaml  # only to read the few programme files; records are written without it

    loaded = {path: yaml.safe_load(path.read_text(encoding="utf-8")) for path in files}
    return {path: data for path, data in loaded.items() if isinstance(data, dict) and data.get("id")}


def programme_for_kinds(programmes: dict[Path, dict]) -> dict[str, str]:
    """For each volunteer kind, the programme that applies: 湖南's own first, as a real
    repository of this province would configure it."""
    if not programmes:
        return dict.fromkeys(("local", "remote", "professional"), "yueyang-village")  # the default
    choice = {}
    for kind in ("local", "remote", "professional"):
        fitting = [p for p in programmes.values() if kind in (p.get("applies_to") or [])]
        fitting = fitting or list(programmes.values())  # none fits: still name one that exists
        fitting.sort(key=lambda p: "湖南" not in str(p.get("province", "")))  # stable: file order
        choice[kind] = fitting[0]["id"]
    return choice


def programmes_by_id(copied: dict[Path, dict]) -> dict[str, dict]:
    """id -> content of the programmes the repository gets (the default one when none)."""
    if not copied:
        import yaml

        return {"yueyang-village": yaml.safe_load(DEFAULT_PROGRAMME)}
    return {data["id"]: data for data in copied.values()}


# folder under records/, kind, the Generator's list, how to render one
RECORD_FILES = (("teams", "team", "teams", render_team),
                ("volunteers", "volunteer", "volunteers", render_volunteer),
                ("children", "child", "children", render_child),
                ("pairings", "pairing", "pairings", render_pairing),
                (f"pledges/{YEAR}", "pledge", "pledges", render_pledge))
ACTIVITY_FILES = (f"activities/{YEAR}", "activity", "logs", render_activity)  # with --activities
CHUNK = 5000  # records per job of the writing processes
_shared: tuple = ()  # (generator, root, kinds): set before the pool forks, so workers need no pickling


def write_file(path: Path, text: str) -> None:
    with open(path, "wb") as f:  # bytes: skips the text layer, a third of the cost per file
        f.write(text.encode())


def write_chunk(job: tuple[int, int]) -> tuple[int, int]:
    """Render and write records [start, start + CHUNK) of one kind; runs in a worker process.
    Returns the files written and, for activity logs, their entries."""
    which, start = job
    g, root, kinds = _shared
    folder, kind, attr, render = kinds[which]
    records = getattr(g, attr)[start:start + CHUNK]
    entries = 0
    for record in records:
        text = render(record)
        if kind == "activity":
            entries += text.count("\n  - date: ")
        write_file(root / "records" / folder / f"{record.id}.yaml", text)
    return len(records), entries


def write_repository(g: Generator, root: Path, copied: dict, jobs: int) -> Counter:
    """Write every file; the records in ``jobs`` processes, as file creation dominates.
    Activity logs too when the generator made them (``g.logs``); their entries are counted
    as ``entries``."""
    global _shared
    kinds = RECORD_FILES + ((ACTIVITY_FILES,) if g.logs else ())
    counts: Counter = Counter(config=1, regions=1, coordinators=1)
    for folder in ["programmes"] + [f[0] for f in kinds]:
        (root / "records" / folder).mkdir(parents=True, exist_ok=True)
    write_file(root / "aimama.yaml", render_config(g))
    write_file(root / "records" / "regions.yaml", render_regions(g))
    write_file(root / "records" / "coordinators.yaml", render_coordinators(g))
    for path in copied:
        shutil.copyfile(path, root / "records" / "programmes" / path.name)
    if not copied:
        write_file(root / "records" / "programmes" / "yueyang-village.yaml", DEFAULT_PROGRAMME)
    counts["programme"] = len(copied) or 1

    _shared = (g, root, kinds)
    work = [(i, start) for i, (_, _, attr, _) in enumerate(kinds)
            for start in range(0, len(getattr(g, attr)), CHUNK)]
    if jobs > 1:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            written = pool.map(write_chunk, work, chunksize=1)
    else:
        written = [write_chunk(job) for job in work]
    for (i, _), (n, entries) in zip(work, written, strict=True):
        counts[kinds[i][1]] += n
        counts["entries"] += entries
    return counts


def git_commit(root: Path, message: str) -> None:
    # a fixed date makes the commit id, not only the tree, the same on every run
    env = {**os.environ, "GIT_AUTHOR_DATE": "2026-10-31T12:00:00+08:00",
           "GIT_COMMITTER_DATE": "2026-10-31T12:00:00+08:00"}
    run = lambda *args: subprocess.run(["git", *args], cwd=root, env=env, check=True)  # noqa: E731
    run("init", "-q", "-b", "main")
    gitio.configure(root)  # as `aimama init` sets up a repository of many files (docs/git.md)
    run("add", "-A")
    # gc.auto=0: otherwise the commit starts a detached `git gc` that packs the ~400k loose
    # objects for minutes, competing with the benchmark that is about to run
    run("-c", "user.name=bench", "-c", "user.email=bench@example.org", "-c", "commit.gpgsign=false",
        "-c", "gc.auto=0", "commit", "-q", "-m", message)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dir", type=Path, help="where to write the repository (new or empty)")
    parser.add_argument("--children", type=int, required=True, help="how many children")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--git", action="store_true", help="git init and commit everything")
    parser.add_argument("--unpaired", action="store_true",
                        help="no pairings: every child waits to be paired (for benchmarks/plan.py)")
    parser.add_argument("--activities", action="store_true",
                        help=f"activity logs for {YEAR}: a year of entries for every pairing active in it "
                             "(off by default: the other benchmarks' repositories stay as they were)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="processes that write the files (default: one per CPU)")
    args = parser.parse_args(argv)
    if args.children < 1:
        parser.error("--children must be at least 1")
    if args.dir.exists() and any(args.dir.iterdir()):
        parser.error(f"{args.dir} is not empty")  # never mix two generated sets

    start = time.perf_counter()
    copied = project_programmes()
    g = Generator(args.children, args.seed, programme_for_kinds(copied))
    g.build(pairings=not args.unpaired)
    if args.activities:
        g.make_activity_logs(programmes_by_id(copied))
    built = time.perf_counter()
    counts = write_repository(g, args.dir, copied, args.jobs)
    written = time.perf_counter()
    if args.git:
        git_commit(args.dir, f"Synthetic records: {args.children} children, seed {args.seed}")
    done = time.perf_counter()

    entries = counts.pop("entries", 0)
    for kind, count in counts.items():
        print(f"{kind:>13} {count:>9,}")
    print(f"{'files':>13} {sum(counts.values()):>9,}")
    if args.activities:
        print(f"{'log entries':>13} {entries:>9,}")
    ended = sum(1 for p in g.pairings if p.ended_on)
    print(f"pairings ended {ended:,}; children unpaired {sum(1 for c in g.children if not c.pairings):,} "
          f"(priority {g.unpaired_priority}); villages {len(g.villages)}, townships "
          f"{len(g.townships)}, counties {len(g.counties)}")
    print(f"seconds: build {built - start:.1f}, write {written - built:.1f}"
          + (f", git {done - written:.1f}" if args.git else "") + f", total {done - start:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
