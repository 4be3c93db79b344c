from django.urls import path  # noqa: F401  (the reports helper adds the download views here)

app_name = "reports"
urlpatterns: list = []
