"""Past one machine (issue #16, point 7): two app servers (gunicorn, as deployed) and one
export worker against one database, talking HTTP as a browser does. A save made on one is seen
on the other, a session opened on one is good on the other (sessions live in the database),
and an export asked for on one is built by the worker and downloaded from the other."""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import resolve, reverse

from reviews.models import Level, Rating
from tests.operations.server import server_of

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="processes share a server database; the SQLite test database lives in memory",
    ),
]

ROOT = Path(settings.BASE_DIR)
BOOT_SECONDS = 60


def _free_ports(count: int) -> list[int]:
    """Distinct free ports: every probe stays bound until all are picked."""
    probes = [socket.socket() for _ in range(count)]
    try:
        for probe in probes:
            probe.bind(("127.0.0.1", 0))
        return [probe.getsockname()[1] for probe in probes]
    finally:
        for probe in probes:
            probe.close()


def _redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


def _database_url() -> str:
    dsn, name = server_of(connection)
    password = f":{urllib.parse.quote(str(dsn['password']))}" if dsn.get("password") else ""
    host, port = dsn.get("host", "127.0.0.1"), dsn.get("port", 5432)
    return f"postgres://{dsn.get('user', 'postgres')}{password}@{host}:{port}/{name}"


class Browser:
    """A browser's cookies (the session opened by the test, a CSRF pair) against one server."""

    def __init__(self, port: int, session_key: str):
        self.base = f"http://127.0.0.1:{port}"
        self.csrf = secrets.token_hex(16)
        self.cookies = f"sessionid={session_key}; csrftoken={self.csrf}"

    def request(self, path: str, data: dict | None = None) -> tuple[int, str, bytes]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body)  # noqa: S310 - loopback
        request.add_header("Cookie", self.cookies)
        if body is not None:
            request.add_header("X-CSRFToken", self.csrf)
            request.add_header("Referer", self.base + path)
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            with opener.open(request, timeout=60) as response:
                return response.status, response.headers.get("Location", ""), response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers.get("Location", ""), error.read()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture
def deployment(tmp_path):
    """Two gunicorn servers and a db_worker on the test database; stopped at the end."""
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DJANGO_SECRET_KEY": settings.SECRET_KEY,  # the sessions the test opens are theirs
        "DJANGO_DEBUG": "True",  # plain static files, no TLS redirect on loopback
        "DJANGO_ENV_FILE": str(tmp_path / "no.env"),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),  # the servers' and the worker's shared store
        "DJANGO_TASKS_BACKEND": "django_tasks_db.backend.DatabaseBackend",
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    if _redis_up():
        env["DJANGO_CACHE_URL"] = "redis://127.0.0.1:6379/15"
    ports = _free_ports(2)
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    logs = [open(tmp_path / f"process-{n}.log", "w") for n in range(3)]  # noqa: SIM115
    commands = [
        [gunicorn, "config.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "1"]
        for port in ports
    ]
    commands.append([sys.executable, "manage.py", "db_worker", "--no-startup-delay", "--no-reload"])
    processes = [
        subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
        for command, log in zip(commands, logs, strict=True)
    ]
    try:
        deadline = time.monotonic() + BOOT_SECONDS
        for port in ports:
            while True:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/suc-khoe/", timeout=2):
                        break
                except OSError:
                    if any(process.poll() is not None for process in processes):
                        pytest.fail(f"a process stopped at its start: {_tail(tmp_path)}")
                    if time.monotonic() > deadline:
                        pytest.fail(f"server on {port} did not start: {_tail(tmp_path)}")
                    time.sleep(0.3)
        assert processes[2].poll() is None, f"the worker stopped: {_tail(tmp_path)}"
        yield ports
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for log in logs:
            log.close()


def _tail(tmp_path: Path) -> str:
    return " | ".join(
        path.read_text(errors="replace")[-600:] for path in sorted(tmp_path.glob("process-*.log"))
    )


def _session_of(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def test_two_app_servers_and_a_worker_share_one_database(
    deployment, small_bloc, clerk, board, open_cycle, tmp_path
):
    first, second = deployment
    rating = (
        Rating.objects.filter(member=small_bloc["members"][1], subject_kind="member")
        .select_related("pool")
        .get()
    )
    clerk_session = _session_of(clerk)

    # A save on the first server…
    status, _, body = Browser(first, clerk_session).request(
        reverse("reviews:rating-update", args=[rating.pk]),
        {"version": rating.version, "self_level": Level.GOOD, "decision_level": Level.GOOD},
    )
    assert status == 200, body[:500]
    rating.refresh_from_db()
    assert rating.decision_level == Level.GOOD

    # …is seen on the second, in the same session.
    status, _, body = Browser(second, clerk_session).request(
        reverse("reviews:rating-history", args=[rating.pk])
    )
    assert status == 200
    assert str(Level.GOOD.label) in body.decode()

    # An export asked for on the second is built by the worker and downloaded from the first.
    board_session = _session_of(board)
    status, job_url, body = Browser(second, board_session).request(
        reverse("reports:download", args=[small_bloc["bloc"].pk, "xlsx"]), {}
    )
    assert status == 302, body[:500]
    job_path = urllib.parse.urlsplit(job_url).path
    deadline = time.monotonic() + 120
    while True:
        status, _, body = Browser(first, board_session).request(job_path)
        assert status == 200
        if 'data-state="done"' in body.decode():
            break
        assert 'data-state="failed"' not in body.decode(), _tail(tmp_path)
        assert time.monotonic() < deadline, f"the export was not built: {_tail(tmp_path)}"
        time.sleep(0.5)
    file_path = reverse("reports:export-file", args=[resolve(job_path).kwargs["pk"]])
    status, _, content = Browser(first, board_session).request(file_path)
    assert status == 200, file_path
    assert content[:2] == b"PK"  # an xlsx: a zip
