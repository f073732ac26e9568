"""故障分析报告 (002 篇二 七): reports of major faults, from the first notice to the analysis."""
