"""/api/: the REST API with its OpenAPI schema; every route is scoped like the pages."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from xuncha.accounts.api import ObtainTokenView
from xuncha.dupcheck.api import register_routes as register_dupcheck
from xuncha.org.api import CadreViewSet, RegionViewSet, UnitViewSet
from xuncha.planning.api import register_routes as register_planning
from xuncha.teams.api import register_routes as register_teams

router = DefaultRouter()
router.register("regions", RegionViewSet, basename="region")
router.register("units", UnitViewSet, basename="unit")
router.register("cadres", CadreViewSet, basename="cadre")
register_planning(router)
register_dupcheck(router)
register_teams(router)

urlpatterns = [
    path("", include(router.urls)),
    path("auth/token/", ObtainTokenView.as_view(), name="token"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
]
