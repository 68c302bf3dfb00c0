"""``aimama coordinator add|list|edit|retire``: the people of records/coordinators.yaml, with
.github/CODEOWNERS kept in step in the same commit."""

from __future__ import annotations

import typer

from aimama_cli.cli.options import COMMON, ListFormat, option, parse_as_of, report_saved, root_of
from aimama_cli.core.i18n import language, t
from aimama_cli.core.text import json_text
from aimama_cli.domain import coordinators
from aimama_cli.store import schemas

COLUMNS = ("id", "name", "email", "roles", "regions", "signing_keys", "retired")


def register(app: typer.Typer) -> None:
    sub = typer.Typer(help=f'{t("coordinator.help")}\n\n{t("coordinator.example")}', no_args_is_help=True,
                      rich_markup_mode=None)

    @sub.command("add", help=t("coordinator.add.help"))
    def add(ctx: typer.Context,
            name: str = option("--name", "coordinator.opt.name", "NAME", ...),
            email: str = option("--email", "coordinator.opt.email", "EMAIL", ...),
            roles: list[str] = option("--role", "coordinator.opt.role", "ROLE", ...),
            regions: list[str] = option("--region", "coordinator.opt.region", "CODE", ...),
            signing_keys: list[str] = option("--signing-key", "coordinator.opt.signing_key", "SSH_PUBKEY"),
            no_commit: bool = COMMON["no_commit"](), dry_run: bool = COMMON["dry_run"]()):
        rid, saved = coordinators.add(root_of(ctx), name=name, email=email, roles=roles, regions=regions,
                                      signing_keys=signing_keys or (), commit=not no_commit, dry_run=dry_run)
        report_saved(saved, "coordinator.added", dry_run, id=rid, name=name.strip())

    @sub.command("list", help=t("coordinator.list.help"))
    def list_command(ctx: typer.Context,
                     every: bool = typer.Option(False, "--all", help=t("coordinator.opt.all")),
                     fmt: ListFormat = typer.Option(ListFormat.table, "--format", "-f", help=t("opt.format"))):
        rows = coordinators.listing(root_of(ctx), every=every)
        if fmt == ListFormat.json:
            typer.echo(json_text(rows))
            return
        from aimama_cli.reports import sheets

        people = fmt == ListFormat.table
        table = [[r["id"], r["name"], r["email"], _roles(r["roles"], people), ", ".join(r["regions"]),
                  r["signing_keys"], (r["retired"] or {}).get("on", "")] for r in rows]
        sheet = sheets.Sheet("coordinators", t("coordinator.list.title", count=len(rows)), list(COLUMNS),
                             [t(f"coordinator.col.{c}") for c in COLUMNS], table)
        typer.echo(sheets.text([sheet]) if people else sheets.csv_text([sheet], people=False))

    @sub.command("edit", help=t("coordinator.edit.help"))
    def edit(ctx: typer.Context,
             rid: str = typer.Argument(..., metavar="ID", help=t("coordinator.arg.id")),
             sets: list[str] = option("--set", "coordinator.opt.set", "FIELD=VALUE"),
             unsets: list[str] = option("--unset", "coordinator.opt.unset", "FIELD"),
             no_commit: bool = COMMON["no_commit"](), dry_run: bool = COMMON["dry_run"]()):
        if not sets and not unsets:
            raise typer.BadParameter(t("coordinator.edit.nothing"), param_hint="--set")
        saved = coordinators.edit(root_of(ctx), rid, list(sets or ()), list(unsets or ()),
                                  commit=not no_commit, dry_run=dry_run)
        report_saved(saved, "coordinator.edited", dry_run, id=rid)

    @sub.command("retire", help=t("coordinator.retire.help"))
    def retire(ctx: typer.Context,
               rid: str = typer.Argument(..., metavar="ID", help=t("coordinator.arg.id")),
               on: str = option("--on", "coordinator.opt.on", "DATE", ...),
               reason: str = option("--reason", "coordinator.opt.reason"),
               no_commit: bool = COMMON["no_commit"](), dry_run: bool = COMMON["dry_run"]()):
        saved = coordinators.retire(root_of(ctx), rid, parse_as_of(on), reason, commit=not no_commit,
                                    dry_run=dry_run)
        report_saved(saved, "coordinator.retired", dry_run, id=rid, on=parse_as_of(on).isoformat())
        if coordinators.holds_data_key(root_of(ctx), rid):
            typer.echo(t("coordinator.retired.keys", id=rid), err=True)

    app.add_typer(sub, name="coordinator")


def _roles(roles: list[str], people: bool) -> str:
    if not people:
        return ",".join(roles)
    return "、".join(schemas.label("coordinators", ("coordinators", "*", "roles", "*"), r, language())
                    for r in roles) if language() == "zh" else ", ".join(roles)
