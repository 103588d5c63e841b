"""Synthetic 述职述廉报告 and 民主生活会对照检查材料 for tests and benchmarks.

Texts are assembled from phrase banks typical of party-building reports, with
per-document slots (place, unit, numbers, work items) so that independently
generated documents share stock phrases but little else — like real ones.
Everything is deterministic for a given ``random.Random``.
"""

from __future__ import annotations

import random
import re

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏建国志宏斌海波辉峰俊凯晨浩宇欣怡文博晓东立新春林永庆德胜安福荣卫民学成海燕丹"
PLACES = ["城东区", "城西区", "高新区", "经开区", "滨江区", "清河县", "临川县", "望城县", "安平县", "永兴县",
          "青山区", "白沙县", "新港区", "河西区", "北塘区", "南湖区", "长宁县", "松阳县", "桃源县", "石门县",
          "云溪区", "武陵区", "龙泉县", "凤凰县", "金沙县", "平江县", "宁乡市", "浏阳市", "醴陵市", "湘乡市"]
UNIT_TYPES = ["发展和改革局", "财政局", "住房和城乡建设局", "农业农村局", "自然资源局", "生态环境局", "交通运输局",
              "市场监督管理局", "卫生健康局", "教育局", "人力资源和社会保障局", "商务局", "水利局", "应急管理局",
              "民政局", "文化旅游广电局", "城市管理局", "行政审批服务局", "统计局", "审计局"]
POSITIONS = ["党组书记、局长", "党组成员、副局长", "副局长", "党组成员、纪检监察组组长", "总工程师", "办公室主任",
             "二级调研员", "四级调研员", "党组副书记、副局长", "科长"]

STUDY = [
    "坚持把学习贯彻习近平新时代中国特色社会主义思想作为首要政治任务",
    "认真学习党的二十大报告和新修订的党章",
    "深刻领悟“两个确立”的决定性意义",
    "不断增强“四个意识”、坚定“四个自信”、做到“两个维护”",
    "及时跟进学习习近平总书记重要讲话和重要指示批示精神",
    "通过“三会一课”、主题党日等形式开展集中学习",
    "坚持每日登录“学习强国”平台自学",
    "认真参加理论学习中心组专题学习",
    "深入学习《习近平著作选读》等重要篇目",
    "把学习成果转化为推动工作的实际成效",
    "主动到联系点讲授专题党课",
    "带着问题学、联系实际学",
]
STUDY_SLOTS = [
    "全年参加中心组学习{n}次，撰写心得体会{m}篇",
    "围绕{topic}开展专题研讨{n}次，作交流发言{m}次",
    "到{place}{site}讲授专题党课{n}次",
    "组织分管科室开展{topic}学习{n}次",
]
TOPICS = ["高质量发展", "优化营商环境", "乡村全面振兴", "安全生产", "生态文明建设", "基层治理", "作风建设",
          "数字政府建设", "民生保障", "防范化解重大风险", "调查研究", "党纪学习教育"]
SITES = ["联系村", "联系社区", "基层党支部", "帮扶企业", "网格站点", "项目工地"]

WORK_VERBS = ["牵头推进", "统筹抓好", "协调解决", "组织开展", "扎实推进", "认真落实", "持续深化", "积极推动",
              "督促指导", "全力保障", "具体负责", "跟踪督办"]
WORK_OBJECTS = ["重点项目建设", "营商环境优化提升", "安全生产大检查", "乡村振兴重点任务", "基层党组织标准化建设",
                "信访积案化解", "项目审批提速", "民生实事项目", "城乡环境综合整治", "预算绩效管理", "国有资产清查",
                "政务服务数字化转型", "高层次人才引进", "防汛抗旱准备", "招商引资", "老旧小区改造",
                "农村人居环境整治", "重大风险隐患排查", "企业纾困解难", "耕地保护专项整治", "河湖长制落实",
                "食品安全监管", "校园安全管理", "就业创业服务", "社会救助兜底保障", "文明城市创建"]
WORK_RESULTS = ["累计完成投资{n}.{m}亿元", "帮助企业解决困难问题{n}个", "办结群众诉求{n}件", "同比增长{m}.{n}%",
                "排查整改隐患{n}处", "走访群众{n}户", "新增就业岗位{n}个", "审批时限压缩{m}个工作日",
                "完成年度目标任务的{p}%", "争取上级资金{n}万元", "化解矛盾纠纷{n}起", "开展督查{m}轮次"]
PARTY = [
    "认真履行“一岗双责”",
    "与分管科室负责人签订党风廉政建设责任书",
    "定期听取分管领域党风廉政建设情况汇报",
    "坚持把纪律和规矩挺在前面",
    "把全面从严治党要求融入业务工作全过程",
    "督促分管科室健全完善内控制度",
    "对苗头性、倾向性问题早发现、早提醒、早纠正",
    "认真落实意识形态工作责任制",
]
PARTY_SLOTS = ["开展廉政谈话{n}人次", "督促整改问题{n}个", "修订完善制度{m}项", "开展廉政风险点排查{m}次"]
INTEGRITY = [
    "严格遵守中央八项规定及其实施细则精神",
    "从不收受管理服务对象的礼品礼金",
    "不违规操办婚丧喜庆事宜",
    "如实报告个人有关事项",
    "从未利用职务便利为亲友谋取私利",
    "公务用车严格按规定使用",
    "管好配偶子女和身边工作人员",
    "自觉净化社交圈、生活圈、朋友圈",
    "始终做到自重、自省、自警、自励",
    "带头厉行勤俭节约、反对铺张浪费",
]
PROBLEMS = [
    "理论学习的系统性还不够强，有时存在以干代学的情况",
    "学用结合不够紧密，运用理论指导实践的能力还需提升",
    "调查研究不够深入，有时满足于听汇报、看材料",
    "工作创新意识不强，习惯于按老办法办事",
    "对分管领域的监督管理还存在宽松软现象",
    "抓落实的力度有待加强，个别工作推进不够及时",
    "面对复杂矛盾有时存在畏难情绪",
    "联系服务群众还不够经常，深入基层一线的次数偏少",
    "批评与自我批评开展得不够经常，有时碍于情面",
    "廉洁风险防控的前瞻性不够，教育提醒针对性不强",
]
PLANS = [
    "持续加强理论武装，不断提高政治判断力、政治领悟力、政治执行力",
    "进一步提升履职能力，确保各项工作落地见效",
    "坚决扛起管党治党政治责任，推动全面从严治党向纵深发展",
    "始终保持清正廉洁的政治本色，自觉接受组织和群众监督",
    "以更加饱满的精神状态推动各项工作再上新台阶",
    "聚焦{topic}，在{object}上持续用力",
    "深入开展调查研究，切实解决群众急难愁盼问题",
]
CONNECT = ["同时，", "此外，", "一方面，", "另一方面，", "在此基础上，", "特别是", "全年", "今年以来，", "工作中，", ""]


def random_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _fill(template: str, rng: random.Random, place: str) -> str:
    return template.format(
        n=rng.randint(2, 98), m=rng.randint(2, 19), p=rng.randint(101, 135),
        topic=rng.choice(TOPICS), place=place, site=rng.choice(SITES), object=rng.choice(WORK_OBJECTS),
    )


def _sentence(rng: random.Random, parts: list[str]) -> str:
    return rng.choice(CONNECT) + "，".join(parts) + "。"


def _work_sentence(rng: random.Random, place: str) -> str:
    obj = rng.choice(WORK_OBJECTS)
    parts = [f"{rng.choice(WORK_VERBS)}{place}{obj}" if rng.random() < 0.5 else f"{rng.choice(WORK_VERBS)}{obj}",
             _fill(rng.choice(WORK_RESULTS), rng, place)]
    if rng.random() < 0.6:
        parts.append(_fill(rng.choice(WORK_RESULTS), rng, place))
    return _sentence(rng, parts)


def _paragraph(rng: random.Random, bank: list[str], slots: list[str], place: str, n_sentences: int) -> str:
    out = []
    for _ in range(n_sentences):
        parts = [rng.choice(bank)]
        if slots and rng.random() < 0.7:
            parts.append(_fill(rng.choice(slots), rng, place))
        if rng.random() < 0.5:
            out.append(_work_sentence(rng, place))
        out.append(_sentence(rng, parts))
    return "".join(out)


def make_report(rng: random.Random, year: int = 2023, name: str | None = None,
                target_chars: int = 2000) -> str:
    """A 述职述廉报告 of roughly ``target_chars`` characters for ``year``."""
    name = name or random_name(rng)
    place = rng.choice(PLACES)
    unit = place + rng.choice(UNIT_TYPES)
    position = rng.choice(POSITIONS)
    sections = [
        ("一、加强理论学习，提高政治站位", STUDY, STUDY_SLOTS),
        ("二、聚焦主责主业，推动工作落实", [], []),
        ("三、落实全面从严治党责任", PARTY, PARTY_SLOTS),
        ("四、严守纪律规矩，保持廉洁本色", INTEGRITY, []),
    ]
    lines = [
        f"{year}年度述职述廉报告",
        f"姓名：{name}　　职务：{position}",
        f"单位：{unit}",
        "",
        f"　　{year}年，在局党组的坚强领导下，我认真履行{position.split('、')[-1]}职责，"
        f"紧紧围绕{place}中心工作，团结带领分管科室干部职工真抓实干。现将{year}年度履职尽责和廉洁自律情况报告如下：",
    ]
    per_section = max(1, target_chars // 700)
    for title, bank, slots in sections:
        lines.append(title)
        for _ in range(per_section):
            if bank:
                lines.append("　　" + _paragraph(rng, bank, slots, place, rng.randint(2, 3)))
            else:
                lines.append("　　" + "".join(_work_sentence(rng, place) for _ in range(rng.randint(3, 5))))
    lines.append("五、存在的问题和不足")
    picked = rng.sample(PROBLEMS, 3)
    lines.append("　　" + "".join(f"{cn}是{p}。" for cn, p in zip("一二三", picked, strict=True)))
    lines.append("六、下一步工作打算")
    plans = [_fill(p, rng, place) for p in rng.sample(PLANS, 3)]
    lines.append(f"　　{year + 1}年，我将" + "；".join(plans) + "。")
    lines.append(f"述职人：{name}")
    lines.append(f"{year}年12月{rng.randint(20, 30)}日")
    text = "\n".join(lines)
    while len(text) < target_chars * 0.9:  # top up the work section for long targets
        extra = "　　" + "".join(_work_sentence(rng, place) for _ in range(4))
        idx = lines.index("三、落实全面从严治党责任")
        lines.insert(idx, extra)
        text = "\n".join(lines)
    return text


def make_self_criticism(rng: random.Random, year: int = 2023, name: str | None = None) -> str:
    """A 民主生活会个人对照检查材料 of about 1,500 characters."""
    name = name or random_name(rng)
    place = rng.choice(PLACES)
    lines = [
        f"{year}年度民主生活会个人对照检查材料",
        f"姓名：{name}",
        "",
        f"　　按照{place}关于召开{year}年度民主生活会的通知要求，我认真学习规定篇目，广泛征求意见建议，"
        "深入开展谈心谈话，紧扣会议主题，查摆突出问题，深刻剖析根源，明确整改方向。现对照检查如下：",
        "一、存在的主要问题",
    ]
    for cn, problem in zip("一二三四", rng.sample(PROBLEMS, 4), strict=True):
        lines.append(f"　　（{cn}）{problem}。" + _paragraph(rng, STUDY + INTEGRITY, STUDY_SLOTS, place, 2))
    lines.append("二、问题产生的原因")
    lines.append("　　" + _paragraph(rng, STUDY + PARTY, PARTY_SLOTS, place, 3))
    lines.append("三、下一步整改措施")
    lines.append("　　" + _paragraph(rng, PLANS[:4] + INTEGRITY, [], place, 3))
    return "\n".join(lines)


_CN = "〇一二三四五六七八九"


def cn_year(year: int) -> str:
    """``2023`` → ``二〇二三``."""
    return "".join(_CN[int(d)] for d in str(year))


def shift_year(text: str, old: int, new: int) -> str:
    """Change every mention of ``old`` (and ``old + 1``) to ``new`` (and ``new + 1``), Arabic and Chinese."""
    def repl(m: re.Match[str]) -> str:
        return str(int(m.group(0)) - old + new)

    text = re.sub(rf"(?<!\d)(?:{old}|{old + 1})(?!\d)", repl, text)
    return text.replace(cn_year(old), cn_year(new))


def edit_paragraph(text: str, rng: random.Random, index: int | None = None) -> str:
    """Rewrite one body paragraph (a line starting with a full-width indent) completely."""
    lines = text.split("\n")
    body = [i for i, line in enumerate(lines) if line.startswith("　　")]
    i = body[index] if index is not None else rng.choice(body)
    lines[i] = "　　" + "".join(_work_sentence(rng, rng.choice(PLACES)) for _ in range(3))
    return "\n".join(lines)


def move_paragraphs(text: str, rng: random.Random) -> str:
    """Shuffle the order of the body paragraphs (headings and header stay)."""
    lines = text.split("\n")
    body = [i for i, line in enumerate(lines) if line.startswith("　　")]
    moved = [lines[i] for i in body]
    rng.shuffle(moved)
    for i, line in zip(body, moved, strict=True):
        lines[i] = line
    return "\n".join(lines)
