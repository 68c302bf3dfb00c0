"""The leak scanner of ``aimama check``: personal data where git keeps it in the clear (AM911–AM915)."""

# A message never repeats the number found: only its masked form.

_SEVERITY_EN = " (an error when the repository is encrypted, a warning otherwise)"
_SEVERITY_ZH = "（仓库已加密时为错误，否则为警告）"
_REMOVE_EN = ("take it out of this field (it belongs in the record's sensitive field, which is "
              "encrypted and masked); if it was ever committed, see docs/privacy.md: git keeps every version")
_REMOVE_ZH = ("请从该字段删除（应填入记录中加密、遮蔽显示的敏感字段）；"
              "如已提交过，请参阅 docs/privacy.md：git 会保留所有历史版本")

MESSAGES: dict[str, tuple[str, str]] = {
    "AM911": ("this sensitive field holds plaintext in an encrypted repository",
              "仓库已加密，但该敏感字段为明文"),
    "AM911.hint": ("encrypt it: `aimama encrypt` (with a coordinator's key); if it was committed, "
                   "see docs/privacy.md",
                   "请加密：`aimama encrypt`（需工作人员密钥）；如已提交过，请参阅 docs/privacy.md"),
    "AM911.rule": ("In an encrypted repository (keys.yaml at the root), every sensitive field is stored encrypted.",
                   "仓库已加密（根目录有 keys.yaml）时，所有敏感字段都必须加密保存。"),
    "AM912": ("this field holds what looks like a resident ID number ({number}); it is not a sensitive field",
              "该字段含有疑似居民身份证号码（{number}），而它不是敏感字段"),
    "AM912.hint": (_REMOVE_EN, _REMOVE_ZH),
    "AM912.rule": ("No resident ID number (valid check character) outside the ID-number fields" + _SEVERITY_EN + ".",
                   "身份证号码字段以外不得出现居民身份证号码（校验码正确的）" + _SEVERITY_ZH + "。"),
    "AM913": ("this field holds what looks like a mobile number ({number}); it is not a sensitive field",
              "该字段含有疑似手机号码（{number}），而它不是敏感字段"),
    "AM913.hint": (_REMOVE_EN, _REMOVE_ZH),
    "AM913.rule": ("No mobile number outside the phone fields" + _SEVERITY_EN + ".",
                   "电话字段以外不得出现手机号码" + _SEVERITY_ZH + "。"),
    "AM914": ("the file name holds what looks like a resident ID number or mobile number ({number})",
              "文件名含有疑似居民身份证号码或手机号码（{number}）"),
    "AM914.hint": ("rename the file (`git mv`); a file name shows in every listing and pull request",
                   "请重命名该文件（`git mv`）；文件名会出现在每个文件列表和合并请求中"),
    "AM914.rule": ("No file name holds a resident ID number or mobile number" + _SEVERITY_EN + ".",
                   "文件名中不得含有居民身份证号码或手机号码" + _SEVERITY_ZH + "。"),
    "AM915": ("the message of commit {commit} holds what looks like a resident ID number or mobile number ({number})",
              "提交 {commit} 的说明中含有疑似居民身份证号码或手机号码（{number}）"),
    "AM915.hint": ("rewrite the message before it is merged (`git rebase -i`, reword); once merged, "
                   "see docs/privacy.md",
                   "请在合并前改写提交说明（`git rebase -i`，选择 reword）；如已合并，请参阅 docs/privacy.md"),
    "AM915.rule": ("No commit message of the range `check --changed-since REV` looks at holds a resident ID number "
                   "or mobile number" + _SEVERITY_EN + ".",
                   "`check --changed-since REV` 所检查范围内的提交说明中不得含有居民身份证号码或手机号码"
                   + _SEVERITY_ZH + "。"),
}
