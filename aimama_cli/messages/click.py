"""The words of click and typer themselves (the usage line, the section titles of --help, the
errors of a command line that does not parse), which aimama shows in its own language:
cli/click_text.py puts them in place; and what cli/console.py says of a console that cannot show
Chinese."""

MESSAGES: dict[str, tuple[str, str]] = {
    # --- --help ------------------------------------------------------------------------------------
    "click.usage": ("Usage: ", "用法："),
    "click.heading": ("{name}:", "{name}："),
    "click.section.options": ("Options", "选项"),
    "click.section.arguments": ("Arguments", "参数"),
    "click.section.commands": ("Commands", "命令"),
    "click.help_option": ("Show this message and exit.", "显示本帮助并退出。"),
    "click.default": ("default: {default}", "默认：{default}"),
    "click.required": ("required", "必填"),
    "click.dynamic": ("(dynamic)", "（动态）"),
    "click.env_var": ("env var: {var}", "环境变量：{var}"),
    # --- errors of the command line ---------------------------------------------------------------
    "click.error": ("Error: {message}", "错误：{message}"),
    "click.try_help": ("Try '{command} {option}' for help.", "输入“{command} {option}”查看帮助。"),
    "click.aborted": ("Aborted!", "已中止。"),
    "click.no_such_option": ("No such option: {name}", "没有这个选项：{name}"),
    "click.possible_options": ("(Possible options: {names})", "（可能是：{names}）"),
    "click.no_such_command": ("No such command '{name}'.", "没有这个命令：“{name}”。"),
    "click.did_you_mean": ("{message} Did you mean {names}?", "{message}您是否要输入 {names}？"),
    "click.missing_command": ("Missing command.", "缺少命令。"),
    "click.missing.option": ("Missing option {name}.", "缺少选项 {name}。"),
    "click.missing.argument": ("Missing argument {name}.", "缺少参数 {name}。"),
    "click.missing.parameter": ("Missing parameter {name}.", "缺少参数 {name}。"),
    "click.choose_from": ("Choose from: {choices}.", "可选值：{choices}。"),
    "click.invalid_value": ("Invalid value for {name}: {detail}", "{name} 的取值无效：{detail}"),
    "click.not_one_of": ("{value} is not one of {choices}.", "{value} 不是可选值之一（{choices}）。"),
    "click.not_integer": ("not a whole number.", "不是整数。"),
    "click.not_number": ("not a number.", "不是数字。"),
    "click.bound": ("must be {relation} {bound}.", "应 {relation} {bound}。"),
    "click.requires_value": ("Option '{name}' requires a value.", "选项“{name}”需要一个取值。"),
    "click.takes_no_value": ("Option '{name}' does not take a value.", "选项“{name}”不接受取值。"),
    "click.extra_arguments": ("Got unexpected extra argument(s) ({args})", "多余的参数（{args}）"),
    # cli/console.py: a console whose encoding cannot show Chinese (shown in English there)
    "console.no_chinese": ("this console's encoding ({encoding}) cannot show Chinese, so it is shown as '?'. "
                           "Switch the console to UTF-8 (Windows: `chcp 65001`) or set PYTHONIOENCODING=utf-8.",
                           "此终端的编码（{encoding}）无法显示中文，中文显示为“?”。请把终端切换为 UTF-8"
                           "（Windows：`chcp 65001`），或设置 PYTHONIOENCODING=utf-8。"),
}
