from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("jobs/<int:pk>/", views.JobDetailView.as_view(), name="job_detail"),
    path("jobs/<int:pk>/download/", views.JobDownloadView.as_view(), name="job_download"),
    path("system/dictionaries/", views.DictionaryListView.as_view(), name="dictionary_list"),
    path("system/dictionaries/<slug:code>/add/", views.DictionaryItemEditView.as_view(), name="dictionary_item_add"),
    path("system/dictionaries/<slug:code>/<int:pk>/edit/", views.DictionaryItemEditView.as_view(),
         name="dictionary_item_edit"),
    path("audit/operations/", views.OperationLogListView.as_view(), name="operationlog_list"),
    path("audit/logins/", views.LoginLogListView.as_view(), name="loginlog_list"),
]
