"""Enumerations of the duplicate-report check: structure in TextChoices, data in a dictionary."""

from django.db import models

# Dictionary of report kinds (seeded by migration 0002, editable by the system administrator).
DICT_REPORT_KIND = "dupcheck_report_kind"
KIND_DEBRIEFING = "debriefing"
KIND_SELF_CRITICISM = "self_criticism"
KIND_OTHER = "other"
DICTIONARIES = {
    DICT_REPORT_KIND: ("报告材料类型", [
        (KIND_DEBRIEFING, "述职述廉报告"),
        (KIND_SELF_CRITICISM, "民主生活会对照检查材料"),
        (KIND_OTHER, "其他"),
    ]),
}


class ScanMode(models.TextChoices):
    """What each subject document is compared with (see docs/dupcheck.md)."""

    CADRE = "cadre", "本人往年材料比对"
    TEAM = "team", "同一班子或同一会议成员间比对"
    SCOPE = "scope", "授权范围内全部材料比对"
    UPLOAD = "upload", "上传后自动比对"


# The three modes a person chooses; UPLOAD is started by the upload itself.
CHOSEN_MODES = [ScanMode.CADRE, ScanMode.TEAM, ScanMode.SCOPE]


class Relation(models.TextChoices):
    """How the partner of a match relates to the document, for labels and filters."""

    SAME_CADRE = "cadre", "本人其他年度"
    SAME_CADRE_YEAR = "cadre_same_year", "本人同年度其他材料"
    SAME_MEETING = "meeting", "同一会议"
    SAME_UNIT = "unit", "同一班子（单位）"
    OTHER = "other", "其他"
