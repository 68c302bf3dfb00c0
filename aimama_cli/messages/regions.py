"""``aimama region add|list|import`` (cli/region.py, domain/regions.py)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "region.help": ("The divisions the repository covers (records/regions.yaml): 12-digit statistical division codes "
                    "(统计用区划代码), province 2 digits, city 2, county 2, township 3, village 3; a region's level "
                    "comes from its code. Records may only name villages listed here.",
                    "本仓库覆盖的行政区划（records/regions.yaml）：12 位统计用区划代码，省 2 位、市 2 位、县 2 位、乡镇 3 位、"
                    "村 3 位；层级由代码决定。记录只能使用此处列出的村（社区）。"),
    "region.example": ("Example: aimama region import 2023-统计用区划代码.xlsx --dry-run",
                       "示例：aimama region import 2023-统计用区划代码.xlsx --dry-run"),
    "region.add.help": ("Add one region, in one commit. CODE is its 12-digit code (or 2, 4, 6 or 9 digits for a "
                        "province, city, county or township); with --parent, CODE may be the region's own digits "
                        "after its parent's (3 for a township or village). A township needs its county listed, a "
                        "village its township; a region outside the repository's (aimama.yaml region) is refused."
                        "\n\nExample: aimama region add 430621101205 东塘村",
                        "新增一个区划，单独提交。CODE 为 12 位代码（省、市、县、乡镇也可用 2、4、6、9 位）；给出 --parent 时，"
                        "CODE 可只写上级代码之后本级的几位（乡镇、村为 3 位）。乡镇须其所属县已列出，村须其所属乡镇已列出；"
                        "不在本仓库区划（aimama.yaml 的 region）内的区划将被拒绝。\n\n示例：aimama region add 430621101205 东塘村"),
    "region.arg.code": ("The division code: 12 digits (2, 4, 6, 9 digits stand for a province, city, county, "
                        "township), or its own digits after --parent.",
                        "区划代码：12 位（2、4、6、9 位分别表示省、市、县、乡镇），或 --parent 之后本级的几位。"),
    "region.arg.name": ("Its name as the statistics bureau writes it (东塘村委会 is written 东塘村).",
                        "名称，按统计局公布的写法（“东塘村委会”记为“东塘村”）。"),
    "region.opt.parent": ("The region it belongs to (a listed code); CODE must lie directly under it.",
                          "所属上级区划（已列出的代码）；CODE 须为其直接下级。"),
    "region.added": ("added {level} {code} {name}", "已新增{level} {code} {name}"),
    "region.added.dry_run": ("{level} {code} {name} would be added (dry run, nothing written)",
                             "将新增{level} {code} {name}（试运行，未写入）"),
    "region.list.help": ("List the regions of records/regions.yaml in code order, with each one's parent and "
                         "the number of its listed sub-regions.\n\nExample: aimama region list --under 430621101",
                         "按代码顺序列出 records/regions.yaml 中的区划，并列出上级及已列出的下级数量。"
                         "\n\n示例：aimama region list --under 430621101"),
    "region.opt.under": ("Only this region and those within it (a listed code, 2 to 12 digits).",
                         "只列出该区划及其下级（已列出的代码，2 至 12 位）。"),
    "region.list.title": ("Regions ({count})", "行政区划（{count} 个）"),
    "region.col.code": ("Code", "代码"),
    "region.col.name": ("Name", "名称"),
    "region.col.level": ("Level", "层级"),
    "region.col.parent": ("Parent", "上级"),
    "region.col.children": ("Listed below", "下级数"),
    "region.import.help": ("Add the regions of a table of division codes as the statistics bureau publishes them "
                           "(CSV or XLSX with a code column — 统计用区划代码, 区划代码, 代码 — and a name column — "
                           "名称, 区划名称 —, perhaps a level and a parent column): the rows within the repository's "
                           "region are added in one commit, rows already listed and rows elsewhere are counted and "
                           "passed over. Any bad row (named by row and column) refuses the whole file: nothing is "
                           "written.\n\nExample: aimama region import 岳阳县区划代码.csv --dry-run",
                           "从统计局公布的区划代码表（CSV 或 XLSX，含代码列——统计用区划代码、区划代码、代码——和名称列——名称、"
                           "区划名称——，也可含层级、上级代码列）导入区划：本仓库区划内的行一次提交；已列出的行和其他地区的行只计数、"
                           "跳过。任一行有误（注明行号和列）则整个文件不导入，不写入任何内容。"
                           "\n\n示例：aimama region import 岳阳县区划代码.csv --dry-run"),
    "region.import.arg.file": ("The table: .csv (UTF-8 or GBK) or .xlsx.", "代码表：.csv（UTF-8 或 GBK）或 .xlsx。"),
    "region.imported": ("added {count} region(s) from {file}; {known} already listed, {outside} outside the "
                        "repository's region (passed over)",
                        "已从 {file} 新增 {count} 个区划；{known} 个已列出，{outside} 个不在本仓库区划内（已跳过）"),
    "region.imported.dry_run": ("{count} region(s) would be added from {file} (dry run, nothing written); {known} "
                                "already listed, {outside} outside the repository's region",
                                "将从 {file} 新增 {count} 个区划（试运行，未写入）；{known} 个已列出，{outside} 个不在本仓库区划内"),
    "region.bad_code": ("{option}: '{code}' is not a division code (12 digits, or 2, 4, 6 or 9 for a province, "
                        "city, county or township)",
                        "{option}：“{code}”不是区划代码（12 位，或省、市、县、乡镇的 2、4、6、9 位）"),
    "region.unknown": ("region {code} is not listed in records/regions.yaml; `aimama region list` shows those that are",
                       "records/regions.yaml 中没有区划 {code}；`aimama region list` 可列出已有区划"),
    "region.not_child": ("{code} does not lie directly under --parent {parent} (its parent is {expected})",
                         "{code} 不是 --parent {parent} 的直接下级（其上级为 {expected}）"),
    "region.bad_name": ("'{name}' cannot be a region's name (empty, or with a control or invisible character)",
                        "“{name}”不能作为区划名称（为空，或含控制字符、不可见字符）"),
    "region.exists": ("{code} is already listed, as {name}",
                      "{code} 已列出（{name}）"),
    "region.outside": ("{code} lies outside the repository's region {own} (aimama.yaml)",
                       "{code} 不在本仓库区划 {own}（aimama.yaml）内"),
    "region.no_parent": ("{level} {code} needs its {parent_level} {parent} listed first (aimama region add "
                         "{parent} NAME)",
                         "{level} {code} 须先列出其所属{parent_level} {parent}（aimama region add {parent} 名称）"),
    "region.refused": ("{reason}; nothing was written", "{reason}；未写入任何内容"),
    "region.same_name": ("{code} is already called {name} under the same parent: names must tell regions apart",
                         "同一上级下的 {code} 已叫“{name}”：名称须能区分区划"),
    "region.import.no_header": ("no header row with a code column ({codes}) and a name column ({names})",
                                "找不到含代码列（{codes}）和名称列（{names}）的表头行"),
    "region.import.bad_code": ("'{code}' is not a division code (12 digits)", "“{code}”不是区划代码（12 位）"),
    "region.import.level": ("level '{level}' does not agree with the code, which is a {shape}'s",
                            "层级“{level}”与代码不符，按代码应为{shape}"),
    "region.import.parent": ("parent '{parent}' does not agree with the code, whose parent is {expected}",
                             "上级代码“{parent}”与代码不符，其上级应为 {expected}"),
}
