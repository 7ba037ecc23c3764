"""Joint procurement: suppliers and their materials, offers, pooled orders with commitments
and expected deliveries, deliveries and their shares.

Revision ID: 6cf3c113b909
Revises: 3dfb78c18ff7
Create Date: 2026-12-01 08:37:10.044771

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '6cf3c113b909'
down_revision = '3dfb78c18ff7'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('suppliers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('county_code', sa.String(length=2), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('org_number', sa.String(length=11), nullable=True),
    sa.Column('vat_number', sa.String(length=20), nullable=True),
    sa.Column('contact_name', sa.String(length=120), nullable=True),
    sa.Column('contact_email', sa.String(length=254), nullable=True),
    sa.Column('contact_phone', sa.String(length=40), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('status', sa.Enum('new', 'verified', 'blocked', name='supplierstatus', native_enum=False, length=32), nullable=False),
    sa.Column('status_reason', sa.Text(), nullable=True),
    sa.Column('status_set_by_id', sa.Integer(), nullable=True),
    sa.Column('status_set_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('(org_number IS NULL) <> (vat_number IS NULL)', name=op.f('ck_suppliers_one_identity')),
    sa.ForeignKeyConstraint(['county_code'], ['counties.code'], name=op.f('fk_suppliers_county_code_counties')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_suppliers_created_by_id_users')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_suppliers_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['status_set_by_id'], ['users.id'], name=op.f('fk_suppliers_status_set_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_suppliers')),
    sa.UniqueConstraint('county_code', 'org_number', name=op.f('uq_suppliers_county_code_org_number')),
    sa.UniqueConstraint('county_code', 'vat_number', name=op.f('uq_suppliers_county_code_vat_number'))
    )
    with op.batch_alter_table('suppliers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_suppliers_county_code'), ['county_code'], unique=False)

    op.create_table('offers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('county_code', sa.String(length=2), nullable=False),
    sa.Column('supplier_id', sa.Integer(), nullable=False),
    sa.Column('material_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('unit_price', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('minimum_order', sa.Integer(), nullable=False),
    sa.Column('lead_time_days', sa.Integer(), nullable=True),
    sa.Column('delivery_date', sa.Date(), nullable=True),
    sa.Column('valid_until', sa.Date(), nullable=False),
    sa.Column('ce_marked', sa.Boolean(), nullable=False),
    sa.Column('standard', sa.Enum('en149_ffp2', 'en149_ffp3', 'en14683_iir', 'en455', 'en14126', 'en166', name='standard', native_enum=False, length=32), nullable=True),
    sa.Column('notified_body', sa.String(length=4), nullable=True),
    sa.Column('market_surveillance', sa.Boolean(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('status', sa.Enum('new', 'under_review', 'accepted', 'rejected', 'expired', name='offerstatus', native_enum=False, length=32), nullable=False),
    sa.Column('rejection_reason', sa.Text(), nullable=True),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('lead_time_days IS NULL OR lead_time_days >= 0', name=op.f('ck_offers_lead_time_not_negative')),
    sa.CheckConstraint('minimum_order >= 0 AND minimum_order <= quantity', name=op.f('ck_offers_minimum_within_quantity')),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_offers_quantity_positive')),
    sa.CheckConstraint('unit_price > 0', name=op.f('ck_offers_price_positive')),
    sa.ForeignKeyConstraint(['county_code'], ['counties.code'], name=op.f('fk_offers_county_code_counties')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_offers_created_by_id_users')),
    sa.ForeignKeyConstraint(['material_id'], ['materials.id'], name=op.f('fk_offers_material_id_materials')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_offers_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name=op.f('fk_offers_supplier_id_suppliers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_offers'))
    )
    with op.batch_alter_table('offers', schema=None) as batch_op:
        batch_op.create_index('ix_offers_county_material', ['county_code', 'material_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_offers_supplier_id'), ['supplier_id'], unique=False)

    op.create_table('supplier_materials',
    sa.Column('supplier_id', sa.Integer(), nullable=False),
    sa.Column('material_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['material_id'], ['materials.id'], name=op.f('fk_supplier_materials_material_id_materials')),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name=op.f('fk_supplier_materials_supplier_id_suppliers')),
    sa.PrimaryKeyConstraint('supplier_id', 'material_id', name=op.f('pk_supplier_materials'))
    )
    op.create_table('pooled_orders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('county_code', sa.String(length=2), nullable=False),
    sa.Column('offer_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('lead_organisation_id', sa.Integer(), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('status', sa.Enum('open', 'closed', 'placed', 'completed', 'cancelled', name='orderstatus', native_enum=False, length=32), nullable=False),
    sa.Column('order_number', sa.String(length=60), nullable=True),
    sa.Column('ordered_on', sa.Date(), nullable=True),
    sa.Column('cancel_reason', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['county_code'], ['counties.code'], name=op.f('fk_pooled_orders_county_code_counties')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_pooled_orders_created_by_id_users')),
    sa.ForeignKeyConstraint(['lead_organisation_id'], ['organisations.id'], name=op.f('fk_pooled_orders_lead_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['offer_id'], ['offers.id'], name=op.f('fk_pooled_orders_offer_id_offers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pooled_orders')),
    sa.UniqueConstraint('offer_id', name=op.f('uq_pooled_orders_offer_id'))
    )
    with op.batch_alter_table('pooled_orders', schema=None) as batch_op:
        batch_op.create_index('ix_pooled_orders_county_status', ['county_code', 'status'], unique=False)

    op.create_table('commitments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('quantity >= 0', name=op.f('ck_commitments_quantity_not_negative')),
    sa.ForeignKeyConstraint(['order_id'], ['pooled_orders.id'], name=op.f('fk_commitments_order_id_pooled_orders')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_commitments_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_commitments_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_commitments')),
    sa.UniqueConstraint('order_id', 'organisation_id', name=op.f('uq_commitments_order_id_organisation_id'))
    )
    op.create_table('deliveries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('proposed', 'confirmed', name='deliverystatus', native_enum=False, length=32), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_deliveries_quantity_positive')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_deliveries_created_by_id_users')),
    sa.ForeignKeyConstraint(['document_id'], ['stored_documents.id'], name=op.f('fk_deliveries_document_id_stored_documents')),
    sa.ForeignKeyConstraint(['order_id'], ['pooled_orders.id'], name=op.f('fk_deliveries_order_id_pooled_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deliveries'))
    )
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deliveries_order_id'), ['order_id'], unique=False)

    op.create_table('scheduled_deliveries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('expected_on', sa.Date(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_scheduled_deliveries_quantity_positive')),
    sa.ForeignKeyConstraint(['order_id'], ['pooled_orders.id'], name=op.f('fk_scheduled_deliveries_order_id_pooled_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scheduled_deliveries'))
    )
    with op.batch_alter_table('scheduled_deliveries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_scheduled_deliveries_order_id'), ['order_id'], unique=False)

    op.create_table('delivery_shares',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('delivery_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('proposed', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('allocated', 'received', name='sharestatus', native_enum=False, length=32), nullable=False),
    sa.Column('received_by_id', sa.Integer(), nullable=True),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('quantity >= 0 AND proposed >= 0', name=op.f('ck_delivery_shares_quantity_not_negative')),
    sa.ForeignKeyConstraint(['delivery_id'], ['deliveries.id'], name=op.f('fk_delivery_shares_delivery_id_deliveries')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_delivery_shares_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['received_by_id'], ['users.id'], name=op.f('fk_delivery_shares_received_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delivery_shares')),
    sa.UniqueConstraint('delivery_id', 'organisation_id', name=op.f('uq_delivery_shares_delivery_id_organisation_id'))
    )


def downgrade():
    op.drop_table('delivery_shares')
    with op.batch_alter_table('scheduled_deliveries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_scheduled_deliveries_order_id'))

    op.drop_table('scheduled_deliveries')
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deliveries_order_id'))

    op.drop_table('deliveries')
    op.drop_table('commitments')
    with op.batch_alter_table('pooled_orders', schema=None) as batch_op:
        batch_op.drop_index('ix_pooled_orders_county_status')

    op.drop_table('pooled_orders')
    op.drop_table('supplier_materials')
    with op.batch_alter_table('offers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_offers_supplier_id'))
        batch_op.drop_index('ix_offers_county_material')

    op.drop_table('offers')
    with op.batch_alter_table('suppliers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_suppliers_county_code'))

    op.drop_table('suppliers')
