"""The read replica (issue #16, point 7): the dashboard and the exports read the review data
from a second database standing in for the replica; every write and every other read stays on
the primary. The stand-in is a copy of the test database taken at a moment, so a row written
after it shows where each read went."""

from __future__ import annotations

import io
import sqlite3

import psycopg2
import pytest
from django.contrib.auth.models import User
from django.db import connections, transaction
from django.urls import reverse
from openpyxl import load_workbook

from organizations.models import GrassrootsType, Organization, OrganizationKind
from organizations.replica import REPLICA, ReplicaRouter, replica_reads
from organizations.services import organization_create
from reviews.models import Rating
from tests.operations.server import server_of

pytestmark = pytest.mark.django_db(transaction=True)

NEW_UNIT = "Đảng bộ Trường Chính trị"


def _copy_postgresql(default) -> tuple[str, callable]:
    dsn, source = server_of(default)
    target = f"{source}_replica"
    default.close()  # a template database takes no other session

    def run(sql: str) -> None:
        admin = psycopg2.connect(dbname="postgres", **dsn)
        admin.autocommit = True
        try:
            with admin.cursor() as cursor:
                cursor.execute(sql)
        finally:
            admin.close()

    run(f'DROP DATABASE IF EXISTS "{target}"')
    run(f'CREATE DATABASE "{target}" TEMPLATE "{source}"')
    return target, lambda: run(f'DROP DATABASE IF EXISTS "{target}"')


def _copy_sqlite(default, tmp_path) -> tuple[str, callable]:
    target = str(tmp_path / "replica.sqlite3")
    default.ensure_connection()
    copy = sqlite3.connect(target)
    default.connection.backup(copy)
    copy.close()
    return target, lambda: None


@pytest.fixture
def take_replica(tmp_path):
    """`take_replica()` copies the database as it stands into the `replica` alias."""
    dropped = []

    def take() -> None:
        default = connections["default"]
        if default.vendor == "postgresql":
            name, drop = _copy_postgresql(default)
        else:
            name, drop = _copy_sqlite(default, tmp_path)
        dropped.append(drop)
        connections.settings[REPLICA] = {**default.settings_dict, "NAME": name}
        # Connected here: the test case admits only the aliases it declared at its start.
        connections[REPLICA].connect()

    yield take
    if REPLICA in connections.settings:
        connections[REPLICA].close()
        del connections[REPLICA]
        del connections.settings[REPLICA]
    for drop in dropped:
        drop()


def _add_unit_after_the_copy(bloc) -> Organization:
    return organization_create(
        parent=bloc,
        kind=OrganizationKind.GRASSROOTS_COMMITTEE,
        name=NEW_UNIT,
        code="TCT",
        grassroots_type=GrassrootsType.PARTY_FRONT_MASS,
    )


def test_the_router_sends_only_review_data_read_inside_replica_reads(take_replica, small_bloc):
    router = ReplicaRouter()
    assert router.db_for_read(Organization) == "default"
    with replica_reads():
        assert router.db_for_read(Organization) == "default"  # no replica configured
    take_replica()
    with replica_reads():
        assert router.db_for_read(Organization) == REPLICA
        assert router.db_for_read(Rating) == REPLICA
        assert router.db_for_read(User) == "default"  # accounts and sessions: the primary
        assert router.db_for_write(Organization) == "default"
        with transaction.atomic():
            # A service's reads under its locks see its own writes.
            assert router.db_for_read(Organization) == "default"
    assert router.db_for_read(Organization) == "default"


def test_the_dashboard_reads_the_replica_and_a_save_goes_to_the_primary(
    take_replica, client, small_bloc, board, open_cycle
):
    take_replica()
    with replica_reads():
        # Written inside replica_reads, still on the primary; the replica has not got it.
        created = _add_unit_after_the_copy(small_bloc["bloc"])
        assert not Organization.objects.filter(pk=created.pk).exists()
    assert Organization.objects.filter(pk=created.pk).exists()
    assert Organization.objects.using(REPLICA).filter(pk=created.pk).count() == 0

    client.force_login(board)
    dashboard = client.get(reverse("reviews:dashboard"))
    assert dashboard.status_code == 200
    html = dashboard.content.decode()
    assert small_bloc["unit"].name in html
    assert NEW_UNIT not in html  # read from the replica, which lags behind

    # Once the replica catches up (here: a new copy), the dashboard shows it.
    connections[REPLICA].close()
    del connections[REPLICA]
    del connections.settings[REPLICA]
    take_replica()
    assert NEW_UNIT in client.get(reverse("reviews:dashboard")).content.decode()


def test_an_export_reads_the_replica(
    take_replica, client, small_bloc, board, open_cycle, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    take_replica()
    _add_unit_after_the_copy(small_bloc["bloc"])
    client.force_login(board)
    queued = client.post(reverse("reports:download", args=[small_bloc["bloc"].pk, "xlsx"]))
    assert queued.status_code == 302
    job = client.get(queued.url).context["job"]
    assert job.state == "done", job.error
    file = client.get(reverse("reports:export-file", args=[job.pk]))
    workbook = load_workbook(io.BytesIO(b"".join(file.streaming_content)), read_only=True)
    text = " ".join(
        str(value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )
    assert small_bloc["unit"].name in text
    assert NEW_UNIT not in text
