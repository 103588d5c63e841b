from __future__ import annotations

import io
import os
import random
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

import textsim
from textsim.cli import main
from textsim.synthetic import edit_paragraph, make_report, make_self_criticism, shift_year

from .conftest import write_docx
from .pdfgen import chinese_text_pdf, scanned_pdf


def _corpus(folder: Path) -> None:
    """Year-reused report (.docx → .txt), a self-criticism copied into a PDF, noise and bad files."""
    rng = random.Random(42)
    r2023 = make_report(rng, 2023, name="黄海波")
    r2024 = edit_paragraph(shift_year(r2023, 2023, 2024), rng, index=2)
    write_docx(folder / "2023" / "黄海波述职述廉报告.docx", r2023.split("\n"), table=[["备注", "无"]])
    (folder / "2024").mkdir()
    (folder / "2024" / "黄海波述职述廉报告.txt").write_text(r2024, encoding="gb18030")
    original = make_self_criticism(random.Random(7), 2023, name="林芳")
    write_docx(folder / "林芳对照检查材料.docx", original.split("\n"))
    (folder / "郭强对照检查材料.pdf").write_bytes(chinese_text_pdf(original.replace("林芳", "郭强").split("\n")))
    for i in range(3):
        (folder / f"其他{i}.txt").write_text(make_report(random.Random(500 + i), 2024), encoding="utf-8")
    (folder / "扫描件.pdf").write_bytes(scanned_pdf())
    (folder / "老文件.doc").write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 512)
    (folder / "空白.txt").write_bytes(b"")
    (folder / "~$锁定文件.docx").write_bytes(b"lock")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("批量/另一份.txt", make_report(random.Random(900), 2024))
    (folder / "批量上传.zip").write_bytes(buf.getvalue())
    # Make upload order explicit: the 2023 file is older.
    os.utime(folder / "2023" / "黄海波述职述廉报告.docx", (1_600_000_000, 1_600_000_000))
    os.utime(folder / "林芳对照检查材料.docx", (1_600_000_000, 1_600_000_000))


def test_scan_end_to_end_html_and_xlsx(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "材料"
    (folder / "2023").mkdir(parents=True)
    _corpus(folder)
    html_out, xlsx_out = tmp_path / "报告.html", tmp_path / "报告.xlsx"
    code = main(["scan", str(folder), "--out", str(html_out), "--out", str(xlsx_out)])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "扫描完成：共 8 份文档" in captured.out and "读取失败 3 个文件" in captured.out
    assert "扫描件无文字层，请提供文字版 PDF 或 Word 文件" in captured.err
    assert "建立索引" in captured.err  # progress bar on stderr

    page = html_out.read_text(encoding="utf-8")
    assert "<script" not in page and "https://" not in page and "http://" not in page
    assert "2023/黄海波述职述廉报告.docx ↔ 2024/黄海波述职述廉报告.txt（近乎相同）" in page
    assert "林芳对照检查材料.docx ↔ 郭强对照检查材料.pdf" in page
    assert "老文件.doc" in page and "请另存为 .docx 后上传" in page and "空白.txt" in page
    assert '<mark class="copy">' in page

    wb = openpyxl.load_workbook(xlsx_out)
    assert wb.sheetnames == ["文档复制比", "文档对比", "近乎相同聚类", "标记段落", "读取失败"]
    rows = {r[0]: r for r in wb["文档复制比"].iter_rows(min_row=2, values_only=True)}
    reused = rows["2024/黄海波述职述廉报告.txt"]
    assert reused[1] == "黄海波" and reused[3] >= 0.8 and reused[10] == "是"
    assert rows["郭强对照检查材料.pdf"][6] == "林芳对照检查材料.docx"
    assert rows["批量上传.zip/批量/另一份.txt"][10] == "否"
    clusters = list(wb["近乎相同聚类"].iter_rows(min_row=2, values_only=True))
    sources = [r[1] for r in clusters if r[4] == "疑似来源（最早上传）"]
    assert "2023/黄海波述职述廉报告.docx" in sources and "林芳对照检查材料.docx" in sources
    assert len(list(wb["读取失败"].iter_rows(min_row=2))) == 3


def test_index_file_carries_earlier_scans_forward(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = make_report(random.Random(77), 2023, name="邓超")
    first, second = tmp_path / "2023", tmp_path / "2024"
    first.mkdir()
    second.mkdir()
    (first / "邓超.txt").write_text(text, encoding="utf-8")
    (first / "他人.txt").write_text(make_report(random.Random(78), 2023), encoding="utf-8")
    (second / "邓超.txt").write_text(shift_year(text, 2023, 2024), encoding="utf-8")
    index = tmp_path / "index.sqlite"
    assert main(["scan", str(first), "--out", str(tmp_path / "a.html"), "--index", str(index), "--no-progress"]) == 0
    assert main(["scan", str(second), "--out", str(tmp_path / "b.xlsx"), "--index", str(index), "--no-progress", "--workers", "2"]) == 0
    capsys.readouterr()
    rows = list(openpyxl.load_workbook(tmp_path / "b.xlsx")["文档复制比"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == 1 and rows[0][0] == "邓超.txt" and rows[0][3] > 0.95
    # The source found is last year's file from the first scan (same display name, other folder).
    pairs = list(openpyxl.load_workbook(tmp_path / "b.xlsx")["文档对比"].iter_rows(min_row=2, values_only=True))
    assert pairs and pairs[0][2] > 0.95


@pytest.mark.parametrize("argv, message", [
    (["scan", "/no/such/folder", "--out", "r.html"], "不存在"),
    (["scan", ".", "--out", "report.pdf"], "不支持的报告格式"),
    (["scan", "."], "缺少必需的参数"),
    (["scan", ".", "--out", "r.html", "--order", "size"], "无效"),
    (["frobnicate"], "无效"),
])
def test_bad_input_exits_2_with_a_chinese_message(argv: list[str], message: str,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    assert message in capsys.readouterr().err


def test_folder_without_readable_documents(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "扫描件.pdf").write_bytes(scanned_pdf())
    assert main(["scan", str(tmp_path / "in"), "--out", str(tmp_path / "r.html"), "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert "没有可读取的文档" in err and "扫描件无文字层" in err
    assert not (tmp_path / "r.html").exists()


def test_help_is_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scan", "--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("用法：") and "显示帮助信息并退出" in out


def test_python_dash_m_entry_point(tmp_path: Path) -> None:
    root = str(Path(textsim.__file__).resolve().parents[1])
    result = subprocess.run([sys.executable, "-m", "textsim", "scan", str(tmp_path / "missing"), "--out", "x.html"],
                            check=False, capture_output=True, text=True, cwd=root, env={**os.environ, "PYTHONPATH": root})
    assert result.returncode == 2 and "错误：文件夹" in result.stderr


def test_textsim_never_imports_django() -> None:
    root = str(Path(textsim.__file__).resolve().parents[1])
    code = ("import sys, textsim, textsim.cli, textsim.report, textsim.loader, textsim.synthetic; "
            "sys.exit(1 if any(m == 'django' or m.startswith('django.') for m in sys.modules) else 0)")
    result = subprocess.run([sys.executable, "-c", code], check=False, cwd=root,
                            env={**os.environ, "PYTHONPATH": root})
    assert result.returncode == 0


def test_bad_index_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(make_report(random.Random(3)), encoding="utf-8")
    bogus = tmp_path / "not-an-index.sqlite"
    bogus.write_bytes(b"this is not a database" * 100)
    assert main(["scan", str(folder), "--out", str(tmp_path / "r.html"), "--index", str(bogus),
                 "--no-progress"]) == 2
    assert "索引文件" in capsys.readouterr().err
    assert main(["scan", str(folder), "--out", str(tmp_path / "r.html"), "--index",
                 str(tmp_path / "missing-dir" / "i.sqlite"), "--no-progress"]) == 2
    assert "不存在" in capsys.readouterr().err


def test_scan_uses_every_core_unless_told(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import textsim.cli as cli
    from textsim.index import Index

    seen: list[int | None] = []
    original = Index.scan

    def spy(self, docs, progress=None, *, workers=None):  # noqa: ANN001, ANN202
        seen.append(workers)
        return original(self, docs, progress, workers=workers)

    monkeypatch.setattr(Index, "scan", spy)
    monkeypatch.setattr(cli.os, "cpu_count", lambda: 3)
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text("认真落实全面从严治党主体责任，持续深化作风建设。" * 10, encoding="utf-8")
    assert main(["scan", str(folder), "--out", str(tmp_path / "r.html"), "--no-progress"]) == 0
    assert main(["scan", str(folder), "--out", str(tmp_path / "s.html"), "--no-progress", "--workers", "1"]) == 0
    assert seen == [3, 1]
    assert main(["scan", str(folder), "--out", str(tmp_path / "t.html"), "--no-progress", "--workers", "0"]) == 2
