"""REST API of teams (`register_routes(router)` is called by xuncha/api_urls.py).

Reads go through `for_user` like the pages; writes through the same forms and services.
No permission for the action → 403; out of scope → 404.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from xuncha.core.api import ScopedModelViewSet
from xuncha.core.api_permissions import ScopedPermission
from xuncha.core.scoping import has_perm
from xuncha.org.models import Unit

from . import choices as c
from . import filters, forms, selectors, services
from .models import (
    CrossPair,
    CrossPlan,
    Evaluation,
    GroupMember,
    Honour,
    Pledge,
    PoolEntry,
    QuotaCheck,
    RecusalDeclaration,
    Secondment,
    StaffingQuota,
    TeamReminder,
    TrainingSession,
)
from .resources import (
    declaration_resource,
    honour_resource,
    pool_resource,
    quota_resource,
    quotacheck_resource,
    secondment_resource,
    training_resource,
)

# --- Serializers (read-only: input goes through the page forms) -------------------------------------


class PoolEntrySerializer(serializers.ModelSerializer):
    cadre_name = serializers.CharField(source="cadre.name", read_only=True)
    authority_name = serializers.CharField(source="authority.name", read_only=True)
    specialities = serializers.SerializerMethodField()

    class Meta:
        model = PoolEntry
        fields = ["id", "authority", "authority_name", "kind", "cadre", "cadre_name", "status", "entry_date",
                  "source", "entry_reason", "specialities", "exit_date", "exit_reason", "remarks", "updated_at"]
        read_only_fields = fields

    def get_specialities(self, obj) -> list[str]:
        return [s.value for s in obj.specialities.all()]


class DeclarationSerializer(serializers.ModelSerializer):
    class Meta:
        model = RecusalDeclaration
        fields = ["id", "authority", "kind", "cadre", "unit", "reason", "declared_on", "is_active", "remarks"]
        read_only_fields = fields


class SecondmentSerializer(serializers.ModelSerializer):
    cadre_name = serializers.CharField(source="cadre.name", read_only=True)

    class Meta:
        model = Secondment
        fields = ["id", "authority", "cadre", "cadre_name", "from_unit", "group", "start_date", "end_date",
                  "is_young_training", "letter_no", "status", "remarks"]
        read_only_fields = fields


class HonourSerializer(serializers.ModelSerializer):
    class Meta:
        model = Honour
        fields = ["id", "authority", "cadre", "title", "level", "issuer", "awarded_on", "certificate_no", "remarks"]
        read_only_fields = fields


class QuotaSerializer(serializers.ModelSerializer):
    shortfall = serializers.IntegerField(read_only=True)

    class Meta:
        model = StaffingQuota
        fields = ["id", "region", "year", "office_name", "approved_posts", "filled_posts", "shortfall",
                  "seconded_posts", "remarks"]
        read_only_fields = fields


class QuotaCheckSerializer(serializers.ModelSerializer):
    class Meta:
        model = QuotaCheck
        fields = ["id", "authority", "year", "title", "checked_on", "summary", "requirements", "status",
                  "published_at"]
        read_only_fields = fields


class TrainingSerializer(serializers.ModelSerializer):
    class Meta:
        model = TrainingSession
        fields = ["id", "authority", "round", "title", "held_on", "hours", "location", "content"]
        read_only_fields = fields


class GroupMemberSerializer(serializers.ModelSerializer):
    cadre_name = serializers.CharField(source="cadre.name", read_only=True)
    group_name = serializers.CharField(source="group.scope_label", read_only=True)

    class Meta:
        model = GroupMember
        fields = ["id", "group", "group_name", "round", "cadre", "cadre_name", "role", "is_party_secretary",
                  "is_conduct_supervisor", "duty", "joined_on", "remarks"]
        read_only_fields = fields


class EvaluationSerializer(serializers.ModelSerializer):
    cadre = serializers.IntegerField(source="member.cadre_id", read_only=True)

    class Meta:
        model = Evaluation
        fields = ["id", "member", "cadre", "round", "grade", "comments", "evaluated_on", "proposal", "decision",
                  "decision_note", "decided_at"]
        read_only_fields = fields


class CrossPairSerializer(serializers.ModelSerializer):
    class Meta:
        model = CrossPair
        fields = ["id", "number", "source_county", "target_county", "leader", "member_ids", "liaison", "group"]
        read_only_fields = fields


class CrossPlanSerializer(serializers.ModelSerializer):
    class Meta:
        model = CrossPlan
        fields = ["id", "round", "authority", "status", "group_size", "needs", "time_limit", "reasons",
                  "solved_at", "confirmed_at"]
        read_only_fields = fields


class PledgeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Pledge
        fields = ["id", "member", "kind", "group", "signed_on", "created_at"]
        read_only_fields = fields


class ReminderSerializer(serializers.ModelSerializer):
    class Meta:
        model = TeamReminder
        fields = ["id", "kind", "secondment", "group", "due_date", "message", "created_at", "handled_at"]
        read_only_fields = fields


# --- Resources ----------------------------------------------------------------------------------------


class PoolEntryViewSet(ScopedModelViewSet):
    """组长库和人才库。写入字段与页面表单一致（authority、kind、cadre、entry_date、source、entry_reason、specialities）；
    出库等状态变更用 POST …/status/（action、date、reason）。"""

    resource = pool_resource
    serializer_class = PoolEntrySerializer
    filterset_class = filters.PoolEntryFilterSet

    @action(detail=True, methods=["post"], url_path="status")
    def change_status(self, request, pk=None):
        if not has_perm(request.user, "teams:pool:change"):
            return Response({"detail": "您没有执行此操作的权限。"}, status=status.HTTP_403_FORBIDDEN)
        entry = get_object_or_404(PoolEntry.objects.for_user(request.user, "change"), pk=pk)
        form = forms.PoolStatusForm(request.data)
        if not form.is_valid():
            raise serializers.ValidationError({k: [str(e) for e in v] for k, v in form.errors.items()})
        data = form.cleaned_data
        entry = services.pools.STATUS_ACTIONS[data["action"]](actor=request.user, entry=entry, reason=data["reason"],
                                                              date=data["date"])
        return Response(PoolEntrySerializer(entry).data)


class DeclarationViewSet(ScopedModelViewSet):
    """回避申请和被巡察单位提出的回避。"""

    resource = declaration_resource
    serializer_class = DeclarationSerializer
    filterset_class = filters.DeclarationFilterSet


class SecondmentViewSet(ScopedModelViewSet):
    """人员抽调（结束日期不填默认为一年）。"""

    resource = secondment_resource
    serializer_class = SecondmentSerializer
    filterset_class = filters.SecondmentFilterSet


class HonourViewSet(ScopedModelViewSet):
    """荣誉证书。"""

    resource = honour_resource
    serializer_class = HonourSerializer
    filterset_class = filters.HonourFilterSet


class QuotaViewSet(ScopedModelViewSet):
    """巡察机构编制（核定、实有、缺编）。"""

    resource = quota_resource
    serializer_class = QuotaSerializer
    filterset_class = filters.QuotaFilterSet


class QuotaCheckViewSet(ScopedModelViewSet):
    """市对县编制落实检查。"""

    resource = quotacheck_resource
    serializer_class = QuotaCheckSerializer
    filterset_class = filters.QuotaCheckFilterSet


class TrainingViewSet(ScopedModelViewSet):
    """培训。"""

    resource = training_resource
    serializer_class = TrainingSerializer
    filterset_class = filters.TrainingFilterSet


# --- Workflow records ------------------------------------------------------------------------------------


class _ReadOnly(viewsets.ReadOnlyModelViewSet):
    permission_classes = [ScopedPermission]
    model = None
    related: tuple[str, ...] = ()

    @property
    def required_permission(self):
        return f"teams:{self.model.permission_name}:view"

    def get_queryset(self):
        return self.model.objects.for_user(self.request.user, "view").select_related(*self.related).order_by("pk")


class GroupMemberViewSet(mixins.CreateModelMixin, mixins.DestroyModelMixin, _ReadOnly):
    """巡察组成员。POST 字段：group、cadre、role、is_party_secretary、is_conduct_supervisor、duty、remarks
    （回避、人数和组内职务按页面同样的规则检查）；DELETE 移出本组。"""

    model = GroupMember
    serializer_class = GroupMemberSerializer
    related = ("cadre", "group")

    @property
    def required_permission(self):
        verb = {"POST": "add", "DELETE": "delete"}.get(self.request.method, "view")
        return f"teams:member:{verb}"

    def get_queryset(self):
        verb = {"DELETE": "delete"}.get(self.request.method, "view")
        return GroupMember.objects.for_user(self.request.user, verb).select_related("cadre", "group").order_by("pk")

    def create(self, request, *args, **kwargs):
        data = request.data
        group = get_object_or_404(selectors.groups_for_user(request.user), pk=data.get("group") or 0)
        form = forms.MemberAddForm(data, user=request.user, group=group)
        if not form.is_valid():
            raise serializers.ValidationError({k: [str(e) for e in v] for k, v in form.errors.items()})
        member = services.member_add(actor=request.user, group=group, **form.cleaned_data)
        return Response(GroupMemberSerializer(member).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance):
        services.member_remove(actor=self.request.user, instance=instance)


class EvaluationViewSet(_ReadOnly):
    """巡察人员考核（等次、系统建议、办公室决定）。"""

    model = Evaluation
    serializer_class = EvaluationSerializer
    related = ("member",)


class CrossPlanViewSet(_ReadOnly):
    """交叉巡察编组；POST …/solve/ 求解，结果见 pairs（不可行时 reasons 说明原因）。"""

    model = CrossPlan
    serializer_class = CrossPlanSerializer

    @action(detail=True, methods=["post"])
    def solve(self, request, pk=None):
        if not has_perm(request.user, "teams:cross:propose"):
            return Response({"detail": "您没有执行此操作的权限。"}, status=status.HTTP_403_FORBIDDEN)
        plan = get_object_or_404(CrossPlan.objects.for_user(request.user, "propose"), pk=pk)
        plan = services.crossplan_solve(actor=request.user, plan=plan)
        pairs = CrossPair.objects.for_user(request.user, "view").filter(plan=plan)
        return Response({**CrossPlanSerializer(plan).data, "pairs": CrossPairSerializer(pairs, many=True).data})

    @action(detail=True, methods=["get"])
    def pairs(self, request, pk=None):
        plan = get_object_or_404(self.get_queryset(), pk=pk)
        pairs = CrossPair.objects.for_user(request.user, "view").filter(plan=plan)
        return Response(CrossPairSerializer(pairs, many=True).data)


class PledgeViewSet(_ReadOnly):
    """承诺书签字件登记情况。"""

    model = Pledge
    serializer_class = PledgeSerializer


class ReminderViewSet(_ReadOnly):
    """到期提醒。"""

    model = TeamReminder
    serializer_class = ReminderSerializer


class RecusalCheckSerializer(serializers.Serializer):
    cadres = serializers.ListField(child=serializers.IntegerField(), max_length=5000, help_text="干部编号")
    units = serializers.ListField(child=serializers.IntegerField(), max_length=500, help_text="被巡察单位编号")


class RecusalCheckViewSet(viewsets.GenericViewSet):
    """回避审查：POST {cadres: [...], units: [...]}，返回需要回避的人员与单位以及规则和依据。
    只审查您授权范围内的干部和单位。"""

    permission_classes = [ScopedPermission]
    required_permission = "teams:recusal:view"
    serializer_class = RecusalCheckSerializer

    def create(self, request):
        from . import recusal

        serializer = RecusalCheckSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        cadres = list(selectors.cadres_for_user(request.user).filter(
            pk__in=serializer.validated_data["cadres"]).values_list("pk", flat=True))
        units = list(Unit.objects.for_user(request.user, "view").filter(
            pk__in=serializer.validated_data["units"]).values_list("pk", flat=True))
        blocks = recusal.blocks_for(cadres, units, today=timezone.localdate()) if cadres and units else {}
        return Response({"checked_cadres": len(cadres), "checked_units": len(units), "blocked": [
            {"cadre": pid, "unit": unit, "reasons": [{"rule": b.rule, "rule_label": b.rule_label, "text": b.text}
                                                     for b in items]}
            for (pid, unit), items in sorted(blocks.items())]})


class ProposalSerializer(serializers.Serializer):
    round = serializers.IntegerField()
    groups = serializers.ListField(child=serializers.IntegerField(), min_length=1)
    needs = serializers.DictField(child=serializers.IntegerField(min_value=0), required=False)
    size_min = serializers.IntegerField(default=c.GROUP_SIZE_MIN, min_value=1)
    size_max = serializers.IntegerField(default=c.GROUP_SIZE_MAX, min_value=1)


class GroupProposalViewSet(viewsets.GenericViewSet):
    """组队建议：POST {round, groups: [...], needs: {"finance": 1, …}}，返回每组建议人员或不可行原因。
    不写入任何数据；采纳时逐人调用 group-members 接口。"""

    permission_classes = [ScopedPermission]
    required_permission = "teams:member:propose"
    serializer_class = ProposalSerializer

    def create(self, request):
        serializer = ProposalSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        round_ = selectors.get_round_for_user(request.user, data["round"])
        groups = list(selectors.groups_for_user(request.user).filter(round=round_, pk__in=data["groups"]))
        if not groups:
            raise serializers.ValidationError({"groups": ["没有可配备人员的巡察组。"]})
        try:
            view = services.proposal_build(actor=request.user, round=round_, groups=groups,
                                           needs=data.get("needs") or {}, size_min=data["size_min"],
                                           size_max=data["size_max"])
        except DjangoValidationError as error:
            raise serializers.ValidationError({"non_field_errors": error.messages}) from None
        result = view.result
        return Response({"status": result.status, "reasons": result.reasons, "stats": result.stats, "groups": {
            str(gid): [{"cadre": p.candidate_id, "role": p.role, "is_party_secretary": p.is_party_secretary,
                        "is_conduct_supervisor": p.is_conduct_supervisor} for p in placed]
            for gid, placed in result.groups.items()}})


def register_routes(router) -> None:
    router.register("teams/pools", PoolEntryViewSet, basename="pool")
    router.register("teams/recusal-declarations", DeclarationViewSet, basename="declaration")
    router.register("teams/secondments", SecondmentViewSet, basename="secondment")
    router.register("teams/honours", HonourViewSet, basename="honour")
    router.register("teams/quotas", QuotaViewSet, basename="quota")
    router.register("teams/quota-checks", QuotaCheckViewSet, basename="quotacheck")
    router.register("teams/trainings", TrainingViewSet, basename="training")
    router.register("teams/group-members", GroupMemberViewSet, basename="groupmember")
    router.register("teams/evaluations", EvaluationViewSet, basename="evaluation")
    router.register("teams/cross-plans", CrossPlanViewSet, basename="crossplan")
    router.register("teams/pledges", PledgeViewSet, basename="pledge")
    router.register("teams/reminders", ReminderViewSet, basename="reminder")
    router.register("teams/recusal-check", RecusalCheckViewSet, basename="recusalcheck")
    router.register("teams/group-proposals", GroupProposalViewSet, basename="groupproposal")
