from django.urls import path

from members import views

app_name = "members"
urlpatterns = [
    path("", views.MemberListView.as_view(), name="list"),
    path("<int:pk>/", views.MemberDetailView.as_view(), name="detail"),
    path("chon/", views.MemberPickerView.as_view(), name="picker"),
]

from members import import_views  # noqa: E402 - appended block (Excel import)

urlpatterns += [
    path("nhap/", import_views.ImportStartView.as_view(), name="import"),
    path(
        "nhap/mau/<slug:kind>/", import_views.TemplateDownloadView.as_view(), name="import-template"
    ),
    path("nhap/<int:pk>/", import_views.ImportPreviewView.as_view(), name="import-preview"),
    path("nhap/<int:pk>/ap-dung/", import_views.ImportApplyView.as_view(), name="import-apply"),
]
