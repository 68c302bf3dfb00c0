"""Problems of identity (rules/identity.py): unique ids, matching file name, county and folder (AM301–AM305, AM308)."""

MESSAGES: dict[str, tuple[str, str]] = {
    # --- problems: identity (rules/identity.py) ---------------------------------------------------
    "AM301": ("id {id} is already used by {other}", "编号 {id} 已被 {other} 使用"),
    "AM301.hint": ("give this record a new id (`aimama` makes collision-free ids) and rename the file",
                   "请为该记录换一个新编号并重命名文件"),
    "AM301.rule": ("Ids are unique across the repository.", "编号在整个仓库中唯一。"),
    "AM302": ("the id {id} does not match the file name {name}.yaml", "编号 {id} 与文件名 {name}.yaml 不一致"),
    "AM302.hint": ("rename the file to {id}.yaml with `git mv`, or correct the id", "请用 `git mv` 把文件改名为 {id}.yaml，或更正编号"),
    "AM302.rule": ("The file name is the record id.", "文件名必须与记录编号一致。"),
    "AM303": ("the id {id} carries county {county}, but the record is in {region}",
              "编号 {id} 中的县级代码为 {county}，但记录所在区划为 {region}"),
    "AM303.rule": ("An id carries the county code of the record's village or region.", "编号中的县级代码必须与记录所在区划一致。"),
    "AM304": ("this file is not in a place for records ({reason})", "该文件不在记录应在的位置（{reason}）"),
    "AM304.hint": ("records live in records/<kind>/<id>.yaml (pledges and activities in a year folder); other files belong outside records/",
                   "记录应放在 records/<类型>/<编号>.yaml（承诺书与活动记录在年度文件夹中）；其他文件请移出 records/"),
    "AM304.rule": ("Files under records/ are YAML records in their kind's folder.", "records/ 下只能存放对应类型文件夹中的 YAML 记录。"),
    "AM305": ("year {year} does not match the folder {folder}", "年度 {year} 与所在文件夹 {folder} 不一致"),
    "AM305.rule": ("Pledges, activity logs, team activities, trainings and support entries sit in the folder of their year.",
                  "承诺书、活动记录、集体活动、培训和帮扶台账须放在对应年度的文件夹中。"),
    "AM308": ("the name holds {char}, a control character, line break, invisible (zero-width) character or direction mark",
              "名称中含有 {char}（控制字符、换行、不可见的零宽字符或文字方向标记）"),
    "AM308.hint": ("retype the name: copied text often brings invisible characters along",
                   "请重新输入名称：复制粘贴的文字常带有不可见字符"),
    "AM308.rule": ("A name holds no control character, line break, zero-width character or direction mark.",
                   "名称中不得含有控制字符、换行、零宽字符或文字方向标记。"),
}
