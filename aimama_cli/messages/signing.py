"""Signed commits: audit's signature findings, ``--as`` with signing required, history's marks
(history/signing.py, history/audit.py, cli/audit.py, cli/history.py)."""

MESSAGES: dict[str, tuple[str, str]] = {
    # --- aimama audit: signatures (history/signing.py verdict) -----------------------------------
    "audit.signatures": ("signatures of {commits} commit(s) verified against the coordinators' signing_keys as of {rev}",
                         "已对照 {rev} 中工作人员的 signing_keys 验证 {commits} 个提交的签名"),
    "signing.unsigned": ("the commit by {email} is not signed, and aimama.yaml requires signed commits (require_signed_commits)",
                         "{email} 的提交未签名，而 aimama.yaml 要求提交必须签名（require_signed_commits）"),
    "signing.committer_not_author": (
        "committed by {committer} in the name of {email} (aimama --as, or a commit made for her) without a signature: nothing shows she made it",
        "由 {committer} 以 {email} 的名义提交（aimama --as 或代为提交），且未签名：无法证明是本人所为"),
    "signing.signer_not_author": (
        "signed with the key of coordinator {signer}, but authored as {email} (coordinator: {author})",
        "使用工作人员 {signer} 的密钥签名，但作者署名为 {email}（对应工作人员：{author}）"),
    "signing.bad_signature.bad": ("the signature does not verify (key {key}): the commit was changed after it was signed",
                                  "签名验证失败（密钥 {key}）：提交在签名后被改动过"),
    "signing.bad_signature.unknown_key": (
        "signed with key {key}, which no coordinator lists in signing_keys of records/coordinators.yaml as of {base}",
        "签名所用密钥 {key} 不在 {base} 中 records/coordinators.yaml 任何工作人员的 signing_keys 里"),
    "signing.bad_signature.unchecked": (
        "the signature cannot be checked (git says {status}; only SSH signatures with a coordinator's key are accepted)",
        "签名无法验证（git 状态 {status}；只接受使用工作人员 SSH 密钥的签名）"),
    # --- aimama --as where signed commits are required (history/signing.check_as) -----------------
    "as.signing.format": ("--as {id}: this repository requires signed commits, and git does not sign with SSH keys here: git config gpg.format ssh (see docs/signing.md)",
                          "--as {id}：本仓库要求提交签名，但此处 git 未设置使用 SSH 密钥签名：git config gpg.format ssh（见 docs/signing.md）"),
    "as.signing.off": ("--as {id}: this repository requires signed commits, and git would not sign this one: git config commit.gpgsign true (see docs/signing.md)",
                       "--as {id}：本仓库要求提交签名，但 git 不会为本次提交签名：git config commit.gpgsign true（见 docs/signing.md）"),
    "as.signing.no_key": ("--as {id}: this repository requires signed commits, and git has no signing key: git config user.signingkey ~/.ssh/KEY.pub (see docs/signing.md)",
                          "--as {id}：本仓库要求提交签名，但 git 未设置签名密钥：git config user.signingkey ~/.ssh/密钥.pub（见 docs/signing.md）"),
    "as.signing.unreadable": ("--as {id}: user.signingkey {setting} is neither an SSH public key nor a key file aimama can read",
                              "--as {id}：user.signingkey {setting} 既不是 SSH 公钥，也不是可读取的密钥文件"),
    "as.signing.not_hers": ("--as {id}: your signing key ({setting}) is not one of her {listed} signing_keys in records/coordinators.yaml; commits in her name must be signed with her key",
                            "--as {id}：您的签名密钥（{setting}）不在 records/coordinators.yaml 中其 {listed} 个 signing_keys 之内；以其名义的提交须用其本人的密钥签名"),
    # --- aimama history: is each commit signed by its author (cli/history.py) ---------------------
    "history.signed": ("signed: {mark}", "签名：{mark}"),
    "history.signed.yes": ("yes", "是"),
    "history.signed.no": ("no", "否"),
    "history.signed.bad": ("bad", "无效"),
    "history.unverified": ("{command} (unverified)", "{command}（未验证）"),
}
