"""The demo bloc: Đảng bộ Khối các cơ quan tỉnh Đồng Nai in its 2021 cycle (`manage.py load_demo`).

Everything goes through the services (organizations, members, reviews), so the demo obeys the
rules real data obeys: kinds of nodes, the HD 21 eligibility rules, the 20% quota of each pool,
finalized pools and a complete dossier before a unit submits. The few rows no service writes yet
(status periods, leadership collectives and their seats, user accounts) are plain model writes,
each checked by `full_clean` and marked below.

Deterministic: one `random.Random(SEED)` drives every choice and every date is fixed around 2021,
so two builds at one scale hold the same data (only the timestamps the services stamp differ).
Idempotent: when the bloc already exists nothing is written.
"""

from __future__ import annotations

import datetime
import functools
import io
import random
import zipfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.files.uploadedfile import SimpleUploadedFile

from demo.data_2021 import (
    ACCOUNT_SPECS,
    BASE_UNITS,
    BLOC_CODE,
    BLOC_NAME,
    BLOC_STAFF,
    CATALOGUE,
    CATALOGUE_BY_CODE,
    CB,
    COLLECTIVE_MERIT,
    CYCLE_TITLE,
    DB,
    DEADLINE,
    DEMO_PASSWORD,
    DOSSIER_TITLES,
    FAMILY_NAMES,
    FEMALE_GIVEN,
    FEMALE_MIDDLE,
    GUIDING_DOCUMENTS,
    HISTORY_REASON,
    LEGAL_REFERENCES,
    MALE_GIVEN,
    MALE_MIDDLE,
    MEMBER_MERIT,
    MIN_UNITS,
    NEW_CELL_FOUNDED,
    NEW_CELL_NAME,
    NEW_CELL_UNIT,
    NEW_UNIT,
    NEW_UNIT_FOUNDED,
    ORGANIZATION_MERIT,
    OUTSIDE_BODIES,
    PRIORITY_UNITS,
    REFERENCE_DATE,
    REOPEN_COMMENT,
    REOPENED_UNIT,
    RETURN_COMMENTS,
    SEAT_ROLES,
    SECRETARY_CELL,
    SEED,
    SPECIAL_COUNTS,
    STANDING_BOARD_FORMED,
    STANDING_BOARD_NAME,
    STANDING_BOARD_SIZE,
    SUGGESTION_ANSWER,
    SUGGESTION_TEXTS,
    TOP_LEVELS,
    TZ,
    VIOLATIONS,
    YEAR,
    Stage,
    UnitSpec,
)
from members.models import (
    CollectiveKind,
    CollectiveMembership,
    DisciplineForm,
    DisciplineRecord,
    Gender,
    LeadershipCollective,
    ManagingLevel,
    Member,
    MembershipEvent,
    SeatRole,
    StatusPeriod,
)
from members.services import (
    STATUS_PERIOD_FIELDS,
    collective_save,
    member_discipline,
    member_transfer,
    members_register,
    seats_add,
    status_period_record,
)
from organizations.models import (
    GrassrootsType,
    Organization,
    OrganizationChange,
    OrganizationKind,
    Role,
    RoleAssignment,
)
from organizations.services import organization_create, role_assign
from reviews.models import (
    LEVEL_RANK,
    REQUIRED_DOSSIER_KINDS,
    CycleStatus,
    CycleTransition,
    DossierItem,
    Level,
    Notification,
    Pool,
    PoolTransition,
    Rating,
    RatingChange,
    ReviewCycle,
    RuleSetCode,
    SubjectKind,
    Submission,
    SubmissionState,
    SubmissionTransition,
)
from reviews.quota import quota_status_from_counts
from reviews.rules import rule_set_for
from reviews.selectors import eligibilities
from reviews.services import (
    cycle_change_status,
    cycle_create,
    dossier_item_add,
    guiding_document_publish,
    issue_answer,
    issue_review,
    pools_finalize,
    question_act,
    question_ask,
    ratings_record,
    submission_change_state,
    suggestion_draft,
    suggestion_issue,
)


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _office_head(cell: str) -> str:
    """The post of whoever heads the office a cell is named after ("" when no one does)."""
    for prefix, post in (
        ("Phòng ", "Trưởng phòng "),
        ("Khoa ", "Trưởng khoa "),
        ("Chi cục ", "Chi cục trưởng "),
        ("Đội ", "Đội trưởng "),
        ("Hạt ", "Hạt trưởng "),
        ("Trạm ", "Trạm trưởng "),
    ):
        if cell.startswith(prefix):
            return post + cell.removeprefix(prefix)
    if cell.startswith(
        ("Văn phòng Đăng ký", "Trung tâm", "Bảo tàng", "Thư viện", "Nhà hát", "Cơ sở")
    ):
        return f"Giám đốc {cell}"
    if cell.startswith(("Văn phòng", "Thanh tra")):
        return f"Chánh {cell}"
    if cell.startswith("Tòa "):
        return f"Chánh tòa {cell}"
    if cell.startswith(("Ban ", "Bộ môn ", "Ủy ban ")):
        return f"Trưởng {cell}"
    return ""


def demo_seat(collective, member, title: str, starts_on: datetime.date) -> CollectiveMembership:
    """An unsaved seat with the role its title carries in the demo (`SEAT_ROLES`)."""
    return CollectiveMembership(
        collective=collective,
        member=member,
        position=title,
        role=SEAT_ROLES.get(title, SeatRole.MEMBER),
        starts_on=starts_on,
    )


def _aware(day: datetime.date, hour: int, minute: int) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


def _sample_docx(*lines: str) -> bytes:
    """A minimal Word document (the dossier's sample minutes, decision and report), one
    centred paragraph per line, in Times New Roman 14 as party documents are (DOMAIN.md §9)."""
    paragraphs = "".join(
        '<w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:rPr>'
        '<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman"/><w:sz w:val="28"/>'
        f"</w:rPr><w:t>{escape(line)}</w:t></w:r></w:p>"
        for line in lines
    )
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Target="word/document.xml" Type="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships/officeDocument"/></Relationships>'
        ),
        "word/document.xml": (
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f"<w:body>{paragraphs}</w:body></w:document>"
        ),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, xml in parts.items():
            header = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            archive.writestr(zipfile.ZipInfo(name, (2021, 11, 15, 8, 0, 0)), header + xml)
    return buffer.getvalue()


# --- A member before it is written ---------------------------------------------------------------


@dataclass
class MemberPlan:
    cell: str  # the code of the cell the member is created in
    unit: str  # the code of the grassroots unit the member ends in
    full_name: str
    gender: str
    date_of_birth: datetime.date
    admitted_on: datetime.date
    official_on: datetime.date | None
    is_civil_servant: bool
    leadership_post: str = ""
    managing_level: str = ""
    board_seat: str = ""
    special: str = ""
    card_number: str = ""
    transferred_in_on: datetime.date | None = None
    transferred_from: str = ""
    move_to: str = ""
    move_on: datetime.date | None = None
    move_note: str = ""
    member: Member = field(init=False, repr=False)

    @property
    def is_plain(self) -> bool:
        return not self.special and not self.leadership_post and not self.move_to


# --- Entry points --------------------------------------------------------------------------------


@functools.cache
def _demo_password_hash() -> str:
    """Hashed once per process: the hasher is slow on purpose (about 0.5 s a hash), and every
    demo account shares the published password."""
    return make_password(DEMO_PASSWORD)


def demo_account_create(username: str, **fields: Any) -> Any:
    """A demo account with the published password, checked by the password validators."""
    user_model = get_user_model()
    validate_password(DEMO_PASSWORD, user_model(username=username, **fields))
    user = user_model(username=username, password=_demo_password_hash(), **fields)
    user.save()
    return user


def demo_counts() -> dict[str, int]:
    """Rows of each model the demo writes."""
    models = (
        Organization,
        OrganizationChange,
        RoleAssignment,
        Member,
        StatusPeriod,
        MembershipEvent,
        DisciplineRecord,
        LeadershipCollective,
        CollectiveMembership,
        ReviewCycle,
        CycleTransition,
        Pool,
        PoolTransition,
        Rating,
        RatingChange,
        Submission,
        SubmissionTransition,
        DossierItem,
        Notification,
        get_user_model(),
    )
    return {model.__name__: model.objects.count() for model in models}


# --- The builder ---------------------------------------------------------------------------------


class _Builder:
    def __init__(self, *, scale: float):
        self.scale = scale
        self.rng = random.Random(SEED)  # noqa: S311 - demo data, not secrets
        self.orgs: dict[str, Organization] = {}
        self.unit_of: dict[str, str] = {}  # organization code -> its grassroots unit's code
        self.parent_of: dict[str, str] = {}  # organization code -> its parent's code
        self.cells_of: dict[str, list[str]] = defaultdict(list)  # unit -> member-holding nodes
        self.subs_of: dict[str, list[str]] = defaultdict(list)  # unit -> sub-committees
        self.stage: dict[str, str] = {}  # unit -> Stage
        self.plans: list[MemberPlan] = []
        self.users: dict[str, Any] = {}
        self.committee_size: dict[str, int] = {}

    def build(self) -> None:
        """In the order the domain works (DOMAIN.md §6): the tree, its people, then the cycle."""
        units = self.choose_units()
        self.create_organizations(units)
        self.plan_members(units)
        self.plan_special_cases()
        self.plan_card_numbers()
        self.create_members()
        self.create_users()
        self.create_collectives(units)
        self.open_cycle()
        _Ratings(self).record()
        self.guidance_and_suggestions()
        from demo.papers import papers_2021  # it builds on this module

        papers_2021(self)
        self.submit()

    def day(self, start: datetime.date, end: datetime.date) -> datetime.date:
        return start + datetime.timedelta(days=self.rng.randint(0, (end - start).days))

    def year_between(self, first: int, last: int) -> datetime.date:
        return self.day(datetime.date(first, 1, 1), datetime.date(last, 12, 31))

    def count(self, special: str) -> int:
        full, minimum = SPECIAL_COUNTS[special]
        return max(minimum, round(full * self.scale))

    def clerk_of(self, unit: str):
        specs = [s for s in ACCOUNT_SPECS if s.role == Role.CLERK and s.organization == unit]
        return self.users[specs[0].username] if specs else None

    # --- the tree ---

    def choose_units(self) -> list[UnitSpec]:
        wanted = min(len(CATALOGUE), max(MIN_UNITS, round(BASE_UNITS * self.scale)))
        others = [spec.code for spec in CATALOGUE if spec.code not in PRIORITY_UNITS]
        chosen = {*PRIORITY_UNITS, *self.rng.sample(others, wanted - len(PRIORITY_UNITS))}
        units = [spec for spec in CATALOGUE if spec.code in chosen]
        # Above the catalogue's size, larger cells make up for the units it does not have.
        self.size_factor = max(1.0, self.scale * BASE_UNITS / len(units))
        total = len(units)
        targets = {
            Stage.APPROVED: round(total / 3),
            Stage.RETURNED: max(1, round(total * 0.025)),
            Stage.SUBMITTED: round(total * 0.17),
            Stage.PROPOSED: round(total * 0.22),
        }
        for stage in PRIORITY_UNITS.values():
            targets[stage] = targets.get(stage, 0) - 1
        rest = [spec.code for spec in units if spec.code not in PRIORITY_UNITS]
        pending = [stage for stage, n in targets.items() for _ in range(max(n, 0))]
        pending = (pending + [Stage.STARTED] * len(rest))[: len(rest)]
        self.rng.shuffle(pending)
        self.stage = {**PRIORITY_UNITS, **dict(zip(rest, pending, strict=True))}
        return units

    def create_organization(self, *, parent: Organization | None, code: str, **fields: Any):
        organization = organization_create(parent=parent, code=code, **fields)
        self.orgs[code] = organization
        if parent is not None:
            self.parent_of[code] = parent.code
            self.unit_of[code] = self.unit_of.get(parent.code, code)
        return organization

    def create_organizations(self, units: list[UnitSpec]) -> None:
        bloc = self.create_organization(
            parent=None,
            code=BLOC_CODE,
            kind=OrganizationKind.BLOC,
            name=BLOC_NAME,
            founded_on=datetime.date(1992, 9, 1),
            address="Thành phố Biên Hòa, tỉnh Đồng Nai",
        )
        for spec in units:
            founded = NEW_UNIT_FOUNDED if spec.code == NEW_UNIT else self.year_between(1976, 2012)
            unit = self.create_organization(
                parent=bloc,
                code=spec.code,
                kind=spec.kind,
                name=spec.name,
                grassroots_type=spec.grassroots_type,
                founded_on=founded,
            )
            if spec.kind == CB:
                self.cells_of[spec.code].append(spec.code)
            for number, cell in enumerate(spec.cells, start=1):
                new = (spec.code, cell) == (NEW_CELL_UNIT, NEW_CELL_NAME)
                self.create_cell(
                    parent=unit,
                    code=f"{spec.code}-{number:02d}",
                    name=cell,
                    founded_on=NEW_CELL_FOUNDED if new else self.year_between(founded.year, 2019),
                )
            for number, (sub_name, sub_cells) in enumerate(spec.subs, start=1):
                sub = self.create_organization(
                    parent=unit,
                    code=f"{spec.code}-B{number}",
                    kind=OrganizationKind.SUB_COMMITTEE,
                    name=f"Đảng bộ bộ phận {sub_name}",
                    founded_on=self.year_between(max(founded.year, 1995), 2015),
                )
                self.subs_of[spec.code].append(sub.code)
                for cell_number, cell in enumerate(sub_cells, start=1):
                    self.create_cell(
                        parent=sub,
                        code=f"{sub.code}-{cell_number:02d}",
                        name=cell,
                        founded_on=self.year_between(sub.founded_on.year, 2019),
                    )

    def create_cell(self, *, parent: Organization, code: str, name: str, founded_on) -> None:
        self.create_organization(
            parent=parent,
            code=code,
            kind=OrganizationKind.CELL,
            name=f"Chi bộ {name}",
            founded_on=founded_on,
        )
        self.cells_of[self.unit_of[code]].append(code)

    def cell_named(self, unit: str, name: str) -> str:
        return next(c for c in self.cells_of[unit] if self.orgs[c].name == f"Chi bộ {name}")

    # --- people ---

    def name(self, gender: str, born: datetime.date) -> str:
        rng = self.rng

        def pick(pairs) -> str:
            values, weights = zip(*pairs, strict=True)
            return rng.choices(values, weights)[0]

        family = pick(FAMILY_NAMES)
        if gender == Gender.MALE:
            middle, givens = [pick(MALE_MIDDLE)], MALE_GIVEN
        else:
            givens = FEMALE_GIVEN
            if rng.random() < (0.85 if born.year < 1980 else 0.65):
                middle = ["Thị", pick(FEMALE_MIDDLE)] if rng.random() < 0.4 else ["Thị"]
            else:
                middle = [pick(FEMALE_MIDDLE)]
        given = rng.choice(givens)
        while given in middle:
            given = rng.choice(givens)
        return " ".join([family, *middle, given])

    def person(self, *, cell: str, born_to: int = 1998, female_share: float = 0.48) -> MemberPlan:
        """Born 1962–1998, admitted at 20–40 (mostly in the twenties), official a year later."""
        rng = self.rng
        gender = Gender.FEMALE if rng.random() < female_share else Gender.MALE
        born = self.year_between(1962, born_to)
        age = 20 + int(rng.betavariate(1.6, 3.2) * 20)
        admitted = _add_years(born, age) + datetime.timedelta(days=rng.randint(0, 364))
        admitted = max(min(admitted, datetime.date(2020, 6, 30)), _add_years(born, 20))
        return MemberPlan(
            cell=cell,
            unit=self.unit_of[cell],
            full_name=self.name(gender, born),
            gender=gender,
            date_of_birth=born,
            admitted_on=admitted,
            official_on=_add_years(admitted, 1),
            is_civil_servant=rng.random() < 0.5,
        )

    def leader(self, *, cell: str, post: str, level: str, born_to: int, seat: str = ""):
        plan = self.person(cell=cell, born_to=born_to, female_share=0.3)
        plan.leadership_post, plan.managing_level, plan.board_seat = post, level, seat
        plan.is_civil_servant = True
        return plan

    def plan_members(self, units: list[UnitSpec]) -> None:
        """Each unit: its head and deputies, the head of each office, then the other members."""
        rng = self.rng
        new_cell = self.cell_named(NEW_CELL_UNIT, NEW_CELL_NAME)
        for spec in units:
            if spec.code == NEW_UNIT:
                continue  # staffed by internal transfers (plan_special_cases)
            cells = [cell for cell in self.cells_of[spec.code] if cell != new_cell]
            low, high = (9, 30) if spec.kind == CB else (12, 24) if spec.big else (6, 18)
            sizes = {c: max(3, round(rng.randint(low, high) * self.size_factor)) for c in cells}
            people: list[MemberPlan] = []
            if spec.code == "CQDUK":
                sizes[spec.code] += len(BLOC_STAFF)
                people += [
                    self.leader(cell=spec.code, post=post, level=level, born_to=1975, seat=seat)
                    for post, level, seat in BLOC_STAFF
                ]
            else:
                head_level = (
                    ManagingLevel.DISTRICT
                    if spec.kind == CB and spec.grassroots_type != GrassrootsType.STATE_AGENCY
                    else ManagingLevel.PROVINCE
                )
                people.append(
                    self.leader(cell=cells[0], post=spec.head, level=head_level, born_to=1978)
                )
                for index in range(1 if spec.kind == CB else rng.randint(2, 3)):
                    people.append(
                        self.leader(
                            cell=cells[min(index + 1, len(cells) - 1)],
                            post=spec.deputy,
                            level=ManagingLevel.DISTRICT,
                            born_to=1982,
                        )
                    )
            if spec.kind == DB:
                for cell in cells:
                    post = _office_head(self.orgs[cell].name.removeprefix("Chi bộ "))
                    if post:
                        people.append(
                            self.leader(
                                cell=cell, post=post, level=ManagingLevel.GRASSROOTS, born_to=1988
                            )
                        )
            placed = Counter(plan.cell for plan in people)
            for cell in cells:
                people += [self.person(cell=cell) for _ in range(sizes[cell] - placed[cell])]
            self.plans += people

    def plan_special_cases(self) -> None:
        """Spread the special cases of DOMAIN.md §4–5 over plain members, one case each."""
        rng = self.rng
        plain = [plan for plan in self.plans if plan.is_plain and plan.unit != "CQDUK"]
        rng.shuffle(plain)
        new_cell = self.cell_named(NEW_CELL_UNIT, NEW_CELL_NAME)

        def take(count: int, condition=lambda plan: True) -> list[MemberPlan]:
            free = (p for p in plain if not p.special and not p.move_to and condition(p))
            return [plan for plan, _ in zip(free, range(count), strict=False)]

        # The newly formed unit and cell are staffed by internal transfers.
        state_agencies = {
            s.code for s in CATALOGUE if s.grassroots_type == GrassrootsType.STATE_AGENCY
        }
        movers = take(
            max(6, round(12 * self.size_factor)),
            lambda p: p.unit in state_agencies and p.unit != NEW_CELL_UNIT,
        )
        for plan in movers:
            self.plan_move(plan, NEW_UNIT, NEW_UNIT_FOUNDED, "Điều động về đơn vị mới thành lập")
        spec = CATALOGUE_BY_CODE[NEW_UNIT]
        movers[0].leadership_post, movers[0].managing_level = spec.head, ManagingLevel.DISTRICT
        movers[1].leadership_post, movers[1].managing_level = spec.deputy, ManagingLevel.GRASSROOTS
        movers[0].is_civil_servant = movers[1].is_civil_servant = True
        for plan in take(6, lambda p: p.unit == NEW_CELL_UNIT):
            self.plan_move(plan, new_cell, NEW_CELL_FOUNDED, "Chuyển về chi bộ mới thành lập")

        for plan in take(self.count("new_member"), lambda p: p.date_of_birth.year >= 1984):
            plan.special = "new_member"
            plan.admitted_on = self.day(datetime.date(2021, 6, 1), datetime.date(2021, 11, 5))
            plan.official_on = None
        # Probationary and rated: admitted 7 to 11 months before the reference date.
        for plan in take(self.count("probationary"), lambda p: p.date_of_birth.year >= 1982):
            plan.special = "probationary"
            plan.admitted_on = self.day(datetime.date(2020, 12, 16), datetime.date(2021, 4, 15))
            plan.official_on = None
        for plan in take(self.count("exempt"), lambda p: p.date_of_birth.year <= 1968):
            plan.special = "exempt"
        for special in ("suspended", "long_sick_leave", "short_sick_leave", "disciplined"):
            for plan in take(self.count(special)):
                plan.special = special
        for plan in take(
            self.count("maternity_leave"),
            lambda p: p.gender == Gender.FEMALE and p.date_of_birth.year >= 1984,
        ):
            plan.special = "maternity_leave"
        for plan in take(self.count("transferred_in")):
            plan.special = "transferred_in"
            plan.transferred_in_on = self.day(
                datetime.date(2021, 1, 4), datetime.date(2021, 10, 29)
            )
            plan.transferred_from = rng.choice(OUTSIDE_BODIES)
        for plan in take(self.count("internal_transfer")):
            targets = [c for c in self.cells_of[plan.unit] if c not in (plan.cell, new_cell)]
            if not targets:  # a chi bộ cơ sở: to a cell of another unit
                targets = [
                    cell
                    for unit, cells in self.cells_of.items()
                    if unit not in (plan.unit, NEW_UNIT)
                    for cell in cells
                    if cell != new_cell
                ]
            plan.special = "internal_transfer"
            on = self.day(datetime.date(2021, 2, 1), datetime.date(2021, 9, 30))
            self.plan_move(
                plan, rng.choice(targets), on, "Chuyển sinh hoạt theo điều động công tác"
            )
        for plan in take(self.count("civil_service_not_completed")):
            plan.special = "civil_service_not_completed"
            plan.is_civil_servant = True

    def plan_move(self, plan: MemberPlan, to: str, on: datetime.date, note: str) -> None:
        plan.move_to, plan.move_on, plan.move_note = to, on, note
        plan.unit = self.unit_of[to]

    def plan_card_numbers(self) -> None:
        """Unique 8-digit numbers; none yet for the newest members and for some probationary."""
        numbers = self.rng.sample(range(10_000_000, 100_000_000), len(self.plans))
        for plan, number in zip(self.plans, numbers, strict=True):
            no_card = plan.special == "new_member" or (
                plan.special == "probationary" and self.rng.random() < 0.5
            )
            plan.card_number = "" if no_card else f"{number:08d}"

    def create_members(self) -> None:
        rng = self.rng
        registered = members_register(
            entries=[
                {
                    "organization": self.orgs[plan.cell],
                    "full_name": plan.full_name,
                    "transferred_in_on": plan.transferred_in_on,
                    "transferred_from": plan.transferred_from,
                    "gender": plan.gender,
                    "date_of_birth": plan.date_of_birth,
                    "card_number": plan.card_number,
                    "admitted_on": plan.admitted_on,
                    "official_on": plan.official_on,
                    "is_civil_servant": plan.is_civil_servant,
                    "leadership_post": plan.leadership_post,
                    "managing_level": plan.managing_level,
                }
                for plan in self.plans
            ]
        )
        for plan, member in zip(self.plans, registered, strict=True):
            plan.member = member
        for plan in self.plans:
            if plan.move_to:
                plan.member = member_transfer(
                    member=plan.member,
                    to_organization=self.orgs[plan.move_to],
                    on=plan.move_on,
                    note=plan.move_note,
                )
        for plan in self.plans:
            for period in self.status_periods(plan):
                status_period_record(
                    member=plan.member,
                    **{name: getattr(period, name) for name in STATUS_PERIOD_FIELDS},
                )
        disciplined = [plan for plan in self.plans if plan.special == "disciplined"]
        for number, plan in enumerate(disciplined, start=1):
            warning = number % 3 == 2  # one in three: cảnh cáo
            cell = self.orgs[plan.move_to or plan.cell]
            member_discipline(
                member=plan.member,
                form=DisciplineForm.WARNING if warning else DisciplineForm.REPRIMAND,
                decision_number=(
                    f"{rng.randint(10, 60)}-QĐ/UBKTĐUK"
                    if warning
                    else f"{rng.randint(1, 20)}-QĐ/CB"
                ),
                decided_on=self.day(datetime.date(2021, 3, 1), datetime.date(2021, 10, 29)),
                violation=rng.choice(VIOLATIONS),
                issued_by="Ủy ban Kiểm tra Đảng ủy Khối" if warning else cell.name,
            )

    def status_periods(self, plan: MemberPlan) -> list[StatusPeriod]:
        rng, days, kinds = self.rng, datetime.timedelta, StatusPeriod.Kind

        def period(kind: str, start: datetime.date, length: int | None, **fields) -> StatusPeriod:
            ends = start + days(length) if length is not None else None
            return StatusPeriod(
                member=plan.member, kind=kind, starts_on=start, ends_on=ends, **fields
            )

        if plan.special == "exempt":
            return [
                period(
                    kinds.EXEMPT,
                    self.day(datetime.date(2019, 6, 1), datetime.date(2021, 6, 30)),
                    None,
                    reference=f"{rng.randint(20, 90)}-QĐ/ĐU",
                    note="Bệnh hiểm nghèo, điều trị dài ngày.",
                )
            ]
        if plan.special == "suspended":
            return [
                period(
                    kinds.SUSPENDED,
                    self.day(datetime.date(2021, 4, 1), datetime.date(2021, 10, 15)),
                    None,
                    reference=f"{rng.randint(10, 60)}-QĐ/UBKTĐUK",
                    note="Trong thời gian cơ quan chức năng điều tra.",
                )
            ]
        if plan.special == "long_sick_leave":
            first = self.day(datetime.date(2021, 1, 11), datetime.date(2021, 6, 1))
            if rng.random() < 0.4:  # two spells that add up to three months or more
                second = first + days(rng.randint(70, 90))
                return [
                    period(kinds.SICK_LEAVE, first, 49, note="Điều trị phẫu thuật"),
                    period(kinds.SICK_LEAVE, second, 44, note="Điều trị sau phẫu thuật"),
                ]
            return [period(kinds.SICK_LEAVE, first, rng.randint(95, 150), note="Ốm dài ngày")]
        if plan.special == "short_sick_leave":
            start = self.day(datetime.date(2021, 2, 1), datetime.date(2021, 9, 1))
            return [period(kinds.SICK_LEAVE, start, rng.randint(14, 60), note="Nghỉ ốm")]
        if plan.special == "maternity_leave":
            start = self.day(datetime.date(2021, 1, 15), datetime.date(2021, 7, 15))
            return [period(kinds.MATERNITY_LEAVE, start, 181, note="Nghỉ chế độ thai sản")]
        return []

    # --- accounts ---

    def create_users(self) -> None:
        """No service creates users: `create_user` hashes the password; an existing account is
        kept as it is (its password untouched)."""
        user_model = get_user_model()
        for spec in ACCOUNT_SPECS:
            user = user_model.objects.filter(username=spec.username).first()
            if user is None:
                fields = {
                    "first_name": spec.first_name,
                    "last_name": spec.last_name,
                    "is_staff": not spec.role,
                    "is_superuser": not spec.role,
                }
                user = demo_account_create(spec.username, **fields)
            self.users[spec.username] = user
            if spec.role:
                if spec.organization == "cell":
                    organization = self.orgs[self.cell_named(*SECRETARY_CELL)]
                else:
                    organization = self.orgs[spec.organization]
                role_assign(user=user, organization=organization, role=spec.role)

    # --- leadership collectives ---

    def create_collectives(self, units: list[UnitSpec]) -> None:
        """The bloc's standing board and each đảng bộ cơ sở's executive committee."""
        rng = self.rng
        memberships: list[CollectiveMembership] = []

        def collective(organization: Organization, name: str, kind: str, level: str, formed):
            return collective_save(
                acting_user=None,
                organization=organization,
                name=name,
                kind=kind,
                managing_level=level,
                formed_on=formed,
            )

        board = collective(
            self.orgs[BLOC_CODE],
            STANDING_BOARD_NAME,
            CollectiveKind.STANDING_BOARD,
            ManagingLevel.PROVINCE,
            STANDING_BOARD_FORMED,
        )
        seats = [(plan, plan.board_seat) for plan in self.plans if plan.board_seat]
        heads = [
            plan
            for plan in self.plans
            if plan.managing_level == ManagingLevel.PROVINCE and not plan.board_seat
        ]
        seats += [
            (plan, "Ủy viên Ban Thường vụ") for plan in heads[: STANDING_BOARD_SIZE - len(seats)]
        ]
        memberships += [
            demo_seat(board, plan.member, position, STANDING_BOARD_FORMED)
            for plan, position in seats
        ]
        for spec in units:
            if spec.kind != DB:
                continue
            formed = self.day(datetime.date(2020, 4, 6), datetime.date(2020, 6, 26))
            committee = collective(
                self.orgs[spec.code],
                f"Ban Chấp hành {spec.name}",
                CollectiveKind.PARTY_COMMITTEE,
                ManagingLevel.DISTRICT,
                formed,
            )
            people = [
                p for p in self.plans if p.unit == spec.code and not p.special and not p.move_to
            ]
            # The head (secretary), the deputies, then members without a post: an office head
            # managed by the unit would have to wait for the bloc to rate this committee (§6).
            leaders = [p for p in people if p.managing_level in TOP_LEVELS]
            others = [p for p in people if not p.leadership_post]
            size = rng.choice((7, 7, 9) if len(people) > 80 else (5, 5, 7))
            chosen = leaders[: size - 3]
            chosen += rng.sample(others, size - len(chosen))
            self.committee_size[spec.code] = len(chosen)
            positions = ["Bí thư", "Phó Bí thư"] + ["Ủy viên Ban Chấp hành"] * (len(chosen) - 2)
            memberships += [
                demo_seat(committee, plan.member, position, formed)
                for plan, position in zip(chosen, positions, strict=True)
            ]
        seats_add(seats=memberships, acting_user=None)

    # --- the cycle ---

    def open_cycle(self) -> None:
        board = self.users["bantochuc"]
        cycle = cycle_create(
            organization=self.orgs[BLOC_CODE],
            year=YEAR,
            title=CYCLE_TITLE,
            rule_set=RuleSetCode.HD21_2019,
            deadline=DEADLINE,
            reference_date=REFERENCE_DATE,
            legal_references=LEGAL_REFERENCES,
            quota_rate=Decimal("0.200"),
            acting_user=board,
        )
        # Opening prepares the pools, one rating record per subject and the submissions.
        self.cycle = cycle_change_status(cycle=cycle, status=CycleStatus.OPEN, acting_user=board)

    def guidance_and_suggestions(self) -> None:
        """Letter points 2 and 4 in the demo: the Board publishes the cycle's documents; the
        Inspection Committee issues suggestions to Bệnh viện Đa khoa's committee and to one of
        its leaders, answered and accepted (before the unit is approved), and one to Sở Tài
        chính's committee still waiting; Sở Tài chính asks about a member on long sick leave,
        the Board answers it for all units; Sở Y tế's question still waits."""
        board, inspector = self.users["bantochuc"], self.users["uybankiemtra"]
        for number, issued_on, title, slug in GUIDING_DOCUMENTS:
            guiding_document_publish(
                cycle=self.cycle,
                number=number,
                issued_on=issued_on,
                title=title,
                upload=SimpleUploadedFile(f"{slug}.docx", _sample_docx(f"{number}: {title}")),
                acting_user=board,
            )
        committees = {
            c.organization.code: c
            for c in LeadershipCollective.objects.filter(
                kind=CollectiveKind.PARTY_COMMITTEE
            ).select_related("organization")
        }
        hospital_leader = next(
            plan.member
            for plan in self.plans
            if plan.unit == "BVDK" and plan.managing_level == ManagingLevel.PROVINCE
        )
        targets = [
            ("BVDK", {"collective": committees["BVDK"]}, True),
            ("BVDK", {"member": hospital_leader}, True),
            ("STC", {"collective": committees["STC"]}, False),
        ]
        for number, (unit, target, answered) in enumerate(targets, start=1):
            title, issues = SUGGESTION_TEXTS[number - 1]
            suggestion = suggestion_draft(
                cycle=self.cycle, title=title, issues=issues, acting_user=inspector, **target
            )
            suggestion_issue(
                suggestion=suggestion,
                document_number=f"{240 + number}-CV/ĐUK",
                issued_on=datetime.date(2021, 10, 28),
                acting_user=inspector,
            )
            if not answered:
                continue
            for issue in suggestion.issues.all():
                issue_answer(
                    issue=issue,
                    explanation=SUGGESTION_ANSWER,
                    cause="Chủ quan: chưa sâu sát; khách quan: dịch bệnh COVID-19 kéo dài.",
                    responsibility="Tập thể Ban Thường vụ và đồng chí Bí thư.",
                    acting_user=self.clerk_of(unit),
                )
                issue_review(issue=issue, accept=True, comment="", acting_user=inspector)
        sick = (
            Member.objects.filter(
                organization__path__startswith=self.orgs["STC"].path,
                status_periods__kind=StatusPeriod.Kind.SICK_LEAVE,
            ).first()
            or Member.objects.filter(organization__path__startswith=self.orgs["STC"].path).first()
        )
        clerk = self.users["canbo.stc"]
        question = question_ask(
            cycle=self.cycle,
            unit=self.orgs["STC"],
            title="Xếp loại đảng viên nghỉ ốm dài ngày",
            text=(
                f"Đồng chí {sick.full_name} nghỉ ốm cộng dồn hơn 3 tháng trong năm 2021. "
                "Đề nghị Ban Tổ chức hướng dẫn đồng chí có được xếp loại không, ở mức nào?"
            ),
            member=sick,
            rule="HD 21-HD/BTCTW, điểm 1.3",
            acting_user=clerk,
        )
        question_act(
            question=question,
            action="answer",
            text=(
                "Đảng viên nghỉ ốm từ 3 tháng trở lên trong năm vẫn kiểm điểm và xếp loại, "
                "nhưng không xếp loại cao hơn “Hoàn thành nhiệm vụ” (HD 21-HD/BTCTW). "
                "Áp dụng chung cho các đơn vị."
            ),
            share=True,
            acting_user=board,
        )
        question_ask(
            cycle=self.cycle,
            unit=self.orgs["SYT"],
            title="Chi bộ mới thành lập sau sáp nhập",
            text=(
                "Chi bộ được thành lập lại tháng 8/2021 do sáp nhập hai phòng: có xếp loại "
                "chất lượng tổ chức đảng năm nay không?"
            ),
            rule="HD 21-HD/BTCTW, mục về tổ chức đảng mới thành lập",
            acting_user=None,
        )

    def submit(self) -> None:
        """Units past their decisions: pools finalized, dossier attached, sent; then approved or
        returned by the Ban Tổ chức. A few are sent after the deadline."""
        rng = self.rng
        board = self.users["bantochuc"]
        pools = defaultdict(list)
        for pool in Pool.objects.filter(cycle=self.cycle).select_related("owner").order_by("pk"):
            pools[pool.owner.code].append(pool)
        approved = sorted(unit for unit, stage in self.stage.items() if stage == Stage.APPROVED)
        late = set(rng.sample(approved, max(1, round(len(approved) * 0.12))))
        comments = iter(RETURN_COMMENTS * len(self.stage))
        submissions = Submission.objects.filter(cycle=self.cycle).select_related("organization")
        for submission in sorted(submissions, key=lambda s: s.organization.path):
            unit = submission.organization.code
            stage = self.stage[unit]
            if stage not in Stage.DECIDED:
                continue
            clerk = self.clerk_of(unit)
            pools_finalize(pools=pools[unit], acting_user=clerk)  # at one meeting
            name = submission.organization.name
            for kind in REQUIRED_DOSSIER_KINDS:
                title, slug = DOSSIER_TITLES[kind]
                content = _sample_docx(
                    "ĐẢNG BỘ KHỐI CÁC CƠ QUAN TỈNH ĐỒNG NAI",
                    name.upper(),
                    title.upper(),
                    CYCLE_TITLE,
                    "(Tài liệu mẫu của dữ liệu trình diễn)",
                )
                dossier_item_add(
                    submission=submission,
                    kind=kind,
                    upload=SimpleUploadedFile(f"{slug}-{unit.lower()}.docx", content),
                    acting_user=clerk,
                    title=f"{title} năm 2021 - {name}",
                )
            if unit in late:
                day = self.day(DEADLINE + datetime.timedelta(days=1), datetime.date(2021, 11, 30))
            else:
                day = self.day(datetime.date(2021, 11, 16), datetime.date(2021, 11, 24))
            at = _aware(day, rng.randint(7, 16), rng.choice((0, 15, 30, 45)))
            submission = submission_change_state(
                submission=submission, state=SubmissionState.SUBMITTED, acting_user=clerk, at=at
            )
            later = at + datetime.timedelta(days=rng.randint(1, 4), hours=rng.randint(0, 3))
            if stage == Stage.APPROVED:
                submission_change_state(
                    submission=submission,
                    state=SubmissionState.APPROVED,
                    acting_user=board,
                    at=later,
                )
            elif stage == Stage.RETURNED:
                submission_change_state(
                    submission=submission,
                    state=SubmissionState.RETURNED,
                    acting_user=board,
                    at=later,
                    comment=next(comments),
                )
        # The Board reopens one approved report: a decision must be corrected.
        if REOPENED_UNIT in self.stage:
            submission = Submission.objects.get(
                cycle=self.cycle, organization=self.orgs[REOPENED_UNIT]
            )
            submission_change_state(
                submission=submission,
                state=SubmissionState.REOPENED,
                acting_user=board,
                at=_aware(datetime.date(2021, 11, 26), 9, 30),
                comment=REOPEN_COMMENT,
            )


# --- Ratings -------------------------------------------------------------------------------------


class _Ratings:
    """Fills the rating records the opening created, with one `ratings_record` call per pool.

    A level is drawn from the published distributions, bounded by the rules (the forced and
    capped levels `eligibilities` reports), then cut to each pool's quota the way a committee
    does: the proposal keeps the cell's HTXSNV, the decision cuts it to HTTNV.
    """

    def __init__(self, builder: _Builder):
        self.b = builder
        self.rng = builder.rng
        self.cycle = builder.cycle
        self.rules = rule_set_for(self.cycle.rule_set)
        self.plan_of = {plan.member.pk: plan for plan in builder.plans}
        self.code_of = {org.pk: code for code, org in builder.orgs.items()}
        self.changes: dict[int, dict[int, dict[str, Any]]] = defaultdict(dict)
        self.pool_owner: dict[int, str] = {}
        self.pool_kind: dict[int, str] = {}
        self.pool_depth: dict[int, int] = {}
        self.member_levels: dict[int, str] = {}  # would-be decided level per rated member id
        self.civil_levels: dict[int, str] = {}
        self.cell_quality: dict[str, str] = {}  # drawn per member-holding organization

    def record(self) -> None:
        for pool in Pool.objects.filter(cycle=self.cycle).select_related("owner"):
            self.pool_owner[pool.pk] = pool.owner.code
            self.pool_kind[pool.pk] = pool.subject_kind
            self.pool_depth[pool.pk] = pool.owner.depth
        ratings = list(
            Rating.objects.filter(cycle=self.cycle)
            .select_related("member", "organization", "collective")
            .order_by("pk")
        )
        by_kind: dict[str, list[Rating]] = defaultdict(list)
        for rating in ratings:
            by_kind[rating.subject_kind].append(rating)
        self.rate_members(by_kind[SubjectKind.MEMBER])
        self.rate_leaders(by_kind[SubjectKind.LEADER])
        self.rate_organizations(by_kind[SubjectKind.ORGANIZATION])
        self.rate_collectives(by_kind[SubjectKind.COLLECTIVE])
        # Lower before higher (a unit's cells before the bloc decides the unit), a collective
        # before its members, a unit before its head (§6).
        order = [
            SubjectKind.MEMBER,
            SubjectKind.ORGANIZATION,
            SubjectKind.COLLECTIVE,
            SubjectKind.LEADER,
        ]
        # The pools of one kind and level that one person records go in one call, as a clerk
        # enters a whole unit (the rules are checked after each call's write).
        board = self.b.users["bantochuc"]
        batches: dict[tuple, dict[int, dict]] = defaultdict(dict)
        for pool_id in sorted(
            self.changes,
            key=lambda pk: (order.index(self.pool_kind[pk]), -self.pool_depth[pk], pk),
        ):
            owner = self.pool_owner[pool_id]
            recorder = board if owner == BLOC_CODE else self.b.clerk_of(owner)
            key = (order.index(self.pool_kind[pool_id]), -self.pool_depth[pool_id], recorder)
            batches[key].update(self.changes[pool_id])
        for (_kind, _depth, recorder), changes in batches.items():
            ratings_record(
                cycle=self.cycle, changes=changes, acting_user=recorder, reason=HISTORY_REASON
            )

    # --- shared steps ---

    def stage_of(self, organization_id: int) -> str | None:
        unit = self.b.unit_of.get(self.code_of[organization_id])
        return self.b.stage.get(unit) if unit else None

    def draw(self, distribution) -> str:
        levels, weights = zip(*distribution, strict=True)
        return self.rng.choices(levels, weights)[0]

    @staticmethod
    def bound(level: str, verdict) -> str:
        """The level, lowered to what the rules allow (or the level they force)."""
        if verdict.forced_level:
            return verdict.forced_level
        return max(level, verdict.max_level, key=LEVEL_RANK.__getitem__)

    def verdicts(self, ratings: list[Rating]) -> dict[int, Any]:
        return dict(
            zip([r.pk for r in ratings], eligibilities(ratings, cycle=self.cycle), strict=True)
        )

    def fit_quota(self, levels: dict[Any, str]) -> dict[Any, str]:
        """Cut HTXSNV to HTTNV, in a random order, until the pool is within its quota."""
        result = dict(levels)
        excellent = [key for key, level in result.items() if level == Level.EXCELLENT]
        self.rng.shuffle(excellent)
        while (
            excellent
            and quota_status_from_counts(cycle=self.cycle, counts=Counter(result.values())).is_over
        ):
            result[excellent.pop()] = Level.GOOD
        return result

    def self_level(self, level: str) -> str:
        """People and committees rate themselves a notch above the decision now and then."""
        roll = self.rng.random()
        better = {Level.GOOD: 0.18, Level.COMPLETED: 0.35, Level.NOT_COMPLETED: 0.6}
        if roll < better.get(level, 0):
            return Level.values[LEVEL_RANK[level] - 1]
        return level

    def votes(self, present: int, level: str) -> dict[str, int]:
        against = self.rng.choice(
            (0, 0, 1, 1, 2, 3)
            if level == Level.EXCELLENT
            else (0, 0, 0, 0, 1)
            if level == Level.GOOD
            else (0, 1, 2)
        )
        present = max(present, 1)
        against = min(against, present // 2)
        return {"votes_for": present - against, "votes_against": against}

    def put(self, rating: Rating, **fields: Any) -> None:
        fields = {key: value for key, value in fields.items() if value not in ("", None)}
        if fields:
            self.changes[rating.pool_id][rating.pk] = fields

    # --- members: one pool per grassroots unit ---

    def rate_members(self, ratings: list[Rating]) -> None:
        merit = {}
        for rating in ratings:
            cell = self.code_of[rating.member.organization_id]
            if cell not in self.cell_quality:
                self.cell_quality[cell] = self.draw(ORGANIZATION_MERIT)
            merit[rating.pk] = self.draw(MEMBER_MERIT[self.cell_quality[cell]])
            if rating.member.is_leader and merit[rating.pk] == Level.NOT_COMPLETED:
                merit[rating.pk] = Level.COMPLETED  # a failing head is a rule case, not chance
            if rating.member.is_civil_servant:
                rating.civil_service_level = self.civil_service_level(rating, merit[rating.pk])
            self.civil_levels[rating.member_id] = rating.civil_service_level
        verdicts = self.verdicts(ratings)
        by_pool: dict[int, list[Rating]] = defaultdict(list)
        for rating in ratings:
            by_pool[rating.pool_id].append(rating)
        for pool_id, pool_ratings in by_pool.items():
            stage = self.b.stage[self.pool_owner[pool_id]]
            proposed = {
                r.pk: self.bound(merit[r.pk], verdicts[r.pk])
                for r in pool_ratings
                if verdicts[r.pk].is_rated
            }
            decided = self.fit_quota(proposed)
            reviewed = Counter(
                r.member.organization_id for r in pool_ratings if verdicts[r.pk].is_reviewed
            )
            share_started = 0.3 + 0.4 * self.rng.random()
            for rating in pool_ratings:
                if rating.pk in decided:
                    self.member_levels[rating.member_id] = decided[rating.pk]
                if stage == Stage.STARTED:
                    if rating.pk in decided and self.rng.random() < share_started:
                        self.put(rating, self_level=self.self_level(decided[rating.pk]))
                    continue
                fields: dict[str, Any] = {}
                if verdicts[rating.pk].is_reviewed:
                    fields["civil_service_level"] = rating.civil_service_level
                if rating.pk in decided:
                    present = reviewed[rating.member.organization_id] - self.rng.choice(
                        (0, 0, 1, 2)
                    )
                    fields.update(
                        self_level=self.self_level(proposed[rating.pk]),
                        proposal_level=proposed[rating.pk],
                        **self.votes(present, proposed[rating.pk]),
                    )
                    if stage in Stage.DECIDED:
                        fields["decision_level"] = decided[rating.pk]
                self.put(rating, **fields)

    def civil_service_level(self, rating: Rating, merit: str) -> str:
        """The CCVC rating comes first (HD 21): HTXSNV for every member worth HTXSNV."""
        if self.plan_of[rating.member_id].special == "civil_service_not_completed":
            return Level.NOT_COMPLETED
        if merit == Level.EXCELLENT:
            return Level.EXCELLENT
        if merit == Level.GOOD:
            return Level.EXCELLENT if self.rng.random() < 0.12 else Level.GOOD
        return Level.COMPLETED

    # --- individual leaders: the unit decides for those it manages, the bloc for the others ---

    def rate_leaders(self, ratings: list[Rating]) -> None:
        for rating in ratings:
            rating.civil_service_level = self.civil_levels.get(rating.member_id, "")
        verdicts = self.verdicts(ratings)
        by_pool: dict[int, list[Rating]] = defaultdict(list)
        for rating in ratings:
            if verdicts[rating.pk].is_rated and rating.member_id in self.member_levels:
                by_pool[rating.pool_id].append(rating)
        for pool_id, pool_ratings in by_pool.items():
            decides = {Stage.APPROVED} if self.pool_owner[pool_id] == BLOC_CODE else Stage.DECIDED
            proposed = {
                r.pk: self.bound(self.member_levels[r.member_id], verdicts[r.pk])
                for r in pool_ratings
            }
            stages = {r.pk: self.stage_of(r.member.organization_id) for r in pool_ratings}
            decided = self.fit_quota(
                {pk: level for pk, level in proposed.items() if stages[pk] in decides}
            )
            for rating in pool_ratings:
                if stages[rating.pk] in (None, Stage.STARTED):
                    continue
                self.put(
                    rating,
                    civil_service_level=rating.civil_service_level,
                    self_level=self.self_level(proposed[rating.pk]),
                    decision_level=decided.get(rating.pk, ""),
                )

    # --- organizations: cells and sub-committees by their unit, units by the bloc ---

    def level_for(self, code: str, levels_below: list[str]) -> str:
        """HD 21: HTXSNV only with 100% of those rated HTNV or better and 80% HTTNV or better."""
        level = self.cell_quality.get(code) or self.draw(ORGANIZATION_MERIT)
        rated = [below for below in levels_below if below]
        if level == Level.EXCELLENT and not self.rules.organization_may_be_excellent(
            rated=len(rated),
            completed_or_better=sum(LEVEL_RANK[x] <= LEVEL_RANK[Level.COMPLETED] for x in rated),
            good_or_better=sum(LEVEL_RANK[x] <= LEVEL_RANK[Level.GOOD] for x in rated),
        ):
            return Level.GOOD
        return level

    def rate_organizations(self, ratings: list[Rating]) -> None:
        verdicts = self.verdicts(ratings)
        rating_of = {r.organization.code: r for r in ratings}
        members_of: dict[str, list[str]] = defaultdict(list)
        for plan in self.b.plans:
            level = self.member_levels.get(plan.member.pk)
            if level:
                members_of[self.code_of[plan.member.organization_id]].append(level)
        children: dict[str, list[str]] = defaultdict(list)
        for code, parent in self.b.parent_of.items():
            children[parent].append(code)

        levels: dict[str, str] = {}
        for unit, stage in self.b.stage.items():
            # Cells first, then the sub-committees over them (lower before higher, §6).
            nodes = [c for c in self.b.cells_of[unit] if c != unit] + self.b.subs_of[unit]
            proposed = {}
            for code in nodes:
                if verdicts[rating_of[code].pk].is_rated:
                    below = (
                        members_of[code]
                        if self.b.orgs[code].holds_members
                        else [levels[c] for c in children[code] if c in levels]
                    )
                    proposed[code] = levels[code] = self.level_for(code, below)
            decided = self.fit_quota(proposed)
            levels.update(decided)
            if stage == Stage.STARTED:
                continue
            for code, level in proposed.items():
                present = (
                    len(members_of[code])
                    if self.b.orgs[code].holds_members
                    else self.rng.randint(5, 7)
                )
                self.put(
                    rating_of[code],
                    self_level=self.self_level(level),
                    proposal_level=level,
                    **self.votes(present, level),
                    decision_level=decided[code] if stage in Stage.DECIDED else "",
                )

        # The grassroots units, decided by the bloc's standing board once their report is approved.
        proposed = {}
        for unit in self.b.stage:
            if verdicts[rating_of[unit].pk].is_rated:
                below = (
                    members_of[unit]
                    if self.b.orgs[unit].holds_members
                    else [levels[c] for c in children[unit] if c in levels]
                )
                proposed[unit] = self.level_for(unit, below)
        decided = self.fit_quota(
            {
                unit: level
                for unit, level in proposed.items()
                if self.b.stage[unit] == Stage.APPROVED
            }
        )
        for unit, level in proposed.items():
            stage = self.b.stage[unit]
            if stage == Stage.STARTED:
                continue
            fields: dict[str, Any] = {"self_level": self.self_level(level)}
            if stage == Stage.APPROVED:
                present = self.b.committee_size.get(unit) or len(members_of[unit])
                fields.update(
                    proposal_level=level, decision_level=decided[unit], **self.votes(present, level)
                )
            self.put(rating_of[unit], **fields)

    # --- leadership collectives: decided by the bloc once the unit is approved ---

    def rate_collectives(self, ratings: list[Rating]) -> None:
        verdicts = self.verdicts(ratings)
        proposed = {
            r.pk: self.bound(self.draw(COLLECTIVE_MERIT), verdicts[r.pk])
            for r in ratings
            if verdicts[r.pk].is_rated
        }
        # The bloc's standing board sits in the bloc's own pool: decided with the approved units.
        stages = {
            r.pk: self.stage_of(r.collective.organization_id) or Stage.APPROVED for r in ratings
        }
        decided = self.fit_quota(
            {pk: level for pk, level in proposed.items() if stages[pk] == Stage.APPROVED}
        )
        for rating in ratings:
            if rating.pk in proposed and stages[rating.pk] != Stage.STARTED:
                self.put(
                    rating,
                    self_level=self.self_level(proposed[rating.pk]),
                    decision_level=decided.get(rating.pk, ""),
                )
