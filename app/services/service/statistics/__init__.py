"""客服统计 (spec a11) and the reports built on it (a10): the figures of a period as aggregate SQL
over the records the reader may count (policy.scope with ServiceStatistics), never rows loaded
into Python; server-drawn SVG charts that print as they show; the weekly report, the monthly
服务监督报告, their workbooks and PDFs."""
