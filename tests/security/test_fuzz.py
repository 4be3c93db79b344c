"""Bad input never hurts (issue "prove it like a user and like an attacker", point 3).

Every POST endpoint gets long, empty, control-character, NFC/NFD Vietnamese, malformed-date,
out-of-range, other-unit and non-existent values: the answer is a 4xx or a page with a message,
never a 500, and the data is unchanged.
"""

import unicodedata

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from organizations.models import Role
from reviews.models import (
    DossierItem,
    Level,
    Pool,
    Question,
    Rating,
    RatingChange,
    Submission,
    SubmissionTransition,
    Suggestion,
)
from tests.factories import RoleAssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db

VIETNAMESE = ["Nguyễn Văn Đức", "Hoàn thành tốt nhiệm vụ", "Đảng bộ Sở Tài chính", "ộ ữ ặ"]
nasty_text = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=50),
    st.sampled_from(VIETNAMESE),
    st.sampled_from([unicodedata.normalize("NFD", text) for text in VIETNAMESE]),
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "\r\n",
            "31/02/2021",
            "2021-13-40",
            "9" * 40,
            "-1",
            '=HYPERLINK("x")',
            "<script>alert(1)</script>",
            "' OR 1=1 --",
        ]
    ),
    st.integers(min_value=-(10**12), max_value=10**12).map(str),
    st.integers(min_value=300, max_value=6000).map(lambda n: "ộ" * n),
)
VALID_LEVELS = set(Level.values) | {""}
invalid_level = nasty_text.filter(lambda value: value not in VALID_LEVELS)
HYPOTHESIS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)


def snapshot():
    """What must not change: every rating's fields, histories, submissions, uploads."""
    return (
        list(
            Rating.objects.order_by("pk").values_list(
                "pk",
                "self_level",
                "proposal_level",
                "votes_for",
                "votes_against",
                "decision_level",
                "civil_service_level",
                "override_reason",
                "version",
            )
        ),
        RatingChange.objects.count(),
        list(Submission.objects.order_by("pk").values_list("pk", "state")),
        SubmissionTransition.objects.count(),
        DossierItem.objects.count(),
        Question.objects.count(),
        Suggestion.objects.count(),
        list(Pool.objects.order_by("pk").values_list("pk", "state")),
    )


@pytest.fixture
def world(open_cycle, small_bloc, client):
    clerk = UserFactory(username="canbo")
    RoleAssignmentFactory(user=clerk, organization=small_bloc["unit"], role=Role.CLERK)
    client.force_login(clerk)
    own = Rating.objects.filter(pool__owner=small_bloc["unit"], subject_kind="member").first()
    other = Rating.objects.filter(pool__owner=small_bloc["cell_unit"]).first()
    return {
        "client": client,
        "own": own,
        "other": other,
        "submission": Submission.objects.get(organization=small_bloc["unit"]),
        "other_unit": small_bloc["cell_unit"],
        "pool": own.pool,
    }


@HYPOTHESIS
@given(
    fields=st.fixed_dictionaries(
        {
            "self_level": invalid_level,
            "proposal_level": invalid_level,
            "decision_level": invalid_level,
            "civil_service_level": invalid_level,
            "votes_for": nasty_text,
            "votes_against": nasty_text,
        }
    )
)
def test_rating_row_refuses_invalid_values(world, fields):
    before = snapshot()
    response = world["client"].post(
        reverse("reviews:rating-update", args=[world["own"].pk]),
        {**fields, "version": world["own"].version},
    )
    assert response.status_code < 500
    assert snapshot() == before


def _not_version_one(text: str) -> bool:
    """Whether the form reads the text as something other than the row's current version 1:
    "1\xa0" or "١" (an Arabic-Indic one) are that version, rightly accepted."""
    try:
        return forms.IntegerField().clean(text) != 1
    except ValidationError:
        return True


@HYPOTHESIS
@given(
    version=st.one_of(nasty_text.filter(_not_version_one), st.integers(min_value=2).map(str)),
    level=st.sampled_from(Level.values),
)
def test_rating_row_refuses_stale_or_malformed_versions(world, version, level):
    """Two clerks saving the same row: the second holds an old version and is told."""
    before = snapshot()
    response = world["client"].post(
        reverse("reviews:rating-update", args=[world["own"].pk]),
        {"decision_level": level, "version": version},
    )
    assert response.status_code < 500
    assert snapshot() == before


@HYPOTHESIS
@given(fields=st.fixed_dictionaries({"decision_level": nasty_text, "version": nasty_text}))
def test_other_units_rows_answer_404(world, fields):
    before = snapshot()
    for name in ("reviews:rating-update", "reviews:rating-override"):
        response = world["client"].post(reverse(name, args=[world["other"].pk]), fields)
        # A NUL character is refused (400) before any lookup, so it reveals nothing either.
        has_nul = any("\x00" in value for value in fields.values())
        assert response.status_code == (400 if has_nul else 404)
    assert snapshot() == before


@HYPOTHESIS
@given(
    fields=st.fixed_dictionaries(
        {
            "decision_level": invalid_level,
            "override_reason": nasty_text,
            "override_reference": nasty_text,
            "version": nasty_text,
        }
    )
)
def test_override_form_refuses_invalid_values(world, fields):
    before = snapshot()
    response = world["client"].post(
        reverse("reviews:rating-override", args=[world["own"].pk]), fields
    )
    assert response.status_code < 500
    assert snapshot() == before


@HYPOTHESIS
@given(action=nasty_text, comment=nasty_text, reason=nasty_text, chi_bo=nasty_text)
def test_submission_and_pool_actions_refuse_bad_input(world, action, comment, reason, chi_bo):
    before = snapshot()
    client = world["client"]
    responses = [
        client.post(
            reverse("reviews:submission-act", args=[world["submission"].pk]),
            {"action": action, "comment": comment},
        ),
        client.post(reverse("reviews:pool-reopen", args=[world["pool"].pk]), {"reason": reason}),
        client.post(
            reverse("reviews:pool-take-proposals", args=[world["pool"].pk]), {"chi_bo": chi_bo}
        ),
    ]
    assert all(response.status_code < 500 for response in responses)
    assert snapshot() == before


@HYPOTHESIS
@given(
    name=nasty_text,
    content=st.binary(max_size=2000),
    kind=st.one_of(st.just("minutes"), nasty_text),
)
def test_uploads_of_anything_are_refused_without_a_trace(
    world, name, content, kind, tmp_path_factory
):
    from django.test import override_settings

    before = snapshot()
    upload = SimpleUploadedFile((name or "x")[:100] + ".pdf", b"GIF89a" + content)
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        response = world["client"].post(
            reverse("reviews:dossier-upload", args=[world["submission"].pk]),
            {"kind": kind, "title": name, "file": upload},
        )
    assert response.status_code < 500
    assert snapshot() == before


@HYPOTHESIS
@given(title=nasty_text, text=nasty_text, member=nasty_text, cell=nasty_text, rule=nasty_text)
def test_questions_for_another_unit_are_refused(world, title, text, member, cell, rule):
    before = snapshot()
    response = world["client"].post(
        reverse("reviews:question-create"),
        {
            "unit": world["other_unit"].pk,
            "title": title,
            "text": text,
            "member": member,
            "cell": cell,
            "rule": rule,
        },
    )
    assert response.status_code < 500
    assert snapshot() == before


@HYPOTHESIS
@given(
    params=st.dictionaries(
        st.sampled_from(
            [
                "q",
                "to_chuc",
                "tinh_trang",
                "loai",
                "page",
                "chi_bo",
                "muc",
                "loc",
                "trang_thai",
                "sap_xep",
            ]
        ),
        nasty_text,
        max_size=5,
    )
)
def test_lists_with_any_query_string_never_fail(world, params):
    client = world["client"]
    for name, args in (
        ("members:list", []),
        ("members:picker", []),
        ("organizations:picker", []),
        ("organizations:tree", []),
        ("reviews:pool", [world["pool"].pk]),
        ("reviews:questions", []),
        ("reviews:pool-list", []),
    ):
        response = client.get(reverse(name, args=args), params)
        assert response.status_code < 500, (name, params)


@HYPOTHESIS
@given(username=nasty_text, password=nasty_text)
def test_login_with_anything_answers_a_form(client, db, username, password):
    response = client.post(reverse("login"), {"username": username, "password": password})
    # 400: a NUL character, refused before it reaches the database (config.errors).
    assert response.status_code in (200, 400, 429)
