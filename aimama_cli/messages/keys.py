"""Encryption (issue 8): sealed values and their rules (AM110, AM511–AM517: blind indexes, MACs, downgrades),
``aimama encrypt``, ``aimama keys``."""

_KEY_HINT_EN = "keys change only through aimama encrypt and aimama keys add|remove|rotate (docs/privacy.md)"
_KEY_HINT_ZH = "密钥只能通过 aimama encrypt 和 aimama keys add|remove|rotate 更改（见 docs/privacy.md）"

MESSAGES: dict[str, tuple[str, str]] = {
    # --- problems: encrypted values (rules/sealing.py) --------------------------------------------
    "AM110": ("this value does not decrypt with the repository's key: it was tampered with, moved here from "
              "another record or field, or encrypted with another key",
              "该加密值无法用本仓库的密钥解密：可能被篡改、从其他记录或字段移来，或用其他密钥加密"),
    "AM110.hint": ("restore the value from git (`git log -p FILE`), or type it again: aimama child edit ID --set FIELD=VALUE",
                   "请从 git 恢复该值（`git log -p 文件`），或重新填写：aimama child edit 编号 --set 字段=值"),
    "AM110.rule": ("With a coordinator's key, every encrypted value decrypts in its own record and field.",
                   "持有协调员密钥时，每个加密值都必须能在其所在记录和字段中解密。"),
    "AM511": ("{missing} is missing: an encrypted ID number and its blind index go together",
              "缺少 {missing}：加密的身份证号与其盲索引必须同时存在"),
    "AM511.hint": ("save the record again with the key (aimama child edit ID --set id_number=NUMBER), or run aimama keys rotate, "
                   "which writes every blind index",
                   "请持密钥重新保存该记录（aimama child edit 编号 --set id_number=号码），或运行 aimama keys rotate 重写全部盲索引"),
    "AM511.rule": ("An encrypted ID number carries its blind index (id_number_index), through which duplicates are found without the key.",
                   "加密的身份证号必须附带盲索引（id_number_index），以便无密钥时也能发现重复。"),
    "AM512": ("the blind index does not match the ID number", "盲索引与身份证号不符"),
    "AM512.hint": ("save the record again with the key, or run aimama keys rotate: aimama writes the index itself",
                   "请持密钥重新保存该记录，或运行 aimama keys rotate：盲索引由 aimama 自动写入"),
    "AM512.rule": ("With the key, a record's blind index is the one its ID number gives (else duplicates go unseen).",
                   "持有密钥时，记录的盲索引必须与其身份证号相符（否则无法发现重复）。"),

    # --- errors -----------------------------------------------------------------------------------
    "crypto.needs_key": ("{path}: {field}: this repository is encrypted and no age identity was given (--identity FILE or "
                         "${env}): a sensitive value cannot be written in plaintext; nothing was written",
                         "{path}：{field}：本仓库已加密，但未提供 age 身份密钥（--identity 文件 或 ${env}）："
                         "敏感信息不能以明文写入；未写入任何内容"),
    "crypto.cannot_seal": ("{path}: {field}: the record's values do not decrypt with your key; nothing was written",
                           "{path}：{field}：该记录的加密值无法用您的密钥解密；未写入任何内容"),
    "crypto.undecryptable": ("{path}:{line}: {field}: the value does not decrypt: tampered with, moved from another record "
                             "or field, or encrypted with another key",
                             "{path}:{line}：{field}：该值无法解密：可能被篡改、从其他记录或字段移来，或用其他密钥加密"),
    "keys.no_identity": ("{why} needs the repository's key: give your age identity with --identity FILE or ${env}",
                         "{why} 需要仓库密钥：请用 --identity 文件 或 ${env} 提供您的 age 身份密钥"),
    "keys.identity_unreadable": ("cannot read the age identity {path}: {detail}", "无法读取 age 身份密钥 {path}：{detail}"),
    "keys.identity_invalid": ("{path} holds no age identity (a line AGE-SECRET-KEY-1…)",
                              "{path} 中没有 age 身份密钥（AGE-SECRET-KEY-1… 开头的一行）"),
    "keys.not_recipient": ("the age identity {identity} ({recipient}) opens none of the keys in {path}: ask a coordinator "
                           "who holds the key to run aimama keys add",
                           "age 身份密钥 {identity}（{recipient}）无法打开 {path} 中的任何密钥：请让持有密钥的协调员运行 aimama keys add"),
    "keys.fingerprint": ("{path}: the key wrapped for {coordinator} is not the data key named by key_id",
                         "{path}：为 {coordinator} 封装的密钥与 key_id 所指的数据密钥不符"),
    "keys.unreadable": ("{path}:{line}: cannot read the keys file ({detail})", "{path}:{line}：无法读取密钥文件（{detail}）"),
    "keys.bad_recipient": ("'{recipient}' is not an age recipient (a public key age1…)",
                           "“{recipient}”不是 age 公钥（age1… 开头）"),
    "keys.not_encrypted": ("this repository is not encrypted ({path} is missing): run aimama encrypt first",
                           "本仓库尚未加密（没有 {path}）：请先运行 aimama encrypt"),
    "keys.exists": ("{coordinator} already has the key (aimama keys list)", "{coordinator} 已持有密钥（aimama keys list）"),
    "keys.absent": ("{coordinator} does not hold the key (aimama keys list)", "{coordinator} 没有持有密钥（aimama keys list）"),
    "keys.last": ("{coordinator} is the last coordinator holding the key: add another one first; nothing was written",
                  "{coordinator} 是最后一位持有密钥的协调员：请先添加其他协调员；未写入任何内容"),
    "encrypt.already": ("this repository is already encrypted ({path}): use aimama keys add or aimama keys rotate",
                        "本仓库已经加密（{path}）：请使用 aimama keys add 或 aimama keys rotate"),

    # --- commands ---------------------------------------------------------------------------------
    "keys.opt.recipient": ("The coordinator's age recipient (public key, age1…).", "协调员的 age 公钥（age1… 开头）。"),
    "encrypt.help": ("Encrypt the repository: a new data key, wrapped for COORDINATOR's age recipient in keys.yaml, and "
                     "every sensitive field of every record (ID numbers, phones, addresses, notes) encrypted as "
                     "ENC[AES256_GCM,…], comments and key order kept, in one commit. See docs/privacy.md."
                     "\n\nExample: aimama encrypt U430600-CQK7RC7K --recipient age17sdr9rfufs54hth09h9rlh4ufanz7ql6uuatyywxe8j7qsgk65hsulvg5v",
                     "加密本仓库：生成新的数据密钥，用协调员 COORDINATOR 的 age 公钥封装后存入 keys.yaml，并将每条记录的"
                     "每个敏感字段（身份证号、电话、住址、备注）加密为 ENC[AES256_GCM,…]，保留注释和字段顺序，一次提交。"
                     "见 docs/privacy.md。\n\n示例：aimama encrypt U430600-CQK7RC7K --recipient age17sdr9rfufs54hth09h9rlh4ufanz7ql6uuatyywxe8j7qsgk65hsulvg5v"),
    "encrypt.done": ("encrypted {count} records for {coordinator} (data key {key_id})",
                     "已为 {coordinator} 加密 {count} 条记录（数据密钥 {key_id}）"),
    "keys.help": ("The repository's data key, wrapped for each coordinator (keys.yaml).\n\nExample: aimama keys list",
                  "仓库的数据密钥，为每位协调员分别封装（keys.yaml）。\n\n示例：aimama keys list"),
    "keys.add.help": ("Wrap the data key for one more coordinator (needs your identity), and commit keys.yaml."
                      "\n\nExample: aimama --identity demo/demo-age-identity.txt keys add U430600-TA6M4G7H --recipient age1mp8rj4vmxse7hk7ynsrl7x2c7g6hk5r6zazp200tgmqn7z2jmp5s5xudcw",
                      "为又一位协调员封装数据密钥（需要您的身份密钥），并提交 keys.yaml。"
                      "\n\n示例：aimama --identity demo/demo-age-identity.txt keys add U430600-TA6M4G7H --recipient age1mp8rj4vmxse7hk7ynsrl7x2c7g6hk5r6zazp200tgmqn7z2jmp5s5xudcw"),
    "keys.remove.help": ("Take a coordinator's wrapped key out of keys.yaml and wrap it afresh for the others. She may still "
                         "know the data key: run keys rotate afterwards to protect future values."
                         "\n\nExample: aimama keys remove U430600-TA6M4G7H",
                         "从 keys.yaml 中删除某位协调员的密钥，并为其他人重新封装。她可能仍记得数据密钥：之后请运行 keys rotate 保护今后的数据。"
                         "\n\n示例：aimama keys remove U430600-TA6M4G7H"),
    "keys.rotate.help": ("A new data key: every encrypted value of every record re-encrypted with it and the key wrapped for "
                         "every coordinator, in one commit. Old commits stay readable with the old key."
                         "\n\nExample: aimama keys rotate",
                         "更换数据密钥：所有记录的全部加密值用新密钥重新加密，并为每位协调员封装，一次提交。旧的提交仍可用旧密钥读取。"
                         "\n\n示例：aimama keys rotate"),
    "keys.list.help": ("The coordinators who hold the repository's key.\n\nExample: aimama keys list --format json",
                       "列出持有仓库密钥的协调员。\n\n示例：aimama keys list --format json"),
    "keys.list.title": ("data key {key_id}, wrapped for:", "数据密钥 {key_id}，已封装给："),
    "keys.header.coordinator": ("coordinator", "协调员"),
    "keys.header.recipient": ("age recipient", "age 公钥"),
    "keys.header.added_on": ("added on", "添加日期"),
    "keys.added": ("data key {key_id} wrapped for {coordinator}", "已为 {coordinator} 封装数据密钥 {key_id}"),
    "keys.removed": ("{coordinator} no longer holds data key {key_id}", "{coordinator} 已不再持有数据密钥 {key_id}"),
    "keys.removed.hint": ("she may have kept the data key: run aimama keys rotate so that new values are safe from her "
                          "(old commits stay readable with the old key; see docs/privacy.md)",
                          "她可能保存了数据密钥：请运行 aimama keys rotate，使今后的数据不被她读取"
                          "（旧提交仍可用旧密钥读取；见 docs/privacy.md）"),
    "keys.rotated": ("new data key {key_id}: {count} records re-encrypted", "新的数据密钥 {key_id}：已重新加密 {count} 条记录"),
    # --- problems: tamper evidence and downgrades (rules/sealing.py, issue 18) ----------------------------------------------------------------
    "AM513": ("sealed_mac is missing: this record's encrypted values are not sealed by a MAC (it was removed, or "
              "the file was written without aimama)",
              "缺少 sealed_mac：该记录的加密值没有消息认证码（MAC）保护（MAC 被删除，或文件并非由 aimama 写入）"),
    "AM513.hint": ("if it had one before, see what removed it (git log -p FILE) and restore it; else save the record "
                   "with the key (aimama keys rotate writes every MAC)",
                   "如原先有 MAC，请查看是谁删除的（git log -p 文件）并恢复；否则请持密钥重新保存该记录"
                   "（aimama keys rotate 会写入全部 MAC）"),
    "AM513.rule": ("In an encrypted repository, a record with encrypted values carries their MAC (sealed_mac); with "
                   "--changed-since, a MAC the base revision had is not dropped.",
                   "仓库已加密时，含加密值的记录必须带有其消息认证码（sealed_mac）；使用 --changed-since 时，"
                   "基准版本中已有的 MAC 不得删除。"),
    "AM514": ("the encrypted values of this file do not match its MAC (sealed_mac): a value was deleted, put back "
              "from an older version, or moved within the file",
              "该文件的加密值与其消息认证码（sealed_mac）不符：有值被删除、被换回旧版本中的值，或在文件内被移动"),
    "AM514.hint": ("compare with git (git log -p FILE) and restore what was changed by hand; aimama itself updates "
                   "the MAC with every change it writes",
                   "请与 git 历史比较（git log -p 文件），恢复被手工改动的内容；aimama 写入的每次更改都会同时更新 MAC"),
    "AM514.rule": ("With a coordinator's key, every record's MAC matches its encrypted values, their places, the "
                   "record and the data key.",
                   "持有协调员密钥时，每条记录的 MAC 必须与其加密值、值的位置、记录和数据密钥相符。"),
    "AM515": ("keys.yaml is missing, but the repository is encrypted ({why})",
              "缺少 keys.yaml，但本仓库已加密（{why}）"),
    "AM515.hint": ("restore it from git (git checkout BASE -- keys.yaml): without it new clones cannot read or "
                   "write the sensitive fields; " + _KEY_HINT_EN,
                   "请从 git 恢复（git checkout 基准版本 -- keys.yaml）：没有它，新的克隆无法读写敏感字段；" + _KEY_HINT_ZH),
    "AM515.rule": ("An encrypted repository (aimama.yaml encryption: required, or keys.yaml at the base of "
                   "--changed-since) keeps its keys.yaml.",
                   "已加密的仓库（aimama.yaml 中 `encryption: required`，或 --changed-since 基准版本中有 keys.yaml）"
                   "必须保留 keys.yaml。"),
    "AM516": ("keys.yaml is older than the one at {base} (serial {serial}, there {base_serial}; data key {key_id}): "
              "put back from history or changed by hand",
              "keys.yaml 比 {base} 中的旧（版本号 {serial}，基准为 {base_serial}；数据密钥 {key_id}）："
              "从历史中恢复或被手工改动"),
    "AM516.hint": ("restore it (git checkout {base} -- keys.yaml); " + _KEY_HINT_EN,
                   "请恢复（git checkout {base} -- keys.yaml）；" + _KEY_HINT_ZH),
    "AM516.rule": ("With --changed-since, keys.yaml is the base revision's or a later one written by aimama keys "
                   "(its serial grows; a data key rotated away does not come back).",
                   "使用 --changed-since 时，keys.yaml 必须是基准版本的，或由 aimama keys 写入的更新版本"
                   "（版本号只增不减；已轮换掉的数据密钥不得恢复）。"),
    "AM517": ("encryption is turned off: at {base} this repository was encrypted, and aimama.yaml no longer says "
              "encryption: required",
              "加密被关闭：在 {base} 中本仓库已加密，而 aimama.yaml 不再写明 encryption: required"),
    "AM517.hint": ("put `encryption: required` back in aimama.yaml: an encrypted repository stays encrypted",
                   "请在 aimama.yaml 中恢复 `encryption: required`：已加密的仓库必须保持加密"),
    "AM517.rule": ("With --changed-since, a repository encrypted at the base revision keeps encryption: required "
                   "in aimama.yaml.",
                   "使用 --changed-since 时，基准版本中已加密的仓库必须在 aimama.yaml 中保留 `encryption: required`。"),
}
