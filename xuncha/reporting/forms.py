"""Forms of reporting: uploads, the review thread, the feedback issue, the feedback meeting, the
archive number. Related choices come from the user's scope only."""

from __future__ import annotations

from django import forms

from xuncha.core.forms import StyledFormMixin
from xuncha.org.models import Cadre


def _date_widget():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DocxUploadForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label="Word 文档（.docx）", help_text="在 Word 或 WPS 中修改后上传；每次上传都保留为新版本。",
                           widget=forms.ClearableFileInput(attrs={"accept": ".docx"}),
                           error_messages={"required": "请选择要上传的 Word 文档（.docx）。"})
    note = forms.CharField(label="修改说明", max_length=200, required=False)


class ReportEditForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label="报告标题", max_length=200, error_messages={"required": "请填写报告标题。"})
    recommendations = forms.CharField(label="意见建议", required=False, widget=forms.Textarea(attrs={"rows": 4}),
                                      help_text="写入报告“意见建议”部分，每行一条；不填则采用通用表述。重新生成初稿时使用。")


class CommentForm(StyledFormMixin, forms.Form):
    text = forms.CharField(label="意见", max_length=5000, widget=forms.Textarea(attrs={"rows": 2}),
                           error_messages={"required": "请填写意见内容。"})


class ReturnForm(StyledFormMixin, forms.Form):
    reasons = forms.CharField(label="退回理由", max_length=5000, widget=forms.Textarea(attrs={"rows": 2}),
                              error_messages={"required": "退回须填写理由，说明需要修改的内容。"})


class ApproveForm(StyledFormMixin, forms.Form):
    opinion = forms.CharField(label="审定意见", max_length=5000, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))


class SubmitForm(StyledFormMixin, forms.Form):
    note = forms.CharField(label="提交说明", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class IssueForm(StyledFormMixin, forms.Form):
    issue_number = forms.CharField(label="文号", max_length=50, required=False, help_text="如：青巡反〔2026〕1号。")
    issued_on = forms.DateField(label="印发日期", widget=_date_widget(), error_messages={
        "required": "请填写印发日期。", "invalid": "印发日期格式不正确，应为“年-月-日”。"})


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class MeetingForm(StyledFormMixin, forms.Form):
    held_on = forms.DateField(label="会议日期", widget=_date_widget(), error_messages={
        "required": "请填写会议日期。", "invalid": "会议日期格式不正确，应为“年-月-日”。"})
    place = forms.CharField(label="地点", max_length=100, error_messages={"required": "请填写会议地点。"})
    presided_by = forms.CharField(label="主持人", max_length=100, error_messages={"required": "请填写主持人。"},
                                  help_text="如：县委巡察工作领导小组副组长 ×××。")
    attending_cadres = forms.ModelMultipleChoiceField(
        label="出席的被巡察单位领导", queryset=Cadre.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple, help_text="从干部库中选择被巡察单位出席会议的领导班子成员。")
    attending_names = forms.CharField(label="其他出席人员", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                      help_text="如出席会议的县领导、巡察组成员，每行一人（姓名 职务）。")
    minutes = forms.CharField(label="会议纪要", required=False, widget=forms.Textarea(attrs={"rows": 5}))
    attachments = MultipleFileField(label="附件", required=False, help_text="会议签到表、讲话稿等，可多选。")

    def __init__(self, *args, user, feedback, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attending_cadres"].queryset = Cadre.objects.for_user(user, "view").filter(
            unit_id=feedback.unit_id).order_by("name", "id")
        if not self.fields["attending_cadres"].queryset.exists():
            self.fields["attending_cadres"].help_text = "您的授权范围内没有该单位的干部信息，请在“其他出席人员”中填写。"


class ArchiveForm(StyledFormMixin, forms.Form):
    archive_number = forms.CharField(label="档号", max_length=50, required=False,
                                     help_text="如：青巡档〔2026〕3号；归档前须填写。")
    remarks = forms.CharField(label="备注", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class TickForm(StyledFormMixin, forms.Form):
    done = forms.BooleanField(label="已完成", required=False)
    note = forms.CharField(label="说明", max_length=200, required=False)
