"""Every model of the apps has a factory, and each factory makes a row that is valid as saved."""

import inspect

import factory
import pytest
from django.apps import apps

from organizations.models import Organization
from tests import factories

APP_LABELS = ("organizations", "members", "reviews", "reports")
MODELS = [model for label in APP_LABELS for model in apps.get_app_config(label).get_models()]
FACTORIES = sorted(
    (
        candidate
        for _name, candidate in inspect.getmembers(factories, inspect.isclass)
        if issubclass(candidate, factory.django.DjangoModelFactory) and not candidate._meta.abstract
    ),
    key=lambda candidate: candidate.__name__,
)


def test_every_model_of_the_apps_has_a_factory():
    covered = {candidate._meta.model for candidate in FACTORIES}

    assert [model._meta.label for model in MODELS if model not in covered] == []


@pytest.mark.django_db
@pytest.mark.parametrize("factory_class", FACTORIES, ids=lambda candidate: candidate.__name__)
def test_factory_creates_a_valid_row(factory_class, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    model = factory_class._meta.model

    made = factory_class.create()

    saved = model._default_manager.get(pk=made.pk)
    saved.full_clean()
    assert not any(Organization.objects.find_problems()), "the tree is built through treebeard"


@pytest.mark.django_db
def test_related_rows_agree(settings, tmp_path):
    """The rows a factory makes on the way belong together: one tree, one cycle."""
    settings.MEDIA_ROOT = tmp_path
    score = factories.CriterionScoreFactory()
    rating = score.rating
    assert score.criterion.cycle == rating.cycle == rating.pool.cycle
    assert rating.cycle.uses_scores
    assert rating.unit == rating.member.organization
    assert Organization.objects.get_parent(rating.unit) == rating.pool.owner
    assert Organization.objects.get_parent(rating.pool.owner) == rating.cycle.organization

    seat = factories.CollectiveMembershipFactory()
    assert Organization.objects.get_parent(seat.member.organization) == seat.collective.organization

    suggestion = factories.SuggestionFactory()
    assert suggestion.addressed_to == suggestion.collective.organization
    assert Organization.objects.get_parent(suggestion.addressed_to) == suggestion.cycle.organization
