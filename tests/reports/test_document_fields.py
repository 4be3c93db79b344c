"""The number, date, signer, recipients and proposals of a report, filled by the Board or the
unit's clerk before export and kept with the document (issue #14, point 3)."""

import datetime
import io

import pytest
from django.urls import reverse
from docx import Document

from organizations.models import Role
from reports.exports import export
from reports.models import DocumentFields, DocumentFieldsChange
from reports.services import document_fields_save
from tests.factories import RoleAssignmentFactory, UserFactory
from tests.reports.test_docx import body_text, table_text
from tests.reports.test_pdf import needs_poppler, pdf_text, squeeze

pytestmark = pytest.mark.django_db


def page(node):
    return reverse("reports:document-fields", args=[node.pk])


def user_with(role, organization):
    user = UserFactory()
    RoleAssignmentFactory(user=user, organization=organization, role=role)
    return user


FIELDS = {
    "number": "27",
    "issued_on": "20/11/2026",
    "signer_position": "Phó Bí thư Thường trực",
    "signer_name": "Nguyễn Văn Ký",
    "recipients": "Ban Thường vụ Tỉnh ủy (b/c),\n- Ban Tổ chức Tỉnh ủy (b/c),\nLưu VP.",
    "proposals": "Đề nghị bổ sung biên chế cán bộ tổ chức.",
}


@needs_poppler
def test_the_board_fills_the_fields_once_and_every_export_prints_them(
    client, report_bloc, tmp_path, export_file
):
    bloc, cycle = report_bloc["bloc"], report_bloc["cycle"]
    board = user_with(Role.ORGANIZATION_BOARD, bloc)
    client.force_login(board)
    assert client.get(page(bloc)).status_code == 200
    response = client.post(page(bloc), FIELDS)
    assert response.status_code == 302
    stored = DocumentFields.objects.get(cycle=cycle, organization=bloc)
    assert stored.issued_on == datetime.date(2026, 11, 20)
    assert stored.recipients.splitlines()[0] == "Ban Thường vụ Tỉnh ủy (b/c),"
    pdf = squeeze(pdf_text(export_file(client, bloc, "pdf").content, tmp_path))
    assert "Số 27-BC/ĐUK" in pdf
    assert "ngày 20 tháng 11 năm 2026" in pdf
    assert "PHÓ BÍ THƯ THƯỜNG TRỰC" in pdf
    assert "Nguyễn Văn Ký" in pdf
    assert "- Ban Thường vụ Tỉnh ủy (b/c)," in pdf
    assert "Đề nghị bổ sung biên chế" in pdf
    word = Document(io.BytesIO(export(cycle, bloc, "docx")))
    header, *_, signature = word.tables
    assert "Số 27-BC/ĐUK" in table_text(header)
    assert "PHÓ BÍ THƯ THƯỜNG TRỰC" in table_text(signature)
    assert "- Lưu VP." in table_text(signature)
    assert "Đề nghị bổ sung biên chế" in body_text(word)
    # The command's --number still wins over the stored one.
    again = Document(io.BytesIO(export(cycle, bloc, "docx", number="30")))
    assert "Số 30-BC/ĐUK" in table_text(again.tables[0])


def test_each_change_is_recorded_and_the_same_values_again_record_nothing(report_bloc):
    bloc, cycle = report_bloc["bloc"], report_bloc["cycle"]
    document_fields_save(cycle=cycle, organization=bloc, acting_user=None, number="12")
    document_fields_save(cycle=cycle, organization=bloc, acting_user=None, number="12")
    document_fields_save(cycle=cycle, organization=bloc, acting_user=None, number="13")
    changes = list(
        DocumentFieldsChange.objects.order_by("pk").values_list("old_values", "new_values")
    )
    assert changes == [({"number": ""}, {"number": "12"}), ({"number": "12"}, {"number": "13"})]


def test_who_fills_which_report(client, report_bloc):
    bloc, unit, other = report_bloc["bloc"], report_bloc["a"]["unit"], report_bloc["b_unit"]
    client.force_login(report_bloc["clerk"])
    assert client.get(page(unit)).status_code == 200
    assert client.get(page(other)).status_code == 404
    assert client.get(page(bloc)).status_code == 404
    for role in (Role.VIEWER, Role.INSPECTION_COMMITTEE):
        client.force_login(user_with(role, bloc))
        assert client.get(page(bloc)).status_code == 404
        assert client.post(page(bloc), FIELDS).status_code == 404
    assert not DocumentFields.objects.exists()


def test_a_bad_date_is_refused_on_the_form(client, report_bloc):
    bloc = report_bloc["bloc"]
    client.force_login(user_with(Role.ORGANIZATION_BOARD, bloc))
    response = client.post(page(bloc), {**FIELDS, "issued_on": "31/02/2026"})
    assert response.status_code == 200
    assert "Nhập một ngày hợp lệ" in response.text or "valid date" in response.text
    assert not DocumentFields.objects.exists()


def test_a_sent_report_keeps_its_fields(client, report_bloc):
    from django.core.exceptions import ValidationError

    from reviews.models import Submission, SubmissionState

    unit, cycle = report_bloc["a"]["unit"], report_bloc["cycle"]
    Submission.objects.filter(cycle=cycle, organization=unit).update(
        state=SubmissionState.SUBMITTED
    )
    client.force_login(report_bloc["clerk"])
    assert client.get(page(unit)).status_code == 404
    with pytest.raises(ValidationError) as refused:
        document_fields_save(cycle=cycle, organization=unit, acting_user=None, number="9")
    assert refused.value.error_list[0].code == "submission_locked"
