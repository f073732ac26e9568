"""Policy matrix of 客服部's Excel import routes (policy.imports): 客服部's staff and managers
import its ledgers; a batch is seen by its uploader and their department's manager, and read by
the GM (who imports nothing: 403 on the upload, the templates and the start), started by its
uploader only; everyone else, sales included, gets 403 on the area and 404 on a batch (its
existence is not told)."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from tests.factories.world import PERSONAS, build_world
from tests.service.imports.pages import PAGES, batch_id, ledger_row, ledger_workbook, start, upload

# A customer of build_world's, so that rows find it.
CUSTOMER = "矩阵P级客户有限公司"
ROUTES = ("service.import_list", "service.import_upload", "service.import_template",
          "service.import_export", "service.import_detail", "service.import_status",
          "service.import_failed", "service.import_start")
# Per persona, the statuses of ROUTES in that order; cs1 uploaded the batches.
TABLE = {
    "cs1": (200, 200, 200, 200, 200, 200, 200, 303),
    "cs_mgr": (200, 200, 200, 200, 200, 200, 200, 403),
    "gm": (200, 403, 403, 200, 200, 200, 200, 403),
}
ANYONE_ELSE = (403, 403, 403, 403, 404, 404, 404, 404)
EXPECTED = {persona: dict(zip(ROUTES, TABLE.get(persona, ANYONE_ELSE), strict=True))
            for persona in PERSONAS}
COVERED = set(ROUTES)
# Batches in each persona's export of the list: their own upload, and cs1's two for cs1, their
# manager and the GM.
EXPORTED = {"cs1": 3, "cs_mgr": 3, "gm": 2}


def _batches(client, row: dict) -> tuple[int, int]:
    """cs1's two batches, made on the pages: one written by the job (with a failed row), one
    only checked."""
    client.login("cs1")
    done = batch_id(upload(client, ledger_workbook([row, ledger_row(客户名称="不存在的客户公司")])))
    assert start(client, done).status_code == 303
    return done, batch_id(upload(client, ledger_workbook([row | {"服务内容": "保养"}])))


@pytest.mark.usefixtures("immediate_jobs")
@pytest.mark.parametrize("persona", list(PERSONAS))
def test_service_import_routes_follow_the_matrix(client, app, persona):
    build_world(app)
    row = ledger_row(客户名称=CUSTOMER, 员工信息="cs1", 跟进人员="cs1")
    done, checked = _batches(client, row)
    client.login(persona)
    observed = {
        "service.import_list": client.get(PAGES).status_code,
        "service.import_upload": upload(client, ledger_workbook([row])).status_code,
        "service.import_template": client.get(
            f"{PAGES}template/service_records.xlsx").status_code,
        "service.import_export": (exported := client.get(f"{PAGES}export.xlsx")).status_code,
        "service.import_detail": client.get(f"{PAGES}{done}").status_code,
        "service.import_status": client.get(f"{PAGES}{done}/status").status_code,
        "service.import_failed": client.get(f"{PAGES}{done}/failed.xlsx").status_code,
        "service.import_start": client.post_form(f"{PAGES}{checked}/start",
                                                 {"duplicate_rule": "skip"}).status_code,
    }
    assert observed == EXPECTED[persona]
    if persona in EXPORTED:
        sheet = load_workbook(BytesIO(exported.data)).active
        assert sheet.max_row - 1 == EXPORTED[persona]
