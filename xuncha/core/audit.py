"""Verification of the HMAC chains of the logs: an edited, removed or inserted row breaks a link."""

from __future__ import annotations

from dataclasses import dataclass

from .models import ChainHead, ChangeLog, LoginLog, OperationLog

CHAINED_LOGS = (ChangeLog, OperationLog, LoginLog)


@dataclass
class ChainReport:
    name: str
    label: str
    rows: int
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_chain(model) -> ChainReport:
    """Walk the chain in order; report every row whose link or content does not verify."""
    label = str(model._meta.verbose_name)
    problems: list[str] = []
    expected_prev = ""
    expected_seq = 1
    count = 0
    for row in model.objects.order_by("seq").iterator(chunk_size=2000):
        count += 1
        if row.seq != expected_seq:
            problems.append(f"序号 {expected_seq} 至 {row.seq - 1} 的记录缺失（被删除）。")
        if row.prev_mac != expected_prev:
            problems.append(f"序号 {row.seq}：与上一条记录的链接不符（前一条被修改或删除）。")
        if row.compute_mac(row.prev_mac) != row.mac:
            problems.append(f"序号 {row.seq}：内容与校验值不符（记录被篡改）。")
        expected_prev = row.mac
        expected_seq = row.seq + 1
    head = ChainHead.objects.filter(name=model.chain_name()).first()
    if head is not None and (head.seq != expected_seq - 1 or head.mac != expected_prev):
        problems.append(f"链尾不符：应到序号 {head.seq}，实际到 {expected_seq - 1}（末尾记录被删除或篡改）。")
    return ChainReport(model.chain_name(), label, count, problems)


def verify_all() -> list[ChainReport]:
    return [verify_chain(model) for model in CHAINED_LOGS]
