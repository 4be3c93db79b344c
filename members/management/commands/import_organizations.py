"""`python manage.py import_organizations FILE [--apply] [--scope CODE] [--user NAME]`."""

from django.utils.translation import gettext_lazy as _

from members.imports.command import ImportCommand
from members.models import ImportKind


class Command(ImportCommand):
    help = _(
        "Nhập cơ cấu tổ chức đảng từ tệp Excel: in bản xem trước (thêm, cập nhật, chuyển "
        "trực thuộc, lỗi); với --apply ghi tất cả các dòng trong một giao dịch."
    )
    kind = ImportKind.ORGANIZATIONS
