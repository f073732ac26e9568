"""Policy matrix of the sales Excel import routes (policy.imports): sales staff and managers
import the sales ledgers; a batch is seen by its uploader and their department's manager, and
read by the GM (who imports nothing: 403 on the upload, the templates and the start), started
by its uploader only; everyone else, 客服部 included, gets 403 on the area and 404 on a batch
(its existence is not told)."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from app.extensions import db
from app.models import DuplicateRule, User
from app.services.imports import batches
from tests.factories.imports import row, upload, workbook
from tests.factories.world import PERSONAS, build_world

SALES = {"sales1", "sales2", "sales_top", "sales_mgr"}
READS = SALES | {"gm"}
SEES_BATCH = {"sales1", "sales_mgr", "gm"}


def only(allowed: set, yes: int = 200, no: int = 403, other: dict | None = None) -> dict:
    return {p: (yes if p in allowed else no) for p in PERSONAS} | (other or {})


EXPECTED = {
    "sales.import_list": only(READS),
    "sales.import_upload": only(SALES),
    "sales.import_template": only(SALES),
    "sales.import_export": only(READS),
    "sales.import_detail": only(SEES_BATCH, no=404),
    "sales.import_status": only(SEES_BATCH, no=404),
    "sales.import_failed": only(SEES_BATCH, no=404),
    "sales.import_start": only({"sales1"}, yes=303, no=404, other={"sales_mgr": 403, "gm": 403}),
}
COVERED = set(EXPECTED)
# Batches in each persona's export of the list: their own upload, and sales1's two for sales1,
# their manager and the GM.
EXPORTED = {"sales1": 3, "sales_mgr": 3, "sales2": 1, "sales_top": 1, "gm": 2}


def _batch(app, user_id: int, rows: list[dict], run: bool) -> int:
    """A batch of `user_id`'s: checked, or written by the job when `run`."""
    with app.app_context():
        actor = db.session.get(User, user_id)
        batch = batches.check_upload(actor, "customers", "m.xlsx", workbook(rows),
                                     DuplicateRule.SKIP)
        db.session.commit()
        if run:
            batches.start(batch, DuplicateRule.SKIP, actor)
            db.session.commit()
            batches.run(batch.id)
        return batch.id


@pytest.mark.usefixtures("immediate_jobs")
@pytest.mark.parametrize("persona", list(PERSONAS))
def test_import_routes_follow_the_matrix(client, app, persona):
    world = build_world(app)
    owner = world.users["sales1"].id
    done = _batch(app, owner, [row(1), row(2, 联系电话="1")], run=True)
    checked = _batch(app, owner, [row(3)], run=False)
    client.login(persona)
    observed = {
        "sales.import_list": client.get("/sales/imports/").status_code,
        "sales.import_upload": upload(client, workbook([row(9)])).status_code,
        "sales.import_template": client.get("/sales/imports/template/customers.xlsx").status_code,
        "sales.import_export": (exported := client.get("/sales/imports/export.xlsx")).status_code,
        "sales.import_detail": client.get(f"/sales/imports/{done}").status_code,
        "sales.import_status": client.get(f"/sales/imports/{done}/status").status_code,
        "sales.import_failed": client.get(f"/sales/imports/{done}/failed.xlsx").status_code,
        "sales.import_start": client.post_form(f"/sales/imports/{checked}/start",
                                               {"duplicate_rule": "skip"}).status_code,
    }
    assert observed == {endpoint: statuses[persona] for endpoint, statuses in EXPECTED.items()}
    if persona in EXPORTED:
        sheet = load_workbook(BytesIO(exported.data)).active
        assert sheet.max_row - 1 == EXPORTED[persona]
