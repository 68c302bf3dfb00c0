"""The summaries of the commits aimama makes (``aimama COMMAND: SUMMARY``), written in the
language in force when the command runs: the ``aimama COMMAND:`` prefix and the
``Aimama-Command``/``Aimama-Record`` trailers stay as they are, tools read them."""

MESSAGES = {
    "commit.init": ("new records repository for {name} ({code})", "{name}（{code}）的新记录仓库"),
    "commit.regions_imported": ("{count} regions from {file}", "从 {file} 导入 {count} 个地区"),
    "commit.imported.child": ("{count} children from {file}", "从 {file} 导入 {count} 名儿童"),
    "commit.imported.volunteer": ("{count} volunteers from {file}", "从 {file} 导入 {count} 名志愿者"),
    "commit.logs_imported": ("{count} entry from {file}||{count} entries from {file}", "从 {file} 导入 {count} 条活动记录"),
    "commit.retired": ("{id} retired", "{id} 已卸任"),
    "commit.encrypted": ("sensitive fields encrypted for {coordinator}", "为 {coordinator} 加密敏感字段"),
    "commit.key_rotated": ("new data key {key}", "新数据密钥 {key}"),
    "commit.key_added": ("data key wrapped for {coordinator}", "为 {coordinator} 封装数据密钥"),
    "commit.key_removed": ("data key no longer wrapped for {coordinator}", "不再为 {coordinator} 封装数据密钥"),
    "commit.batch": ("{summary}, {count} record(s)", "{summary}，共 {count} 条记录"),
    "commit.case_closed": ("{id} closed", "{id} 已结案"),
    "commit.merged": ("{duplicate} into {original}", "{duplicate} 并入 {original}"),
    "commit.pledge_voided": ("{id} voided", "{id} 已作废"),
    "commit.confirmed": ("{id} roster confirmed", "{id} 名册已核实"),
    "commit.confirmed_region": ("roster confirmed in {region}", "{region} 名册已核实"),
    "commit.consent_given": ("{id} consent given", "{id} 已取得同意"),
    "commit.consent_withdrawn": ("{id} consent withdrawn", "{id} 已撤回同意"),
    "commit.received": ("received {day}", "{day} 已收到"),
    "commit.received_amount": ("received {amount} {day}", "{day} 已收到 {amount}"),
}
