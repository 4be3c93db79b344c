from django.urls import path

from reports.views import DownloadView, ReRatingDocumentView

app_name = "reports"
urlpatterns = [
    path("<int:pk>/<str:fmt>/", DownloadView.as_view(), name="download"),
    path(
        "xep-loai-lai/<int:pk>/<str:fmt>/",
        ReRatingDocumentView.as_view(),
        name="rerating-document",
    ),
]
