"""`python manage.py quota_report --cycle 2021 [--organization CODE]`: one line per pool.

Columns: the deciding body's code, the subjects, the peer group ("-" when the pool is a whole kind
of subject, HD 21), HTTNV, HTXSNV, the rate in force (an exception's when one is granted), the
allowed number, the undecided; then a summary line. Exits 1 exactly when a pool is over its quota
(DOMAIN.md §3), computed by `reviews.quota`, the same function as the screens.
"""

from django.core.management.base import BaseCommand, CommandError

from organizations.models import Organization
from reviews.models import Pool, ReviewCycle
from reviews.quota import quotas_by_pool


class Command(BaseCommand):
    help = "Số lượng theo mức xếp loại và tỷ lệ “Hoàn thành xuất sắc” của từng nhóm xếp loại."

    def add_arguments(self, parser):
        parser.add_argument("--cycle", type=int, required=True, help="Năm của kỳ đánh giá.")
        parser.add_argument(
            "--organization", help="Mã tổ chức: chỉ các nhóm do tổ chức này và cấp dưới quyết định."
        )

    def handle(self, *args, cycle: int, organization: str | None, **options):
        cycles = ReviewCycle.objects.filter(year=cycle)
        if not cycles.exists():
            raise CommandError(f"Không có kỳ đánh giá năm {cycle}.")
        pools = Pool.objects.filter(cycle__in=cycles).select_related("owner", "cycle")
        if organization:
            node = Organization.objects.filter(code=organization).first()
            if node is None:
                raise CommandError(f"Không có tổ chức mã {organization}.")
            pools = pools.filter(owner__path__startswith=node.path)
        pools = list(pools.order_by("owner__path", "subject_kind", "peer_group"))
        quotas = quotas_by_pool(pools)
        header = (
            f"{'owner':<12} {'subject':<13} {'group':<20} {'good':>6} {'excellent':>9} {'rate':>6} "
            f"{'allowed':>7} {'undecided':>9}  status"
        )
        self.stdout.write(header)
        over = 0
        for pool in pools:
            quota = quotas[pool.pk]
            status = "OVER" if quota.is_over else "ok"
            over += quota.is_over
            self.stdout.write(
                f"{pool.owner.code:<12} {pool.subject_kind:<13} {pool.peer_group or '-':<20} "
                f"{quota.good:>6} "
                f"{quota.excellent:>9} {quota.rate_percent + '%':>6} {quota.allowed:>7} "
                f"{quota.undecided:>9}  {status}"
            )
        self.stdout.write(f"{len(pools)} pools, {over} over quota")
        if over:
            raise CommandError(f"{over} nhóm vượt tỷ lệ cho phép.", returncode=1)
