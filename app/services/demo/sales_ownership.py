"""Demo referrals and ownership requests, so 转介绍登记 and 客户归属变更 of a fresh `make run`
are not empty: referrals of registered and of new customers in every outcome, and claims on
another salesperson's customers waiting, approved and refused. Through the services, as a
user's would."""

import random
from datetime import date, timedelta

from sqlalchemy import select

from app.models import Customer, Decision, ReferralOutcome, User
from app.services.approvals import engine as approvals
from app.services.sales.ownership import referrals
from app.services.sales.ownership import transfers as ownership

REWARDS = (None, "赠送年度保养一次", "下单后返还 2% 货款", "赠送培训名额两个")
NEW_NAMES = ("江南精密机械有限公司", "北辰智能装备有限公司", "东岳新材料股份有限公司",
             "海川冷链物流有限公司", "青禾农业科技有限公司", "远航船舶配件有限公司")
REASONS = ("客户由本人在展会先行邀约，并已敲定到会。", "客户指定由本人继续跟进。",
           "本人与客户采购负责人长期合作，已掌握新项目需求。")


def load(users: dict[str, User], active: list[Customer], password: str, today: date) -> dict:
    """Referrals by the first salespeople's customers; claims on some of sales1's customers
    that have no sales records yet. Counts by kind."""
    rng = random.Random(2027)
    referring = active[:24]
    for i, customer in enumerate(referring):
        _referral(i, customer, active, rng, today)
    theirs = [c for c in active[60:] if c.owner_id == users["sales1"].id][:8]
    for i, customer in enumerate(theirs):
        _claim(i, customer, users, password)
    return {"referrals": len(referring), "ownership requests": len(theirs)}


def _referral(i: int, customer: Customer, active: list[Customer], rng: random.Random,
              today: date) -> None:
    """A referral by `customer`: every other one of a customer already registered."""
    owner = customer.owner
    referred = active[-1 - i].number if i % 2 else NEW_NAMES[i % len(NEW_NAMES)] + f"（{i}）"
    referrals.create_referral(referrals.ReferralData(
        referrer=customer.number, referred=referred,
        referred_on=today - timedelta(days=rng.randint(1, 120)),
        outcome=rng.choice(list(ReferralOutcome)), reward_note=rng.choice(REWARDS)),
        select(Customer).where(Customer.owner_id == owner.id), select(Customer), owner)


def _claim(i: int, customer: Customer, users: dict[str, User], password: str) -> None:
    """sales2 asks for one of sales1's customers; of every four claims the manager leaves two
    waiting, approves one and refuses one."""
    claim = ownership.request_transfer(customer, users["sales2"], REASONS[i % len(REASONS)])
    if i % 4 in (0, 1):
        return  # 待审批
    request = ownership.requests_of(claim)[-1]
    if i % 4 == 2:
        approvals.sign(request, users["sales_mgr"], Decision.APPROVE, "同意", password)
    else:
        approvals.sign(request, users["sales_mgr"], Decision.REJECT, "该客户仍由原负责人跟进",
                       password)
