"""The demo of today: the reorganization of 1/7/2025 and the 2026 cycle under QĐ 366-QĐ/TW.

On the 2021 bloc built by `demo.year_2021`: the 2021 cycle is closed; the bloc ends and its units
are succeeded by units of the Đảng bộ các cơ quan Đảng tỉnh and the Đảng bộ Ủy ban nhân dân tỉnh
(merged, renamed, moved: `organization_succeed`), the members follow (`members_reassign`), and the
2021 tree stays as it was, so the 2021 reports still show it (DOMAIN.md §15). Then each new
party committee runs its 2026 cycle under QĐ 366 (DOMAIN.md §13): scores out of 100 per
criterion, the level they allow, peer-group pools, the 25% exception for one outstanding unit,
units at every stage four weeks before the 31/12 deadline, and one pool over its quota.

Everything goes through the services; deterministic (`SEED_2026`).
"""

from __future__ import annotations

import datetime
import random
from collections import Counter, defaultdict
from decimal import ROUND_FLOOR, Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from demo.data_2021 import (
    BLOC_CODE,
    DOSSIER_TITLES,
    MEMBER_MERIT,
    ORGANIZATION_MERIT,
    SECRETARY_CELL,
)
from demo.data_2026 import (
    CODE_SUFFIX,
    COMMITTEE_FORMED,
    CYCLE_TITLE_2026,
    DISCIPLINE_2026,
    EXCEPTION_REASON,
    EXCEPTION_REFERENCE,
    EXCEPTION_UNIT,
    GOVERNMENT_ROOT,
    GUIDING_DOCUMENTS_2026,
    LEGAL_REFERENCES_2026,
    MERGED_INTO,
    NEW_ACCOUNT_2026,
    NEW_MEMBERS_2026,
    PARTY_ROOT,
    PRIORITY_2026,
    RENAMED,
    REORGANIZATION_NOTE,
    REORGANIZED_ON,
    RETURN_COMMENT_2026,
    ROLES_2026,
    ROOT_BOARD_SIZE,
    ROOTS_ADDRESS,
    SCORE_RANGES,
    SEED_2026,
    SICK_LEAVE_2026,
    SICK_LEAVE_QUESTION,
    TASKS_FOR_LEVEL,
    TO_PARTY_ROOT,
    YEAR_2025,
    YEAR_2026,
    Stage2026,
)
from demo.papers import papers_2026
from demo.year_2021 import _aware, _sample_docx, demo_account_create, demo_seat
from members.models import (
    CollectiveKind,
    CollectiveMembership,
    DisciplineForm,
    LeadershipCollective,
    ManagingLevel,
    Member,
    StatusPeriod,
)
from members.services import (
    collective_save,
    collectives_dissolve,
    member_discipline,
    member_update,
    members_reassign,
    members_register,
    seats_add,
    status_period_record,
)
from organizations.models import Organization, OrganizationKind
from organizations.services import (
    organization_create,
    organization_succeed,
    organization_update,
    role_assign,
)
from reviews.models import (
    LEVEL_RANK,
    Criterion,
    CriterionPart,
    CycleStatus,
    Level,
    Pool,
    Rating,
    ReviewCycle,
    SubjectKind,
    Submission,
    SubmissionState,
)
from reviews.quota import quota_status_from_counts, rates_in_force
from reviews.rules import rule_set_for
from reviews.rules.peer_groups import framework_of
from reviews.selectors import Hierarchy, eligibilities
from reviews.services import (
    cycle_change_status,
    cycle_create,
    dossier_item_add,
    guiding_document_publish,
    pools_finalize,
    question_act,
    question_ask,
    ratings_record,
    submission_change_state,
)
from reviews.services.peer_groups import quota_exception_grant

HALF = Decimal("0.5")
HISTORY_REASON_2026 = "Dữ liệu mẫu năm 2026 (load_demo)"


def _halves(value: Decimal) -> Decimal:
    """Rounded down to a multiple of 0.5 (how committees score)."""
    return (value / HALF).to_integral_value(rounding=ROUND_FLOOR) * HALF


def split_points(total: Decimal, maxima: list[Decimal]) -> list[Decimal]:
    """Points per criterion adding up to `total` exactly, each within its maximum, in the
    proportion of the maxima (then the rest, half a point at a time)."""
    total = _halves(total)
    points = [_halves(maximum * total / 100) for maximum in maxima]
    rest = total - sum(points, Decimal(0))
    index = 0
    while rest > 0:
        if points[index] + HALF <= maxima[index]:
            points[index] += HALF
            rest -= HALF
        index = (index + 1) % len(points)
    return points


def build_2026(builder: Any) -> None:
    """Apply the reorganization and build both 2026 cycles on the demo bloc of 2021."""
    _Year2026(builder).build()


class _Year2026:
    def __init__(self, builder: Any):
        self.b = builder
        self.rng = random.Random(SEED_2026)  # noqa: S311 - demo data, not secrets
        self.board = builder.users["bantochuc"]
        self.successor: dict[str, Organization] = {}  # 2021 node code -> its 2026 successor
        self.unit_code: dict[int, str] = {}  # 2026 node id -> the 2021 code of its unit
        self.stage: dict[str, str] = {}  # 2021 unit code (of a continuing unit) -> stage
        self.roots: dict[str, Organization] = {}
        self.disciplined_units: set[str] = set()
        self.sick_member: Member | None = None

    def build(self) -> None:
        cycle_2021 = self.b.cycle
        cycle_change_status(cycle=cycle_2021, status=CycleStatus.CLOSED, acting_user=self.board)
        self.reorganize()
        self.accounts()
        self.choose_stages()
        self.collectives()
        # 2025: the first year on the new tree, decided everywhere and closed, so that the
        # history and the trends have three years (2021, 2025, 2026) to show.
        for code in (GOVERNMENT_ROOT[0], PARTY_ROOT[0]):
            cycle = self.open_cycle(self.roots[code], year=YEAR_2025)
            _Ratings2026(self, cycle, every_unit_at=Stage2026.APPROVED).record()
            self.submit(cycle, every_unit_at=Stage2026.APPROVED)
            cycle_change_status(cycle=cycle, status=CycleStatus.CLOSED, acting_user=self.board)
        self.cases_of_2026()
        for code in (GOVERNMENT_ROOT[0], PARTY_ROOT[0]):
            cycle = self.open_cycle(self.roots[code])
            self.grant_exception(cycle)
            _Ratings2026(self, cycle).record()
            cell = self.successor.get(self.b.cell_named(*SECRETARY_CELL))
            if cell is not None and cell.path.startswith(cycle.organization.path):
                papers_2026(self.b, cycle, cell)
            self.guidance(cycle)
            self.submit(cycle)

    # --- the reorganization of 1/7/2025 ---

    def target_of(self, code: str) -> str:
        """The 2021 unit whose successor takes `code` over (itself unless merged)."""
        target = MERGED_INTO.get(code, code)
        return target if target in self.b.stage else code

    def reorganize(self) -> None:
        b = self.b
        for code, name in (PARTY_ROOT, GOVERNMENT_ROOT):
            self.roots[code] = organization_create(
                parent=None,
                kind=OrganizationKind.BLOC,
                name=name,
                code=code,
                founded_on=REORGANIZED_ON,
                address=ROOTS_ADDRESS,
                acting_user=self.board,
            )
        units = sorted(b.stage, key=lambda code: b.orgs[code].path)
        for code in units:
            if self.target_of(code) != code:
                continue
            old = b.orgs[code]
            to_party = old.grassroots_type == "04" or code in TO_PARTY_ROOT
            root = self.roots[PARTY_ROOT[0] if to_party else GOVERNMENT_ROOT[0]]
            self.successor[code] = organization_create(
                parent=root,
                kind=old.kind,
                name=RENAMED.get(code, old.name),
                code=f"{code}{CODE_SUFFIX}",
                grassroots_type=old.grassroots_type,
                founded_on=REORGANIZED_ON,
                acting_user=self.board,
            )
            self.unit_code[self.successor[code].pk] = code
        for code in units:
            self.carry_over(code)
        organization_update(
            organization=b.orgs[BLOC_CODE], dissolved_on=REORGANIZED_ON, acting_user=self.board
        )

    def new_node(self, *, parent: Organization, kind: str, name: str, code: str) -> Organization:
        node = organization_create(
            parent=parent,
            kind=kind,
            name=name,
            code=f"{code}{CODE_SUFFIX}",
            founded_on=REORGANIZED_ON,
            acting_user=self.board,
        )
        self.unit_code[node.pk] = self.unit_code[parent.pk]
        return node

    def carry_over(self, code: str) -> None:
        """Cells and sub-committees of one 2021 unit go to its successor (or the unit it merged
        into); members follow; every old node records who took it over."""
        b = self.b
        old_unit = b.orgs[code]
        target = self.successor[self.target_of(code)]
        merged = target.code != f"{code}{CODE_SUFFIX}"
        suffix = f" (nguyên {old_unit.name.split(' ', 2)[-1]})" if merged else ""

        def succeed(old: Organization, new: Organization) -> None:
            members_reassign(
                from_organization=old,
                to_organization=new,
                on=REORGANIZED_ON,
                acting_user=self.board,
                note=REORGANIZATION_NOTE,
            )
            organization_succeed(
                organization=old,
                successor=new,
                on=REORGANIZED_ON,
                acting_user=self.board,
                note=REORGANIZATION_NOTE,
            )
            self.successor[old.code] = new

        if target.holds_members:
            # A chi bộ cơ sở takes the members of every cell of what merged into it.
            for cell in [c for c in b.cells_of[code] if c != code]:
                succeed(b.orgs[cell], target)
            if old_unit.holds_members:
                members_reassign(
                    from_organization=old_unit,
                    to_organization=target,
                    on=REORGANIZED_ON,
                    acting_user=self.board,
                    note=REORGANIZATION_NOTE,
                )
        elif old_unit.holds_members:
            # A chi bộ cơ sở merged into a đảng bộ becomes one of its cells.
            cell = self.new_node(
                parent=target,
                kind=OrganizationKind.CELL,
                name=old_unit.name.replace("Chi bộ Sở", "Chi bộ").strip(),
                code=code,
            )
            members_reassign(
                from_organization=old_unit,
                to_organization=cell,
                on=REORGANIZED_ON,
                acting_user=self.board,
                note=REORGANIZATION_NOTE,
            )
        else:
            for sub in b.subs_of[code]:
                new_sub = self.new_node(
                    parent=target,
                    kind=OrganizationKind.SUB_COMMITTEE,
                    name=b.orgs[sub].name + suffix,
                    code=sub,
                )
                for cell in [c for c, parent in b.parent_of.items() if parent == sub]:
                    succeed(
                        b.orgs[cell],
                        self.new_node(
                            parent=new_sub,
                            kind=OrganizationKind.CELL,
                            name=b.orgs[cell].name,
                            code=cell,
                        ),
                    )
                self.successor[sub] = new_sub
            for cell in [c for c in b.cells_of[code] if b.parent_of.get(c) == code]:
                succeed(
                    b.orgs[cell],
                    self.new_node(
                        parent=target,
                        kind=OrganizationKind.CELL,
                        name=b.orgs[cell].name + suffix,
                        code=cell,
                    ),
                )
        organization_succeed(
            organization=old_unit,
            successor=target,
            on=REORGANIZED_ON,
            acting_user=self.board,
            note=REORGANIZATION_NOTE,
        )
        if merged:
            self.demote_head(code)

    def demote_head(self, code: str) -> None:
        """The head of a merged unit becomes a deputy of the unit it merged into."""
        for plan in self.b.plans:
            if plan.unit == code and plan.managing_level == ManagingLevel.PROVINCE:
                member_update(
                    member=plan.member,
                    acting_user=self.board,
                    leadership_post="Phó Giám đốc Sở",
                    managing_level=ManagingLevel.DISTRICT,
                )

    # --- people of 2026 ---

    def accounts(self) -> None:
        """The 2021 accounts work on the successors too (and keep their 2021 roles, so they see
        both years); one new account for the Đảng bộ các cơ quan Đảng tỉnh."""
        users = self.b.users
        username, last_name, first_name, role, root = NEW_ACCOUNT_2026
        user_model = get_user_model()
        user = user_model.objects.filter(username=username).first()
        if user is None:
            fields = {"first_name": first_name, "last_name": last_name}
            user = demo_account_create(username, **fields)
        users[username] = user
        role_assign(user=user, organization=self.roots[root], role=role)
        for username, role, where in ROLES_2026:
            if where == "cell":
                node = self.successor[self.b.cell_named(*SECRETARY_CELL)]
            elif where in self.roots:
                node = self.roots[where]
            else:
                node = self.successor[self.target_of(where)]
            role_assign(user=users[username], organization=node, role=role)

    def clerk_of(self, unit: Organization):
        code = self.unit_code.get(unit.pk)
        return self.b.clerk_of(code) if code else None

    def collectives(self) -> None:
        """The 2021 collectives end with their units; each new đảng bộ elects its committee at
        its 2025–2030 congress, and each new party committee has its standing board."""
        collectives_dissolve(
            collectives=list(LeadershipCollective.objects.filter(dissolved_on__isnull=True)),
            on=REORGANIZED_ON,
            acting_user=self.board,
        )
        seats: list[CollectiveMembership] = []
        people = defaultdict(list)
        for member in Member.objects.filter(left_on__isnull=True).select_related("organization"):
            code = self.unit_code.get(member.organization_id)
            if code is not None:
                people[code].append(member)
        for code, unit in self.successor.items():
            if code not in self.b.stage or unit.kind != OrganizationKind.GRASSROOTS_COMMITTEE:
                continue
            formed = self.b.day(*COMMITTEE_FORMED)
            committee = self.collective(
                unit, f"Ban Chấp hành {unit.name}", CollectiveKind.PARTY_COMMITTEE, formed
            )
            chosen = sorted(
                people[code], key=lambda m: (not m.leadership_post, m.admitted_on, m.pk)
            )[: self.rng.choice((5, 7, 7, 9))]
            positions = ["Bí thư", "Phó Bí thư"] + ["Ủy viên Ban Chấp hành"] * (len(chosen) - 2)
            seats += [
                demo_seat(committee, m, p, formed) for m, p in zip(chosen, positions, strict=False)
            ]
        for root in self.roots.values():
            board = self.collective(
                root,
                f"Ban Thường vụ Đảng ủy {root.name.removeprefix('Đảng bộ ')}",
                CollectiveKind.STANDING_BOARD,
                REORGANIZED_ON,
                level=ManagingLevel.PROVINCE,
            )
            # The head and deputies of the board sit in units already approved: a deputy is
            # rated after the head (QĐ 366), and the board decides the approved units first.
            candidates = Member.objects.filter(
                organization__path__startswith=root.path,
                managing_level=ManagingLevel.PROVINCE,
                left_on__isnull=True,
            ).order_by("admitted_on", "pk")
            heads = sorted(
                candidates,
                key=lambda m: (
                    self.stage.get(self.unit_code.get(m.organization_id, "")) != Stage2026.APPROVED
                ),
            )[:ROOT_BOARD_SIZE]
            positions = ["Bí thư", "Phó Bí thư"] + ["Ủy viên Ban Thường vụ"] * len(heads)
            seats += [
                demo_seat(board, m, p, REORGANIZED_ON)
                for m, p in zip(heads, positions, strict=False)
            ]
        seats_add(seats=seats, acting_user=self.board)

    @staticmethod
    def collective(organization, name, kind, formed, *, level=ManagingLevel.DISTRICT):
        return collective_save(
            acting_user=None,
            organization=organization,
            name=name,
            kind=kind,
            managing_level=level,
            formed_on=formed,
        )

    def cases_of_2026(self) -> None:
        """What the QĐ 366 rules treat differently: two members admitted in 2026 (not reviewed),
        one disciplined for a duty-related violation (KHTNV), one on long sick leave (rated on
        the work actually done, no cap)."""
        stc = self.successor[self.target_of("STC")] if "STC" in self.b.stage else None
        unit = stc or next(iter(self.successor.values()))
        cells = [
            node
            for node in Organization.objects.filter(path__startswith=unit.path)
            if node.holds_members
        ]
        members_register(
            entries=[
                {
                    "organization": cell,
                    "full_name": name,
                    "gender": gender,
                    "date_of_birth": born,
                    "admitted_on": admitted,
                }
                for (name, gender, born, admitted), cell in zip(
                    NEW_MEMBERS_2026, cells * 2, strict=False
                )
            ],
            acting_user=self.board,
        )
        plain = list(
            Member.objects.filter(
                organization__in=cells, left_on__isnull=True, leadership_post=""
            ).order_by("pk")
        )
        violation = DISCIPLINE_2026[1]
        disciplined = plain[3]
        member_discipline(
            member=disciplined,
            form=DisciplineForm.REPRIMAND,
            decision_number="07-QĐ/UBKT",
            decided_on=datetime.date(2026, 6, 18),
            violation=violation,
            issued_by="Ủy ban Kiểm tra Đảng ủy",
            acting_user=self.board,
        )
        self.disciplined_units.add(self.unit_code[disciplined.organization_id])
        self.sick_member = plain[5]
        status_period_record(
            member=self.sick_member,
            kind=StatusPeriod.Kind.SICK_LEAVE,
            starts_on=SICK_LEAVE_2026[0],
            ends_on=SICK_LEAVE_2026[1],
            reference="Giấy ra viện số 1024/BV",
            acting_user=self.board,
        )

    def choose_stages(self) -> None:
        codes = sorted(code for code in self.b.stage if self.target_of(code) == code)
        self.rng.shuffle(codes)
        fixed = {code: stage for code, stage in PRIORITY_2026.items() if code in codes}
        rest = [code for code in codes if code not in fixed]
        start = 0
        for stage, share in Stage2026.SHARES:
            count = max(1, round(share * len(codes)))
            for code in rest[start : start + count]:
                self.stage[code] = stage
            start += count
        for code in rest[start:]:
            self.stage[code] = Stage2026.PROPOSED if self.rng.random() < 0.55 else Stage2026.STARTED
        self.stage.update(fixed)

    # --- the cycles ---

    def open_cycle(self, root: Organization, *, year: int = YEAR_2026) -> ReviewCycle:
        """QĐ 366's defaults (bands, 25% ceiling, 31/12 and 01/02) come with the regime."""
        cycle = cycle_create(
            organization=root,
            year=year,
            title=CYCLE_TITLE_2026.replace(str(YEAR_2026), str(year)),
            legal_references="\n".join(LEGAL_REFERENCES_2026),
            acting_user=self.board,
            # The Đảng bộ UBND tỉnh adopted both roll-up rules of the quarterly evaluation.
            **(
                {"quarter_bars_excellent": True, "quarters_flag_personnel": True}
                if root.code == GOVERNMENT_ROOT[0] and year == YEAR_2026
                else {}
            ),
        )
        return cycle_change_status(cycle=cycle, status=CycleStatus.OPEN, acting_user=self.board)

    def grant_exception(self, cycle: ReviewCycle) -> None:
        if EXCEPTION_UNIT not in self.successor or cycle.organization.code != GOVERNMENT_ROOT[0]:
            return
        pool = Pool.objects.filter(
            cycle=cycle,
            owner=self.successor[EXCEPTION_UNIT],
            subject_kind=SubjectKind.MEMBER,
        ).first()
        if pool is not None:
            quota_exception_grant(
                pool=pool,
                rate=cycle.exception_ceiling,
                reason=EXCEPTION_REASON,
                reference=EXCEPTION_REFERENCE,
                acting_user=self.board,
            )

    def guidance(self, cycle: ReviewCycle) -> None:
        for number, issued_on, title, slug in GUIDING_DOCUMENTS_2026:
            guiding_document_publish(
                cycle=cycle,
                number=number,
                issued_on=issued_on,
                title=title,
                upload=SimpleUploadedFile(f"{slug}.docx", _sample_docx(f"{number}: {title}")),
                acting_user=self.board,
            )
        sick = self.sick_member
        if sick is None or not sick.organization.path.startswith(cycle.organization.path):
            return
        sick.refresh_from_db()
        unit = Hierarchy.along(cycle.organization, [sick.organization]).grassroots_of(
            sick.organization
        )
        title, text, rule, answer = SICK_LEAVE_QUESTION
        question = question_ask(
            cycle=cycle,
            unit=unit,
            title=title,
            text=text.format(name=sick.full_name),
            member=sick,
            rule=rule,
            acting_user=self.clerk_of(unit),
        )
        question_act(
            question=question, action="answer", text=answer, share=True, acting_user=self.board
        )

    def submit(self, cycle: ReviewCycle, *, every_unit_at: str = "") -> None:
        """Decided units: pools finalized, dossier attached, sent between 16/11 and 27/11; then
        approved or returned by the Board. `every_unit_at`: one stage for every unit (a past
        year)."""
        rng = self.rng
        year = cycle.year
        pools = defaultdict(list)
        for pool in Pool.objects.filter(cycle=cycle).select_related("owner").order_by("pk"):
            pools[pool.owner_id].append(pool)
        submissions = Submission.objects.filter(cycle=cycle).select_related("organization")
        for submission in sorted(submissions, key=lambda s: s.organization.path):
            unit = submission.organization
            stage = every_unit_at or self.stage.get(self.unit_code.get(unit.pk, ""))
            if stage not in Stage2026.DECIDED:
                continue
            clerk = self.clerk_of(unit)
            pools_finalize(pools=pools[unit.pk], acting_user=clerk)  # at one meeting
            for kind in rule_set_for(cycle.rule_set).required_dossier_kinds:
                title, slug = DOSSIER_TITLES[kind]
                dossier_item_add(
                    submission=submission,
                    kind=kind,
                    upload=SimpleUploadedFile(
                        f"{slug}-{unit.code.lower()}.docx",
                        _sample_docx(unit.name.upper(), title.upper(), cycle.title),
                    ),
                    acting_user=clerk,
                    title=f"{title} năm {year} - {unit.name}",
                )
            day = datetime.date(year, 11, rng.randint(16, 27))
            at = _aware(day, rng.randint(7, 16), rng.choice((0, 15, 30, 45)))
            submission = submission_change_state(
                submission=submission, state=SubmissionState.SUBMITTED, acting_user=clerk, at=at
            )
            later = at + datetime.timedelta(days=rng.randint(1, 3), hours=rng.randint(0, 3))
            if stage == Stage2026.APPROVED:
                submission_change_state(
                    submission=submission,
                    state=SubmissionState.APPROVED,
                    acting_user=self.board,
                    at=later,
                )
            elif stage == Stage2026.RETURNED:
                submission_change_state(
                    submission=submission,
                    state=SubmissionState.RETURNED,
                    acting_user=self.board,
                    at=later,
                    comment=RETURN_COMMENT_2026,
                )


class _Ratings2026:
    """Self-scores, proposals and decisions of one 2026 cycle, one `ratings_record` per batch
    of pools (of one kind and level, entered by one person).

    A level is drawn from the published distributions and bounded by the rules; the scores per
    criterion and the task results are drawn to fit it (QĐ 366, Điều 10–11); decisions are cut
    to each peer group's quota (with the exception's rate where one is granted), except in the
    units still deciding, whose pools may be over.
    """

    def __init__(self, year: _Year2026, cycle: ReviewCycle, *, every_unit_at: str = ""):
        """`every_unit_at`: one stage for every unit (a past year, all decided)."""
        self.y = year
        self.every_unit_at = every_unit_at
        self.rng = year.rng
        self.cycle = cycle
        self.hierarchy = Hierarchy(cycle.organization)
        self.criteria: dict[str, list[Criterion]] = defaultdict(list)
        for criterion in Criterion.objects.filter(cycle=cycle).order_by("order"):
            self.criteria[criterion.framework].append(criterion)
        self.changes: dict[int, dict[int, dict[str, Any]]] = defaultdict(dict)
        self.scores: dict[int, dict[int, dict[int, dict[str, Decimal]]]] = defaultdict(dict)
        self.levels: dict[int, str] = {}  # rating id -> would-be decided level
        self.cell_quality: dict[int, str] = {}

    def stage_of(self, node: Organization | None) -> str | None:
        if node is None:
            return None
        if self.every_unit_at:
            return self.every_unit_at
        unit = self.hierarchy.grassroots_of(node)
        return self.y.stage.get(self.y.unit_code.get(unit.pk, "")) if unit else None

    def draw(self, distribution) -> str:
        levels, weights = zip(*distribution, strict=True)
        return self.rng.choices(levels, weights)[0]

    def record(self) -> None:
        ratings = list(
            Rating.objects.filter(cycle=self.cycle)
            .select_related("member", "organization", "collective")
            .order_by("pk")
        )
        # The units from the tree at hand and the pools read once, not joined to every rating.
        pools = {
            pool.pk: pool
            for pool in Pool.objects.filter(cycle=self.cycle).select_related("owner").order_by()
        }
        verdicts = dict(
            zip(
                [r.pk for r in ratings],
                eligibilities(ratings, cycle=self.cycle),
                strict=True,
            )
        )
        self.cell_sizes = Counter(
            r.unit_id
            for r in ratings
            if r.subject_kind == SubjectKind.MEMBER and verdicts[r.pk].is_reviewed
        )
        rates = rates_in_force(list(pools.values()))
        by_pool: dict[int, list[Rating]] = defaultdict(list)
        for rating in ratings:
            if verdicts[rating.pk].is_rated:
                by_pool[rating.pool_id].append(rating)
        for pool_id, pool_ratings in by_pool.items():
            self.rate_pool(pools[pool_id], pool_ratings, verdicts, rates[pool_id])
        order = [
            SubjectKind.MEMBER,
            SubjectKind.ORGANIZATION,
            SubjectKind.COLLECTIVE,
            SubjectKind.LEADER,
        ]
        ordered = sorted(
            set(self.changes) | set(self.scores),
            key=lambda pk: (order.index(pools[pk].subject_kind), -pools[pk].owner.depth, pk),
        )
        # The pools of one kind and level that one person records go in one call, as a clerk
        # enters a whole unit: the rules are checked after each call's write, so a pool sees
        # at least what it saw when written alone (355 calls → 35 for the demo).
        batches: dict[tuple, list[int]] = defaultdict(list)
        for pk in ordered:
            pool = pools[pk]
            key = (order.index(pool.subject_kind), -pool.owner.depth, self.recorder_of(pool))
            batches[key].append(pk)
        leader_batches = [ids for key, ids in batches.items() if key[0] == len(order) - 1]
        # Leaders review themselves everywhere before anyone decides on a leader: a head is
        # rated before his deputies (QĐ 366), whichever body decides each of them.
        for pool_ids in leader_batches:
            self.write(
                pools[pool_ids[0]],
                {
                    pk: {k: v for k, v in fields.items() if k != "decision_level"}
                    for pool_id in pool_ids
                    for pk, fields in self.changes.get(pool_id, {}).items()
                },
                {
                    pk: {c: {"self_points": v["self_points"]} for c, v in lines.items()}
                    for pool_id in pool_ids
                    for pk, lines in self.scores.get(pool_id, {}).items()
                },
            )
        for pool_ids in batches.values():
            self.write(
                pools[pool_ids[0]],
                {pk: f for pool_id in pool_ids for pk, f in self.changes.get(pool_id, {}).items()},
                {pk: s for pool_id in pool_ids for pk, s in self.scores.get(pool_id, {}).items()},
            )

    def recorder_of(self, pool: Pool):
        """Who enters a pool's results: the Board for the root's, else the unit's clerk."""
        owner = pool.owner
        return self.y.board if owner.depth == 1 else self.y.clerk_of(owner)

    def write(self, pool: Pool, changes: dict, scores: dict) -> None:
        """One call for pools that `pool` stands for (same kind, level and recorder)."""
        ratings_record(
            cycle=self.cycle,
            changes=changes,
            scores=scores,
            acting_user=self.recorder_of(pool),
            reason=HISTORY_REASON_2026,
        )

    def merit(self, rating: Rating, verdict) -> str:
        if rating.subject_kind in (SubjectKind.MEMBER, SubjectKind.LEADER):
            cell = rating.unit_id
            if cell not in self.cell_quality:
                self.cell_quality[cell] = self.draw(ORGANIZATION_MERIT)
            level = self.draw(MEMBER_MERIT[self.cell_quality[cell]])
            if rating.member is not None and rating.member.is_leader:
                level = min(level, Level.COMPLETED, key=LEVEL_RANK.__getitem__)
        else:
            level = self.draw(ORGANIZATION_MERIT)
            code = self.y.unit_code.get(rating.unit_id, "")
            if level == Level.EXCELLENT and code in self.y.disciplined_units:
                level = Level.GOOD  # someone below was disciplined (QĐ 366, Điều 11)
        if verdict.forced_level:
            return verdict.forced_level
        return max(level, verdict.max_level, key=LEVEL_RANK.__getitem__)

    def fit_quota(self, levels: dict[int, str], rate: Decimal) -> dict[int, str]:
        result = dict(levels)
        excellent = [key for key, level in result.items() if level == Level.EXCELLENT]
        self.rng.shuffle(excellent)
        while (
            excellent
            and quota_status_from_counts(
                cycle=self.cycle, counts=Counter(result.values()), rate=rate
            ).is_over
        ):
            result[excellent.pop()] = Level.GOOD
        return result

    def rate_pool(self, pool: Pool, ratings: list[Rating], verdicts, rate: Decimal) -> None:
        root_decides = pool.owner.depth == 1
        proposed = {r.pk: self.merit(r, verdicts[r.pk]) for r in ratings}
        units = self.hierarchy.by_id
        stages = {r.pk: self.stage_of(units.get(r.unit_id)) or Stage2026.APPROVED for r in ratings}
        if pool.subject_kind == SubjectKind.MEMBER and not root_decides:
            self.generous_cells(proposed, stages, verdicts, rate)
        deciding = {Stage2026.APPROVED} if root_decides else Stage2026.DECIDED
        decided = self.fit_quota(
            {pk: level for pk, level in proposed.items() if stages[pk] in deciding}, rate
        )
        if not root_decides:
            decided.update(
                {pk: lv for pk, lv in proposed.items() if stages[pk] == Stage2026.DECIDING}
            )
        for rating in ratings:
            stage = stages[rating.pk]
            if stage == Stage2026.STARTED and self.rng.random() < 0.5:
                continue
            level = proposed[rating.pk]
            decision = decided.get(rating.pk, "")
            points = self.points(rating, level)
            fields: dict[str, Any] = {"self_level": self.self_level(level)}
            if stage != Stage2026.STARTED:
                fields.update(self.tasks(level))
                if rating.subject_kind != SubjectKind.COLLECTIVE:
                    fields["proposal_level"] = level
                if rating.subject_kind == SubjectKind.MEMBER:
                    fields.update(self.votes(level, self.cell_sizes[rating.unit_id]))
            if decision:
                fields["decision_level"] = decision
            self.changes[pool.pk][rating.pk] = fields
            self.scores[pool.pk][rating.pk] = {
                criterion.pk: {
                    "self_points": min(
                        criterion.max_points, value + self.rng.choice((0, 0, 0, HALF, 1))
                    ),
                    **({"decided_points": value} if decision else {}),
                }
                for criterion, value in points
            }

    def generous_cells(self, proposed, stages, verdicts, rate: Decimal) -> None:
        """In a unit still deciding, the cells proposed two HTXSNV more than the quota allows:
        the pool shows red until the committee cuts it (the walk-through's starting point)."""
        deciding = [pk for pk in proposed if stages[pk] == Stage2026.DECIDING]
        if not deciding:
            return
        counts = Counter(proposed[pk] for pk in deciding)
        allowed = quota_status_from_counts(cycle=self.cycle, counts=counts, rate=rate).allowed
        good = [
            pk
            for pk in deciding
            if proposed[pk] == Level.GOOD and verdicts[pk].allows(Level.EXCELLENT)
        ]
        while counts[Level.EXCELLENT] <= allowed + 1 and good:
            pk = good.pop()
            proposed[pk] = Level.EXCELLENT
            counts[Level.EXCELLENT] += 1
            counts[Level.GOOD] -= 1
            allowed = quota_status_from_counts(cycle=self.cycle, counts=counts, rate=rate).allowed

    def points(self, rating: Rating, level: str) -> list[tuple[Criterion, Decimal]]:
        criteria = self.criteria[
            framework_of(subject_kind=rating.subject_kind, subject=rating.subject)
        ]
        low, high = SCORE_RANGES[level]
        total = low + _halves(Decimal(self.rng.random()) * (high - low))
        general = [c for c in criteria if c.part == CriterionPart.GENERAL]
        tasks = [c for c in criteria if c.part == CriterionPart.TASKS]
        # The general criteria (/30) score a little higher than the task results (/70).
        general_total = min(Decimal(30), _halves(total * Decimal("0.31")))
        values = split_points(general_total, [c.max_points for c in general])
        values += split_points(total - general_total, [c.max_points for c in tasks])
        return list(zip(general + tasks, values, strict=True))

    def tasks(self, level: str) -> dict[str, Any]:
        spec = TASKS_FOR_LEVEL[level]
        rng = self.rng

        def percent(key: str) -> Decimal:
            if key in spec:
                return spec[key]
            low, high = spec[key.replace("_percent", "")]
            return Decimal(rng.randint(low, high))

        return {
            "tasks_done_percent": percent("tasks_done_percent"),
            "tasks_beyond_percent": percent("tasks_beyond_percent"),
            "tasks_late_percent": percent("tasks_late_percent"),
            "shortcomings_fixed": rng.choice(spec["shortcomings_fixed"]),
        }

    def self_level(self, level: str) -> str:
        if level == Level.GOOD and self.rng.random() < 0.12:
            return Level.EXCELLENT
        return level

    def votes(self, level: str, members: int) -> dict[str, int]:
        present = max(1, members - self.rng.choice((0, 0, 1, 2)))
        against = self.rng.choice((0, 0, 1, 2) if level == Level.EXCELLENT else (0, 0, 0, 1))
        against = min(against, present // 2)
        return {"votes_for": present - against, "votes_against": against}
