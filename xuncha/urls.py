from django.urls import include, path

urlpatterns = [
    path("", include("xuncha.core.urls")),
    path("accounts/", include("xuncha.accounts.urls")),
    path("org/", include("xuncha.org.urls")),
    path("planning/", include("xuncha.planning.urls")),
    path("dupcheck/", include("xuncha.dupcheck.urls")),
    path("teams/", include("xuncha.teams.urls")),
    path("indicators/", include("xuncha.indicators.urls")),
    path("fieldwork/", include("xuncha.fieldwork.urls")),
    path("surveys/", include("xuncha.surveys.urls")),
    path("findings/", include("xuncha.findings.urls")),
    path("reporting/", include("xuncha.reporting.urls")),
    path("rectification/", include("xuncha.rectification.urls")),
    path("api/", include(("xuncha.api_urls", "api"), namespace="api")),
]

handler403 = "xuncha.core.views.permission_denied"
handler404 = "xuncha.core.views.page_not_found"
handler500 = "xuncha.core.views.server_error"
