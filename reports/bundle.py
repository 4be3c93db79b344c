"""A unit's dossier bundle: the report PDF, the workbook, every present dossier file and a
manifest, in one zip (DOMAIN.md §8: what goes upward).

Names inside the archive are generated (`ho-so/03-bien-ban-hoi-nghi.pdf`): a user's file name
is kept only as data in the manifest, never as a path, so nothing can climb out of the folder.
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import re
import zipfile

from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from members.imports.sheets import FORMULA_PREFIXES
from organizations.models import Organization
from organizations.templatetags.people import person_name
from reports.documents import (
    build_dossier_list,
    build_minutes_document,
    build_self_review_document,
    html_to_pdf,
    render_report_html,
)
from reports.excel import write_workbook
from reports.models import DocumentFields
from reports.permissions import DOCX, PDF
from reports.selectors import report_data
from reviews.models import DossierItem, ReviewCycle, ReviewMeeting, SelfReview, Submission

MANIFEST_NAME = "manifest.csv"
_EXTENSION = re.compile(r"^[a-z0-9]{1,8}$")


def _extension(name: str) -> str:
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return extension if _EXTENSION.match(extension) else "bin"


def ascii_slug(text: str) -> str:
    """ "Biên bản hội nghị kiểm điểm" → "bien-ban-hoi-nghi-kiem-diem" (đ has no decomposition,
    so it is folded by hand before Django drops what is not ASCII)."""
    return slugify(text.replace("đ", "d").replace("Đ", "D"))


def unit_slug(unit: Organization) -> str:
    return ascii_slug(unit.code) or str(unit.pk)


def dossier_file_name(index: int, item: DossierItem) -> str:
    kind = ascii_slug(item.get_kind_display()) or "tai-lieu"
    return f"ho-so/{index:02d}-{kind[:40]}.{_extension(item.file.name or item.original_name)}"


def _read(item: DossierItem) -> bytes | None:
    try:
        with item.file.open("rb") as handle:
            return handle.read()
    except (FileNotFoundError, OSError, ValueError):
        return None


def _who(user) -> str:
    return person_name(user) if user is not None else ""


@translation.override("vi")  # printed documents are Vietnamese whatever the UI language
def build_bundle(cycle: ReviewCycle, unit: Organization, *, progress=None) -> bytes:
    """The zip of one grassroots unit. Raises ValueError for the bloc (it has no dossier).
    `progress` (a job's reporter) hears of each stage."""
    if not unit.is_grassroots:
        raise ValueError("a dossier bundle is made for one grassroots unit")

    def report(percent: int, step: str) -> None:
        if progress is not None:
            progress(percent, step)

    report(5, _("Đang đọc số liệu"))
    data = report_data(cycle, unit)
    slug = unit_slug(unit)
    report_name = f"bao-cao-{cycle.year}-{slug}.pdf"
    workbook_name = f"bieu-thong-ke-{cycle.year}-{slug}.xlsx"
    stored = DocumentFields.objects.filter(cycle=cycle, organization=unit).first()
    report(25, _("Đang in báo cáo"))
    pdf = html_to_pdf(render_report_html(data, **(stored.as_options() if stored else {})))
    report(45, _("Đang viết biểu thống kê"))
    workbook = write_workbook(data)
    report(65, _("Đang đóng gói hồ sơ"))
    items = list(
        DossierItem.objects.present()
        .filter(submission__in=Submission.objects.filter(cycle=cycle, organization=unit))
        .select_related("uploaded_by")
        .order_by("kind", "uploaded_at", "pk")
    )
    now = timezone.localtime()
    rows: list[list[str]] = []
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        made_here = (
            (report_name, pdf, _("Báo cáo kết quả (tạo tự động)")),
            (workbook_name, workbook, _("Biểu thống kê (tạo tự động)")),
        )
        # Each generated paper is written into the archive as it is made, not all held at once.
        for name, made, kind in itertools.chain(made_here, generated_papers(cycle, unit)):
            archive.writestr(name, made)
            rows.append(
                [
                    name,
                    kind,
                    "",
                    str(len(made)),
                    hashlib.sha256(made).hexdigest(),
                    "",
                    "kiemdiem",
                    now.strftime("%d/%m/%Y %H:%M"),
                ]
            )
        for index, item in enumerate(items, start=1):
            name = dossier_file_name(index, item)
            content = _read(item)
            uploaded = timezone.localtime(item.uploaded_at).strftime("%d/%m/%Y %H:%M")
            if content is None:
                check = _("thiếu tệp trên máy chủ")
                size, digest = "", ""
            else:
                archive.writestr(name, content)
                digest = hashlib.sha256(content).hexdigest()
                size = str(len(content))
                check = _("khớp") if digest == item.sha256 else _("KHÔNG KHỚP với lúc tải lên")
            rows.append(
                [
                    name if content is not None else "",
                    item.get_kind_display(),
                    item.original_name,
                    size,
                    digest,
                    check,
                    _who(item.uploaded_by),
                    uploaded,
                ]
            )
        archive.writestr(MANIFEST_NAME, _manifest(rows, unit=unit, cycle=cycle))
    return buffer.getvalue()


def generated_papers(cycle: ReviewCycle, unit: Organization):
    """What kiemdiem wrote for the unit's dossier, as (name in the archive, bytes, kind): the
    dossier list (Mẫu 04), each meeting's minutes and each finished collective report as PDF,
    each finished individual self-review as Word (a PDF each would take the bundle minutes
    for a large unit; the Word file prints the same layout)."""
    folder = "tao-tu-kiemdiem"
    yield (
        f"{folder}/danh-muc-ho-so.pdf",
        build_dossier_list(cycle, unit, PDF),
        _("Danh mục hồ sơ (tạo tự động)"),
    )
    meetings = ReviewMeeting.objects.filter(
        cycle=cycle, organization__path__startswith=unit.path
    ).select_related("cycle__organization", "organization", "chair", "secretary")
    for meeting in meetings.order_by("organization__path"):
        yield (
            f"{folder}/bien-ban-hoi-nghi-{unit_slug(meeting.organization)}.pdf",
            build_minutes_document(meeting, PDF),
            _("Biên bản hội nghị kiểm điểm (tạo tự động)"),
        )
    forms = SelfReview.objects.filter(
        rating__cycle=cycle, rating__unit__path__startswith=unit.path, finished_at__isnull=False
    ).select_related(
        "rating__cycle__organization",
        "rating__member",
        "rating__organization",
        "rating__collective",
        "rating__unit",
    )
    for form in forms.order_by("rating__unit__path", "rating__member__sort_key", "pk"):
        if form.is_collective:
            name = f"{folder}/bao-cao-kiem-diem-{form.rating_id}.pdf"
            yield name, build_self_review_document(form, PDF), _("Báo cáo kiểm điểm tập thể")
        else:
            slug = ascii_slug(form.rating.member.full_name)[:40]
            name = f"{folder}/ban-kiem-diem/{slug}-{form.rating_id}.docx"
            yield name, build_self_review_document(form, DOCX), _("Bản kiểm điểm cá nhân")


def _manifest(rows: list[list[str]], *, unit: Organization, cycle: ReviewCycle) -> bytes:
    """CSV in UTF-8 with a byte-order mark, so spreadsheet programs read the diacritics."""
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(
        [
            _("Tệp trong gói"),
            _("Loại tài liệu"),
            _("Tên tệp gốc"),
            _("Dung lượng (byte)"),
            _("SHA-256"),
            _("Kiểm tra"),
            _("Người tải lên"),
            _("Thời điểm"),
        ]
    )
    for row in rows:
        writer.writerow([_csv_safe(value) for value in row])
    writer.writerow([])
    writer.writerow([_csv_safe(f"{unit.name} — {cycle.title}")])
    return ("\ufeff" + text.getvalue()).encode("utf-8")


def _csv_safe(value: str) -> str:
    """A value that a spreadsheet would read as a formula when the CSV is opened: quoted."""
    return f"'{value}" if value.startswith(FORMULA_PREFIXES) else value
