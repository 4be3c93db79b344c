from django.urls import path

from reviews import views

app_name = "reviews"
urlpatterns = [
    path("", views.PoolListView.as_view(), name="pool-list"),
    path("nhom/<int:pk>/", views.PoolView.as_view(), name="pool"),
    path(
        "nhom/<int:pk>/lay-de-xuat/", views.TakeProposalsView.as_view(), name="pool-take-proposals"
    ),
    path(
        "nhom/<int:pk>/ap-dung-ty-le/",
        views.ApplyQuotaProposalView.as_view(),
        name="pool-apply-quota",
    ),
    path("nhom/<int:pk>/chot/", views.FinalizePoolView.as_view(), name="pool-finalize"),
    path("nhom/<int:pk>/mo-lai/", views.ReopenPoolView.as_view(), name="pool-reopen"),
    path("xep-loai/<int:pk>/", views.RatingUpdateView.as_view(), name="rating-update"),
    path("xep-loai/<int:pk>/dieu-chinh/", views.OverrideView.as_view(), name="rating-override"),
    path("xep-loai/<int:pk>/lich-su/", views.RatingHistoryView.as_view(), name="rating-history"),
]
