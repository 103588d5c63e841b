"""Fieldwork at scale: list, hub, API and export of talks and petitions with many rows.

    DATABASE_URL=sqlite:////tmp/fieldwork_bench.sqlite3 .venv/bin/python manage.py migrate
    … demo_data, planning_demo (and teams_demo), fieldwork_demo, then:
    DATABASE_URL=sqlite:////tmp/fieldwork_bench.sqlite3 .venv/bin/python benchmarks/fieldwork_lists.py [rows]

Adds `rows` talks and petitions (bulk, no change log) to the first inspection in 了解 and times the
pages as the city office, with the query count of each (constant whatever the row count).
"""

from __future__ import annotations

import os
import sys
import time

import django

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xuncha.settings.base")
django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from xuncha.accounts.models import User  # noqa: E402
from xuncha.fieldwork import services  # noqa: E402
from xuncha.fieldwork.models import Petition, Talk  # noqa: E402
from xuncha.planning.models import Inspection  # noqa: E402


def main(rows: int) -> None:
    inspection = Inspection.objects.filter(stage="understand").first()
    unit = inspection.target_links.first().unit
    Talk.objects.bulk_create([Talk(inspection=inspection, authority_id=inspection.authority_id, unit=unit,
                                   interviewee_name=f"对象{i}", category="staff", status="planned")
                              for i in range(rows)], batch_size=2000)
    Petition.objects.bulk_create([Petition(inspection=inspection, authority_id=inspection.authority_id,
                                           receipt_no=services.new_receipt_no(), channel="letter",
                                           received_date=inspection.round.start_date, category="other",
                                           content=f"反映内容{i}", subject_unit=unit) for i in range(rows)],
                                 batch_size=2000)
    client = Client()
    client.force_login(User.objects.get(username="city_office"))
    pages = [("talk list", "/fieldwork/talks/"), ("petition list", "/fieldwork/petitions/"),
             ("petition search", "/fieldwork/petitions/?q=反映内容77"),
             ("hub (talks)", f"/fieldwork/inspections/{inspection.pk}/?tab=talk"),
             ("index", "/fieldwork/inspections/"), ("API talks", "/api/talks/"), ("API petitions", "/api/petitions/"),
             ("petition export", f"/fieldwork/petitions/export/?inspection={inspection.pk}")]
    print(f"{Talk.objects.count()} talks, {Petition.objects.count()} petitions")
    for label, url in pages:
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            elapsed = time.perf_counter() - started
        print(f"{label:18} {response.status_code} {elapsed * 1000:8.1f} ms {len(queries.captured_queries):3} queries")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
