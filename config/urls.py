from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from config.views import health
from reviews.views.home import CycleChooseView, HomeView, NotificationListView

admin.site.site_header = "kiemdiem — Quản trị"
admin.site.site_title = "kiemdiem"
admin.site.index_title = "Quản trị hệ thống"

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("dang-nhap/", auth_views.LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("thong-bao/", NotificationListView.as_view(), name="notifications"),
    path("chon-ky/", CycleChooseView.as_view(), name="cycle-choose"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("to-chuc/", include("organizations.urls")),
    path("dang-vien/", include("members.urls")),
    path("danh-gia/", include("reviews.urls")),
    path("bao-cao/", include("reports.urls")),
    path("quan-tri/", admin.site.urls),
    path("suc-khoe/", health, name="health"),
]

handler400 = "config.errors.bad_request"
handler403 = "config.errors.permission_denied"
handler404 = "config.errors.page_not_found"
handler500 = "config.errors.server_error"
