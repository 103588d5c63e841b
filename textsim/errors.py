"""Exception hierarchy of textsim.

Every error raised on purpose by textsim is a :class:`TextsimError`. Each carries
``message``: a complete sentence in simplified Chinese meant to be shown to the
person who uploaded the file, and optionally ``filename`` (the file or archive
entry concerned). ``str(error)`` prefixes the message with the file name so that
logs stay readable; user interfaces should show ``error.message`` and the file
name side by side.
"""

from __future__ import annotations


class TextsimError(Exception):
    """Base class: ``message`` is user-facing Chinese text."""

    default_message = "文本查重处理失败"

    def __init__(self, message: str | None = None, *, filename: str | None = None) -> None:
        self.message: str = message or self.default_message
        self.filename: str | None = filename
        super().__init__(self.__str__())

    def __str__(self) -> str:
        if self.filename:
            return f"{self.filename}：{self.message}"
        return self.message


# --- input files -------------------------------------------------------------


class InputFileError(TextsimError):
    """The uploaded file cannot be turned into text; the user must act."""

    default_message = "文件无法读取"


class UnsupportedFileTypeError(InputFileError):
    default_message = "不支持的文件类型，请上传 .docx、.pdf 或 .txt 文件"


class EmptyFileError(InputFileError):
    default_message = "文件为空，未包含任何文字"


class FileTooLargeError(InputFileError):
    default_message = "文件超过大小限制"


class LegacyDocError(InputFileError):
    default_message = "旧版 Word 文件（.doc）无法直接读取，请另存为 .docx 后上传"


class DocxUnreadableError(InputFileError):
    default_message = "Word 文件加密或损坏，无法读取，请检查后重新上传"


class EncryptedDocumentError(DocxUnreadableError):
    default_message = "文件已加密（设置了打开密码），请解除密码保护后另存为 .docx 再上传"


class PdfUnreadableError(InputFileError):
    default_message = "PDF 文件加密或损坏，无法读取，请检查后重新上传"


class PdfNoTextLayerError(InputFileError):
    default_message = "扫描件无文字层，请提供文字版 PDF 或 Word 文件"


class TextDecodingError(InputFileError):
    default_message = "无法识别文本文件的编码，请另存为 UTF-8 编码后上传"


# --- archives ----------------------------------------------------------------


class ArchiveError(InputFileError):
    """A zip archive (or the zip container of a .docx) was refused."""

    default_message = "压缩包无法读取"


class CorruptArchiveError(ArchiveError):
    default_message = "压缩包已损坏，无法读取"


class ZipBombError(ArchiveError):
    default_message = "压缩包解压后体积异常（疑似压缩炸弹），已拒绝处理"


class TooManyEntriesError(ArchiveError):
    default_message = "压缩包内文件数量过多，已拒绝处理"


class UnsafeArchivePathError(ArchiveError):
    default_message = "压缩包内含有不安全的文件路径，已拒绝处理"


class NestedArchiveError(ArchiveError):
    default_message = "压缩包内不允许再嵌套压缩包，请解压后重新打包上传"


# --- index -------------------------------------------------------------------


class IndexConfigError(TextsimError):
    """The stored index was built with parameters that differ from the current ones."""

    default_message = "查重索引的参数与当前配置不一致，请重建索引"
