"""Record history: deleted records (AM310, rules/history.py) and ``aimama history``."""

MESSAGES: dict[str, tuple[str, str]] = {
    # --- problems: records are closed, never deleted (rules/history.py) --------------------------
    "AM310": ("record {id} was deleted ({path}, commit {commit}); records are closed, never deleted",
              "记录 {id} 已被删除（{path}，提交 {commit}）；记录只能关闭，不能删除"),
    "AM310.hint": ("restore it with `{restore}`, then close it (aimama child|volunteer close ID --reason ...)",
                   "请用 `{restore}` 恢复该文件，再用 aimama child|volunteer close 关闭"),
    "AM310.rule": ("A record file is never deleted when other records name it, or when it is a pairing, commitment or activity log.",
                   "被其他记录引用的记录，以及结对、承诺书、活动记录，都不能删除。"),
    # --- aimama history (cli/history.py, history/record_history.py) ------------------------------
    "history.help": ("Field-level change history of one record (child, volunteer, team, pairing, pledge, team pairing, coordinator …), from git, newest first: every commit that changed it, with its author, author date, whether its author signed it (signed: yes, no or bad; see docs/signing.md), the aimama command that made it (none: a hand edit; unverified unless its author signed it) and each field changed, old → new. Renames and moves of the file are followed; a record whose file was deleted is found in history. Sensitive values (ID numbers, phones, addresses, notes) are masked unless --reveal.\n\nExample: aimama history C430621-25AZ81EC --format json",
                     "从 git 查看一条记录（儿童、志愿者、服务队、结对、承诺书、组团结对、协调员……）逐字段的修改历史，最新的在前：每次修改它的提交、作者、作者日期、是否由作者本人签名（签名：是、否、无效；见 docs/signing.md）、所用的 aimama 命令（无则为手工修改；非作者本人签名的提交中标为未验证），以及每个字段的旧值 → 新值。文件改名或移动后照样追溯；文件已删除的记录也能从历史中找到。敏感信息（身份证号、电话、住址、备注）默认打码，--reveal 显示。\n\n示例：aimama history C430621-25AZ81EC --format json"),
    "history.opt.reveal": ("Show sensitive values (ID numbers, phones, addresses, notes) unmasked.",
                           "显示完整的敏感信息（身份证号、电话、住址、备注）。"),
    "history.record": ("record", "记录"),
    "history.heading": ("{id}  {path}: {count} commit(s)", "{id}  {path}：共 {count} 次提交"),
    "history.hand_edit": ("hand edit", "手工修改"),
    "history.renamed": ("moved from {path}", "由 {path} 移动而来"),
    "history.no_field_changed": ("no field changed (comments or layout only)", "字段没有变化（仅注释或格式）"),
    "history.col.field": ("field", "字段"),
    "history.col.old": ("old", "旧值"),
    "history.col.new": ("new", "新值"),
    "history.unparseable": ("does not parse (line {line}): {detail}", "无法解析（第 {line} 行）：{detail}"),
    "history.missing_blob": ("is not in this repository (blob {blob}; a shallow clone?)",
                             "不在本仓库中（{blob}；浅克隆？）"),
    "history.note.new": ("this version {note}", "此版本{note}"),
    "history.note.old": ("the version before {note}", "上一版本{note}"),
    "history.masked": ("sensitive values are masked; --reveal shows them", "敏感信息已打码；--reveal 可显示"),
    "history.commit": ("commit {sha}", "提交 {sha}"),
}
