"""The words of the demo's service records: what customers call about, what 客服 writes in a
follow-up, the solution and result, the parts, the reasons, the roster's and fault reports'
entries. Chinese, as the department writes them (the demo data is not translated)."""

from app.models.service.follow_ups import FollowUpResult
from app.models.service.records import AfterSalesKind, ServiceType

PRODUCTS = ("工业服务器", "存储阵列", "交换机", "UPS 电源", "打印终端", "监控系统")

# (service type, after-sales kind) → what the customer called about ({p}: a product).
CONTENTS = {
    (ServiceType.PRESALES, None): ("咨询{p}的型号配置与报价", "了解{p}的扩容方案和交付周期",
                                   "询问{p}以旧换新政策"),
    (ServiceType.INSALES, None): ("合同执行中，客户询问{p}到货和安装时间",
                                  "客户要求调整{p}的交付批次", "确认{p}验收标准和资料清单"),
    (ServiceType.AFTERSALES, AfterSalesKind.REPAIR): (
        "{p}无法开机，请求上门检修", "{p}频繁告警，怀疑硬件故障", "{p}运行中异常重启",
        "{p}指示灯报错，业务中断"),
    (ServiceType.AFTERSALES, AfterSalesKind.MAINTENANCE): ("{p}年度例行保养",
                                                           "{p}半年度巡检保养"),
    (ServiceType.AFTERSALES, AfterSalesKind.INSTALLATION): ("新购{p}安装调试",
                                                            "{p}搬迁后重新安装"),
    (ServiceType.AFTERSALES, AfterSalesKind.RETURN): ("{p}到货外包装破损，申请换货",
                                                      "{p}型号与合同不符，申请退换"),
    (ServiceType.AFTERSALES, AfterSalesKind.OTHER): ("{p}使用咨询，需远程协助",),
    (ServiceType.VALUE_ADDED, None): ("{p}操作培训需求", "{p}系统健康巡检",
                                      "{p}运行数据分析报告"),
}
REQUESTS = ("希望尽快安排工程师处理，不影响月底结账。", "请在工作日白天处理，需提前电话预约。",
            "客户希望本周内给出书面方案。", "现场有专人配合，可随时上门。")
SOLUTIONS = ("工程师上门检测，更换故障部件后恢复运行。", "远程登录排查，调整配置并升级固件。",
             "按保养规程清洁、紧固、检测并出具保养报告。", "安排换货，旧件返厂检测。",
             "提供书面方案和报价，客户确认后执行。", "完成安装调试并进行操作培训。")
RESULTS = ("设备运行正常，客户现场验收。", "问题已解决，连续观察三天无异常。",
           "客户已收到方案，表示满意。", "已完成，客户签字确认服务单。")
FEEDBACK = ("响应及时，工程师专业。", "处理速度可以再快一些。", "服务态度好，问题解决彻底。",
            "希望以后提前告知上门时间。")
PARTS = (("硬盘", "2TB SATA", "680.00"), ("电源模块", "800W", "1200.00"),
         ("内存条", "32GB DDR4", "950.00"), ("风扇", "80mm", "85.00"),
         ("主板", "X11", "3600.00"), ("网卡", "10GbE", "1480.00"), ("滤芯", "标准型", "60.00"),
         ("电池组", "12V 100Ah", "2300.00"))
# Follow-up points while the work goes on, and when the customer confirms it is solved.
POINTS = ("已电话联系客户，确认故障现象和影响范围", "已安排工程师上门，客户同意时间",
          "远程协助排查，初步判断为配件故障", "等待厂家配件到货，已告知客户预计时间",
          "客户反馈问题有所缓解，继续观察", "与客户对接人确认处理方案")
PROGRESS = ("正在处理", "方案已确认，等待实施", "部分解决，待配件到货", "已现场处理")
NEXT_ACTIONS = ("上门更换配件", "电话确认运行情况", "提交书面方案", "安排工程师复查")
RESOLVED_POINTS = "客户确认问题已解决，设备运行正常"
ABANDONED_POINTS = "客户表示已自行找第三方处理，不再需要本次服务"
FOLLOW_UP_RESULTS = {False: FollowUpResult.UNRESOLVED, True: FollowUpResult.RESOLVED}
REOPEN_REASON = "客户反馈故障复现，重新处理"
TRANSFER_REASON = "原负责人外出培训，转交同事继续跟进"
WAIT_REASONS = ("等待客户确认上门时间", "等待厂家配件到货")
VISIT_RECORDS = ("客户表示服务及时，设备运行正常。", "客户对处理结果满意，建议缩短上门时间。",
                 "客户反馈一切正常，暂无新需求。", "客户提出明年扩容计划，已转告销售。")
SURVEY_RECORDS = ("客户明年计划采购两台存储设备，预算待批。", "客户明年暂无新增采购计划。",
                  "客户计划明年上半年升级网络设备，需要方案。")
OBJECTIONS = ("上门时间比约定晚了半小时。", "希望配件常备库存。")
DUTY_WORK = ("节日值守热线，处理客户来电{n}个", "巡检重点客户设备运行状态，无异常",
             "远程处理客户告警{n}起，已记录", "值守热线，协调工程师处理一起上门服务")
FAULT = {
    "symptoms": "核心{p}宕机，客户生产系统中断，现场告警灯常亮",
    "plan": "立即启用备用设备恢复业务，工程师两小时内到场，厂家同步支持",
    "impact": "客户生产系统中断约三小时，影响当日部分订单处理",
    "handling": "启用备机恢复业务，更换故障电源模块和主板，恢复后连续观察48小时",
    "cause": "电源模块老化导致主板供电异常；上次保养未发现电容鼓包",
    "actions": "同批次设备全部检查电源模块；保养规程增加电容检查项；客户机房增加冗余电源",
}
OPEN_FAULT = {
    "symptoms": "{p}多块硬盘同时告警，阵列降级运行",
    "plan": "远程锁定数据写入，工程师携带备件当日上门更换，必要时启用备份恢复",
}
