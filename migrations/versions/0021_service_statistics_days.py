"""Service statistics: figures per day and dimension, kept with the records; the indexes of
the statistics' live ("as of now" and per-person) counts. The days are filled from the
records already there.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06 10:50:00

"""
from alembic import op
import sqlalchemy as sa

revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def _choice(name, *values, length=16):
    return sa.Enum(*values, name=name, native_enum=False, length=length)


def _keys(table):
    return [
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('monthly', sa.Boolean(), nullable=False),
        sa.Column('department_id', sa.Integer(), nullable=False),
        sa.Column('confidentiality', sa.SmallInteger(), nullable=False),
        sa.ForeignKeyConstraint(['department_id'], ['departments.id'],
                                name=op.f(f'fk_{table}_department_id_departments')),
        sa.PrimaryKeyConstraint('id', name=op.f(f'pk_{table}')),
    ]


def _counts(*names):
    return [sa.Column(name, sa.Integer(), nullable=False) for name in names]


def upgrade():
    op.create_table(
        'service_statistics_days', *_keys('service_statistics_days'),
        sa.Column('customer_type', _choice('customertype', 'potential', 'intent', 'deal', 'lost'),
                  nullable=False),
        sa.Column('service_type', _choice('servicetype', 'presales', 'insales', 'aftersales',
                                          'value_added'), nullable=False),
        sa.Column('after_sales_kind', _choice('aftersaleskind', 'repair', 'maintenance',
                                              'installation', 'return', 'other'), nullable=True),
        *_counts('records', 'open', 'rework', 'response_breached', 'resolution_breached',
                 'answered', 'satisfied', 'score_total', 'follow_ups', 'late_follow_ups'))
    op.create_table(
        'service_statistics_part_days', *_keys('service_statistics_part_days'),
        sa.Column('sold', sa.Boolean(), nullable=False),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('spec', sa.String(length=100), nullable=True),
        sa.Column('lines', sa.Integer(), nullable=False),
        sa.Column('quantity', sa.BigInteger(), nullable=False),
        sa.Column('amount', sa.BigInteger(), nullable=False))
    op.create_table(
        'service_statistics_visit_days', *_keys('service_statistics_visit_days'),
        *_counts('due', 'done', 'answered', 'satisfied'))
    for table in ('service_statistics_days', 'service_statistics_part_days',
                  'service_statistics_visit_days'):
        op.create_index(f'ix_{table}_day', table,
                        ['monthly', 'day', 'department_id', 'confidentiality'])
    op.create_index('ix_service_follow_ups_communicated', 'service_follow_ups',
                    ['communicated_at', 'record_id'])
    op.create_index('ix_return_visits_visited', 'return_visits', ['visited_at'])
    op.create_index('ix_return_visits_due_date', 'return_visits', ['due_date'])
    op.create_index('ix_service_records_open_follow_up', 'service_records',
                    ['status', 'service_at', 'next_follow_up_due', 'confidentiality',
                     'department_id'])
    op.create_index('ix_service_records_department_open', 'service_records',
                    ['department_id', 'status', 'service_at', 'next_follow_up_due',
                     'confidentiality'])
    op.create_index('ix_service_records_handler_period', 'service_records',
                    ['handler_id', 'service_at'])
    op.create_index('ix_service_records_receiver_period', 'service_records',
                    ['first_receiver_id', 'service_at'])
    _fill()


def downgrade():
    for index, table in (('ix_service_records_receiver_period', 'service_records'),
                         ('ix_service_records_handler_period', 'service_records'),
                         ('ix_service_records_department_open', 'service_records'),
                         ('ix_service_records_open_follow_up', 'service_records'),
                         ('ix_return_visits_due_date', 'return_visits'),
                         ('ix_return_visits_visited', 'return_visits'),
                         ('ix_service_follow_ups_communicated', 'service_follow_ups')):
        op.drop_index(index, table_name=table)
    for table in ('service_statistics_visit_days', 'service_statistics_part_days',
                  'service_statistics_days'):
        op.drop_index(f'ix_{table}_day', table_name=table)
        op.drop_table(table)


def _fill():
    """The days of the rows already there (the application keeps them from now on); the same
    GROUP BYs as services/service/statistics/days.py, written out so that the migration does
    not depend on the application's code as it will be."""
    day = ("CAST({} AS DATE)" if op.get_bind().dialect.name == "postgresql" else "date({})")
    records, follow_ups = day.format("r.service_at"), day.format("f.communicated_at")
    keys = "department_id, confidentiality, customer_type, service_type, after_sales_kind"
    dims = "r.department_id, r.confidentiality, c.type, r.service_type, r.after_sales_kind"
    zero = ", 0" * 8
    op.execute(
        f"INSERT INTO service_statistics_days (day, monthly, {keys}, records, open, rework, "
        "response_breached, resolution_breached, answered, satisfied, score_total, "
        f"follow_ups, late_follow_ups) SELECT {records}, false, {dims}, count(*), "
        "sum(CASE WHEN r.status IN ('pending', 'processing', 'waiting_customer', "
        "'waiting_parts') THEN 1 ELSE 0 END), count(r.rework_of_id), "
        "sum(CASE WHEN r.response_breached THEN 1 ELSE 0 END), "
        "sum(CASE WHEN r.resolution_breached THEN 1 ELSE 0 END), count(r.satisfaction), "
        "sum(CASE WHEN r.satisfaction >= 4 THEN 1 ELSE 0 END), coalesce(sum(r.satisfaction), 0), "
        f"0, 0 FROM service_records r JOIN customers c ON c.id = r.customer_id "
        f"GROUP BY {records}, {dims}")
    op.execute(
        f"INSERT INTO service_statistics_days (day, monthly, {keys}, records, open, rework, "
        "response_breached, resolution_breached, answered, satisfied, score_total, "
        f"follow_ups, late_follow_ups) SELECT {follow_ups}, false, {dims}{zero}, count(*), "
        "sum(CASE WHEN f.late THEN 1 ELSE 0 END) FROM service_follow_ups f "
        "JOIN service_records r ON r.id = f.record_id JOIN customers c ON c.id = r.customer_id "
        f"GROUP BY {follow_ups}, {dims}")
    op.execute(
        "INSERT INTO service_statistics_part_days (day, monthly, department_id, confidentiality, "
        f"sold, name, spec, lines, quantity, amount) SELECT {records}, false, r.department_id, "
        "r.confidentiality, p.sold, p.name, p.spec, count(*), coalesce(sum(p.quantity), 0), "
        "coalesce(sum(p.amount), 0) FROM service_parts p JOIN service_records r "
        f"ON r.id = p.record_id GROUP BY {records}, r.department_id, r.confidentiality, "
        "p.sold, p.name, p.spec")
    visited = day.format("visited_at")
    op.execute(
        "INSERT INTO service_statistics_visit_days (day, monthly, department_id, confidentiality, "
        "due, done, answered, satisfied) SELECT due_date, false, department_id, confidentiality, "
        "count(*), "
        "sum(CASE WHEN status = 'done' THEN 1 ELSE 0 END), 0, 0 FROM return_visits "
        "GROUP BY due_date, department_id, confidentiality")
    op.execute(
        "INSERT INTO service_statistics_visit_days (day, monthly, department_id, confidentiality, "
        f"due, done, answered, satisfied) SELECT {visited}, false, department_id, "
        "confidentiality, 0, 0, "
        "count(satisfaction), sum(CASE WHEN satisfaction >= 4 THEN 1 ELSE 0 END) "
        f"FROM return_visits WHERE visited_at IS NOT NULL GROUP BY {visited}, department_id, "
        "confidentiality")
    _roll_up()


ROLLED = (
    ('service_statistics_days',
     'department_id, confidentiality, customer_type, service_type, after_sales_kind',
     ('records', 'open', 'rework', 'response_breached', 'resolution_breached', 'answered',
      'satisfied', 'score_total', 'follow_ups', 'late_follow_ups')),
    ('service_statistics_part_days', 'department_id, confidentiality, sold, name, spec',
     ('lines', 'quantity', 'amount')),
    ('service_statistics_visit_days', 'department_id, confidentiality',
     ('due', 'done', 'answered', 'satisfied')),
)


def _roll_up():
    """Each month's rows, the sums of its day rows (statistics/recount.py roll_up)."""
    month = ("CAST(date_trunc('month', day) AS DATE)"
             if op.get_bind().dialect.name == "postgresql" else "date(day, 'start of month')")
    for table, keys, counts in ROLLED:
        sums = ", ".join(f"sum({name})" for name in counts)
        op.execute(f"INSERT INTO {table} (day, monthly, {keys}, {', '.join(counts)}) "
                   f"SELECT {month}, true, {keys}, {sums} FROM {table} WHERE NOT monthly "
                   f"GROUP BY {month}, {keys}")
