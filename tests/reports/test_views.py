import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from organizations.models import Role
from tests.factories import RoleAssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db


def url(node, fmt):
    return reverse("reports:download", args=[node.pk, fmt])


def user_with(role, organization, username):
    user = UserFactory(username=username)
    RoleAssignmentFactory(user=user, organization=organization, role=role)
    return user


@pytest.fixture
def viewer(report_bloc):
    return user_with(Role.VIEWER, report_bloc["bloc"], "xem")


@pytest.fixture
def board(report_bloc):
    return user_with(Role.ORGANIZATION_BOARD, report_bloc["bloc"], "btc")


def test_clerk_downloads_his_units_three_files(client, report_bloc, export_file):
    client.force_login(report_bloc["clerk"])
    unit = report_bloc["a"]["unit"]
    for fmt, start in (("xlsx", b"PK"), ("pdf", b"%PDF"), ("zip", b"PK")):
        response = export_file(client, unit, fmt)
        assert response.status_code == 200, fmt
        assert response.content.startswith(start)
        assert response["Content-Disposition"].startswith("attachment;")
        assert "no-store" in response["Cache-Control"]
        assert f"2021-stc.{fmt}" in response["Content-Disposition"]


def test_clerk_of_another_unit_gets_404(client, report_bloc):
    client.force_login(report_bloc["clerk"])
    assert client.get(url(report_bloc["b_unit"], "xlsx")).status_code == 404
    assert client.get(url(report_bloc["bloc"], "pdf")).status_code == 404


def test_viewer_reads_tables_but_not_the_dossier(client, report_bloc, viewer):
    client.force_login(viewer)
    unit = report_bloc["a"]["unit"]
    assert client.get(url(unit, "xlsx")).status_code == 200
    assert client.get(url(report_bloc["bloc"], "pdf")).status_code == 200
    assert client.get(url(unit, "zip")).status_code == 403


@pytest.mark.parametrize("role", [Role.INSPECTION_COMMITTEE, Role.OFFICE])
def test_bloc_boards_read_every_unit(client, report_bloc, role):
    client.force_login(user_with(role, report_bloc["bloc"], "ban"))
    assert client.get(url(report_bloc["b_unit"], "pdf")).status_code == 200
    assert client.get(url(report_bloc["b_unit"], "zip")).status_code == 403


def test_board_gets_everything_but_a_bloc_bundle(client, report_bloc, board):
    client.force_login(board)
    assert client.get(url(report_bloc["b_unit"], "zip")).status_code == 200
    assert client.get(url(report_bloc["bloc"], "xlsx")).status_code == 200
    assert client.get(url(report_bloc["bloc"], "zip")).status_code == 404


def test_nodes_without_a_report_and_unknown_formats_are_404(client, report_bloc, board):
    client.force_login(board)
    assert client.get(url(report_bloc["a"]["cells"][0], "pdf")).status_code == 404
    assert client.get(url(report_bloc["a"]["unit"], "odt")).status_code == 404


def test_cell_secretary_and_strangers_get_404(client, report_bloc):
    cell = report_bloc["a"]["cells"][0]
    client.force_login(user_with(Role.CELL_SECRETARY, cell, "bithu"))
    assert client.get(url(report_bloc["a"]["unit"], "pdf")).status_code == 404


def test_anonymous_is_sent_to_log_in(client, report_bloc):
    response = client.get(url(report_bloc["a"]["unit"], "pdf"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def render_buttons(user, unit, cycle):
    request = RequestFactory().get("/")
    request.user = user
    template = Template('{% include "reports/_downloads.html" with unit=unit %}')
    return template.render(Context({"request": request, "unit": unit, "cycle": cycle}))


def test_buttons_show_only_what_the_user_may_download(report_bloc, viewer, board):
    cycle, unit, bloc = report_bloc["cycle"], report_bloc["a"]["unit"], report_bloc["bloc"]
    html = render_buttons(report_bloc["clerk"], unit, cycle)
    assert "Xuất Excel" in html
    assert "Xuất PDF" in html
    assert "Tải hồ sơ (.zip)" in html
    assert url(unit, "zip") in html
    html = render_buttons(viewer, unit, cycle)
    assert "Xuất PDF" in html
    assert "Tải hồ sơ" not in html
    html = render_buttons(board, bloc, cycle)
    assert "Xuất Excel" in html
    assert "Tải hồ sơ" not in html  # no bundle for the bloc
    assert render_buttons(report_bloc["clerk"], report_bloc["b_unit"], cycle).strip() == ""
    assert render_buttons(report_bloc["clerk"], bloc, cycle).strip() == ""


def test_submission_page_shows_the_buttons(client, report_bloc):
    client.force_login(report_bloc["clerk"])
    response = client.get(reverse("reviews:submission", args=[report_bloc["submission"].pk]))
    assert response.status_code == 200
    assert url(report_bloc["a"]["unit"], "zip") in response.content.decode()


def test_dashboard_offers_the_bloc_tables_without_a_bundle(client, report_bloc, board):
    client.force_login(board)
    html = client.get(reverse("reviews:dashboard")).content.decode()
    assert url(report_bloc["bloc"], "xlsx") in html
    assert url(report_bloc["bloc"], "pdf") in html
    assert "Tải hồ sơ (.zip)" not in html
