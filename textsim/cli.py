"""Command line: ``python -m textsim scan 文件夹 --out 报告.html``.

Exit codes: 0 = scan finished (unreadable files are listed in the report),
2 = bad input (missing folder, no readable document, unsupported report
format, incompatible index …), always with a Chinese message on stderr.
"""

from __future__ import annotations

import argparse
import os
import re
import sqlite3
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import NoReturn, TypeVar

from .errors import TextsimError
from .extract import DEFAULT_MAX_BYTES
from .index import Config, Index, Progress
from .loader import load_folder
from .report import write_html, write_xlsx
from .store import MemoryStore, SQLiteStore, Store

T = TypeVar("T")
EXIT_OK, EXIT_BAD_INPUT = 0, 2
REPORT_SUFFIXES = {".html": "html", ".htm": "html", ".xlsx": "xlsx"}

_ARGPARSE_MESSAGES = [
    (re.compile(r"the following arguments are required: (.+)"), r"缺少必需的参数：\1"),
    (re.compile(r"unrecognized arguments: (.+)"), r"无法识别的参数：\1"),
    (re.compile(r"argument (.+?): invalid choice: (.+?) \(choose from (.+)\)"), r"参数 \1 的取值 \2 无效（可选：\3）"),
    (re.compile(r"argument (.+?): expected one argument"), r"参数 \1 需要一个值"),
    (re.compile(r"argument (.+?): invalid \w+ value: (.+)"), r"参数 \1 的值 \2 无效"),
]


class UsageError(Exception):
    """Bad command-line input; ``message`` is Chinese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class _ChineseHelpFormatter(argparse.HelpFormatter):
    def add_usage(self, usage: str | None, actions: Iterable[argparse.Action],
                  groups: Iterable[argparse._MutuallyExclusiveGroup], prefix: str | None = None) -> None:
        # argparse passes prefix="" when embedding a sub-command's usage; keep that.
        return super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


class ChineseArgumentParser(argparse.ArgumentParser):
    """ArgumentParser whose headings, help and errors are in Chinese."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("formatter_class", _ChineseHelpFormatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._positionals.title = "位置参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help="显示帮助信息并退出")

    def error(self, message: str) -> NoReturn:
        for pattern, chinese in _ARGPARSE_MESSAGES:
            if pattern.search(message):
                message = pattern.sub(chinese, message)
                break
        else:
            message = f"命令行参数有误：{message}"
        self.print_usage(sys.stderr)
        self.exit(EXIT_BAD_INPUT, f"错误：{message}\n")


def build_parser() -> ChineseArgumentParser:
    parser = ChineseArgumentParser(
        prog="xuncha-textsim", description="述职述廉报告、对照检查材料等文本的查重工具（检测逐年套用、相互抄袭）。")
    commands = parser.add_subparsers(dest="command", metavar="命令", required=True, parser_class=ChineseArgumentParser)
    scan = commands.add_parser("scan", help="扫描文件夹中的 .docx、.pdf、.txt（含 .zip 压缩包）并生成查重报告",
                               description="扫描文件夹（含子文件夹）中的文档，生成查重报告。")
    scan.add_argument("folder", metavar="文件夹", help="待扫描的文件夹")
    scan.add_argument("--out", action="append", required=True, metavar="报告文件",
                      help="报告保存路径，扩展名为 .html 或 .xlsx；可重复指定以同时生成两种报告")
    scan.add_argument("--index", metavar="索引文件",
                      help="SQLite 索引文件：保存已扫描文档，供以后与新文档比对（默认不保存）")
    scan.add_argument("--max-size-mb", type=float, default=DEFAULT_MAX_BYTES / 1024 / 1024, metavar="MB",
                      help="单个文件大小上限，默认 20 MB")
    scan.add_argument("--threshold", type=float, default=Config.flag_copy_ratio, metavar="比例",
                      help="总文字复制比达到该值即列为疑似重复，默认 0.3")
    scan.add_argument("--boilerplate-docs", type=int, default=Config.boilerplate_max_docs, metavar="份数",
                      help="同一表述出现在超过该份数（且超过 --boilerplate-share 比例）的文档中视为公共表述，默认 10")
    scan.add_argument("--boilerplate-share", type=float, default=Config.boilerplate_max_share, metavar="比例",
                      help="公共表述的文档比例阈值，默认 0.05")
    scan.add_argument("--order", choices=("mtime", "name"), default="mtime",
                      help="判断上传先后的依据：mtime＝文件修改时间（默认），name＝文件路径排序")
    scan.add_argument("--title", default="文本查重报告", metavar="标题", help="报告标题")
    scan.add_argument("--workers", type=int, default=None, metavar="进程数",
                      help="建立索引和比对时使用的并行进程数（默认为本机 CPU 核数；设为 1 则不开子进程）")
    scan.add_argument("--no-progress", action="store_true", help="不显示进度条")
    scan.set_defaults(func=run_scan)
    return parser


def make_progress(enabled: bool) -> Progress:
    """Progress bar on stderr (tqdm when installed, else a plain counter line)."""

    def progress(items: Iterable[T], total: int, desc: str) -> Iterable[T]:
        if not enabled or total == 0:
            return items
        try:
            from tqdm import tqdm
        except ImportError:
            return _plain_progress(items, total, desc)
        return tqdm(items, total=total, desc=desc, file=sys.stderr, unit="项", leave=False)

    return progress


def _plain_progress(items: Iterable[T], total: int, desc: str) -> Iterable[T]:
    for i, item in enumerate(items, start=1):
        yield item
        if i == total or i % 50 == 0:
            print(f"\r{desc}：{i}/{total}", end="\n" if i == total else "", file=sys.stderr, flush=True)


def _check_outputs(outs: Sequence[str]) -> list[tuple[Path, str]]:
    checked = []
    for out in outs:
        path = Path(out)
        kind = REPORT_SUFFIXES.get(path.suffix.lower())
        if kind is None:
            raise UsageError(f"不支持的报告格式“{path.suffix or out}”，请使用 .html 或 .xlsx")
        if not path.parent.is_dir():
            raise UsageError(f"报告的保存目录“{path.parent}”不存在")
        checked.append((path, kind))
    return checked


def _open_store(index_path: str | None) -> Store:
    """SQLite index at ``index_path`` (created if missing), or a throw-away in-memory store."""
    if not index_path:
        return MemoryStore()
    path = Path(index_path)
    if not path.parent.is_dir():
        raise UsageError(f"索引文件的目录“{path.parent}”不存在")
    try:
        return SQLiteStore(path)
    except sqlite3.Error as exc:
        raise UsageError(f"索引文件“{path}”无法打开，请确认它是本工具生成的 SQLite 索引") from exc


def run_scan(args: argparse.Namespace) -> int:
    folder = Path(args.folder)
    if not folder.exists():
        raise UsageError(f"文件夹“{folder}”不存在")
    if not folder.is_dir():
        raise UsageError(f"“{folder}”不是文件夹")
    outputs = _check_outputs(args.out)
    if not 0 < args.threshold <= 1:
        raise UsageError("--threshold 应为 0 到 1 之间的比例，例如 0.3")
    if args.max_size_mb <= 0:
        raise UsageError("--max-size-mb 应大于 0")
    if args.workers is None:
        args.workers = os.cpu_count() or 1
    if args.workers < 1:
        raise UsageError("--workers 应为正整数")
    progress = make_progress(not args.no_progress)
    loaded = load_folder(folder, max_bytes=int(args.max_size_mb * 1024 * 1024), order=args.order, progress=progress)
    for name, message in loaded.errors:
        print(f"无法读取：{name}：{message}", file=sys.stderr)
    if not loaded.documents:
        raise UsageError(f"文件夹“{folder}”中没有可读取的文档（支持 .docx、.pdf、.txt 及其 .zip 压缩包）")
    config = Config(flag_copy_ratio=args.threshold, boilerplate_max_docs=args.boilerplate_docs,
                    boilerplate_max_share=args.boilerplate_share)
    store = _open_store(args.index)
    try:
        report = Index(store, config).scan(loaded.documents, progress, workers=args.workers)
    except sqlite3.Error as exc:
        raise UsageError(f"索引文件“{args.index}”读写失败：{exc}") from exc
    finally:
        store.close()
    report.errors = loaded.errors
    for path, kind in outputs:
        try:
            if kind == "html":
                write_html(report, path, title=args.title)
            else:
                write_xlsx(report, path)
        except OSError as exc:
            raise UsageError(f"报告“{path}”无法保存：{exc.strerror or exc}") from exc
    print(f"扫描完成：共 {len(report.subjects)} 份文档，疑似重复 {len(report.flagged())} 份，"
          f"近乎相同文档 {len(report.clusters)} 组，读取失败 {len(loaded.errors)} 个文件。")
    for path, _ in outputs:
        print(f"报告已保存：{path}")
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Console entry point (``xuncha-textsim``); returns the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help (0) or a usage error (2)
        return int(exc.code or 0)
    try:
        return int(args.func(args))
    except UsageError as exc:
        print(f"错误：{exc.message}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except TextsimError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
