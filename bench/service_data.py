"""Benchmark data of the customer service department: 客服 people, service records over four
years (most closed, ~6 % open, stored SLA deadlines with some breaches, next follow-up dates on
the open ones), their parts and about three follow-ups per record.

Rows are plain tuples written through the driver itself: executemany on SQLite (stored exactly
as SQLAlchemy stores them: datetimes as 'YYYY-MM-DD HH:MM:SS.ffffff', booleans 0/1), COPY on
PostgreSQL; SQLAlchemy's per-row bind processing would triple the time of 4 million rows.
Rows written so bypass the session hooks that keep the per-day statistics: after_load rebuilds
them. Ids are explicit and follow 服务时间, as they would in a ledger filled day by day."""

import random
import time
from datetime import date, datetime, timedelta

from sqlalchemy import Date, DateTime, func, select, text

from app.extensions import db
from app.models import Customer, Department, DeptCode, Level, Role, User
from app.models.service.records import ServiceRecord
from app.services.core import maintenance
from app.services.service.statistics import days

S_PENDING, S_PROCESSING, S_WAIT_C, S_WAIT_P, S_DONE, S_CLOSED = (
    "pending", "processing", "waiting_customer", "waiting_parts", "done", "closed")
OPEN = (S_PENDING, S_PROCESSING, S_WAIT_C, S_WAIT_P)
TYPES = (("aftersales", 55), ("presales", 15), ("insales", 15), ("value_added", 15))
KINDS = (("repair", 40), ("maintenance", 25), ("installation", 15), ("return", 10),
         ("other", 10))
PRIORITIES = (("high", 15), ("medium", 60), ("low", 25))
# Hours to the response deadline and days to the resolution deadline, by priority.
SLA = {"high": (2, 1), "medium": (4, 3), "low": (8, 5)}
SCORES = ((5, 45), (4, 35), (3, 12), (2, 5), (1, 3))
CADENCE = {"A": 7, "B": 14, "C": 30}
CONTENTS = ("设备故障，请求上门检修", "咨询产品型号与报价", "安装调试新设备", "年度例行保养",
            "系统升级后无法登录", "配件更换申请", "退换货处理", "网络中断排查", "操作培训需求",
            "打印机卡纸频繁", "服务器告警处理", "软件许可续期咨询")
POINTS = ("已电话联系客户，确认故障现象", "已安排工程师上门", "客户反馈问题已缓解",
          "等待厂家配件到货", "远程协助处理完毕", "客户要求延期处理", "回访确认运行正常")
PARTS = (("硬盘", "2TB SATA"), ("电源模块", "800W"), ("内存条", "32GB DDR4"), ("风扇", "80mm"),
         ("主板", "X11"), ("网卡", "10GbE"), ("滤芯", "标准型"), ("皮带", "B-42"))
# Follow-ups a record has, drawn from these (open records, finished ones): ~3 a record.
FOLLOW_UP_COUNTS = {False: (0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 4, 4, 5),
                    True: (1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5)}
CS_STAFF = 30
BATCH = 20000
YEARS = 4  # records span the last four years up to today

RECORD_COLUMNS = (
    "id", "number", "sequence", "customer_id", "department_id", "confidentiality",
    "service_type", "after_sales_kind", "priority", "tags", "service_at", "communicated_at",
    "content", "request_text", "customer_contact", "contact_phone", "expected_at", "place",
    "major", "status", "first_receiver_id", "handler_id", "rework_of_id", "solution", "result",
    "feedback", "satisfaction", "confirmed_at", "confirmed_by", "confirmation_method",
    "confirmation_recorded_by_id", "abandoned", "completed_at", "closed_at", "responded_at",
    "response_due", "resolution_due", "response_breached", "resolution_breached",
    "sla_computed_at", "next_follow_up_due", "version", "created_at", "updated_at")
FOLLOW_UP_COLUMNS = ("id", "record_id", "communicated_at", "entered_at", "user_id", "points",
                     "progress", "next_action", "next_due", "result", "late")
PART_COLUMNS = ("id", "record_id", "position", "name", "spec", "quantity", "sold",
                "unit_price", "amount")
TABLES = {"service_records": RECORD_COLUMNS, "service_follow_ups": FOLLOW_UP_COLUMNS,
          "service_parts": PART_COLUMNS}

SUMMARIES = ("service_statistics_days", "service_statistics_part_days")


def _weighted(pairs) -> list:
    """A list to draw from with rng.choice, each value repeated by its weight."""
    return [value for value, weight in pairs for _ in range(weight)]


def service_people(password_hash: str) -> tuple[int, list[int], list[int]]:
    """(客服部 id, the 客服 people's ids (30 generated staff, cs1 and cs_mgr), salespeople
    ids); the generated staff are created once, with an unusable password."""
    dept = db.session.scalar(select(Department.id).where(Department.code == DeptCode.SERVICE))
    made = list(db.session.scalars(select(User.id).where(User.username.like("bench_cs_%"))))
    for i in range(len(made), CS_STAFF):
        db.session.add(User(username=f"bench_cs_{i:03d}", full_name=f"测试客服{i:03d}",
                            employee_no=f"BC{i:04d}", password_hash=password_hash,
                            department_id=dept, role=Role.STAFF, active=True,
                            clearance=Level.SECRET if i < 5 else Level.INTERNAL))
    db.session.commit()
    staff = list(db.session.scalars(select(User.id).where(
        User.username.like("bench_cs_%") | User.username.in_(("cs1", "cs_mgr")))
        .order_by(User.id)))
    sales = list(db.session.scalars(select(User.id).where(User.username.like("bench_sales_%"))))
    return dept, staff, sales


class Generator:
    """Makes the rows of `count` records (with their follow-ups and parts) from ids on."""

    def __init__(self, count: int, seed: int = 12):
        self.rng = random.Random(seed)
        self.count = count
        self.today = date.today()
        self.now = datetime.combine(self.today, datetime.min.time()).replace(hour=9)
        self.start = datetime(self.today.year - YEARS + 1, 1, 1, 8)
        self.span = (self.now - self.start).total_seconds()
        self.types, self.kinds = _weighted(TYPES), _weighted(KINDS)
        self.priorities, self.scores = _weighted(PRIORITIES), _weighted(SCORES)
        self.sequence: dict[int, int] = {}
        self.last_record: dict[int, int] = {}
        self.ids = {"follow_up": 1, "part": 1}

    def load_people(self) -> None:
        """The customers (id, number, level, grade) and the people the records name."""
        self.customers = db.session.execute(select(
            Customer.id, Customer.number, Customer.confidentiality, Customer.grade)).all()
        self.customers = [(cid, number, int(level), str(grade)) for cid, number, level, grade
                          in self.customers]
        self.dept, self.staff, self.sales = service_people("!")

    def service_at(self, record_id: int) -> datetime:
        """Spread evenly from the first year's start to today, in id order, 8:00–18:00."""
        moment = self.start + timedelta(seconds=self.span * (record_id - 1) / self.count)
        return moment.replace(hour=8 + moment.hour % 10, second=0, microsecond=0)

    def status(self, age_days: float) -> str:
        """Recent records are mostly open, old ones rarely (stuck ones)."""
        rng = self.rng
        share_open = 0.7 if age_days < 30 else 0.15 if age_days < 180 else 0.035
        if rng.random() >= share_open:
            return S_CLOSED if rng.random() < 0.85 else S_DONE
        roll = rng.random()
        return (S_PENDING if roll < 0.2 else S_PROCESSING if roll < 0.7
                else S_WAIT_C if roll < 0.85 else S_WAIT_P)

    def record(self, record_id: int, out: dict) -> None:
        """One record's row, follow-ups and parts appended to `out`."""
        rng = self.rng
        customer_id, customer_number, level, grade = rng.choice(self.customers)
        at = self.service_at(record_id)
        status = self.status((self.now - at).total_seconds() / 86400)
        kind = rng.choice(self.types)
        priority = rng.choice(self.priorities)
        sequence = self.sequence[customer_id] = self.sequence.get(customer_id, 0) + 1
        rework = self.last_record.get(customer_id) if rng.random() < 0.03 else None
        self.last_record[customer_id] = record_id
        handler = (None if status == S_PENDING and rng.random() < 0.5
                   else rng.choice(self.staff))
        receiver = rng.choice(self.staff) if rng.random() < 0.8 else rng.choice(self.sales)
        sla = self._sla(at, status, priority)
        ended = self._ended(at, status, handler or receiver, sla)
        follow_ups, last = self._follow_ups(record_id, at, status, handler or receiver, ended)
        next_due = None
        if status in OPEN:
            days = 7 if priority == "high" else CADENCE.get(grade, 14)
            next_due = (last or at) + timedelta(days=days)
        created = at - timedelta(hours=8)
        out["service_records"].append((
            record_id, f"{customer_number}-{sequence:03d}", sequence, customer_id, self.dept,
            level, kind, rng.choice(self.kinds) if kind == "aftersales" else None, priority,
            rng.choice(("", "support", "product", "support,product")), at,
            at if rng.random() < 0.5 else None, rng.choice(CONTENTS),
            "客户描述：" + rng.choice(CONTENTS) if rng.random() < 0.4 else None,
            "联系人" + str(customer_id % 97), f"139{record_id % 10**8:08d}",
            at + timedelta(days=3) if rng.random() < 0.2 else None,
            "客户现场" if kind == "aftersales" else None, rng.random() < 0.01, status, receiver,
            handler, rework, *ended, next_due, 1, created,
            (ended[10] or ended[9] or at) - timedelta(hours=8)))
        out["service_follow_ups"] += follow_ups
        if kind == "aftersales" and status in (S_DONE, S_CLOSED) and rng.random() < 0.25:
            out["service_parts"] += self._parts(record_id)

    def _sla(self, at: datetime, status: str, priority: str) -> tuple:
        """(responded_at, response_due, resolution_due, response breached, resolution breached,
        computed at): ~6 % answered late; resolution late when finished (or still open) past
        its deadline."""
        rng = self.rng
        hours, days = SLA[priority]
        response_due, resolution_due = at + timedelta(hours=hours), at + timedelta(days=days)
        responded = None
        if status != S_PENDING:
            late = rng.random() < 0.06
            responded = at + timedelta(minutes=rng.randint(hours * 60 + 1, hours * 180) if late
                                       else rng.randint(5, hours * 60))
        return (responded, response_due, resolution_due,
                responded is not None and responded > response_due, False, at)

    def _ended(self, at: datetime, status: str, worker: int, sla: tuple) -> tuple:
        """(solution, result, feedback, satisfaction, confirmed_at, confirmed_by, method,
        recorded by, abandoned, completed_at, closed_at) then the SLA columns, the resolution
        breach set from the completion (or from today for an open record)."""
        rng = self.rng
        responded, response_due, resolution_due, response_late, _late, computed = sla
        if status in OPEN:
            late = self.now > resolution_due
            return (None, None, None, None, None, None, None, None, False, None, None,
                    responded, response_due, resolution_due, response_late, late, computed)
        days = resolution_due - at
        completed = at + (days * rng.uniform(1.05, 3) if rng.random() < 0.09
                          else days * rng.uniform(0.05, 0.95))
        completed = min(completed.replace(second=0, microsecond=0), self.now)
        closed = completed + timedelta(days=rng.randint(1, 5)) if status == S_CLOSED else None
        closed = min(closed, self.now) if closed else None
        score = rng.choice(self.scores) if rng.random() < 0.7 else None
        return ("现场处理完毕", "问题已解决", "满意" if score else None,
                score, closed, "客户联系人" if closed else None, "phone" if closed else None,
                worker if closed else None, rng.random() < 0.01, completed, closed,
                responded, response_due, resolution_due, response_late, completed > resolution_due,
                computed)

    def _follow_ups(self, record_id: int, at: datetime, status: str, user: int,
                    ended: tuple) -> tuple[list, datetime | None]:
        """About three follow-ups a record (fewer on open ones), between 服务时间 and the
        completion (or today), 8 % entered late (补录); with the last one's 沟通时间."""
        rng = self.rng
        closing = status not in OPEN
        count = rng.choice(FOLLOW_UP_COUNTS[closing])
        end = ended[9] if closing else self.now
        spread = max((end - at).total_seconds(), 3600.0)
        rows, moment = [], None
        for i in range(1, count + 1):
            moment = (at + timedelta(seconds=spread * i / (count + 1))).replace(
                second=0, microsecond=0)
            late = rng.random() < 0.08
            delay = timedelta(minutes=rng.randint(70, 2880) if late else rng.randint(1, 50))
            last = i == count
            rows.append((self.ids["follow_up"], record_id, moment,
                         moment - timedelta(hours=8) + delay, user, rng.choice(POINTS),
                         "处理中" if not last or not closing else "已解决",
                         None if last and closing else "继续跟进",
                         None if last and closing else (moment + timedelta(days=5)).date(),
                         "resolved" if last and closing else "unresolved", late))
            self.ids["follow_up"] += 1
        return rows, moment

    def _parts(self, record_id: int) -> list:
        """One or two parts, used in the repair (a fifth sold to the customer)."""
        rng, rows = self.rng, []
        for position in range(1, rng.choice((1, 1, 2)) + 1):
            name, spec = rng.choice(PARTS)
            quantity, price = rng.randint(1, 4), rng.randint(50, 3000) * 100
            rows.append((self.ids["part"], record_id, position, name, spec, quantity * 1000,
                         rng.random() < 0.2, price, quantity * price))
            self.ids["part"] += 1
        return rows


def _sqlite_converter(table: str, columns: tuple):
    """A row's values as SQLAlchemy stores them on SQLite: datetimes and dates as text."""
    types = db.metadata.tables[table].c
    moments = [i for i, name in enumerate(columns)
               if isinstance(types[name].type, Date | DateTime)]

    def convert(row: tuple) -> tuple:
        values = list(row)
        for i in moments:
            value = values[i]
            if value is not None:
                values[i] = (value.isoformat(" ", "microseconds")
                             if isinstance(value, datetime) else value.isoformat())
        return values

    return convert


def _write_sqlite(connection, tables: dict) -> None:
    """executemany of each table's pending rows."""
    cursor = connection.cursor()
    for table, rows in tables.items():
        if rows:
            columns = TABLES[table]
            convert = _sqlite_converter(table, columns)
            cursor.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) "  # noqa: S608 (fixed names)
                f"VALUES ({', '.join('?' * len(columns))})", [convert(row) for row in rows])
            rows.clear()


def _write_postgres(connection, tables: dict) -> None:
    """COPY of each table's pending rows."""
    with connection.cursor() as cursor:
        for table, rows in tables.items():
            if rows:
                with cursor.copy(f"COPY {table} ({', '.join(TABLES[table])}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                rows.clear()


def add_records(count: int) -> dict[str, int]:
    """Generates `count` records with their follow-ups and parts into an empty ledger, a
    batch per transaction; the rows written per table."""
    generator = Generator(count)
    generator.load_people()
    db.session.commit()
    connection = db.session.connection().connection.driver_connection
    postgres = db.engine.dialect.name == "postgresql"
    if not postgres:  # the rows are consistent by construction; checks would double the time
        connection.execute("PRAGMA foreign_keys=OFF")
        connection.execute("PRAGMA synchronous=OFF")
    write = _write_postgres if postgres else _write_sqlite
    written = dict.fromkeys(TABLES, 0)
    tables: dict[str, list] = {table: [] for table in TABLES}
    started = time.perf_counter()
    for record_id in range(1, count + 1):
        generator.record(record_id, tables)
        if record_id % BATCH == 0 or record_id == count:
            for table, rows in tables.items():
                written[table] += len(rows)
            write(connection, tables)
            connection.commit()
            if record_id % (BATCH * 10) == 0:
                print(f"   {record_id} records, {written['service_follow_ups']} follow-ups, "
                      f"{time.perf_counter() - started:.0f} s", flush=True)
    if not postgres:
        connection.execute("PRAGMA foreign_keys=ON")
        connection.execute("PRAGMA synchronous=NORMAL")
    return written


def after_load() -> float:
    """What the ORM would have kept with the rows, then the statistics: the per-day statistics
    rebuilt (the rows bypassed the session hooks that keep them); on PostgreSQL the id
    sequences continued and VACUUM ANALYZE, as autovacuum would do after a load; on SQLite
    ANALYZE, as the application's nightly job does (services/core/maintenance). Seconds of
    the rebuild."""
    started = time.perf_counter()
    days.rebuild(db.session)
    db.session.commit()
    rebuilt = time.perf_counter() - started
    if db.engine.dialect.name != "postgresql":
        maintenance.refresh_planner_statistics()
        return rebuilt
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for table in TABLES:
            conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608 (fixed names)
                              f"(SELECT coalesce(max(id), 1) FROM {table}))"))
        for table in (*TABLES, *SUMMARIES):
            conn.execute(text(f"VACUUM ANALYZE {table}"))
    return rebuilt


def record_count() -> int:
    return db.session.scalar(select(func.count()).select_from(ServiceRecord))
