"""Sensitive values kept off the command line: ``--set FIELD=-`` (standard input), ``FIELD=?``
(typed unseen at a terminal), and the warning when one is given on the command line."""

MESSAGES: dict[str, tuple[str, str]] = {
    "secret.visible": ("warning: {field} is sensitive, and a value on the command line can be seen by other users "
                       "of this computer (ps) and stays in your shell history; give - as its value to read it from "
                       "standard input, or ? to type it unseen",
                       "警告：{field} 是敏感字段，写在命令行上的值可被本机其他用户看到（ps），也会留在 shell 历史记录中；"
                       "请把值写作 - 从标准输入读取，或写作 ? 在终端中隐藏输入"),
    "secret.no_stdin": ("no value for {field} on standard input", "标准输入中没有 {field} 的值"),
    "secret.stdin_once": ("standard input gives one value only, and {field} asks for it again",
                          "标准输入只能提供一个值，{field} 再次要求从标准输入读取"),
    "secret.needs_terminal": ("{field}=? asks at a terminal; give {field}=- to read the value from standard input",
                              "{field}=? 需要在终端中输入；请用 {field}=- 从标准输入读取"),
}
