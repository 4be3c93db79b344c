"""Helpers shared by the admin tests of each app (tests/<app>/test_admin.py).

The fixtures they use (`tree`, `tree_cycle`, `every_model`) live in tests/conftest.py.
"""

import datetime

from django.contrib import admin
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.services import member_create
from organizations.models import Organization, OrganizationKind
from organizations.services import organization_create
from reviews.models import Level, Rating
from reviews.services import cycle_prepare, ratings_record

MEMBER_NAME = "Trần Thị Bích Ngọc"


def admin_url(model, view: str, *args) -> str:
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def form_data(response, **changes) -> dict:
    """POST data reproducing a rendered admin form (main form and inlines), then `changes`."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms.append(inline.formset.management_form)
        forms.extend(inline.formset.forms)
    data = {}
    for form in forms:
        for bound in form:
            value = bound.value()
            if isinstance(value, bool):
                if value:
                    data[bound.html_name] = "on"
                continue
            if isinstance(value, datetime.date):
                value = value.strftime("%d/%m/%Y")
            data[bound.html_name] = "" if value is None else value
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data


def registered_models(*app_labels: str) -> list:
    """The models of `app_labels` registered in the admin site, in a stable order."""
    return sorted(
        (model for model in admin.site._registry if model._meta.app_label in app_labels),
        key=lambda model: model._meta.label,
    )


def model_id(value) -> str:
    return value._meta.label if hasattr(value, "_meta") else str(value)


def assert_admin_pages_render(client, user, model) -> None:
    """The changelist, the add page (or its 403) and a change page of `model` answer."""
    model_admin = admin.site._registry[model]
    request = RequestFactory().get("/")
    request.user = user

    assert client.get(admin_url(model, "changelist")).status_code == 200

    add = client.get(admin_url(model, "add"))
    assert add.status_code == (200 if model_admin.has_add_permission(request) else 403)

    obj = model._default_manager.first()
    assert obj is not None, f"the every_model fixture should make a {model._meta.label}"
    assert client.get(admin_url(model, "change", obj.pk)).status_code == 200


def changelist_queries(client, model, params) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(admin_url(model, "changelist"), params).status_code == 200
    return len(queries)


def grow_tree(tree, cycle, count: int, acting_user) -> None:
    """Add `count` grassroots units, each with a cell and a member, rated in the open cycle."""
    for _ in range(count):
        unit = organization_create(
            parent=tree["bloc"],
            kind=OrganizationKind.GRASSROOTS_COMMITTEE,
            grassroots_type="05",
            name="Đảng bộ Sở",
            code=f"SO{Organization.objects.count()}",
            founded_on=datetime.date(2000, 1, 1),
        )
        cell = organization_create(
            parent=unit,
            kind=OrganizationKind.CELL,
            name="Chi bộ Văn phòng Sở",
            code=f"CB{Organization.objects.count()}",
            founded_on=datetime.date(2000, 1, 1),
        )
        member_create(
            organization=cell,
            full_name="Phạm Văn Bình",
            gender="M",
            date_of_birth=datetime.date(1980, 1, 1),
            admitted_on=datetime.date(2010, 1, 1),
            official_on=datetime.date(2011, 1, 1),
        )
    cycle_prepare(cycle=cycle)
    fresh = Rating.objects.filter(cycle=cycle, self_level="", not_rated_reason="")
    ratings_record(
        cycle=cycle,
        changes={rating.pk: {"self_level": Level.GOOD} for rating in fresh},
        acting_user=acting_user,
    )


def assert_changelist_queries_do_not_grow(client, tree, cycle, acting_user, model, params):
    grow_tree(tree, cycle, 1, acting_user)
    few = changelist_queries(client, model, params)
    grow_tree(tree, cycle, 5, acting_user)

    assert changelist_queries(client, model, params) == few
