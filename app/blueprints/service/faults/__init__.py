"""故障分析报告 (/service/faults/): list, report, detail, completion, print, export."""
