from django.apps import AppConfig


class FieldworkConfig(AppConfig):
    name = "xuncha.fieldwork"
    label = "fieldwork"
    verbose_name = "巡察方式方法"

    def ready(self):
        from xuncha.core.menu import MenuItem, register
        from xuncha.planning.panels import InspectionPanel, register_inspection_panel

        def records(inspection, user):
            from .selectors import method_tabs

            return sum(t["count"] or 0 for t in method_tabs(user, inspection))

        # One entry (a panel is keyed by its route): the hub has a tab per method.
        register_inspection_panel(InspectionPanel(
            "巡察方式方法", "fieldwork:inspection_hub", "fieldwork:talk:view", icon="briefcase", order=20,
            count=records, hint="听取汇报、个别谈话、信访举报、调阅资料、列席会议、走访下沉"))
        register_inspection_panel(InspectionPanel(
            "信访举报二维码", "fieldwork:inspection_intake", "fieldwork:petition:add", icon="qr-code", order=22,
            hint="生成、暂停或更换本组在线受理二维码"))

        register("巡察工作", icon="briefcase", order=30, items=[
            MenuItem("巡察工作台", "fieldwork:inspection_index", "fieldwork:talk:view", "briefcase"),
            MenuItem("听取汇报", "fieldwork:hearingreport_list", "fieldwork:hearingreport:view", "mic"),
            MenuItem("个别谈话", "fieldwork:talk_list", "fieldwork:talk:view", "chat-left-text"),
            MenuItem("信访举报", "fieldwork:petition_list", "fieldwork:petition:view", "envelope-paper"),
            MenuItem("调阅清单", "fieldwork:documentrequest_list", "fieldwork:documentrequest:view", "folder2-open"),
            MenuItem("列席会议", "fieldwork:meetingattendance_list", "fieldwork:meetingattendance:view", "people"),
            MenuItem("走访下沉", "fieldwork:visit_list", "fieldwork:visit:view", "geo-alt"),
        ])
