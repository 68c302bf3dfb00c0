"""The application and its global options, options many commands share, errors any command may end with."""

MESSAGES: dict[str, tuple[str, str]] = {
    # --- the application and its global options (cli/__init__.py; --as: cli/audit.py) -------------
    "app.help": ("aimama: records toolkit for the 爱心妈妈 (Caring Mothers) programme.",
                 "aimama：爱心妈妈结对关爱工作的记录管理工具。"),
    "opt.root": ("Records repository (default: $AIMAMA_ROOT, else the nearest folder with aimama.yaml).",
                 "记录仓库（默认：$AIMAMA_ROOT，否则为最近的含 aimama.yaml 的上级目录）。"),
    "opt.lang": ("Language of messages: zh or en (default: from the locale).", "提示语言：zh（中文）或 en（英文）（默认取系统语言）。"),
    "opt.version": ("Show the version and exit.", "显示版本号并退出。"),
    "opt.as": ("Act as this coordinator (her id in records/coordinators.yaml): the commits the command "
               "makes are authored by her name and e-mail (the committer stays you), and she is the "
               "one who decides in `volunteer vet` and `child confirm` unless --by. An unknown id "
               "exits 2, and so does a signing key not hers where aimama.yaml requires signed "
               "commits (docs/signing.md). Example: aimama --as U430600-TA6M4G7H volunteer vet ID --approve",
               "以该工作人员的身份操作（records/coordinators.yaml 中的编号）：本命令的提交以其姓名和邮箱为作者"
               "（提交者仍为您本人），`volunteer vet` 和 `child confirm` 中未指定 --by 时由其作出决定。"
               "编号不存在时退出码为 2；仓库要求签名而您的签名密钥不是其本人的，退出码也为 2（见 docs/signing.md）。示例：aimama --as U430600-TA6M4G7H volunteer vet 编号 --approve"),
    "as.unknown": ("--as {id}: no coordinator with this id in {path} (known: {known})",
                   "--as {id}：{path} 中没有该编号的工作人员（现有：{known}）"),
    "opt.identity": ("Your age identity file (age-keygen's output), to read and write encrypted fields "
                     "(default: $AIMAMA_AGE_IDENTITY).",
                     "您的 age 身份密钥文件（age-keygen 生成），用于读写加密字段（默认：$AIMAMA_AGE_IDENTITY）。"),
    # --- options many commands share --------------------------------------------------------------
    "opt.format": ("Output format.", "输出格式。"),
    "opt.as_of": ("Judge dates as of this day (YYYY-MM-DD; default today).", "以该日期为准判断（YYYY-MM-DD，默认今天）。"),
    "opt.no_commit": ("Write the change but do not commit it.", "写入修改但不提交。"),
    "opt.force": ("Change a record even if it has hand edits not yet committed.", "即使记录有未提交的手工修改也执行。"),
    "opt.dry_run": ("Check the change and show it; write nothing.", "只检查并显示修改，不写入。"),
    "opt.on": ("The date it happened (YYYY-MM-DD; default today).", "发生日期（YYYY-MM-DD，默认今天）。"),
    # --- errors any command may end with: no repository, bad date, git, internal, interrupted -----
    "root.missing": ("the records root {path} does not exist", "记录仓库目录 {path} 不存在"),
    "root.not_found": ("no records repository here: no aimama.yaml or records/ in {path} or above (use --root or $AIMAMA_ROOT)",
                       "未找到记录仓库：{path} 及其上级目录中没有 aimama.yaml 或 records/（可用 --root 或 $AIMAMA_ROOT 指定）"),
    "date.invalid": ("'{value}' is not a date (YYYY-MM-DD)", "“{value}”不是日期（YYYY-MM-DD）"),
    "git.bad_rev": ("unknown git revision '{rev}'", "未知的 git 版本“{rev}”"),
    "git.not_repo": ("{path} is not a git repository", "{path} 不是 git 仓库"),
    "git.failed": ("git failed: {detail}", "git 执行失败：{detail}"),
    "git.branch_exists": ("branch {branch} already exists; give another with --branch", "分支 {branch} 已存在，请用 --branch 指定其他名称"),
    "internal": ("internal error: {detail} (details saved to {log})", "内部错误：{detail}（详情已保存到 {log}）"),
    "interrupted": ("interrupted; nothing was written", "已中断，未写入任何内容"),
    "worker.lost": ("worker process {worker} stopped without its answer (exit code {code}): killed from outside, or out of memory? Nothing was written; run the command again",
                    "工作进程 {worker} 未交回结果就停止了（退出码 {code}）：被外部结束，或内存不足？未写入任何内容，请再运行一次"),
    "worker.unsent": ("worker process {worker} could not send its answer back; nothing was written",
                      "工作进程 {worker} 无法交回结果，未写入任何内容"),
}
