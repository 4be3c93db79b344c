"""No workbook the application writes holds a live formula, whatever text the data holds
(issue "hardening": a member named =HYPERLINK(…) in the clerk's rating sheet)."""

import io
import zipfile

import pytest
from openpyxl import load_workbook

from members.imports.templates import members_template, organizations_template
from reports.bundle import build_bundle
from reports.excel import build_workbook
from reviews.models import Pool, Rating
from reviews.permissions import Scope
from reviews.roundtrip import rating_sheet
from tests.factories import UserFactory
from tests.reports.conftest import HOSTILE_NAME

pytestmark = pytest.mark.django_db


def formula_cells(content: bytes) -> list[str]:
    workbook = load_workbook(io.BytesIO(content))
    return [
        f"{ws.title}!{cell.coordinate}"
        for ws in workbook.worksheets
        for row in ws.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]


def hostile_text_cells(content: bytes) -> list:
    workbook = load_workbook(io.BytesIO(content))
    return [
        cell
        for ws in workbook.worksheets
        for row in ws.iter_rows()
        for cell in row
        if cell.value == HOSTILE_NAME
    ]


@pytest.fixture
def hostile_pool(report_bloc):
    rating = Rating.objects.get(member__full_name=HOSTILE_NAME, subject_kind="member")
    return Pool.objects.select_related("cycle", "owner").get(pk=rating.pool_id)


def test_the_report_workbooks_hold_no_formula(report_bloc):
    for node in (report_bloc["bloc"], report_bloc["b_unit"]):
        content = build_workbook(report_bloc["cycle"], node)
        assert formula_cells(content) == []
        assert all(cell.quotePrefix for cell in hostile_text_cells(content))


def test_the_rating_sheet_holds_no_formula(report_bloc, hostile_pool):
    admin = UserFactory(username="quantri", is_superuser=True, is_staff=True)
    content = rating_sheet(pool=hostile_pool, scope=Scope(admin), user=admin)
    assert formula_cells(content) == []
    cells = hostile_text_cells(content)
    assert cells
    assert all(cell.quotePrefix for cell in cells)


def test_the_import_templates_hold_no_formula(report_bloc):
    report_bloc["b_unit"].name = HOSTILE_NAME
    for build in (organizations_template, members_template):
        assert formula_cells(build(report_bloc["b_unit"])) == []


def test_the_bundles_workbook_and_manifest_hold_no_formula(report_bloc):
    content = build_bundle(report_bloc["cycle"], report_bloc["b_unit"])
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        workbook = next(name for name in archive.namelist() if name.endswith(".xlsx"))
        assert formula_cells(archive.read(workbook)) == []
