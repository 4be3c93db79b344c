"""`python manage.py prune_exports [--days N]`: remove the export files older than their keeping
time (`EXPORT_KEEP_DAYS`, 7 by default), with their jobs; run it daily (cron or a timer)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from reports.jobs import exports_prune


class Command(BaseCommand):
    help = _("Xóa các tệp xuất báo cáo đã quá thời gian lưu giữ.")

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=settings.EXPORT_KEEP_DAYS,
            help=_("Giữ lại các tệp tạo trong số ngày này (mặc định theo cấu hình)."),
        )

    def handle(self, *args, days: int, **options):
        if days < 0:
            raise CommandError(_("Số ngày không được âm."))
        removed = exports_prune(days=days)
        self.stdout.write(_("Đã xóa %(n)s tệp xuất báo cáo cũ.") % {"n": removed})
