"""Pseudonymised exports for sharing upward: ``export roster|hours --redact`` (reports/redaction.py)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "export.opt.redact": (
        "Pseudonymised, for sharing upward: names of the child, the guardian and the volunteers "
        "reduced to the family name (张小明 → 张**); ID numbers, phone numbers and the school "
        "dropped; the birth date reduced to its year; township, village, gender, categories, risk "
        "level, guardian's relation, grade, consent, pairing and record id kept (addresses and notes "
        "are never exported). Not with --reveal. See docs/redaction.md.",
        "去标识化导出，用于向上级报送：儿童、监护人和爱心妈妈的姓名只保留姓氏（张小明 → 张**）；"
        "去掉身份证号码、电话号码和就读学校；出生日期只保留年份；保留乡镇、村（社区）、性别、儿童类别、"
        "风险等级、与儿童关系、年级、监护人同意、结对情况和儿童编号（住址和备注从不导出）。"
        "不能与 --reveal 同用。详见 docs/redaction.md。"),
    "export.hours.opt.redact": (
        "Pseudonymised, for sharing upward: each volunteer's name reduced to the family name "
        "(张小明 → 张**), the ID type and number left blank; dates, hours, content and team kept "
        "(the details of entries are never exported). Not with --reveal. See docs/redaction.md.",
        "去标识化导出，用于向上级报送：志愿者姓名只保留姓氏（张小明 → 张**），证件类型和证件号码留空；"
        "保留服务日期、时长、内容和组织单位（情况记录从不导出）。不能与 --reveal 同用。详见 docs/redaction.md。"),
    "export.reveal_redact": ("--reveal and --redact cannot go together: choose one",
                             "--reveal 与 --redact 不能同时使用：请选择其一"),
    "export.redacted": ("names reduced to the family name; ID numbers, phone numbers and schools dropped; "
                        "birth dates reduced to the year",
                        "姓名只保留姓氏；已去掉身份证号码、电话号码和就读学校；出生日期只保留年份"),
    "export.hours.redacted": ("names reduced to the family name; ID numbers left blank",
                              "姓名只保留姓氏；证件号码已留空"),
}
