from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "xuncha.indicators"
    label = "indicators"
    verbose_name = "巡察指标体系"
