"""Telling users: a notification on the site now, a mail once the transaction commits."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from reviews.models import Notification


def notify(*, users, message: str, link: str = "") -> None:
    users = [user for user in users if user.is_active]
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
