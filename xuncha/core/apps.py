from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "xuncha.core"
    label = "core"
    verbose_name = "基础平台"

    def ready(self):
        from .menu import MenuItem, register
        from .permissions import load_app_permissions

        load_app_permissions()

        register("系统管理", icon="gear", order=90, items=[
            MenuItem("数据字典", "core:dictionary_list", "core:dictionary:view", "book"),
        ])
        register("安全审计", icon="shield-check", order=95, items=[
            MenuItem("操作日志", "core:operationlog_list", "core:operationlog:view", "journal-text"),
            MenuItem("登录日志", "core:loginlog_list", "core:loginlog:view", "door-open"),
        ])
