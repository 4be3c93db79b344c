"""Synthetic data at any size, for benchmarks and load tests (issue #16, point 3).

`generate_synthetic(units=N, cells_per_unit=K, members=M, seed=S)` adds `roots` blocs holding N
grassroots organizations between them (seven in ten đảng bộ cơ sở with about K cells each, the
others chi bộ cơ sở), M members spread over them unevenly (a few large units, many small
ones), and three cycles of every bloc: 2024 under QĐ 124 and 2025 under QĐ 366, closed with
every pool finalized, and 2026 under QĐ 366, open and about half decided. Levels follow the
published shares (DOMAIN.md §11: members ≈ 12% HTXSNV, 78% HTTNV, 9% HTNV, under 1% KHTNV;
grassroots organizations ≈ 20%, 70%, 9%), each pool kept within its quota, scores inside the
level's band (QĐ 366, Điều 11) with task results that allow it.

It writes the way the demo cannot afford to at this size: the tree's materialized paths are
computed (treebeard's own `_get_path`), rows are streamed a few units at a time by PostgreSQL's
COPY (plain INSERTs elsewhere) with ids taken from the sequences, so memory stays bounded
whatever M is. The cycles, their criteria and their states go through the services. It leaves
out what a benchmark does not read: membership events, history rows, leaders' and collectives'
ratings, criterion scores (the totals are stored), self-reviews and minutes.
"""

from __future__ import annotations

import datetime
import io
import queue
import random
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from members.models import Member
from members.names import vietnamese_sort_key
from organizations.models import GrassrootsType, Organization, OrganizationKind
from organizations.services import organization_create
from reviews.models import (
    CycleStatus,
    Level,
    Pool,
    PoolState,
    Rating,
    ReviewCycle,
    ShortcomingsFixed,
    SubjectKind,
    Submission,
    SubmissionState,
)
from reviews.quota import quota_status_from_counts
from reviews.rules import rule_set_for
from reviews.rules.peer_groups import default_peer_group
from reviews.services import cycle_change_status, cycle_create

FAMILY = (  # noqa: SIM905
    "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đào Đinh Mai Trịnh"
).split()
MIDDLE_MEN = "Văn Hữu Đức Minh Quang Thành Công Xuân Hoàng Anh Quốc Trọng Đình Ngọc".split()  # noqa: SIM905
MIDDLE_WOMEN = "Thị Ngọc Thu Thanh Kim Mỹ Bích Hồng Phương Thùy Ánh Diệu Khánh Mai".split()  # noqa: SIM905
GIVEN_MEN = (  # noqa: SIM905
    "An Bảo Bình Cường Dũng Duy Đạt Đông Giang Hải Hào Hiếu Hòa Hùng Huy Khải Khang Khoa "
    "Kiên Lâm Long Lộc Luân Minh Nam Nghĩa Nhân Phát Phong Phúc Quân Quý Sơn Tài Tâm "
    "Thắng Thịnh Toàn Trí Trung Tuấn Tùng Việt Vinh Vũ"
).split()
GIVEN_WOMEN = (  # noqa: SIM905
    "An Anh Châu Chi Diệp Dung Giang Hà Hạnh Hằng Hiền Hoa Hồng Huệ Hương Lan Liên Linh "
    "Loan Mai My Nga Ngân Nhung Oanh Phương Quyên Quỳnh Tâm Thảo Thơ Thủy Trang Trâm Uyên "
    "Vân Vy Yến"
).split()
SECTORS = (
    "Sở Tài chính",
    "Sở Xây dựng",
    "Sở Y tế",
    "Sở Giáo dục và Đào tạo",
    "Sở Nội vụ",
    "Sở Công Thương",
    "Sở Tư pháp",
    "Ban Quản lý dự án",
    "Bệnh viện Đa khoa",
    "Trường Cao đẳng",
    "Công ty Điện lực",
    "Kho bạc Nhà nước",
    "Cục Thuế",
    "Bảo hiểm xã hội",
    "Trung tâm Y tế",
    "Ngân hàng Chính sách xã hội",
)
CELL_NAMES = (
    "Văn phòng",
    "Phòng Tổ chức cán bộ",
    "Phòng Kế hoạch",
    "Phòng Nghiệp vụ",
    "Phòng Thanh tra",
    "Phòng Hành chính",
    "Khoa Nội",
    "Khoa Ngoại",
    "Tổ Kỹ thuật",
    "Phân xưởng",
)
#: (level, share) of members and of organizations (DOMAIN.md §11).
MEMBER_LEVELS = (
    (Level.EXCELLENT, 0.12),
    (Level.GOOD, 0.783),
    (Level.COMPLETED, 0.09),
    (Level.NOT_COMPLETED, 0.007),
)
ORGANIZATION_LEVELS = ((Level.EXCELLENT, 0.2), (Level.GOOD, 0.7), (Level.COMPLETED, 0.1))
#: Score bands of QĐ 366, Điều 11: a stored total inside its level's band.
BANDS = {
    Level.EXCELLENT: (90, 99),
    Level.GOOD: (70, 89),
    Level.COMPLETED: (50, 69),
    Level.NOT_COMPLETED: (30, 49),
}
YEARS = ((2024, CycleStatus.CLOSED), (2025, CycleStatus.CLOSED), (2026, CycleStatus.OPEN))
RATING_COLUMNS = (
    "id",
    "cycle_id",
    "pool_id",
    "subject_kind",
    "unit_id",
    "member_id",
    "organization_id",
    "self_level",
    "proposal_level",
    "votes_for",
    "votes_against",
    "decision_level",
    "decided_at",
    "self_score",
    "decided_score",
    "tasks_done_percent",
    "tasks_beyond_percent",
    "tasks_late_percent",
    "shortcomings_fixed",
)
MEMBER_COLUMNS = (
    "id",
    "full_name",
    "sort_key",
    "gender",
    "date_of_birth",
    "card_number",
    "admitted_on",
    "official_on",
    "organization_id",
    "is_civil_servant",
    "outside_political_system",
)
#: Members of a bloc from which its load drops and rebuilds the big tables' indexes, when they
#: also outnumber the members already there: a rebuild reads the whole table, so rebuilding for
#: every bloc of a national run would cost more with each bloc (2.59 million members took 11
#: minutes that way); past the first blocs the indexes are kept up row by row instead.
REBUILD_FROM = 20_000
#: The most members a generated cell holds (a large unit gets as many cells as it needs).
CELL_AT_MOST = 80
#: Units written per COPY round: bounded memory at any size.
UNITS_PER_ROUND = 50


@dataclass
class SyntheticResult:
    roots: int
    units: int
    cells: int
    members: int
    ratings: int
    cycles: int


class _Table:
    """Rows of one model written straight to its table: every concrete column, the model's
    own defaults for those a row leaves out (encoded once), ids given by the caller."""

    def __init__(self, model: type[models.Model]):
        self.model = model
        self.fields = model._meta.concrete_fields
        self.columns = [field.column for field in self.fields]
        self.position = {field.attname: index for index, field in enumerate(self.fields)}
        self.text = connection.vendor == "postgresql"
        now = timezone.now()
        template: list[Any] = []
        for field in self.fields:
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                value = now
            elif field.primary_key:
                value = None
            else:
                value = field.get_default()
            template.append(_copy_text(value) if self.text else value)
        self.template = template
        self.rows: list[Any] = []

    def add(self, **values: Any) -> None:
        row = self.template.copy()
        position = self.position
        if self.text:
            for name, value in values.items():
                row[position[name]] = _copy_text(value)
            self.rows.append("\t".join(row))
        else:
            for name, value in values.items():
                row[position[name]] = value
            self.rows.append(row)

    def writer(self, *names: str) -> Callable[..., None]:
        """A fast `add` for rows that give exactly `names`, positionally: on PostgreSQL one
        format string per table, each value turned to text by `str` (the generator's values
        hold no tab, newline or backslash; None is NULL)."""
        if not self.text:
            template, position = self.template, [self.position[name] for name in names]

            def add_values(*values: Any) -> None:
                row = template.copy()
                for index, value in zip(position, values, strict=True):
                    row[index] = value
                self.rows.append(row)

            return add_values
        parts = [text.replace("{", "{{").replace("}", "}}") for text in self.template]
        for index, name in enumerate(names):
            parts[self.position[name]] = "{%d}" % index  # noqa: UP031
        form = "\t".join(parts).format

        def add_text(*values: Any) -> None:
            self.rows.append(form(*["\\N" if value is None else value for value in values]))

        return add_text

    def take(self) -> list[Any]:
        """The rows gathered so far, handed to the writer."""
        rows, self.rows = self.rows, []
        return rows

    def write(self, rows: list[Any]) -> None:
        if not rows:
            return
        table = connection.ops.quote_name(self.model._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(c) for c in self.columns)
        with connection.cursor() as cursor:
            if self.text:
                buffer = io.StringIO("\n".join(rows) + "\n")
                cursor.cursor.copy_expert(
                    f"COPY {table} ({columns}) FROM STDIN", buffer, size=1 << 20
                )
            else:
                marks = ", ".join(["%s"] * len(self.columns))
                cursor.executemany(
                    f"INSERT INTO {table} ({columns}) VALUES ({marks})",  # noqa: S608
                    [
                        [
                            field.get_db_prep_save(value, connection)
                            for field, value in zip(self.fields, row, strict=True)
                        ]
                        for row in rows
                    ],
                )


def _skip_row_triggers() -> None:
    """On PostgreSQL as a superuser, the foreign keys' row triggers are skipped for this
    connection (`session_replication_role = replica`, what pg_restore-style loaders do): the
    generator writes its references by construction, and checks them once at the end
    (`_check_references`). Another role keeps the triggers, and is slower."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        row = cursor.fetchone()
        if row and row[0]:
            cursor.execute("SET session_replication_role = replica")


def _copy_text(value: Any) -> str:
    """A value in COPY's text format."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    text = str(value)
    if "\\" in text or "\t" in text or "\n" in text:
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
    return text


class _Pipe:
    """Rounds of rows written by a second thread while the next round is generated: two cores
    busy instead of one; at most two rounds wait, so memory stays bounded.

    The thread writes a bloc in one transaction on its own connection. For a large bloc
    (`rebuild`) it drops the secondary indexes of the members' and ratings' tables first and
    builds them again at the end, as pg_restore does: an index built once is several times
    cheaper than one kept up row by row, and the unique ones check the whole load when they
    are built. DDL is transactional in PostgreSQL, so a failure leaves the indexes as they
    were. Inside a transaction already (a test) or on SQLite, the rows are written at once on
    the caller's connection, which alone sees that data.
    """

    def __init__(self, tables: dict[type[models.Model], _Table], *, rebuild: bool = False):
        self.tables = tables
        self.rebuild = rebuild
        self.queue: queue.Queue = queue.Queue(maxsize=2)
        self.error: BaseException | None = None
        self.thread: threading.Thread | None = None
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            self.thread = threading.Thread(target=self._run, daemon=True)
            self.thread.start()

    def send(self, batch: dict[type[models.Model], list[Any]]) -> None:
        if self.thread is None:
            with transaction.atomic():
                for model, rows in batch.items():
                    self.tables[model].write(rows)
            return
        if self.error is not None:
            raise self.error
        self.queue.put(batch)

    def close(self) -> None:
        if self.thread is None:
            return
        self.queue.put(None)
        self.thread.join()
        if self.error is not None:
            raise self.error

    def _run(self) -> None:
        try:
            with transaction.atomic():
                _skip_row_triggers()
                dropped = _drop_indexes((Member, Rating)) if self.rebuild else []
                while (batch := self.queue.get()) is not None:
                    for model, rows in batch.items():
                        self.tables[model].write(rows)
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
                    for definition in dropped:
                        cursor.execute(definition)
        except BaseException as error:  # handed to the generating thread
            self.error = error
            while self.queue.get() is not None:
                pass
        finally:
            connection.close()


def _analyze(models_: Sequence[type[models.Model]]) -> None:
    """Fresh planner statistics after a bulk load (as after pg_restore): without them the
    planner takes the new tables for nearly empty ones."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models_:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def _drop_indexes(models_: Sequence[type[models.Model]]) -> list[str]:
    """Drop the indexes of the tables that back no constraint (not the primary key, nor a
    UNIQUE constraint), and return their definitions to build them again."""
    definitions = []
    with connection.cursor() as cursor:
        for model in models_:
            cursor.execute(
                """
                SELECT i.relname, pg_get_indexdef(i.oid)
                FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
                WHERE x.indrelid = %s::regclass AND NOT x.indisprimary
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
                """,
                [model._meta.db_table],
            )
            for name, definition in cursor.fetchall():
                cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
                definitions.append(definition)
    return definitions


class _Ids:
    """Ids handed out ahead of a COPY; the sequences are moved past them at the end."""

    def __init__(self, model: type[models.Model]):
        self.model = model
        self.next = (model.objects.aggregate(top=models.Max("pk"))["top"] or 0) + 1

    def take(self) -> int:
        value = self.next
        self.next += 1
        return value

    def settle(self) -> None:
        if connection.vendor != "postgresql":
            return  # SQLite's rowid follows the largest id by itself
        table = self.model._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [table, self.next]
            )


def _spread(total: int, parts: int, rng: random.Random, *, skew: float) -> list[int]:
    """`total` split into `parts` positive counts drawn from a log-normal law (a few large,
    many small), summing exactly to `total`."""
    if parts <= 0:
        return []
    weights = [rng.lognormvariate(0, skew) for _ in range(parts)]
    scale = (total - parts) / sum(weights) if total > parts else 0
    counts = [1 + int(weight * scale) for weight in weights]
    remainder = total - sum(counts)
    for index in sorted(range(parts), key=lambda i: -weights[i])[: max(remainder, 0)]:
        counts[index] += 1
    return counts


def _draw(levels: Sequence[tuple[str, float]], rng: random.Random) -> str:
    roll = rng.random()
    for level, share in levels:
        roll -= share
        if roll < 0:
            return level
    return levels[-1][0]


def _within_quota(levels: list[str], cycle: ReviewCycle) -> list[str]:
    """The same levels with the excess HTXSNV turned HTTNV, so the pool is within its quota
    counted on the levels it ends with (`reviews.quota`, DOMAIN.md §3)."""
    excellent = [i for i, level in enumerate(levels) if level == Level.EXCELLENT]

    def allowed() -> int:
        counts = {level: levels.count(level) for level in Level.values}
        return quota_status_from_counts(cycle=cycle, counts=counts).allowed

    while excellent and len(excellent) > allowed():
        levels[excellent.pop()] = Level.GOOD
    return levels


@dataclass(frozen=True, slots=True)
class _Person:
    """What the ratings need of a generated member (no model instance: it is written as a
    row)."""

    pk: int
    organization_id: int
    outside_political_system: bool


class _Writer:
    """One run of the generator: ids, tables and the random source it shares."""

    def __init__(self, *, seed: int, cells_per_unit: int, out: Callable[[str], None]):
        self.rng = random.Random(seed)  # noqa: S311 (repeatable data, no secret)
        self.cells_per_unit = cells_per_unit
        self.out = out
        self.now = timezone.now()
        self.ids: dict[type[models.Model], _Ids] = {}
        self.tables = {
            model: _Table(model) for model in (Organization, Member, Pool, Rating, Submission)
        }
        self.add_rating = self.tables[Rating].writer(*RATING_COLUMNS)
        self.add_member = self.tables[Member].writer(*MEMBER_COLUMNS)
        self.now_text = _copy_text(self.now) if connection.vendor == "postgresql" else self.now
        self.pipe: _Pipe | None = None
        self.names: dict[str, str] = {}
        self.units_of_root: dict[int, list[tuple[int, str]]] = {}
        self.counts = {"units": 0, "cells": 0, "members": 0, "ratings": 0}

    # -- the tree ------------------------------------------------------------------------

    def node(self, *, parent: Organization, index: int, kind: str, name: str, code: str):
        path = Organization._get_path(parent.path, parent.depth + 1, index)
        organization = Organization(
            pk=self.ids[Organization].take(),
            path=path,
            depth=parent.depth + 1,
            numchild=0,
            name=name,
            code=code,
            kind=kind,
            grassroots_type=(
                self.rng.choice((GrassrootsType.STATE_AGENCY, GrassrootsType.PUBLIC_SERVICE_PUBLIC))
                if kind in (OrganizationKind.GRASSROOTS_COMMITTEE, OrganizationKind.GRASSROOTS_CELL)
                else ""
            ),
            founded_on=datetime.date(self.rng.randint(1976, 2015), 1, 1),
        )
        return organization

    def write_node(self, organization: Organization) -> None:
        self.tables[Organization].add(
            **{
                f.attname: getattr(organization, f.attname)
                for f in Organization._meta.concrete_fields
            }
        )

    # -- people --------------------------------------------------------------------------

    def member(self, cell: Organization) -> _Person:
        rng = self.rng
        woman = rng.random() < 0.45
        full_name = " ".join(
            (
                rng.choice(FAMILY),
                rng.choice(MIDDLE_WOMEN if woman else MIDDLE_MEN),
                rng.choice(GIVEN_WOMEN if woman else GIVEN_MEN),
            )
        )
        sort_key = self.names.get(full_name)
        if sort_key is None:
            sort_key = self.names[full_name] = vietnamese_sort_key(full_name)
        born = datetime.date(rng.randint(1962, 2001), rng.randint(1, 12), rng.randint(1, 28))
        admitted = datetime.date(
            min(born.year + rng.randint(20, 40), 2025), rng.randint(1, 12), rng.randint(1, 28)
        )
        official = (
            admitted.replace(year=admitted.year + 1)
            if admitted < datetime.date(2024, 12, 1)
            else None
        )
        pk = self.ids[Member].take()
        member = _Person(pk, cell.pk, rng.random() < 0.03)
        self.add_member(
            pk,
            full_name,
            sort_key,
            "F" if woman else "M",
            born,
            f"SYN{pk:09d}",
            admitted,
            official,
            cell.pk,
            rng.random() < 0.7,
            member.outside_political_system,
        )
        return member

    # -- ratings -------------------------------------------------------------------------

    def pool(self, cycle: ReviewCycle, owner: Organization, kind: str, group: tuple[str, str]):
        closed = cycle.status == CycleStatus.CLOSED
        pk = self.ids[Pool].take()
        self.tables[Pool].add(
            id=pk,
            cycle_id=cycle.pk,
            owner_id=owner.pk,
            subject_kind=kind,
            peer_group=group[0],
            peer_group_name=group[1],
            state=PoolState.FINALIZED if closed else PoolState.OPEN,
            finalized_at=self.now if closed else None,
        )
        return pk

    def rate(
        self,
        cycle: ReviewCycle,
        pool_id: int,
        subjects: list[tuple[str, Any, int]],
        levels_table,
        *,
        cell_sizes: dict[int, int],
    ) -> None:
        """Ratings of `subjects` ((kind, subject, unit id)) in one pool, its quota kept."""
        rng = self.rng
        closed = cycle.status == CycleStatus.CLOSED
        scored = cycle.uses_scores
        levels = _within_quota([_draw(levels_table, rng) for _ in subjects], cycle)
        add, take, now = self.add_rating, self.ids[Rating].take, self.now_text
        for (kind, subject, unit_id), level in zip(subjects, levels, strict=True):
            # The open cycle: most wrote a self-rating, many cells proposed, half decided.
            stage = 3 if closed else rng.choice((0, 1, 2, 2, 3, 3, 3, 3))
            self_level = proposal = decision = ""
            votes_for = votes_against = decided_at = None
            self_score = decided_score = done = beyond = late = None
            fixed = ""
            if stage >= 1:
                self_level = (
                    Level.EXCELLENT if level == Level.GOOD and rng.random() < 0.1 else level
                )
            if stage >= 2:
                proposal = level
                if kind == SubjectKind.MEMBER:
                    size = cell_sizes[subject.organization_id]
                    votes_against = rng.randint(0, size // 10)
                    votes_for = size - votes_against
            if stage >= 3:
                decision, decided_at = level, now
            if scored and stage >= 1:
                low, high = BANDS[level]
                self_score = Decimal(rng.randint(low * 2, high * 2)) / 2
                done = 100 if level != Level.NOT_COMPLETED else 80
                beyond = rng.randint(20, 40) if level == Level.EXCELLENT else 0
                late = 10 if level == Level.COMPLETED else 0
                fixed = ShortcomingsFixed.NONE.value
                if stage >= 3:
                    decided_score = self_score
            add(
                take(),
                cycle.pk,
                pool_id,
                kind,
                unit_id,
                subject.pk if kind == SubjectKind.MEMBER else None,
                subject.pk if kind == SubjectKind.ORGANIZATION else None,
                self_level,
                proposal,
                votes_for,
                votes_against,
                decision,
                decided_at,
                self_score,
                decided_score,
                done,
                beyond,
                late,
                fixed,
            )
        self.counts["ratings"] += len(subjects)

    def flush(self) -> None:
        """Hand the rows gathered so far to the writing thread."""
        if self.pipe is None:
            raise RuntimeError("no bloc is being written")
        self.pipe.send({model: table.take() for model, table in self.tables.items()})


def _units(count: int, roots: int) -> list[int]:
    return [count // roots + (1 if index < count % roots else 0) for index in range(roots)]


def generate_synthetic(
    *,
    units: int,
    cells_per_unit: int,
    members: int,
    seed: int = 1,
    roots: int = 1,
    out: Callable[[str], None] = lambda line: None,
) -> SyntheticResult:
    """Add `roots` blocs with `units` grassroots organizations and `members` members between
    them, and their 2024, 2025 and 2026 cycles (see the module's docstring)."""
    if units < 1 or members < units or cells_per_unit < 1 or roots < 1 or roots > units:
        raise ValueError("need units ≥ roots ≥ 1, cells per unit ≥ 1 and members ≥ units")
    writer = _Writer(seed=seed, cells_per_unit=cells_per_unit, out=out)
    rng = writer.rng
    unit_sizes = _spread(members, units, rng, skew=1.0)
    first = 0
    created_roots = 0
    members_before = Member.objects.count()
    for root_units in _units(units, roots):
        sizes = unit_sizes[first : first + root_units]
        first += root_units
        with transaction.atomic():
            root, cycles = _root()
        # Ids after what the services wrote for the bloc; the sequences follow at the end.
        writer.ids = {
            model: _Ids(model) for model in (Organization, Member, Pool, Rating, Submission)
        }
        there = members_before + writer.counts["members"]
        writer.pipe = _Pipe(
            writer.tables, rebuild=sum(sizes) >= REBUILD_FROM and sum(sizes) > there
        )
        created_roots += 1
        for start in range(0, root_units, UNITS_PER_ROUND):
            _round(writer, root, cycles, sizes[start : start + UNITS_PER_ROUND], start)
            out(
                f"  {root.code}: {min(start + UNITS_PER_ROUND, root_units)}/{root_units} đơn vị, "
                f"{writer.counts['members']} đảng viên"
            )
        _root_pools(writer, root, cycles)
        writer.pipe.close()
        writer.pipe = None
        Organization.objects.filter(pk=root.pk).update(numchild=root_units)
        for ids in writer.ids.values():
            ids.settle()
    _analyze((Organization, Member, Pool, Rating, Submission))
    return SyntheticResult(
        roots=created_roots,
        units=writer.counts["units"],
        cells=writer.counts["cells"],
        members=writer.counts["members"],
        ratings=writer.counts["ratings"],
        cycles=created_roots * len(YEARS),
    )


def _root() -> tuple[Organization, list[ReviewCycle]]:
    """A bloc with its three cycles, opened before it holds anyone (so that preparing them
    creates nothing the generator writes itself), the past two then closed."""
    taken = Organization.objects.filter(depth=1, code__startswith="SYN").count()
    code = f"SYN{taken + 1:03d}"
    root = organization_create(
        kind=OrganizationKind.BLOC,
        name=f"Đảng bộ Khối tổng hợp số {taken + 1}",
        code=code,
        parent=None,
        acting_user=None,
    )
    cycles = []
    for year, status in YEARS:
        cycle = cycle_create(
            organization=root,
            year=year,
            title=f"Kiểm điểm, đánh giá, xếp loại chất lượng năm {year}",
            # QĐ 124 sets no deadline of its own; QĐ 366's are its defaults.
            deadline=datetime.date(year, 12, 20) if year < 2025 else None,
            reference_date=datetime.date(year, 11, 30) if year < 2025 else None,
        )
        cycle = cycle_change_status(cycle=cycle, status=CycleStatus.OPEN)
        cycles.append((cycle, status))
    for cycle, status in cycles:
        if status == CycleStatus.CLOSED:
            cycle_change_status(cycle=cycle, status=CycleStatus.CLOSED)
    return root, [ReviewCycle.objects.get(pk=cycle.pk) for cycle, _status in cycles]


def _round(
    writer: _Writer,
    root: Organization,
    cycles: list[ReviewCycle],
    sizes: list[int],
    offset: int,
) -> None:
    """A few grassroots organizations of a bloc: their cells, members, pools and ratings."""
    rng = writer.rng
    for index, size in enumerate(sizes, start=offset + 1):
        # Seven in ten are đảng bộ cơ sở, and every large one (a chi bộ keeps ≤ ~80 people).
        committee = size > CELL_AT_MOST or (rng.random() < 0.7 and size >= 8)
        kind = (
            OrganizationKind.GRASSROOTS_COMMITTEE if committee else OrganizationKind.GRASSROOTS_CELL
        )
        sector = SECTORS[index % len(SECTORS)]
        unit = writer.node(
            parent=root,
            index=index,
            kind=kind,
            name=f"{'Đảng bộ' if committee else 'Chi bộ'} {sector} {index}",
            code=f"{root.code}-{index}",
        )
        cells = []
        if committee:
            count = max(
                2,
                min(round(rng.gauss(writer.cells_per_unit, 1)), size // 3),
                -(-size // CELL_AT_MOST),
            )
            cells = [
                writer.node(
                    parent=unit,
                    index=cell_index,
                    kind=OrganizationKind.CELL,
                    name=f"Chi bộ {CELL_NAMES[(cell_index - 1) % len(CELL_NAMES)]} {cell_index}",
                    code=f"{root.code}-{index}-{cell_index}",
                )
                for cell_index in range(1, count + 1)
            ]
            unit.numchild = len(cells)
        writer.write_node(unit)
        for cell in cells:
            writer.write_node(cell)
        holders = cells or [unit]
        people = [
            (holder, count)
            for holder, count in zip(
                holders, _spread(size, len(holders), rng, skew=0.5), strict=True
            )
        ]
        members = [writer.member(holder) for holder, count in people for _ in range(count)]
        cell_sizes = {holder.pk: count for holder, count in people}
        writer.counts["units"] += 1
        writer.counts["cells"] += len(cells)
        writer.counts["members"] += len(members)
        for cycle in cycles:
            rules = rule_set_for(cycle.rule_set)
            by_group: dict[tuple[str, str], list] = {}
            for member in members:
                group = default_peer_group(
                    uses_peer_groups=rules.uses_peer_groups,
                    subject_kind=SubjectKind.MEMBER,
                    subject=member,
                )
                by_group.setdefault(group, []).append(
                    (SubjectKind.MEMBER, member, member.organization_id)
                )
            for group, subjects in by_group.items():
                pool = writer.pool(cycle, unit, SubjectKind.MEMBER, group)
                writer.rate(cycle, pool, subjects, MEMBER_LEVELS, cell_sizes=cell_sizes)
            if cells:
                group = default_peer_group(
                    uses_peer_groups=rules.uses_peer_groups,
                    subject_kind=SubjectKind.ORGANIZATION,
                    subject=cells[0],
                )
                pool = writer.pool(cycle, unit, SubjectKind.ORGANIZATION, group)
                writer.rate(
                    cycle,
                    pool,
                    [(SubjectKind.ORGANIZATION, cell, cell.pk) for cell in cells],
                    ORGANIZATION_LEVELS,
                    cell_sizes=cell_sizes,
                )
            closed = cycle.status == CycleStatus.CLOSED
            writer.tables[Submission].add(
                id=writer.ids[Submission].take(),
                cycle_id=cycle.pk,
                organization_id=unit.pk,
                state=SubmissionState.APPROVED if closed else SubmissionState.DRAFT,
                submitted_at=writer.now if closed else None,
                first_submitted_at=writer.now if closed else None,
                approved_at=writer.now if closed else None,
            )
        writer.units_of_root.setdefault(root.pk, []).append((unit.pk, unit.kind))
    writer.flush()


def _root_pools(writer: _Writer, root: Organization, cycles: list[ReviewCycle]) -> None:
    """The bloc's own pools: its grassroots organizations, decided by its Standing Board."""
    units = writer.units_of_root.pop(root.pk, [])
    for cycle in cycles:
        rules = rule_set_for(cycle.rule_set)
        by_group: dict[tuple[str, str], list] = {}
        for pk, kind in units:
            subject = Organization(pk=pk, kind=kind)
            group = default_peer_group(
                uses_peer_groups=rules.uses_peer_groups,
                subject_kind=SubjectKind.ORGANIZATION,
                subject=subject,
            )
            by_group.setdefault(group, []).append((SubjectKind.ORGANIZATION, subject, pk))
        for group, subjects in by_group.items():
            pool = writer.pool(cycle, root, SubjectKind.ORGANIZATION, group)
            writer.rate(cycle, pool, subjects, ORGANIZATION_LEVELS, cell_sizes={})
    writer.flush()
