from django.urls import path

from . import views as v

app_name = "findings"

urlpatterns = [
    # Problems: the list across inspections (问题清单) and one inspection's drafts and list.
    path("problems/", v.ProblemListView.as_view(), name="problem_list"),
    path("problems/export/", v.ProblemExportView.as_view(), name="problem_export"),
    path("inspections/<int:pk>/problems/", v.ProblemListView.as_view(), name="inspection_problems"),
    path("inspections/<int:pk>/problems/export/", v.ProblemExportView.as_view(), name="inspection_problems_export"),
    path("inspections/<int:pk>/problems/add/", v.ProblemAddView.as_view(), name="inspection_problem_add"),
    path("problems/<int:pk>/", v.ProblemDetailView.as_view(), name="problem_detail"),
    path("problems/<int:pk>/edit/", v.ProblemEditView.as_view(), name="problem_edit"),
    path("problems/<int:pk>/delete/", v.ProblemDeleteView.as_view(), name="problem_delete"),
    path("problems/<int:pk>/transition/", v.ProblemTransitionView.as_view(), name="problem_transition"),
    path("problems/<int:pk>/history/", v.ProblemHistoryView.as_view(), name="problem_history"),
    path("problems/<int:pk>/file/", v.ProblemFileView.as_view(), name="problem_file"),
    # Clues (secret pages: no parameters in the operation log).
    path("clues/", v.ClueListView.as_view(), name="clue_list"),
    path("inspections/<int:pk>/clues/", v.ClueListView.as_view(), name="inspection_clues"),
    path("inspections/<int:pk>/clues/add/", v.ClueAddView.as_view(), name="inspection_clue_add"),
    path("inspections/<int:pk>/transfers/add/", v.TransferAddView.as_view(), name="inspection_transfer_add"),
    path("clues/<int:pk>/", v.ClueDetailView.as_view(), name="clue_detail"),
    path("clues/<int:pk>/edit/", v.ClueEditView.as_view(), name="clue_edit"),
    path("clues/<int:pk>/delete/", v.ClueDeleteView.as_view(), name="clue_delete"),
    path("clues/<int:pk>/history/", v.ClueHistoryView.as_view(), name="clue_history"),
    path("clues/<int:pk>/file/", v.ClueFileView.as_view(), name="clue_file"),
    path("clues/<int:pk>/dispose/", v.ClueDisposeView.as_view(), name="clue_dispose"),
    path("transfers/", v.TransferListView.as_view(), name="cluetransfer_list"),
    path("transfers/<int:pk>/", v.TransferDetailView.as_view(), name="cluetransfer_detail"),
    path("transfers/<int:pk>/letter/", v.TransferLetterView.as_view(), name="cluetransfer_letter"),
    path("reminders/", v.ReminderListView.as_view(), name="cluereminder_list"),
    path("reminders/<int:pk>/handle/", v.ReminderHandleView.as_view(), name="cluereminder_handle"),
]
