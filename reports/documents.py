"""The printed documents, laid out as party documents (HD 36-HD/VPTW; DOMAIN.md §9), each as
PDF and as an editable Word file from the same rendered template.

`build_report(cycle, node, fmt)` renders `reports/report.html` and prints it with WeasyPrint
(PDF) or writes it with python-docx (`reports.docx`). Fonts are the system's
Times New Roman or its metric twin Liberation Serif (Debian fonts-liberation2); nothing is
fetched from outside: every URL the document could name is refused.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import replace
from pathlib import Path

from django.conf import settings
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from organizations.models import Organization, OrganizationKind
from organizations.text import percent_text
from reports.formatting import LEVEL_CODES
from reports.letterhead import committee_name, letterhead_for, upper, vietnamese_date
from reports.permissions import DOCX, PDF
from reports.selectors import ReportData, report_data
from reviews.models import (
    PART_MAXIMUM,
    CriterionPart,
    Level,
    QuarterAssessment,
    ReRating,
    ReviewCycle,
    ReviewMeeting,
    SelfReview,
)
from reviews.quota import quota_rule_text
from reviews.rules import rule_set_for

# WeasyPrint logs every layout step at INFO; the server log needs only its warnings.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def _base_dir() -> Path:
    """Where relative URLs would resolve (a local directory; the report uses none)."""
    return Path(settings.BASE_DIR) / "templates" / "reports"


def _refuse(url: str, *args, **kwargs):
    """The report is self-contained: no file, network or data URL is ever loaded."""
    raise ValueError(f"external resource refused: {url[:80]}")


def _as_filled(head, *, signer_position: str = "", recipients: str = ""):
    """The letterhead with the signer's position and the recipients the issuer typed (one
    recipient a line, each printed as "- …" as HD 36-HD/VPTW lists them)."""
    if signer_position.strip():
        head = replace(head, signer_position=upper(signer_position))
    lines = [line.strip() for line in recipients.splitlines() if line.strip()]
    if lines:
        head = replace(
            head,
            recipients=tuple(line if line.startswith("-") else f"- {line}" for line in lines),
        )
    return head


def report_context(
    data: ReportData,
    *,
    number: str = "",
    issued_on: datetime.date | None = None,
    proposals: str = "",
    signer_name: str = "",
    signer_position: str = "",
    recipients: str = "",
) -> dict:
    head = _as_filled(data.letterhead, signer_position=signer_position, recipients=recipients)
    units = data.units
    return {
        "data": data,
        "head": head,
        "document_number": head.document_number(number),
        "place_and_date": head.place_and_date(issued_on or timezone.localdate()),
        "legal_references": [
            line.strip(" ;\t") for line in data.cycle.legal_references.splitlines() if line.strip()
        ],
        "sent": units.get("submitted", 0) + units.get("approved", 0),
        "level_codes": list(LEVEL_CODES.values()),
        "legend": "; ".join(f"{code} — {label}" for code, label in Level.choices),
        "rate": percent_text(data.cycle.quota_rate),
        "quota_rule": quota_rule_text(data.cycle),
        "board": head.standing_board,
        "proposals": [p.strip() for p in proposals.split("\n") if p.strip()],
        "signer_name": signer_name,
        "actor": _("chi bộ")
        if data.node.kind == OrganizationKind.GRASSROOTS_CELL
        else _("đảng ủy"),
    }


def render_report_html(data: ReportData, **options) -> str:
    return render_to_string("reports/report.html", report_context(data, **options))


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML  # imported late: loading Pango takes a moment

    return HTML(string=html, base_url=str(_base_dir()), url_fetcher=_refuse).write_pdf()


def printed(html: str, fmt: str) -> bytes:
    """The rendered document in `fmt`: PDF (WeasyPrint) or Word (python-docx)."""
    if fmt == DOCX:
        from reports.docx import html_to_docx

        return html_to_docx(html)
    return html_to_pdf(html)


@translation.override("vi")  # printed documents are Vietnamese whatever the UI language
def build_report(
    cycle: ReviewCycle,
    scope_node: Organization,
    fmt: str = PDF,
    *,
    number: str = "",
    issued_on: datetime.date | None = None,
    proposals: str = "",
    signer_name: str = "",
    signer_position: str = "",
    recipients: str = "",
    progress=None,
) -> bytes:
    """The node's report (the bloc or one grassroots unit) as PDF or .docx bytes.

    `number` fills "Số …-BC/ĐUK" (blank by default, written by hand); `issued_on` is the date
    under the party name (default: the day of the export); the others are those of
    `reports.models.DocumentFields`.
    """
    if progress is not None:
        progress(5, _("Đang đọc số liệu"))
    data = report_data(cycle, scope_node, with_lists=False)
    if progress is not None:
        progress(40, _("Đang dàn trang"))
    html = render_report_html(
        data,
        number=number,
        issued_on=issued_on,
        proposals=proposals,
        signer_name=signer_name,
        signer_position=signer_position,
        recipients=recipients,
    )
    if progress is not None:
        progress(60, _("Đang in ra tệp"))
    return printed(html, fmt)


@translation.override("vi")
def build_rerating_document(rerating: ReRating, fmt: str = PDF) -> bytes:
    """The re-rating decision (QĐ 366-QĐ/TW, Điều 15; HD 43-HD/BTCTW, Mẫu 03), issued by the
    body that decided the first result, dated and numbered as recorded."""
    rating = rerating.rating
    pool = rating.pool
    cycle = pool.cycle
    head = letterhead_for(pool.owner, bloc=cycle.organization)
    head = replace(
        head,
        recipients=(
            _("- Như Điều 3,"),
            _("- %(board)s (b/c),") % {"board": head.reports_to},
            _("- Lưu hồ sơ."),
        ),
    )
    subject = rating.subject
    if rating.member is not None:
        label = _("đồng chí %(name)s") % {"name": rating.member.full_name}
    else:
        label = str(subject)
    html = render_to_string(
        "reports/rerating.html",
        {
            "rerating": rerating,
            "rating": rating,
            "cycle": cycle,
            "head": head,
            "document_number": _("Số %(reference)s") % {"reference": rerating.reference},
            "place_and_date": head.place_and_date(rerating.decided_on),
            "subject_label": label,
            # The standing board decides for the bloc; a unit's committee for the unit.
            "authority": upper(head.standing_board)
            if pool.owner_id == cycle.organization_id
            else head.issuing_body,
            # The findings end the "Xét …;" line: their own full stop would double it.
            "findings": rerating.findings.strip().rstrip(".;"),
            "old_label": Level(rerating.old_level).label,
            "new_label": Level(rerating.new_level).label,
            "signer_name": "",
        },
    )
    return printed(html, fmt)


def _self_review_identity(self_review: SelfReview) -> list[tuple[str, str]]:
    rating = self_review.rating
    if self_review.is_collective:
        parent = Organization.objects.get_parent(rating.unit)
        return [
            (_("Tập thể"), str(rating.subject)),
            (_("Trực thuộc"), parent.name if parent is not None else ""),
        ]
    member = rating.member
    return [
        (_("Họ và tên"), member.full_name),
        (_("Ngày sinh"), member.date_of_birth.strftime("%d/%m/%Y")),
        (_("Chức vụ lãnh đạo, quản lý"), member.leadership_post),
        (_("Chi bộ"), rating.unit.name),
    ]


def _self_review_signer(self_review: SelfReview) -> tuple[list[str], str]:
    """Who signs: the member himself, or the collective's head for it (HD 43, Mẫu 01/2A–2C)."""
    rating = self_review.rating
    if not self_review.is_collective:
        return [_("NGƯỜI TỰ KIỂM ĐIỂM")], rating.member.full_name
    if rating.collective is not None:
        body = upper(rating.collective.get_kind_display())
    elif rating.unit.kind in (OrganizationKind.GRASSROOTS_CELL, OrganizationKind.CELL):
        body = _("CHI BỘ")
    else:
        body = _("ĐẢNG ỦY")
    return [_("T/M %(body)s") % {"body": body}, _("BÍ THƯ")], ""


@translation.override("vi")
def build_self_review_document(self_review: SelfReview, fmt: str = PDF) -> bytes:
    """A self-review form as its author signs it (HD 43-HD/BTCTW, Mẫu 01/2A/2B/2C; HD 21): the
    unit's header, part A as typed (markup prints as text), the suggested issues with their
    explanations, part B from the rating's self-scores and self-rating."""
    from reviews.selectors.pools import score_lines
    from reviews.selectors.self_reviews import suggested_issues

    rating = self_review.rating
    cycle = rating.cycle
    unit = rating.unit
    parent = Organization.objects.get_parent(unit)
    head = replace(
        letterhead_for(unit, bloc=cycle.organization),
        superior_body=upper(parent.name) if parent is not None else "",
        issuing_body=committee_name(unit),
        recipients=(),
    )
    lines = score_lines(cycle, [rating]).get(rating.pk, [])
    totals = dict.fromkeys(PART_MAXIMUM, None)
    for line in lines:
        if line.self_points is not None:
            part = line.criterion.part
            totals[part] = (totals[part] or 0) + line.self_points
    signer_lines, signer_name = _self_review_signer(self_review)
    finished = (
        timezone.localtime(self_review.finished_at).date() if self_review.finished_at else None
    )
    html = render_to_string(
        "reports/self_review.html",
        {
            "self_review": self_review,
            "rating": rating,
            "cycle": cycle,
            "head": head,
            "document_number": "",
            "place_and_date": head.place_and_date(finished),
            "title": upper(
                _("Báo cáo kiểm điểm tập thể")
                if self_review.is_collective
                else _("Bản kiểm điểm cá nhân")
            ),
            "subject_name": str(rating.subject),
            "identity": _self_review_identity(self_review),
            "sections": self_review.sections(),
            "issues": list(suggested_issues(rating)),
            "lines": lines,
            "part_totals": [
                (CriterionPart(part).label, totals[part], maximum)
                for part, maximum in PART_MAXIMUM.items()
            ],
            "self_level": rating.get_self_level_display(),
            "signer_lines": signer_lines,
            "signer_name": signer_name,
        },
    )
    return printed(html, fmt)


ROMAN_QUARTERS = {1: "I", 2: "II", 3: "III"}


def _quarter_days(year: int, quarter: int) -> tuple[datetime.date, datetime.date]:
    """The quarter's first and last day."""
    first = datetime.date(year, 3 * quarter - 2, 1)
    after = datetime.date(year + quarter // 4, 3 * quarter % 12 + 1, 1)
    return first, after - datetime.timedelta(days=1)


@translation.override("vi")
def build_quarter_document(assessment: QuarterAssessment, fmt: str = PDF) -> bytes:
    """A quarter's self-assessment (HD 43-HD/BTCTW, Mẫu 05: "Bản tự đánh giá xếp loại của cá
    nhân Quý, Năm"; KL 198-KL/TW): the quarter's tasks with those of the register due in it
    (the quarter's own and the year's whose date falls in it), the results, the level
    proposed, and the direct manager's assessment, signed by both."""
    from reviews.models import TaskItem

    rating = assessment.rating
    cycle = rating.cycle
    unit = rating.unit
    member = rating.member
    parent = Organization.objects.get_parent(unit)
    head = replace(
        letterhead_for(unit, bloc=cycle.organization),
        superior_body=upper(parent.name) if parent is not None else "",
        issuing_body=committee_name(unit),
        recipients=(),
    )
    submitted = (
        timezone.localtime(assessment.self_submitted_at).date()
        if assessment.self_submitted_at
        else None
    )
    html = render_to_string(
        "reports/quarter.html",
        {
            "assessment": assessment,
            "rating": rating,
            "cycle": cycle,
            "head": head,
            "document_number": "",
            "place_and_date": head.place_and_date(submitted),
            # The form's name, "Bản tự đánh giá xếp loại của cá nhân Quý …, Năm …", its
            # blanks filled on the line below it as on every printed form.
            "title": upper(_("Bản tự đánh giá xếp loại của cá nhân")),
            "period": _("Quý %(quarter)s, năm %(year)s")
            % {"quarter": ROMAN_QUARTERS[assessment.quarter], "year": cycle.year},
            "identity": [
                (_("Họ và tên"), member.full_name),
                (_("Chức vụ lãnh đạo, quản lý"), member.leadership_post),
                (_("Chi bộ"), unit.name),
            ],
            "tasks": [line.strip() for line in assessment.tasks.splitlines() if line.strip()],
            "results": [line.strip() for line in assessment.results.splitlines() if line.strip()],
            "register": list(
                TaskItem.objects.filter(
                    Q(quarter=assessment.quarter)
                    | Q(
                        quarter__isnull=True,
                        due_on__range=_quarter_days(cycle.year, assessment.quarter),
                    ),
                    rating=rating,
                ).order_by("due_on", "pk")
            ),
            "comment": [
                line.strip() for line in assessment.manager_comment.splitlines() if line.strip()
            ],
            "self_level": assessment.get_self_level_display(),
            "manager_level": assessment.get_manager_level_display(),
            "signer_name": member.full_name,
        },
    )
    return printed(html, fmt)


@translation.override("vi")
def build_minutes_document(meeting: ReviewMeeting, fmt: str = PDF) -> bytes:
    """The minutes of a review meeting (biên bản hội nghị kiểm điểm): when, where, who chaired
    and took the minutes, attendance with the absentees' reasons, the votes per subject as the
    rating screen took them, the conclusions; signed by the secretary and the chair."""
    from reviews.services.meetings import meeting_subjects

    cycle = meeting.cycle
    organization = meeting.organization
    parent = Organization.objects.get_parent(organization)
    head = replace(
        letterhead_for(organization, bloc=cycle.organization),
        superior_body=upper(parent.name) if parent is not None else "",
        issuing_body=committee_name(organization),
    )
    attendance = list(meeting.attendance.select_related("member"))
    html = render_to_string(
        "reports/minutes.html",
        {
            "meeting": meeting,
            "cycle": cycle,
            "head": head,
            "document_number": "",
            "place_and_date": head.place_and_date(meeting.held_on),
            "held_on": vietnamese_date(meeting.held_on),
            "draft_sent": meeting.draft_sent_on.strftime("%d/%m/%Y")
            if meeting.draft_sent_on
            else "",
            "total": len(attendance),
            "present": sum(1 for row in attendance if row.present),
            "absent": [row for row in attendance if not row.present],
            "subjects": meeting_subjects(meeting),
            "legend": "; ".join(f"{code} — {label}" for code, label in Level.choices),
            "conclusions": [
                line.strip() for line in meeting.conclusions.split("\n") if line.strip()
            ],
        },
    )
    return printed(html, fmt)


@translation.override("vi")
def build_dossier_list(cycle: ReviewCycle, unit: Organization, fmt: str = PDF) -> bytes:
    """The unit's dossier list (QĐ 366-QĐ/TW, Điều 17; HD 43, Mẫu 04): each item of the
    checklist with how many papers it holds and whether they are signed scans or written by
    kiemdiem."""
    from reviews.selectors.dossier import dossier_lines

    head = letterhead_for(unit, bloc=cycle.organization)
    head = replace(head, recipients=(_("- %(board)s,") % {"board": head.reports_to}, _("- Lưu.")))
    rows = []
    for line in dossier_lines(cycle, unit):
        notes = []
        if line.uploaded:
            notes.append(_("%(n)s bản có chữ ký") % {"n": line.uploaded})
        if line.generated:
            notes.append(_("%(n)s bản lập trên hệ thống") % {"n": line.generated})
        if line.needs_scan:
            notes.append(_("còn thiếu bản có chữ ký"))
        rows.append(
            {
                "label": line.label,
                "count": line.uploaded + line.generated,
                "note": "; ".join(notes),
            }
        )
    html = render_to_string(
        "reports/dossier_list.html",
        {
            "cycle": cycle,
            "unit": unit,
            "head": head,
            "document_number": "",
            "place_and_date": head.place_and_date(timezone.localdate()),
            "lines": rows,
            "source": _("Theo %(regime)s.") % {"regime": rule_set_for(cycle.rule_set).regime},
            "signer_name": "",
        },
    )
    return printed(html, fmt)
