import pytest


@pytest.fixture(autouse=True)
def _fast_and_local(settings):
    """Tests hash passwords fast, keep mail in memory and use plain static storage."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def bloc(db):
    from tests.factories import BlocFactory

    return BlocFactory()
