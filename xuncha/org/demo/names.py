"""Word lists for plausible demo data (written for this project; no real persons or places)."""

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉飞斌宇浩凯健俊帆帅旭宁欣博文志建国庆东海波峰林松"
    "晨阳春雪梅琳瑶婷颖倩佳慧晶燕鑫彬昊然子涵梓轩一诺思远雨泽俊杰嘉怡立新振华永红卫东晓光海燕德明长江"
)

PROVINCE = ("江淮省", "990000")
CITY = ("江城市", "990100")
COUNTIES = [
    ("江城区", "990102"), ("东湖区", "990103"), ("西山区", "990104"), ("南湖区", "990111"),
    ("青阳县", "990121"), ("桐溪县", "990122"), ("白石县", "990123"), ("清河县", "990124"),
    ("凤鸣县", "990125"), ("临江市", "990181"),
]

# (name stem, category, system, social attention, low rank high power, has special funds)
DEPARTMENTS = [
    ("发展和改革委员会", "organ", "finance", "high", False, True),
    ("教育局", "organ", "education", "high", False, True),
    ("科学技术局", "organ", "other", "low", False, True),
    ("工业和信息化局", "organ", "other", "medium", False, True),
    ("公安局", "organ", "legal", "high", False, False),
    ("民政局", "organ", "civil", "high", False, True),
    ("司法局", "organ", "legal", "medium", False, False),
    ("财政局", "organ", "finance", "high", False, True),
    ("人力资源和社会保障局", "organ", "hr", "high", False, True),
    ("自然资源和规划局", "organ", "resources", "high", False, True),
    ("生态环境局", "organ", "environment", "medium", False, True),
    ("住房和城乡建设局", "organ", "housing", "high", False, True),
    ("交通运输局", "organ", "transport", "medium", False, True),
    ("水利局", "organ", "water", "medium", False, True),
    ("农业农村局", "organ", "agriculture", "high", False, True),
    ("商务局", "organ", "other", "low", False, True),
    ("文化和旅游局", "organ", "culture", "low", False, True),
    ("卫生健康委员会", "organ", "health", "high", False, True),
    ("退役军人事务局", "organ", "civil", "medium", False, True),
    ("应急管理局", "organ", "other", "medium", False, False),
    ("审计局", "organ", "finance", "low", False, False),
    ("市场监督管理局", "organ", "market", "high", False, False),
    ("统计局", "organ", "other", "low", False, False),
    ("医疗保障局", "organ", "health", "high", False, True),
    ("城市管理局", "organ", "housing", "medium", False, True),
    ("数据资源管理局", "organ", "other", "low", False, True),
    ("乡村振兴局", "organ", "agriculture", "high", False, True),
    ("信访局", "organ", "other", "high", False, False),
    ("林业局", "organ", "resources", "low", False, True),
    ("粮食和物资储备局", "organ", "other", "medium", False, True),
]
SECONDARY = [
    ("不动产登记中心", "resources", True), ("公共资源交易中心", "finance", True), ("住房公积金管理中心", "finance", True),
    ("社会保险事业管理中心", "hr", True), ("医疗保险基金管理中心", "health", True), ("车辆管理所", "legal", True),
    ("建设工程质量安全监督站", "housing", True), ("城乡规划服务中心", "resources", True), ("征地事务所", "resources", True),
    ("招生考试院", "education", True), ("疾病预防控制中心", "health", False), ("农业综合执法支队", "agriculture", True),
]
SOES = ["城市建设投资集团有限公司", "交通投资集团有限公司", "水务集团有限公司", "国有资本运营有限公司",
        "文化旅游发展集团有限公司", "粮食储备有限公司", "公共交通集团有限公司", "产业投资集团有限公司"]
INSTITUTIONS = [("人民医院", "hospital", "health"), ("中医院", "hospital", "health"), ("第一中学", "school", "education"),
                ("实验小学", "school", "education"), ("职业技术学校", "school", "education"),
                ("广播电视台", "institution", "culture"), ("图书馆", "institution", "culture"),
                ("妇幼保健院", "hospital", "health"), ("农业技术推广中心", "institution", "agriculture"),
                ("档案馆", "institution", "other")]
MASS_ORGS = ["总工会", "团委", "妇女联合会", "科学技术协会", "残疾人联合会"]
TOWNSHIP_STEMS = ["城关", "东岗", "西河", "南塘", "北山", "柳湾", "桃源", "石桥", "青石", "白鹭", "新集", "杨庄",
                  "高岭", "双河", "龙泉", "凤凰", "金湾", "马场", "黄岗", "李集"]
VILLAGE_STEMS = ["大王", "小李", "前张", "后刘", "东陈", "西杨", "塘坊", "河口", "枫林", "槐树", "杏花", "荷塘",
                 "红旗", "胜利", "幸福", "和平", "新村", "团结", "光明", "丰收"]

POSTS = {
    "organ": [("党组书记、局长", "division_1"), ("党组成员、副局长", "division_2"), ("党组成员、副局长", "division_2"),
              ("派驻纪检监察组组长", "division_2"), ("办公室主任", "section_1"), ("财务科科长", "section_1"),
              ("人事科科长", "section_1"), ("业务科科长", "section_1"), ("副科长", "section_2"), ("科员", "staff")],
    "secondary": [("主任", "section_1"), ("副主任", "section_2"), ("副主任", "section_2"), ("财务负责人", "staff"),
                  ("综合科科长", "staff"), ("科员", "staff")],
    "soe": [("党委书记、董事长", "enterprise"), ("总经理", "enterprise"), ("副总经理", "enterprise"),
            ("纪委书记", "enterprise"), ("财务总监", "enterprise"), ("工程部经理", "enterprise"), ("办公室主任", "enterprise")],
    "institution": [("党委书记", "section_1"), ("院长（校长、主任）", "section_1"), ("副院长（副校长、副主任）", "section_2"),
                    ("纪委书记", "section_2"), ("财务科科长", "staff"), ("办公室主任", "staff"), ("工作人员", "staff")],
    "township": [("党委书记", "section_1"), ("党委副书记、镇长", "section_1"), ("纪委书记", "section_2"),
                 ("组织委员", "section_2"), ("副镇长", "section_2"), ("副镇长", "section_2"), ("党政办主任", "staff"),
                 ("财政所所长", "staff"), ("工作人员", "staff")],
    "village": [("党支部书记、村委会主任", "village"), ("村委会副主任", "village"), ("村务监督委员会主任", "village"),
                ("村报账员", "village"), ("村妇联主席", "village")],
    "mass_org": [("党组书记、主席", "division_1"), ("副主席", "division_2"), ("办公室主任", "section_1"), ("干事", "staff")],
}
