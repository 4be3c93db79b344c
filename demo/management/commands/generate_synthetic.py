"""`python manage.py generate_synthetic --units N --cells-per-unit K --members M [--seed S]`:
synthetic blocs at any size for benchmarks and load tests (`demo.synthetic`)."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from demo.synthetic import generate_synthetic


class Command(BaseCommand):
    help = _(
        "Sinh dữ liệu tổng hợp ở mọi quy mô (đo hiệu năng, thử tải): tổ chức cơ sở đảng, chi bộ, "
        "đảng viên và ba kỳ đánh giá 2024–2026, ghi hàng loạt."
    )

    def add_arguments(self, parser):
        parser.add_argument("--units", type=int, required=True, help=_("Số tổ chức cơ sở đảng."))
        parser.add_argument(
            "--cells-per-unit",
            type=int,
            default=5,
            help=_("Số chi bộ trung bình của một đảng bộ cơ sở."),
        )
        parser.add_argument("--members", type=int, required=True, help=_("Số đảng viên."))
        parser.add_argument("--seed", type=int, default=1, help=_("Hạt giống ngẫu nhiên."))
        parser.add_argument(
            "--roots",
            type=int,
            default=1,
            help=_("Số Đảng bộ Khối chia nhau các tổ chức cơ sở (mỗi Khối có kỳ đánh giá riêng)."),
        )

    def handle(self, *args, units, cells_per_unit, members, seed, roots, **options):
        if units < 1 or cells_per_unit < 1 or roots < 1 or roots > units or members < units:
            raise CommandError(
                _("Cần: số tổ chức cơ sở ≥ số Khối ≥ 1, số chi bộ ≥ 1, số đảng viên ≥ số tổ chức.")
            )
        started = time.monotonic()
        verbose = options["verbosity"] > 1
        result = generate_synthetic(
            units=units,
            cells_per_unit=cells_per_unit,
            members=members,
            seed=seed,
            roots=roots,
            out=(lambda line: self.stdout.write(line)) if verbose else (lambda line: None),
        )
        seconds = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Đã sinh %(roots)s Khối, %(units)s tổ chức cơ sở, %(cells)s chi bộ, "
                    "%(members)s đảng viên, %(ratings)s kết quả xếp loại trong %(seconds).1f giây "
                    "(%(rate).0f đảng viên/giây)."
                )
                % {
                    "roots": result.roots,
                    "units": result.units,
                    "cells": result.cells,
                    "members": result.members,
                    "ratings": result.ratings,
                    "seconds": seconds,
                    "rate": result.members / seconds if seconds else 0,
                }
            )
        )
