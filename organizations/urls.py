from django.urls import path

from organizations import views

app_name = "organizations"
urlpatterns = [
    path("", views.OrganizationTreeView.as_view(), name="tree"),
    path("<int:pk>/", views.OrganizationDetailView.as_view(), name="detail"),
    path("chon/", views.UnitPickerView.as_view(), name="picker"),
]
