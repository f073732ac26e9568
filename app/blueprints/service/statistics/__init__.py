"""客服统计 and the reports (周报, 服务监督报告): pages, Excel exports and PDFs."""
