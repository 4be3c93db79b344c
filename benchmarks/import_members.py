"""How long a bloc-sized member import takes: preview and apply of a 5,000-member workbook.

    .venv/bin/python benchmarks/import_members.py [--members 5000] [--database /tmp/x.sqlite3]

Builds a fresh database (a bloc, 50 grassroots units, 250 cells, through the services), writes a
workbook of N members, then times: the preview; the apply (all rows added); a second apply of the
same file (all rows unchanged). Prints figures; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import datetime
import io
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def say(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def setup(database: Path) -> None:
    database.unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build_tree(units: int, cells_per_unit: int) -> list[str]:
    from organizations.models import GrassrootsType, OrganizationKind
    from organizations.services import organization_create

    bloc = organization_create(
        parent=None, kind=OrganizationKind.BLOC, name="Đảng bộ Khối thử nghiệm", code="BENCH"
    )
    codes = []
    for u in range(units):
        unit = organization_create(
            parent=bloc,
            kind=OrganizationKind.GRASSROOTS_COMMITTEE,
            name=f"Đảng bộ cơ sở {u + 1}",
            code=f"U{u:02d}",
            grassroots_type=GrassrootsType.STATE_AGENCY,
        )
        for c in range(cells_per_unit):
            cell = organization_create(
                parent=unit,
                kind=OrganizationKind.CELL,
                name=f"Chi bộ {c + 1} — đơn vị {u + 1}",
                code=f"U{u:02d}-C{c:02d}",
            )
            codes.append(cell.code)
    return codes


def workbook(members: int, cells: list[str]) -> bytes:
    from openpyxl import Workbook

    from members.imports.columns import MEMBER_COLUMNS

    rng = random.Random(2021)  # noqa: S311 - test data, not secrets
    family = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Võ", "Đặng", "Bùi", "Đỗ"]
    middle = ["Văn", "Thị", "Minh", "Ngọc", "Thanh", "Hữu", "Đức", "Thu"]
    given = ["An", "Bình", "Chi", "Dũng", "Hà", "Hùng", "Lan", "Long", "Mai", "Nam", "Tâm"]
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Đảng viên")
    sheet.append([column.title for column in MEMBER_COLUMNS])
    for n in range(members):
        born = datetime.date(1960, 1, 1) + datetime.timedelta(days=rng.randrange(0, 14000))
        admitted = born + datetime.timedelta(days=rng.randrange(6600, 9000))
        sheet.append(
            [
                n + 1,
                f"{rng.choice(family)} {rng.choice(middle)} {rng.choice(given)}",
                rng.choice(["Nam", "Nữ"]),
                born.strftime("%d/%m/%Y"),
                f"{10_000_000 + n}",
                admitted,
                (admitted + datetime.timedelta(days=365)).strftime("%d/%m/%Y"),
                cells[n % len(cells)],
                rng.choice(["Có", "Không"]),
                "",
                "",
                None,
                "",
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=5000)
    parser.add_argument("--database", default="/tmp/kiemdiem-bench-import.sqlite3")
    args = parser.parse_args()
    setup(Path(args.database))
    from members.imports import ImportContext, file_apply, file_preview
    from members.models import Member
    from organizations.models import Organization

    started = time.perf_counter()
    cells = build_tree(units=50, cells_per_unit=5)
    say(f"tree: {len(cells)} cells in {time.perf_counter() - started:.1f} s")
    data = workbook(args.members, cells)
    say(f"workbook: {args.members} members, {len(data) / 1024:.0f} KB")
    ctx = ImportContext(user=None, scope=Organization.objects.get(code="BENCH"), file_name="b.xlsx")

    started = time.perf_counter()
    preview = file_preview(kind="members", data=data, ctx=ctx)
    say(f"preview: {time.perf_counter() - started:.2f} s  {preview.counts}")
    started = time.perf_counter()
    preview, batch = file_apply(kind="members", data=data, ctx=ctx)
    say(
        f"apply (preview again + write): {time.perf_counter() - started:.2f} s  "
        f"{batch.counts if batch else preview.errors[:3]}"
    )
    say(f"members in database: {Member.objects.count()}")
    started = time.perf_counter()
    preview, batch = file_apply(kind="members", data=data, ctx=ctx)
    say(f"second apply (nothing to change): {time.perf_counter() - started:.2f} s  {batch.counts}")


if __name__ == "__main__":
    main()
