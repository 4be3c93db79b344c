import csv
import hashlib
import io
import zipfile

import pytest
from openpyxl import load_workbook

from reports.bundle import MANIFEST_NAME, build_bundle
from reviews.models import DossierItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def bundle(report_bloc):
    content = build_bundle(report_bloc["cycle"], report_bloc["a"]["unit"])
    return zipfile.ZipFile(io.BytesIO(content))


def manifest_rows(archive):
    text = archive.read(MANIFEST_NAME).decode("utf-8-sig")
    return [row for row in csv.reader(io.StringIO(text)) if row]


def test_the_bundle_holds_report_workbook_dossier_and_manifest(bundle, report_bloc):
    names = bundle.namelist()
    assert MANIFEST_NAME in names
    assert "bao-cao-2021-stc.pdf" in names
    assert "bieu-thong-ke-2021-stc.xlsx" in names
    assert bundle.read("bao-cao-2021-stc.pdf").startswith(b"%PDF")
    load_workbook(io.BytesIO(bundle.read("bieu-thong-ke-2021-stc.xlsx")))
    present = list(DossierItem.objects.present().filter(submission=report_bloc["submission"]))
    dossier = [name for name in names if name.startswith("ho-so/")]
    assert dossier == ["ho-so/01-bien-ban-hoi-nghi-kiem-diem.pdf"]
    assert len(dossier) == len(present)
    assert bundle.read(dossier[0]) == present[0].file.open("rb").read()


def test_names_inside_the_zip_are_generated_and_safe(bundle):
    for name in bundle.namelist():
        assert not name.startswith("/")
        assert ".." not in name
        assert "\\" not in name
        assert name.isascii()


def test_the_manifest_describes_every_file(bundle, report_bloc):
    rows = manifest_rows(bundle)
    header, body = rows[0], rows[1:-1]
    assert header[:5] == [
        "Tệp trong gói",
        "Loại tài liệu",
        "Tên tệp gốc",
        "Dung lượng (byte)",
        "SHA-256",
    ]
    by_name = {row[0]: row for row in body}
    minutes = by_name["ho-so/01-bien-ban-hoi-nghi-kiem-diem.pdf"]
    content = bundle.read(minutes[0])
    assert minutes[1] == "Biên bản hội nghị kiểm điểm"
    assert minutes[2] == "Biên bản hội nghị.pdf"  # the user's name, kept only as data
    assert minutes[3] == str(len(content))
    assert minutes[4] == hashlib.sha256(content).hexdigest()
    assert minutes[5] == "khớp"
    assert minutes[6] == "canbo-stc" or minutes[6].strip()
    for name in ("bao-cao-2021-stc.pdf", "bieu-thong-ke-2021-stc.xlsx"):
        assert by_name[name][4] == hashlib.sha256(bundle.read(name)).hexdigest()
    assert "gỡ bỏ.pdf" not in {row[2] for row in body}  # removed items stay out


def test_a_missing_file_is_reported_not_fatal(report_bloc):
    item = DossierItem.objects.present().get(submission=report_bloc["submission"])
    item.file.storage.delete(item.file.name)
    archive = zipfile.ZipFile(
        io.BytesIO(build_bundle(report_bloc["cycle"], report_bloc["a"]["unit"]))
    )
    row = next(r for r in manifest_rows(archive) if r[2] == "Biên bản hội nghị.pdf")
    assert row[0] == ""
    assert row[5] == "thiếu tệp trên máy chủ"


def test_no_bundle_for_the_bloc(report_bloc):
    with pytest.raises(ValueError, match="grassroots"):
        build_bundle(report_bloc["cycle"], report_bloc["bloc"])
