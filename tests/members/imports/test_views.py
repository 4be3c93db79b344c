"""The import screens: who may import, uploads kept privately, preview then apply."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from members.imports.reader import IMPORT_MAX_BYTES
from members.models import ImportBatch, Member
from organizations.models import Role
from reviews.models import Rating, RatingChange
from tests.factories import RoleAssignmentFactory, UserFactory
from tests.members.imports.conftest import member_row, xlsx

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload(client, data, *, scope, kind="members", name="danh-sach.xlsx"):
    return client.post(
        reverse("members:import"),
        {"kind": kind, "scope": scope.pk, "file": SimpleUploadedFile(name, data, XLSX)},
    )


def test_viewer_may_not_import(client, viewer, small_bloc):
    client.force_login(viewer)
    assert client.get(reverse("members:import")).status_code == 403
    response = upload(client, xlsx([]), scope=small_bloc["bloc"])
    assert response.status_code == 403
    assert not ImportBatch.objects.exists()


def test_clerk_imports_into_his_unit_through_preview_and_apply(client, clerk, small_bloc):
    client.force_login(clerk)
    page = client.get(reverse("members:import"))
    assert page.status_code == 200
    assert small_bloc["unit"].name in page.text
    rows = [member_row("Phan Văn Mới", cell=small_bloc["cell"].code, card="44000001")]
    response = upload(client, xlsx(rows), scope=small_bloc["unit"])
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("members:import-preview", args=[batch.pk])
    assert batch.file.name.startswith("imports/")
    assert batch.file.name.endswith(".xlsx")
    assert "danh-sach" not in batch.file.name
    preview = client.get(response["Location"])
    assert preview.status_code == 200
    assert "Phan Văn Mới" in preview.text
    assert not Member.objects.filter(card_number="44000001").exists()
    applied = client.post(reverse("members:import-apply", args=[batch.pk]))
    assert applied.status_code == 302
    assert Member.objects.filter(card_number="44000001").exists()
    batch.refresh_from_db()
    assert batch.counts == {"added": 1, "updated": 0, "unchanged": 0}
    # A second POST does not apply again.
    client.post(reverse("members:import-apply", args=[batch.pk]))
    assert Member.objects.filter(card_number="44000001").count() == 1


def test_clerk_cannot_choose_another_unit(client, clerk, small_bloc):
    client.force_login(clerk)
    rows = [member_row("Phan Văn Mới", cell=small_bloc["cell_unit"].code)]
    response = upload(client, xlsx(rows), scope=small_bloc["cell_unit"])
    assert response.status_code == 400
    assert not ImportBatch.objects.exists()


def test_rows_of_another_unit_are_refused_in_the_preview(client, clerk, small_bloc):
    client.force_login(clerk)
    rows = [member_row("Phan Văn Khác", cell=small_bloc["cell_unit"].code)]
    upload(client, xlsx(rows), scope=small_bloc["unit"])
    batch = ImportBatch.objects.get()
    page = client.get(reverse("members:import-preview", args=[batch.pk]))
    assert "out_of_scope" in page.text
    response = client.post(reverse("members:import-apply", args=[batch.pk]))
    assert response.status_code == 400
    assert not Member.objects.filter(full_name="Phan Văn Khác").exists()


def test_another_users_upload_is_a_404(client, clerk, small_bloc):
    client.force_login(clerk)
    upload(client, xlsx([member_row(cell=small_bloc["cell"].code)]), scope=small_bloc["unit"])
    batch = ImportBatch.objects.get()
    other = UserFactory(username="canbo.khac")
    RoleAssignmentFactory(user=other, organization=small_bloc["cell_unit"], role=Role.CLERK)
    client.force_login(other)
    assert client.get(reverse("members:import-preview", args=[batch.pk])).status_code == 404
    assert client.post(reverse("members:import-apply", args=[batch.pk])).status_code == 404
    assert not Member.objects.filter(full_name="Nguyễn Văn Mới").exists()


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"PK\x03\x04" + b"\0" * IMPORT_MAX_BYTES, "file_too_large"),
        (b"%PDF-1.7", "not_excel"),
        (b"", "empty"),  # Django's own FileField refusal, with our message
    ],
    ids=["too-large", "pdf", "empty"],
)
def test_refused_uploads_are_not_stored(client, board, small_bloc, data, code):
    client.force_login(board)
    response = upload(client, data, scope=small_bloc["bloc"])
    assert response.status_code == 400
    assert [e.code for e in response.context["form"].errors.as_data()["file"]] == [code]
    assert code not in response.text  # codes are for logs and tests, not for clerks
    assert not ImportBatch.objects.exists()


def test_templates_download_with_lists_and_instructions(client, board, small_bloc):
    client.force_login(board)
    for slug, sheet in (("dang-vien", "Đảng viên"), ("to-chuc", "Tổ chức đảng")):
        response = client.get(reverse("members:import-template", args=[slug]))
        assert response.status_code == 200
        assert response["Content-Type"] == XLSX
        workbook = load_workbook(io.BytesIO(response.content))
        assert workbook.sheetnames == [sheet, "Hướng dẫn", "Danh mục"]
        data = workbook[sheet]
        assert data.cell(row=3, column=2).value.endswith("(*)")
        assert data.cell(row=4, column=1).value == "Ví dụ"
        assert len(data.data_validations.dataValidation) >= 2
    codes = [c.value for c in workbook["Danh mục"]["C"][1:]]
    assert small_bloc["unit"].code in codes


def test_refused_file_in_the_preview_keeps_its_code_out_of_sight(client, board, small_bloc):
    client.force_login(board)
    upload(client, xlsx([["a", "b"]], headers=["Cột 1", "Cột 2"]), scope=small_bloc["bloc"])
    batch = ImportBatch.objects.get()
    page = client.get(reverse("members:import-preview", args=[batch.pk]))
    assert page.status_code == 200
    assert page.context["preview"].refused.code == "no_header"
    assert "no_header" not in page.text


def test_rating_sheet_round_trip_through_the_screens(client, clerk, small_bloc, open_cycle):
    client.force_login(clerk)
    rating = Rating.objects.get(member=small_bloc["members"][1], subject_kind="member")
    pool = rating.pool
    page = client.get(reverse("reviews:pool", args=[pool.pk]))
    assert reverse("reviews:rating-sheet", args=[pool.pk]) in page.text
    assert reverse("reviews:rating-sheet-upload", args=[pool.pk]) in page.text
    sheet = client.get(reverse("reviews:rating-sheet", args=[pool.pk]))
    workbook = load_workbook(io.BytesIO(sheet.content))
    ws = workbook.worksheets[0]
    for row in ws.iter_rows(min_row=4):
        if row[11].value == rating.pk:
            row[10].value = "Hoàn thành tốt nhiệm vụ"
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = client.post(
        reverse("reviews:rating-sheet-upload", args=[pool.pk]),
        {"file": SimpleUploadedFile("xep-loai.xlsx", buffer.getvalue(), XLSX)},
    )
    assert response.status_code == 302
    preview = client.get(response["Location"])
    assert "Hoàn thành tốt nhiệm vụ" in preview.text
    assert not RatingChange.objects.exists()
    batch = ImportBatch.objects.get(kind="ratings")
    client.post(reverse("reviews:rating-import-apply", args=[batch.pk]))
    rating.refresh_from_db()
    assert rating.decision_level == "HTTNV"


def test_rating_sheet_of_another_unit_is_a_404_and_viewers_cannot_upload(
    client, small_bloc, open_cycle, viewer
):
    other = UserFactory(username="canbo.khac")
    RoleAssignmentFactory(user=other, organization=small_bloc["cell_unit"], role=Role.CLERK)
    pool = Rating.objects.get(member=small_bloc["members"][1], subject_kind="member").pool
    client.force_login(other)
    assert client.get(reverse("reviews:rating-sheet", args=[pool.pk])).status_code == 404
    assert client.get(reverse("reviews:rating-sheet-upload", args=[pool.pk])).status_code == 404
    client.force_login(viewer)
    assert client.get(reverse("reviews:rating-sheet", args=[pool.pk])).status_code == 200
    response = client.post(
        reverse("reviews:rating-sheet-upload", args=[pool.pk]),
        {"file": SimpleUploadedFile("x.xlsx", xlsx([]), XLSX)},
    )
    assert response.status_code == 403
    assert not ImportBatch.objects.exists()
    page = client.get(reverse("reviews:pool", args=[pool.pk]))
    assert reverse("reviews:rating-sheet-upload", args=[pool.pk]) not in page.text


def test_the_preview_is_parsed_once_and_shown_again_from_memory(client, clerk, small_bloc):
    client.force_login(clerk)
    rows = [member_row("Phan Văn Một Lần", cell=small_bloc["cell"].code, card="44000002")]
    location = upload(client, xlsx(rows), scope=small_bloc["unit"])["Location"]
    assert "Phan Văn Một Lần" in client.get(location).text
    batch = ImportBatch.objects.get()
    # The stored file is gone: a second look at the preview does not read it again.
    batch.file.storage.delete(batch.file.name)
    again = client.get(location)
    assert again.status_code == 200
    assert "Phan Văn Một Lần" in again.text


def test_a_small_file_that_inflates_to_hundreds_of_megabytes_is_refused(client, clerk, small_bloc):
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(xlsx([member_row("A", cell=small_bloc["cell"].code)])))
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in source.namelist():
            content = source.read(name)
            if name == "xl/sharedStrings.xml" or name.endswith("sheet1.xml"):
                content = content.replace(b"</", b"x" * (60 * 1024 * 1024) + b"</", 1)
            archive.writestr(name, content)
    assert len(bomb.getvalue()) < 1024 * 1024
    client.force_login(clerk)
    response = upload(client, bomb.getvalue(), scope=small_bloc["unit"])
    assert response.status_code == 400
    assert "giải nén" in response.text
    assert not ImportBatch.objects.exists()
