"""Tamper evidence and downgrades of encryption (issue 18): what ``check`` and the write path say
of them beyond the problem codes (AM513-AM517, with the other sealing codes in keys.py), and
identities and keys files that do not open the key."""

MESSAGES: dict[str, tuple[str, str]] = {
    "sealing.why.required": ("aimama.yaml says encryption: required", "aimama.yaml 写明 encryption: required"),
    "sealing.why.base": ("it is in {base}", "{base} 中有该文件"),

    # --- notes and errors ---------------------------------------------------------------------------
    "check.keyless": ("note: encrypted repository, no age identity given (--identity FILE or ${env}): the rules on "
                      "the plaintext of sensitive values and the MACs were skipped",
                      "注意：仓库已加密，但未提供 age 身份密钥（--identity 文件 或 ${env}）：已跳过针对敏感值明文"
                      "和 MAC 的规则"),
    "crypto.mac_needs_key": ("{path}: {field}: this change moves or removes encrypted values, and only a key holder "
                             "can seal the record again (its MAC): give your age identity with --identity FILE or "
                             "${env}; nothing was written",
                             "{path}：{field}：此更改会移动或删除加密值，只有持密钥者才能重新封存该记录（其 MAC）："
                             "请用 --identity 文件 或 ${env} 提供您的 age 身份密钥；未写入任何内容"),
    "crypto.mac_mismatch": ("{path}: the encrypted values of this record do not match its MAC (AM514): restore it "
                            "from git (git log -p {path}) before changing it; nothing was written",
                            "{path}：该记录的加密值与其 MAC 不符（AM514）：请先从 git 恢复（git log -p {path}）再修改；"
                            "未写入任何内容"),
    "keys.identity_not_file": ("{path} is not a regular file: an age identity is a file as age-keygen writes it",
                               "{path} 不是普通文件：age 身份密钥是 age-keygen 生成的文件"),
    "keys.missing": ("{path} is missing, but this repository is encrypted (aimama.yaml: encryption: required): "
                     "restore it from git (git checkout BASE -- {path})",
                     "缺少 {path}，但本仓库已加密（aimama.yaml：encryption: required）：请从 git 恢复"
                     "（git checkout 基准版本 -- {path}）"),
    "keys.malformed": ("{path}:{line}: {field} is missing or malformed: this is not a keys file as aimama writes it",
                       "{path}:{line}：{field} 缺失或格式不正确：这不是 aimama 写入的密钥文件"),
    "sealing.shown": ("[encrypted]", "[已加密]"),
}
