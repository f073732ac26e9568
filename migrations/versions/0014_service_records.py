"""客服部: service records (表2) with their parts, collaborators and history.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 09:51:05.209283

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('service_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('confidentiality', sa.SmallInteger(), nullable=False),
    sa.Column('service_type', sa.Enum('presales', 'insales', 'aftersales', 'value_added', name='servicetype', native_enum=False, length=16), nullable=False),
    sa.Column('after_sales_kind', sa.Enum('repair', 'maintenance', 'installation', 'return', 'other', name='aftersaleskind', native_enum=False, length=16), nullable=True),
    sa.Column('priority', sa.Enum('high', 'medium', 'low', name='priority', native_enum=False, length=16), nullable=False),
    sa.Column('tags', sa.String(length=100), nullable=False),
    sa.Column('service_at', sa.DateTime(), nullable=False),
    sa.Column('communicated_at', sa.DateTime(), nullable=True),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('request_text', sa.Text(), nullable=True),
    sa.Column('customer_contact', sa.String(length=50), nullable=True),
    sa.Column('contact_phone', sa.String(length=20), nullable=True),
    sa.Column('expected_at', sa.DateTime(), nullable=True),
    sa.Column('place', sa.String(length=200), nullable=True),
    sa.Column('delivery_address', sa.String(length=200), nullable=True),
    sa.Column('major', sa.Boolean(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'processing', 'waiting_customer', 'waiting_parts', 'done', 'closed', name='servicestatus', native_enum=False, length=20), nullable=False),
    sa.Column('first_receiver_id', sa.Integer(), nullable=False),
    sa.Column('handler_id', sa.Integer(), nullable=True),
    sa.Column('contract_id', sa.Integer(), nullable=True),
    sa.Column('rework_of_id', sa.Integer(), nullable=True),
    sa.Column('solution', sa.Text(), nullable=True),
    sa.Column('result', sa.Text(), nullable=True),
    sa.Column('feedback', sa.Text(), nullable=True),
    sa.Column('satisfaction', sa.SmallInteger(), nullable=True),
    sa.Column('remarks', sa.Text(), nullable=True),
    sa.Column('confirmed_at', sa.DateTime(), nullable=True),
    sa.Column('confirmed_by', sa.String(length=50), nullable=True),
    sa.Column('confirmation_method', sa.Enum('paper', 'phone', 'email', 'survey', name='confirmationmethod', native_enum=False, length=16), nullable=True),
    sa.Column('confirmation_recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('abandoned', sa.Boolean(), nullable=False),
    sa.Column('completed_at', sa.DateTime(), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('sla_policy_id', sa.Integer(), nullable=True),
    sa.Column('responded_at', sa.DateTime(), nullable=True),
    sa.Column('response_due', sa.DateTime(), nullable=True),
    sa.Column('resolution_due', sa.DateTime(), nullable=True),
    sa.Column('response_breached', sa.Boolean(), nullable=False),
    sa.Column('resolution_breached', sa.Boolean(), nullable=False),
    sa.Column('sla_computed_at', sa.DateTime(), nullable=True),
    sa.Column('next_follow_up_due', sa.DateTime(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['confirmation_recorded_by_id'], ['users.id'], name=op.f('fk_service_records_confirmation_recorded_by_id_users')),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_service_records_contract_id_contracts')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_service_records_customer_id_customers')),
    sa.ForeignKeyConstraint(['department_id'], ['departments.id'], name=op.f('fk_service_records_department_id_departments')),
    sa.ForeignKeyConstraint(['first_receiver_id'], ['users.id'], name=op.f('fk_service_records_first_receiver_id_users')),
    sa.ForeignKeyConstraint(['handler_id'], ['users.id'], name=op.f('fk_service_records_handler_id_users')),
    sa.ForeignKeyConstraint(['rework_of_id'], ['service_records.id'], name=op.f('fk_service_records_rework_of_id_service_records')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_records')),
    sa.UniqueConstraint('number', name=op.f('uq_service_records_number'))
    )
    with op.batch_alter_table('service_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_records_contract_id'), ['contract_id'], unique=False)
        batch_op.create_index('ix_service_records_customer', ['customer_id', 'id'], unique=False)
        batch_op.create_index('ix_service_records_department_scope', ['department_id', 'status', 'id', 'confidentiality'], unique=False)
        batch_op.create_index('ix_service_records_first_receiver', ['first_receiver_id', 'id'], unique=False)
        batch_op.create_index('ix_service_records_handler', ['handler_id', 'status', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_service_records_next_follow_up_due'), ['next_follow_up_due'], unique=False)
        batch_op.create_index('ix_service_records_open_resolution', ['status', 'resolution_due'], unique=False)
        batch_op.create_index(batch_op.f('ix_service_records_rework_of_id'), ['rework_of_id'], unique=False)
        batch_op.create_index('ix_service_records_service_at', ['service_at'], unique=False)
        batch_op.create_index('ix_service_records_status_id', ['status', 'id'], unique=False)
        batch_op.create_index('ix_service_records_major_id', ['major', 'id'], unique=False)
        batch_op.create_index('ix_service_records_department_follow_up', ['department_id', 'next_follow_up_due'], unique=False)

    op.create_table('service_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('created', 'assigned', 'transferred', 'status', 'confirmed', 'revised', name='serviceeventkind', native_enum=False, length=16), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('from_status', sa.Enum('pending', 'processing', 'waiting_customer', 'waiting_parts', 'done', 'closed', name='servicestatus', native_enum=False, length=20), nullable=True),
    sa.Column('to_status', sa.Enum('pending', 'processing', 'waiting_customer', 'waiting_parts', 'done', 'closed', name='servicestatus', native_enum=False, length=20), nullable=True),
    sa.Column('from_user_id', sa.Integer(), nullable=True),
    sa.Column('to_user_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('snapshot', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['from_user_id'], ['users.id'], name=op.f('fk_service_events_from_user_id_users')),
    sa.ForeignKeyConstraint(['record_id'], ['service_records.id'], name=op.f('fk_service_events_record_id_service_records')),
    sa.ForeignKeyConstraint(['to_user_id'], ['users.id'], name=op.f('fk_service_events_to_user_id_users')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_service_events_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_events'))
    )
    with op.batch_alter_table('service_events', schema=None) as batch_op:
        batch_op.create_index('ix_service_events_record', ['record_id', 'id'], unique=False)

    op.create_table('service_parts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('spec', sa.String(length=100), nullable=True),
    sa.Column('quantity', sa.BigInteger(), nullable=False),
    sa.Column('sold', sa.Boolean(), nullable=False),
    sa.Column('unit_price', sa.BigInteger(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['record_id'], ['service_records.id'], name=op.f('fk_service_parts_record_id_service_records')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_parts'))
    )
    with op.batch_alter_table('service_parts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_parts_record_id'), ['record_id'], unique=False)

    op.create_table('service_record_collaborators',
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['record_id'], ['service_records.id'], name=op.f('fk_service_record_collaborators_record_id_service_records')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_service_record_collaborators_user_id_users')),
    sa.PrimaryKeyConstraint('record_id', 'user_id', name=op.f('pk_service_record_collaborators'))
    )


def downgrade():
    op.drop_table('service_record_collaborators')
    with op.batch_alter_table('service_parts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_parts_record_id'))

    op.drop_table('service_parts')
    with op.batch_alter_table('service_events', schema=None) as batch_op:
        batch_op.drop_index('ix_service_events_record')

    op.drop_table('service_events')
    with op.batch_alter_table('service_records', schema=None) as batch_op:
        batch_op.drop_index('ix_service_records_service_at')
        batch_op.drop_index('ix_service_records_status_id')
        batch_op.drop_index('ix_service_records_major_id')
        batch_op.drop_index('ix_service_records_department_follow_up')
        batch_op.drop_index(batch_op.f('ix_service_records_rework_of_id'))
        batch_op.drop_index('ix_service_records_open_resolution')
        batch_op.drop_index(batch_op.f('ix_service_records_next_follow_up_due'))
        batch_op.drop_index('ix_service_records_handler')
        batch_op.drop_index('ix_service_records_first_receiver')
        batch_op.drop_index('ix_service_records_department_scope')
        batch_op.drop_index('ix_service_records_customer')
        batch_op.drop_index(batch_op.f('ix_service_records_contract_id'))

    op.drop_table('service_records')
