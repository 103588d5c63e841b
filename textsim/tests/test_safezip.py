from __future__ import annotations

import io
import zipfile

import pytest

from textsim.errors import (
    CorruptArchiveError,
    NestedArchiveError,
    TooManyEntriesError,
    UnsafeArchivePathError,
    ZipBombError,
)
from textsim.safezip import ZipLimits, check_entry_name, iter_zip


def _zip(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _gbk_zip(name: str, data: bytes) -> bytes:
    """A zip whose entry name is GBK bytes without the UTF-8 flag, as Windows tools write it."""
    raw = name.encode("gbk")
    placeholder = "x" * len(raw)
    archive = _zip({placeholder: data})
    return archive.replace(placeholder.encode("ascii"), raw)


def test_reads_entries_and_skips_os_junk() -> None:
    data = _zip({"2023/张三.txt": "内容".encode(), "__MACOSX/._a": b"x", "~$锁定.docx": b"x", "dir/": b""})
    entries = list(iter_zip(data))
    assert [(e.name, e.data) for e in entries] == [("2023/张三.txt", "内容".encode())]


def test_gbk_names_without_the_utf8_flag_are_decoded() -> None:
    (entry,) = iter_zip(_gbk_zip("述职报告/李四.txt", b"abc"))
    assert entry.name == "述职报告/李四.txt"


@pytest.mark.parametrize("name", ["../evil.txt", "a/../../evil.txt", "/etc/passwd", "C:/Windows/x.txt",
                                  "..\\evil.txt"])
def test_path_traversal_is_refused_naming_the_entry(name: str) -> None:
    with pytest.raises(UnsafeArchivePathError) as err:
        list(iter_zip(_zip({"ok.txt": b"x", name: b"evil"})))
    assert name in err.value.message and "不安全" in err.value.message


def test_check_entry_name_normalises_harmless_names() -> None:
    assert check_entry_name("./a//b.txt") == "a/b.txt"


def test_nested_archives_are_refused() -> None:
    with pytest.raises(NestedArchiveError) as err:
        list(iter_zip(_zip({"a.txt": b"x", "内层.zip": _zip({"b.txt": b"y"})})))
    assert "内层.zip" in err.value.message


def test_zip_bomb_by_ratio() -> None:
    bomb = _zip({"报告.txt": b"0" * (8 * 1024 * 1024)})
    with pytest.raises(ZipBombError) as err:
        list(iter_zip(bomb))
    assert "报告.txt" in err.value.message and "压缩" in err.value.message


def test_zip_bomb_by_total_size_and_entry_size() -> None:
    archive = _zip({f"{i}.txt": bytes(range(256)) * 40 for i in range(10)})  # 10 KB each
    with pytest.raises(ZipBombError):
        list(iter_zip(archive, ZipLimits(max_total_bytes=50_000)))
    with pytest.raises(ZipBombError) as err:
        list(iter_zip(archive, ZipLimits(max_entry_bytes=5_000)))
    assert "0.txt" in err.value.message


def test_too_many_entries() -> None:
    with pytest.raises(TooManyEntriesError):
        list(iter_zip(_zip({f"{i}.txt": b"x" for i in range(30)}), ZipLimits(max_entries=20)))


def test_corrupt_archive() -> None:
    with pytest.raises(CorruptArchiveError):
        list(iter_zip(b"PK\x03\x04 not really a zip"))
    good = _zip({"a.txt": b"hello world" * 100})
    damaged = good.replace(b"hello", b"HELLO", 1) if b"hello" in good else good[:60] + b"\xff" * 20 + good[80:]
    with pytest.raises(CorruptArchiveError):
        list(iter_zip(damaged))
