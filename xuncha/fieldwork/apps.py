from django.apps import AppConfig


class FieldworkConfig(AppConfig):
    name = "xuncha.fieldwork"
    label = "fieldwork"
    verbose_name = "巡察方式方法"

    def ready(self):
        from xuncha.core.menu import MenuItem, register

        register("巡察工作", icon="briefcase", order=30, items=[
            MenuItem("巡察工作台", "fieldwork:inspection_index", "fieldwork:talk:view", "briefcase"),
            MenuItem("听取汇报", "fieldwork:hearingreport_list", "fieldwork:hearingreport:view", "mic"),
            MenuItem("个别谈话", "fieldwork:talk_list", "fieldwork:talk:view", "chat-left-text"),
            MenuItem("信访举报", "fieldwork:petition_list", "fieldwork:petition:view", "envelope-paper"),
            MenuItem("调阅清单", "fieldwork:documentrequest_list", "fieldwork:documentrequest:view", "folder2-open"),
            MenuItem("列席会议", "fieldwork:meetingattendance_list", "fieldwork:meetingattendance:view", "people"),
            MenuItem("走访下沉", "fieldwork:visit_list", "fieldwork:visit:view", "geo-alt"),
        ])
