"""Policy matrix: persona x catalogue route x item (four sales contracts, one per level, and
an internal 客服 item) -> status.

Rules checked (issue 13 req. 11): the archivist sees every department's metadata within
their clearance, prints copies (single and batch) and voids numbers, but reads no content
inline; department staff and managers see their own department's items, and only know of
another department's (403, a loan may be requested); the GM sees everything and reads the
content; administrators and auditors nothing; above the user's clearance an item is 404 on
every route. A batch print job is its archivist's alone."""

import pytest

from app.extensions import db
from app.models import DeptCode, Level, User
from app.models.archive import PrintFormat
from app.services.archive.items import batch
from tests.factories import snapshots
from tests.factories.archive import catalogue_item
from tests.factories.world import PERSONAS, build_world
from tests.support import sheet

KEYS = ("P", "I", "S", "C", "K")
LEVELS = {"P": Level.PUBLIC, "I": Level.INTERNAL, "S": Level.SECRET, "C": Level.CONFIDENTIAL}
NONE = (404,) * 5
VIEW = {
    "sales1": (200, 200, 404, 404, 403), "sales2": (200, 200, 404, 404, 403),
    "sales_top": (200, 200, 200, 200, 403), "sales_mgr": (200, 200, 200, 404, 403),
    "cs1": (403, 403, 404, 404, 200), "cs_mgr": (403, 403, 403, 404, 200),
    "risk1": (403, 403, 404, 404, 403), "gm": (200,) * 5,
    "archivist": (200, 200, 200, 404, 200), "admin": NONE, "auditor": NONE,
}
LISTED = {"sales1": "PI", "sales2": "PI", "sales_top": "PISC", "sales_mgr": "PIS",
          "cs1": "K", "cs_mgr": "K", "risk1": "", "gm": "PISCK", "archivist": "PISK"}
METADATA_READERS = set(LISTED)
COVERED = {"archive.item_list", "archive.item_export", "archive.contract_register",
           "archive.contract_register_print", "archive.item_detail", "archive.item_void",
           "archive.item_copy", "archive.item_print_batch", "archive.print_job",
           "archive.print_file"}


def _only(persona: str, allowed: str, status: int) -> tuple:
    """Where the item is known to the persona: `status` for the `allowed` persona, else
    403; unknown items stay 404."""
    return tuple(s if s == 404 else (status if persona == allowed else 403)
                 for s in VIEW[persona])


@pytest.fixture
@snapshots.reused(folders=("ARCHIVE_ROOT",))
def world(app):
    world = build_world(app)
    by = world.users["archivist"]
    world.items = {key: catalogue_item(app, by, level=level, title=f"矩阵{key}级合同")
                   for key, level in LEVELS.items()}
    world.items["K"] = catalogue_item(app, by, dept=DeptCode.SERVICE, record_type="ServiceRecord",
                                      title="矩阵客服服务记录")
    with app.app_context():
        job = batch.request_print([world.items["P"].id], PrintFormat.PDF,
                                  db.session.get(User, by.id))
        db.session.commit()
        batch.run(job.id)
        world.job_id = job.id
    return world


def _listed(response, world) -> str | None:
    if response.status_code != 200:
        return None
    if response.mimetype.endswith("spreadsheetml.sheet"):
        text = str(sheet(response))
    else:
        text = response.get_data(as_text=True)
    return "".join(k for k in KEYS if world.items[k].archive_number in text)


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_catalogue_routes_follow_the_matrix(app, client, world, persona):
    """Each persona gets exactly the expected answer on every catalogue route and item."""
    client.login(persona)
    urls = {k: f"/archive/items/{world.items[k].id}" for k in KEYS}

    def each(path: str, data=None) -> tuple:
        if data is None:
            return tuple(client.get(urls[k] + path).status_code for k in KEYS)
        return tuple(client.post_form(urls[k] + path, data).status_code for k in KEYS)

    job = f"/archive/items/prints/{world.job_id}"
    ids = [str(world.items[k].id) for k in KEYS]
    observed = {
        "detail": each(""),
        "fragment": tuple(client.htmx("GET", urls[k]).status_code for k in KEYS),
        "copy": each("/copy.pdf"),
        "download": each("/copy.pdf?download=1"),
        "list": _listed(client.get("/archive/items/"), world),
        "export": _listed(client.get("/archive/items/export.xlsx"), world),
        "register": _listed(client.get("/archive/items/contracts"), world),
        "register_pdf": client.get("/archive/items/contracts.pdf").status_code,
        "batch": client.post_form("/archive/items/print",
                                  {"item_ids": ids, "format": "zip"}).status_code,
        "job": client.get(job).status_code,
        "job_file": client.get(f"{job}/file").status_code,
        "void": each("/void", {"reason": "矩阵测试"}),
    }
    expected = {
        "detail": VIEW[persona], "fragment": VIEW[persona],
        "copy": _only(persona, "gm", 200), "download": _only(persona, "archivist", 200),
        "list": LISTED.get(persona), "export": LISTED.get(persona),
        "register": LISTED[persona].replace("K", "") if persona in LISTED else None,
        "register_pdf": 200 if persona in METADATA_READERS else 403,
        "batch": 303 if persona == "archivist" else 403,
        "job": 200 if persona == "archivist" else 404,
        "job_file": 200 if persona == "archivist" else 404,
        "void": _only(persona, "archivist", 303),
    }
    assert observed == expected
