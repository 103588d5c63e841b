"""Password rules of 等保 2.0 level 3: at least 8 characters from 3 of the 4 classes."""

from __future__ import annotations

import string

from django.core.exceptions import ValidationError


def character_classes(password: str) -> int:
    classes = [
        any(ch.isupper() and ch.isascii() for ch in password),
        any(ch.islower() and ch.isascii() for ch in password),
        any(ch.isdigit() for ch in password),
        any(ch in string.punctuation or not ch.isalnum() for ch in password),
    ]
    return sum(classes)


class ComplexityValidator:
    def __init__(self, min_length: int = 8, min_classes: int = 3):
        self.min_length = min_length
        self.min_classes = min_classes

    def validate(self, password: str, user=None) -> None:
        errors = []
        if len(password) < self.min_length:
            errors.append(ValidationError(f"密码长度至少 {self.min_length} 位。", code="password_too_short"))
        if character_classes(password) < self.min_classes:
            errors.append(ValidationError(
                f"密码须包含大写字母、小写字母、数字、特殊字符中的至少 {self.min_classes} 类。",
                code="password_too_simple",
            ))
        if errors:
            raise ValidationError(errors)

    def get_help_text(self) -> str:
        return f"至少 {self.min_length} 位，包含大写字母、小写字母、数字、特殊字符中的至少 {self.min_classes} 类。"
