"""How fast the main screens and exports answer on the demo bloc (~5,000 members).

    .venv/bin/python benchmarks/screens.py [--database /tmp/bench.sqlite3] [--repeat 3]

Builds the demo once (timed), then times, as the users who open them: the home page, the largest
unit's member pool (rows, eligibility, quota panel), one inline save, the Board's dashboard, the
pool list, and the bloc's workbook and PDF. Prints the median of --repeat runs and the number of
SQL queries of each. Asserts nothing about time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default="/tmp/kiemdiem-bench.sqlite3")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    database = Path(args.database)
    database.unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_MEDIA_ROOT", str(database.with_suffix(".media")))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from reviews.models import Pool, Rating

    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    print(f"load_demo: {time.perf_counter() - started:.1f} s")

    biggest = (
        Pool.objects.filter(subject_kind="member")
        .annotate(n=Count("ratings"))
        .order_by("-n")
        .select_related("owner")
        .first()
    )
    print(f"largest member pool: {biggest.owner.name} ({biggest.n} members)")

    def client_for(username: str) -> Client:
        client = Client()
        client.post(reverse("login"), {"username": username, "password": "kiemdiem2021"})
        return client

    board = client_for("bantochuc")
    admin = client_for("admin")
    rating = Rating.objects.filter(pool=biggest, not_rated_reason="").first()

    def measure(label: str, call) -> None:
        times, queries = [], 0
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as captured:
                began = time.perf_counter()
                response = call()
                times.append(time.perf_counter() - began)
            queries = len(captured.captured_queries)
            assert response.status_code in (200, 302), (label, response.status_code)
        print(f"{label:<40} {statistics.median(times) * 1000:8.0f} ms {queries:5d} queries")

    measure("home (Ban Tổ chức)", lambda: board.get(reverse("home")))
    measure("pool list (Ban Tổ chức)", lambda: board.get(reverse("reviews:pool-list")))
    measure("dashboard", lambda: board.get(reverse("reviews:dashboard")))
    measure(
        f"member pool screen ({biggest.n} rows)",
        lambda: admin.get(reverse("reviews:pool", args=[biggest.pk])),
    )
    measure(
        "inline save of one row (htmx)",
        lambda: admin.post(
            reverse("reviews:rating-update", args=[rating.pk]),
            {"version": Rating.objects.get(pk=rating.pk).version, "note": ""},
        ),
    )
    bloc = biggest.cycle.organization.pk
    measure(
        "bloc workbook (.xlsx)", lambda: board.get(reverse("reports:download", args=[bloc, "xlsx"]))
    )
    measure(
        "bloc report (.pdf)", lambda: board.get(reverse("reports:download", args=[bloc, "pdf"]))
    )


if __name__ == "__main__":
    main()
