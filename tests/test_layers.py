"""The layering organizations ← members ← reviews ← reports holds, and the check sees a breach."""

from config import check_layers


def test_the_project_imports_along_the_layering():
    assert check_layers.violations() == []


def test_an_import_against_the_layering_is_reported(tmp_path, monkeypatch):
    for app in check_layers.LAYERS:
        (tmp_path / app).mkdir()
    (tmp_path / "organizations" / "views.py").write_text("from reviews.models import Rating\n")
    (tmp_path / "members" / "forms.py").write_text("import organizations.models\n")
    (tmp_path / "reviews" / "migrations").mkdir()
    (tmp_path / "reviews" / "migrations" / "0001.py").write_text("import reports\n")
    monkeypatch.setattr(check_layers, "ROOT", tmp_path)
    assert check_layers.violations() == [
        "organizations/views.py:1: organizations imports reviews.models"
    ]
