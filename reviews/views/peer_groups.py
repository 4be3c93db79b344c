"""Peer groups and the quota exception of a QĐ 366 cycle (DOMAIN.md §13).

The deciding body puts each subject it decides in one peer group; the competent body above a
unit allows its pool the exception rate. Both write through `reviews.services.peer_groups`.
"""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from reviews.forms import PeerGroupForm, QuotaExceptionForm, ReasonForm
from reviews.models import Pool, Rating
from reviews.permissions import may_see_peer_groups
from reviews.rules import rule_set_for
from reviews.services.peer_groups import (
    peer_group_create,
    peer_groups_assign,
    quota_exception_grant,
    quota_exception_revoke,
)
from reviews.views.ratings import CycleMixin, error_messages


class QuotaExceptionView(CycleMixin, View):
    """POST: grant (`thao_tac=cho-phep`) or withdraw (`thao_tac=thu-hoi`) the exception."""

    def post(self, request, pk):
        pool = self.get_pool(pk)
        if not self.scope.can_grant_exception(pool) or not self.cycle.is_open:
            raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này."))
        try:
            if request.POST.get("thao_tac") == "thu-hoi":
                form = ReasonForm(request.POST)
                if not form.is_valid():
                    raise ValidationError(_("Thu hồi cần nêu lý do."), code="reason_required")
                quota_exception_revoke(
                    pool=pool, reason=form.cleaned_data["reason"], acting_user=request.user
                )
                messages.success(request, _("Đã thu hồi ngoại lệ; nhóm trở lại tỷ lệ chung."))
            else:
                form = QuotaExceptionForm(request.POST)
                if not form.is_valid():
                    raise ValidationError(
                        [str(e) for errors in form.errors.values() for e in errors],
                        code="invalid",
                    )
                data = form.cleaned_data
                quota_exception_grant(
                    pool=pool,
                    rate=data["rate_percent"] / Decimal(100),
                    reason=data["reason"],
                    reference=data["reference"],
                    acting_user=request.user,
                )
                messages.success(request, _("Đã ghi nhận quyết định cho phép vượt tỷ lệ."))
        except ValidationError as error:
            for text in error_messages(error, request):
                messages.error(request, text)
        return redirect("reviews:pool", pk=pool.pk)


class PeerGroupsView(CycleMixin, View):
    """The deciding body's peer groups for one kind of subject: who is in which, a new group."""

    template_name = "reviews/peer_groups.html"

    def _setup(self, pk):
        pool = self.get_pool(pk)
        if not rule_set_for(self.cycle.rule_set).uses_peer_groups:
            raise PermissionDenied(_("Quy định của kỳ này không chia nhóm đối tượng."))
        if not may_see_peer_groups(self.scope, pool):
            raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này."))
        pools = list(
            Pool.objects.filter(
                cycle=self.cycle, owner=pool.owner, subject_kind=pool.subject_kind
            ).order_by("peer_group")
        )
        ratings = list(
            Rating.objects.filter(pool__in=pools)
            .select_related("member", "organization", "collective", "unit")
            .order_by("unit__path", "member__sort_key", "pk")
        )
        return pool, pools, ratings

    def get(self, request, pk):
        pool, pools, ratings = self._setup(pk)
        return self._render(request, pool, pools, ratings, PeerGroupForm())

    def _render(self, request, pool, pools, ratings, form, status=200):
        can_edit = self.scope.can_decide(pool) and self.cycle.is_open
        return render(
            request,
            self.template_name,
            {
                "cycle": self.cycle,
                "pool": pool,
                "pools": pools,
                "ratings": ratings,
                "form": form,
                "can_edit": can_edit,
            },
            status=status,
        )

    def post(self, request, pk):
        pool, pools, ratings = self._setup(pk)
        if not self.scope.can_decide(pool) or not self.cycle.is_open:
            raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này."))
        try:
            if request.POST.get("thao_tac") == "them-nhom":
                form = PeerGroupForm(request.POST)
                if not form.is_valid():
                    return self._render(request, pool, pools, ratings, form, status=400)
                created = peer_group_create(
                    cycle=self.cycle,
                    owner=pool.owner,
                    subject_kind=pool.subject_kind,
                    name=form.cleaned_data["name"],
                    acting_user=request.user,
                )
                messages.success(request, _("Đã thêm nhóm “%(name)s”.") % {"name": created.label})
            else:
                assignment = []
                for key, values in request.POST.lists():
                    if key.startswith("r") and key[1:].isdigit():
                        assignment += [(int(key[1:]), int(v)) for v in values if v.isdigit()]
                moved = peer_groups_assign(
                    cycle=self.cycle,
                    owner=pool.owner,
                    subject_kind=pool.subject_kind,
                    assignment=assignment,
                    acting_user=request.user,
                )
                messages.success(
                    request, _("Đã xếp nhóm; %(count)s đối tượng chuyển nhóm.") % {"count": moved}
                )
        except ValidationError as error:
            for text in error_messages(error, request):
                messages.error(request, text)
        return redirect(reverse("reviews:peer-groups", args=[pool.pk]))
