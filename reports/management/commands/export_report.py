"""`python manage.py export_report --cycle 2021 --organization CODE --format xlsx|pdf|docx|zip
--output PATH`: the report of the bloc (CODE = the bloc's code) or of one grassroots unit."""

import datetime
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from organizations.models import Organization
from reports.exports import export
from reports.permissions import DOCUMENT_FORMATS, FORMATS
from reports.selectors import is_report_node
from reviews.models import ReviewCycle


class Command(BaseCommand):
    help = _(
        "Xuất báo cáo kết quả kiểm điểm, xếp loại (Excel, PDF, Word hoặc gói hồ sơ .zip) của "
        "Đảng bộ Khối hoặc của một tổ chức cơ sở đảng."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cycle", type=int, required=True, help=_("Năm của kỳ đánh giá."))
        parser.add_argument(
            "--organization",
            required=True,
            help=_("Mã tổ chức: mã Đảng bộ Khối (toàn khối) hoặc mã một tổ chức cơ sở đảng."),
        )
        parser.add_argument("--format", dest="fmt", required=True, choices=FORMATS)
        parser.add_argument("--output", required=True, help=_("Đường dẫn tệp kết quả."))
        parser.add_argument("--number", default="", help=_("Số văn bản (PDF, Word), ví dụ 12."))
        parser.add_argument(
            "--date",
            default="",
            help=_("Ngày ban hành dd/mm/yyyy (PDF, Word; mặc định: ngày xuất)."),
        )

    def handle(self, *args, cycle, organization, fmt, output, number, date, **options):
        node = Organization.objects.filter(code=organization).first()
        if node is None:
            raise CommandError(_("Không có tổ chức mã %(code)s.") % {"code": organization})
        bloc_path = node.path[: Organization.steplen]
        review_cycle = (
            ReviewCycle.objects.filter(year=cycle, organization__path=bloc_path)
            .select_related("organization")
            .first()
        )
        if review_cycle is None:
            raise CommandError(_("Không có kỳ đánh giá năm %(year)s.") % {"year": cycle})
        if not is_report_node(review_cycle, node):
            raise CommandError(_("Báo cáo chỉ lập cho Đảng bộ Khối hoặc một tổ chức cơ sở đảng."))
        if fmt == "zip" and not node.is_grassroots:
            raise CommandError(_("Gói hồ sơ (.zip) chỉ lập cho một tổ chức cơ sở đảng."))
        fields = {}
        if fmt in DOCUMENT_FORMATS:
            try:
                issued_on = datetime.datetime.strptime(date, "%d/%m/%Y").date() if date else None  # noqa: DTZ007
            except ValueError as error:
                raise CommandError(_("Ngày phải có dạng dd/mm/yyyy.")) from error
            fields = {"number": number, "issued_on": issued_on}
        started = time.monotonic()
        content = export(review_cycle, node, fmt, **fields)
        path = Path(output)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        self.stdout.write(
            _("Đã ghi %(path)s (%(size)s byte) trong %(seconds).1f giây.")
            % {"path": path, "size": len(content), "seconds": time.monotonic() - started}
        )
