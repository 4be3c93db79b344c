"""Backup and restore as the README documents it: pg_dump -Fc, then pg_restore into a fresh
database gives identical counts (issue "prove it like a user and like an attacker", point 5)."""

import os
import shutil
import subprocess

import psycopg2
import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection

from tests.operations.server import server_of

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql" or shutil.which("pg_dump") is None,
        reason="the documented backup is pg_dump/pg_restore on PostgreSQL",
    ),
]


def counts(dsn: dict) -> dict[str, int]:
    tables = sorted({model._meta.db_table for model in apps.get_models()})
    with psycopg2.connect(**dsn) as db, db.cursor() as cursor:
        result = {}
        for table in tables:
            cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 - our own table names
            result[table] = cursor.fetchone()[0]
    return result


def test_a_dump_of_the_demo_restores_with_identical_counts(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    with open(tmp_path / "out.txt", "w") as out:
        call_command("load_demo", "--scale", "0.05", stdout=out)
    dsn, source = server_of(connection)
    target = f"{source}_restored"
    dump = tmp_path / "kiemdiem.dump"
    options = [
        f"--host={dsn.get('host', '127.0.0.1')}",
        f"--port={dsn.get('port', 5432)}",
        f"--username={dsn.get('user', 'postgres')}",
    ]
    env = {**os.environ, "PGPASSWORD": str(dsn.get("password", ""))}
    pg_dump = ["pg_dump", "-Fc", *options, f"--file={dump}", source]
    subprocess.run(pg_dump, check=True, env=env)  # noqa: S603 - fixed arguments
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{target}"')
        cursor.execute(f'CREATE DATABASE "{target}"')
    try:
        pg_restore = ["pg_restore", "--no-owner", *options, f"--dbname={target}", str(dump)]
        subprocess.run(pg_restore, check=True, env=env)  # noqa: S603 - fixed arguments
        original = counts({**dsn, "dbname": source})
        restored = counts({**dsn, "dbname": target})
        assert restored == original
        assert original["members_member"] > 100
        assert original["reviews_rating"] > original["members_member"]
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{target}"')
