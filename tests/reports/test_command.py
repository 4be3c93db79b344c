import io
import zipfile

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db


def test_export_the_bloc_and_a_unit(report_bloc, tmp_path):
    bloc_file = tmp_path / "khoi.xlsx"
    call_command(
        "export_report",
        "--cycle=2021",
        "--organization=DUKT",
        "--format=xlsx",
        f"--output={bloc_file}",
        stdout=io.StringIO(),
    )
    assert load_workbook(bloc_file).sheetnames[0] == "Biểu 6F"
    pdf = tmp_path / "stc.pdf"
    call_command(
        "export_report",
        "--cycle=2021",
        "--organization=STC",
        "--format=pdf",
        f"--output={pdf}",
        "--number=7",
        "--date=01/12/2021",
        stdout=io.StringIO(),
    )
    assert pdf.read_bytes().startswith(b"%PDF")
    bundle = tmp_path / "nested" / "stc.zip"
    call_command(
        "export_report",
        "--cycle=2021",
        "--organization=STC",
        "--format=zip",
        f"--output={bundle}",
        stdout=io.StringIO(),
    )
    assert "manifest.csv" in zipfile.ZipFile(bundle).namelist()


@pytest.mark.parametrize(
    ("cycle", "organization", "fmt", "message"),
    [
        (2021, "DUKT", "zip", "chỉ lập cho một tổ chức cơ sở đảng"),
        (2021, "KHONGCO", "pdf", "Không có tổ chức"),
        (2019, "STC", "xlsx", "Không có kỳ đánh giá"),
    ],
)
def test_refusals(report_bloc, tmp_path, cycle, organization, fmt, message):
    with pytest.raises(CommandError, match=message):
        call_command(
            "export_report",
            f"--cycle={cycle}",
            f"--organization={organization}",
            f"--format={fmt}",
            f"--output={tmp_path / 'x'}",
            stdout=io.StringIO(),
        )


def test_a_cell_has_no_report(report_bloc, tmp_path):
    cell = report_bloc["a"]["cells"][0]
    with pytest.raises(CommandError, match="chỉ lập cho Đảng bộ Khối"):
        call_command(
            "export_report",
            "--cycle=2021",
            f"--organization={cell.code}",
            "--format=pdf",
            f"--output={tmp_path / 'x.pdf'}",
            stdout=io.StringIO(),
        )
