from django.apps import AppConfig


class TeamsConfig(AppConfig):
    name = "xuncha.teams"
    label = "teams"
    verbose_name = "巡察队伍"
