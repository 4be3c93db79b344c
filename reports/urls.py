from django.urls import path

from reports.views import DownloadView

app_name = "reports"
urlpatterns = [
    path("<int:pk>/<str:fmt>/", DownloadView.as_view(), name="download"),
]
