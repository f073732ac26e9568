"""The import kit: a dry run that writes nothing, then a background job, for any ledger a
department registers (registry.register in its plug_in).

- xlsx: reading uploads (.xlsx, .xls, .ods through python-calamine), behind the guards of
  xlsxscan, xlsscan, odsscan and zipguard; errors: BadFile, Unreadable; kept: the dry run's
  rows kept for the job; base: columns, outcomes, plans;
  fields: reading cells (lists, dates, exact decimals); rowwise: importers that write each row
  through the ledger's own service;
- registry: the importer of each ledger;
- batches: the batch's life (dry run, start, the job, progress); files: template, failed rows,
  the batches list as a workbook.
"""
