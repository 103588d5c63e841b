"""The starting dictionaries (written for this project). A data migration loads them; the system
administrator edits them afterwards. Values are stable codes; labels are what people read."""

DICTIONARIES: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "unit_category": ("单位类别", [
        ("organ", "机关部门"), ("soe", "国有企业"), ("institution", "事业单位"), ("township", "乡镇街道"),
        ("village", "村社区"), ("secondary", "二级单位"), ("school", "学校"), ("hospital", "医院"),
        ("mass_org", "群团组织"), ("other", "其他"),
    ]),
    "unit_level": ("单位层级", [("county_dept", "县处级"), ("section", "乡科级"), ("village", "村级")]),
    "managing_authority": ("管理权限", [("city", "市管"), ("county", "县管")]),
    "unit_system": ("所属系统", [
        ("education", "教育系统"), ("health", "卫生健康系统"), ("legal", "政法系统"), ("agriculture", "农业农村系统"),
        ("resources", "自然资源系统"), ("housing", "住房城建系统"), ("transport", "交通运输系统"),
        ("finance", "财政金融系统"), ("soe", "国资国企系统"), ("civil", "民政系统"), ("hr", "人力资源社会保障系统"),
        ("culture", "文化旅游系统"), ("environment", "生态环境系统"), ("market", "市场监管系统"),
        ("water", "水利系统"), ("party", "党群系统"), ("grassroots", "基层组织"), ("other", "其他"),
    ]),
    "social_attention": ("社会关注度", [("high", "高"), ("medium", "中"), ("low", "低")]),
    "cadre_rank": ("职级", [
        ("bureau_1", "正厅级"), ("bureau_2", "副厅级"), ("division_1", "正处级"), ("division_2", "副处级"),
        ("section_1", "正科级"), ("section_2", "副科级"), ("staff", "科员"), ("village", "村（社区）干部"),
        ("enterprise", "企业管理人员"), ("other", "其他"),
    ]),
    "cadre_skill": ("专长", [
        ("finance", "财务"), ("audit", "审计"), ("discipline", "纪检"), ("organization", "组织"), ("law", "法律"),
        ("petition", "信访"), ("engineering", "工程建设"), ("writing", "文字综合"),
    ]),
    "family_relation": ("家庭关系", [
        ("spouse", "配偶"), ("parent", "父母"), ("child", "子女"), ("sibling", "兄弟姐妹"),
        ("in_law", "配偶父母"), ("child_in_law", "子女配偶"), ("other", "其他近亲属"),
    ]),
    "gender": ("性别", [("male", "男"), ("female", "女")]),
}


def load_dictionaries(dict_type_model, dict_item_model, definitions: dict | None = None) -> None:
    """Create what is missing; never touch an item an administrator has already edited.

    A later app passes its own `definitions` (same shape as DICTIONARIES) from its data migration.
    """
    for code, (name, items) in (DICTIONARIES if definitions is None else definitions).items():
        dict_type, _ = dict_type_model.objects.get_or_create(code=code, defaults={"name": name})
        for sort, (value, label) in enumerate(items, start=1):
            dict_item_model.objects.get_or_create(dict_type=dict_type, value=value,
                                                  defaults={"label": label, "sort": sort})


def load_roles(role_model) -> None:
    from .permissions import DEFAULT_ROLES

    for code, (name, description, permissions) in DEFAULT_ROLES.items():
        role_model.objects.get_or_create(code=code, defaults={
            "name": name, "description": description, "permissions": sorted(permissions)})


def grant_app_defaults(role_model, app_label: str) -> None:
    """Add an app's default permissions to the existing roles (the app's data migration calls this).

    Only adds: a permission the security administrator removed from a role stays removed unless
    it belongs to the app being installed now.
    """
    from .permissions import APP_ROLE_DEFAULTS

    for code, permissions in APP_ROLE_DEFAULTS.get(app_label, {}).items():
        role = role_model.objects.filter(code=code).first()
        if role is None:
            continue
        role.permissions = sorted(set(role.permissions) | set(permissions))
        role.save(update_fields=["permissions"])
