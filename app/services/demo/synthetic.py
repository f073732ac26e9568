"""Realistic Chinese customer data for the demo and the benchmarks (never real people)."""

import random
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from pypinyin import lazy_pinyin
from sqlalchemy import func, insert, select

from app.extensions import db
from app.models import (
    Customer,
    CustomerKind,
    CustomerType,
    Department,
    DeptCode,
    Grade,
    Industry,
    Level,
    NumberCounter,
    Role,
    Source,
    User,
)
from app.models.base import utcnow
from app.services.core.search import index_tokens
from app.services.core.validation import id_check_digit
from app.services.customers.operations import name_key, pinyin_initials

CITIES = ("北京", "上海", "广州", "深圳", "杭州", "南京", "苏州", "武汉", "成都", "重庆", "西安",
          "天津", "青岛", "厦门", "长沙", "郑州", "合肥", "宁波", "无锡", "佛山", "东莞", "济南",
          "沈阳", "大连", "昆明", "福州", "南昌", "贵阳", "太原", "石家庄", "温州", "常州")
CORES = ("华信", "恒达", "瑞丰", "中联", "新元", "博远", "天成", "金桥", "安泰", "宏图", "鼎盛",
         "汇通", "明阳", "德润", "正源", "嘉禾", "永鑫", "海川", "思创", "凯胜", "远景", "华为",
         "同创", "启明", "星辰", "润泽", "东方", "长城", "和信", "泰康", "顺达", "卓越",
         "联合", "宝成", "光华", "振兴", "盛世", "锦程", "腾飞", "信达", "万通", "诚信", "力拓")
TRADES = {
    Industry.TECH: ("科技", "信息技术", "软件", "网络科技", "数据服务"),
    Industry.MFG: ("机械制造", "精密机械", "电子", "汽车零部件", "新材料"),
    Industry.FIN: ("投资", "融资租赁", "保险代理"),
    Industry.TRADE: ("商贸", "贸易", "百货"),
    Industry.BUILD: ("建设工程", "建筑安装", "装饰工程"),
    Industry.ENERGY: ("能源", "电力设备", "燃气"),
    Industry.LOGI: ("物流", "供应链管理", "运输"),
    Industry.REALTY: ("置业", "物业管理", "房地产开发"),
    Industry.MED: ("医疗器械", "医药", "生物科技"),
    Industry.EDU: ("教育科技", "职业培训"),
    Industry.AGRI: ("农业发展", "生态农业", "食品"),
    Industry.CULT: ("文化传媒", "影视文化", "体育发展"),
    Industry.BIZ: ("企业管理咨询", "人力资源", "会展服务"),
    Industry.OTHER: ("实业", "综合服务"),
}
SUFFIXES = ("有限公司", "有限公司", "股份有限公司", "有限责任公司", "集团有限公司")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶贺顾毛郝龚邵万钱严武戴孔汤"  # noqa: E501
GIVEN = ("伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛",
         "明", "超", "秀英", "霞", "平", "刚", "桂英", "建华", "文", "华", "红", "志强", "晓东",
         "海燕", "雪梅", "国庆", "建国", "子涵", "欣怡", "浩然", "梓轩", "思远", "雨桐", "宇航")
DISTRICTS = ("高新区", "经济开发区", "朝阳区", "浦东新区", "天河区", "南山区", "西湖区", "鼓楼区",
             "江汉区", "武侯区", "雁塔区", "滨海新区", "市南区", "思明区", "岳麓区", "金水区")
ROADS = ("科技路", "人民路", "建设大道", "解放路", "中山路", "长江路", "创业大道", "学府路",
         "工业园路", "金融街", "滨江大道", "环城东路", "新华路", "和平路")
MOBILE_PREFIXES = ("138", "139", "135", "136", "137", "150", "151", "152", "158", "159", "182",
                   "183", "187", "188", "130", "131", "132", "155", "156", "185", "186", "133",
                   "153", "180", "181", "189", "177", "199")
AREA_CODES = {"北京": "010", "上海": "021", "广州": "020", "深圳": "0755", "杭州": "0571",
              "南京": "025", "武汉": "027", "成都": "028", "西安": "029", "天津": "022"}
ID_REGIONS = ("110101", "310104", "440106", "330106", "320102", "420106", "510104", "610113",
              "120101", "370202", "350203", "430104", "410105", "340104", "330203", "320211")
REMARKS = ("关注Q2产品升级方案", "年底有扩容计划", "需定期回访", "对价格较敏感",
           "老客户介绍，重视服务响应", "有意向签订年度框架协议", None, None, None)


@dataclass
class FakeCustomer:
    name: str
    kind: CustomerKind
    contact_name: str
    phone: str
    email: str | None
    address: str
    industry: Industry
    id_number: str | None


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def mobile(rng: random.Random) -> str:
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def id_number(rng: random.Random) -> str:
    born = date(1960, 1, 1) + timedelta(days=rng.randrange(365 * 45))
    first17 = f"{rng.choice(ID_REGIONS)}{born:%Y%m%d}{rng.randrange(1000):03d}"
    return first17 + id_check_digit(first17)


def fake_customer(rng: random.Random, serial: int | None = None) -> FakeCustomer:
    """A unit (85%) or a person; `serial` makes bulk names unique."""
    industry = rng.choice(list(TRADES))
    city = rng.choice(CITIES)
    address = f"{city}市{rng.choice(DISTRICTS)}{rng.choice(ROADS)}{rng.randrange(1, 999)}号"
    contact = person_name(rng)
    tag = f"{serial}" if serial is not None else ""
    if rng.random() < 0.15:
        name = person_name(rng) + (f"（{tag}）" if tag else "")
        return FakeCustomer(name, CustomerKind.PERSON, name.split("（")[0], mobile(rng), None,
                            address, industry, id_number(rng))
    core = rng.choice(CORES)
    name = f"{city}{core}{rng.choice(TRADES[industry])}{tag}{rng.choice(SUFFIXES)}"
    phone = (f"{AREA_CODES[city]}-{rng.randrange(10**7, 10**8)}"
             if city in AREA_CODES and rng.random() < 0.3 else mobile(rng))
    domain = _domain(core)
    email = f"{'contact' if rng.random() < 0.5 else 'sales'}@{domain}.com.cn"
    return FakeCustomer(name, CustomerKind.UNIT, contact, phone, email, address, industry, None)


@cache
def _domain(core: str) -> str:
    """The e-mail domain name of a company name's core (its pinyin)."""
    return "".join(lazy_pinyin(core)) or "example"


def pick_type(rng: random.Random) -> CustomerType:
    return rng.choices(list(CustomerType), weights=(30, 30, 30, 10))[0]


def pick_grade(rng: random.Random) -> Grade:
    return rng.choices(list(Grade), weights=(20, 55, 25))[0]


def pick_source(rng: random.Random) -> Source:
    return rng.choice(list(Source))


def past_date(rng: random.Random, days: int = 3 * 365) -> date:
    return date.today() - timedelta(days=rng.randrange(days))


def bench_salespeople(count: int = 100) -> list[User]:
    """Salespeople who own the benchmark's customers (created once, password unusable)."""
    sales = db.session.scalar(select(Department).where(Department.code == DeptCode.SALES))
    users = list(db.session.scalars(select(User).where(User.username.like("bench_sales_%"))))
    for i in range(len(users), count):
        user = User(username=f"bench_sales_{i:03d}", full_name=f"测试销售{i:03d}",
                    employee_no=f"B{i:05d}", password_hash="!",  # noqa: S106 (no password: cannot sign in)
                    department_id=sales.id,
                    role=Role.STAFF, clearance=Level.INTERNAL, active=True)
        db.session.add(user)
        users.append(user)
    db.session.flush()
    return users


def bulk_customers(count: int, seed: int = 7, batch: int = 5000) -> int:
    """Inserts `count` customers in batches, numbered like real ones, counters advanced."""
    rng = random.Random(seed)
    owners = bench_salespeople()
    start = db.session.scalar(select(func.coalesce(func.max(Customer.id), 0)))
    year = date.today().year
    counters: dict[str, int] = {}
    rows = []
    for i in range(count):
        rows.append(_bulk_row(rng, start + i + 1, owners, year, counters))
        if len(rows) == batch:
            db.session.execute(insert(Customer.__table__), rows)
            rows = []
    if rows:
        db.session.execute(insert(Customer.__table__), rows)
    _advance_counters(counters)
    return count


def _bulk_row(rng, serial, owners, year, counters) -> dict:
    fake = fake_customer(rng, serial)
    owner = rng.choice(owners)
    key = f"customer:{year}-{fake.industry.value}"
    if key not in counters:  # one query per industry, not one per row
        counters[key] = _counter_value(key)
    counters[key] += 1
    number = f"{year}-{fake.industry.value}-{counters[key]:03d}"
    now = utcnow()
    return {
        "number": number, "name": fake.name, "name_key": name_key(fake.name),
        "name_sort": "".join(lazy_pinyin(fake.name)).casefold()[:400], "kind": fake.kind,
        "name_initials": pinyin_initials(fake.name),
        "contact_name": fake.contact_name, "phone": fake.phone, "email": fake.email,
        "address": fake.address, "industry": fake.industry, "type": pick_type(rng),
        "grade": pick_grade(rng), "source": pick_source(rng), "first_contact_date": past_date(rng),
        "owner_id": owner.id, "department_id": owner.department_id,
        "confidentiality": rng.choices((Level.PUBLIC, Level.INTERNAL, Level.SECRET),
                                       weights=(20, 70, 10))[0],
        "id_number": fake.id_number, "remarks": None, "created_by_id": owner.id, "version": 1,
        "created_at": now, "updated_at": now,
        "search_text": index_tokens(fake.name, number, fake.contact_name),
    }


def _counter_value(key: str) -> int:
    return db.session.scalar(select(NumberCounter.value).where(NumberCounter.key == key)) or 0


def _advance_counters(counters: dict[str, int]) -> None:
    for key, value in counters.items():
        counter = db.session.get(NumberCounter, key)
        if counter is None:
            db.session.add(NumberCounter(key=key, value=value))
        else:
            counter.value = max(counter.value, value)
