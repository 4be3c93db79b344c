"""The base of `import_members` and `import_organizations`: read, preview, print, apply."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from members.imports import ImportContext, file_apply, file_preview
from organizations.models import Organization

#: Errors printed in full; beyond this the command prints how many more there are.
ERRORS_SHOWN = 200


class ImportCommand(BaseCommand):
    kind = ""

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("Tệp Excel (.xlsx)."))
        parser.add_argument(
            "--apply",
            action="store_true",
            help=_("Ghi vào cơ sở dữ liệu (mặc định chỉ xem trước)."),
        )
        parser.add_argument(
            "--scope",
            default="",
            help=_("Mã tổ chức giới hạn phạm vi nhập (mặc định: toàn bộ hệ thống)."),
        )
        parser.add_argument("--user", default="", help=_("Tên đăng nhập ghi vào lịch sử thay đổi."))

    def handle(self, *args, file, apply, scope, user, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("Không tìm thấy tệp %(file)s.") % {"file": file})
        data = path.read_bytes()
        ctx = ImportContext(user=self._user(user), scope=self._scope(scope), file_name=path.name)
        if apply:
            preview, batch = file_apply(kind=self.kind, data=data, ctx=ctx)
        else:
            preview, batch = file_preview(kind=self.kind, data=data, ctx=ctx), None
        self._print(preview)
        if not preview.ok:
            raise CommandError(_("Tệp có lỗi; không có gì được ghi."))
        if apply:
            self.stdout.write(
                self.style.SUCCESS(
                    _("Đã áp dụng (lần nhập số %(id)s, SHA-256 %(sha)s).")
                    % {"id": batch.pk, "sha": batch.sha256}
                )
            )
        else:
            self.stdout.write(_("Xem trước: chưa ghi gì. Thêm --apply để ghi."))

    def _user(self, username):
        if not username:
            return None
        found = get_user_model().objects.filter(username=username).first()
        if found is None:
            raise CommandError(_("Không có người dùng %(user)s.") % {"user": username})
        return found

    def _scope(self, code):
        if not code:
            return None
        found = Organization.objects.filter(code=code).first()
        if found is None:
            raise CommandError(_("Không có tổ chức mã %(code)s.") % {"code": code})
        return found

    def _print(self, preview) -> None:
        if preview.refused is not None:
            self.stderr.write(f"{preview.refused.message} [{preview.refused.code}]")
            return
        counts = preview.counts
        self.stdout.write(
            _(
                "Trang “%(sheet)s”: thêm %(added)s, cập nhật %(updated)s, "
                "không đổi %(unchanged)s, lỗi %(errors)s."
            )
            % {"sheet": preview.sheet, **counts}
        )
        for row in preview.of("update"):
            changes = "; ".join(f"{c.label}: {c.old} → {c.new}" for c in row.changes)
            self.stdout.write(f"  ~ {row.ref} {row.label}: {changes}")
        for error in preview.errors[:ERRORS_SHOWN]:
            self.stderr.write(f"  ! {error.ref} [{error.code}] {error.message}")
        if len(preview.errors) > ERRORS_SHOWN:
            self.stderr.write(
                _("  … và %(count)s lỗi khác.") % {"count": len(preview.errors) - ERRORS_SHOWN}
            )
