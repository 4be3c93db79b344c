"""`python manage.py load_demo [--scale 1.0]`: the demo bloc, its 2021 cycle, the demo accounts."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from demo.data_2021 import BLOC_CODE, BLOC_NAME
from demo.loader import demo_load


class Command(BaseCommand):
    help = _(
        "Tạo dữ liệu trình diễn: Đảng bộ Khối các cơ quan tỉnh Đồng Nai, kỳ đánh giá năm 2021 "
        "và các tài khoản mẫu. Không làm gì nếu dữ liệu đã có."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help=_("Hệ số quy mô (1.0: khoảng 80 tổ chức cơ sở đảng, 5.000 đảng viên)."),
        )

    def handle(self, *args, scale: float, **options):
        if scale <= 0:
            raise CommandError(_("Hệ số quy mô phải lớn hơn 0."))
        started = time.monotonic()
        result = demo_load(scale=scale)
        if result.created:
            self.stdout.write(
                self.style.SUCCESS(
                    _("Đã tạo dữ liệu trình diễn %(name)s (%(code)s) trong %(seconds).1f giây.")
                    % {"name": BLOC_NAME, "code": BLOC_CODE, "seconds": time.monotonic() - started}
                )
            )
        else:
            self.stdout.write(
                _("Dữ liệu trình diễn đã có (%(code)s); không tạo lại.") % {"code": BLOC_CODE}
            )
        counts = result.counts
        self.stdout.write(
            _(
                "%(organizations)s tổ chức đảng, %(members)s đảng viên, "
                "%(ratings)s kết quả xếp loại, %(submissions)s báo cáo."
            )
            % {
                "organizations": counts.get("Organization", 0),
                "members": counts.get("Member", 0),
                "ratings": counts.get("Rating", 0),
                "submissions": counts.get("Submission", 0),
            }
        )
        self.stdout.write("")
        headers = (_("Tên đăng nhập"), _("Mật khẩu"), _("Vai trò"), _("Tổ chức"))
        rows = [
            (account.username, account.password, account.role, account.organization)
            for account in result.accounts
        ]
        widths = [max(len(str(row[i])) for row in [headers, *rows]) for i in range(len(headers))]
        for index, row in enumerate([headers, *rows]):
            self.stdout.write(
                "  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True))
            )
            if index == 0:
                self.stdout.write("  ".join("-" * width for width in widths))
