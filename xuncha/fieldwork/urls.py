from django.urls import path

from . import views
from .resources import RESOURCES

app_name = "fieldwork"

urlpatterns = [pattern for resource in RESOURCES for pattern in views.record_urls(resource)] + [
    path("inspections/", views.InspectionIndexView.as_view(), name="inspection_index"),
    path("inspections/<int:pk>/", views.InspectionHubView.as_view(), name="inspection_hub"),
    path("inspections/<int:pk>/intake/", views.IntakeChannelView.as_view(), name="inspection_intake"),
    path("inspections/<int:pk>/intake/qr.svg", views.IntakeQrView.as_view(), name="inspection_intake_qr"),
    path("inspections/<int:pk>/talk-plan/", views.TalkPlanDocumentView.as_view(), name="inspection_talkplan"),
    path("talks/<int:pk>/document/", views.TalkDocumentView.as_view(), name="talk_word"),
    path("petitions/<int:pk>/handle/", views.PetitionHandleView.as_view(), name="petition_handle"),
    # Named “…_detail” so that the operation log records every opening (a logged read), without
    # parameters or the petition's id (the view's log_params = False).
    path("petitions/<int:pk>/reporter/", views.PetitionReporterView.as_view(), name="petitionreporter_detail"),
    path("documentrequests/<int:pk>/items/", views.DocumentRequestItemView.as_view(), name="documentrequest_item"),
    # Public (no login): the page behind the QR code.
    path("intake/<str:code>/", views.PublicIntakeView.as_view(), name="intake"),
]
