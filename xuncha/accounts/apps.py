from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "xuncha.accounts"
    label = "accounts"
    verbose_name = "用户与权限"

    def ready(self):
        from xuncha.core.menu import MenuItem, register

        register("系统管理", icon="gear", order=90, items=[
            MenuItem("用户管理", "accounts:user_list", "accounts:user:view", "people"),
            MenuItem("角色权限", "accounts:role_list", "accounts:role:view", "person-badge"),
        ])
