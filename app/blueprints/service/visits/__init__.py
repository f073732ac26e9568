"""回访 (/service/visits/): the list and its export, a visit's page, recording, rescheduling and
assigning it, and the `flask service visits-daily` command."""
