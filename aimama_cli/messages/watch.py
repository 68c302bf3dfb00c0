"""``aimama watch``: the watcher of a repository's files (store/watcher.py, store/watching.py)."""

MESSAGES: dict[str, tuple[str, str]] = {
    # --- aimama watch (cli/watch.py) ---------------------------------------------------------------
    "watch.help": ("Keep a watcher running that notes which files change (Linux), so that commands ask it instead "
                   "of having git look at every file: at a province's 490,000 files each command is about 0.6 s "
                   "faster; a county's hardly notices. After a restart of the computer the next command starts it "
                   "again; whenever it cannot tell what changed, commands look at every file, as without it.\n\n"
                   "Example: aimama watch start",
                   "启动一个监视进程，记录哪些文件有改动（仅限 `Linux`），命令向它询问，而不必由 git 逐个查看所有文件：全省 49 万"
                   "个文件时每条命令约快 0.6 秒；一个县的数据量几乎感觉不到差别。电脑重启后，下一条命令会自动重新启动它；"
                   "它无法确定改动时，命令仍会逐个查看所有文件，与不使用时相同。\n\n示例：aimama watch start"),
    "watch.start.help": ("Start the watcher; commands ask it from now on.\n\nExample: aimama watch start",
                         "启动监视进程，此后命令向它询问改动。\n\n示例：aimama watch start"),
    "watch.stop.help": ("Stop the watcher; commands have git look at every file again.\n\nExample: aimama watch stop",
                        "停止监视进程；命令重新由 git 逐个查看所有文件。\n\n示例：aimama watch stop"),
    "watch.status.help": ("Whether the repository is watched, and whether the watcher runs.\n\n"
                          "Example: aimama watch status",
                          "显示本仓库是否启用监视，以及监视进程是否在运行。\n\n示例：aimama watch status"),
    "watch.on": ("watched: commands ask the watcher (process {pid}, {folders} folder(s) watched)",
                 "已监视：命令向监视进程询问改动（进程 {pid}，监视 {folders} 个文件夹）"),
    "watch.on_not_running": ("watched, but the watcher is not running: the next command starts it",
                             "已启用监视，但监视进程未在运行：下一条命令会启动它"),
    "watch.on_failed": ("watched, but the watcher failed ({detail}); commands have git look at every file and try "
                        "again ten minutes later; `aimama watch start` tries at once",
                        "已启用监视，但监视进程出错（{detail}）；命令改由 git 逐个查看所有文件，十分钟后再试；"
                        "`aimama watch start` 立即重试"),
    "watch.failed": ("the watcher could not watch the repository: {detail}; nothing was changed (on Linux the "
                     "number of watches is limited by /proc/sys/fs/inotify/max_user_watches)",
                     "监视进程无法监视本仓库：{detail}；未做任何更改（Linux 上可监视的文件夹数受 "
                     "`/proc/sys/fs/inotify/max_user_watches` 限制）"),
    "watch.off": ("not watched: git looks at every file", "未监视：由 git 逐个查看所有文件"),
    "watch.unsupported": ("the watcher needs Linux (inotify), not {platform}", "监视进程需要 `Linux`（`inotify`），不支持 {platform}"),
    "watch.remote": ("the repository is on a network file system ({fs}): changes made on another computer would "
                     "go unnoticed, so it is not watched",
                     "仓库位于网络文件系统（{fs}）上：其他电脑上的改动无法被察觉，因此不启用监视"),
    "watch.not_started": ("the watcher did not answer within {seconds} s; nothing was changed",
                          "监视进程在 {seconds} 秒内没有响应；未做任何更改"),
}
