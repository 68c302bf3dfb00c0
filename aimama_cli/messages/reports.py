"""``aimama report coverage|duties|volunteers|html``: the supervision figures (督导考评) and the dashboard."""

MESSAGES: dict[str, tuple[str, str]] = {
    "report.help": ("Reports for supervision: figures per region.\n\nExample: aimama report coverage --as-of 2026-11-01",
                    "督导考评报表：按行政区划统计的各项数字。\n\n示例：aimama report coverage --as-of 2026-11-01"),
    "report.coverage.help": (
        "Coverage per region at one level (default county): active children by category, children paired on "
        "the day and the coverage, priority children (应结尽结) paired, paired children without a volunteer "
        "living in their county (N+1 gap), volunteers by kind, vetted, active, with a pledge this year, and "
        "children per volunteer; a totals row; the worst coverage first.\n\n"
        "Example: aimama report coverage --level township --region 430621 --as-of 2026-11-01 --format xlsx --output coverage.xlsx",
        "按层级（默认县级）统计各地区：在册儿童（按类别）、当日已结对儿童及覆盖率、重点儿童（应结尽结）结对情况、"
        "结对志愿者均不在本县居住的儿童（N+1 缺口）、志愿者（按类型、审核通过、在岗、本年已签承诺书）、"
        "人均结对儿童数；含合计行，覆盖率最低的排在最前。\n\n"
        "示例：aimama report coverage --level township --region 430621 --as-of 2026-11-01 --format xlsx --output coverage.xlsx"),
    "report.opt.region": ("only the places within this region (a code of records/regions.yaml; 430621 stands for 430621000000)",
                          "只统计该地区（records/regions.yaml 中的代码；430621 即 430621000000）"),
    "report.opt.level": ("one row per region of this level", "按该层级逐地区列出"),
    "report.opt.format": ("table, json, csv or xlsx (xlsx needs --output)", "table（表格）、json、csv 或 xlsx（xlsx 须指定 --output）"),
    "report.opt.output": ("write to this file instead of standard output", "写入该文件而不是标准输出"),
    "report.region.unknown": ("unknown region '{region}': not in records/regions.yaml",
                              "未知地区“{region}”：不在 records/regions.yaml 中"),
    "report.xlsx.output": ("--format xlsx needs --output FILE", "--format xlsx 须指定 --output 文件"),
    "report.unwritable": ("cannot write {path}: {detail}", "无法写入 {path}：{detail}"),
    "report.written": ("written: {path}", "已写入：{path}"),
    "report.title": ("Coverage on {day} by {level}", "{day} 关爱覆盖情况（按{level}）"),
    "report.total": ("Total", "合计"),
    "report.col.code": ("Code", "区划代码"),
    "report.col.name": ("Region", "地区"),
    "report.col.children": ("Children", "在册儿童"),
    "report.col.paired": ("Paired", "已结对"),
    "report.col.coverage": ("Coverage %", "覆盖率%"),
    "report.col.priority": ("Priority", "重点儿童"),
    "report.col.priority_paired": ("Priority paired", "重点儿童已结对"),
    "report.col.no_local_volunteer": ("No local volunteer", "无本地志愿者"),
    "report.col.volunteers": ("Volunteers", "志愿者"),
    "report.col.volunteers_active": ("Active", "在岗"),
    "report.col.volunteers_vetted": ("Vetted", "审核通过"),
    "report.col.volunteers_pledged": ("Pledged this year", "本年已签承诺书"),
    "report.col.volunteers_pairing": ("Volunteers pairing", "有结对的志愿者"),
    "report.col.children_per_volunteer": ("Children per volunteer", "人均结对儿童"),
    "report.duties.help": (
        "Duty completion for the year per programme and duty, and per region (the child's place), with the "
        "volunteers who have the most overdue. Duties are judged as `duty check` judges them; completion is "
        "met over met and overdue (a duty still due is counted apart).\n\n"
        "Example: aimama report duties --year 2026 --as-of 2026-11-01 --format xlsx --output duties.xlsx",
        "本年度职责完成情况：按项目和职责、按地区（儿童所在地）统计，并列出逾期最多的志愿者。职责的判定与 "
        "`duty check` 相同；完成率 = 已完成 /（已完成 + 已逾期），尚在期限内的单独计数。\n\n"
        "示例：aimama report duties --year 2026 --as-of 2026-11-01 --format xlsx --output duties.xlsx"),
    "report.volunteers.help": (
        "Volunteers per region: records, active and withdrawn, the vetting pipeline (pending, approved, "
        "rejected, suspended; approved volunteers whose checks are expiring or expired), pledges signed "
        "for the year and service hours from the year's logs.\n\n"
        "Example: aimama report volunteers --year 2026 --as-of 2026-11-01",
        "按地区统计志愿者：人数、在岗与退出、审核情况（待审、通过、未通过、暂停；通过者中审查即将到期或已到期），"
        "本年已签承诺书人数，以及本年服务记录中的服务时长。\n\n"
        "示例：aimama report volunteers --year 2026 --as-of 2026-11-01"),
    "report.opt.year": ("the year (default: the year of --as-of)", "年度（默认：--as-of 所在年份）"),
    "report.opt.top": ("how many volunteers with the most overdue to list", "列出逾期最多的志愿者人数"),
    "report.duties.title": ("Duties of {year} as of {day}, by programme and duty", "{year} 年职责完成情况（截至 {day}，按项目和职责）"),
    "report.duties.regions": ("Duties of {year} as of {day}, by region", "{year} 年职责完成情况（截至 {day}，按地区）"),
    "report.duties.volunteers": ("The {n} volunteers with the most overdue", "逾期最多的 {n} 名志愿者"),
    "report.volunteers.title": ("Volunteers in {year} as of {day}, by {level}", "{year} 年志愿者情况（截至 {day}，按{level}）"),
    "report.col.programme": ("Programme", "项目"),
    "report.col.duty": ("Duty", "职责"),
    "report.col.label": ("What", "内容"),
    "report.col.met": ("Met", "已完成"),
    "report.col.due": ("Due", "待完成"),
    "report.col.overdue": ("Overdue", "已逾期"),
    "report.col.not_applicable": ("Not applicable", "不适用"),
    "report.col.completion": ("Completion %", "完成率%"),
    "report.col.pairings": ("Pairings", "结对数"),
    "report.col.pairings_overdue": ("Pairings overdue", "有逾期的结对"),
    "report.col.volunteer": ("Volunteer", "志愿者编号"),
    "report.col.volunteer_name": ("Name", "姓名"),
    "report.col.team_name": ("Team", "队伍"),
    "report.col.active": ("Active", "在岗"),
    "report.col.withdrawn": ("Withdrawn", "已退出"),
    "report.col.expiring": ("Checks expiring", "审查即将到期"),
    "report.col.expired": ("Checks expired", "审查已到期"),
    "report.col.pledged": ("Pledged", "已签承诺书"),
    "report.col.pledge_rate": ("Pledged %", "签约率%"),
    "report.col.hours": ("Service hours", "服务时长"),
    "report.col.serving": ("Volunteers with hours", "有服务时长的志愿者"),
    "report.records_at": ("Records as committed on {date} ({commit})", "按 {date} 的提交（{commit}）中的记录统计"),
    "report.opt.history": ("count the records as they were committed on the --as-of day (git history), "
                           "not the records as they are now",
                           "按 --as-of 当天已提交的记录（git 历史）统计，而不是按现在的记录"),
    "report.html.help": (
        "Write a self-contained HTML dashboard of the three reports into DIR (DIR/index.html, in Chinese): key "
        "figures, charts of coverage by region, of children registered and paired month by month from git "
        "history, and of duty completion, and every report's tables. It opens in a browser with no server and "
        "prints on A4.\n\n"
        "Example: aimama report html dashboard --as-of 2026-11-01",
        "在 DIR 中生成三张报表的独立 HTML 看板（DIR/index.html，中文）：关键数字，按地区的覆盖率、"
        "按月的在册与已结对儿童（取自 git 历史）、职责完成情况三张图，以及各报表的明细表。"
        "无需服务器，用浏览器直接打开，可用 A4 纸打印。\n\n"
        "示例：aimama report html dashboard --as-of 2026-11-01"),
    "report.opt.months": ("how many months the trend shows", "趋势图显示的月数"),
    "dashboard.no_template": ("the dashboard template is missing: {path}", "缺少看板模板：{path}"),
    "dashboard.title": ("Caring Mothers pairing: supervision dashboard", "爱心妈妈结对关爱督导看板"),
    "dashboard.section.coverage": ("Coverage", "关爱覆盖"),
    "dashboard.section.duties": ("Duties", "职责落实"),
    "dashboard.section.volunteers": ("Volunteers", "志愿者队伍"),
    "dashboard.chart.coverage": ("Coverage by region (%)", "各地区结对覆盖率（%）"),
    "dashboard.chart.trend": ("Children registered and paired, month by month", "每月在册与已结对儿童"),
    "dashboard.chart.duties": ("Duties met, due and overdue", "各项职责完成、待完成与逾期"),
    "dashboard.figure.coverage.total.children": ("Children registered", "在册儿童"),
    "dashboard.figure.coverage.total.paired": ("Children paired", "已结对儿童"),
    "dashboard.figure.coverage.total.coverage": ("Coverage", "结对覆盖率"),
    "dashboard.figure.coverage.total.priority_paired": ("Priority children paired", "重点儿童已结对"),
    "dashboard.figure.coverage.total.priority": ("Priority children", "重点儿童"),
    "dashboard.figure.coverage.total.no_local_volunteer": ("No local volunteer", "无本地志愿者"),
    "dashboard.figure.volunteers.total.active": ("Volunteers active", "在岗志愿者"),
    "dashboard.figure.volunteers.total.pledged": ("Pledges signed this year", "本年已签承诺书"),
    "dashboard.figure.volunteers.total.vetting.pending": ("Awaiting vetting", "待审核"),
    "dashboard.figure.volunteers.total.hours": ("Service hours this year", "本年服务时长"),
    "dashboard.figure.duties.total.completion": ("Duty completion", "职责完成率"),
    "dashboard.figure.duties.total.overdue": ("Duties overdue", "逾期职责"),
    "report.col.vetting.pending": ("Awaiting vetting", "待审核"),
    "report.col.vetting.approved": ("Approved", "审核通过"),
    "report.col.vetting.rejected": ("Rejected", "未通过"),
    "report.col.vetting.suspended": ("Suspended", "暂停"),
    # --- one sheet a CSV (issue 19: header first, no title line) ---------------------------------
    "report.opt.sheet": ("With --format csv: the sheet the CSV holds, header first (the first when not given; "
                         "the workbook's sheets carry the same names, and an unknown name lists them).",
                         "与 --format csv 一起使用：CSV 输出哪一张表，首行即表头（不指定时为第一张；"
                         "表名与工作簿中的工作表名相同，名称有误时会列出可用的表名）。"),
    "report.sheet.unknown": ("no sheet {sheet} in this report; its sheets: {names}",
                             "该报表没有名为 {sheet} 的表；可用的表：{names}"),
    "report.opt.no_cache": (
        "judge every pairing and count every record again, without the results the record index keeps "
        "(the figures are the same: for checking that, or timing)",
        "不使用记录索引中保存的结果，重新评判每个结对、重新统计每条记录（数字相同：用于核对或计时）"),
}
