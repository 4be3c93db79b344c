"""Telling users: a notification on the site now, a mail once the transaction commits."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from reviews.models import Notification

#: The query parameter a link carries to open its page in the cycle it belongs to.
CYCLE_PARAMETER = "ky"


def notify(*, users, message: str, link: str = "", cycle=None) -> None:
    """A notice on the site and by mail; `cycle`: the link opens in that cycle (a notice of
    2021 read while 2026 runs still leads to its page)."""
    users = [user for user in users if user.is_active]
    if link and cycle is not None:
        link = f"{link}?{CYCLE_PARAMETER}={cycle.pk}"
    Notification.objects.bulk_create(
        [Notification(user=user, message=message[:500], link=link) for user in users]
    )
    recipients = [user.email for user in users if user.email]
    if recipients:
        transaction.on_commit(
            lambda: send_mail(
                subject=message[:120],
                message=f"{message}\n\n{link}",
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=recipients,
                fail_silently=True,
            )
        )


def notifications_mark_read(*, user) -> int:
    """Mark every unread notice of `user` read (a POST, never a page view); returns how many."""
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
