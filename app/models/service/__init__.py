"""客服部's models: service records (表2 客户服务记录表) with their parts and history, follow-ups,
return visits, SLA policies, the duty roster and fault reports. Importing the package registers
them all with the one metadata."""

from app.models.service import (  # noqa: F401
    follow_ups,
    records,
    roster,
    sla,
    statistics,
    visits,
)
