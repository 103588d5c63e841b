"""Enumerations of the org app that are structure, not data (the rest are dictionaries)."""

from django.db import models


class RegionLevel(models.TextChoices):
    PROVINCE = "province", "省"
    CITY = "city", "市"
    COUNTY = "county", "县（市、区）"


# Dictionary codes used by the org models (seeded by a data migration, editable by the admin).
DICT_UNIT_CATEGORY = "unit_category"
DICT_UNIT_LEVEL = "unit_level"
DICT_MANAGING_AUTHORITY = "managing_authority"
DICT_UNIT_SYSTEM = "unit_system"
DICT_SOCIAL_ATTENTION = "social_attention"
DICT_CADRE_RANK = "cadre_rank"
DICT_CADRE_SKILL = "cadre_skill"
DICT_FAMILY_RELATION = "family_relation"
DICT_GENDER = "gender"
