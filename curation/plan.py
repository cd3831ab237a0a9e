"""What applying a batch would do, computed without touching a file: the new incidents and
sources, the log rows, and a report. Pure, so it is tested on plain values and the
command only writes what this returns."""

from __future__ import annotations

from dataclasses import dataclass, field

from store.codebook import shipped_codebook
from store.csvtext import cell_text

from .log import entry

INCIDENT_FIELDS = [c for c in shipped_codebook().names("incidents.csv") if c not in ("incident_id", "reviewed")]
SOURCE_FIELDS = ("url", "outlet", "title", "published", "language", "source_kind")
KEPT = ("accept", "edit")


class BatchError(ValueError):
    """The batch file is not what apply expects; the message names the article and row."""


@dataclass
class Plan:
    incidents: list[dict]
    sources: list[dict]
    log: list[dict] = field(default_factory=list)
    report: list[str] = field(default_factory=list)


def _fields(spec: dict) -> dict:
    row = {name: cell_text(spec.get(name)) for name in INCIDENT_FIELDS}
    return {**row, "reviewed": "true"}


def _next_number(incidents: list[dict], log: list[dict], retired: list[str]) -> int:
    """Ids are never reused: the next is above every id on file, logged or retired now."""
    ids = [r["incident_id"] for r in incidents] + [r.get("incident_id", "") for r in log] + list(retired)
    return max((int(i[3:]) for i in ids if i.startswith("RM-") and i[3:].isdigit()), default=0) + 1


def plan_apply(batch: dict, data, log: list[dict], today: str) -> Plan:
    """The dataset after the batch: retired incidents removed, events created or merged into
    the incidents they name, one source per article and incident, and a log row for every
    proposal and every row the curator added. An article the batch decides is authoritative
    for its own source rows: links to incidents its rows no longer name are dropped, and
    its metadata (source_kind included) replaces what was on file."""
    if not isinstance(batch, dict) or not isinstance(batch.get("articles"), list):
        raise BatchError("the batch file must be a JSON object with a list of articles")
    retired = [str(i) for i in batch.get("retire", [])]
    incidents = [r for r in data.incidents + data.bad_incidents if r["incident_id"] not in retired]
    sources = [s for s in data.sources if s["incident_id"] not in retired]
    plan = Plan(incidents, sources)
    plan.log += [entry(today, "", None, "retire", None, iid) for iid in retired]
    events = _events(batch.get("incidents", []), plan, _next_number(data.incidents, log, retired), today)
    decided = {r["article_url"] for r in log}
    for number, article in enumerate(batch["articles"], start=1):
        url = article.get("url") or ""
        if not url.startswith(("http://", "https://")):
            raise BatchError(f"article {number} ({article.get('article', '?')}): needs an http(s) url")
        if url in decided:
            plan.report.append(f"skipped {url}: already decided")
            continue
        _apply_article(article, events, plan, today)
    cited = {s["incident_id"] for s in plan.sources}
    for key, (iid, on_file) in list(events.items()):
        if not on_file and iid not in cited:
            plan.incidents = [r for r in plan.incidents if r["incident_id"] != iid]
            del events[key]
            plan.report.append(f"event {key}: no article of this batch still to apply cites it; not created")
    updated = sum(1 for _, on_file in events.values() if on_file)
    plan.report.append(f"{len(events) - updated} incidents new, {updated} updated, {len(retired)} retired, "
                       f"{len(plan.sources) - len(sources)} sources added, {len(plan.log)} decisions logged")
    return plan


def _events(specs: list[dict], plan: Plan, number: int, today: str) -> dict[str, tuple[str, bool]]:
    """event key -> (incident id, whether it was already on file); new events get new ids,
    events naming an existing incident update its fields, and a change is logged as a
    `correct` decision (the row before as its proposal, the article it rests on, if named
    by `basis`), so a correction is as traceable as an acceptance."""
    by_id = {r["incident_id"]: i for i, r in enumerate(plan.incidents)}
    events: dict[str, tuple[str, bool]] = {}
    for spec in specs:
        key = str(spec.get("event", ""))
        if not key or key in events:
            raise BatchError(f"incident {key!r}: every incident needs its own event key")
        iid = spec.get("incident_id") or ""
        if iid:
            if iid not in by_id:
                raise BatchError(f"incident {key}: {iid} is not an incident on file")
            basis = str(spec.get("basis") or "")
            if basis and not basis.startswith(("http://", "https://")):
                raise BatchError(f"incident {key}: basis must be an http(s) url")
            before, after = plan.incidents[by_id[iid]], {"incident_id": iid, **_fields(spec)}
            if after != before:
                plan.log.append(entry(today, basis, before, "correct", after, iid, True))
            plan.incidents[by_id[iid]] = after
            events[key] = (iid, True)
        else:
            iid = f"RM-{number:04d}"
            number += 1
            plan.incidents.append({"incident_id": iid, **_fields(spec)})
            events[key] = (iid, False)
    return events


def _apply_article(article: dict, events: dict, plan: Plan, today: str) -> None:
    url = article["url"]
    rows = {r.get("id"): r for r in article.get("rows", [])}
    cited = set()
    for proposal in article.get("proposals", []):
        decision, ref = proposal.get("decision"), proposal.get("row")
        if decision not in ("accept", "edit", "reject"):
            raise BatchError(f"{url}: proposal {proposal.get('index')}: decision must be accept, edit or reject")
        if decision in KEPT and ref not in rows:
            raise BatchError(f"{url}: proposal {proposal.get('index')}: row {ref!r} is not among the article's rows")
        iid = _incident_of(rows[ref], events, url) if decision in KEPT else ""
        final = _final(plan, iid) if iid else None
        plan.log.append(entry(today, url, proposal.get("proposed"), decision, final, iid, _has_source(plan, iid)))
        cited.add(ref if decision in KEPT else None)
    targets = {_incident_of(row, events, url) for row in rows.values()}
    plan.sources = [s for s in plan.sources if s["url"] != url or s["incident_id"] in targets]
    added: dict[str, dict] = {}
    for ref, row in rows.items():
        iid = _incident_of(row, events, url)
        if ref not in cited:
            merged = iid in added or _has_source(plan, iid)
            plan.log.append(entry(today, url, None, "add", _final(plan, iid), iid, merged))
        added[iid] = {"incident_id": iid, **{k: cell_text(article.get(k)) for k in SOURCE_FIELDS}}
    plan.sources = [s for s in plan.sources if not (s["url"] == url and s["incident_id"] in added)]
    plan.sources += added.values()
    if not rows and not article.get("proposals"):
        plan.log.append(entry(today, url, None, "none", None))


def _incident_of(row: dict, events: dict, url: str) -> str:
    key = str(row.get("event", ""))
    if key not in events:
        raise BatchError(f"{url}: row {row.get('id')}: event {key!r} is not among the batch's incidents")
    return events[key][0]


def _has_source(plan: Plan, iid: str) -> bool:
    """Whether the incident already had a report: the row is then merged into it."""
    return bool(iid) and any(s["incident_id"] == iid for s in plan.sources)


def _final(plan: Plan, iid: str) -> dict:
    return next(r for r in plan.incidents if r["incident_id"] == iid)
