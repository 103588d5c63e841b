from django.apps import AppConfig


class DupcheckConfig(AppConfig):
    name = "xuncha.dupcheck"
    label = "dupcheck"
    verbose_name = "述职述廉报告雷同检测"
