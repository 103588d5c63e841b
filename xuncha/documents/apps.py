from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "xuncha.documents"
    label = "documents"
    verbose_name = "公文与台账"
