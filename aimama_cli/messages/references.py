"""Problems of references (rules/references.py): the ids and region codes a record names exist (AM401–AM402)."""

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
}
