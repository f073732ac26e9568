"""值班情况登记表 (001 L48) and 节假日服务保障 (002 L66–68): the duty roster of 客服部."""
