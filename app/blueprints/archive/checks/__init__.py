"""四性检测 (/archive/checks/): runs, reports, the scheme, and `flask archive check`."""
