from django.urls import path

from reviews.views import (
    criteria,
    dashboard,
    guidance,
    history,
    meetings,
    peer_groups,
    quarters,
    ratings,
    self_reviews,
    submissions,
    suggestions,
    tasks,
)

app_name = "reviews"
urlpatterns = [
    path("", ratings.PoolListView.as_view(), name="pool-list"),
    path("nhom/<int:pk>/", ratings.PoolView.as_view(), name="pool"),
    path(
        "nhom/<int:pk>/lay-de-xuat/",
        ratings.TakeProposalsView.as_view(),
        name="pool-take-proposals",
    ),
    path(
        "nhom/<int:pk>/ap-dung-ty-le/",
        ratings.ApplyQuotaProposalView.as_view(),
        name="pool-apply-quota",
    ),
    path("nhom/<int:pk>/chot/", ratings.FinalizePoolView.as_view(), name="pool-finalize"),
    path("nhom/<int:pk>/mo-lai/", ratings.ReopenPoolView.as_view(), name="pool-reopen"),
    path(
        "nhom/<int:pk>/giu-quyet-dinh/",
        ratings.ConfirmDecisionView.as_view(),
        name="pool-confirm-decision",
    ),
    path("nhom/<int:pk>/chi-bo/", ratings.PoolGroupPickerView.as_view(), name="pool-groups"),
    path(
        "nhom/<int:pk>/ngoai-le/",
        peer_groups.QuotaExceptionView.as_view(),
        name="pool-exception",
    ),
    path(
        "nhom/<int:pk>/nhom-tuong-dong/",
        peer_groups.PeerGroupsView.as_view(),
        name="peer-groups",
    ),
    path("xep-loai/<int:pk>/", ratings.RatingUpdateView.as_view(), name="rating-update"),
    path("xep-loai/<int:pk>/dieu-chinh/", ratings.OverrideView.as_view(), name="rating-override"),
    path("xep-loai/<int:pk>/lich-su/", ratings.RatingHistoryView.as_view(), name="rating-history"),
    path("ban-kiem-diem/<int:pk>/", self_reviews.SelfReviewView.as_view(), name="self-review"),
    path("hoi-nghi/<int:pk>/", meetings.MeetingView.as_view(), name="meeting"),
    path("danh-gia-quy/<int:pk>/", quarters.QuartersView.as_view(), name="quarters"),
    path("nhiem-vu/<int:pk>/", tasks.TasksView.as_view(), name="tasks"),
    path(
        "nhiem-vu/<int:pk>/minh-chung/<int:file_pk>/",
        tasks.TaskEvidenceDownloadView.as_view(),
        name="task-evidence",
    ),
    path(
        "qua-cac-ky/dang-vien/<int:pk>/", history.MemberHistoryView.as_view(), name="member-history"
    ),
    path("qua-cac-ky/to-chuc/<int:pk>/", history.UnitHistoryView.as_view(), name="unit-history"),
    path("xuat-sac-lien-tuc/", history.ExcellentStreaksView.as_view(), name="excellent-streaks"),
]
urlpatterns += [
    path("tieu-chi/<str:framework>/", criteria.CriteriaView.as_view(), name="criteria"),
    path("tong-hop/", dashboard.DashboardView.as_view(), name="dashboard"),
    path("bao-cao/<int:pk>/", submissions.SubmissionView.as_view(), name="submission"),
    path(
        "bao-cao/<int:pk>/thao-tac/", submissions.SubmissionActView.as_view(), name="submission-act"
    ),
    path(
        "bao-cao/<int:pk>/dinh-kem/", submissions.DossierUploadView.as_view(), name="dossier-upload"
    ),
    path(
        "tai-lieu/<int:pk>/tai-ve/",
        submissions.DossierDownloadView.as_view(),
        name="dossier-download",
    ),
    path(
        "tai-lieu/<int:pk>/go-bo/", submissions.DossierRemoveView.as_view(), name="dossier-remove"
    ),
]
urlpatterns += [
    path("goi-y/", suggestions.SuggestionListView.as_view(), name="suggestion-list"),
    path("goi-y/moi/", suggestions.SuggestionCreateView.as_view(), name="suggestion-create"),
    path("goi-y/<int:pk>/", suggestions.SuggestionDetailView.as_view(), name="suggestion"),
    path(
        "goi-y/<int:pk>/thao-tac/", suggestions.SuggestionActView.as_view(), name="suggestion-act"
    ),
    path(
        "goi-y/chon/<slug:kind>/",
        suggestions.SuggestionTargetsView.as_view(),
        name="suggestion-targets",
    ),
]
urlpatterns += [
    path("van-ban/", guidance.DocumentListView.as_view(), name="documents"),
    path(
        "van-ban/<int:pk>/tai-ve/",
        guidance.DocumentDownloadView.as_view(),
        name="document-download",
    ),
    path("hoi-dap/", guidance.QuestionListView.as_view(), name="questions"),
    path("hoi-dap/moi/", guidance.QuestionCreateView.as_view(), name="question-create"),
    path("hoi-dap/<int:pk>/", guidance.QuestionDetailView.as_view(), name="question"),
    path(
        "hoi-dap/tep/<int:pk>/",
        guidance.AttachmentDownloadView.as_view(),
        name="question-attachment",
    ),
]

from reviews.views import roundtrip  # noqa: E402 - appended block (rating sheet round trip)

urlpatterns += [
    path("nhom/<int:pk>/excel/", roundtrip.RatingSheetDownloadView.as_view(), name="rating-sheet"),
    path(
        "nhom/<int:pk>/excel/nhap/",
        roundtrip.RatingSheetUploadView.as_view(),
        name="rating-sheet-upload",
    ),
    path(
        "nhap-excel/<int:pk>/",
        roundtrip.RatingImportPreviewView.as_view(),
        name="rating-import-preview",
    ),
    path(
        "nhap-excel/<int:pk>/ap-dung/",
        roundtrip.RatingImportApplyView.as_view(),
        name="rating-import-apply",
    ),
]

from reviews.views import task_import  # noqa: E402 - appended block (task register in Excel)

urlpatterns += [
    path(
        "nhom/<int:pk>/nhiem-vu/excel/",
        task_import.TaskRegisterDownloadView.as_view(),
        name="task-register-sheet",
    ),
    path(
        "nhom/<int:pk>/nhiem-vu/nhap/",
        task_import.TaskRegisterUploadView.as_view(),
        name="task-register-upload",
    ),
    path(
        "nhom/<int:pool_pk>/nhiem-vu/nhap/<int:pk>/",
        task_import.TaskImportPreviewView.as_view(),
        name="task-import-preview",
    ),
    path(
        "nhom/<int:pool_pk>/nhiem-vu/nhap/<int:pk>/ap-dung/",
        task_import.TaskImportApplyView.as_view(),
        name="task-import-apply",
    ),
]
