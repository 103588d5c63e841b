"""Demo reports for the duplicate check: `manage.py dupcheck_demo [--user county_office] [--if-empty]`.

Uploads generated .docx reports (textsim.synthetic) for the cadres of one unit through the real upload
service, including a report re-used the next year with one paragraph rewritten and a democratic-life-
meeting material copied by a colleague, then runs one batch scan so the result pages have content.
"""

from __future__ import annotations

import random

from django.core.management.base import BaseCommand, CommandError

from textsim.synthetic import edit_paragraph, make_report, make_self_criticism, move_paragraphs, shift_year
from xuncha.accounts.models import User
from xuncha.core.scoping import has_perm
from xuncha.dupcheck import services
from xuncha.dupcheck.choices import KIND_DEBRIEFING, KIND_SELF_CRITICISM
from xuncha.dupcheck.demo import docx_upload
from xuncha.dupcheck.models import Document
from xuncha.org.models import Cadre, Unit


class Command(BaseCommand):
    help = "生成报告雷同检测的演示材料（含“年份改了内容没改”的述职述廉报告和相互抄袭的对照检查材料）。"

    def add_arguments(self, parser):
        parser.add_argument("--user", default="county_office", help="以哪个账号上传（需有上传和检测权限）")
        parser.add_argument("--unit", default="", help="单位名称（默认：该账号范围内干部最多的单位）")
        parser.add_argument("--seed", type=int, default=2024)
        parser.add_argument("--if-empty", action="store_true", help="已有材料时跳过")

    def handle(self, *args, user, unit, seed, if_empty, **options):
        if Document.all_objects.exists():
            if if_empty:
                self.stdout.write("已有雷同检测材料，跳过演示材料生成。")
                return
            raise CommandError("已有雷同检测材料。请使用空数据库，或加 --if-empty 跳过。")
        actor = User.objects.filter(username=user).first()
        if actor is None or not (has_perm(actor, "dupcheck:document:add") and has_perm(actor, "dupcheck:scan:add")):
            raise CommandError(f"账号“{user}”不存在或没有上传和检测报告材料的权限（请先运行 manage.py demo_data）。")
        cadres_in_scope = Cadre.objects.for_user_perm(actor, "dupcheck:document:add")
        units = Unit.objects.for_user_perm(actor, "dupcheck:document:add")
        target = units.filter(name=unit).first() if unit else None
        if target is None:
            ranked = sorted(units, key=lambda u: -cadres_in_scope.filter(unit=u).count())[:1]
            target = ranked[0] if ranked else None
        cadres = list(cadres_in_scope.filter(unit=target).order_by("pk")[:8]) if target else []
        if len(cadres) < 4:
            raise CommandError("找不到至少有 4 名干部的单位，无法生成演示材料。")
        rng = random.Random(seed)
        count = 0

        def upload(cadre, year, kind, text, meeting=""):
            # Outside a transaction the upload's own check runs as soon as the upload commits.
            nonlocal count
            label = "述职述廉报告" if kind == KIND_DEBRIEFING else "民主生活会对照检查材料"
            services.document_upload(actor=actor, upload=docx_upload(f"{cadre.name}{year}年度{label}.docx", text),
                                     unit=target, cadre=cadre, year=year, kind=kind, meeting=meeting)
            count += 1

        # 述职述廉报告 for two years; the first cadre re-uses 2023 in 2024 with one paragraph rewritten.
        for i, cadre in enumerate(cadres):
            r2023 = make_report(rng, 2023, name=cadre.name, target_chars=1800)
            upload(cadre, 2023, KIND_DEBRIEFING, r2023)
            if i == 0:
                r2024 = edit_paragraph(shift_year(r2023, 2023, 2024), rng, index=3)
            elif i == 1:
                r2024 = move_paragraphs(shift_year(r2023, 2023, 2024), rng)  # re-ordered, still the same
            else:
                r2024 = make_report(rng, 2024, name=cadre.name, target_chars=1800)
            upload(cadre, 2024, KIND_DEBRIEFING, r2024)
        # 民主生活会对照检查材料 of one meeting; the third cadre copies the second's.
        meeting = f"2024年度{target.name}领导班子民主生活会"
        source = make_self_criticism(rng, 2024, name=cadres[1].name)
        for i, cadre in enumerate(cadres[:5]):
            if i == 2:
                text = source.replace(cadres[1].name, cadre.name)
            elif i == 1:
                text = source
            else:
                text = make_self_criticism(rng, 2024, name=cadre.name)
            upload(cadre, 2024, KIND_SELF_CRITICISM, text, meeting)
        mine = Document.objects.filter(unit=target)
        scans = [services.scan_start(actor=actor, mode="cadre", documents=mine.filter(year=2024, kind=KIND_DEBRIEFING),
                                     criteria={"year": 2024, "kind": KIND_DEBRIEFING}),
                 services.scan_start(actor=actor, mode="team", documents=mine.filter(meeting=meeting),
                                     criteria={"meeting": meeting})]
        self.stdout.write(self.style.SUCCESS(
            f"已为“{target.name}”上传 {count} 份演示材料，并发起 {len(scans)} 次批量检测"
            f"（本人往年材料比对、同一会议成员间比对）。"))
        self.stdout.write(f"以 {user} 登录后打开“巡察工作 → 报告雷同检测”查看。")
