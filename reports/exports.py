"""What an export of a node's report makes: the workbook, the report as PDF or Word, or a
unit's dossier bundle; its file name and content type. Called by the worker's job
(`reports.jobs`) and by `manage.py export_report`."""

from __future__ import annotations

from reports.bundle import build_bundle, unit_slug
from reports.documents import build_report
from reports.excel import Progress, build_workbook
from reports.models import DocumentFields
from reports.permissions import DOCUMENT_FORMATS, DOCX, PDF, XLSX

CONTENT_TYPES = {
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    PDF: "application/pdf",
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "zip": "application/zip",
}
FILE_STEMS = {XLSX: "bieu-thong-ke", PDF: "bao-cao", DOCX: "bao-cao", "zip": "ho-so"}


def export(cycle, node, fmt: str, *, progress: Progress | None = None, **document_fields) -> bytes:
    """The file of `fmt`. A printed report takes the fields kept with it (`DocumentFields`),
    each overridden by a non-blank one given here (the command's --number, --date)."""
    if fmt == XLSX:
        return build_workbook(cycle, node, progress=progress)
    if fmt in DOCUMENT_FORMATS:
        stored = DocumentFields.objects.filter(cycle=cycle, organization=node).first()
        options = stored.as_options() if stored is not None else {}
        options.update({name: value for name, value in document_fields.items() if value})
        return build_report(cycle, node, fmt, progress=progress, **options)
    return build_bundle(cycle, node, progress=progress)


def file_name(cycle, node, fmt: str) -> str:
    return f"{FILE_STEMS[fmt]}-{cycle.year}-{unit_slug(node)}.{fmt}"
