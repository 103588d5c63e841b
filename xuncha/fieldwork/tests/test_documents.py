"""The Word documents, read back: the talk record and the talk plan."""

import datetime

import pytest
from django.urls import reverse

from xuncha.core.testing.resources import covers
from xuncha.documents.reading import docx_text

from . import factories as f

covers("fieldwork:talk_word", "fieldwork:inspection_talkplan")


@pytest.mark.django_db
def test_talk_record_and_plan(world, login):
    fw = f.setup(world)
    talk = f.make_talk(world, world.county_a, 1, status="done", place="巡察组谈话室",
                       talked_at=datetime.datetime(2026, 3, 9, 1, 30, tzinfo=datetime.UTC),
                       content="反映单位议事决策程序执行不严格。\n建议完善“三重一大”制度。", recorder=fw.a_leader)
    talk.talkers.set([fw.a_member])
    f.make_talk(world, world.county_a, 2)
    client = login(fw.a_member)
    response = client.get(reverse("fieldwork:talk_word", args=[talk.pk]))
    assert response.status_code == 200
    text = docx_text(response.content)
    for expected in ("个别谈话记录", talk.interviewee_name, "巡察组谈话室", "2026年03月09日 09:30", "zuyuan_a",
                     "一、谈话内容", "建议完善“三重一大”制度。"):
        assert expected in text, expected
    # Downloading a talk's record is a logged read, with neither the talk's id nor anything said.
    from xuncha.core.models import OperationLog

    row = OperationLog.objects.filter(method="GET", path__contains="/talks/").order_by("-seq").first()
    assert row is not None and f"/{talk.pk}/" not in row.path and row.params == {"参数": "［保密内容，不予记录］"}
    plan = client.get(reverse("fieldwork:inspection_talkplan", args=[fw.a.pk]))
    text = docx_text(plan.content)
    assert "个别谈话计划表" in text and "共计划谈话 2 人次，已谈 1 人次。" in text and "青阳谈话对象2" in text
    other = login(fw.b_leader)
    assert other.get(reverse("fieldwork:talk_word", args=[talk.pk])).status_code == 404
    assert other.get(reverse("fieldwork:inspection_talkplan", args=[fw.a.pk])).status_code == 404
    assert login(world.users["liaison_a"]).get(reverse("fieldwork:talk_word", args=[talk.pk])).status_code == 403
