"""`python manage.py send_reminders --cycle 2021 [--days-before N] [--quarter Q]`: mail the
clerks of units that have not submitted yet, or (with --quarter) whose people are not yet
assessed for the quarter (Django mail: the console by default, SMTP through EMAIL_URL)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reviews.models import ReviewCycle
from reviews.services.reminders import send_deadline_reminders, send_quarter_reminders


class Command(BaseCommand):
    help = "Nhắc hạn nộp báo cáo cho cán bộ các đơn vị chưa gửi."

    def add_arguments(self, parser):
        parser.add_argument("--cycle", type=int, required=True, help="Năm của kỳ đánh giá.")
        parser.add_argument(
            "--days-before",
            type=int,
            default=None,
            help="Chỉ gửi khi còn không quá N ngày đến hạn (mặc định: luôn gửi).",
        )
        parser.add_argument(
            "--quarter",
            type=int,
            choices=(1, 2, 3),
            default=None,
            help="Nhắc hạn đánh giá quý (1, 2, 3) thay cho hạn nộp báo cáo.",
        )

    def handle(self, *args, cycle: int, days_before: int | None, quarter=None, **options):
        cycles = list(ReviewCycle.objects.filter(year=cycle).select_related("organization"))
        if not cycles:
            raise CommandError(f"Không có kỳ đánh giá năm {cycle}.")
        today = timezone.localdate()
        for review_cycle in cycles:
            if quarter is not None:
                sent = send_quarter_reminders(cycle=review_cycle, quarter=quarter, today=today)
                self.stdout.write(
                    f"{review_cycle.organization.code}: quý {quarter}: đã nhắc {sent.units} "
                    f"đơn vị, {sent.messages} thư."
                )
                continue
            days_left = review_cycle.days_left(today)
            if days_before is not None and days_left > days_before:
                self.stdout.write(
                    f"{review_cycle.organization.code}: còn {days_left} ngày, chưa đến lúc nhắc."
                )
                continue
            sent = send_deadline_reminders(cycle=review_cycle, today=today)
            self.stdout.write(
                f"{review_cycle.organization.code}: đã nhắc {sent.units} đơn vị, "
                f"{sent.messages} thư."
            )
