from django.urls import path

from .resources import RESOURCES
from .views import analysis, inspections, linkage, plans, rounds

app_name = "planning"

urlpatterns = [pattern for resource in RESOURCES for pattern in resource.urls()] + [
    # Five-year plans: targets, elevation, coverage, ledger, proposals.
    path("plans/<int:pk>/targets/add/", plans.PlanTargetAddView.as_view(), name="plan_target_add"),
    path("plans/<int:pk>/targets/populate/", plans.PlanPopulateView.as_view(), name="plan_populate"),
    path("plans/<int:pk>/elevate/", plans.PlanElevateView.as_view(), name="plan_elevate"),
    path("plans/<int:pk>/coverage/", plans.PlanCoverageView.as_view(), name="plan_coverage"),
    path("plans/<int:pk>/ledger/", plans.PlanLedgerView.as_view(), name="plan_ledger"),
    path("plans/<int:pk>/propose/", plans.PlanProposeView.as_view(), name="plan_propose"),
    path("targets/<int:pk>/edit/", plans.PlanTargetEditView.as_view(), name="plantarget_edit"),
    path("targets/<int:pk>/delete/", plans.PlanTargetDeleteView.as_view(), name="plantarget_delete"),
    path("proposals/<int:pk>/", plans.ProposalDetailView.as_view(), name="proposal_detail"),
    path("proposals/<int:pk>/accept/", plans.ProposalAcceptView.as_view(), name="proposal_accept"),
    path("proposals/<int:pk>/reject/", plans.ProposalRejectView.as_view(), name="proposal_reject"),
    path("coverage/", plans.CoverageOverviewView.as_view(), name="coverage_overview"),
    # Annual plans and rounds.
    path("annualplans/<int:pk>/rounds/add/", rounds.RoundAddView.as_view(), name="annualplan_round_add"),
    path("annualplans/<int:pk>/document/", rounds.AnnualPlanDocumentView.as_view(), name="annualplan_document"),
    path("rounds/", rounds.RoundListView.as_view(), name="round_list"),
    path("rounds/<int:pk>/", rounds.RoundDetailView.as_view(), name="round_detail"),
    path("rounds/<int:pk>/edit/", rounds.RoundEditView.as_view(), name="round_edit"),
    path("rounds/<int:pk>/delete/", rounds.RoundDeleteView.as_view(), name="round_delete"),
    path("rounds/<int:pk>/start/", rounds.RoundStartView.as_view(), name="round_start"),
    path("rounds/<int:pk>/finish/", rounds.RoundFinishView.as_view(), name="round_finish"),
    path("rounds/<int:pk>/document/", rounds.RoundDocumentView.as_view(), name="round_document"),
    path("rounds/<int:pk>/groups/add/", rounds.RoundGroupAddView.as_view(), name="round_group_add"),
    path("rounds/<int:pk>/inspections/add/", inspections.InspectionAddView.as_view(), name="round_inspection_add"),
    path("groups/<int:pk>/delete/", rounds.GroupDeleteView.as_view(), name="inspectiongroup_delete"),
    # Inspections and their stages; horizontal checks.
    path("inspections/", inspections.InspectionListView.as_view(), name="inspection_list"),
    path("inspections/<int:pk>/", inspections.InspectionDetailView.as_view(), name="inspection_detail"),
    path("inspections/<int:pk>/edit/", inspections.InspectionEditView.as_view(), name="inspection_edit"),
    path("inspections/<int:pk>/delete/", inspections.InspectionDeleteView.as_view(), name="inspection_delete"),
    path("inspections/<int:pk>/transition/", inspections.InspectionTransitionView.as_view(),
         name="inspection_transition"),
    path("inspections/<int:pk>/checks/add/", inspections.CheckAddView.as_view(), name="inspection_check_add"),
    path("checks/<int:pk>/edit/", inspections.CheckEditView.as_view(), name="horizontalcheck_edit"),
    path("checks/<int:pk>/result/", inspections.CheckResultView.as_view(), name="horizontalcheck_result"),
    path("checks/<int:pk>/file/", inspections.CheckFileView.as_view(), name="horizontalcheck_file"),
    # City–county linkage.
    path("joint/", linkage.JointRoundListView.as_view(), name="jointround_list"),
    path("joint/add/", linkage.JointRoundAddView.as_view(), name="jointround_add"),
    path("joint/<int:pk>/", linkage.JointRoundDetailView.as_view(), name="jointround_detail"),
    path("joint/<int:pk>/edit/", linkage.JointRoundEditView.as_view(), name="jointround_edit"),
    path("joint/<int:pk>/link/", linkage.JointRoundLinkView.as_view(), name="jointround_link"),
    path("joint/<int:pk>/unlink/", linkage.JointRoundUnlinkView.as_view(), name="jointround_unlink"),
    path("joint/<int:pk>/review/", linkage.JointRoundReviewView.as_view(), name="jointround_review"),
    # Analysis.
    path("priority/", analysis.PriorityRankingView.as_view(), name="priority_ranking"),
    path("priority/weights/", analysis.PriorityWeightsView.as_view(), name="priority_weights"),
    path("alignment/", analysis.AlignmentView.as_view(), name="alignment"),
]
