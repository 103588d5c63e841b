from django.apps import AppConfig


class FindingsConfig(AppConfig):
    name = "xuncha.findings"
    label = "findings"
    verbose_name = "问题底稿与问题线索"
