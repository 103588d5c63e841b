"""REST API for regions, units and cadres (read through the scope; writes through the services)."""

from __future__ import annotations

from rest_framework import serializers

from xuncha.core import dictionaries
from xuncha.core.api import ScopedModelViewSet
from xuncha.core.masking import mask_id_card, mask_phone

from . import choices as c
from .filters import CadreFilterSet, RegionFilterSet, UnitFilterSet
from .models import Cadre, Region, Unit
from .resources import cadre_resource, region_resource, unit_resource


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["id", "name", "code", "level", "parent", "path", "sort"]
        read_only_fields = fields


class UnitSerializer(serializers.ModelSerializer):
    region_name = serializers.CharField(source="region.name", read_only=True)
    category_label = serializers.SerializerMethodField()

    class Meta:
        model = Unit
        fields = ["id", "name", "short_name", "credit_code", "region", "region_name", "parent", "category",
                  "category_label", "level", "managing_authority", "system", "social_attention",
                  "low_rank_high_power", "special_fund_scale", "address", "remarks", "updated_at"]
        read_only_fields = fields

    def get_category_label(self, obj) -> str:
        return dictionaries.label(c.DICT_UNIT_CATEGORY, obj.category)


class CadreSerializer(serializers.ModelSerializer):
    id_card = serializers.SerializerMethodField(help_text="脱敏显示")
    phone = serializers.SerializerMethodField(help_text="脱敏显示")
    skills = serializers.SerializerMethodField()
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = Cadre
        fields = ["id", "name", "gender", "birth_date", "id_card", "phone", "unit", "unit_name", "region", "post",
                  "rank", "skills", "remarks", "updated_at"]
        read_only_fields = fields

    def get_id_card(self, obj) -> str:
        return mask_id_card(obj.id_card)

    def get_phone(self, obj) -> str:
        return mask_phone(obj.phone)

    def get_skills(self, obj) -> list[str]:
        return [s.value for s in obj.skills.all()]


class RegionViewSet(ScopedModelViewSet):
    """区域。写入字段与页面表单一致：name、code、level、parent、sort。"""

    resource = region_resource
    serializer_class = RegionSerializer
    filterset_class = RegionFilterSet
    ordering_fields = ["name", "code", "path"]


class UnitViewSet(ScopedModelViewSet):
    """被巡察对象。写入字段与页面表单一致；字典字段填写字典值。"""

    resource = unit_resource
    serializer_class = UnitSerializer
    filterset_class = UnitFilterSet
    ordering_fields = ["name", "special_fund_scale", "updated_at"]


class CadreViewSet(ScopedModelViewSet):
    """干部。身份证号、手机号脱敏返回；写入时留空表示不修改。"""

    resource = cadre_resource
    serializer_class = CadreSerializer
    filterset_class = CadreFilterSet
    ordering_fields = ["name", "updated_at"]
