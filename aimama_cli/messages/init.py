"""``aimama init``: a new records repository (cli/init.py, domain/init.py)."""

MESSAGES: dict[str, tuple[str, str]] = {
    # --- aimama init ------------------------------------------------------------------------------
    "init.help": ("Create a new records repository: git init, aimama.yaml, records skeleton, programmes, pre-commit and CI.\n\nExample: aimama init ~/records-yueyang --region 430621 --name 岳阳县爱心妈妈",
                  "新建记录仓库：git 初始化、aimama.yaml、记录目录、职责规程、pre-commit 与 CI。\n\n示例：aimama init ~/records-yueyang --region 430621 --name 岳阳县爱心妈妈"),
    "init.opt.region": ("Region covered: a division code or prefix (e.g. 430621).", "覆盖区域：区划代码或前缀（如 430621）。"),
    "init.opt.name": ("Name of the repository (e.g. the federation).", "仓库名称（如某妇联）。"),
    "init.done": ("Created a records repository in {path} and made the first commit.\nNext: add your villages to records/regions.yaml and your coordinators to records/coordinators.yaml, then run `aimama check`.",
                  "已在 {path} 创建记录仓库并完成首次提交。\n下一步：在 records/regions.yaml 中加入所辖村（社区），在 records/coordinators.yaml 中加入工作人员，然后运行 `aimama check`。"),
    "init.exists": ("{path} already holds a records repository (aimama.yaml); nothing was changed.",
                    "{path} 中已有记录仓库（aimama.yaml），未作任何改动。"),
    "init.not_empty": ("{path} is not empty; give a new or empty folder.", "{path} 不是空目录，请指定新目录或空目录。"),
    "init.bad_region": ("'{region}' is not a division code or prefix (2, 4, 6, 9 or 12 digits)",
                        "“{region}”不是区划代码或前缀（2、4、6、9 或 12 位数字）"),
}
