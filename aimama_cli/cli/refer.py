"""``aimama refer CHILD --to …``: a child referred to a professional team (a case is opened)."""

from __future__ import annotations

import typer

from aimama_cli.cli.options import COMMON, Secrets, parse_as_of, report_saved, root_of
from aimama_cli.core.i18n import t
from aimama_cli.domain import cases, session


def register(app: typer.Typer) -> None:
    @app.command("refer", help=t("refer.help"))
    def refer(ctx: typer.Context,
              child: str = typer.Argument(..., metavar="CHILD", help=t("refer.arg.child")),
              to: str = typer.Option(..., "--to", metavar="mental_health|legal_aid|family_education",
                                     help=t("refer.opt.to")),
              risk: str = typer.Option(None, "--risk", metavar="low|medium|high", help=t("refer.opt.risk")),
              team: str = typer.Option(None, "--team", metavar="TEAM", help=t("refer.opt.team")),
              from_log: str = typer.Option(None, "--from-log", metavar="VOLUNTEER:DATE", help=t("refer.opt.from_log")),
              applicant: str = typer.Option(None, "--applicant", metavar="child|guardian", help=t("refer.opt.applicant")),
              source: str = typer.Option(None, "--source", metavar="KIND", help=t("refer.opt.source")),
              summary: str = typer.Option(None, "--summary", metavar="TEXT", help=t("refer.opt.summary")),
              by: str = typer.Option(None, "--by", metavar="VOLUNTEER", help=t("case.opt.by")),
              on: str = COMMON["date"](), as_of: str = COMMON["as_of"](),
              no_commit: bool = COMMON["no_commit"](), dry_run: bool = COMMON["dry_run"]()):
        today = parse_as_of(as_of)
        day = parse_as_of(on) if on else today
        change = session.change(root_of(ctx), "refer", as_of=today)
        summary = Secrets("case").value(("summary",), summary, "--summary")
        rid = cases.refer(change, cases.Referral(child, to, day, risk, team, from_log, applicant, source,
                                                 summary, by))
        saved = change.save(f"{rid} {child}", commit=not no_commit, dry_run=dry_run)
        report_saved(saved, "refer.done", dry_run, id=rid)
