"""Reporting up across county repositories: ``export facts`` (reports/facts.py) and
``federation report`` (reports/federation.py)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "export.facts.help": (
        "The repository's supervision facts as Parquet tables for reporting up: children, volunteers, "
        "pairings, duties judged on the day, cases and teams, one folder a county "
        "(province=43/city=4306/county=430621/) with a manifest. Pseudonymised: no names, ID numbers, "
        "phones, addresses or notes; record ids kept. The same commit and day give the same bytes. "
        "See docs/federation.md.\n\nExample: aimama export facts --output facts/ --as-of 2026-06-30",
        "导出本仓库的督导数据（Parquet 表），用于向上级汇总：儿童、爱心妈妈、结对、当日判定的职责、个案和队伍，"
        "每个县一个文件夹（`province=43/city=4306/county=430621/`），附清单文件。已去标识化：不含姓名、身份证号码、"
        "电话、住址和备注；保留记录编号。同一提交、同一日期导出的文件逐字节相同。详见 docs/federation.md。"
        "\n\n示例：aimama export facts --output facts/ --as-of 2026-06-30"),
    "export.facts.opt.output": ("Folder to write the counties' partitions into (created if needed).",
                                "写入各县分区的文件夹（不存在时创建）。"),
    "export.facts.opt.year": ("Year whose duties and hours are judged (default: the year of --as-of).",
                              "判定职责和统计服务时长的年度（默认：--as-of 所在年度）。"),
    "export.facts.county": ("county {county} {name}: {children} children, {volunteers} volunteers, {duties} duties",
                            "县 {county} {name}：儿童 {children} 名，爱心妈妈 {volunteers} 名，职责 {duties} 项"),
    "export.facts.done": ("facts of {counties} counties as of {day} written to {path}",
                          "已将 {counties} 个县截至 {day} 的督导数据写入 {path}"),
    "facts.engine_missing": (
        "{module} is not installed: it is an optional dependency of export facts and federation report "
        "(pip install 'aimama[federation]')",
        "未安装 {module}：export facts 和 federation report 需要这一可选依赖（pip install 'aimama[federation]'）"),
    "federation.help": ("Supervision above the county: reports across many counties' exported facts.\n\n"
                        "Example: aimama federation report coverage facts/ --level city",
                        "县以上督导：汇总多个县导出的督导数据。\n\n示例：aimama federation report coverage facts/ --level city"),
    "federation.report.help": (
        "The county reports across many counties' facts (export facts), aggregated by DuckDB: worst first; "
        "exports of different days or schema versions are warned and listed; a county missing is listed, "
        "never counted as zero.\n\nExample: aimama federation report duties facts/ --level county --format json",
        "汇总多个县导出的督导数据（export facts），由 DuckDB 计算，最差的排在前面；导出日期或数据版本不一致时"
        "给出警告并列出；缺少的县单独列出，绝不按零计算。\n\n示例：aimama federation report duties facts/ --level county --format json"),
    "federation.coverage.help": (
        "Coverage (as report coverage) by province, city, county or township across the counties' facts, "
        "lowest coverage first.\n\nExample: aimama federation report coverage facts/ --level city",
        "按省、市、县或乡镇汇总各县督导数据的结对覆盖情况（同 report coverage），覆盖率最低的排在前面。"
        "\n\n示例：aimama federation report coverage facts/ --level city"),
    "federation.duties.help": (
        "Duties done (as report duties) by duty and by region across the counties' facts, lowest completion "
        "first.\n\nExample: aimama federation report duties facts/ --level county",
        "按职责和地区汇总各县督导数据的职责完成情况（同 report duties），完成率最低的排在前面。"
        "\n\n示例：aimama federation report duties facts/ --level county"),
    "federation.volunteers.help": (
        "Volunteers (as report volunteers: vetting, lapsing checks, pledges, hours) by region across the "
        "counties' facts.\n\nExample: aimama federation report volunteers facts/ --level city",
        "按地区汇总各县督导数据中的爱心妈妈情况（同 report volunteers：审核、资格到期、承诺书、服务时长）。"
        "\n\n示例：aimama federation report volunteers facts/ --level city"),
    "federation.cases.help": (
        "Case work (as report cases) per professional team across the counties' facts.\n\n"
        "Example: aimama federation report cases facts/",
        "按专业队伍汇总各县督导数据中的个案工作（同 report cases）。\n\n示例：aimama federation report cases facts/"),
    "federation.arg.paths": (
        "Folders of exported facts (searched at any depth for manifest.json), or records repositories "
        "(exported on the fly as of --as-of).",
        "导出的督导数据所在文件夹（在任意深度查找 manifest.json），或记录仓库（按 --as-of 当场导出）。"),
    "federation.opt.level": ("Regions to report by: province, city, county (default) or township.",
                             "统计的区划级别：province（省）、city（市）、county（县，默认）或 township（乡镇）。"),
    "federation.opt.as_of": (
        "Only the exports of this day (a county exported on several days: its latest, without this option); "
        "the day records repositories are exported as of (default today).",
        "只汇总该日期的导出（同一县有多个日期的导出时，不指定则取最新的）；记录仓库按该日期当场导出（默认今天）。"),
    "federation.opt.year": ("Only the exports of this duty year.", "只汇总该职责年度的导出。"),
    "federation.opt.expect": (
        "A county (6 digits) that should be in the set; repeat or separate with commas. Counties listed "
        "in the exports' regions are expected too. A county without an export is listed as missing.",
        "应当包含的县（6 位代码），可重复或用逗号分隔；导出的区划表中列出的县也在其中。没有导出的县列为缺少。"),
    "federation.expect.invalid": ("--expect takes county codes of 6 digits: {codes}", "--expect 需要 6 位县级代码：{codes}"),
    "federation.path.missing": ("{path}: not a folder", "{path}：不是文件夹"),
    "federation.none": ("no exported facts (manifest.json) under {paths}", "{paths} 下没有导出的督导数据（manifest.json）"),
    "federation.unreadable": ("exported facts that cannot be read: {detail}", "导出的督导数据无法读取：{detail}"),
    "federation.manifest.unreadable": ("{path}: not a readable manifest of export facts (JSON with county, as_of and tables)",
                                       "{path}：不是可读取的 export facts 清单文件（应为含 county、as_of 和 tables 的 JSON）"),
    "federation.warn.mismatch": ("warning: the exports differ in {key}, summed all the same: {groups}",
                                 "警告：各导出的 {key} 不一致，仍已汇总：{groups}"),
    "federation.warn.unreadable": ("warning: county {county} not counted: schema version {version} unknown ({folder})",
                                   "警告：县 {county} 未计入：数据版本 {version} 无法识别（{folder}）"),
    "federation.warn.set_aside": ("note: county {county}'s export of {day} set aside ({folder})",
                                  "提示：县 {county} 于 {day} 的导出未采用（{folder}）"),
    "federation.warn.missing": ("warning: counties missing from the set (not counted): {counties}",
                                "警告：以下县没有导出数据（未计入）：{counties}"),
    "federation.counties": ("{n} counties summed, {missing} missing", "已汇总 {n} 个县，缺少 {missing} 个"),
    "federation.opt.min_cell": (
        "Withhold small counts, for a report that leaves the federation: every figure of a region (or team) "
        "with 1 to N-1 children (volunteers in the volunteers report, pairings in duties, cases in cases) is shown "
        "as <N (null in JSON, with \"suppressed\": true), and the totals too when exactly one row is withheld. "
        "Default 0: nothing withheld.",
        "隐藏小数值（用于报送联合体以外的报表）：儿童数（志愿者报表为志愿者数，职责报表为结对数，个案报表为个案数）"
        "为 1 至 N-1 的区划（或队伍），其各项数字显示为 <N（JSON 中为 null 并标 \"suppressed\": true）；"
        "只有一行被隐藏时，合计行也隐藏。默认 0：不隐藏。"),

    # federation report html (reports/federation_page.py)
    "federation.html.help": (
        "Write the leaders' page across counties into DIR (DIR/index.html, in Chinese, self-contained, prints "
        "on A4): key figures, the regions ranked by coverage with their duty completion, a map of coverage by "
        "region, the trend across the days of the exports found, the coverage, duties and volunteers tables, "
        "and the counties missing or set aside. PATH: folders of exports (`export facts`) or records "
        "repositories.\n\nExample: aimama federation report html city-dashboard facts/ --level county",
        "把跨县的领导看板写入 DIR（DIR/index.html，中文，单个文件即可打开，可按 A4 打印）：关键数字、按结对覆盖率排名的"
        "各地区及其职责完成率、各地区覆盖率分布图、所找到的各日期导出的趋势、覆盖/职责/志愿者三张表，以及缺报或未采用"
        "的县。PATH：导出文件夹（`export facts`）或记录仓库。\n\n示例：aimama federation report html city-dashboard facts/ --level county"),
    "federation.html.arg.folder": ("Folder to write the page into (created if needed; not an exports folder).",
                                   "写入看板的文件夹（不存在时创建；不能是导出文件夹）。"),
    "federation.html.into_exports": (
        "{folder} holds exports: DIR is where the page is written, the exports come after it "
        "(aimama federation report html DIR PATH…)",
        "{folder} 里有导出文件：DIR 是写入看板的位置，导出文件夹写在它后面（aimama federation report html DIR PATH…）"),
    "federation.page.title": ("Caring Mothers pairing: supervision across counties", "爱心妈妈结对关爱跨县督导看板"),
    "federation.page.counties": ("{n} counties", "{n} 个县（市、区）"),
    "federation.page.ranking": ("Regions ranked by coverage", "各地区结对覆盖率排名"),
    "federation.page.map": ("Coverage by region, grouped by the level above", "各地区结对覆盖率分布（按上级区划分组）"),
    "federation.page.trend": ("Children registered and paired, by day of export", "各导出日期的在册与已结对儿童"),
    "federation.page.band.high": ("80% and more", "80% 及以上"),
    "federation.page.band.middle": ("60% to 80%", "60%–80%"),
    "federation.page.band.low": ("under 60%", "低于 60%"),
    "federation.page.band.none": ("no figure (none registered or withheld)", "无数据（无在册儿童或已隐藏）"),
    "federation.page.col.rank": ("Rank", "排名"),
    "federation.page.col.code": ("Code", "区划代码"),
    "federation.page.col.name": ("Region", "地区"),
    "federation.page.col.children": ("Children", "在册儿童"),
    "federation.page.col.paired": ("Paired", "已结对"),
    "federation.page.col.coverage": ("Coverage %", "覆盖率%"),
    "federation.page.col.priority_paired": ("Priority paired", "重点儿童已结对"),
    "federation.page.col.priority": ("Priority", "重点儿童"),
    "federation.page.col.completion": ("Duty completion %", "职责完成率%"),
    "federation.page.col.pairings_overdue": ("Pairings overdue", "有逾期职责的结对"),
    "federation.page.col.active": ("Volunteers active", "在岗志愿者"),
    "federation.page.col.pledge_rate": ("Pledged %", "承诺书签订率%"),
    "federation.page.missing": ("Counties expected but not exported (not counted as zero): {counties}",
                                "应报未报的县（未按零计入）：{counties}"),
    "federation.page.set_aside": ("County {county}: the export of {day} was set aside (a later one is used)",
                                  "县 {county}：{day} 的导出未采用（采用了较新的导出）"),
    "federation.page.mismatch": ("Exports differ in {key}: {groups}", "各县导出的 {key} 不一致：{groups}"),
    "federation.page.min_cell": ("Figures of regions with 1 to {n}-1 children (or volunteers, pairings) are withheld as <{n}.",
                                 "在册儿童（或志愿者、结对）为 1 至 {n}-1 的地区，其数字显示为 <{n}。"),
    "federation.page.about": (
        "Made by aimama from the counties' pseudonymised exports; completion = met ÷ (met + overdue); the trend "
        "takes, for each day, each county's latest export made by then.",
        "由 aimama 根据各县去标识化导出生成；完成率 = 已完成 ÷（已完成 + 已逾期）；趋势取每个日期各县当时最新的导出。"),
}
