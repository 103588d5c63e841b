"""Checks of Chinese identity numbers and phone numbers, with messages that say what is wrong."""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import ValidationError

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


def id_card_check_digit(first17: str) -> str:
    return _CHECK[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def validate_id_card(value: str) -> None:
    """An 18-digit 居民身份证号码 (GB 11643): digits, a real birth date and the check digit."""
    value = value.strip().upper()
    if not re.fullmatch(r"\d{17}[\dX]", value):
        raise ValidationError("身份证号应为 18 位，前 17 位为数字，最后一位为数字或 X。")
    try:
        datetime.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise ValidationError("身份证号中的出生日期不存在。") from None
    if id_card_check_digit(value[:17]) != value[17]:
        raise ValidationError("身份证号校验位不正确，请核对。")


def validate_mobile(value: str) -> None:
    if not re.fullmatch(r"1[3-9]\d{9}", value.strip()):
        raise ValidationError("手机号应为 11 位数字，以 13–19 开头。")
