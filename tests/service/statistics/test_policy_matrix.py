"""Policy matrix: persona × statistics, report and record print route × confidentiality.

Rules checked (policy.service.StatisticsRules, ServiceRecordRules): the statistics and the
weekly report are for 客服 staff (their own records), the 客服 manager, the GM and — the
supervision exception (服务、监督两条线) — the sales manager, whose copy holds figures only; the
monthly 服务监督报告 for the 客服 manager, the GM and the sales manager; everyone else 403.
Each reader counts only the records of their scope and clearance. The record's PDF follows its
view: 404 for who may not read it or whose clearance is below its level.
"""

from datetime import datetime

import pytest

from tests.factories import snapshots
from tests.factories.service import make_service_record
from tests.factories.world import PERSONAS, RECORDS, build_world

LEVELS = list(RECORDS)  # P, I, S, C
NONE = (404, 404, 404, 404)
PRINT = {
    "sales1": (200, 200, 404, 404),  # the customers' owner reads their service history
    "sales2": NONE,
    "sales_top": (404, 404, 200, 200),
    "sales_mgr": NONE,  # not the owner, registered none: the exception is aggregates only
    "cs1": (200, 200, 404, 404),  # registered them all; clearance 内部
    "cs_mgr": (200, 200, 200, 404),
    "risk1": NONE,
    "gm": (200, 200, 200, 200),
    "archivist": NONE, "admin": NONE, "auditor": NONE,
}
READERS = {"cs1", "cs_mgr", "gm", "sales_mgr"}
MONTHLY_READERS = {"cs_mgr", "gm", "sales_mgr"}
COUNTED = {"cs1": 2, "cs_mgr": 3, "gm": 4, "sales_mgr": 3}
STATISTICS = ("/service/statistics/?year=2026", "/service/statistics/export.xlsx?year=2026",
              "/service/statistics/print.pdf?year=2026",
              "/service/statistics/weekly?week=2026-03-02",
              "/service/statistics/weekly.xlsx?week=2026-03-02",
              "/service/statistics/weekly.pdf?week=2026-03-02")
MONTHLY = ("/service/statistics/monthly?month=2026-03",
           "/service/statistics/monthly.xlsx?month=2026-03",
           "/service/statistics/monthly.pdf?month=2026-03")
COVERED = {"service.statistics_overview", "service.statistics_export",
           "service.statistics_print", "service.weekly_report", "service.weekly_report_export",
           "service.weekly_report_pdf", "service.supervision_report",
           "service.supervision_report_export", "service.supervision_report_pdf",
           "service.record_print"}


@pytest.fixture
@snapshots.reused
def world(app):
    world = build_world(app)
    cs1 = world.users["cs1"]
    world.records = {key: make_service_record(app, cs1, world.customers[key],
                                              handler_id=cs1.id,
                                              service_at=datetime(2026, 3, 2, 9, 0))
                     for key in LEVELS}
    return world


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_statistics_routes_follow_the_matrix(client, world, persona):
    """Each persona gets exactly the expected answer on every statistics and print route, and
    a reader's page counts the records of their scope and clearance."""
    client.login(persona)
    observed = {
        "statistics": tuple(client.get(url).status_code for url in STATISTICS),
        "monthly": tuple(client.get(url).status_code for url in MONTHLY),
        "fragment": client.htmx("GET", STATISTICS[0]).status_code,
        "print": tuple(client.get(f"/service/records/{world.records[k].id}/print.pdf")
                       .status_code for k in LEVELS),
    }
    allowed = persona in READERS
    expected = {
        "statistics": (200 if allowed else 403,) * len(STATISTICS),
        "monthly": (200 if persona in MONTHLY_READERS else 403,) * len(MONTHLY),
        "fragment": 200 if allowed else 403,
        "print": PRINT[persona],
    }
    assert observed == expected
    if allowed:
        html = client.get(STATISTICS[0]).get_data(as_text=True)
        assert f'data-figure="count">{COUNTED[persona]}<' in html


def test_anonymous_users_are_sent_to_sign_in(client, world):
    """Without a session every statistics page and the record print redirect to /login."""
    for url in (*STATISTICS, *MONTHLY, f"/service/records/{world.records['P'].id}/print.pdf"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url
