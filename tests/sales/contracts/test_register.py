"""Registering and editing contracts: numbers from the HT series, lines and terms as rows without
JavaScript, the total kept by the service, terms that must add up, levels between the customer's
and the user's, and edits refused once a contract is submitted or signed."""

from decimal import Decimal

from sqlalchemy import func, select, update

from app.extensions import db
from app.models import AuditEvent, Contract, ContractLine, ContractStatus, Level, User
from tests.factories.customers import make_customer
from tests.factories.people import make_user
from tests.factories.sales import approved, load, make_contract, payload, submit


def _contracts(app) -> list[Contract]:
    with app.app_context():
        return [load(app, cid) for cid in db.session.scalars(select(Contract.id))]


def test_a_contract_is_registered_as_a_draft_with_its_number_lines_and_total(client, app, team):
    customer = make_customer(app, team.staff, name="华南精密仪器有限公司")
    client.login("sales1")
    assert client.get("/sales/contracts/new").status_code == 200
    response = client.post_form("/sales/contracts/new", payload(
        customer.id, lines=[("螺丝", "M3", "个", "3", "0.10"), ("服务器", "X1", "台", "2", "500")],
        terms=[("advance", "500.30", "2026-02-01"), ("acceptance", "500.00", "2026-03-01")]))
    assert response.status_code == 303, response.get_data(as_text=True)
    (contract,) = _contracts(app)
    assert response.headers["Location"].endswith(f"/sales/contracts/{contract.id}")
    assert contract.number.startswith("HT-") and contract.number.endswith("-0001")
    assert contract.status == ContractStatus.DRAFT
    assert contract.total_amount == Decimal("1000.30")
    assert [(ln.position, ln.amount) for ln in contract.lines] == [
        (1, Decimal("0.30")), (2, Decimal("1000.00"))]
    assert (contract.owner_id, contract.department_id) == (team.staff.id, customer.department_id)
    html = client.get(f"/sales/contracts/{contract.id}").get_data(as_text=True)
    assert "华南精密仪器有限公司" in html and "¥1,000.30" in html and "壹仟元叁角整" in html
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "contract_created")) == 1


def test_terms_that_do_not_add_up_are_refused_in_chinese(client, app, team):
    customer = make_customer(app, team.staff)
    client.login("sales1")
    response = client.post_form("/sales/contracts/new", payload(
        customer.id,
        terms=[("advance", "600.00", "2026-02-01"), ("retention", "300", "2027-01-01")]))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "合计 ¥900.00，与合同金额 ¥1,000.00 不符，相差 ¥100.00" in html
    assert 'value="600.00"' in html  # what the user typed is kept
    assert _contracts(app) == []


def test_a_typed_total_is_ignored_the_service_sums_the_lines(client, app, team):
    customer = make_customer(app, team.staff)
    client.login("sales1")
    form = payload(customer.id, total_amount="1.00")
    assert client.post_form("/sales/contracts/new", form).status_code == 303
    assert _contracts(app)[0].total_amount == Decimal("1000.00")


def test_rows_are_added_and_removed_by_posting_back_without_saving(client, app, team):
    customer = make_customer(app, team.staff)
    client.login("sales1")
    form = payload(customer.id, lines=[("甲", "", "", "1", "1"), ("乙", "", "", "2", "1")])
    html = client.post_form("/sales/contracts/new", {**form, "op": "add-line"}).get_data(
        as_text=True)
    assert html.count('class="contract-line"') == 3
    html = client.post_form("/sales/contracts/new", {**form, "op": "remove-line-0"}).get_data(
        as_text=True)
    assert html.count('class="contract-line"') == 1 and 'value="乙"' in html
    assert 'value="甲"' not in html
    html = client.post_form("/sales/contracts/new", {**form, "op": "add-term"}).get_data(
        as_text=True)
    assert html.count('class="contract-term"') == 2
    assert '<option selected value="acceptance">' in html  # the next kind not used yet
    assert _contracts(app) == []


def test_htmx_refresh_returns_just_the_form_with_running_totals(client, app, team):
    customer = make_customer(app, team.staff)
    client.login("sales1")
    form = payload(customer.id, lines=[("螺丝", "", "个", "3", "0.10")], op="refresh")
    token = client.csrf_token("/sales/contracts/new")
    response = client.htmx("POST", "/sales/contracts/new", data={**form, "csrf_token": token})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and html.lstrip().startswith("<form")
    assert 'id="contract-total">¥0.30<' in html and "与合同金额相差" in html


def test_blank_rows_are_dropped_on_save(client, app, team):
    customer = make_customer(app, team.staff)
    client.login("sales1")
    form = payload(customer.id, lines=[("服务器", "X1", "台", "2", "500.00"), ("", "", "", "", "")])
    assert client.post_form("/sales/contracts/new", form).status_code == 303
    assert len(_contracts(app)[0].lines) == 1


def test_a_contract_needs_a_line_and_positive_quantities(client, app, team):
    customer = make_customer(app, team.staff)
    client.login("sales1")
    html = client.post_form("/sales/contracts/new", payload(customer.id, lines=[], terms=[])
                            ).get_data(as_text=True)
    assert "请至少填写一行产品明细" in html
    response = client.post_form("/sales/contracts/new", payload(
        customer.id, lines=[("服务器", "", "", "0", "5")],
        terms=[("advance", "0.01", "2026-01-01")]))
    assert response.status_code == 422 and "数量须大于零" in response.get_data(as_text=True)
    response = client.post_form("/sales/contracts/new", payload(
        customer.id, lines=[("服务器", "", "", "1.2345", "5")]))
    assert response.status_code == 422 and "最多三位小数" in response.get_data(as_text=True)


def test_the_level_is_at_least_the_customers_and_at_most_the_users(client, app, team):
    customer = make_customer(app, team.manager, confidentiality=Level.SECRET)
    client.login("sales_mgr")
    response = client.post_form("/sales/contracts/new", payload(customer.id, confidentiality="2"))
    assert response.status_code == 422
    assert "合同密级不能低于客户的密级（秘密）" in response.get_data(as_text=True)
    response = client.post_form("/sales/contracts/new", payload(customer.id, confidentiality="4"))
    assert response.status_code == 422  # 机密 is not offered to a 秘密 manager
    assert client.post_form("/sales/contracts/new", payload(
        customer.id, confidentiality="3")).status_code == 303


def test_only_ones_own_customers_can_be_chosen(client, app, team):
    other = make_customer(app, team.staff2)
    client.login("sales1")
    response = client.post_form("/sales/contracts/new", payload(other.id))
    assert response.status_code == 422 and _contracts(app) == []


def test_a_draft_is_edited_and_lines_replaced_with_the_total_recomputed(client, app, team):
    contract = make_contract(app, by=team.staff)
    client.login("sales1")
    html = client.get(f"/sales/contracts/{contract.id}/edit").get_data(as_text=True)
    assert 'value="服务器"' in html
    assert f'name="version" type="hidden" value="{contract.version}"' in html
    form = payload(contract.customer_id, lines=[("显示器", "27寸", "台", "4", "1250.25")],
                   terms=[("advance", "5001.00", "2026-02-01")], version=str(contract.version))
    response = client.post_form(f"/sales/contracts/{contract.id}/edit", form)
    assert response.status_code == 303, response.get_data(as_text=True)
    after = load(app, contract.id)
    assert after.total_amount == Decimal("5001.00")
    assert [ln.product for ln in after.lines] == ["显示器"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ContractLine)) == 1


def test_a_stale_edit_is_refused_and_keeps_what_was_typed(client, app, team):
    contract = make_contract(app, by=team.staff)
    client.login("sales1")
    form = payload(contract.customer_id, name="改过的名称", version=str(contract.version - 1))
    response = client.post_form(f"/sales/contracts/{contract.id}/edit", form)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="edit-conflict"' in html and "改过的名称" in html
    assert load(app, contract.id).name == "设备采购合同"


def test_a_submitted_contract_cannot_be_edited(client, app, team):
    contract = make_contract(app, by=team.staff)
    submit(app, contract, team.staff)
    client.login("sales1")
    response = client.get(f"/sales/contracts/{contract.id}/edit")
    assert response.status_code == 303
    assert "评审中，不能修改" in client.get(response.headers["Location"]).get_data(as_text=True)
    form = payload(contract.customer_id, name="偷改", version=str(load(app, contract.id).version))
    response = client.post_form(f"/sales/contracts/{contract.id}/edit", form)
    assert response.status_code == 409 and "评审中，不能修改" in response.get_data(as_text=True)
    assert load(app, contract.id).name == "设备采购合同"


def test_an_approved_contract_cannot_be_edited_by_form_or_direct_post(client, app, team):
    contract = approved(app, team, make_contract(app, by=team.staff))
    assert contract.status == ContractStatus.ACTIVE
    client.login("sales1")
    page = client.get(f"/sales/contracts/{contract.id}").get_data(as_text=True)
    assert 'id="edit-contract"' not in page and 'id="change-contract"' in page
    response = client.get(f"/sales/contracts/{contract.id}/edit")
    assert response.status_code == 303
    followed = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "合同已评审生效，不能直接修改；如需修改，请提交合同变更申请。" in followed
    form = payload(contract.customer_id, name="偷改", lines=[("服务器", "X1", "台", "2", "1.00")],
                   terms=[("advance", "2.00", "2026-03-01")], version=str(contract.version))
    for who in ("sales1", "sales_mgr"):
        client.login(who)
        response = client.post_form(f"/sales/contracts/{contract.id}/edit", form)
        assert response.status_code == 409
        assert "请提交合同变更申请" in response.get_data(as_text=True)
    after = load(app, contract.id)
    assert (after.name, after.total_amount) == ("设备采购合同", Decimal("1000.00"))


def test_the_pages_work_in_english_too(client, app, team):
    """English must also work: the same pages render for a user who prefers English."""
    make_user(app, "sales_en", locale="en")
    contract = approved(app, team, make_contract(app, by=team.staff))
    with app.app_context():
        db.session.execute(update(Contract).where(Contract.id == contract.id).values(
            owner_id=db.session.scalar(select(User.id).where(User.username == "sales_en"))))
        db.session.commit()
    client.login("sales_en")
    for url in ("/sales/contracts/", "/sales/contracts/new", f"/sales/contracts/{contract.id}",
                f"/sales/contracts/{contract.id}/versions/1",
                f"/sales/contracts/{contract.id}/changes/new"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert '<html lang="en">' in response.get_data(as_text=True)
