"""``aimama pair create|end|suggest|plan``."""

from __future__ import annotations

import json
from enum import Enum

import typer

from aimama_cli.cli.naming import region_option
from aimama_cli.cli.options import COMMON, Secrets, ShowFormat, parse_as_of, report_saved, root_of
from aimama_cli.core.i18n import t
from aimama_cli.core.text import for_terminal
from aimama_cli.domain import pairing, people, planning, session
from aimama_cli.reports.views import shown


class Role(str, Enum):
    local = "local"
    remote = "remote"
    professional = "professional"


def register(app: typer.Typer) -> None:
    sub = typer.Typer(help=f'{t("pair.help")}\n\n{t("pair.example")}', no_args_is_help=True, rich_markup_mode=None)

    @sub.command("create", help=t("pair.create.help"))
    def create(ctx: typer.Context,
               child: str = typer.Argument(..., metavar="CHILD", help=t("pair.arg.child")),
               volunteer: str = typer.Argument(..., metavar="VOLUNTEER", help=t("pair.arg.volunteer")),
               role: str = typer.Option(None, "--role", help=t("pair.opt.role")),
               on: str = typer.Option(None, "--on", metavar="DATE", help=t("opt.on")),
               plan: str = typer.Option(None, "--plan", metavar="TEXT", help=t("pair.opt.plan")),
               no_commit: bool = COMMON["no_commit"](), dry_run: bool = COMMON["dry_run"]()):
        day = parse_as_of(on)
        change = session.change(root_of(ctx), "pair create", as_of=day)
        pid = pairing.create(change, child, volunteer, role=role, on=day, plan=plan)
        saved = change.save(f"{pid} {child} {volunteer}", commit=not no_commit, dry_run=dry_run)
        report_saved(saved, "pair.created", dry_run, id=pid)

    @sub.command("end", help=t("pair.end.help"))
    def end(ctx: typer.Context,
            pid: str = typer.Argument(..., metavar="PAIRING", help=t("pair.arg.pairing")),
            reason: str = typer.Option(..., "--reason", help=t("pair.opt.reason")),
            on: str = typer.Option(None, "--on", metavar="DATE", help=t("opt.on")),
            no_commit: bool = COMMON["no_commit"](), force: bool = COMMON["force"]()):
        _end(ctx, "pairing", pid, reason, on, no_commit, force)

    @sub.command("suggest", help=t("pair.suggest.help"))
    def suggest(ctx: typer.Context,
                child: str = typer.Argument(..., metavar="CHILD", help=t("pair.suggest.arg.child")),
                top: int = typer.Option(5, "--top", min=1, help=t("pair.opt.top")),
                fmt: ShowFormat = typer.Option(ShowFormat.text, "--format", "-f", help=t("opt.format")),
                as_of: str = typer.Option(None, "--as-of", metavar="DATE", help=t("opt.as_of"))):
        day = parse_as_of(as_of)
        records = session.records(root_of(ctx), as_of=day)
        fields, ranked = pairing.suggest(records.index, child, day, top)
        blocked = pairing.child_can_be_paired(fields)
        if fmt == ShowFormat.json:
            typer.echo(json.dumps({"child": child, "blocked": [t(k) for k in blocked],
                                   "candidates": [{**c.__dict__, "score": round(c.score, 2),
                                                   "parts": {k: round(v, 2) for k, v in c.parts.items()}}
                                                  for c in ranked]},
                                  ensure_ascii=False, indent=2))
            return
        for key in blocked:
            typer.echo(t("pair.blocked", reason=t(key)))
        typer.echo(for_terminal(_candidates_table(ranked, people.display_names(records.index))))  # villages by name

    @sub.command("plan", help=t("pair.plan.help"))
    def plan(ctx: typer.Context,
             region: str = region_option(""),
             dry_run: bool = typer.Option(False, "--dry-run", help=t("pair.opt.plan_dry_run")),
             branch: str = typer.Option(None, "--branch", metavar="NAME", help=t("pair.opt.branch")),
             fmt: ShowFormat = typer.Option(ShowFormat.text, "--format", "-f", help=t("opt.format")),
             on: str = typer.Option(None, "--on", metavar="DATE", help=t("opt.on"))):
        day = parse_as_of(on)
        root = root_of(ctx)
        _import_ahead("scipy.optimize")  # 0.4 s of imports, meanwhile the index is brought up to date
        change = session.change(root, "pair plan", as_of=day)
        proposal = planning.make_plan(change.index, region, day)
        typer.echo(planning.as_json(proposal) if fmt == ShowFormat.json else _plan_text(proposal))
        if dry_run or not proposal.proposals:
            return
        name, saved = planning.commit_plan(change, proposal, day, branch)
        typer.echo(t("pair.plan.branch", branch=name, commit=saved.commit[:10],
                     count=len(proposal.proposals)), err=fmt == ShowFormat.json)

    sub.add_typer(_team_app(), name="team")
    app.add_typer(sub, name="pair")


def _team_app() -> typer.Typer:
    """``aimama pair team create|end|list``: teams and people supporting a village team."""
    team_app = typer.Typer(help=f'{t("pair.team.help")}\n\n{t("pair.team.example")}', no_args_is_help=True,
                           rich_markup_mode=None)

    @team_app.command("create", help=t("pair.team.create.help"))
    def create(ctx: typer.Context,
               team: str = typer.Argument(..., metavar="TEAM", help=t("pair.team.arg.team")),
               by_team: str = typer.Option(None, "--by-team", metavar="TEAM", help=t("pair.team.opt.by_team")),
               by_volunteer: str = typer.Option(None, "--by-volunteer", metavar="VOLUNTEER",
                                                help=t("pair.team.opt.by_volunteer")),
               by_person: str = typer.Option(None, "--by-person", metavar="NAME", help=t("pair.team.opt.by_person")),
               unit: str = typer.Option(None, "--unit", help=t("pair.team.opt.unit")),
               phone: str = typer.Option(None, "--phone", help=t("pair.team.opt.phone")),
               plan: str = typer.Option(None, "--plan", metavar="TEXT", help=t("pair.opt.plan")),
               on: str = typer.Option(None, "--on", metavar="DATE", help=t("opt.on")),
               no_commit: bool = COMMON["no_commit"]()):
        day = parse_as_of(on)
        change = session.change(root_of(ctx), "pair team create", as_of=day)
        phone = Secrets("team_pairing").value(("by_person", "phone"), phone, "--phone")
        person = {"name": by_person, "unit": unit, "phone": phone} if by_person else None
        gid = pairing.create_team_pairing(change, team, by_team=by_team, by_volunteer=by_volunteer,
                                          by_person=person, on=day, plan=plan)
        saved = change.save(f"{gid} {team}", commit=not no_commit)
        report_saved(saved, "pair.created", id=gid)

    @team_app.command("end", help=t("pair.team.end.help"))
    def end(ctx: typer.Context,
            gid: str = typer.Argument(..., metavar="ID", help=t("pair.team.arg.id")),
            reason: str = typer.Option(..., "--reason", help=t("pair.opt.reason")),
            on: str = typer.Option(None, "--on", metavar="DATE", help=t("opt.on")),
            no_commit: bool = COMMON["no_commit"](), force: bool = COMMON["force"]()):
        _end(ctx, "team_pairing", gid, reason, on, no_commit, force)

    @team_app.command("list", help=t("pair.team.list.help"))
    def list_command(ctx: typer.Context,
                     team: str = typer.Option(None, "--team", metavar="TEAM", help=t("list.opt.team")),
                     fmt: ShowFormat = typer.Option(ShowFormat.text, "--format", "-f", help=t("opt.format")),
                     as_of: str = typer.Option(None, "--as-of", metavar="DATE", help=t("opt.as_of"))):
        records = session.records(root_of(ctx))
        rows = pairing.team_pairings(records.index, parse_as_of(as_of), team)
        if fmt == ShowFormat.json:
            typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        names = people.display_names(records.index, [r.get("by_volunteer") for r in rows if r.get("by_volunteer")])
        from tabulate import tabulate

        table = [[r["id"], names.get(r.get("team"), r.get("team")),
                  names.get(r.get("by_team") or r.get("by_volunteer"), r.get("by_team") or r.get("by_volunteer"))
                  or r.get("by_person.name", ""), r.get("started_on", ""),
                  t("show.active") if r["active"] else t("show.ended", on=r.get("ended_on"))] for r in rows]
        headers = [t(f"pair.team.col.{h}") for h in ("id", "team", "by", "started", "state")]
        typer.echo(for_terminal(tabulate(table, headers=headers, tablefmt="simple", disable_numparse=True)))

    return team_app


def _end(ctx, kind: str, pid: str, reason: str, on: str | None, no_commit: bool, force: bool) -> None:
    """``pair end`` and ``pair team end``: the record stays, with the day and the reason."""
    day = parse_as_of(on)
    command = "pair end" if kind == "pairing" else "pair team end"
    change = session.change(root_of(ctx), command, as_of=day)
    pairing.end(change, pid, reason, day, kind=kind)
    saved = change.save(f"{pid} {reason}", commit=not no_commit, force=force)
    report_saved(saved, "pair.ended", id=pid)


def _import_ahead(module: str) -> None:
    import importlib
    import threading

    threading.Thread(target=importlib.import_module, args=(module,), daemon=True).start()


def _candidates_table(ranked, names) -> str:
    from tabulate import tabulate

    rows = [[i, c.volunteer, c.name, shown("volunteer", ("kind",), c.kind, {}),
             names.get(c.village, c.village), f"{c.load}/{c.capacity}", f"{c.score:.1f}",
             " ".join(f"{t('pair.part.' + k)}+{v:.3g}" for k, v in c.parts.items() if v)]
            for i, c in enumerate(ranked, 1)]
    headers = [t(f"pair.col.{h}") for h in ("rank", "id", "name", "kind", "village", "load", "score", "why")]
    return tabulate(rows, headers=headers, tablefmt="simple", disable_numparse=True)


def _plan_text(proposal: planning.Plan) -> str:
    from tabulate import tabulate

    rows = [["★" if p.priority else "", p.child, p.child_name, p.volunteer, p.volunteer_name,
             shown("pairing", ("role",), p.role, {}), t(f"pair.tier.{p.tier}"), f"{p.score:.1f}"]
            for p in proposal.proposals]
    headers = [t(f"pair.plan.col.{h}") for h in ("priority", "child", "name", "volunteer",
                                                 "volunteer_name", "role", "tier", "score")]
    lines = [tabulate(rows, headers=headers, tablefmt="simple", disable_numparse=True), ""]
    summary = proposal.summary()
    lines.append(t("pair.plan.totals", **summary))
    for tier_name, count in sorted(summary["by_tier"].items()):
        lines.append(f"  {t('pair.tier.' + tier_name)}: {count} "
                     f"({100 * count / max(summary['paired'], 1):.0f}%)")
    for child, name, reason in proposal.unpaired:
        lines.append(f"  {t('pair.plan.left')} {child} {name}: {t(reason)}")
    return "\n".join(lines)
