"""The questions of a template as text an office can edit (one question a line), and the checks of
a respondent's answers against a survey's frozen content.

    [评价] 对领导班子的总体评价                       → 好／较好／一般／差
    [评价] 执行民主集中制情况｜好/较好/一般/差
    [单选] 对选人用人风气的看法｜风气好/风气较好/风气一般/风气差
    [多选] 存在的主要问题（可多选）｜问题一/问题二/没有明显问题
    [文字] 意见和建议

Choice questions must be answered; a text question may be left empty.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

from .choices import RATING_DEFAULT, QuestionKind

__all__ = ["parse_questions", "format_questions", "parse_categories", "check_answers", "MAX_TEXT"]

KIND_BY_LABEL = {"单选": QuestionKind.SINGLE, "多选": QuestionKind.MULTIPLE, "评价": QuestionKind.RATING,
                 "文字": QuestionKind.TEXT}
LABEL_BY_KIND = {v.value: k for k, v in KIND_BY_LABEL.items()}
_LINE = re.compile(r"^[\[［【]\s*(?P<kind>[^\]］】]+?)\s*[\]］】]\s*(?P<rest>.+)$")
_OPTION_SPLIT = re.compile(r"[/／;；]")
MAX_QUESTIONS = 60
MAX_OPTIONS = 12
MAX_TEXT = 2000


def parse_questions(text: str) -> list[dict]:
    """Lines → [{key, kind, text, options, required}]; a ValidationError names every bad line."""
    questions, errors = [], []
    lines = [(n, line.strip()) for n, line in enumerate((text or "").splitlines(), start=1) if line.strip()]
    for number, line in lines:
        match = _LINE.match(line)
        if not match:
            errors.append(f"第{number}行：应以题型开头，如“[评价] 对领导班子的总体评价”（题型：单选、多选、评价、文字）。")
            continue
        kind = KIND_BY_LABEL.get(match["kind"])
        if kind is None:
            errors.append(f"第{number}行：题型“{match['kind']}”无法识别，只能是单选、多选、评价或文字。")
            continue
        title, _, option_text = match["rest"].partition("｜") if "｜" in match["rest"] else match["rest"].partition("|")
        title = title.strip()
        options = [o.strip() for o in _OPTION_SPLIT.split(option_text) if o.strip()]
        if not title:
            errors.append(f"第{number}行：缺少题目内容。")
            continue
        if len(title) > 200:
            errors.append(f"第{number}行：题目不超过200字。")
            continue
        if kind == QuestionKind.TEXT:
            if options:
                errors.append(f"第{number}行：文字题不设选项，请删去“｜”后的内容。")
                continue
        else:
            if kind == QuestionKind.RATING and not options:
                options = list(RATING_DEFAULT)
            if len(options) < 2:
                errors.append(f"第{number}行：{LABEL_BY_KIND[kind]}题至少需要两个选项，选项之间用“/”分隔。")
                continue
            if len(options) > MAX_OPTIONS:
                errors.append(f"第{number}行：选项不超过{MAX_OPTIONS}个。")
                continue
            if len(set(options)) != len(options):
                errors.append(f"第{number}行：选项有重复。")
                continue
            if any(len(o) > 60 for o in options):
                errors.append(f"第{number}行：每个选项不超过60字。")
                continue
        questions.append({"key": f"q{len(questions) + 1}", "kind": kind.value, "text": title, "options": options,
                          "required": kind != QuestionKind.TEXT})
    if not errors and not questions:
        errors.append("至少需要一道题。")
    if len(questions) > MAX_QUESTIONS:
        errors.append(f"题目不超过{MAX_QUESTIONS}道。")
    if errors:
        raise ValidationError(errors)
    return questions


def format_questions(questions: list[dict]) -> str:
    lines = []
    for q in questions or []:
        head = f"[{LABEL_BY_KIND.get(q['kind'], '单选')}] {q['text']}"
        lines.append(f"{head}｜{'/'.join(q['options'])}" if q.get("options") else head)
    return "\n".join(lines)


def parse_categories(text: str) -> list[str]:
    """One category a line (班子成员、中层干部…); may be empty (then no category question is asked)."""
    categories = [c.strip() for c in re.split(r"[\n/／、,，;；]", text or "") if c.strip()]
    if len(set(categories)) != len(categories):
        raise ValidationError("身份类别有重复。")
    if any(len(c) > 50 for c in categories):
        raise ValidationError("每个身份类别不超过50字。")
    if len(categories) > 12:
        raise ValidationError("身份类别不超过12个。")
    return categories


def check_answers(content: dict, data) -> tuple[str, dict, list[tuple[str, str]], dict[str, str]]:
    """Check posted answers against the frozen content.

    Returns (category, choices {key: option or [options]}, texts [(key, text)], errors {field: message});
    the field of a question is its key, of the category question "category".
    """
    errors: dict[str, str] = {}
    category = ""
    categories = content.get("categories") or []
    if categories:
        category = data.get("category") or ""
        category = category.strip() if isinstance(category, str) else ""
        if category not in categories:
            errors["category"] = f"请选择「{content.get('category_label') or '您的身份'}」。"
    choices: dict = {}
    texts: list[tuple[str, str]] = []
    for number, q in enumerate(content["questions"], start=1):
        key, kind = q["key"], q["kind"]
        if kind == QuestionKind.TEXT:
            value = data.get(key) or ""
            value = value.strip() if isinstance(value, str) else ""
            if len(value) > MAX_TEXT:
                errors[key] = f"第{number}题不超过{MAX_TEXT}字。"
            elif value:
                texts.append((key, value))
            continue
        if kind == QuestionKind.MULTIPLE:
            if hasattr(data, "getlist"):
                picked = data.getlist(key)
            else:
                raw = data.get(key) or []
                picked = [raw] if isinstance(raw, str) else [str(p) for p in raw] if isinstance(raw, list) else []
            picked = [p for p in q["options"] if p in picked]  # in the form's order, unknown values dropped
            if not picked and q.get("required", True):
                errors[key] = f"第{number}题「{q['text']}」至少选择一项。"
            elif picked:
                choices[key] = picked
            continue
        value = data.get(key) or ""
        if not isinstance(value, str):
            value = ""
        if value not in q["options"]:
            if value or q.get("required", True):
                errors[key] = f"第{number}题「{q['text']}」请选择一项。"
        else:
            choices[key] = value
    return category, choices, texts, errors
