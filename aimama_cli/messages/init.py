"""``aimama init``: a new records repository (cli/init.py, domain/init.py)."""

MESSAGES: dict[str, tuple[str, str]] = {
    # --- aimama init ------------------------------------------------------------------------------
    "init.help": ("Create a new records repository: git init, aimama.yaml, records skeleton, programmes, pre-commit and CI.\n\nExample: aimama init ~/records-yueyang --region 430621 --name 岳阳县爱心妈妈",
                  "新建记录仓库：git 初始化、aimama.yaml、记录目录、职责规程、pre-commit 与 CI。\n\n示例：aimama init ~/records-yueyang --region 430621 --name 岳阳县爱心妈妈"),
    "init.opt.region": ("The county covered (required): its 6-digit division code (e.g. 430621) or its name (e.g. 岳阳县), "
                        "resolved through aimama's region data (templates/regions.yaml), which gives the county's name.",
                        "覆盖的县（必填）：6 位区划代码（如 430621）或县名（如 岳阳县），通过 aimama 的区划数据（templates/regions.yaml）"
                        "查得县名。"),
    "init.opt.name": ("Name of the repository (e.g. the federation; default: the county's name and 爱心妈妈结对关爱); "
                      "for a county aimama's region data does not know, also the county's name.",
                      "仓库名称（如某妇联；默认为县名加“爱心妈妈结对关爱”）；区划数据中没有的县，同时作为县名。"),
    "init.done": ("Created a records repository in {path} and made the first commit.\nNext: add your villages to records/regions.yaml and your coordinators to records/coordinators.yaml, then run `aimama check`.",
                  "已在 {path} 创建记录仓库并完成首次提交。\n下一步：在 records/regions.yaml 中加入所辖村（社区），在 records/coordinators.yaml 中加入工作人员，然后运行 `aimama check`。"),
    "init.exists": ("{path} already holds a records repository (aimama.yaml); nothing was changed.",
                    "{path} 中已有记录仓库（aimama.yaml），未作任何改动。"),
    "init.not_empty": ("{path} is not empty; give a new or empty folder.", "{path} 不是空目录，请指定新目录或空目录。"),
    "init.bad_region": ("'{region}' is not a county's division code (6 digits, e.g. 430621, or 12 ending in 000000): "
                        "a records repository covers one county",
                        "“{region}”不是县级区划代码（6 位，如 430621；或以 000000 结尾的 12 位）：一个记录仓库覆盖一个县"),
    "init.region_unnamed": ("aimama's region data does not know county {region}: give its name in the same command "
                            "(--region {region} --name 某某县)",
                            "aimama 的区划数据中没有县 {region}：请在同一命令中给出县名（--region {region} --name 某某县）"),
    "init.region_unknown": ("no county named '{region}' in aimama's region data: give its 6-digit code and its name "
                            "(--region 430621 --name {region})",
                            "aimama 的区划数据中没有名为“{region}”的县：请给出 6 位区划代码和县名（--region 430621 --name {region}）"),
    "init.region_ambiguous": ("several counties are named '{region}': {choices}; give the code",
                              "有多个名为“{region}”的县：{choices}；请给出区划代码"),
}
