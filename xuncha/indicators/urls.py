from django.urls import path

from . import views as v
from .resources import RESOURCES

app_name = "indicators"

urlpatterns = [pattern for resource in RESOURCES for pattern in resource.urls()] + [
    # The library: sets (versions), their tree and templates.
    path("sets/", v.SetListView.as_view(), name="indicatorset_list"),
    path("sets/import/", v.SetImportView.as_view(), name="indicatorset_import"),
    path("sets/<int:pk>/", v.SetDetailView.as_view(), name="indicatorset_detail"),
    path("sets/<int:pk>/edit/", v.SetEditView.as_view(), name="indicatorset_edit"),
    path("sets/<int:pk>/publish/", v.SetPublishView.as_view(), name="indicatorset_publish"),
    path("sets/<int:pk>/delete/", v.SetDeleteView.as_view(), name="indicatorset_delete"),
    path("sets/<int:pk>/copy/", v.SetCopyView.as_view(), name="indicatorset_copy"),
    path("sets/<int:pk>/export/", v.SetExportView.as_view(), name="indicatorset_export"),
    path("sets/<int:pk>/indicators/add/", v.IndicatorAddView.as_view(), name="indicatorset_indicator_add"),
    path("indicators/<int:pk>/edit/", v.IndicatorEditView.as_view(), name="indicator_edit"),
    path("indicators/<int:pk>/delete/", v.IndicatorDeleteView.as_view(), name="indicator_delete"),
    path("templates/<int:pk>/", v.TemplateDetailView.as_view(), name="indicatortemplate_detail"),
    path("templates/<int:pk>/edit/", v.TemplateEditView.as_view(), name="indicatortemplate_edit"),
    # Per inspection: the checklist of indicators and of decisions.
    path("inspections/<int:pk>/checklist/", v.ChecklistView.as_view(), name="inspection_checklist"),
    path("inspections/<int:pk>/checklist/bind/", v.ChecklistBindView.as_view(), name="inspection_checklist_bind"),
    path("inspections/<int:pk>/checklist/record/", v.ResultRecordView.as_view(), name="inspection_result_record"),
    path("inspections/<int:pk>/checklist/export/", v.ResultsExportView.as_view(), name="inspection_results_export"),
    path("inspections/<int:pk>/decisions/", v.DecisionChecklistView.as_view(), name="inspection_decisions"),
    path("inspections/<int:pk>/decisions/record/", v.DecisionRecordView.as_view(), name="inspection_decision_record"),
    path("results/<int:pk>/", v.ResultDetailView.as_view(), name="indicatorresult_detail"),
    path("results/<int:pk>/file/", v.ResultFileView.as_view(), name="indicatorresult_file"),
    path("decision-checks/<int:pk>/", v.DecisionCheckDetailView.as_view(), name="decisioncheck_detail"),
    path("decision-checks/<int:pk>/file/", v.DecisionCheckFileView.as_view(), name="decisioncheck_file"),
]
