"""`demo_load`: the whole demo in one transaction, unless it exists already (DOMAIN.md §13, §15).

The 2021 bloc and its cycle (`demo.year_2021`), then the reorganization of 1/7/2025 and the 2026
cycles under QĐ 366 (`demo.year_2026`).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from demo.data_2021 import ACCOUNT_SPECS, BLOC_CODE, DEMO_PASSWORD, Account, DemoResult
from demo.data_2026 import NEW_ACCOUNT_2026
from demo.papers import author_accounts
from demo.year_2021 import _Builder, demo_counts
from demo.year_2026 import build_2026
from organizations.models import Organization, Role


def demo_accounts() -> list[Account]:
    """The demo accounts as they stand in the database, with their roles."""
    usernames = [spec.username for spec in ACCOUNT_SPECS] + [NEW_ACCOUNT_2026[0]]
    users = {
        user.username: user
        for user in get_user_model()
        .objects.filter(username__in=usernames)
        .prefetch_related("role_assignments__organization")
    }
    rows = []
    for username in usernames:
        user = users.get(username)
        if user is None:
            continue
        if user.is_superuser:
            rows.append(Account(username, DEMO_PASSWORD, "Quản trị hệ thống", "—"))
        rows += [
            Account(username, DEMO_PASSWORD, str(Role(a.role).label), a.organization.name)
            for a in user.role_assignments.all()
            if a.is_active
        ]
    return rows + author_accounts()


def demo_load(*, scale: float = 1.0) -> DemoResult:
    """Build the demo: the bloc's 2021 cycle (closed), the 2025 reorganization and the 2026
    cycles in progress, in one transaction, unless the bloc exists already.

    `scale` multiplies the number of grassroots units (80 at 1.0, at least 8) and so the number
    of cells and members; every special case is present at any scale.
    """
    if scale <= 0:
        raise ValueError("scale must be positive")
    validate_password(DEMO_PASSWORD)
    if Organization.objects.filter(code=BLOC_CODE).exists():
        return DemoResult(created=False, accounts=demo_accounts(), counts=demo_counts())
    with transaction.atomic():
        builder = _Builder(scale=scale)
        builder.build()
        build_2026(builder)
    return DemoResult(created=True, accounts=demo_accounts(), counts=demo_counts())
