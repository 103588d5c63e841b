from .resources import RESOURCES

app_name = "org"

urlpatterns = [pattern for resource in RESOURCES for pattern in resource.urls()]
