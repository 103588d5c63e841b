from django.urls import path

from .views import archive, feedback, reports

app_name = "reporting"

urlpatterns = [
    # The inspection report and the unified review (统一把关).
    path("reports/", reports.ReportListView.as_view(), name="report_list"),
    path("inspections/<int:pk>/report/", reports.InspectionReportView.as_view(), name="inspection_report"),
    path("inspections/<int:pk>/report/generate/", reports.ReportGenerateView.as_view(),
         name="inspection_report_generate"),
    path("reports/<int:pk>/edit/", reports.ReportEditView.as_view(), name="report_edit"),
    path("reports/<int:pk>/upload/", reports.ReportUploadView.as_view(), name="report_upload"),
    path("reports/<int:pk>/submit/", reports.ReportSubmitView.as_view(), name="report_submit"),
    path("reports/<int:pk>/comment/", reports.ReportCommentView.as_view(), name="report_comment"),
    path("reports/<int:pk>/return/", reports.ReportReturnView.as_view(), name="report_return"),
    path("reports/<int:pk>/approve/", reports.ReportApproveView.as_view(), name="report_approve"),
    path("report-versions/<int:pk>/download/", reports.ReportVersionDownloadView.as_view(),
         name="reportversion_download"),
    path("review/", reports.ReviewRoundsView.as_view(), name="review_rounds"),
    path("review/rounds/<int:pk>/", reports.RoundReviewView.as_view(), name="round_review"),
    # Feedback, its meeting, and the liaison's page.
    path("feedback/", feedback.FeedbackListView.as_view(), name="feedback_list"),
    path("my-feedback/", feedback.MyFeedbackView.as_view(), name="my_feedback"),
    path("inspections/<int:pk>/feedback/", feedback.InspectionFeedbackView.as_view(), name="inspection_feedback"),
    path("inspections/<int:pk>/feedback/generate/", feedback.FeedbackGenerateView.as_view(),
         name="inspection_feedback_generate"),
    path("feedback/<int:pk>/", feedback.FeedbackDetailView.as_view(), name="feedback_detail"),
    path("feedback/<int:pk>/upload/", feedback.FeedbackUploadView.as_view(), name="feedback_upload"),
    path("feedback/<int:pk>/issue/", feedback.FeedbackIssueView.as_view(), name="feedback_issue"),
    path("feedback/<int:pk>/download/", feedback.FeedbackDownloadView.as_view(), name="feedback_download"),
    path("feedback-versions/<int:pk>/download/", feedback.FeedbackVersionDownloadView.as_view(),
         name="feedbackversion_download"),
    path("feedback/<int:pk>/meetings/add/", feedback.MeetingAddView.as_view(), name="feedback_meeting_add"),
    path("meetings/<int:pk>/edit/", feedback.MeetingEditView.as_view(), name="feedbackmeeting_edit"),
    path("meetings/<int:pk>/delete/", feedback.MeetingDeleteView.as_view(), name="feedbackmeeting_delete"),
    path("meetings/<int:pk>/file/", feedback.MeetingFileView.as_view(), name="feedbackmeeting_file"),
    # 立卷归档.
    path("archive/", archive.ArchiveListView.as_view(), name="archive_list"),
    path("inspections/<int:pk>/archive/", archive.InspectionArchiveView.as_view(), name="inspection_archive"),
    path("inspections/<int:pk>/archive/open/", archive.ArchiveOpenView.as_view(), name="inspection_archive_open"),
    path("archive/<int:pk>/edit/", archive.ArchiveEditView.as_view(), name="archivechecklist_edit"),
    path("archive/<int:pk>/export/", archive.ArchiveExportView.as_view(), name="archivechecklist_export"),
    path("archive-items/<int:pk>/tick/", archive.ArchiveItemTickView.as_view(), name="archiveitem_tick"),
    path("archive-jobs/<int:pk>/", archive.ArchiveJobView.as_view(), name="archivejob_detail"),
    path("archive-jobs/<int:pk>/download/", archive.ArchiveJobDownloadView.as_view(), name="archivejob_download"),
]
