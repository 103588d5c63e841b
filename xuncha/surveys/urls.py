from django.urls import path

from . import views
from .resources import RESOURCES

app_name = "surveys"

urlpatterns = [pattern for resource in RESOURCES for pattern in resource.urls()] + [
    path("surveytemplates/<int:pk>/copy/", views.TemplateCopyView.as_view(), name="surveytemplate_copy"),
    path("list/", views.SurveyListView.as_view(), name="survey_list"),
    path("add/", views.SurveyAddView.as_view(), name="survey_add"),
    path("inspections/<int:pk>/", views.InspectionSurveysView.as_view(), name="inspection_surveys"),
    path("inspections/<int:pk>/add/", views.InspectionSurveyAddView.as_view(), name="inspection_survey_add"),
    path("<int:pk>/", views.SurveyDetailView.as_view(), name="survey_detail"),
    path("<int:pk>/edit/", views.SurveyEditView.as_view(), name="survey_edit"),
    path("<int:pk>/delete/", views.SurveyDeleteView.as_view(), name="survey_delete"),
    path("<int:pk>/preview/", views.SurveyPreviewView.as_view(), name="survey_preview"),
    path("<int:pk>/history/", views.SurveyHistoryView.as_view(), name="survey_history"),
    path("<int:pk>/issue/", views.SurveyIssueView.as_view(), name="survey_issue"),
    path("<int:pk>/open/", views.SurveyOpenView.as_view(), name="survey_open"),
    path("<int:pk>/close/", views.SurveyCloseView.as_view(), name="survey_close"),
    path("<int:pk>/results/", views.SurveyResultsView.as_view(), name="survey_results"),
    path("<int:pk>/results/export/", views.SurveyExportView.as_view(), name="survey_export"),
    # The public, login-free answer page. The parameter is called `code` (答题码).
    path("a/<str:code>/", views.AnswerView.as_view(), name="answer"),
]
