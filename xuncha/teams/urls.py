"""Pages of teams, mounted at /teams/. Route names start with the kind of record their `pk` names
(round_…, inspectiongroup_…, groupmember_…), as the URL walk expects."""

from django.urls import path

from .resources import RESOURCES
from .views import cross, groups, people, quotas, recusal

app_name = "teams"

urlpatterns = [
    # Rounds, groups and members
    path("rounds/", groups.RoundListView.as_view(), name="round_list"),
    path("rounds/<int:pk>/", groups.RoundGroupsView.as_view(), name="round_groups"),
    path("rounds/<int:pk>/groups/add/", groups.RoundGroupAddView.as_view(), name="round_group_add"),
    path("rounds/<int:pk>/propose/", groups.ProposeView.as_view(), name="round_propose"),
    path("groups/<int:pk>/", groups.GroupDetailView.as_view(), name="inspectiongroup_detail"),
    path("groups/<int:pk>/profile/", groups.GroupProfileView.as_view(), name="inspectiongroup_profile"),
    path("groups/<int:pk>/members/add/", groups.MemberAddView.as_view(), name="inspectiongroup_member_add"),
    path("groups/<int:pk>/accept-proposal/", groups.ProposeApplyView.as_view(), name="inspectiongroup_accept"),
    path("members/<int:pk>/edit/", groups.MemberEditView.as_view(), name="groupmember_edit"),
    path("members/<int:pk>/delete/", groups.MemberDeleteView.as_view(), name="groupmember_delete"),
    path("members/<int:pk>/evaluate/", groups.MemberEvaluateView.as_view(), name="groupmember_evaluate"),
    path("members/<int:pk>/pledge/", people.PledgeWordView.as_view(), name="groupmember_pledge_word"),
    path("members/<int:pk>/pledge/upload/", people.PledgeUploadView.as_view(), name="groupmember_pledge_upload"),
    path("evaluations/", groups.EvaluationRoundsView.as_view(), name="evaluation_rounds"),
    path("evaluations/rounds/<int:pk>/", groups.RoundEvaluationsView.as_view(), name="round_evaluations"),
    path("evaluations/<int:pk>/decide/", groups.EvaluationDecideView.as_view(), name="evaluation_decide"),
    # Pools and people
    path("people/<int:pk>/", people.PersonView.as_view(), name="person_detail"),
    path("people/<int:pk>/word/", people.PersonWordView.as_view(), name="person_word"),
    path("pools/<int:pk>/status/", people.PoolStatusView.as_view(), name="pool_status"),
    # Pledges, secondments, reminders
    path("pledges/", people.PledgeOverviewView.as_view(), name="pledge_overview"),
    path("pledges/<int:pk>/file/", people.PledgeFileView.as_view(), name="pledge_file"),
    path("secondments/<int:pk>/end/", people.SecondmentEndView.as_view(), name="secondment_end"),
    path("reminders/", people.ReminderListView.as_view(), name="reminder_list"),
    path("reminders/<int:pk>/handle/", people.ReminderHandleView.as_view(), name="reminder_handle"),
    # Recusal
    path("recusal/", recusal.RecusalCheckView.as_view(), name="recusal_check"),
    # Cross inspection
    path("cross/", cross.CrossPlanListView.as_view(), name="crossplan_list"),
    path("cross/add/", cross.CrossPlanFormView.as_view(), name="crossplan_add"),
    path("cross/<int:pk>/", cross.CrossPlanDetailView.as_view(), name="crossplan_detail"),
    path("cross/<int:pk>/edit/", cross.CrossPlanEditView.as_view(), name="crossplan_edit"),
    path("cross/<int:pk>/solve/", cross.CrossPlanSolveView.as_view(), name="crossplan_solve"),
    path("cross/<int:pk>/confirm/", cross.CrossPlanConfirmView.as_view(), name="crossplan_confirm"),
    path("cross/pairs/<int:pk>/liaison/", cross.CrossPairLiaisonView.as_view(), name="crosspair_liaison"),
    path("cross/checklist/<int:pk>/", cross.ChecklistItemView.as_view(), name="crosschecklistitem_edit"),
    # Quotas and training
    path("quotas/chart/", quotas.QuotaChartView.as_view(), name="quota_chart"),
    path("quotachecks/<int:pk>/fill/", quotas.QuotaCheckFillView.as_view(), name="quotacheck_fill"),
    path("quotachecks/<int:pk>/publish/", quotas.QuotaCheckPublishView.as_view(), name="quotacheck_publish"),
    path("quotachecks/<int:pk>/notice/", quotas.QuotaCheckNoticeView.as_view(), name="quotacheck_notice"),
    path("quotachecks/items/<int:pk>/", quotas.QuotaCheckItemEditView.as_view(), name="quotacheckitem_edit"),
    path("trainings/hours/", quotas.TrainingHoursView.as_view(), name="training_hours"),
    path("trainings/<int:pk>/attendance/", quotas.TrainingAttendanceView.as_view(), name="training_attendance"),
]

for _resource in RESOURCES:
    urlpatterns += _resource.urls()
