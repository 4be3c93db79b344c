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
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from organizations.models import Organization, OrganizationKind
from organizations.text import percent_text
from reports.formatting import LEVEL_CODES
from reports.letterhead import letterhead_for, upper
from reports.permissions import DOCX, PDF
from reports.selectors import ReportData, report_data
from reviews.models import Level, ReRating, ReviewCycle
from reviews.quota import quota_rule_text

# WeasyPrint logs every layout step at INFO; the server log needs only its warnings.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def _base_dir() -> Path:
    """Where relative URLs would resolve (a local directory; the report uses none)."""
    return Path(settings.BASE_DIR) / "templates" / "reports"


def _refuse(url: str, *args, **kwargs):
    """The report is self-contained: no file, network or data URL is ever loaded."""
    raise ValueError(f"external resource refused: {url[:80]}")


def report_context(
    data: ReportData,
    *,
    number: str = "",
    issued_on: datetime.date | None = None,
    proposals: str = "",
    signer_name: str = "",
) -> dict:
    head = data.letterhead
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
) -> bytes:
    """The node's report (the bloc or one grassroots unit) as PDF or .docx bytes.

    `number` fills "Số …-BC/ĐUK" (blank by default, written by hand); `issued_on` is the date
    under the party name (default: the day of the export).
    """
    data = report_data(cycle, scope_node, with_lists=False)
    html = render_report_html(
        data, number=number, issued_on=issued_on, proposals=proposals, signer_name=signer_name
    )
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
