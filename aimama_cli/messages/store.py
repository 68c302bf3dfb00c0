"""Changing records, for every command that writes (store/): unknown ids, changes refused or committed, typed values."""

MESSAGES: dict[str, tuple[str, str]] = {
    # --- records and ids (store/change.py) --------------------------------------------------------
    "id.unknown": ("unknown {kind} id '{id}'", "找不到编号为“{id}”的记录（{kind}）"),
    "record.unreadable": ("{path} cannot be read (line {line}); run `aimama check {path}`",
                          "无法读取 {path}（第 {line} 行）；请运行 `aimama check {path}` 查看"),
    "record.no_county": ("a new {kind} needs a 12-digit region code in '{field}' (its id carries the county)",
                         "新建{kind}记录需要在“{field}”填写 12 位区划代码（编号中含县级代码）"),
    "record.exists": ("record {id} already exists ({path})", "记录 {id} 已存在（{path}）"),
    # --- changes: refused, committed or not (store/change.py) -------------------------------------
    "change.committed": ("committed {commit}", "已提交 {commit}"),
    "change.not_committed": ("not committed (--no-commit)", "未提交（--no-commit）"),
    "change.refused_kept": ("refused: the change would cause {count} problem(s) shown above; nothing was written (your text is kept in {kept})",
                            "已拒绝：该修改会造成以上 {count} 个问题，未写入任何内容（您编辑的内容保存在 {kept}）"),
    "change.refused": ("refused: the change would cause {count} problem(s) shown above; nothing was written",
                       "已拒绝：该修改会造成以上 {count} 个问题，未写入任何内容"),
    "change.uncommitted": ("refused: {paths} has changes not yet committed; commit them first, or use --force",
                           "已拒绝：{paths} 有尚未提交的修改；请先提交，或使用 --force"),
    "change.unchanged": ("nothing changed: the files already hold this; nothing to commit",
                         "没有变化：文件内容已是如此；无需提交"),
    # --- values typed on a command line or read from a roster (store/values.py) -------------------
    "value.unknown_field": ("'{field}' is not a field of a {kind} record", "“{field}”不是{kind}记录的字段"),
    "value.object": ("'{field}' holds several fields; set them one by one ({field}.NAME=VALUE)",
                     "“{field}”包含多个字段，请逐个设置（{field}.字段名=值）"),
    "value.enum": ("'{value}' is not a value of {field}; one of: {choices}",
                   "“{value}”不是“{field}”的可选值；可选：{choices}"),
    "value.boolean": ("'{value}' is not yes or no ({field})", "“{value}”不是“是”或“否”（{field}）"),
    "value.integer": ("'{value}' is not a whole number ({field})", "“{value}”不是整数（{field}）"),
    "value.date": ("'{value}' is not a date (YYYY-MM-DD)", "“{value}”不是日期（YYYY-MM-DD）"),
    "value.no_such_date": ("'{value}' is not a day of the calendar", "“{value}”不是真实存在的日期"),
    "value.bad": ("{field}: {detail}", "{field}：{detail}"),
}
