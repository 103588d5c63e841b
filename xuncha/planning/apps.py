from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "xuncha.planning"
    label = "planning"
    verbose_name = "巡察规划"

    def ready(self):
        from xuncha.core.menu import MenuItem, register
        from xuncha.core.scoping import register_scope_rule
        from xuncha.org.models import Cadre, Unit

        from .rules import cadre_group_rule, unit_group_rule

        # A group's grant reaches the units its inspections target and their cadres, nothing else of org.
        register_scope_rule(Unit, "group", unit_group_rule)
        register_scope_rule(Cadre, "group", cadre_group_rule)

        register("巡察规划", icon="calendar3", order=20, items=[
            MenuItem("五年规划", "planning:plan_list", "planning:plan:view", "calendar-range"),
            MenuItem("覆盖情况", "planning:coverage_overview", "planning:plan:view", "pie-chart"),
            MenuItem("年度计划", "planning:annualplan_list", "planning:annualplan:view", "calendar-check"),
            MenuItem("巡察轮次", "planning:round_list", "planning:round:view", "arrow-repeat"),
            MenuItem("巡察任务", "planning:inspection_list", "planning:inspection:view", "clipboard-check"),
            MenuItem("上下联动", "planning:jointround_list", "planning:jointround:view", "diagram-2"),
            MenuItem("规划对标", "planning:alignment", "planning:plan:view", "layout-three-columns"),
            MenuItem("重点对象排序", "planning:priority_ranking", "planning:priority:view", "sort-down"),
            MenuItem("单位风险信息", "planning:riskinput_list", "planning:riskinput:view", "exclamation-diamond"),
        ])
