"""Problems of references (rules/references.py): the ids and region codes a record names exist (AM401–AM402), regions.yaml holds to its codes (AM406–AM407), decisions by serving coordinators (AM408)."""

MESSAGES: dict[str, tuple[str, str]] = {
    # --- problems: references (rules/references.py) -----------------------------------------------
    "AM401": ("unknown {kind} {id}", "找不到{kind} {id}"),
    "AM401.hint": ("check the id, or add the {kind} record first", "请核对编号，或先添加该{kind}记录"),
    "AM401.rule": ("Every referenced child, volunteer, team, coordinator and programme exists.",
                   "引用的儿童、志愿者、队伍、工作人员和职责规程必须存在。"),
    "AM402": ("region code {region} is not a listed village or region (found level: {level})",
              "区划代码 {region} 不在 regions.yaml 所列村（社区）或区划中（实际层级：{level}）"),
    "AM402.hint": ("add it to records/regions.yaml, or correct the code", "请将其加入 records/regions.yaml，或更正代码"),
    "AM402.rule": ("Every village and region code is in records/regions.yaml (villages at village level).",
                   "所有村（社区）和区划代码都须列在 records/regions.yaml 中。"),
    "AM406": ("region {region} is listed as a {level}, but its code is a {shape}'s (2, 4, 6, 9 or 12 digits before the zeros)",
              "区划 {region} 列为{level}，但按代码应为{shape}（零之前为 2、4、6、9 或 12 位）"),
    "AM406.hint": ("correct the level, or the code", "请更正层级或代码"),
    "AM406.rule": ("A region's level in records/regions.yaml is the one its code gives (province 2 digits, city 4, "
                   "county 6, township 9, village 12, then zeros).",
                   "records/regions.yaml 中区划的层级须与代码一致（省 2 位、市 4 位、县 6 位、乡镇 9 位、村 12 位，其后为零）。"),
    "AM407": ("{level} {region} is listed without its {parent_level} {parent}",
              "{level} {region} 已列出，但其上级{parent_level} {parent} 未列出"),
    "AM407.hint": ("add {parent} first (aimama region add {parent} NAME), or correct the code",
                   "请先添加 {parent}（aimama region add {parent} 名称），或更正代码"),
    "AM407.rule": ("A township's county and a village's township are listed in records/regions.yaml too.",
                   "records/regions.yaml 中乡镇所属的县、村（社区）所属的乡镇也须列出。"),
    "AM408": ("{by} retired on {retired}, but decides here on {on}",
              "{by} 已于 {retired} 离任，但此处的决定日期为 {on}"),
    "AM408.hint": ("name a coordinator serving on that day", "请填写当日在任的工作人员"),
    "AM408.rule": ("A vetting decision or roster confirmation is dated no later than its coordinator's retirement.",
                   "资格审核决定和名册确认的日期不晚于相应工作人员的离任日期。"),
}
