"""Forms of fieldwork. Every related choice is limited to the user's scope; the services re-check
everything. No form of a petition has a reporter field: the identity has its own form and page."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q

from xuncha.core.forms import StyledFormMixin
from xuncha.org.forms import ScopedModelForm
from xuncha.org.models import Cadre, Unit
from xuncha.planning.choices import Stage

from . import choices as c
from . import selectors
from .models import DocumentRequest, HearingReport, MeetingAttendance, Petition, Talk, Visit


def _date():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _datetime():
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files at once (stored by their hash as core.StoredFile)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


def _inspection_label(inspection) -> str:
    return f"{inspection.round}·{inspection.group}（{inspection.get_stage_display()}）"


def _unit_label(unit: Unit) -> str:
    return f"{unit.name}（{unit.region.name}）"


class RecordForm(ScopedModelForm):
    """The shared part: the inspection (fixed once created), target-unit choices, attachments."""

    files = MultipleFileField(label="上传附件", required=False, help_text="可一次选择多个文件；已上传的附件在详情页查看。")
    unit_fields = ("unit",)

    def limit(self):
        permission = f"fieldwork:{self._meta.model.permission_name}:{self.action}"
        field = self.fields["inspection"]
        field.queryset = selectors.inspections_for_fieldwork(self.user, permission).exclude(
            stage=Stage.ARCHIVED).order_by("-round__year", "round__number", "group__number", "id")
        field.label_from_instance = _inspection_label
        field.empty_label = "——请选择——"
        if self.instance.pk:
            field.disabled = True
            field.queryset = selectors.inspections_for_fieldwork(self.user, permission)
        # Only the targets of the inspections the user may write to (a long list of every unit of a
        # region would hide the few that matter); the service checks the chosen inspection's own.
        self.target_ids = selectors.inspections_for_fieldwork(self.user, permission).values("target_links__unit_id")
        for name in self.unit_fields:
            if name in self.fields:
                self.fields[name].queryset = Unit.objects.for_user_perm(self.user, permission).filter(
                    pk__in=self.target_ids).select_related("region")
                self.fields[name].label_from_instance = _unit_label
                self.fields[name].empty_label = "——不指定——"
                self.fields[name].help_text = "须为所选巡察任务的被巡察单位。"


class HearingReportForm(RecordForm):
    class Meta:
        model = HearingReport
        fields = ["inspection", "report_date", "unit", "reporter", "topic", "summary"]
        widgets = {"report_date": _date(), "summary": forms.Textarea(attrs={"rows": 5})}


def _group_users(user, permission):
    """Talkers and recorders: the people of the groups whose inspections the user may write to."""
    inspections = selectors.inspections_for_fieldwork(user, permission)
    users = get_user_model().objects.filter(
        grants__scope_kind="group", grants__is_active=True, grants__group__in=inspections.values("group_id"),
        is_active=True)
    return get_user_model().objects.filter(Q(pk__in=users.values("pk")) | Q(pk=user.pk)).order_by(
        "full_name", "username")


class TalkForm(RecordForm):
    class Meta:
        model = Talk
        fields = ["inspection", "unit", "cadre", "interviewee_name", "interviewee_post", "category", "status",
                  "planned_date", "talked_at", "place", "talkers", "recorder", "content"]
        widgets = {"planned_date": _date(), "talked_at": _datetime(), "content": forms.Textarea(attrs={"rows": 8}),
                   "talkers": forms.SelectMultiple(attrs={"size": 5})}

    def limit(self):
        super().limit()
        permission = f"fieldwork:talk:{self.action}"
        # Cadres the user may read; a group that sees no cadre record types the name instead.
        self.fields["cadre"].queryset = Cadre.objects.for_user_perm(self.user, "org:cadre:view").filter(
            unit_id__in=self.target_ids).select_related("unit").order_by("unit__name", "name")
        self.fields["cadre"].label_from_instance = lambda cadre: f"{cadre.name}（{cadre.unit.name}·{cadre.post}）"
        self.fields["cadre"].empty_label = "——不选择——"
        people = _group_users(self.user, permission)
        self.fields["talkers"].queryset = people
        self.fields["recorder"].queryset = people
        for name in ("talkers", "recorder"):
            self.fields[name].label_from_instance = lambda u: u.full_name or u.username
        self.fields["recorder"].empty_label = "——请选择——"
        self.fields["talked_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


class PetitionForm(RecordForm):
    unit_fields = ("subject_unit",)

    class Meta:
        model = Petition
        fields = ["inspection", "channel", "received_date", "subject_unit", "subject_persons", "category", "content"]
        widgets = {"received_date": _date(), "content": forms.Textarea(attrs={"rows": 8})}

    def limit(self):
        super().limit()
        self.fields["subject_unit"].help_text = "须为所选巡察任务的被巡察单位；反映其他单位的，不选并在内容中写明。"


class DocumentRequestForm(RecordForm):
    items_text = forms.CharField(label="调阅材料清单", required=False, widget=forms.Textarea(attrs={"rows": 6}),
                                 help_text="每行一项，如“2023年以来党委会议记录”。")

    class Meta:
        model = DocumentRequest
        fields = ["inspection", "title", "unit", "requested_date", "due_date", "received_date", "status",
                  "reviewer", "reviewer_notes"]
        widgets = {"requested_date": _date(), "due_date": _date(), "received_date": _date(),
                   "reviewer_notes": forms.Textarea(attrs={"rows": 4})}

    def limit(self):
        super().limit()
        self.fields["reviewer"].queryset = _group_users(self.user, f"fieldwork:documentrequest:{self.action}")
        self.fields["reviewer"].label_from_instance = lambda u: u.full_name or u.username
        self.fields["reviewer"].empty_label = "——请选择——"
        if self.instance.pk and not self.is_bound:
            self.initial["items_text"] = "\n".join(i.name for i in self.instance.items.all())


class MeetingAttendanceForm(RecordForm):
    class Meta:
        model = MeetingAttendance
        fields = ["inspection", "meeting_date", "unit", "kind", "title", "attendees", "summary", "observations"]
        widgets = {"meeting_date": _date(), "summary": forms.Textarea(attrs={"rows": 4}),
                   "observations": forms.Textarea(attrs={"rows": 4})}


class VisitForm(RecordForm):
    class Meta:
        model = Visit
        fields = ["inspection", "level", "visit_date", "unit", "place", "people_met", "findings"]
        widgets = {"visit_date": _date(), "findings": forms.Textarea(attrs={"rows": 5})}


class PetitionHandleForm(StyledFormMixin, forms.Form):
    status = forms.ChoiceField(label="办理状态", choices=[("", "——请选择——"), *c.PetitionStatus.choices])
    opinion = forms.CharField(label="处理意见", required=False, widget=forms.Textarea(attrs={"rows": 4}))


class ReporterForm(StyledFormMixin, forms.Form):
    anonymous = forms.BooleanField(label="匿名", required=False)
    name = forms.CharField(label="姓名", required=False, max_length=50)
    phone = forms.CharField(label="联系电话", required=False, max_length=20)
    id_card = forms.CharField(label="身份证号", required=False, max_length=18)
    address = forms.CharField(label="联系地址", required=False, max_length=200)
    identity = forms.CharField(label="身份", required=False, max_length=100, help_text="如“本单位职工”“服务对象”“群众”。")
    relationship = forms.CharField(label="与被反映人关系", required=False, max_length=100)
    wants_feedback = forms.BooleanField(label="要求反馈", required=False)
    notes = forms.CharField(label="备注", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class IntakeForm(StyledFormMixin, forms.Form):
    """The public intake page (QR code): what a member of the public may tell us."""

    subject_unit = forms.TypedChoiceField(label="被反映单位", required=False, coerce=str)
    subject_persons = forms.CharField(label="被反映人", required=False, max_length=200,
                                      help_text="姓名及职务，不清楚的可不填。")
    category = forms.ChoiceField(label="问题类别", choices=[("", "——请选择——"), *c.PetitionCategory.choices])
    content = forms.CharField(label="反映内容", widget=forms.Textarea(attrs={"rows": 8}),
                              help_text="请写明时间、地点、人物、事实经过，以及可以佐证的材料或知情人。")
    anonymous = forms.BooleanField(label="匿名反映", required=False)
    name = forms.CharField(label="您的姓名", required=False, max_length=50)
    phone = forms.CharField(label="联系电话", required=False, max_length=20)
    address = forms.CharField(label="联系地址", required=False, max_length=200)
    identity = forms.CharField(label="您的身份", required=False, max_length=100, help_text="如“本单位职工”“服务对象”“群众”。")
    wants_feedback = forms.BooleanField(label="希望得到反馈", required=False)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject_unit"].choices = [("", "——不指定——"), *((str(u.pk), u.name) for u in units)]
