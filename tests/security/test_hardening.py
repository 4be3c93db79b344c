"""Hardening (issue "prove it like a user and like an attacker", point 2)."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_login_is_locked_after_repeated_failures(client):
    UserFactory(username="canbo")
    statuses = [
        client.post(reverse("login"), {"username": "canbo", "password": "sai"}).status_code
        for _ in range(5)
    ]
    assert statuses == [200, 200, 200, 200, 429]
    locked = client.post(reverse("login"), {"username": "canbo", "password": "mat-khau-thu-nghiem"})
    assert locked.status_code == 429
    assert "Tạm khóa đăng nhập" in locked.text


def test_a_good_password_logs_in_before_the_limit(client):
    UserFactory(username="canbo")
    client.post(reverse("login"), {"username": "canbo", "password": "sai"})
    response = client.post(
        reverse("login"), {"username": "canbo", "password": "mat-khau-thu-nghiem"}
    )
    assert response.status_code == 302


def test_pages_forbid_inline_scripts_and_foreign_resources(client):
    policy = client.get(reverse("login")).headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


def test_templates_hold_no_inline_script_or_style():
    from pathlib import Path

    from django.conf import settings

    offenders = []
    for template in Path(settings.BASE_DIR, "templates").rglob("*.html"):
        if "reports" in template.parts:  # printed documents, rendered by WeasyPrint only
            continue
        text = template.read_text(encoding="utf-8")
        markers = ("<script>", 'style="', " onclick=", " onchange=", " onsubmit=")
        offenders.extend(f"{template.name}: {m}" for m in markers if m in text)
    assert offenders == []


def test_session_cookie_is_http_only_and_expires(settings):
    assert settings.SESSION_COOKIE_HTTPONLY
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.SESSION_COOKIE_AGE <= 12 * 3600


def test_refused_actions_are_logged_with_who_and_why(client, caplog, open_cycle, small_bloc):
    import json
    import logging

    from config.logs import JsonFormatter
    from organizations.models import Role
    from reviews.models import Rating
    from tests.factories import RoleAssignmentFactory

    clerk = UserFactory(username="canbo")
    RoleAssignmentFactory(user=clerk, organization=small_bloc["unit"], role=Role.CLERK)
    client.force_login(clerk)
    pool = Rating.objects.filter(pool__owner=small_bloc["unit"]).first().pool
    other = Rating.objects.filter(pool__owner=small_bloc["cell_unit"]).first()
    with caplog.at_level(logging.WARNING, logger="kiemdiem.refused"):
        client.post(reverse("reviews:pool-finalize", args=[pool.pk]))
        client.post(reverse("reviews:rating-update", args=[other.pk]), {"version": 1})
    records = [r for r in caplog.records if r.name == "kiemdiem.refused"]
    assert {tuple(r.codes) for r in records if hasattr(r, "codes")} == {("undecided",)}
    assert any(getattr(r, "status", None) == 404 for r in records)
    entry = json.loads(JsonFormatter().format(records[0]))
    assert entry["user"] == "canbo"
    assert entry["message"] == "refused"


def test_a_very_long_user_name_is_refused_calmly(client):
    """Found by fuzzing on PostgreSQL: the lockout record refused a 6,000-character name."""
    response = client.post(reverse("login"), {"username": "ộ" * 6000, "password": "x"})
    assert response.status_code == 200


def _settings_in_a_clean_environment(**extra):
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DJANGO_") and key != "DATABASE_URL"
    }
    env.update(DJANGO_ENV_FILE="/nonexistent/.env", DJANGO_SETTINGS_MODULE="config.settings")
    env.update(extra)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print('DEBUG', settings.DEBUG)",
        ],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_without_any_environment_the_application_refuses_to_start():
    """Fail safe (issue "hardening", point 2): no DJANGO_DEBUG means debug off, and debug off
    needs a real secret key."""
    result = _settings_in_a_clean_environment()
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_with_only_a_secret_key_debug_is_off():
    result = _settings_in_a_clean_environment(DJANGO_SECRET_KEY="k" * 50)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "DEBUG False"
