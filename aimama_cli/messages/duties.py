"""Duties (职责): their rules (AM821–AM822, rules/duties.py) and ``aimama duty check|remind``."""

MESSAGES: dict[str, tuple[str, str]] = {
    # --- problems: duties and the yearly pledge, as check sees them (rules/duties.py) -------------
    "AM821": ("duties overdue in {year}: {duties}", "{year} 年有职责逾期：{duties}"),
    "AM821.hint": ("see `aimama duty check --volunteer {volunteer}`; log what was done with `aimama log add`",
                   "详见 `aimama duty check --volunteer {volunteer}`；已完成的请用 `aimama log add` 登记"),
    "AM821.rule": ("A pairing's duties for the year are not overdue (a warning: time causes it).",
                   "结对的年度职责不能逾期（警告：由时间推移引起）。"),
    "AM822": ("paired, but no pledge signed for {year} (due by {sign_by})",
              "已结对，但尚未签订 {year} 年度承诺书（应于 {sign_by} 前签订）"),
    "AM822.hint": ("`aimama pledge sign VOLUNTEER --year {year}`", "`aimama pledge sign 志愿者编号 --year {year}`"),
    "AM822.rule": ("A volunteer with an active pairing has signed this year's pledge by pledge.sign_by (a warning: time causes it).",
                   "有在结结对的志愿者应在 pledge.sign_by 之前签订本年度承诺书（警告：由时间推移引起）。"),
    # --- aimama duty check|remind (cli/duty.py, model/duties.py) ----------------------------------
    "duty.help": ("Duties of the programmes: what is done, due and overdue for every pairing.",
                  "结对关爱职责：每个结对哪些已完成、即将到期、已逾期。"),
    "duty.check.help": (
        "Judge every pairing active in the year against its volunteer's programme: each duty is met, "
        "due (with its deadline), overdue, or not applicable. Only the pairing's active days count: "
        "a pairing begun in October owes a pro-rated share. Overdue duties are caused by time passing: "
        "exit 0 unless --strict.\n\n"
        "Example: aimama duty check --as-of 2026-11-01 --format json",
        "按志愿者适用的职责规程检查当年每个结对：每项职责为已完成、待完成（含截止日期）、已逾期或不适用。"
        "只计算结对有效期内的天数：10 月开始的结对按比例承担。逾期由时间推移引起：除非使用 --strict，否则退出码为 0。\n\n"
        "示例：aimama duty check --as-of 2026-11-01 --format json"),
    "duty.remind.help": (
        "Per volunteer: duties falling due soon or overdue, and paired children with no successful "
        "contact for too long (aimama.yaml duty.contact_alert_days, default 45) — a list to paste "
        "into a message. With --by team|volunteer, one message per team leader or volunteer, printed or one file each "
        "(--output DIR), phones only with --reveal.\n\nExample: aimama duty remind --within 30d --as-of 2026-11-01",
        "按志愿者列出即将到期或已逾期的职责，以及长时间未联系上的结对儿童（aimama.yaml 中 "
        "duty.contact_alert_days，默认 45 天），可直接复制到消息中。使用 --by team|volunteer 时每位队长或志愿者一条消息，"
        "输出到屏幕或每条一个文件（--output DIR），仅在 --reveal 时含电话。\n\n"
        "示例：aimama duty remind --within 30d --as-of 2026-11-01"),
    "duty.opt.year": ("The year judged (default: the as-of year).", "检查的年度（默认：--as-of 所在年度）。"),
    "duty.opt.volunteer": ("Only this volunteer's pairings.", "只看该志愿者的结对。"),
    "duty.opt.region": ("Only children whose village code starts with CODE.", "只看村（社区）代码以 CODE 开头的儿童。"),
    "duty.opt.show": ("Rows shown in the table: open (due and overdue), overdue, or all.",
                      "表格显示：open（待完成和已逾期）、overdue（已逾期）或 all（全部）。"),
    "duty.opt.strict": ("Exit 1 when any duty is overdue (for CI that must stay on top of duties).",
                        "有职责逾期时退出码为 1（用于要求职责按时完成的 CI）。"),
    "duty.opt.within": ("Remind of what falls due within this many days (30, 30d or 4w; default from aimama.yaml, else 30).",
                        "提醒多少天内到期的职责（30、30d 或 4w；默认取 aimama.yaml，否则 30 天）。"),
    "duty.bad_year": ("--year {year} is not a year between 2000 and 2100", "--year {year} 不是 2000 至 2100 之间的年份"),
    "duty.bad_within": ("--within {value}: give days as 30, 30d or weeks as 4w", "--within {value}：请写成天数（30 或 30d）或周数（4w）"),
    "duty.unreadable": ("warning: {path} cannot be read, so its entries are not counted (run `aimama check {path}`)",
                        "警告：无法读取 {path}，其中的记录未计入（请运行 `aimama check {path}`）"),
    "duty.status.met": ("met", "已完成"),
    "duty.status.due": ("due", "待完成"),
    "duty.status.overdue": ("OVERDUE", "已逾期"),
    "duty.status.not_applicable": ("not applicable", "不适用"),
    "duty.col.pairing": ("pairing", "结对"),
    "duty.col.child": ("child", "儿童"),
    "duty.col.volunteer": ("volunteer", "志愿者"),
    "duty.col.duty": ("duty", "职责"),
    "duty.col.status": ("status", "状态"),
    "duty.col.deadline": ("deadline", "截止日期"),
    "duty.col.detail": ("detail", "说明"),
    "duty.no_programme": ("no programme applies ({programme}): see aimama.yaml programmes",
                          "没有适用的职责规程（{programme}）：请查看 aimama.yaml 的 programmes"),
    "duty.detail.missing": ("none in {months}", "以下期间未完成：{months}"),
    "duty.detail.gaps": ("not insured {gaps}", "未参保期间：{gaps}"),
    "duty.detail.incomplete": ("checklist not complete: {visits}", "走访清单未完成：{visits}"),
    "duty.detail.count": ("{done} of {owed}", "已完成 {done} / 应完成 {owed}"),
    "duty.detail.late": ("(late)", "（逾期完成）"),
    "duty.summary": (
        "{year} as of {as_of}: {pairings} pairings, {duties} duties — {met} met, {due} due, {overdue} overdue, "
        "{not_applicable} not applicable; {pairings_overdue} pairings with a duty overdue.",
        "{year} 年（截至 {as_of}）：{pairings} 个结对，{duties} 项职责——已完成 {met}，待完成 {due}，已逾期 {overdue}，"
        "不适用 {not_applicable}；有逾期职责的结对 {pairings_overdue} 个。"),
    "duty.remind.title": ("Reminders as of {as_of} (falling due within {days} days, or overdue):",
                          "提醒（截至 {as_of}，{days} 天内到期或已逾期）："),
    "duty.remind.none": ("Nothing falls due within {days} days of {as_of}, nothing is overdue, and every paired child was reached recently.",
                         "截至 {as_of}，{days} 天内没有到期职责，没有逾期职责，所有结对儿童近期都已联系上。"),
    "duty.remind.volunteer": ("{name} ({id}, {team})", "{name}（{id}，{team}）"),
    "duty.remind.due": ("{child}: {duty} — by {deadline}", "{child}：{duty}——请在 {deadline} 前完成"),
    "duty.remind.overdue": ("{child}: {duty} — OVERDUE since {deadline} ({detail})",
                            "{child}：{duty}——已逾期（截止 {deadline}；{detail}）"),
    "duty.remind.silent": ("{child}: no successful contact for {days} days (last {last}; {attempts} attempts since)",
                           "{child}：已 {days} 天未联系上（最近一次 {last}；此后尝试 {attempts} 次均未联系上）"),
    "duty.remind.silent_quiet": ("{child}: no successful contact for {days} days (last {last}; no attempt since)",
                                 "{child}：已 {days} 天未联系上（最近一次 {last}；此后没有尝试联系）"),
    "duty.remind.silent_never": ("{child}: no successful contact for {days} days ({attempts} attempts)",
                                 "{child}：已 {days} 天未联系上（尝试 {attempts} 次均未联系上）"),
    "duty.remind.silent_never_quiet": ("{child}: no successful contact for {days} days (no attempt)",
                                       "{child}：已 {days} 天未联系上（没有尝试联系）"),
}
