"""`python manage.py import_members FILE [--apply] [--scope CODE] [--user NAME]`."""

from django.utils.translation import gettext_lazy as _

from members.imports.command import ImportCommand
from members.models import ImportKind


class Command(ImportCommand):
    help = _(
        "Nhập danh sách đảng viên từ tệp Excel: in bản xem trước (thêm, cập nhật, lỗi); "
        "với --apply ghi tất cả các dòng trong một giao dịch, hoặc không ghi gì nếu có lỗi."
    )
    kind = ImportKind.MEMBERS
