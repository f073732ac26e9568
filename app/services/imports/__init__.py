"""Excel imports of the ledgers: a dry run that writes nothing, then a background job.

- xlsx: reading uploads (content check, streaming rows); base: columns, outcomes, plans;
- registry: the importer of each ledger; customers (+ customer_fields, customer_owners);
- batches: the batch's life (dry run, start, the job, progress); files: template, failed rows.
"""

from app.services.imports.customers import CustomerImporter
from app.services.imports.registry import register

register(CustomerImporter())
