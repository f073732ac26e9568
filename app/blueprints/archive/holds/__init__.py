"""冻结 (/archive/holds/): the list and its export, placing a hold, a hold's page, releasing."""
