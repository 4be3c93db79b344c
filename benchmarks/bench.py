"""`make bench`: what the main actions cost at a bloc's and a province's size (issue #16, point 4).

    .venv/bin/python benchmarks/bench.py [--sizes bloc,province] [--national] [--repeat 5]

For each size, a fresh PostgreSQL database (`BENCH_DATABASE_URL`, by default
postgres://postgres@127.0.0.1:5432/kiemdiem_bench) is filled by `generate_synthetic`, then each
operation is timed `--repeat` times beside its floor, measured in the same run, and one line
is printed per operation:

    BENCH <operation> size=<subjects> seconds=<median> floor=<floor seconds>
          ratio=<median ratio> queries=<n>          (on one line)

`ratio` is the median of the operation's time over its floor's, each pair measured back to
back. The floors: the raw `GROUP BY` of the same pool for the quota check; an authenticated
request to the smallest view (`/suc-khoe/`, which reads the session and the user) for the
screens and the save; a bare openpyxl `write_only` loop over the same cells for the workbook;
WeasyPrint printing a one-page document for the PDF; openpyxl reading the same file for the
import. It asserts nothing: the budgets are read off its lines (docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import datetime
import io
import os
import platform
import random
import secrets
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

#: (units, cells per unit, members, blocs) of each size (DOMAIN.md §11).
SIZES = {
    "bloc": (100, 3, 6_000, 1),
    "province": (1_000, 3, 100_000, 1),
    "national": (52_000, 3, 5_500_000, 34),
}
T = TypeVar("T")
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/kiemdiem_bench"


@dataclass
class Line:
    operation: str
    size: int
    seconds: float
    floor: float
    ratio: float
    queries: int

    def __str__(self) -> str:
        return (
            f"BENCH {self.operation} size={self.size} seconds={self.seconds:.4f} "
            f"floor={self.floor:.4f} ratio={self.ratio:.2f} queries={self.queries}"
        )


def say(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def recreate_database(url: str) -> None:
    """Drop and create the benchmark's database (the URL's database, on its server)."""
    import psycopg2
    from psycopg2 import sql

    base, name = url.rsplit("/", 1)
    admin = psycopg2.connect(f"{base}/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    admin.close()


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    # As deployed: debug off (no query log, no debug templates), served over plain HTTP here.
    os.environ["DJANGO_DEBUG"] = "False"
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-" + secrets.token_urlsafe(32))
    os.environ["DJANGO_SECURE_SSL_REDIRECT"] = "False"
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
    # Pages name their static files as in a deployment, without needing collectstatic here.
    os.environ["DJANGO_STATICFILES_STORAGE"] = (
        "django.contrib.staticfiles.storage.StaticFilesStorage"
    )
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def timed(call: Callable[[], object]) -> tuple[float, int]:
    """Seconds and SQL queries of one call."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        call()
        seconds = time.perf_counter() - started
    return seconds, len(queries.captured_queries)


def measure(
    operation: str,
    size: int,
    call: Callable[[], object],
    floor: Callable[[], object],
    *,
    repeat: int,
    warm_up: bool = True,
) -> Line:
    """The operation and its floor, back to back, after one warm-up of each (none for the
    heavy exports, whose first run is no colder than the next)."""
    if warm_up:
        call()
        floor()
    times, floors, ratios, queries = [], [], [], 0
    for _ in range(repeat):
        seconds, queries = timed(call)
        floor_seconds, _floor_queries = timed(floor)
        times.append(seconds)
        floors.append(floor_seconds)
        ratios.append(seconds / floor_seconds if floor_seconds else float("inf"))
    line = Line(
        operation=operation,
        size=size,
        seconds=statistics.median(times),
        floor=statistics.median(floors),
        ratio=statistics.median(ratios),
        queries=queries,
    )
    say(str(line))
    return line


def run_size(name: str, url: str, repeat: int) -> list[Line]:
    from django.core.management import call_command
    from django.db import connection

    units, cells, members, roots = SIZES[name]
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    from demo.synthetic import generate_synthetic

    generate_synthetic(units=units, cells_per_unit=cells, members=members, roots=roots, seed=2026)
    say(
        f"# {name}: {units} units, {members} members generated in "
        f"{time.perf_counter() - started:.1f} s"
    )
    connection.close()
    return operations(name, repeat)


def operations(name: str, repeat: int) -> list[Line]:
    from django.contrib.auth.models import User
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse
    from django.utils import translation

    from members.models import Member
    from organizations.models import Organization, Role
    from organizations.services import role_assign
    from reports.documents import build_report, html_to_pdf
    from reports.excel import build_workbook, write_workbook
    from reports.selectors import report_data
    from reviews.models import Level, Pool, Rating, ReviewCycle
    from reviews.quota import pool_quota

    root = Organization.objects.filter(depth=1, code__startswith="SYN").order_by("pk").first()
    cycle = ReviewCycle.objects.get(organization=root, year=2026)
    pools = list(
        Pool.objects.filter(cycle=cycle, subject_kind="member")
        .annotate(n=Count("ratings"))
        .filter(n__gte=10)
        .order_by("n")
        .select_related("owner", "cycle")
    )
    small, large = pools[0], pools[-1]
    members_total = Member.objects.filter(organization__path__startswith=root.path).count()

    board = User.objects.create_user("bench.board", password=secrets.token_urlsafe(16))
    role_assign(user=board, organization=root, role=Role.ORGANIZATION_BOARD)
    clerk = User.objects.create_user("bench.clerk", password=secrets.token_urlsafe(16))
    for pool in (small, large):
        role_assign(user=clerk, organization=pool.owner, role=Role.CLERK)

    def client_of(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    board_client, clerk_client = client_of(board), client_of(clerk)
    health = reverse("health")
    lines = []

    def floor_of(client: Client) -> Callable[[], object]:
        return lambda: ok(client.get(health))

    # The quota check against the raw aggregate of the same pool.
    def raw_group_by(pool: Pool) -> Callable[[], object]:
        def run():
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT decision_level, COUNT(*) FROM reviews_rating "
                    "WHERE pool_id = %s AND not_rated_reason = '' GROUP BY decision_level",
                    [pool.pk],
                )
                return cursor.fetchall()

        return run

    lines.append(
        measure(
            "quota_check",
            large.n,
            lambda: pool_quota(large),
            raw_group_by(large),
            repeat=repeat,
        )
    )
    for label, pool in (("small", small), ("large", large)):
        url = reverse("reviews:pool", args=[pool.pk]) + f"?ky={cycle.pk}"
        lines.append(
            measure(
                f"rating_screen_{label}",
                pool.n,
                lambda url=url: ok(clerk_client.get(url)),
                floor_of(clerk_client),
                repeat=repeat,
            )
        )
        rating = Rating.objects.filter(pool=pool, not_rated_reason="").order_by("pk").first()
        lines.append(
            measure(
                f"save_{label}",
                pool.n,
                saver(clerk_client, rating, Level),
                floor_of(clerk_client),
                repeat=repeat,
            )
        )
    dashboard = reverse("reviews:dashboard") + f"?ky={cycle.pk}"
    home = reverse("home")
    lines.append(
        measure(
            "dashboard",
            members_total,
            lambda: ok(board_client.get(dashboard)),
            floor_of(board_client),
            repeat=repeat,
        )
    )
    lines.append(
        measure(
            "board_home",
            members_total,
            lambda: ok(board_client.get(home)),
            floor_of(board_client),
            repeat=repeat,
        )
    )
    # The first build, before any other in this process, is the one whose memory is told.
    growth, workbook = peak_growth(lambda: build_workbook(cycle, root))
    cells = workbook_cells(workbook)
    filled = sum(1 for _title, rows in cells for row in rows for value in row if value is not None)
    say(
        f"# workbook: {filled} cells, {len(workbook) / 1e6:.1f} MB; resident memory rose by "
        f"{growth:.0f} MB while it was built"
    )
    lines.append(
        measure(
            "workbook",
            members_total,
            lambda: build_workbook(cycle, root),
            lambda: bare_workbook(cells),
            repeat=max(1, min(repeat, 3)),
            warm_up=False,
        )
    )
    # The same workbook written from its data already in memory: what the writer costs
    # against the bare loop, without the reading of the ratings the whole line includes.
    with translation.override("vi"):
        data = report_data(cycle, root)
        data.cells = list(data.cells)
        lines.append(
            measure(
                "workbook_write",
                members_total,
                lambda data=data: write_workbook(data),
                lambda: bare_workbook(cells),
                repeat=max(1, min(repeat, 3)),
                warm_up=False,
            )
        )
    del data
    one_page = "<html><body><h1>Báo cáo</h1><p>Một trang.</p></body></html>"
    lines.append(
        measure(
            "pdf",
            members_total,
            lambda: build_report(cycle, root),
            lambda: html_to_pdf(one_page),
            repeat=max(1, min(repeat, 3)),
            warm_up=False,
        )
    )
    lines.append(import_line(root, repeat=max(1, min(repeat, 3))))
    return lines


def ok(response):
    if response.status_code != 200:
        raise RuntimeError(f"{response.request['PATH_INFO']} answered {response.status_code}")
    return response


def saver(client, rating, Level) -> Callable[[], object]:
    """An inline save that changes the decision each time (HTTNV ↔ HTNV), as a clerk types."""
    from django.urls import reverse

    url = reverse("reviews:rating-update", args=[rating.pk])

    def save():
        rating.refresh_from_db(fields=["version", "decision_level", "self_level"])
        level = Level.COMPLETED if rating.decision_level == Level.GOOD else Level.GOOD
        response = ok(
            client.post(
                url,
                {
                    "version": rating.version,
                    "decision_level": level,
                    "self_level": rating.self_level,
                    "proposal_level": level,
                },
                HTTP_HX_REQUEST="true",
            )
        )
        if b"table-success" not in response.content:
            raise RuntimeError(f"the save was refused: {response.content[:400]!r}")
        return response

    return save


def peak_growth(call: Callable[[], T]) -> tuple[float, T]:
    """How far the process's resident memory rose above its level before the call, in MB, and
    the call's result: the peak is reset first (Linux: `5` written to /proc/self/clear_refs)."""
    import gc

    def status(field: str) -> float:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
        raise RuntimeError(f"no {field} in /proc/self/status")

    gc.collect()
    Path("/proc/self/clear_refs").write_text("5")
    before = status("VmRSS")
    result = call()
    return status("VmHWM") - before, result


def workbook_cells(data: bytes) -> list[tuple[str, list[list]]]:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True)
    return [
        (sheet.title, [list(row) for row in sheet.iter_rows(values_only=True)]) for sheet in book
    ]


def bare_workbook(cells: list[tuple[str, list[list]]]) -> bytes:
    """The floor of the workbook: the same cells written by a plain write_only loop."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for title, rows in cells:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def import_line(root, *, repeat: int) -> Line:
    """Preview and apply of a 5,000-member workbook into the bloc's cells (each apply adds
    5,000 new members, with new card numbers), against openpyxl reading the same file."""
    from openpyxl import Workbook, load_workbook

    from members.imports import ImportContext, file_apply
    from members.imports.columns import MEMBER_COLUMNS
    from organizations.models import Organization

    cells = list(
        Organization.objects.filter(path__startswith=root.path, kind="cell").values_list(
            "code", flat=True
        )[:300]
    )
    rng = random.Random(16)  # noqa: S311 - test data, not secrets
    rounds = iter(range(1, 100))

    def book() -> bytes:
        base = next(rounds) * 1_000_000
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("Đảng viên")
        sheet.append([column.title for column in MEMBER_COLUMNS])
        for n in range(5_000):
            born = datetime.date(1960, 1, 1) + datetime.timedelta(days=rng.randrange(0, 14000))
            admitted = born + datetime.timedelta(days=rng.randrange(6600, 9000))
            sheet.append(
                [
                    n + 1,
                    f"{rng.choice(['Nguyễn', 'Trần', 'Lê'])} Văn {rng.choice(['An', 'Bình'])}",
                    "Nam",
                    born.strftime("%d/%m/%Y"),
                    f"{base + n}",
                    admitted,
                    (admitted + datetime.timedelta(days=365)).strftime("%d/%m/%Y"),
                    cells[n % len(cells)],
                    "Có",
                    "",
                    "",
                    None,
                    "",
                ]
            )
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()

    files = [book() for _ in range(repeat)]
    context = ImportContext(user=None, scope=root, file_name="bench.xlsx")
    pending = iter(files)

    def apply():
        preview, batch = file_apply(kind="members", data=next(pending), ctx=context)
        if batch is None:
            raise RuntimeError(f"the import was refused: {preview.errors[:3]}")

    def read():
        sheet = load_workbook(io.BytesIO(files[0]), read_only=True).active
        return sum(1 for _row in sheet.iter_rows(values_only=True))

    return measure("import_5000", 5_000, apply, read, repeat=repeat, warm_up=False)


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        total = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
        memory = f", {int(total) / 1024 / 1024:.0f} GiB"
    except (OSError, IndexError, ValueError):
        pass
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607 - the checkout's own git
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    ).stdout.strip()
    return (
        f"{cpu}, {os.cpu_count()} cores{memory}; {platform.platform()}; Python "
        f"{platform.python_version()}; PostgreSQL {server}; commit {commit or '?'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", default="bloc,province")
    parser.add_argument("--national", action="store_true", help="also the national size")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    sizes = [size for size in args.sizes.split(",") if size]
    if args.national and "national" not in sizes:
        sizes.append("national")
    recreate_database(url)
    setup_django(url)
    from django.db import connection

    results: dict[str, list[Line]] = {}
    described = machine()
    say(f"# machine: {described}")
    for index, name in enumerate(sizes):
        if index:
            connection.close()
            recreate_database(url)
        results[name] = run_size(name, url, args.repeat)


if __name__ == "__main__":
    main()
