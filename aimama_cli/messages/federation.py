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
        "每个县一个文件夹（province=43/city=4306/county=430621/），附清单文件。已去标识化：不含姓名、身份证号码、"
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
}
