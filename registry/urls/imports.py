from django.urls import path

from ..views import imports

urlpatterns = [
    path("imports/", imports.ImportListView.as_view(), name="import-list"),
    path("imports/upload/", imports.ImportUploadView.as_view(), name="import-upload"),
    path("imports/<int:pk>/", imports.ImportDetailView.as_view(), name="import-detail"),
    path("imports/set-aside/", imports.SetAsideListView.as_view(), name="import-set-aside"),
    path(
        "imports/set-aside/<int:pk>/<slug:action>/",
        imports.SetAsideReviewView.as_view(),
        name="import-set-aside-review",
    ),
    path(
        "imports/<int:pk>/progress/",
        imports.ImportProgressView.as_view(),
        name="import-progress",
    ),
    path(
        "imports/<int:pk>/errors.csv",
        imports.ImportErrorReportView.as_view(),
        name="import-errors",
    ),
    path(
        "imports/<int:pk>/summary.csv",
        imports.ImportSummaryReportView.as_view(),
        name="import-summary",
    ),
]
