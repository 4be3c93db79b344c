import pytest
from django.core.management import CommandError, call_command

from members.models import ImportBatch, Member
from organizations.models import Organization
from tests.members.imports.conftest import ORGANIZATION_HEADERS, member_row, organization_row, xlsx

pytestmark = pytest.mark.django_db


def test_import_members_previews_then_applies(small_bloc, tmp_path, capsys):
    path = tmp_path / "dang-vien.xlsx"
    path.write_bytes(xlsx([member_row("Tạ Văn Lệnh", cell=small_bloc["cell"].code)]))
    call_command("import_members", str(path))
    assert "thêm 1, cập nhật 0, không đổi 0, lỗi 0" in capsys.readouterr().out
    assert not Member.objects.filter(full_name="Tạ Văn Lệnh").exists()
    call_command("import_members", str(path), "--apply")
    assert Member.objects.filter(full_name="Tạ Văn Lệnh").exists()
    assert ImportBatch.objects.get().file_name == "dang-vien.xlsx"


def test_import_organizations_prints_errors_and_writes_nothing(small_bloc, tmp_path, capsys):
    path = tmp_path / "to-chuc.xlsx"
    rows = [
        organization_row("CB-LENH", "Chi bộ mới", "Chi bộ trực thuộc", small_bloc["unit"].code),
        organization_row("CB-SAI", "Chi bộ sai", "Chi bộ trực thuộc", "KHONG-CO"),
    ]
    path.write_bytes(xlsx(rows, headers=ORGANIZATION_HEADERS))
    with pytest.raises(CommandError):
        call_command("import_organizations", str(path), "--apply")
    assert "Sheet1!E3 [parent_not_found]" in capsys.readouterr().err
    assert not Organization.objects.filter(code="CB-LENH").exists()
