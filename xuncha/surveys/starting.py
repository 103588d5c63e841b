"""The starting templates shipped with the platform (written for this project). The data migration
`0002_permissions` loads them as shared templates (no authority): every office reads them and copies
one to adapt it. Questions in the editable text form of `questions.py`."""

STARTING_TEMPLATES = [
    {
        "kind": "evaluation",
        "title": "领导班子和班子成员民主测评表",
        "instructions": (
            "本测评采取无记名方式，答卷不记录填写人、答题码和填写时间，请根据平时了解的情况客观、公正地评价。\n"
            "每张答题码只能提交一次，提交后不能修改。"),
        "category_label": "您的身份",
        "categories": ["班子成员", "中层干部", "一般干部", "离退休干部代表"],
        "questions": """
[评价] 领导班子贯彻落实党的路线方针政策和党中央、省委、市委重大决策部署情况
[评价] 领导班子落实全面从严治党主体责任情况
[评价] 领导班子贯彻执行民主集中制情况
[评价] 领导班子落实中央八项规定及其实施细则精神情况
[评价] 领导班子选人用人工作情况
[评价] 领导班子抓基层党组织建设情况
[评价] 对领导班子的总体评价
[评价] 对党组织主要负责人的总体评价
[多选] 您认为领导班子当前存在的突出问题（可多选）｜政治站位不够高/担当作为不够/民主集中制执行不到位/作风不够扎实/廉洁自律有差距/没有明显问题
[文字] 对领导班子和班子成员的意见和建议
""",
    },
    {
        "kind": "evaluation",
        "title": "选人用人工作民主评议表",
        "instructions": (
            "为了解本单位选人用人工作情况，请对下列事项作出评价。本评议无记名，答卷与填写人、答题码之间不保留任何对应关系。"),
        "category_label": "您的身份",
        "categories": ["班子成员", "中层干部", "一般干部"],
        "questions": """
[评价] 对本单位选人用人工作的总体评价
[单选] 对本单位选人用人风气的看法｜风气好/风气较好/风气一般/风气差
[评价] 执行《党政领导干部选拔任用工作条例》情况
[评价] 干部选拔任用程序规范情况
[评价] 干部日常监督管理情况
[单选] 对近年来新提拔任用干部的总体评价｜满意/基本满意/不满意/不了解
[多选] 您认为选人用人工作存在的主要问题（可多选）｜凭关系、搞人身依附/论资排辈/程序不规范/考察不深入/重使用轻管理/没有明显问题
[单选] 您是否了解有跑官要官、拉票贿选等问题｜了解有此类问题/未发现此类问题
[文字] 对选人用人工作的意见和建议
""",
    },
    {
        "kind": "questionnaire",
        "title": "全面从严治党主体责任落实情况问卷",
        "instructions": "本问卷无记名填写，请根据实际情况作答，在相应选项中选择。",
        "category_label": "您的身份",
        "categories": ["班子成员", "中层干部", "一般干部", "服务对象"],
        "questions": """
[评价] 本单位党组织落实全面从严治党主体责任情况
[评价] 党组织书记履行第一责任人职责情况
[评价] 班子成员落实“一岗双责”情况
[多选] 您认为本单位全面从严治党方面存在的主要问题（可多选）｜压力传导逐级递减/管党治党宽松软/廉洁风险防控不到位/监督执纪不严/基层党组织软弱涣散/没有明显问题
[单选] 近年来本单位党风廉政建设状况的变化｜明显好转/有所好转/没有变化/有所下降
[文字] 对本单位全面从严治党工作的意见和建议
""",
    },
    {
        "kind": "questionnaire",
        "title": "作风建设问卷",
        "instructions": "本问卷用于了解本单位作风建设情况，无记名填写，请如实作答。",
        "category_label": "您的身份",
        "categories": ["本单位干部", "服务对象", "群众代表"],
        "questions": """
[评价] 本单位落实中央八项规定精神情况
[评价] 本单位整治形式主义、官僚主义情况
[单选] 本单位干部服务群众的态度｜热情周到/比较好/一般/较差
[多选] 您认为本单位作风方面存在的突出问题（可多选）｜文山会海、督查检查过多/办事拖拉、推诿扯皮/吃拿卡要/违规收送礼品礼金/违规发放津贴补贴/没有明显问题
[单选] 您到本单位办事时是否遇到过“门难进、脸难看、事难办”｜经常遇到/偶尔遇到/没有遇到/未办过事
[文字] 对本单位作风建设的意见和建议
""",
    },
]


def load_starting_templates(template_model) -> None:
    """Create the shared starting templates that are missing (matched by title); never touch an
    existing one."""
    from .questions import parse_questions

    for spec in STARTING_TEMPLATES:
        if template_model.objects.filter(authority__isnull=True, title=spec["title"]).exists():
            continue
        template_model.objects.create(
            authority=None, kind=spec["kind"], title=spec["title"], instructions=spec["instructions"],
            category_label=spec["category_label"], categories=spec["categories"],
            questions=parse_questions(spec["questions"]), is_active=True)
