from django.urls import path

from reports.views import (
    DocumentFieldsView,
    DossierListView,
    ExcellentStreaksExportView,
    ExportFileView,
    ExportJobView,
    ExportView,
    MinutesDocumentView,
    QuarterDocumentView,
    ReRatingDocumentView,
    SelfReviewDocumentView,
)

app_name = "reports"
urlpatterns = [
    path("<int:pk>/thong-tin/", DocumentFieldsView.as_view(), name="document-fields"),
    path(
        "<int:pk>/xuat-sac-lien-tuc/xlsx/",
        ExcellentStreaksExportView.as_view(),
        name="excellent-streaks",
    ),
    path("<int:pk>/danh-muc/<str:fmt>/", DossierListView.as_view(), name="dossier-list"),
    path("tep/<int:pk>/", ExportJobView.as_view(), name="export-job"),
    path("tep/<int:pk>/tai-ve/", ExportFileView.as_view(), name="export-file"),
    path("<int:pk>/<str:fmt>/", ExportView.as_view(), name="download"),
    path(
        "xep-loai-lai/<int:pk>/<str:fmt>/",
        ReRatingDocumentView.as_view(),
        name="rerating-document",
    ),
    path("hoi-nghi/<int:pk>/<str:fmt>/", MinutesDocumentView.as_view(), name="minutes-document"),
    path(
        "ban-kiem-diem/<int:pk>/<str:fmt>/",
        SelfReviewDocumentView.as_view(),
        name="self-review-document",
    ),
    path(
        "danh-gia-quy/<int:pk>/<int:quarter>/<str:fmt>/",
        QuarterDocumentView.as_view(),
        name="quarter-document",
    ),
]
