"""Build the surveys demo data: `manage.py surveys_demo [--seed 1] [--if-empty] [--base-url URL]`
(after `demo_data` and `planning_demo`)."""

from django.core.management.base import BaseCommand, CommandError

from xuncha.surveys.models import Survey


class Command(BaseCommand):
    help = "生成民主测评与问卷调查演示数据（一项已结束的民主测评、一项进行中的问卷），须先运行 demo_data 和 planning_demo。"

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1, help="随机种子：相同种子生成相同的答卷分布")
        parser.add_argument("--if-empty", action="store_true", help="已有测评数据时跳过")
        parser.add_argument("--base-url", default="http://127.0.0.1:8000", help="输出演示答题链接时使用的网址前缀")

    def handle(self, *args, seed, if_empty, base_url, **options):
        from xuncha.surveys.demo import build_surveys_demo

        if Survey.all_objects.exists():
            if if_empty:
                self.stdout.write("已有民主测评与问卷数据，跳过。")
                return
            raise CommandError("已有民主测评与问卷数据。请使用新的演示数据库，或加 --if-empty 跳过。")
        try:
            summary = build_surveys_demo(seed=seed, base_url=base_url)
        except LookupError as error:
            raise CommandError(str(error)) from error
        inspection = summary["inspection"]
        self.stdout.write(self.style.SUCCESS(
            f"民主测评演示数据已生成（{inspection.authority.name}·{inspection}）：已结束的“{summary['closed'].title}”"
            f"收回答卷 {summary['answers']} 份；进行中的“{summary['open'].title}”已发放答题码 30 份。"
            f"可用 {summary['actor']} 或 city_office 登录查看。"))
        self.stdout.write(f"演示答题链接（未使用，可在手机上打开作答一次）：{summary['link']}")
