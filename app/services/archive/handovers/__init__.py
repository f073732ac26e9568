"""归档移交 (requirement 2) and the monthly filing (requirement 4): a department's handover list
of signed records (eligible), the archivist's decision on each line (operations), the filing
and receipt check of accepted lines (receipt) by a background run (runs, execution), the
monthly lists (monthly), and the lists' pages, export and print (lists, pdf)."""
