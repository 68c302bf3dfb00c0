"""``aimama audit``: who changed what, held against the coordinators' roles (global ``--as``: cli.py)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "audit.help": (
        "Who changed what: every commit since REV (default: all of history; REV..HEAD) that "
        "touches a record file, held against the coordinators' roles and regions in "
        "records/coordinators.yaml as of HEAD (authors matched by git e-mail). Findings: "
        "unknown_author (not a coordinator), vetting_not_allowed (a vetting decision without the "
        "vetting role, or outside her regions), roster_not_allowed (a roster confirmation without "
        "the roster role, or outside her regions), record_deleted (a record file deleted or "
        "renamed), closed_record_changed (a closed record changed without being reopened), "
        "outside_region (any other change to a record of a place her regions do not cover), "
        "unreadable_record (a child, volunteer, team or pairing committed in a form that does not "
        "parse; the repair is judged against the last version that parsed); admin counts as every "
        "role. The commits a merge brings in are audited one by one; the merge "
        "itself for what it did on its own (a clean merge is left alone). With "
        "require_signed_commits: true in aimama.yaml, every commit is also verified against the "
        "coordinators' signing_keys as of REV: unsigned, committer_not_author (unsigned, "
        "committed for someone else: --as), bad_signature (does not verify, an unknown key, GPG), "
        "signer_not_author (another coordinator's key); see docs/signing.md. Exit 1 when anything "
        "is found, 2 for an unknown REV.\n\n"
        "Example: aimama audit --since origin/main --format json",
        "谁修改了什么：REV 之后（默认：全部历史；即 REV..HEAD）每个修改了记录文件的提交，"
        "对照 HEAD 中 records/coordinators.yaml 所列工作人员的职责和负责区划（按 git 邮箱识别作者）。"
        "发现项：unknown_author（作者不是工作人员）、vetting_not_allowed（无资格审核职责或超出负责区划而作出审核决定）、"
        "roster_not_allowed（无名册确认职责或超出负责区划而确认名册）、record_deleted（删除或改名了记录文件）、"
        "closed_record_changed（修改了已关闭的记录而未重新启用）、outside_region（修改了负责区划以外的记录）、"
        "unreadable_record（提交的儿童、志愿者、服务队或结对记录无法解析；修复它的提交与最后一个可解析的版本比较）；管理员视为具有全部职责。"
        "合并提交带入的提交逐个审计，合并提交本身只审计其自身所做的改动（无自身改动的合并不审计）。"
        "aimama.yaml 设置 `require_signed_commits: true` 时，还会对照 REV 中工作人员的 `signing_keys` 验证每个提交的签名："
        "unsigned（未签名）、committer_not_author（未签名且代他人提交，如 --as）、bad_signature（签名无效、密钥未登记或为 GPG 签名）、"
        "signer_not_author（用其他工作人员的密钥签名）；见 docs/signing.md。有发现项时退出码为 1，REV 无效时为 2。\n\n"
        "示例：aimama audit --since origin/main --format json"),
    "audit.opt.since": ("Audit only the commits after this revision (REV..HEAD; default: all of history).",
                        "只审计该版本之后的提交（REV..HEAD；默认：全部历史）。"),
    "audit.header.kind": ("kind", "类型"),
    "audit.header.commit": ("commit", "提交"),
    "audit.header.date": ("date", "日期"),
    "audit.header.author": ("author", "作者"),
    "audit.header.record": ("record", "记录"),
    "audit.header.message": ("message", "说明"),
    "audit.clean": ("{commits} commit(s) touching records audited{since}: nothing found",
                    "已审计 {commits} 个修改记录的提交{since}：未发现问题"),
    "audit.summary": ("{findings} finding(s) in {offending} of {commits} commit(s) touching records{since}; offending commits: {shas}",
                      "{commits} 个修改记录的提交{since}中有 {offending} 个存在问题，共 {findings} 项；问题提交：{shas}"),
    "audit.since": (" since {rev}", "（自 {rev} 起）"),
    "audit.unknown_author": ("{email} is not a coordinator in records/coordinators.yaml, yet changed {files} record file(s)",
                             "{email} 不是 records/coordinators.yaml 中的工作人员，却修改了 {files} 个记录文件"),
    "audit.vetting_not_allowed.unknown": (
        "{record}: vetting decision {before} → {after} by {email}, who is not a coordinator",
        "{record}：资格审核决定 {before} → {after}，由 {email} 作出，但其不是工作人员"),
    "audit.vetting_not_allowed.role": (
        "{record}: vetting decision {before} → {after} by {id} ({email}), who does not have the vetting role",
        "{record}：资格审核决定 {before} → {after}，由 {id}（{email}）作出，但其没有资格审核职责"),
    "audit.vetting_not_allowed.region": (
        "{record}: vetting decision {before} → {after} by {id} ({email}), whose regions ({regions}) do not cover village {village}",
        "{record}：资格审核决定 {before} → {after}，由 {id}（{email}）作出，但其负责区划（{regions}）不含村（社区）{village}"),
    "audit.roster_not_allowed.unknown": (
        "{record}: roster confirmation (by {by} on {on}) committed by {email}, who is not a coordinator",
        "{record}：名册确认（{by}，{on}）由 {email} 提交，但其不是工作人员"),
    "audit.roster_not_allowed.role": (
        "{record}: roster confirmation (by {by} on {on}) committed by {id} ({email}), who does not have the roster role",
        "{record}：名册确认（{by}，{on}）由 {id}（{email}）提交，但其没有名册确认职责"),
    "audit.roster_not_allowed.region": (
        "{record}: roster confirmation (by {by} on {on}) committed by {id} ({email}), whose regions ({regions}) do not cover village {village}",
        "{record}：名册确认（{by}，{on}）由 {id}（{email}）提交，但其负责区划（{regions}）不含村（社区）{village}"),
    "audit.record_deleted": ("{record}: the record file was deleted (records are closed, never deleted)",
                             "{record}：记录文件被删除（记录只能关闭，不能删除）"),
    "audit.record_renamed": ("{record}: the record file was renamed to {new_path}, so its id is gone (records are closed, never deleted)",
                             "{record}：记录文件被改名为 {new_path}，原编号随之消失（记录只能关闭，不能删除）"),
    "audit.closed_record_changed": ("{record}: changed while closed ({state}): {fields}",
                                    "{record}：已关闭（{state}）的记录被修改：{fields}"),
    "audit.outside_region": ("{record}: changed by {id} ({email}), whose regions ({regions}) do not cover {where}",
                             "{record}：由 {id}（{email}）修改，但其负责区划（{regions}）不含 {where}"),
    "audit.unreadable_record": (
        "{record}: committed in a form that does not parse, so what this commit changed cannot be audited (check names the error); the commit that repairs it is judged against the last version that parsed",
        "{record}：提交的内容无法解析，无法审计本次提交改了什么（check 会指出错误）；修复它的提交将与最后一个可解析的版本比较"),
    # the kind column of audit's table (history/audit.py KINDS; JSON keeps the codes)
    "audit.kind.unknown_author": ("unknown_author", "非工作人员提交"),
    "audit.kind.vetting_not_allowed": ("vetting_not_allowed", "越权资格审核"),
    "audit.kind.roster_not_allowed": ("roster_not_allowed", "越权名册确认"),
    "audit.kind.record_deleted": ("record_deleted", "记录被删除"),
    "audit.kind.closed_record_changed": ("closed_record_changed", "修改已关闭记录"),
    "audit.kind.outside_region": ("outside_region", "超出负责区域"),
    "audit.kind.unreadable_record": ("unreadable_record", "记录无法解析"),
    "audit.kind.unsigned": ("unsigned", "未签名"),
    "audit.kind.committer_not_author": ("committer_not_author", "代他人提交未签名"),
    "audit.kind.bad_signature": ("bad_signature", "签名无效"),
    "audit.kind.signer_not_author": ("signer_not_author", "用他人密钥签名"),
}
