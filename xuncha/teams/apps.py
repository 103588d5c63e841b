from django.apps import AppConfig


class TeamsConfig(AppConfig):
    name = "xuncha.teams"
    label = "teams"
    verbose_name = "巡察队伍"

    def ready(self):
        from xuncha.core.menu import MenuItem, register

        register("巡察队伍", icon="people", order=25, items=[
            MenuItem("巡察组组建", "teams:round_list", "teams:member:view", "people-fill"),
            MenuItem("组长库和人才库", "teams:pool_list", "teams:pool:view", "person-vcard"),
            MenuItem("人员考核", "teams:evaluation_rounds", "teams:evaluation:view", "award"),
            MenuItem("回避申请", "teams:declaration_list", "teams:recusal:view", "slash-circle"),
            MenuItem("回避审查", "teams:recusal_check", "teams:recusal:view", "shield-exclamation"),
            MenuItem("交叉巡察", "teams:crossplan_list", "teams:cross:view", "shuffle"),
            MenuItem("人员抽调", "teams:secondment_list", "teams:secondment:view", "box-arrow-in-right"),
            MenuItem("到期提醒", "teams:reminder_list", "teams:reminder:view", "bell"),
            MenuItem("承诺书", "teams:pledge_overview", "teams:pledge:view", "pen"),
            MenuItem("荣誉证书", "teams:honour_list", "teams:honour:view", "trophy"),
            MenuItem("编制管理", "teams:quota_list", "teams:quota:view", "diagram-3"),
            MenuItem("编制落实检查", "teams:quotacheck_list", "teams:quotacheck:view", "clipboard-data"),
            MenuItem("培训", "teams:training_list", "teams:training:view", "mortarboard"),
        ])
