"""Policy matrix of the SLA settings: persona x route -> what the server answers.

Rules: 客服 staff, the 客服 manager and the GM read the policies, their export and the
recompute progress; only the 客服 manager edits a policy, links or unlinks a contract's on-site
profile and restarts the recompute (the GM: 403 on every change); every other persona,
administrators and auditors included, gets 403. A contract above the reader's clearance is left
out of the linked contracts, and a manager below its level cannot link it."""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models.service.sla import ContractSlaProfile, SlaKind, SlaPolicy, SlaRecomputeRun
from tests.factories import snapshots
from tests.factories.sales import make_contract
from tests.factories.world import PERSONAS, build_world

COVERED = {"service.sla_policies", "service.sla_policy_export", "service.sla_policy_edit",
           "service.sla_contract_attach", "service.sla_contract_detach",
           "service.sla_run_status", "service.sla_recompute"}
READERS = {"cs1", "cs_mgr", "gm"}
EDIT = {"name": "标准时限", "calendar": "work", "response_hours": "1.5",
        "resolution_hours": "8", "version": "1"}
OWNERS = {"P": "sales1", "I": "sales1", "S": "sales_top", "C": "sales_top"}

pytestmark = pytest.mark.usefixtures("immediate_jobs")


@pytest.fixture
@snapshots.reused
def world(app):
    """A contract per level (I and S linked to the on-site profile) and one finished run."""
    world = build_world(app)
    users = world.users
    world.contracts = {key: make_contract(app, world.customers[key], by=users[owner],
                                          name=f"矩阵{key}级上门合同")
                       for key, owner in OWNERS.items()}
    with app.app_context():
        world.profile = db.session.scalar(select(SlaPolicy.id).where(
            SlaPolicy.kind == SlaKind.ON_SITE))
        for key in ("I", "S"):
            db.session.add(ContractSlaProfile(contract_id=world.contracts[key].id,
                                              policy_id=world.profile,
                                              attached_by_id=users["cs_mgr"].id))
        run = SlaRecomputeRun(reason="测试", status="done", total=0, processed=0,
                              last_record_id=0)
        db.session.add(run)
        db.session.commit()
        world.run = run.id
    return world


def _expected(persona: str) -> dict:
    reads = 200 if persona in READERS else 403
    changes = 303 if persona == "cs_mgr" else 403
    return {"list": reads, "export": reads, "status": reads,
            "edit": 200 if persona == "cs_mgr" else 403, "save": changes,
            "recompute": changes, "attach": changes, "detach": changes}


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_sla_routes_follow_the_matrix(client, world, persona):
    """Each persona gets exactly the expected answer on every SLA route."""
    client.login(persona)
    attach = {"contract_number": world.contracts["P"].number, "policy_id": str(world.profile)}
    observed = {
        "list": client.get("/service/sla/").status_code,
        "export": client.get("/service/sla/export.xlsx").status_code,
        "status": client.get(f"/service/sla/runs/{world.run}").status_code,
        "edit": client.get("/service/sla/1/edit").status_code,
        "save": client.post_form("/service/sla/1/edit", EDIT).status_code,
        "recompute": client.post_form("/service/sla/recompute", {}).status_code,
        "attach": client.post_form("/service/sla/contracts", attach).status_code,
        "detach": client.post_form(
            f"/service/sla/contracts/{world.contracts['I'].id}/detach", {}).status_code,
    }
    assert observed == _expected(persona)


@pytest.mark.parametrize("persona", sorted(READERS))
def test_linked_contracts_follow_clearance(client, world, persona):
    """A linked contract above the reader's clearance is not listed (cs1: 内部; cs_mgr: 秘密;
    GM: 机密)."""
    client.login(persona)
    html = client.get("/service/sla/").get_data(as_text=True)
    assert world.contracts["I"].number in html
    assert (world.contracts["S"].number in html) == (persona != "cs1")


def test_a_manager_cannot_link_a_contract_above_their_clearance(client, world):
    """The 客服 manager (秘密) linking a 机密 contract is told it does not exist (422)."""
    client.login("cs_mgr")
    number = world.contracts["C"].number
    response = client.post_form("/service/sla/contracts", {
        "contract_number": number, "policy_id": str(world.profile)})
    assert response.status_code == 422
    assert f"没有找到编号为 {number} 的合同" in response.get_data(as_text=True)
