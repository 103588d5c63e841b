app_name = "dupcheck"

urlpatterns: list = []
