from django.urls import path

from .resources import RESOURCES
from .views import analysis, plans, supervision, tasks

app_name = "rectification"

urlpatterns = [pattern for resource in RESOURCES for pattern in resource.urls()] + [
    # The unit's plan (gate 1) and its measures.
    path("plans/", plans.PlanListView.as_view(), name="plan_list"),
    path("inspections/<int:pk>/", plans.InspectionPlansView.as_view(), name="inspection_plans"),
    path("plans/add/", plans.PlanAddView.as_view(), name="plan_add"),
    path("plans/<int:pk>/", plans.PlanDetailView.as_view(), name="plan_detail"),
    path("plans/<int:pk>/edit/", plans.PlanEditView.as_view(), name="plan_edit"),
    path("plans/<int:pk>/submit/", plans.PlanSubmitView.as_view(), name="plan_submit"),
    path("plans/<int:pk>/approve/", plans.PlanApproveView.as_view(), name="plan_approve"),
    path("plans/<int:pk>/return/", plans.PlanReturnView.as_view(), name="plan_return"),
    path("plans/<int:pk>/publish/", plans.PlanPublishView.as_view(), name="plan_publish"),
    path("plans/<int:pk>/report/", plans.PlanReportView.as_view(), name="plan_report"),
    path("plans/<int:pk>/report/file/", tasks.PlanFileView.as_view(), name="plan_file"),
    path("plans/<int:pk>/tasks/add/", plans.PlanTaskAddView.as_view(), name="plan_task_add"),
    # Tasks: progress (gate 2), acceptance (gate 3), publication exceptions, 回头看.
    path("tasks/", tasks.TaskListView.as_view(), name="task_list"),
    path("tasks/export/", tasks.TaskExportView.as_view(), name="task_export"),
    path("tasks/<int:pk>/", tasks.TaskDetailView.as_view(), name="task_detail"),
    path("tasks/<int:pk>/edit/", tasks.TaskEditView.as_view(), name="task_edit"),
    path("tasks/<int:pk>/delete/", tasks.TaskDeleteView.as_view(), name="task_delete"),
    path("tasks/<int:pk>/progress/", tasks.TaskProgressView.as_view(), name="task_progress"),
    path("tasks/<int:pk>/apply/", tasks.TaskApplyView.as_view(), name="task_apply"),
    path("tasks/<int:pk>/accept/", tasks.TaskAcceptView.as_view(), name="task_accept"),
    path("tasks/<int:pk>/send-back/", tasks.TaskSendBackView.as_view(), name="task_send_back"),
    path("tasks/<int:pk>/withhold/", tasks.TaskWithholdView.as_view(), name="task_withhold"),
    path("tasks/<int:pk>/revisit/", tasks.TaskRevisitView.as_view(), name="task_revisit"),
    path("tasks/<int:pk>/file/", tasks.TaskFileView.as_view(), name="task_file"),
    # Reminders and the monthly supervision cycle.
    path("reminders/", supervision.ReminderListView.as_view(), name="reminder_list"),
    path("reminders/<int:pk>/handle/", supervision.ReminderHandleView.as_view(), name="reminder_handle"),
    path("supervision/", supervision.SupervisionListView.as_view(), name="supervision_list"),
    path("supervision/run/", supervision.SupervisionRunView.as_view(), name="supervision_run"),
    path("supervision/<int:pk>/", supervision.SupervisionDetailView.as_view(), name="supervision_detail"),
    path("supervision/<int:pk>/meeting/", supervision.SupervisionMeetingView.as_view(), name="supervision_meeting"),
    path("notices/<int:pk>/document/", supervision.NoticeDocumentView.as_view(), name="notice_document"),
    path("notices/<int:pk>/regenerate/", supervision.NoticeRegenerateView.as_view(), name="notice_regenerate"),
    path("notices/<int:pk>/review/", supervision.NoticeReviewView.as_view(), name="notice_review"),
    path("notices/<int:pk>/publish/", supervision.NoticePublishView.as_view(), name="notice_publish"),
    # 成果运用 and the public page.
    path("dashboard/", analysis.DashboardView.as_view(), name="dashboard"),
    path("dashboard/export/", analysis.DashboardExportView.as_view(), name="dashboard_export"),
    path("units/<int:pk>/", analysis.UnitProfileView.as_view(), name="unit_profile"),
    path("public/<int:pk>/", analysis.public_page, name="public"),
]
