"""``aimama diff``: what a change does to the records, for the reviewer of a pull request."""

MESSAGES: dict[str, tuple[str, str]] = {
    # --- aimama diff ---------------------------------------------------------------------------
    "diff.help": ("What a change does to the records, to read instead of raw YAML in a pull request: records added, "
                  "changed field by field (dotted paths, old → new), closed, pairings made and ended (child and "
                  "volunteer by name), activity log entries and pledges counted per volunteer and year, records "
                  "deleted (a warning: records are closed, never deleted) and files that do not parse. Sensitive "
                  "values (ID numbers, phones, addresses, notes) are always masked. REVISIONS is BASE..HEAD, "
                  "BASE...HEAD or BASE (BASE..HEAD): either way HEAD is compared with the merge base of BASE and "
                  "HEAD, as a pull request shows it (what HEAD changed since it forked); only committed changes count.\n\nExample: aimama diff origin/main...HEAD --format markdown",
                  "列出一次修改对记录的影响，代替在合并请求中阅读原始 YAML：新增的记录、逐字段的修改（字段路径，旧值 → 新值）、"
                  "关闭的记录、新建和解除的结对（含儿童和志愿者姓名）、按志愿者和年度统计的活动记录条数和承诺书、"
                  "被删除的记录（警告：记录只关闭，不删除）以及无法解析的文件。敏感信息（身份证号、电话、住址、备注）"
                  "始终部分隐藏。REVISIONS 为 BASE..HEAD、BASE...HEAD 或 "
                  "BASE（即 BASE..HEAD）：无论哪种写法，都将 HEAD 与二者的共同祖先比较，即合并请求显示的内容（HEAD 分出后做的修改）；"
                  "只比较已提交的内容。\n\n示例：aimama diff origin/main...HEAD --format markdown"),
    "diff.opt.revisions": ("BASE..HEAD, BASE...HEAD or BASE.", "BASE..HEAD、BASE...HEAD 或 BASE。"),
    "diff.opt.format": ("text (terminal), markdown (a pull-request comment) or json.",
                        "text（终端）、markdown（合并请求评论）或 json。"),
    "diff.opt.max_rows": ("Rows shown per section in text and markdown (0: all); JSON lists everything.",
                          "`text` 和 `markdown` 中每部分最多显示的行数（0 为全部）；`json` 列出全部。"),
    "diff.no_merge_base": ("{spec}: the two revisions have no common ancestor", "{spec}：两个版本没有共同祖先"),
    "diff.misplaced": ("not where a record file belongs (see docs/records.md)", "不在记录文件应在的位置（见 docs/records.md）"),
    "diff.title": ("Records changed in {spec} ({base} → {head})", "{spec} 中的记录变化（{base} → {head}）"),
    "diff.none": ("No record changed.", "记录没有变化。"),
    "diff.more": ("… and {count} more (--max-rows 0 shows all)", "……另有 {count} 条（--max-rows 0 显示全部）"),
    "diff.moved": ("(file moved)", "（文件移动）"),
    "diff.deleted.hint": ("records are closed, never deleted: restore each file (git checkout {base} -- PATH) and close the record instead",
                          "记录只关闭、不删除：请恢复文件（git checkout {base} -- 路径），改为关闭该记录"),
    "diff.count.added": ("{count} added", "新增 {count}"),
    "diff.count.changed": ("{count} changed", "修改 {count}"),
    "diff.count.closed": ("{count} closed", "关闭 {count}"),
    "diff.count.pairings_made": ("{count} pairing(s) made", "新建结对 {count}"),
    "diff.count.pairings_ended": ("{count} pairing(s) ended", "解除结对 {count}"),
    "diff.count.activity": ("{count} volunteer-year(s) of logs or pledges", "活动记录或承诺书 {count} 人次·年"),
    "diff.count.deleted": ("⚠ {count} deleted", "⚠ 删除 {count}"),
    "diff.count.unreadable": ("⚠ {count} unreadable", "⚠ 无法解析 {count}"),
    "diff.section.added": ("Records added", "新增记录"),
    "diff.section.changed": ("Records changed", "修改的记录"),
    "diff.section.closed": ("Records closed", "关闭的记录"),
    "diff.section.pairings_made": ("Pairings made", "新建结对"),
    "diff.section.pairings_ended": ("Pairings ended", "解除结对"),
    "diff.section.activity": ("Activity logs and pledges", "活动记录和承诺书"),
    "diff.section.deleted": ("Records deleted", "被删除的记录"),
    "diff.section.unreadable": ("Files that do not parse", "无法解析的文件"),
    "diff.col.kind": ("kind", "类型"), "diff.col.id": ("id", "编号"), "diff.col.name": ("name", "名称"),
    "diff.col.record": ("record", "记录"), "diff.col.field": ("field", "字段"),
    "diff.col.old": ("old", "原值"), "diff.col.new": ("new", "新值"),
    "diff.col.status": ("status", "状态"), "diff.col.on": ("on", "日期"), "diff.col.reason": ("reason", "原因"),
    "diff.col.other_changes": ("other fields changed", "其他修改的字段"),
    "diff.col.pairing": ("pairing", "结对"), "diff.col.child": ("child", "儿童"),
    "diff.col.volunteer": ("volunteer", "志愿者"), "diff.col.role": ("role", "角色"),
    "diff.col.started_on": ("started", "开始日期"), "diff.col.ended_on": ("ended", "解除日期"),
    "diff.col.year": ("year", "年度"),
    "diff.col.entries_added": ("entries added", "新增活动"), "diff.col.entries_changed": ("entries changed", "修改活动"),
    "diff.col.entries_removed": ("entries removed", "删除活动"), "diff.col.pledges_added": ("pledges signed", "新签承诺书"),
    "diff.col.pledges_changed": ("pledges changed", "修改承诺书"),
    "diff.col.path": ("file", "文件"), "diff.col.side": ("in", "版本"), "diff.col.problem": ("problem", "问题"),
    "diff.side.base": ("base", "修改前"), "diff.side.head": ("head", "修改后"),
    "diff.kind.child": ("child", "儿童"), "diff.kind.volunteer": ("volunteer", "志愿者"),
    "diff.kind.team": ("team", "服务队"), "diff.kind.pairing": ("pairing", "结对"),
    "diff.kind.team_pairing": ("team pairing", "组团结对"), "diff.kind.pledge": ("pledge", "承诺书"),
    "diff.kind.activity": ("activity log", "活动记录"), "diff.kind.programme": ("programme", "履职方案"),
    "diff.kind.regions": ("regions", "区划"), "diff.kind.coordinators": ("coordinators", "工作人员"),
    "diff.kind.case": ("case", "个案"), "diff.kind.team_activity": ("team activity", "队伍活动"),
    "diff.kind.training": ("training", "培训"), "diff.kind.support": ("support", "帮扶台账"),
    "diff.kind.config": ("configuration", "配置"),
}
