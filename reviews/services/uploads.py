"""Checks every uploaded file passes before it is stored: by content, by size, by name."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

#: Uploads accepted (dossier items, guiding documents, attachments), checked by content.
UPLOAD_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "application/pdf": (b"%PDF-",),
    # DOCX, XLSX and ODF are zip archives; DOC and XLS are OLE compound files.
    "application/zip": (b"PK\x03\x04",),
    "application/x-ole-storage": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
}
UPLOAD_EXTENSIONS = {
    "pdf": "application/pdf",
    "docx": "application/zip",
    "xlsx": "application/zip",
    "odt": "application/zip",
    "ods": "application/zip",
    "doc": "application/x-ole-storage",
    "xls": "application/x-ole-storage",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
}
UPLOAD_MAX_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class CheckedUpload:
    name: str
    content_type: str
    size: int
    sha256: str


def _detect_type(head: bytes) -> str | None:
    for content_type, signatures in UPLOAD_SIGNATURES.items():
        if any(head.startswith(signature) for signature in signatures):
            return content_type
    return None


def check_upload(upload: UploadedFile) -> CheckedUpload:
    """The file's first bytes must match its extension; it may not be empty or too large.

    Raises ValidationError: invalid_extension, empty_file, file_too_large, content_mismatch.
    """
    name = (upload.name or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:255]
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in UPLOAD_EXTENSIONS:
        raise ValidationError(
            _("Chỉ nhận tệp PDF, Word, Excel, OpenDocument, JPEG hoặc PNG."),
            code="invalid_extension",
        )
    if not upload.size:
        raise ValidationError(_("Tệp rỗng."), code="empty_file")
    if upload.size > UPLOAD_MAX_BYTES:
        raise ValidationError(
            _("Tệp lớn hơn %(mb)s MB.") % {"mb": UPLOAD_MAX_BYTES // (1024 * 1024)},
            code="file_too_large",
        )
    upload.seek(0)
    if _detect_type(upload.read(16)) != UPLOAD_EXTENSIONS[extension]:
        raise ValidationError(
            _("Nội dung tệp không khớp với định dạng .%(ext)s.") % {"ext": extension},
            code="content_mismatch",
        )
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedUpload(
        name=name,
        content_type=UPLOAD_EXTENSIONS[extension],
        size=upload.size,
        sha256=digest.hexdigest(),
    )
