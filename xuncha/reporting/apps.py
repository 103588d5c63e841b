from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "xuncha.reporting"
    label = "reporting"
    verbose_name = "巡察报告、反馈与归档"
