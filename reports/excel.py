"""The statistical tables and lists as an Excel workbook (openpyxl), official headers included.

`build_workbook(cycle, node)` returns the bytes of an .xlsx file with the sheets "Biểu 6F",
"Thống kê xếp loại", "Danh sách đảng viên", "Tổ chức đảng", "Xuất sắc", "Tỷ lệ theo nhóm",
"Điều chỉnh ngoài quy định", "Gợi ý kiểm điểm" and "Khó khăn, vướng mắc"; the layout of each
sheet is `reports.sheet.SheetWriter`'s.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook

from organizations.models import GrassrootsType, Organization
from organizations.templatetags.people import person_name
from reports.formatting import level_code, votes
from reports.selectors import (
    ReportData,
    comments_text,
    override_text,
    report_data,
    suggestion_target,
)
from reports.selectors.lists import question_answer, question_text
from reports.sheet import Column, SheetWriter, fraction, new_workbook, save_workbook
from reviews.models import Level, NotRatedReason, ReviewCycle
from reviews.quota import quota_rule_text


def _sheet_6f(workbook: Workbook, data: ReportData) -> None:
    sheet = SheetWriter(
        workbook,
        data,
        name=_("Biểu 6F"),
        title=_("Thống kê kết quả kiểm điểm tự phê bình và phê bình"),
        columns=[
            Column(_("TT"), 6, "center"),
            Column(_("Nội dung"), 58),
            Column(_("Tập thể"), 12, "number"),
            Column(_("Đảng viên"), 12, "number"),
            Column(_("Ghi chú"), 34),
        ],
        landscape=False,
        form_code=_("Biểu số 6F-BTCTW"),
    )
    sheet.header()
    sheet.line(["A", "B", "1", "2", "C"], italic=True, centered=True)
    for row in data.table_6f.rows:
        label = (_("Trong đó: ") if row.number in ("3.1", "4.1") else "") + str(row.label)
        sheet.line(
            [row.number, label, row.collectives, row.members, row.note],
            bold=not row.is_detail,
            indent=2 if row.is_detail else 0,
        )
    sheet.footer()


def _sheet_statistics(workbook: Workbook, data: ReportData) -> None:
    levels = Level.choices
    reasons = NotRatedReason.choices
    columns = [Column(_("TT"), 5, "center"), Column(_("Đối tượng"), 34)]
    columns += [Column(_("Tổng số"), 9, "number"), Column(_("Được xếp loại"), 10, "number")]
    for _level, _label in levels:
        columns += [
            Column(_("Số lượng"), 8, "number"),
            Column(_("% số được xếp loại"), 9, "percent"),
            Column(_("% tổng số"), 8, "percent"),
        ]
    columns.append(Column(_("Tổng số"), 8, "number"))
    columns += [Column(str(label), 11, "number") for _reason, label in reasons]
    columns.append(Column(_("Chưa có quyết định"), 10, "number"))
    sheet = SheetWriter(
        workbook,
        data,
        name=_("Thống kê xếp loại"),
        title=_("Thống kê kết quả đánh giá, xếp loại chất lượng tổ chức đảng, đảng viên"),
        columns=columns,
        landscape=True,
        form_code=_("Mẫu biểu 6-BTCTW"),
    )
    groups = [("", 1), ("", 1), ("", 1), ("", 1)]
    groups += [(str(label), 3) for _level, label in levels]
    groups += [(_("Không xếp loại"), 1 + len(reasons)), ("", 1)]
    sheet.header(groups)
    for row in data.statistics:
        values = [row.number, row.label, row.total, row.rated]
        for _level, count, of_rated, of_total in row.level_cells:
            values += [count, fraction(of_rated), fraction(of_total)]
        values.append(row.not_rated)
        values += [count for _reason, count in row.reason_cells]
        values.append(row.undecided)
        sheet.line(values, bold=not row.is_detail, indent=2 if row.is_detail else 0)
    sheet.note(
        _(
            "Mức xếp loại theo quyết định của cấp có thẩm quyền. Tỷ lệ tính trên số được xếp "
            "loại và trên tổng số; những trường hợp không xếp loại vẫn được thống kê với lý do."
        )
    )
    sheet.footer()


def _sheet_members(workbook: Workbook, data: ReportData) -> None:
    sheet = SheetWriter(
        workbook,
        data,
        name=_("Danh sách đảng viên"),
        title=_("Danh sách đảng viên và kết quả xếp loại chất lượng"),
        columns=[
            Column(_("TT"), 6, "center"),
            Column(_("Họ và tên"), 26),
            Column(_("Ngày sinh"), 11, "date"),
            Column(_("Ngày vào Đảng"), 11, "date"),
            Column(_("Chi bộ"), 24),
            Column(_("Chức vụ"), 18),
            Column(_("Điều kiện xếp loại"), 38),
            Column(_("Tự xếp loại"), 9, "center"),
            Column(_("Chi bộ đề xuất"), 9, "center"),
            Column(_("Biểu quyết (tán thành / không)"), 11, "center"),
            Column(_("Cấp ủy quyết định"), 10, "center"),
            *_score_columns(data),
            Column(_("Điều chỉnh ngoài quy định"), 24),
            Column(_("Ghi chú"), 20),
        ],
        landscape=True,
    )
    sheet.header()
    for group in data.cells:
        sheet.band(
            _("%(cell)s — %(count)s đảng viên") % {"cell": group.label, "count": len(group.lines)}
        )
        for line in group.lines:
            rating, member = line.rating, line.member
            sheet.line(
                [
                    line.number,
                    member.full_name,
                    member.date_of_birth,
                    member.admitted_on,
                    group.label,
                    member.leadership_post,
                    line.verdict,
                    level_code(rating.self_level),
                    level_code(rating.proposal_level),
                    votes(rating),
                    level_code(rating.decision_level),
                    *_score_values(data, rating),
                    override_text(rating),
                    " ".join(filter(None, [comments_text(rating), rating.note])),
                ]
            )
    if not data.cells:
        sheet.band(_("Không có đảng viên."))
    sheet.filter()
    sheet.note(_legend())
    sheet.footer()


def _score_columns(data: ReportData) -> list[Column]:
    """The total score beside the level, in cycles scored out of 100 (QĐ 366, Điều 10)."""
    if not data.cycle.uses_scores:
        return []
    return [Column(_("Tổng điểm (/100)"), 9, "center")]


def _score_values(data: ReportData, rating) -> list:
    if not data.cycle.uses_scores:
        return []
    return [rating.decided_score if rating.decided_score is not None else ""]


def _legend() -> str:
    return "; ".join(f"{code}: {label}" for code, label in Level.choices) + "."


def _sheet_organizations(workbook: Workbook, data: ReportData) -> None:
    sheet = SheetWriter(
        workbook,
        data,
        name=_("Tổ chức đảng"),
        title=_("Danh sách tổ chức đảng và kết quả xếp loại chất lượng"),
        columns=[
            Column(_("TT"), 6, "center"),
            Column(_("Tên tổ chức đảng"), 40),
            Column(_("Loại tổ chức"), 16),
            Column(_("Loại hình cơ sở"), 22),
            Column(_("Trực thuộc"), 28),
            Column(_("Cấp quyết định"), 28),
            Column(_("Tự xếp loại"), 9, "center"),
            Column(_("Quyết định"), 10, "center"),
            *_score_columns(data),
            Column(_("Không xếp loại (lý do)"), 18),
            Column(_("Điều chỉnh ngoài quy định"), 22),
            Column(_("Ghi chú"), 18),
        ],
        landscape=True,
    )
    sheet.header()
    types = dict(GrassrootsType.choices)
    for line in data.organizations:
        rating, organization = line.rating, line.organization
        sheet.line(
            [
                line.number,
                organization.name,
                organization.get_kind_display(),
                str(types.get(organization.grassroots_type, "")),
                line.parent_label,
                rating.pool.owner.name,
                level_code(rating.self_level),
                level_code(rating.decision_level),
                *_score_values(data, rating),
                rating.get_not_rated_reason_display(),
                override_text(rating),
                rating.note,
            ],
            indent=line.depth,
        )
    if not data.organizations:
        sheet.band(_("Không có tổ chức đảng."))
    sheet.note(_legend())
    sheet.footer()


def _sheet_excellent(workbook: Workbook, data: ReportData) -> None:
    sheet = SheetWriter(
        workbook,
        data,
        name=_("Xuất sắc"),
        title=_('Danh sách được xếp loại "Hoàn thành xuất sắc nhiệm vụ"'),
        columns=[
            Column(_("TT"), 6, "center"),
            Column(_("Họ và tên / Tên tổ chức, tập thể"), 40),
            Column(_("Đơn vị, chi bộ"), 56),
            *_score_columns(data),
            Column(_("Ghi chú"), 24),
        ],
        landscape=False,
    )
    sheet.header()
    for group in data.excellent:
        sheet.band(f"{group.label}: {len(group.lines)}")
        for number, line in enumerate(group.lines, start=1):
            sheet.line(
                [
                    number,
                    line.name,
                    line.detail,
                    *_score_values(data, line.rating),
                    override_text(line.rating),
                ]
            )
    sheet.footer()


def _sheet_quotas(workbook: Workbook, data: ReportData) -> None:
    sheet = SheetWriter(
        workbook,
        data,
        name=_("Tỷ lệ theo nhóm"),
        title=_('Thực hiện tỷ lệ "Hoàn thành xuất sắc nhiệm vụ" theo từng cấp quyết định'),
        columns=[
            Column(_("TT"), 5, "center"),
            Column(_("Cấp quyết định"), 36),
            Column(_("Đối tượng"), 18),
            Column(_("Trạng thái"), 13),
            Column(_("Được xếp loại"), 10, "number"),
            Column("HTXSNV", 9, "number"),
            Column("HTTNV", 9, "number"),
            Column("HTNV", 9, "number"),
            Column("KHTNV", 9, "number"),
            Column(_("Chưa quyết định"), 10, "number"),
            Column(_("Cơ sở tính tỷ lệ"), 10, "number"),
            Column(_("Tối đa được HTXSNV"), 10, "number"),
            Column(_("HTXSNV / cơ sở tính"), 10, "percent"),
            Column(_("Vượt tỷ lệ"), 10, "center"),
        ],
        landscape=True,
    )
    sheet.header()
    for number, line in enumerate(data.quotas, start=1):
        status, pool = line.status, line.pool
        sheet.line(
            [
                number,
                pool.owner.name,
                pool.label,
                pool.get_state_display(),
                status.rated,
                status.excellent,
                status.good,
                status.completed,
                status.not_completed,
                status.undecided,
                status.basis,
                status.allowed,
                fraction(line.share_of_good),
                _("Vượt") if status.is_over else "",
            ],
            bold=status.is_over,
        )
    if not data.quotas:
        sheet.band(_("Không có nhóm xếp loại."))
    sheet.note(quota_rule_text(data.cycle))
    sheet.footer()


def _sheet_overrides(workbook: Workbook, data: ReportData) -> None:
    """Every decision beyond the rules: who decided, why, and the document (DOMAIN.md §5)."""
    sheet = SheetWriter(
        workbook,
        data,
        name=_("Điều chỉnh ngoài quy định"),
        title=_("Các trường hợp điều chỉnh ngoài quy định"),
        columns=[
            Column(_("TT"), 5, "center"),
            Column(_("Đối tượng"), 30),
            Column(_("Loại đối tượng"), 16),
            Column(_("Đơn vị, chi bộ"), 30),
            Column(_("Cấp quyết định"), 26),
            Column(_("Mức quyết định"), 10, "center"),
            Column(_("Người quyết định"), 20),
            Column(_("Lý do"), 40),
            Column(_("Số văn bản"), 16),
            Column(_("Thời điểm"), 12, "date"),
        ],
        landscape=True,
    )
    sheet.header()
    for number, line in enumerate(data.overrides, start=1):
        rating = line.rating
        sheet.line(
            [
                number,
                str(rating.subject),
                rating.get_subject_kind_display(),
                line.unit_label,
                rating.pool.owner.name,
                level_code(rating.decision_level),
                person_name(rating.override_by),
                rating.override_reason,
                rating.override_reference,
                timezone.localdate(rating.override_at) if rating.override_at else None,
            ]
        )
    if not data.overrides:
        sheet.band(_("Không có trường hợp điều chỉnh ngoài quy định."))
    sheet.footer()


def _sheet_suggestions(workbook: Workbook, data: ReportData) -> None:
    sheet = SheetWriter(
        workbook,
        data,
        name=_("Gợi ý kiểm điểm"),
        title=_("Gợi ý kiểm điểm và giải trình"),
        columns=[
            Column(_("TT"), 5, "center"),
            Column(_("Văn bản gợi ý"), 16),
            Column(_("Ngày"), 11, "date"),
            Column(_("Tập thể, cá nhân được gợi ý"), 28),
            Column(_("Cấp quản lý"), 16),
            Column(_("Đơn vị giải trình"), 24),
            Column(_("Vấn đề"), 6, "center"),
            Column(_("Nội dung vấn đề gợi ý"), 36),
            Column(_("Trạng thái"), 13),
            Column(_("Giải trình"), 40),
            Column(_("Nguyên nhân"), 24),
            Column(_("Trách nhiệm"), 24),
        ],
        landscape=True,
    )
    sheet.header()
    for number, suggestion in enumerate(data.suggestions, start=1):
        head = [
            number,
            suggestion.document_number,
            suggestion.issued_on,
            suggestion_target(suggestion),
            suggestion.get_managing_level_display(),
            suggestion.addressed_to.name,
        ]
        issues = list(suggestion.issues.all())
        if not issues:
            sheet.line([*head, "", suggestion.title, suggestion.get_state_display(), "", "", ""])
        for issue in issues:
            sheet.line(
                [
                    *head,
                    issue.order,
                    issue.text,
                    issue.get_state_display(),
                    issue.explanation,
                    issue.cause,
                    issue.responsibility,
                ]
            )
            head = ["", "", None, "", "", ""]
    if not data.suggestions:
        sheet.band(_("Không có gợi ý kiểm điểm."))
    sheet.footer()


def _sheet_questions(workbook: Workbook, data: ReportData) -> None:
    """Letter point 4: what units raised, what was answered, what remains for the BTV."""
    sheet = SheetWriter(
        workbook,
        data,
        name=_("Khó khăn, vướng mắc"),
        title=_("Khó khăn, vướng mắc và kiến nghị"),
        columns=[
            Column(_("TT"), 5, "center"),
            Column(_("Đơn vị"), 26),
            Column(_("Tiêu đề"), 28),
            Column(_("Nội dung"), 40),
            Column(_("Ngày hỏi"), 11, "date"),
            Column(_("Trạng thái"), 16),
            Column(_("Trả lời của Ban Tổ chức"), 40),
            Column(_("Áp dụng chung"), 10, "center"),
        ],
        landscape=True,
    )
    sheet.header()
    for number, question in enumerate(data.questions, start=1):
        sheet.line(
            [
                number,
                question.unit.name,
                question.title,
                question_text(question),
                timezone.localdate(question.asked_at),
                question.get_state_display(),
                question_answer(question),
                _("Có") if question.is_shared else "",
            ]
        )
    if not data.questions:
        sheet.band(_("Không có khó khăn, vướng mắc nào được nêu."))
    sheet.footer()


#: A job's progress reporter: (percent, what is being done).
Progress = Callable[[int, str], None]

_SHEETS = (
    _sheet_6f,
    _sheet_statistics,
    _sheet_members,
    _sheet_organizations,
    _sheet_excellent,
    _sheet_quotas,
    _sheet_overrides,
    _sheet_suggestions,
    _sheet_questions,
)


def write_workbook(data: ReportData, *, progress: Progress | None = None) -> bytes:
    """The report's workbook, its sheets written streamed; `progress` hears of each sheet
    (from 20% to 95%)."""
    workbook = new_workbook()
    for index, sheet in enumerate(_SHEETS):
        if progress is not None:
            progress(
                20 + 75 * index // len(_SHEETS),
                _("Đang viết biểu %(n)s/%(total)s")
                % {
                    "n": index + 1,
                    "total": len(_SHEETS),
                },
            )
        sheet(workbook, data)
    workbook.properties.creator = "kiemdiem"
    workbook.properties.title = f"{data.cycle.title} — {data.node.name}"
    return save_workbook(workbook)


@translation.override("vi")  # printed documents are Vietnamese whatever the UI language
def build_workbook(
    cycle: ReviewCycle, scope_node: Organization, *, progress: Progress | None = None
) -> bytes:
    """The .xlsx of the node's report (the bloc or one grassroots unit)."""
    if progress is not None:
        progress(5, _("Đang đọc số liệu"))
    return write_workbook(report_data(cycle, scope_node), progress=progress)
