import datetime
import io

import pytest
from openpyxl import Workbook

from members.imports import ImportContext
from members.imports.columns import MEMBER_COLUMNS, ORGANIZATION_COLUMNS
from organizations.models import Role
from tests.factories import RoleAssignmentFactory, UserFactory

MEMBER_HEADERS = [column.title for column in MEMBER_COLUMNS]
ORGANIZATION_HEADERS = [column.title for column in ORGANIZATION_COLUMNS]


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def xlsx(rows, *, headers=MEMBER_HEADERS, title="Sheet1", before=(), setup=None) -> bytes:
    """A workbook with optional lines above the header, the header, then `rows`."""
    workbook = Workbook()
    ws = workbook.active
    ws.title = title
    for line in before:
        ws.append(list(line))
    ws.append(list(headers))
    for row in rows:
        ws.append(list(row))
    if setup:
        setup(ws)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def member_row(name="Nguyễn Văn Mới", *, cell, card="", number=1, **overrides):
    """A member row in MEMBER_COLUMNS order."""
    values = {
        "number": number,
        "full_name": name,
        "gender": "Nam",
        "date_of_birth": "17/05/1985",
        "card_number": card,
        "admitted_on": datetime.date(2012, 3, 2),
        "official_on": "02/03/2013",
        "cell": cell,
        "is_civil_servant": "Có",
        "leadership_post": "",
        "managing_level": "",
        "transferred_in_on": None,
        "transferred_from": "",
    }
    values.update(overrides)
    return [values[column.key] for column in MEMBER_COLUMNS]


def organization_row(code, name, kind, parent="", **overrides):
    values = {
        "number": None,
        "code": code,
        "name": name,
        "kind": kind,
        "parent": parent,
        "grassroots_type": "",
        "founded_on": "01/01/2015",
        "dissolved_on": None,
        "address": "",
        "phone": "",
        "email": "",
    }
    values.update(overrides)
    return [values[column.key] for column in ORGANIZATION_COLUMNS]


@pytest.fixture
def viewer(small_bloc):
    user = UserFactory(username="xem")
    RoleAssignmentFactory(user=user, organization=small_bloc["bloc"], role=Role.VIEWER)
    return user


@pytest.fixture
def bloc_ctx(small_bloc, board):
    return ImportContext(user=board, scope=small_bloc["bloc"], file_name="danh-sach.xlsx")


@pytest.fixture
def unit_ctx(small_bloc, clerk):
    return ImportContext(user=clerk, scope=small_bloc["unit"], file_name="danh-sach.xlsx")
