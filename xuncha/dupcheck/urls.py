from django.urls import path

from . import views

app_name = "dupcheck"

urlpatterns = [
    path("documents/", views.DocumentListView.as_view(), name="document_list"),
    path("documents/upload/", views.DocumentUploadView.as_view(), name="document_upload"),
    path("documents/export/", views.DocumentExportView.as_view(), name="document_export"),
    path("documents/<int:pk>/", views.DocumentDetailView.as_view(), name="document_detail"),
    path("documents/<int:pk>/file/", views.DocumentFileExportView.as_view(), name="document_file_export"),
    path("documents/<int:pk>/delete/", views.DocumentDeleteView.as_view(), name="document_delete"),
    path("pairs/<int:pk>/", views.PairDetailView.as_view(), name="pair_detail"),
    path("scans/", views.ScanListView.as_view(), name="scan_list"),
    path("scans/add/", views.ScanAddView.as_view(), name="scan_add"),
    path("scans/<int:pk>/", views.ScanDetailView.as_view(), name="scan_detail"),
    path("scans/<int:pk>/clusters/", views.ScanClustersView.as_view(), name="scan_clusters"),
    path("scans/<int:pk>/export/", views.ScanExportView.as_view(), name="scan_export"),
    path("scans/<int:pk>/report/", views.ScanWordExportView.as_view(), name="scan_word_export"),
]
