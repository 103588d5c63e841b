"""Records of county B for the URL walk (xuncha/core/tests/test_url_walk.py): one per model key of the
dupcheck routes, so the walk can ask every route for a record the county-A officer must not reach.

Registered with core.testing's `walk_objects`, which the walk reads.
"""

from __future__ import annotations

from xuncha.core.files import store_bytes
from xuncha.core.models import Job
from xuncha.core.testing.resources import walk_objects as register_walk_objects
from xuncha.dupcheck.choices import KIND_DEBRIEFING
from xuncha.dupcheck.models import Document, DocumentMatch, Scan

__all__ = ["walk_objects"]


@register_walk_objects
def walk_objects(world) -> dict:
    """{model key of a route name: a county-B record}; made once per world."""
    cached = getattr(world, "_dupcheck_walk", None)
    if cached is not None:
        return cached
    owner = world.users["office_b"]
    docs = []
    for year in (2023, 2024):
        stored = store_bytes(f"桐溪县{year}年度述职述廉报告".encode(), name=f"李桐溪{year}.txt", user=owner)
        docs.append(Document.objects.create(
            cadre=world.cadre_b, unit=world.unit_b, region=world.county_b, year=year, kind=KIND_DEBRIEFING,
            file=stored, filename=stored.original_name, author=world.cadre_b.name, text=f"{year}年度述职述廉报告",
            created_by=owner))
    match = DocumentMatch.objects.create(doc_a=docs[0], doc_b=docs[1], jaccard=1.0, a_share=1.0, b_share=1.0,
                                         near_duplicate=True)
    job = Job.objects.create(kind="dupcheck_scan", title="他人的雷同检测", user=owner, status=Job.Status.SUCCEEDED)
    scan = Scan.objects.create(job=job, mode="scope", created_by=owner)
    scan.subjects.set(docs)
    world._dupcheck_walk = {"document": docs[0], "pair": match, "scan": scan,
                            "dupcheckdocument": docs[0], "dupcheckscan": scan}
    return world._dupcheck_walk
