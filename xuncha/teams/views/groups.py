"""Rounds and their groups: composition, members, the proposer and the evaluations after a round."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from xuncha.core import dictionaries
from xuncha.core.scoping import has_perm
from xuncha.org import choices as org_choices

from .. import choices as c
from .. import forms, selectors, services
from ..models import Evaluation, GroupMember
from .base import TeamsView, apply_form_errors


class RoundListView(TeamsView):
    permission = "teams:member:view"

    def get(self, request):
        rounds = list(selectors.rounds_for_user(request.user)[:200])
        counts = dict(GroupMember.objects.for_user(request.user, "view").filter(
            round__in=[r.pk for r in rounds]).values_list("round_id").annotate(n=Count("id")).values_list(
            "round_id", "n"))
        for r in rounds:
            r.member_count = counts.get(r.pk, 0)
        return render(request, "teams/round_list.html", {"rounds": rounds})


class RoundGroupsView(TeamsView):
    """组建 page of a round: every group with its members, targets, warnings and recusal conflicts."""

    permission = "teams:member:view"

    def get(self, request, pk, form=None):
        round_ = selectors.get_round_for_user(request.user, pk)
        user = request.user
        return render(request, "teams/round_groups.html", {
            "round": round_, "groups": selectors.composition(user, round_),
            "group_form": form or forms.GroupCreateForm(),
            "can_add_group": has_perm(user, "planning:round:add") and has_perm(user, "teams:member:add"),
            "can_add": has_perm(user, "teams:member:add"), "can_propose": has_perm(user, "teams:member:propose"),
        })


class RoundGroupAddView(TeamsView):
    permission = "teams:member:add"
    http_method_names = ["post"]

    def post(self, request, pk):
        round_ = selectors.get_round_for_user(request.user, pk)
        form = forms.GroupCreateForm(request.POST)
        if form.is_valid():
            try:
                group = services.inspection_group_create(actor=request.user, round=round_, **form.cleaned_data)
            except ValidationError as error:
                apply_form_errors(form, error)
            else:
                messages.success(request, f"已新建{group.name}。")
                return redirect(reverse("teams:inspectiongroup_detail", args=[group.pk]))
        self.failed()
        return RoundGroupsView.get(self, request, pk, form=form)


class GroupDetailView(TeamsView):
    permission = "teams:member:view"

    def get(self, request, pk, add_form=None, profile_form=None):
        group = selectors.get_group_for_user(request.user, pk)
        view = next(v for v in selectors.composition(request.user, group.round) if v.group.pk == group.pk)
        user = request.user
        return render(request, "teams/group_detail.html", {
            "group": group, "view": view,
            "add_form": add_form or forms.MemberAddForm(user=user, group=group),
            "profile_form": profile_form or forms.GroupProfileForm(instance=view.profile),
            "can_add": has_perm(user, "teams:member:add"), "can_change": has_perm(user, "teams:member:change"),
            "can_pledge": has_perm(user, "teams:pledge:add"), "pledge_kinds": c.PledgeKind.choices,
        })


class GroupProfileView(TeamsView):
    permission = "teams:member:change"
    http_method_names = ["post"]

    def post(self, request, pk):
        group = selectors.get_group_for_user(request.user, pk)
        form = forms.GroupProfileForm(request.POST)
        if form.is_valid():
            try:
                services.group_profile_save(actor=request.user, group=group, data=form.cleaned_data)
            except ValidationError as error:
                apply_form_errors(form, error)
            else:
                messages.success(request, "组建信息已保存。")
                return redirect(reverse("teams:inspectiongroup_detail", args=[pk]))
        self.failed()
        return GroupDetailView.get(self, request, pk, profile_form=form)


class MemberAddView(TeamsView):
    permission = "teams:member:add"
    http_method_names = ["post"]

    def post(self, request, pk):
        group = selectors.get_group_for_user(request.user, pk)
        form = forms.MemberAddForm(request.POST, user=request.user, group=group)
        if form.is_valid():
            try:
                member = services.member_add(actor=request.user, group=group, **form.cleaned_data)
            except ValidationError as error:
                apply_form_errors(form, error)
            else:
                messages.success(request, f"已将{member.cadre.name}加入{group.name}。")
                return redirect(reverse("teams:inspectiongroup_detail", args=[pk]))
        self.failed()
        return GroupDetailView.get(self, request, pk, add_form=form)


class MemberEditView(TeamsView):
    permission = "teams:member:change"

    def _render(self, member, form):
        return render(self.request, "teams/member_form.html", {"member": member, "form": form})

    def get(self, request, pk):
        member = selectors.get_member_for_user(request.user, pk, "change")
        return self._render(member, forms.MemberEditForm(initial={
            f: getattr(member, f) for f in ("role", "is_party_secretary", "is_conduct_supervisor", "duty", "remarks")}))

    def post(self, request, pk):
        member = selectors.get_member_for_user(request.user, pk, "change")
        form = forms.MemberEditForm(request.POST)
        if form.is_valid():
            try:
                services.member_update(actor=request.user, instance=member, data=form.cleaned_data)
            except ValidationError as error:
                apply_form_errors(form, error)
            else:
                messages.success(request, f"{member.cadre.name}的组内职务已保存。")
                return redirect(reverse("teams:inspectiongroup_detail", args=[member.group_id]))
        self.failed()
        return self._render(member, form)


class MemberDeleteView(TeamsView):
    permission = "teams:member:delete"

    def get(self, request, pk):
        member = selectors.get_member_for_user(request.user, pk, "delete")
        return render(request, "teams/member_delete.html", {"member": member})

    def post(self, request, pk):
        member = selectors.get_member_for_user(request.user, pk, "delete")
        services.member_remove(actor=request.user, instance=member)
        messages.success(request, f"已将{member.cadre.name}移出{member.group.name}，记录保留在变更记录中。")
        return redirect(reverse("teams:inspectiongroup_detail", args=[member.group_id]))


# --- The proposer -------------------------------------------------------------------------------------


class ProposeView(TeamsView):
    """组队建议: pick groups and needs, get a proposal (nothing is written until accepted)."""

    permission = "teams:member:propose"

    def get(self, request, pk):
        round_ = selectors.get_round_for_user(request.user, pk)
        form = forms.ProposerForm(user=request.user, round=round_)
        return render(request, "teams/propose.html", {"round": round_, "form": form})

    def post(self, request, pk):
        round_ = selectors.get_round_for_user(request.user, pk)
        form = forms.ProposerForm(request.POST, user=request.user, round=round_)
        proposal = None
        if form.is_valid():
            data = form.cleaned_data
            proposal = services.proposal_build(
                actor=request.user, round=round_, groups=data["groups"], needs=forms.needs_from(data),
                size_min=data["size_min"], size_max=data["size_max"], preferred=data["preferred"],
                time_limit=data["time_limit"])
            labels = dictionaries.labels(org_choices.DICT_CADRE_SKILL)
            proposal.rows = []
            for group in proposal.groups:
                placed = proposal.result.groups.get(group.pk, [])
                proposal.rows.append((group, proposal.targets.get(group.pk, []), [
                    (p, proposal.cadres.get(p.candidate_id), proposal.candidates.get(p.candidate_id),
                     "、".join(labels.get(s, s) for s in sorted(proposal.candidates[p.candidate_id].skills))
                     if p.candidate_id in proposal.candidates else "")
                    for p in placed]))
        else:
            self.failed()
        return render(request, "teams/propose.html", {"round": round_, "form": form, "proposal": proposal,
                                                      "roles": dict(c.MemberRole.choices)})


class ProposeApplyView(TeamsView):
    permission = "teams:member:add"
    http_method_names = ["post"]

    def post(self, request, pk):
        group = selectors.get_group_for_user(request.user, pk)
        rows = []
        # the people of the pools the group draws on (what the proposer proposed from)
        cadres = selectors.pool_cadres_for_group(request.user, group).in_bulk(
            [int(v) for v in request.POST.getlist("cadre") if v.isdigit()])
        for value in request.POST.getlist("cadre"):
            if not value.isdigit() or int(value) not in cadres:
                continue
            pk_ = int(value)
            role = request.POST.get(f"role_{pk_}", c.MemberRole.MEMBER)
            rows.append({"cadre": cadres[pk_], "role": role if role in c.MemberRole.values else c.MemberRole.MEMBER,
                         "is_party_secretary": request.POST.get(f"secretary_{pk_}") == "1",
                         "is_conduct_supervisor": request.POST.get(f"supervisor_{pk_}") == "1"})
        try:
            added = services.proposal_apply(actor=request.user, group=group, rows=rows)
        except ValidationError as error:
            self.failed()
            for line in error.messages:
                messages.error(request, line)
        else:
            messages.success(request, f"已按建议为{group.name}配备 {len(added)} 人。")
        return redirect(reverse("teams:inspectiongroup_detail", args=[group.pk]))


# --- Evaluations after the round ---------------------------------------------------------------------


class EvaluationRoundsView(TeamsView):
    permission = "teams:evaluation:view"

    def get(self, request):
        rounds = list(selectors.rounds_for_user(request.user)[:200])
        stats = {row["round_id"]: row for row in Evaluation.objects.for_user(request.user, "view").filter(
            round__in=[r.pk for r in rounds]).values("round_id").annotate(
            done=Count("id"), pending=Count("id", filter=Q(decision=c.Decision.PENDING)))}
        members = dict(GroupMember.objects.for_user(request.user, "view").filter(
            round__in=[r.pk for r in rounds]).values_list("round_id").annotate(n=Count("id")).values_list("round_id", "n"))
        for r in rounds:
            r.members = members.get(r.pk, 0)
            r.evaluated = stats.get(r.pk, {}).get("done", 0)
            r.pending = stats.get(r.pk, {}).get("pending", 0)
        return render(request, "teams/evaluation_rounds.html", {"rounds": rounds})


class RoundEvaluationsView(TeamsView):
    permission = "teams:evaluation:view"

    def get(self, request, pk):
        round_ = selectors.get_round_for_user(request.user, pk)
        rows = selectors.evaluation_rows(request.user, round_)
        return render(request, "teams/round_evaluations.html", {
            "round": round_, "rows": rows, "decision_form": forms.DecisionForm(),
            "can_evaluate": has_perm(request.user, "teams:evaluation:add"),
            "can_decide": has_perm(request.user, "teams:evaluation:decide"),
            "pending": sum(1 for r in rows if r.eval and r.eval.decision == c.Decision.PENDING),
            "proposals": dict(c.Proposal.choices)})


class MemberEvaluateView(TeamsView):
    permission = "teams:evaluation:add"

    def _render(self, member, form):
        return render(self.request, "teams/evaluation_form.html", {"member": member, "form": form})

    def get(self, request, pk):
        member = selectors.get_member_for_user(request.user, pk)
        existing = Evaluation.objects.for_user(request.user, "view").filter(member=member).first()
        initial = {"evaluated_on": timezone.localdate()}
        if existing:
            initial = {"grade": existing.grade, "comments": existing.comments, "evaluated_on": existing.evaluated_on}
        return self._render(member, forms.EvaluationForm(initial=initial))

    def post(self, request, pk):
        member = selectors.get_member_for_user(request.user, pk)
        form = forms.EvaluationForm(request.POST)
        if form.is_valid():
            try:
                evaluation = services.evaluation_save(actor=request.user, member=member, **form.cleaned_data)
            except ValidationError as error:
                apply_form_errors(form, error)
            else:
                note = "" if evaluation.proposal == c.Proposal.NONE else f"系统建议：{evaluation.get_proposal_display()}。"
                messages.success(request, f"{member.cadre.name}的考核已保存。{note}")
                return redirect(reverse("teams:round_evaluations", args=[member.round_id]))
        self.failed()
        return self._render(member, form)


class EvaluationDecideView(TeamsView):
    permission = "teams:evaluation:decide"
    http_method_names = ["post"]

    def post(self, request, pk):
        evaluation = selectors.get_evaluation_for_user(request.user, pk, "decide")
        form = forms.DecisionForm(request.POST)
        if form.is_valid():
            try:
                services.evaluation_decide(actor=request.user, evaluation=evaluation, **form.cleaned_data)
            except ValidationError as error:
                self.failed()
                for line in error.messages:
                    messages.error(request, f"{evaluation.member.cadre.name}：{line}")
            else:
                messages.success(request, f"已对{evaluation.member.cadre.name}的{evaluation.get_proposal_display()}作出决定。")
        else:
            self.failed()
            messages.error(request, "；".join(form.error_summary()))
        return redirect(reverse("teams:round_evaluations", args=[evaluation.round_id]))
