"""Reports checked for duplicated text, the pairs found, batch scans, and the tables of the index.

Three groups of tables:

* the domain: :class:`Document` (a cadre's report, scoped like the cadre), :class:`DocumentMatch`
  (two documents and the passages they share, a fact about the pair whoever computed it) and
  :class:`Scan` (a batch check run as a background job, seen by the person who started it);
* the index of the duplicate-text engine (textsim's ``Store`` interface, see ``store.py``):
  :class:`IndexEntry`, :class:`IndexBand`, :class:`IndexFingerprint`, :class:`IndexDocFreq`,
  :class:`IndexMeta`. They hold derived data only and can be rebuilt (``manage.py dupcheck_reindex``).
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from xuncha.core.models import BaseModel, DictField, Job, SoftDeleteModel, StoredFile

from . import choices as c

__all__ = [
    "Document",
    "DocumentMatch",
    "Scan",
    "IndexEntry",
    "IndexBand",
    "IndexFingerprint",
    "IndexDocFreq",
    "IndexMeta",
]


class Document(SoftDeleteModel):
    """A report (述职述廉报告, 民主生活会对照检查材料 …) of one cadre for one year.

    Scope follows the cadre: `region` and `unit` are the cadre's at upload time (denormalised so
    that the scope check is one hop). The text is extracted once at upload and never changes;
    the uploaded bytes are kept by their SHA-256 in `file` (the same bytes are stored once).
    """

    cadre = models.ForeignKey("org.Cadre", verbose_name="干部", on_delete=models.PROTECT,
                              related_name="dupcheck_documents")
    unit = models.ForeignKey("org.Unit", verbose_name="单位（班子）", on_delete=models.PROTECT,
                             related_name="dupcheck_documents", editable=False)
    region = models.ForeignKey("org.Region", verbose_name="所属区域", on_delete=models.PROTECT,
                               related_name="dupcheck_documents", editable=False)
    year = models.PositiveSmallIntegerField("年度")
    kind = DictField("材料类型", dict_code=c.DICT_REPORT_KIND)
    meeting = models.CharField("会议", max_length=100, blank=True,
                               help_text="民主生活会等会议的名称；同一会议的材料互相比对")
    file = models.ForeignKey(StoredFile, verbose_name="原文件", on_delete=models.PROTECT, related_name="+")
    filename = models.CharField("文件名", max_length=255)
    author = models.CharField("作者", max_length=50, help_text="比对时从正文中忽略的本人姓名")
    text = models.TextField("提取的文字")
    char_count = models.PositiveIntegerField("字数", default=0)
    uploaded_at = models.DateTimeField("上传时间", default=timezone.now, db_index=True)
    # Kept from the last check: length of the normalised text and where its 公共表述 lie.
    norm_length = models.PositiveIntegerField("比对字数", default=0, editable=False)
    boilerplate_ranges = models.JSONField("公共表述位置", default=list, blank=True, editable=False)
    checked_at = models.DateTimeField("最近比对时间", null=True, blank=True, editable=False)

    scope_paths = {"region": "region", "unit": "unit"}
    history_exclude = ("text", "boilerplate_ranges", "norm_length", "checked_at")

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = verbose_name_plural = "报告材料"
        indexes = [
            models.Index(fields=["region", "is_deleted", "year"]),
            models.Index(fields=["cadre", "year"]),
            models.Index(fields=["unit", "year"]),
            models.Index(fields=["meeting"]),
        ]

    def __str__(self):
        return f"{self.author} {self.year}年度 {self.kind_label}"

    @property
    def kind_label(self) -> str:
        from xuncha.core import dictionaries

        return dictionaries.label(c.DICT_REPORT_KIND, self.kind)

    @property
    def uploaded_by(self):
        return self.created_by

    @property
    def doc_id(self) -> str:
        """The id of this document in the textsim index."""
        return str(self.pk)


class DocumentMatch(models.Model):
    """Two documents that share passages: exact similarity, copied shares and spans of both sides.

    `doc_a` always has the smaller id. Spans are lists of
    ``[start, end, orig_start, orig_end, partner_orig_start, partner_orig_end, boilerplate]``
    (normalised and original character offsets, see textsim.scoring.MatchedSpan). A match is shown
    only to a person who sees both documents (selectors.matches_for_user).
    """

    doc_a = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="+")
    doc_b = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="+")
    jaccard = models.FloatField("相似度（Jaccard）")
    containment_a = models.FloatField(default=0.0)
    containment_b = models.FloatField(default=0.0)
    a_share = models.FloatField("甲中与乙相同的文字占比")
    b_share = models.FloatField("乙中与甲相同的文字占比")
    near_duplicate = models.BooleanField("近乎相同", default=False)
    a_spans = models.JSONField(default=list)
    b_spans = models.JSONField(default=list)
    computed_at = models.DateTimeField("比对时间", default=timezone.now)

    class Meta:
        ordering = ["-id"]
        verbose_name = verbose_name_plural = "比对结果"
        constraints = [
            models.UniqueConstraint(fields=["doc_a", "doc_b"], name="dupcheck_match_unique_pair"),
            models.CheckConstraint(condition=models.Q(doc_a__lt=models.F("doc_b")),
                                   name="dupcheck_match_ordered_pair"),
        ]
        indexes = [models.Index(fields=["doc_b"])]

    def __str__(self):
        return f"比对 {self.doc_a_id}–{self.doc_b_id}"

    @property
    def max_share(self) -> float:
        return max(self.a_share, self.b_share)

    def side(self, doc_id: int) -> tuple[float, float, list, int]:
        """(share, containment, spans, partner id) as seen from document `doc_id`."""
        if doc_id == self.doc_a_id:
            return self.a_share, self.containment_a, self.a_spans, self.doc_b_id
        return self.b_share, self.containment_b, self.b_spans, self.doc_a_id


class Scan(BaseModel):
    """A batch check: the chosen documents, the mode of comparison, and the background job running it.

    Seen only by the person who started it (like every Job); what its pages show is further
    limited to the documents that person can see when looking.
    """

    job = models.OneToOneField(Job, verbose_name="后台任务", on_delete=models.PROTECT, related_name="dupcheck_scan")
    mode = models.CharField("比对方式", max_length=16, choices=c.ScanMode.choices)
    criteria = models.JSONField("筛选条件", default=dict, blank=True)
    subjects = models.ManyToManyField(Document, verbose_name="检测材料", related_name="+")
    summary = models.JSONField("结果摘要", default=dict, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = verbose_name_plural = "雷同检测"

    def __str__(self):
        return self.job.title if self.job_id else f"雷同检测 {self.pk}"


# --- The index (textsim Store) ------------------------------------------------------------------


class IndexEntry(models.Model):
    """One indexed document: textsim's Document plus its MinHash signature. `id` is insertion order."""

    doc_id = models.CharField(max_length=64, unique=True)
    content_sha256 = models.CharField(max_length=64, db_index=True)
    author = models.CharField(max_length=100, null=True, blank=True)
    uploaded_at = models.FloatField(default=0.0)
    metadata = models.JSONField(default=dict, blank=True)
    text = models.TextField()
    norm_length = models.PositiveIntegerField()
    signature = models.BinaryField()  # num_perm little-endian uint32

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = "查重索引文档"

    def __str__(self):
        return self.doc_id


class IndexBand(models.Model):
    """LSH bucket membership: document `entry` has hash `hash` in band `band`."""

    entry = models.ForeignKey(IndexEntry, on_delete=models.CASCADE, related_name="bands")
    band = models.PositiveSmallIntegerField()
    hash = models.BigIntegerField()

    class Meta:
        ordering = ["entry_id", "band"]
        indexes = [models.Index(fields=["band", "hash"], name="dupcheck_band_lookup")]

    def __str__(self):
        return f"{self.entry_id}:{self.band}"


class IndexFingerprint(models.Model):
    """A winnowing fingerprint of a document at normalised position `pos`."""

    entry = models.ForeignKey(IndexEntry, on_delete=models.CASCADE, related_name="fingerprints")
    hash = models.BigIntegerField(db_index=True)
    pos = models.PositiveIntegerField()

    class Meta:
        ordering = ["entry_id", "pos"]

    def __str__(self):
        return f"{self.entry_id}@{self.pos}"


class IndexDocFreq(models.Model):
    """Number of indexed documents holding fingerprint `hash` (公共表述 when large)."""

    hash = models.BigIntegerField(primary_key=True)
    n = models.PositiveIntegerField()

    class Meta:
        ordering = ["hash"]

    def __str__(self):
        return f"{self.hash}×{self.n}"


class IndexMeta(models.Model):
    """Index parameters (checked by textsim when the index is opened)."""

    key = models.CharField(max_length=100, primary_key=True)
    value = models.TextField()

    class Meta:
        ordering = ["key"]

    def __str__(self):
        return self.key
