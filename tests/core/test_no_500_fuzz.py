"""No input answers 500 (issue 9): seeded fuzzing of every route in app.url_map, every form the
pages render (filters as query strings, the rest as posts) and the query parameters routes
read, as the personas that reach them, in a world with a record of every kind; every other
request is sent as htmx sends it (a page answers htmx with a block or a fragment rendered
apart). A refused post (4xx) writes nothing but the record of its refusal; the audit chain
stays intact. FUZZ_SEED=… explores other seeds, FUZZ_SCALE=… longer runs; a failure names the
request to replay."""

import os
import re
import time
from itertools import product

import pytest
from werkzeug.exceptions import HTTPException

from app.extensions import db, limiter
from app.models import ApprovalFlow, ApprovalRequest, OwnershipRequest, Referral, User
from app.services.core.audit import verify_chain
from tests.core import fuzzing
from tests.factories.approvals import activate
from tests.factories.customers import make_contact, make_customer
from tests.factories.imports import batch_id, row, upload, workbook
from tests.factories.people import deactivate, make_people
from tests.factories.sales import make_contract, make_entry, make_payment, make_plan, make_report
from tests.factories.world import build_world
from tests.support import form_token, in_app

SEED = os.environ.get("FUZZ_SEED", "issue-9")
SCALE = float(os.environ.get("FUZZ_SCALE", "1"))  # more requests per group, to explore
# group: (URL prefixes, personas who reach them, posts, query strings). Each group is one test,
# so that the two xdist workers share them.
GROUPS = {
    "customers": (("/customers",), ("sales1", "sales_mgr", "cs1"), 510, 150),
    "sales": (("/sales",), ("sales1", "sales_mgr", "gm"), 900, 240),
    "platform": (("/admin", "/audit", "/approvals", "/password", "/preferences", "/areas",
                  "/healthz", "/login"), ("admin", "auditor", "sales_mgr", "gm", None), 600, 120),
    # The departments' list filters and forms; their records' own routes answer 404 here
    # (the world has none of their records), as their pages' tests cover them.
    "service": (("/service",), ("cs1", "cs_mgr", "gm"), 300, 150),
    "archive": (("/archive",), ("archivist", "sales_mgr", "gm"), 300, 150),
}
SKIPPED = frozenset({"audit_events", "audit_head", "user_sessions", "rate_limits"})
COUNTED_ONLY = frozenset({"users"})  # a failed password is counted on the account


def _world(app, client) -> dict[str, list]:
    """Records of every kind, by the name of the URL argument that names them; a tuple of
    names keys the combinations that belong together."""
    world = build_world(app)
    users, customers = world.users, world.customers
    extra = make_people(app, "sales3", "leaver")
    make_customer(app, extra["leaver"])
    deactivate(app, extra["leaver"])
    draft = make_contract(app, customers["I"], by=users["sales1"])
    active = make_contract(app, customers["P"])
    make_payment(app, active, "100.00")
    plan, report = make_plan(app, customers["I"]), make_report(app, customers["I"])
    reviewed = make_customer(app, users["sales1"])
    activate(app, reviewed, users["sales_mgr"])
    contact = make_contact(app, customers["I"])
    client.login("sales1")
    batch = batch_id(upload(client, workbook([row(1)])))
    client.post_form(f"/customers/{make_customer(app, users['sales1']).id}/submit", {})
    client.post_form("/sales/referrals/new", {"referrer": customers["I"].number,
                                              "referred": "新客户有限公司",
                                              "referred_on": "2026-01-05"})
    client.login("sales2")
    client.post_form(f"/sales/ownership/new?customer={customers['I'].id}",
                     {"reason": "客户指定由本人跟进"})
    with in_app(app):
        ids = {model: list(db.session.scalars(db.select(model.id)))
               for model in (ApprovalRequest, OwnershipRequest, Referral, ApprovalFlow)}
        leaver = db.session.scalar(db.select(User.id).where(User.username == "leaver"))
    return {"customer_id": [c.id for c in customers.values()], "number": [1],
            "contract_id": [draft.id, active.id], "entry_id": [make_entry(app, active).id],
            "plan_id": [plan.id], "report_id": [report.id], "batch_id": [batch],
            "request_id": ids[ApprovalRequest] + ids[OwnershipRequest],
            "referral_id": ids[Referral], "flow_id": ids[ApprovalFlow],
            "user_id": [extra["sales3"].id, leaver], "area": ["service", "risk", "archive"],
            "field": ["name", "phone"], "ledger": ["customers", "contracts", "sales"],
            ("contact_id", "customer_id"): [(contact.id, customers["I"].id)],
            ("customer_id", "number"): [(reviewed.id, 1)]}


def _urls(app, prefixes, world, rng) -> dict[str, list[str]]:
    """URLs of the routes under `prefixes` by method ("GET", "POST"), with path arguments from
    the world (two combinations of real records, or every one there is), and by method with
    "?" (e.g. "POST?") with arguments naming no record, or past every integer type."""
    urls = {key: [] for key in ("GET", "POST", "GET?", "POST?")}
    for rule in app.url_map.iter_rules():
        if rule.endpoint in ("static", "auth.logout") or not rule.rule.startswith(prefixes):
            continue
        names = tuple(sorted(rule.arguments))
        combos = world.get(names) or list(product(*(world.get(n, [999999]) for n in names)))
        beyond = rng.choice([2**31, 2**63, 2**64, 10**30])
        picked = [(v, "") for v in rng.sample(combos, min(2, len(combos)))] if names else [
            ((), "")]
        picked += [((999999,) * len(names), "?"), ((beyond,) * len(names), "?")] if names else []
        for values, kind in picked:
            args = dict(zip(names, values, strict=True))
            url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m, a=args: str(a[m.group(1)]), rule.rule)
            for method in ("GET", "POST"):
                urls[method + kind] += [url] if method in rule.methods else []
    return urls


class Run:
    """One persona's requests: each answered below 500; each refused post leaves the database
    as it was, but for the record of its refusal."""

    def __init__(self, app, persona, generator):
        self.app, self.persona, self.gen = app, persona, generator
        self.posts = self.gets = 0
        self._sign_in()

    def _sign_in(self) -> None:
        """A new browser (cookie jar), signed in as the persona (anonymous for None)."""
        with in_app(self.app):
            limiter.reset()
        self.client = self.app.test_client()
        if self.persona is not None:
            self.client.login(self.persona)
        self.token = self.client.csrf_token("/login" if self.persona is None else "/")
        with in_app(self.app):
            self.state = fuzzing.snapshot(SKIPPED, COUNTED_ONLY)

    def get(self, url: str, query=(), htmx: bool = False):
        """`htmx`: as htmx asks when a filter changes (the page's results block alone)."""
        self.gets += 1
        response = self.client.get(url, query_string=list(query), headers=_htmx(htmx, url))
        with in_app(self.app):  # an export or a print is audited
            self.state["audit"] = (fuzzing.last_event_id(), None)
        return self._checked(response, "GET", url, query, htmx)

    def post(self, form: fuzzing.Form, target: str | None, htmx: bool = False):
        """`htmx`: as an hx-post form sends it (a refusal answers with the form alone)."""
        self.posts += 1
        data = self.gen.form_data(form, target, self.token)
        if "once_token" in form.fields and data.get("once_token") == form.fields["once_token"][0]:
            data["once_token"] = form_token(self.client)  # as a reloaded form: not a repeat
        response = self.client.post(form.action, data=data, headers=_htmx(htmx, form.action))
        with in_app(self.app):
            state = fuzzing.snapshot(SKIPPED, COUNTED_ONLY)
            if response.status_code >= 400:
                assert _business(state) == _business(self.state), (form.action, data)
                assert fuzzing.unexplained_events(self.state["audit"][0] or 0) == [], (
                    form.action, data)
        self.state = state
        self._checked(response, "POST", form.action, data, htmx)

    def _checked(self, response, method, url, sent, htmx):
        kind = " (htmx)" if htmx else ""
        assert response.status_code < 500, f"{self.persona} {method}{kind} {url} {sent!r}"
        redirect = response.headers.get("Location", "") + response.headers.get("HX-Redirect", "")
        if "/login" in redirect and self.persona is not None:
            self._sign_in()  # a valid post signed the persona out, or ended the session
        return response


def _htmx(htmx: bool, url: str) -> dict:
    """The headers htmx sends from the page at `url`, or none."""
    return {"HX-Request": "true", "HX-Current-URL": f"http://localhost{url}"} if htmx else {}


def _business(state: dict) -> dict:
    return {name: value for name, value in state.items() if name != "audit"}


def _endpoint(app, url: str) -> str | None:
    try:
        return app.url_map.bind("localhost").match(url.split("?")[0], method="POST")[0]
    except HTTPException:
        return None


def _discover(app, run, urls, prefixes, first: bool) -> tuple[list, dict]:
    """The post forms the persona's pages show, one of each, and for a route whose form none
    shows one made of the usual parameters; the query parameters each path's forms and links
    name. The `first` persona also tries every route with arguments that name no record."""
    forms, params = {}, {}
    for url in urls["GET"] + (urls["GET?"] if first else []):
        response = run.get(url)
        page = fuzzing.Page(url, response.get_data(as_text=True)
                            if response.mimetype == "text/html" else "")
        for path, names in page.links.items():
            params.setdefault(path, set()).update(names)
        for form in page.forms:
            if form.method == "get":
                params.setdefault(form.action.split("?")[0], set()).update(form.fields)
            elif form.action.startswith(prefixes):
                forms.setdefault((form.action, tuple(sorted(form.fields))), form)
    shown = {_endpoint(app, action) for action, _names in forms}
    unshown = [url for url in urls["POST"] if _endpoint(app, url) not in shown]
    made = [fuzzing.Form(url, "post", {name: [] for name in fuzzing.PARAMS[:12]})
            for url in unshown + (urls["POST?"] if first else [])
            if run.persona is not None]  # signed out, every route but /login sends to it
    return list(forms.values()) + made, params


def _sweep(rng, pairs: list, budget: int) -> list:
    """`budget` of the (target, field) pairs in a seeded order, each once before any twice."""
    rng.shuffle(pairs)
    return [pairs[i % len(pairs)] for i in range(budget)] if pairs else []


def _fuzz(app, client, group: str) -> tuple[int, int]:
    prefixes, personas, posts, queries = GROUPS[group]
    posts, queries = int(posts * SCALE), int(queries * SCALE)
    world = _world(app, client)
    ids = [i for values in world.values() for i in values if isinstance(i, int)]
    gen = fuzzing.Generator(f"{SEED}-{group}", ids)
    urls = _urls(app, prefixes, world, gen.rng)
    runs, params = [], {}
    for index, persona in enumerate(personas):
        run = Run(app, persona, gen)
        forms, found = _discover(app, run, urls, prefixes, index == 0)
        for path, names in found.items():
            params.setdefault(path, set()).update(names)
        runs.append(run)
        pairs = [(form, name) for form in forms for name in [*form.fields, None]]
        for i, (form, name) in enumerate(_sweep(gen.rng, pairs, posts // len(personas))):
            run.post(form, name, htmx=i % 2 == 1)
    pages = [url for url in urls["GET"] if not url.endswith(".pdf")]  # they read no query
    pairs = [(url, name) for url in pages for name in params.get(url, set()) | {
        gen.rng.choice(("after", "before")), gen.rng.choice(fuzzing.PARAMS)}]
    for i, (url, name) in enumerate(_sweep(gen.rng, pairs, queries)):
        runs[i % len(runs)].get(url, gen.query(name, sorted(params.get(url, set()))),
                                htmx=i // len(runs) % 2 == 1)
    with in_app(app):
        assert verify_chain().broken_id is None
    return sum(run.posts for run in runs), sum(run.gets for run in runs)


@pytest.mark.parametrize("group", list(GROUPS))
def test_no_input_answers_500_and_a_refused_post_writes_nothing(app, client, group,
                                                                 monkeypatch):
    # Fuzzed passwords must not lock the personas out half-way.
    monkeypatch.setitem(app.config, "LOGIN_MAX_FAILURES", 10**6)
    monkeypatch.setitem(app.config, "SIGN_MAX_FAILURES", 10**6)
    started = time.perf_counter()
    posts, gets = _fuzz(app, client, group)
    print(f"fuzz {group}: {posts} posts, {gets} GETs in {time.perf_counter() - started:.1f} s")
    assert posts >= int(GROUPS[group][2] * SCALE) - len(GROUPS[group][1])
