"""`make loadtest`: the deadline day at a province's size (issue #16, point 6).

    .venv/bin/python benchmarks/deadline_day.py [--clerks 50] [--board 5] [--seconds 120]
                                                [--workers 4] [--size province]

A fresh PostgreSQL database (`LOAD_DATABASE_URL`, by default
postgres://postgres@127.0.0.1:5432/kiemdiem_load) is filled by `generate_synthetic`; one clerk
account per grassroots unit (the largest units first) and the Board's accounts are made with the
production password hasher; gunicorn serves the application as deployed (debug off, `--workers`
processes, connections kept) on 127.0.0.1 only; locust (`benchmarks/locustfile.py`) runs the
users for `--seconds` and stops by itself, then the server is stopped. Printed, one line each:

    LOAD <request> requests=<n> failures=<n> p50=<ms> p95=<ms> p99=<ms> rps=<per second>
    LOGIN hasher=<algorithm> seconds=<one password check>

It asserts nothing: the figures go to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench import SIZES, machine, recreate_database, say, setup_django  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/kiemdiem_load"
ROWS_PER_CLERK = 40


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def make_plan(clerks: int, board: int) -> dict:
    """Accounts (real password hashes), each clerk's pool and rows, the URLs to visit."""
    from django.contrib.auth.models import User
    from django.db.models import Count
    from django.urls import reverse

    from organizations.models import Organization, Role
    from organizations.services import role_assign
    from reviews.models import Level, Pool, Rating, ReviewCycle
    from reviews.selectors import eligibilities

    root = Organization.objects.filter(depth=1, code__startswith="SYN").order_by("pk").first()
    cycle = ReviewCycle.objects.get(organization=root, year=2026)
    pools = list(
        Pool.objects.filter(cycle=cycle, subject_kind="member", finalized_at__isnull=True)
        .annotate(n=Count("ratings"))
        .filter(n__gte=10)
        .order_by("-n", "pk")
        .select_related("owner")[:clerks]
    )
    if len(pools) < clerks:
        raise SystemExit(f"only {len(pools)} open pools of 10 or more members for {clerks} clerks")
    password = "Kiemdiem-" + secrets.token_urlsafe(12)
    plan: dict = {"clerks": [], "board": [], "weights": {"clerks": clerks, "board": board}}
    for index, pool in enumerate(pools):
        user = User.objects.create_user(f"load.clerk{index}", password=password)
        role_assign(user=user, organization=pool.owner, role=Role.CLERK)
        # Rows on which both levels the clerk alternates are within the rules (a save the
        # rules refuse is a failure of the run, not a cost).
        candidates = list(
            Rating.objects.filter(pool=pool, not_rated_reason="")
            .select_related("member", "organization", "collective")
            .order_by("pk")[: ROWS_PER_CLERK * 2]
        )
        ratings = [
            rating
            for rating, verdict in zip(
                candidates, eligibilities(candidates, cycle=cycle), strict=True
            )
            if verdict.allows(Level.GOOD) and verdict.allows(Level.COMPLETED)
        ][:ROWS_PER_CLERK]
        plan["clerks"].append(
            {
                "username": user.username,
                "password": password,
                "pool_url": reverse("reviews:pool", args=[pool.pk]),
                "ratings": [
                    {
                        "url": reverse("reviews:rating-update", args=[rating.pk]),
                        "version": rating.version,
                        "self_level": rating.self_level,
                        "level": rating.decision_level or Level.COMPLETED,
                    }
                    for rating in ratings
                ],
            }
        )
    for index in range(board):
        user = User.objects.create_user(f"load.board{index}", password=password)
        role_assign(user=user, organization=root, role=Role.ORGANIZATION_BOARD)
        plan["board"].append({"username": user.username, "password": password})
    plan["urls"] = {
        "login": reverse("login"),
        "dashboard": reverse("reviews:dashboard"),
        "home": reverse("home"),
    }
    return plan


def login_cost() -> tuple[str, float]:
    """The production hasher and the median time of one password check."""
    from django.contrib.auth.hashers import check_password, get_hasher, make_password

    hasher = get_hasher()
    encoded = make_password("Kiemdiem-" + secrets.token_urlsafe(12))
    times = []
    for _ in range(5):
        started = time.perf_counter()
        check_password("wrong-password", encoded)
        times.append(time.perf_counter() - started)
    return f"{hasher.algorithm}({getattr(hasher, 'iterations', '')})", statistics.median(times)


def serve(port: int, workers: int, log) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_CONN_MAX_AGE": "60",
        "DJANGO_ENV_FILE": os.devnull,
    }
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    server = subprocess.Popen(  # noqa: S603 - our own command line
        [
            *(gunicorn, "config.wsgi:application", "--bind", f"127.0.0.1:{port}"),
            *("--workers", str(workers), "--timeout", "120"),
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/suc-khoe/", headers={"X-Forwarded-Proto": "https"}
            )
            with urllib.request.urlopen(request, timeout=2):  # noqa: S310
                return server
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.terminate()
                raise SystemExit("gunicorn did not start") from None
            time.sleep(0.3)


def run_locust(port: int, users: int, seconds: int, plan_path: Path, out: Path) -> None:
    locust = shutil.which("locust", path=str(Path(sys.executable).parent)) or "locust"
    subprocess.run(  # noqa: S603 - our own command line
        [
            *(locust, "-f", str(ROOT / "benchmarks" / "locustfile.py"), "--headless"),
            *("--users", str(users), "--spawn-rate", "5", "--run-time", f"{seconds}s"),
            *("--host", f"http://127.0.0.1:{port}", "--csv", str(out / "deadline")),
            *("--only-summary", "--stop-timeout", "10", "--exit-code-on-error", "0"),
        ],
        cwd=ROOT,
        env={**os.environ, "LOAD_PLAN": str(plan_path)},
        check=True,
        timeout=seconds + 120,
    )


def report(out: Path) -> None:
    with open(out / "deadline_stats.csv", encoding="utf-8") as stats:
        for row in csv.DictReader(stats):
            name = "total" if row["Name"] == "Aggregated" else row["Name"].replace(" ", "_")
            say(
                f"LOAD {name} requests={row['Request Count']} failures={row['Failure Count']} "
                f"p50={row['50%']} p95={row['95%']} p99={row['99%']} "
                f"rps={float(row['Requests/s']):.2f}"
            )
    failures = out / "deadline_failures.csv"
    if failures.exists():
        for row in list(csv.DictReader(failures.open(encoding="utf-8")))[:10]:
            say(f"# failure: {row['Name']} ×{row['Occurrences']}: {row['Error'][:200]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clerks", type=int, default=50)
    parser.add_argument("--board", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=120)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--size", choices=sorted(SIZES), default="province")
    args = parser.parse_args()
    url = os.environ.get("LOAD_DATABASE_URL", DEFAULT_URL)
    recreate_database(url)
    setup_django(url)
    say(f"# {machine()}")
    from django.core.management import call_command
    from django.db import connection

    from demo.synthetic import generate_synthetic

    units, cells, members, roots = SIZES[args.size]
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    generate_synthetic(units=units, cells_per_unit=cells, members=members, roots=roots, seed=2026)
    plan = make_plan(args.clerks, args.board)
    algorithm, seconds = login_cost()
    connection.close()
    say(
        f"# {args.size}: {units} units, {members} members and {args.clerks + args.board} "
        f"accounts in {time.perf_counter() - started:.1f} s; {args.clerks} clerks and "
        f"{args.board} Board users for {args.seconds} s on gunicorn --workers {args.workers}"
    )
    say(f"LOGIN hasher={algorithm} seconds={seconds:.3f}")
    with tempfile.TemporaryDirectory(prefix="kiemdiem-load-") as folder:
        out = Path(folder)
        plan_path = out / "plan.json"
        plan_path.write_text(json.dumps(plan), encoding="utf-8")
        port = free_port()
        with open(out / "gunicorn.log", "w") as log:
            server = serve(port, args.workers, log)
            try:
                run_locust(port, args.clerks + args.board, args.seconds, plan_path, out)
            finally:
                server.terminate()
                try:
                    server.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    server.kill()
                    server.wait()
        report(out)
        errors = [
            line
            for line in (out / "gunicorn.log").read_text(errors="replace").splitlines()
            if '"levelname": "ERROR"' in line or "Traceback" in line
        ]
        say(f"# server errors logged: {len(errors)}")
        for line in errors[:5]:
            say(f"#   {line[:300]}")


if __name__ == "__main__":
    main()
