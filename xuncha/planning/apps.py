from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "xuncha.planning"
    label = "planning"
    verbose_name = "巡察规划"
