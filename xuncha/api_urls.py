"""/api/: the REST API with its OpenAPI schema; every route is scoped like the pages."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from xuncha.accounts.api import ObtainTokenView
from xuncha.dupcheck.api import register_routes as register_dupcheck
from xuncha.fieldwork.api import register_routes as register_fieldwork
from xuncha.findings.api import register_routes as register_findings
from xuncha.indicators.api import register_routes as register_indicators
from xuncha.org.api import CadreViewSet, RegionViewSet, UnitViewSet
from xuncha.planning.api import register_routes as register_planning
from xuncha.rectification.api import register_routes as register_rectification
from xuncha.reporting.api import register_routes as register_reporting
from xuncha.surveys.api import register_routes as register_surveys
from xuncha.teams.api import register_routes as register_teams

router = DefaultRouter()
router.register("regions", RegionViewSet, basename="region")
router.register("units", UnitViewSet, basename="unit")
router.register("cadres", CadreViewSet, basename="cadre")
register_planning(router)
register_dupcheck(router)
register_teams(router)
register_indicators(router)
register_fieldwork(router)
register_surveys(router)
register_findings(router)
register_reporting(router)
register_rectification(router)

urlpatterns = [
    path("", include(router.urls)),
    path("auth/token/", ObtainTokenView.as_view(), name="token"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
]
