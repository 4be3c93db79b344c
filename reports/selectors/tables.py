"""The statistical tables: 6F-BTCTW and the rating statistics (DOMAIN.md §8), counted in SQL."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from members.models import ManagingLevel
from organizations.models import GRASSROOTS_KINDS, GrassrootsType, Organization, OrganizationKind
from reports.selectors.scope import subjects_under
from reviews.models import (
    RATED,
    Level,
    NotRatedReason,
    Rating,
    ReviewCycle,
    SubjectKind,
    Suggestion,
    SuggestionState,
)

#: Suggestions counted in row 4: those the Standing Board has issued (closed ones included).
COUNTED_SUGGESTION_STATES = (SuggestionState.ISSUED, SuggestionState.CLOSED)
#: 6F "Tập thể": party organizations and leadership collectives; "Đảng viên": members.
COLLECTIVE_SUBJECTS = (SubjectKind.ORGANIZATION, SubjectKind.COLLECTIVE)
#: Row 3.2 as DOMAIN.md §8 lists it (the official form's wording).
ROW_32_REASONS = (NotRatedReason.NEW_MEMBER, NotRatedReason.EXEMPT, NotRatedReason.SUSPENDED)


@dataclass(frozen=True)
class Row6F:
    number: str
    label: str
    collectives: int
    members: int
    note: str = ""
    is_detail: bool = False


@dataclass(frozen=True)
class Table6F:
    """Biểu 6F-BTCTW "Thống kê kết quả kiểm điểm tự phê bình và phê bình"."""

    rows: tuple[Row6F, ...]

    def row(self, number: str) -> Row6F:
        return next(row for row in self.rows if row.number == number)


def _breakdown(parts: list[tuple[str, int]]) -> str:
    """ "Tổ chức đảng: 4; tập thể lãnh đạo, quản lý: 1" (the parts that are not zero)."""
    text = "; ".join(f"{label[:1].lower()}{label[1:]}: {count}" for label, count in parts if count)
    return text[:1].upper() + text[1:]


def table_6f(cycle: ReviewCycle, node: Organization) -> Table6F:
    """Rows 1–4.3 in two queries. Row 1 = 2 + 3 and 3 = 3.1 + 3.2 by construction: a subject
    is "reviewed" when it has no not-rated reason, and every reason falls in 3.1 or 3.2."""
    counts: dict = {}
    for prefix, kinds in (("c", COLLECTIVE_SUBJECTS), ("m", (SubjectKind.MEMBER,))):
        base = Q(subject_kind__in=kinds)
        counts[f"{prefix}_total"] = Count("pk", filter=base)
        counts[f"{prefix}_reviewed"] = Count("pk", filter=base & RATED)
        counts[f"{prefix}_organizations"] = Count(
            "pk", filter=base & Q(subject_kind=SubjectKind.ORGANIZATION)
        )
        for reason in NotRatedReason.values:
            counts[f"{prefix}_{reason}"] = Count("pk", filter=base & Q(not_rated_reason=reason))
    ratings = Rating.objects.filter(subjects_under(cycle, node), cycle=cycle).aggregate(**counts)

    suggestion_counts: dict = {}
    for prefix, target in (("c", "collective"), ("m", "member")):
        base = Q(**{f"{target}__isnull": False})
        suggestion_counts[f"{prefix}_total"] = Count("pk", filter=base)
        for level in ManagingLevel.values:
            suggestion_counts[f"{prefix}_{level}"] = Count(
                "pk", filter=base & Q(managing_level=level)
            )
    suggestions = Suggestion.objects.filter(
        cycle=cycle,
        state__in=COUNTED_SUGGESTION_STATES,
        addressed_to__path__startswith=node.path,
    ).aggregate(**suggestion_counts)

    def pair(key: str, source: dict = ratings) -> tuple[int, int]:
        return source[f"c_{key}"], source[f"m_{key}"]

    def not_reviewed(prefix: str, reasons) -> int:
        return sum(ratings[f"{prefix}_{reason}"] for reason in reasons)

    c_total, m_total = pair("total")
    c_reviewed, m_reviewed = pair("reviewed")
    c_31 = not_reviewed("c", [NotRatedReason.NEWLY_FORMED])
    m_31 = not_reviewed("m", [NotRatedReason.NEWLY_FORMED])
    c_32 = not_reviewed("c", ROW_32_REASONS)
    m_32 = not_reviewed("m", ROW_32_REASONS)
    reason_labels = dict(NotRatedReason.choices)
    rows = [
        Row6F(
            "1",
            _("Số tập thể, đảng viên phải kiểm điểm"),
            c_total,
            m_total,
            note=_breakdown(
                [
                    (_("tổ chức đảng"), ratings["c_organizations"]),
                    (_("tập thể lãnh đạo, quản lý"), c_total - ratings["c_organizations"]),
                ]
            ),
        ),
        Row6F("2", _("Số đã kiểm điểm"), c_reviewed, m_reviewed),
        Row6F("3", _("Số chưa kiểm điểm"), c_31 + c_32, m_31 + m_32),
        Row6F("3.1", _("Tập thể mới thành lập"), c_31, m_31, is_detail=True),
        Row6F(
            "3.2",
            _("Đảng viên mới kết nạp dưới 6 tháng, miễn sinh hoạt, đình chỉ sinh hoạt"),
            c_32,
            m_32,
            note=_breakdown([(str(reason_labels[r]), ratings[f"m_{r}"]) for r in ROW_32_REASONS]),
            is_detail=True,
        ),
        Row6F(
            "4",
            _("Số tập thể, cá nhân được gợi ý kiểm điểm"),
            *pair("total", suggestions),
        ),
    ]
    for number, level, label in (
        ("4.1", ManagingLevel.PROVINCE, _("Do Ban Thường vụ Tỉnh ủy quản lý")),
        ("4.2", ManagingLevel.DISTRICT, _("Cấp huyện và tương đương quản lý")),
        ("4.3", ManagingLevel.GRASSROOTS, _("Cấp cơ sở quản lý")),
    ):
        rows.append(Row6F(number, label, *pair(level, suggestions), is_detail=True))
    return Table6F(rows=tuple(rows))


@dataclass
class StatRow:
    """One subject group of the rating statistics (table 6-BTCTW family)."""

    key: str
    number: str
    label: str
    total: int = 0
    rated: int = 0
    undecided: int = 0
    levels: dict[str, int] = field(default_factory=lambda: dict.fromkeys(Level.values, 0))
    reasons: dict[str, int] = field(default_factory=lambda: dict.fromkeys(NotRatedReason.values, 0))
    is_detail: bool = False
    is_subtotal: bool = False

    @property
    def not_rated(self) -> int:
        return self.total - self.rated

    def percent_of_rated(self, level: str) -> float | None:
        return 100 * self.levels[level] / self.rated if self.rated else None

    def percent_of_total(self, level: str) -> float | None:
        return 100 * self.levels[level] / self.total if self.total else None

    def add(self, counts: dict) -> None:
        self.total += counts["total"]
        self.rated += counts["rated"]
        self.undecided += counts["undecided"]
        for level in Level.values:
            self.levels[level] += counts[f"level_{level}"]
        for reason in NotRatedReason.values:
            self.reasons[reason] += counts[f"reason_{reason}"]

    @property
    def level_cells(self) -> list[tuple[str, int, float | None, float | None]]:
        """(level, count, % of rated, % of total) in the order of the four levels."""
        return [
            (level, self.levels[level], self.percent_of_rated(level), self.percent_of_total(level))
            for level in Level.values
        ]

    @property
    def reason_cells(self) -> list[tuple[str, int]]:
        return [(reason, self.reasons[reason]) for reason in NotRatedReason.values]


def rating_statistics(cycle: ReviewCycle, node: Organization) -> list[StatRow]:
    """The groups in the official order, from one grouped query on the decided levels.

    Grassroots organizations come as a subtotal row followed by one row per type present (in
    the order of table 5-BTCTW); every other group always shows, with zeros when empty.
    """
    rows = (
        Rating.objects.filter(subjects_under(cycle, node), cycle=cycle)
        .values("subject_kind", "organization__kind", "organization__grassroots_type")
        .annotate(
            total=Count("pk"),
            rated=Count("pk", filter=RATED),
            undecided=Count("pk", filter=RATED & Q(decision_level="")),
            **{
                f"level_{level}": Count("pk", filter=RATED & Q(decision_level=level))
                for level in Level.values
            },
            **{
                f"reason_{reason}": Count("pk", filter=Q(not_rated_reason=reason))
                for reason in NotRatedReason.values
            },
        )
        .order_by()
    )
    grassroots = StatRow("grassroots", "1", _("Tổ chức cơ sở đảng"), is_subtotal=True)
    by_type: dict[str, StatRow] = {}
    groups = {
        OrganizationKind.SUB_COMMITTEE: StatRow("sub_committee", "2", _("Đảng bộ bộ phận")),
        OrganizationKind.CELL: StatRow("cell", "3", _("Chi bộ trực thuộc")),
        SubjectKind.MEMBER: StatRow("member", "4", _("Đảng viên")),
        SubjectKind.COLLECTIVE: StatRow("collective", "5", _("Tập thể lãnh đạo, quản lý")),
        SubjectKind.LEADER: StatRow("leader", "6", _("Cá nhân cán bộ lãnh đạo, quản lý")),
    }
    type_labels = dict(GrassrootsType.choices)
    for row in rows:
        kind = row["subject_kind"]
        if kind == SubjectKind.ORGANIZATION:
            org_kind = row["organization__kind"]
            if org_kind in GRASSROOTS_KINDS:
                grassroots.add(row)
                code = row["organization__grassroots_type"]
                by_type.setdefault(
                    code,
                    StatRow(f"type_{code}", "", str(type_labels.get(code, code)), is_detail=True),
                ).add(row)
            elif org_kind in groups:
                groups[org_kind].add(row)
        elif kind in groups:
            groups[kind].add(row)
    ordered_types = [by_type[code] for code in GrassrootsType.values if code in by_type]
    for index, type_row in enumerate(ordered_types, start=1):
        type_row.number = f"1.{index}"
    return [grassroots, *ordered_types, *groups.values()]
