"""``aimama coordinator add|list|edit|retire`` (cli/coordinator.py, domain/coordinators.py)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "coordinator.help": ("The coordinators of records/coordinators.yaml: who may vet, confirm rosters, approve "
                         "pairings, and review each region's records. Every change rewrites .github/CODEOWNERS in "
                         "the same commit.",
                         "records/coordinators.yaml 中的工作人员：谁可以审核资格、确认名册、审批结对，以及审核各地区记录的修改。"
                         "每次修改都在同一提交中重写 .github/CODEOWNERS。"),
    "coordinator.example": ("Example: aimama coordinator add --name 王芳 --email wangfang@example.org --role vetting "
                            "--role roster --region 430621",
                            "示例：aimama coordinator add --name 王芳 --email wangfang@example.org --role 资格审核 "
                            "--role 名册确认 --region 430621"),
    "coordinator.add.help": ("Add a coordinator with a new id (U, the county of her first region, a random "
                             "suffix), and .github/CODEOWNERS with her, in one commit.\n\nExample: aimama coordinator "
                             "add --name 王芳 --email wangfang@example.org --role vetting --role roster --region 430621",
                             "新增工作人员（自动生成编号：U、第一个负责区划所在县的代码、随机后缀），并在同一提交中更新 "
                             ".github/CODEOWNERS。\n\n示例：aimama coordinator add --name 王芳 --email wangfang@example.org "
                             "--role 资格审核 --role 名册确认 --region 430621"),
    "coordinator.opt.name": ("Her name.", "姓名。"),
    "coordinator.opt.email": ("The e-mail her git commits carry (audit and CODEOWNERS know her by it).",
                              "她提交记录时使用的 git 邮箱（审计和 CODEOWNERS 以此识别）。"),
    "coordinator.opt.role": ("A role, code or label (repeat, or separate by commas): vetting (资格审核), roster "
                             "(名册确认), pairing (结对审批), admin (管理员).",
                             "职责，代码或中文均可（可重复或用逗号分隔）：vetting（资格审核）、roster（名册确认）、"
                             "pairing（结对审批）、admin（管理员）。"),
    "coordinator.opt.region": ("A region she is responsible for: a listed code, 2 to 12 digits (repeat for more).",
                               "负责的区划：已列出的代码，2 至 12 位（可重复）。"),
    "coordinator.opt.signing_key": ("An SSH public key her commits are signed with (the line of ~/.ssh/KEY.pub; "
                                    "repeat for more; docs/signing.md).",
                                    "她签名提交所用的 SSH 公钥（~/.ssh/KEY.pub 的那一行；可重复；见 docs/signing.md）。"),
    "coordinator.added": ("added coordinator {id} {name}", "已新增工作人员 {id} {name}"),
    "coordinator.added.dry_run": ("coordinator {id} {name} would be added (dry run, nothing written)",
                                  "将新增工作人员 {id} {name}（试运行，未写入）"),
    "coordinator.list.help": ("List the coordinators (those retired too with --all).\n\nExample: aimama coordinator "
                              "list --all --format csv",
                              "列出工作人员（加 --all 含已离任者）。\n\n示例：aimama coordinator list --all --format csv"),
    "coordinator.opt.all": ("Retired coordinators too.", "包括已离任的工作人员。"),
    "coordinator.list.title": ("Coordinators ({count})", "工作人员（{count} 人）"),
    "coordinator.col.id": ("Id", "编号"),
    "coordinator.col.name": ("Name", "姓名"),
    "coordinator.col.email": ("E-mail", "邮箱"),
    "coordinator.col.roles": ("Roles", "职责"),
    "coordinator.col.regions": ("Regions", "负责区划"),
    "coordinator.col.signing_keys": ("Signing keys", "签名公钥"),
    "coordinator.col.retired": ("Retired on", "离任日期"),
    "coordinator.edit.help": ("Change a coordinator's fields (name, email, roles, regions, signing_keys, "
                              "age_recipient; lists separated by commas), with .github/CODEOWNERS in the same "
                              "commit.\n\nExample: aimama coordinator edit U430621-7K3M9QAB --set roles=vetting,roster,pairing",
                              "修改工作人员的字段（`name`、`email`、`roles`、`regions`、`signing_keys`、`age_recipient`；列表用逗号分隔），"
                              "并在同一提交中更新 .github/CODEOWNERS。"
                              "\n\n示例：aimama coordinator edit U430621-7K3M9QAB --set roles=资格审核,名册确认,结对审批"),
    "coordinator.arg.id": ("The coordinator's id.", "工作人员编号。"),
    "coordinator.opt.set": ("FIELD=VALUE to set (repeatable).", "要设置的 FIELD=VALUE（可重复）。"),
    "coordinator.opt.unset": ("An optional field to remove: signing_keys, age_recipient.",
                              "要删除的可选字段：`signing_keys`、`age_recipient`。"),
    "coordinator.edit.nothing": ("say what to change: --set FIELD=VALUE or --unset FIELD",
                                 "请指明要修改的内容：--set FIELD=VALUE 或 --unset FIELD"),
    "coordinator.edited": ("changed coordinator {id}", "已修改工作人员 {id}"),
    "coordinator.edited.dry_run": ("coordinator {id} would be changed (dry run, nothing written)",
                                   "将修改工作人员 {id}（试运行，未写入）"),
    "coordinator.retire.help": ("Retire a coordinator from a day: her entry stays (records name her), marked retired, "
                                "and .github/CODEOWNERS no longer names her, in one commit; --as refuses her from "
                                "then on.\n\nExample: aimama coordinator retire U430621-7K3M9QAB --on 2026-12-31 "
                                "--reason 调任",
                                "工作人员离任：其条目保留（记录中仍引用她），标记为离任，并在同一提交中从 .github/CODEOWNERS 中移除；"
                                "此后 --as 不再接受她。\n\n示例：aimama coordinator retire U430621-7K3M9QAB --on 2026-12-31 "
                                "--reason 调任"),
    "coordinator.opt.on": ("The day she leaves (YYYY-MM-DD).", "离任日期（YYYY-MM-DD）。"),
    "coordinator.opt.reason": ("Why (optional).", "原因（可选）。"),
    "coordinator.retired": ("retired coordinator {id} on {on}", "工作人员 {id} 已于 {on} 离任"),
    "coordinator.retired.dry_run": ("coordinator {id} would be retired on {on} (dry run, nothing written)",
                                    "工作人员 {id} 将于 {on} 离任（试运行，未写入）"),
    "coordinator.retired.keys": ("{id} still holds the data key in keys.yaml: `aimama keys remove {id}` then "
                                 "`aimama keys rotate` (docs/privacy.md)",
                                 "{id} 仍持有 keys.yaml 中的数据密钥：请运行 `aimama keys remove {id}`，再运行 "
                                 "`aimama keys rotate`（见 docs/privacy.md）"),
    "coordinator.bad_value": ("{option}: '{value}' does not fit: {detail}", "{option}：“{value}”格式不符：{detail}"),
    "coordinator.no_region": ("give at least one --region", "请至少给出一个 --region"),
    "coordinator.email_taken": ("{email} is already the e-mail of coordinator {id}: audit and CODEOWNERS know a "
                                "coordinator by her e-mail; nothing was written",
                                "{email} 已是工作人员 {id} 的邮箱：审计和 CODEOWNERS 以邮箱识别工作人员；未写入任何内容"),
    "coordinator.required": ("{field} cannot be removed: every coordinator has one", "不能删除 {field}：每位工作人员都须有此项"),
    "coordinator.not_editable": ("{field} is not a field aimama coordinator edit changes (it changes: {fields})",
                                 "aimama coordinator edit 不能修改 {field}（可修改：{fields}）"),
    "coordinator.retired_already": ("{id} retired on {on} already; nothing was written",
                                    "{id} 已于 {on} 离任；未写入任何内容"),
    "as.retired": ("--as {id}: she retired on {on} (records/coordinators.yaml) and commits for no one",
                   "--as {id}：她已于 {on} 离任（records/coordinators.yaml），不能再以她的名义提交"),
}
