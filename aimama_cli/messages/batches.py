"""Batches and reminders to send: ``child confirm --region``, ``volunteer vet ID…``,
``pledge sign|print --team``, and ``duty remind --by team|volunteer`` (the messages written
for volunteers and team leaders are in reminders' own keys, ``remind.msg.*``)."""

MESSAGES: dict[str, tuple[str, str]] = {
    # --- what every batch says (cli/batch_report.py) -------------------------------------------
    "batch.done": ("{what}: {count}", "{what}：{count} 条"),
    "batch.done.dry_run": ("{what} (dry run, nothing written): {count}", "{what}（试运行，未写入）：{count} 条"),
    "batch.skipped": ("skipped: {count}", "跳过：{count} 条"),
    "batch.nothing": ("nothing to do: no record needs it", "无需处理：没有需要处理的记录"),
    "batch.skip.twice": ("listed twice", "重复列出"),
    "batch.skip.decided": ("already {status} on {on} by {by}; give --check to record new checks",
                           "已于 {on} 由 {by} 作出“{status}”决定；如有新的审核事项请用 --check 记录"),
    "batch.skip.closed": ("not on the roster any more ({status})", "已出册（{status}）"),
    "batch.skip.unsigned": ("no pledge for {year}", "未签订 {year} 年度承诺书"),
    "confirm.done.dry_run": ("{id}: roster would be confirmed (dry run, nothing written)", "{id}：将确认名册（试运行，未写入）"),
    "vet.done.dry_run": ("{id}: would be {status} (dry run, nothing written)", "{id}：将{status}（试运行，未写入）"),
    "batch.stdout": ("standard output", "标准输出"),
    "batch.one_of": ("give {single} or {batch}, not both and not neither", "请指定 {single} 或 {batch} 之一（不能同时指定，也不能都不指定）"),
    "batch.needs_year": ("--team needs --year", "--team 须与 --year 一起使用"),
    # --- child confirm --region ----------------------------------------------------------------
    "confirm.opt.region": ("Confirm every unconfirmed child on the roster whose village lies in this region "
                           "(a township or village code, or a prefix of one), in one commit.",
                           "确认该区划（乡镇或村代码，或其前缀）内所有尚未确认的在册儿童，一次提交。"),
    "confirm.batch.what": ("roster confirmed in {region}", "{region} 名册已确认"),
    "confirm.arg.id": ("The child (id); or --region for all unconfirmed children of a place.",
                       "儿童编号；或用 --region 确认某地所有未确认儿童。"),
    # --- volunteer vet ID… ---------------------------------------------------------------------
    "vet.arg.ids": ("The volunteers (ids, one or more): one decision for all, one commit.",
                    "志愿者编号（一个或多个）：同一决定，一次提交。"),
    "vet.batch.what": ("{status}", "{status}"),
    # --- pledge sign|print --team ----------------------------------------------------------------
    "pledge.opt.team": ("Every active member of this team not yet signed for --year, in one commit.",
                        "该队伍所有尚未签订 --year 年度承诺书的在队志愿者，一次提交。"),
    "pledge.opt.print_team": ("Print the forms of this team's pledges for --year in one file, a page each.",
                              "将该队伍 --year 年度的承诺书打印到一个文件，每人一页。"),
    "pledge.opt.print_year": ("The year of the pledges printed with --team.", "与 --team 一起使用：打印的承诺书年度。"),
    "pledge.arg.volunteer_or_team": ("The volunteer who signed (id); or --team for a whole team.",
                                     "签署承诺书的志愿者编号；或用 --team 为整个队伍签订。"),
    "pledge.arg.id_or_team": ("The pledge (id, S…); or --team and --year for a team's forms.",
                              "承诺书编号（S 开头）；或用 --team 和 --year 打印整个队伍的承诺书。"),
    "pledge.batch.what": ("pledges signed for {year} with {team}", "{team} {year} 年度承诺书已签订"),
    "pledge.batch.printed": ("forms of {team} for {year} written to {path}",
                             "{team} {year} 年度承诺书已写入 {path}"),
    "pledge.batch.none": ("{team} has no pledge for {year}: nothing to print (sign them with pledge sign --team)",
                          "{team} 没有 {year} 年度承诺书，无可打印（可用 pledge sign --team 签订）"),
}
