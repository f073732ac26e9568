"""值班情况登记表 (/service/roster/): the month's roster, its export and print, planning and
filling in duties, and the holiday coverage (节假日服务保障)."""
