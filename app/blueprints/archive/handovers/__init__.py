"""归档移交单 and the monthly filing (/archive/handovers/): routes (lists, new list, a list's
page, print, exports), decision_routes (accept, reject) and run_routes (monthly filing, runs)."""
