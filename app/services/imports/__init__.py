"""Excel imports of the ledgers: a dry run that writes nothing, then a background job.

- xlsx: reading uploads (content check, streaming rows); base: columns, outcomes, plans;
  fields: reading cells (lists, dates, exact decimals); lookups: what a row may name;
- registry: the importer of each ledger; customers (+ customer_fields, customer_owners);
  contracts (+ contract_fields) and sales (+ sales_fields), written row by row (rowwise);
- batches: the batch's life (dry run, start, the job, progress); files: template, failed rows,
  the batches list as a workbook.
"""

from app.services.imports.registry import register
from app.services.sales.imports.contracts import ContractImporter
from app.services.sales.imports.customers import CustomerImporter
from app.services.sales.imports.ledger import SalesImporter

register(CustomerImporter())
register(ContractImporter())
register(SalesImporter())
