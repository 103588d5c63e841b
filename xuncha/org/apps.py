from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "xuncha.org"
    label = "org"
    verbose_name = "组织机构"

    def ready(self):
        from xuncha.core.menu import MenuItem, register

        register("组织机构", icon="diagram-3", order=10, items=[
            MenuItem("区域", "org:region_list", "org:region:view", "geo-alt"),
            MenuItem("被巡察对象", "org:unit_list", "org:unit:view", "building"),
            MenuItem("干部", "org:cadre_list", "org:cadre:view", "person-vcard"),
        ])
