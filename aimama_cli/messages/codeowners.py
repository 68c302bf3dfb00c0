"""``aimama codeowners``: .github/CODEOWNERS from the coordinators and their regions."""

MESSAGES: dict[str, tuple[str, str]] = {
    # --- aimama codeowners (cli/codeowners.py, domain/codeowners.py) ------------------------------
    "codeowners.help": ("Write .github/CODEOWNERS from records/coordinators.yaml, so that the coordinators of a county "
                        "(or city) are asked to review, and must approve, changes to its records: a record's file name "
                        "carries its county code (records/children/C430621-*). Admins own the repository-wide files. "
                        "A township or village region cannot be told from a file name: it is widened to its county, and "
                        "the file says so. The file is written, not committed; --check writes nothing and exits 1 when "
                        "the file is missing or out of date (for CI).\n\nExample: aimama codeowners --check",
                        "根据 records/coordinators.yaml 生成 .github/CODEOWNERS，使县（市）的工作人员审核并批准本地区记录的修改："
                        "记录的文件名含县级代码（records/children/C430621-*）。管理员负责全库共用的文件。乡镇、村级区划无法从文件名"
                        "判断，按其所在县处理，并在文件中注明。只写入文件，不提交；--check 不写入，文件缺失或过期时退出码为 1"
                        "（供 CI 使用）。\n\n示例：aimama codeowners --check"),
    "codeowners.opt.check": ("Write nothing; exit 1 when the file is missing or differs.",
                             "不写入；文件缺失或内容不同时退出码为 1。"),
    "codeowners.missing": ("{path} is missing: there is no one to own the records", "缺少 {path}：无法确定记录的负责人"),
    "codeowners.unreadable": ("{path} cannot be read (line {line}): {detail}; run `aimama check {path}`",
                              "无法读取 {path}（第 {line} 行）：{detail}；请运行 `aimama check {path}`"),
    "codeowners.invalid": ("{path} does not follow its schema; run `aimama check {path}`",
                           "{path} 不符合记录格式；请运行 `aimama check {path}`"),
    "codeowners.written": ("wrote {path}: {rules} rule(s) for {regions} region(s) (not committed)",
                           "已写入 {path}：{regions} 个区划，{rules} 条规则（未提交）"),
    "codeowners.unchanged": ("{path} is up to date", "{path} 已是最新"),
    "codeowners.stale": ("{path} is out of date: run `aimama codeowners` and commit it",
                         "{path} 已过期：请运行 `aimama codeowners` 并提交"),
    "codeowners.absent": ("{path} is missing: run `aimama codeowners` and commit it",
                          "缺少 {path}：请运行 `aimama codeowners` 并提交"),
}
