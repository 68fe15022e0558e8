"""Generate the demo register: fictional enterprises with a plausible history under the 2021 plan.

The site needs a register of real size and shape before the bureaus' own lists are entered. Every name, code and
product here is invented, and the descriptor keeps `"demo": true` so the site says so. The history follows
津工信中小企服〔2021〕1号 as the package records it: terms come from tiers.csv and the ban after a revocation from
policies.csv, so the rows obey the rules the validator checks.

One seed, size and as-of date give byte-identical files: every choice comes from a `random.Random` seeded with
the seed and a stream name, nothing iterates over a set, and nothing reads the clock.
"""

from __future__ import annotations

import hashlib
import json
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path


from . import load
from .dates import add_years
from .demo_column import column_tables
from .demo_firms import Firm, firm_row, make_firms
from .errors import DemoError
from .package import DEFAULT_PACKAGE, DESCRIPTOR_NAME, POLICIES_DIR, Package
from .transaction import recover

MIN_ENTERPRISES, MAX_ENTERPRISES = 10, 100_000
# The last four are the column's tables (demo_column.py).
GENERATED = ("enterprises", "announcements", "certifications", "products",
             "services", "events", "event_participants", "district_liaisons")
TIER_IDS = ("seed", "sme", "little_giant", "champion")
# Written beside the package: every file demo-data wrote and its SHA-256, so that a later run may replace them (and
# refuses to, once any of them was changed by hand).
MANIFEST = ".zjtx-demo.json"

# Shape of the history ------------------------------------------------------------------------------------------
# Batch sizes are for the committed package of 4,500 enterprises (about 3,000 seed, 1,000 sme, 150 little giants
# and 36 champions in the library at the end of 2026); every size scales with the number of enterprises asked for.
# A year after the last one listed repeats the last one.

FIRST_YEAR = 2021  # the plan's first batches
BASE_ENTERPRISES = 4500
SEED_BATCHES = {2021: 900, 2022: 700, 2023: 600, 2024: 520, 2025: 480, 2026: 430}
SME_BATCHES = {2021: (220,), 2022: (130, 110), 2023: (200,), 2024: (160, 120), 2025: (200,), 2026: (180,)}
LITTLE_GIANT_BATCHES = {2021: 30, 2022: 35, 2023: 30, 2024: 28, 2025: 30, 2026: 32}
CHAMPION_BATCHES = {2021: 6}
# Share of a batch promoted from the rung below; the rest are enterprises new to the register. The seed library
# was only being built in 2021, so that year's sme batch came mostly from outside it. Every little giant comes from
# the sme library, as the 2021 plan prefers (validate warns of one without an earlier sme certification), and so
# every champion has an earlier sme certification too.
SME_FROM_SEED = {2021: 0.2, 2022: 0.4}
LITTLE_GIANT_FROM_SME = 1.0
CHAMPION_FROM_LITTLE_GIANT = 0.85  # the rest from sme holders; champions are always manufacturers
RENEWAL_RATE = {"sme": 0.55, "little_giant": 0.7}
REMOVAL_RATE = {"seed": 0.062, "sme": 0.015}  # share of the library moved out by one removal notice
SME_REMOVAL_EVERY = 2  # years; from 2023
REVOCATIONS = 3  # rows of one revocation notice
REVOCATION_TIERS = ("sme", "seed", "little_giant")  # one notice a year from 2022, in turn

# (month, first day, last day). Designations with a term fall in May-August, so their expiry (and review) falls
# there too and a package generated late in a year stays valid for months.
SEED_WINDOW = (5, 10, 28)
SME_WINDOWS = {1: ((6, 10, 28),), 2: ((5, 15, 28), (8, 5, 25))}
LITTLE_GIANT_WINDOW = (7, 10, 28)
CHAMPION_WINDOW = (9, 1, 20)
SEED_REMOVAL_WINDOW = (4, 10, 28)
SME_REMOVAL_WINDOW = (9, 21, 30)
REVOCATION_WINDOW = (10, 12, 30)
REVIEW_DELAY_DAYS = (7, 21)  # a review follows the expiry it renews
PUBLICITY_LEAD_DAYS = (14, 21)  # a 公示 precedes the designation

LITTLE_GIANT_BATCH_OFFSET = 2018  # 2021 brought the third national batch
CHAMPION_BATCH_OFFSET = 2015  # 2021 brought the sixth
ISSUERS = {"municipal": "天津市工业和信息化局", "national": "工业和信息化部"}
DOC_PREFIXES = {"municipal": "津工信中小企服", "national": "工信厅企业函"}

# Records under construction ------------------------------------------------------------------------------------

@dataclass
class _Certification:
    uscc: str
    tier_id: str
    announcement_id: str
    recommended_by: str
    certified_on: date
    valid_until: date | None
    status: str = "active"
    status_on: date | None = None
    status_reason: str = ""
    status_announcement_id: str = ""

    def end(self, status: str, day: date, reason: str, notice: str = "") -> None:
        self.status, self.status_on, self.status_reason, self.status_announcement_id = status, day, reason, notice

    def row(self) -> dict[str, str]:
        return {
            "uscc": self.uscc, "tier_id": self.tier_id, "announcement_id": self.announcement_id,
            "recommended_by": self.recommended_by, "certified_on": self.certified_on.isoformat(),
            "valid_until": _iso(self.valid_until), "status": self.status, "status_on": _iso(self.status_on),
            "status_reason": self.status_reason, "status_announcement_id": self.status_announcement_id,
        }


@dataclass
class _Event:
    """One announcement: when, what, and the certifications it designates or whose status it changes."""

    day: date
    tier_id: str
    kind: str
    size: float = 0.0  # base size: rows at BASE_ENTERPRISES
    ordinal: int = 0  # batch of the year (sme, 0 when alone) or national batch number
    origin: _Event | None = None  # the designation a publicity announces, or the batch a review renews
    round: int = 1  # 2 for the review of a review
    announcement_id: str = ""
    rows: list[_Certification] = field(default_factory=list)
    changed: list[_Certification] = field(default_factory=list)

    @property
    def year(self) -> int:
        return self.day.year


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


# Entry point ---------------------------------------------------------------------------------------------------


def generate(out_dir: Path, enterprises: int, seed: int = 2021, as_of: date | None = None,
             source: Path = DEFAULT_PACKAGE) -> dict[str, int]:
    """Write a complete demo package to out_dir; return the rows written per generated resource."""
    if not MIN_ENTERPRISES <= enterprises <= MAX_ENTERPRISES:
        raise DemoError(
            f"a demo register has {MIN_ENTERPRISES:,} to {MAX_ENTERPRISES:,} enterprises, not {enterprises:,}",
            f"示例名录的企业数须在 {MIN_ENTERPRISES:,} 到 {MAX_ENTERPRISES:,} 之间，不能是 {enterprises:,}",
        )
    as_of = as_of or date.today()
    out_dir, source = Path(out_dir), Package.read(source)
    descriptor = source.descriptor
    in_place = out_dir.resolve() == source.root.resolve()
    _check_out(out_dir, source, in_place)
    tiers = {tier.tier_id: tier for tier in load.records(source, "tiers")}
    missing = [tier_id for tier_id in TIER_IDS if tier_id not in tiers]
    if missing:
        raise DemoError(f"tiers.csv in {source} lacks the tiers {', '.join(missing)} that the demo history uses",
                        f"{source} 的 tiers.csv 缺少示例历史所用的层级：{'、'.join(missing)}")
    policies = load.records(source, "policies")
    districts = load.records(source, "districts")
    industries = {industry.industry_code: industry for industry in load.records(source, "industries")}

    events = _calendar(as_of, tiers, random.Random(f"{seed}:calendar"))
    entry_events = [event for event in events if _entry_weight(event) > 0]
    if not entry_events:
        first = min((event for event in _calendar(date(FIRST_YEAR, 12, 31), tiers, random.Random(f"{seed}:calendar"))
                     if _entry_weight(event) > 0), key=lambda event: event.day)
        raise DemoError(f"the first demo batch is published on {first.day}; choose an as-of date from then on",
                        f"第一批示例名单发布于 {first.day}，核对日期不能早于该日")
    weights = [_entry_weight(event) for event in entry_events]
    scale = enterprises / sum(weights)

    firms = make_firms(enterprises, districts, industries, random.Random(f"{seed}:enterprises"))
    order = list(firms)
    random.Random(f"{seed}:entry").shuffle(order)
    newcomers, start = {}, 0
    for event, count in zip(entry_events, _apportion(enterprises, weights)):
        newcomers[id(event)] = order[start:start + count]
        start += count

    history = _History(firms, tiers, policies, scale, random.Random(f"{seed}:history"))
    for event in events:
        history.play(event, newcomers.get(id(event), []))
    history.close(as_of)

    announcements = _announcements(events, tiers, firms, random.Random(f"{seed}:announcements"))
    tables = {
        "enterprises": [firm_row(firm) for firm in firms],
        "announcements": announcements,
        "certifications": [certification.row() for certification in history.rows],
        "products": [product for firm in firms for product in firm.products],
    }
    tables.update(column_tables(as_of, FIRST_YEAR, districts, firms, history.rows, random.Random(f"{seed}:column")))
    files = {} if in_place else _reference_files(source)
    out = Package(out_dir, json.loads(files[DESCRIPTOR_NAME]) if files else descriptor)
    for name, rows in tables.items():
        files[out.resources[name].path] = out.canonical(name, rows)
    manifest = {"written_by": "python build.py demo-data", "files": {path: _sha256(files[path]) for path in sorted(files)}}
    files[MANIFEST] = (json.dumps(manifest, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    out.write(files=files)
    return {name: len(rows) for name, rows in tables.items()}


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _files_in(folder: Path) -> list[str]:
    return sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*") if not path.is_dir())


def _reference_paths(package: Package) -> set[str]:
    """The files of a package that demo-data reads and never writes when it generates into its own source."""
    return {DESCRIPTOR_NAME} | {resource.path for name, resource in package.resources.items() if name not in GENERATED}


def _check_out(out_dir: Path, source: Package, in_place: bool) -> None:
    """Refuse an --out that holds anything but an earlier demo package, unchanged since demo-data wrote it.

    Proof that it is one: MANIFEST lists every file demo-data wrote with its SHA-256. Every file of the folder must
    be listed with the same checksum, or (generating into the source package itself) be a file demo-data does not
    write there: the descriptor, the reference tables, the policy texts. No byte is changed when it refuses."""
    if not out_dir.exists():
        return
    if not out_dir.is_dir():
        raise DemoError(f"{out_dir} is a file, not a folder: choose a new or empty folder for --out",
                        f"{out_dir} 是文件，不是文件夹：请为 --out 指定一个新的或空的文件夹")
    recover(out_dir)  # a demo-data killed while it wrote: its files all old or all new first
    present = _files_in(out_dir)
    if not present:
        return
    target = out_dir / DESCRIPTOR_NAME
    if target.is_file() and not Package.read(out_dir).is_demo:
        raise DemoError(
            f"{out_dir} holds a package not marked demo; generated data would overwrite it: choose another --out",
            f"{out_dir} 中的数据包不是示例数据，生成的虚构数据会覆盖它：请换一个输出目录",
        )
    try:
        listed = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))["files"]
        if not isinstance(listed, dict):
            raise TypeError(type(listed).__name__)
    except (OSError, ValueError, KeyError, TypeError):
        listed = {}
    kept = _reference_paths(source) if in_place else set()
    unknown = [path for path in present if path != MANIFEST and path not in listed and path not in kept
               and not (in_place and path.startswith("policies/"))]
    changed = [path for path in present if path in listed and path not in kept
               and _sha256((out_dir / path).read_bytes()) != listed[path]]
    if unknown or changed:
        named = "、".join([*changed, *unknown][:5]) + (" …" if len(changed) + len(unknown) > 5 else "")
        raise DemoError(
            f"{out_dir} is not empty and holds files demo-data did not write, or changed since it wrote them "
            f"({named}); generated data would overwrite them: choose a new or empty folder for --out (nothing was "
            "written)",
            f"{out_dir} 不是空文件夹，其中有不是 demo-data 写入的文件，或写入后被改过的文件（{named}），生成的示例数据会覆盖"
            "它们：请为 --out 指定一个新的或空的文件夹（未写入任何文件）",
        )


def _reference_files(source: Package) -> dict[str, bytes]:
    """The descriptor (marked demo), the reference tables and the policy texts of the source, as a new package's."""
    files = {}
    if source.is_demo:
        files[DESCRIPTOR_NAME] = (source.root / DESCRIPTOR_NAME).read_bytes()
    else:
        files[DESCRIPTOR_NAME] = (json.dumps({**source.descriptor, "demo": True}, ensure_ascii=False, indent=2)
                                  + "\n").encode("utf-8")
    for name in source.resources:
        if name not in GENERATED:
            files[source.resources[name].path] = source.path(name).read_bytes()
    policies = source.root / POLICIES_DIR
    if policies.is_dir():
        # A link is not followed: only the texts themselves are copied.
        files.update((path.relative_to(source.root).as_posix(), path.read_bytes())
                     for path in sorted(policies.rglob("*")) if path.is_file() and not path.is_symlink())
    return files


# Calendar ------------------------------------------------------------------------------------------------------


def _for_year(table: dict, year: int):
    return table.get(year, table[max(table)])


def _free_day(day: date, taken: set[date]) -> date:
    """The first working day from `day` on that no other announcement uses."""
    while day.weekday() >= 5 or day in taken:
        day += timedelta(days=1)
    taken.add(day)
    return day


def _calendar(as_of: date, tiers: dict, rng: random.Random) -> list[_Event]:
    """Every announcement published from the plan's first year up to as_of, in order."""
    taken: set[date] = set()
    events: list[_Event] = []

    def on(window, year) -> date:
        month, first, last = window
        return _free_day(date(year, month, rng.randint(first, last)), taken)

    for year in range(FIRST_YEAR, as_of.year + 1):
        if year > FIRST_YEAR:
            events.append(_Event(on(SEED_REMOVAL_WINDOW, year), "seed", "removal"))
        events.append(_Event(on(SEED_WINDOW, year), "seed", "designation", _for_year(SEED_BATCHES, year)))
        sizes = _for_year(SME_BATCHES, year)
        for number, (size, window) in enumerate(zip(sizes, SME_WINDOWS[len(sizes)]), start=1):
            designation = _Event(on(window, year), "sme", "designation", size, number if len(sizes) > 1 else 0)
            lead = timedelta(days=rng.randint(*PUBLICITY_LEAD_DAYS))
            events.append(_Event(_free_day(designation.day - lead, taken), "sme", "publicity",
                                 ordinal=designation.ordinal, origin=designation))
            events.append(designation)
        events.append(_Event(on(LITTLE_GIANT_WINDOW, year), "little_giant", "designation",
                             _for_year(LITTLE_GIANT_BATCHES, year), year - LITTLE_GIANT_BATCH_OFFSET))
        events.append(_Event(on(CHAMPION_WINDOW, year), "champion", "designation",
                             _for_year(CHAMPION_BATCHES, year), year - CHAMPION_BATCH_OFFSET))
        if year > FIRST_YEAR + 1 and (year - FIRST_YEAR) % SME_REMOVAL_EVERY == 0:
            events.append(_Event(on(SME_REMOVAL_WINDOW, year), "sme", "removal"))
        if year > FIRST_YEAR:
            tier_id = REVOCATION_TIERS[(year - FIRST_YEAR - 1) % len(REVOCATION_TIERS)]
            events.append(_Event(on(REVOCATION_WINDOW, year), tier_id, "revocation", REVOCATIONS))

    # A batch with a term is reviewed after it expires; the renewed rows are reviewed again three years on.
    renewable = sorted((e for e in events if e.kind == "designation" and tiers[e.tier_id].validity_years),
                       key=lambda e: e.day)
    for batch in renewable:
        expiry = add_years(batch.day, tiers[batch.tier_id].validity_years)
        day = _free_day(expiry + timedelta(days=rng.randint(*REVIEW_DELAY_DAYS)), taken)
        if day <= as_of:
            review = _Event(day, batch.tier_id, "review", origin=batch,
                            round=batch.round + 1 if batch.kind == "review" else 1)
            events.append(review)
            renewable.append(review)

    events = sorted((e for e in events if e.day <= as_of), key=lambda e: e.day)
    _name_announcements(events)
    return events


def _name_announcements(events: list[_Event]) -> None:
    """Slugs such as sme-2022-designation-1: tier, year of publication, kind, and a number where a year has more."""
    by_base: dict[str, list[_Event]] = {}
    for event in events:
        by_base.setdefault(f"{event.tier_id.replace('_', '-')}-{event.year}-{event.kind}", []).append(event)
    for base, same in by_base.items():
        for number, event in enumerate(same, start=1):
            event.announcement_id = base if len(same) == 1 else f"{base}-{number}"


def _entry_weight(event: _Event) -> float:
    """Base number of enterprises that enter the register with this batch (not promoted from a lower rung)."""
    if event.kind != "designation":
        return 0.0
    if event.tier_id == "seed":
        return event.size
    if event.tier_id == "sme":
        return event.size * (1 - _for_year(SME_FROM_SEED, event.year))
    if event.tier_id == "little_giant":
        return event.size * (1 - LITTLE_GIANT_FROM_SME)
    return 0.0


def _apportion(total: int, weights: list[float]) -> list[int]:
    """Split total in proportion to weights (largest remainder), so the parts add up exactly."""
    whole = sum(weights)
    quotas = [total * weight / whole for weight in weights]
    counts = [int(quota) for quota in quotas]
    by_remainder = sorted(range(len(quotas)), key=lambda i: (counts[i] - quotas[i], i))
    for i in by_remainder[:total - sum(counts)]:
        counts[i] += 1
    return counts


def _round(value: float, rng: random.Random) -> int:
    """Round up with the probability of the fraction, so small registers still get the occasional row."""
    whole = int(value)
    return whole + (rng.random() < value - whole)


# History -------------------------------------------------------------------------------------------------------


class _History:
    """Plays the calendar forward, keeping which certification is active in which tier."""

    def __init__(self, firms: list[Firm], tiers: dict, policies: list, scale: float, rng: random.Random):
        self.enterprises = {firm.uscc: firm for firm in firms}
        self.tiers = tiers
        self.policies = policies
        self.scale = scale
        self.rng = rng
        self.rows: list[_Certification] = []
        self.active: dict[str, dict[str, _Certification]] = {tier_id: {} for tier_id in tiers}
        self.banned_until: dict[str, date] = {}

    def play(self, event: _Event, newcomers: list[Firm]) -> None:
        if event.kind == "designation":
            self._designate(event, newcomers)
        elif event.kind == "review":
            self._review(event)
        elif event.kind == "removal":
            pool = self._holders(event.tier_id, event.day)
            count = _round(len(pool) * REMOVAL_RATE[event.tier_id], self.rng)
            for uscc in self.rng.sample(pool, count):
                self._end(event, uscc, "removed", "no_longer_qualified")
        elif event.kind == "revocation":
            pool = self._holders(event.tier_id, event.day)
            count = min(_round(event.size * self.scale, self.rng), len(pool))
            ban = self._ban_years(event.day)
            for uscc in self.rng.sample(pool, count):
                self._end(event, uscc, "revoked", "false_declaration")
                if ban is not None:
                    self.banned_until[uscc] = max(add_years(event.day, ban), self.banned_until.get(uscc, event.day))

    def close(self, as_of: date) -> None:
        """A term that ended before as_of and was not renewed is expired."""
        for certification in self.rows:
            if certification.status == "active" and certification.valid_until and certification.valid_until < as_of:
                certification.end("expired", certification.valid_until, "not_renewed")

    def _designate(self, event: _Event, newcomers: list[Firm]) -> None:
        chosen: list[str] = []
        for pool_tier, share, manufacturing_only in self._promotions(event):
            pool = self._holders(pool_tier, event.day, not_in=event.tier_id, manufacturing_only=manufacturing_only)
            if chosen:
                already = set(chosen)
                pool = [uscc for uscc in pool if uscc not in already]
            count = min(_round(event.size * share * self.scale, self.rng), len(pool))
            chosen += self.rng.sample(pool, count)
        chosen += [enterprise.uscc for enterprise in newcomers]
        for uscc in chosen:
            self._certify(event, uscc)

    def _promotions(self, event: _Event) -> list[tuple[str, float, bool]]:
        """(tier promoted from, share of the batch, manufacturers only) for each pool the batch draws on."""
        if event.tier_id == "sme":
            return [("seed", _for_year(SME_FROM_SEED, event.year), False)]
        if event.tier_id == "little_giant":
            return [("sme", LITTLE_GIANT_FROM_SME, False)]
        if event.tier_id == "champion":
            return [("little_giant", CHAMPION_FROM_LITTLE_GIANT, True), ("sme", 1 - CHAMPION_FROM_LITTLE_GIANT, True)]
        return []

    def _review(self, event: _Event) -> None:
        tier_id, day = event.tier_id, event.day
        due = [c for c in event.origin.rows if c.status == "active"]  # not removed or revoked since
        eligible = [c.uscc for c in due if not self._banned(c.uscc, day)]
        count = min(_round(len(due) * RENEWAL_RATE[tier_id], self.rng), len(eligible))
        renewed = set(self.rng.sample(eligible, count))
        for certification in due:
            if certification.uscc in renewed:
                certification.end("expired", certification.valid_until, "renewed")
                self._certify(event, certification.uscc)
            else:
                certification.end("expired", certification.valid_until, "not_renewed")
                del self.active[tier_id][certification.uscc]

    def _holders(self, tier_id: str, day: date, not_in: str = "", manufacturing_only: bool = False) -> list[str]:
        """Enterprises in the tier's library on `day` (certified before it, term not over) that may be chosen."""
        excluded = self.active[not_in] if not_in else {}
        return [
            uscc for uscc, c in self.active[tier_id].items()
            if c.certified_on < day and (c.valid_until is None or c.valid_until >= day)
            and uscc not in excluded and not self._banned(uscc, day)
            and (not manufacturing_only or self.enterprises[uscc].section == "C")
        ]

    def _certify(self, event: _Event, uscc: str) -> None:
        years = self.tiers[event.tier_id].validity_years
        certification = _Certification(
            uscc, event.tier_id, event.announcement_id, self.enterprises[uscc].recommended_by, event.day,
            add_years(event.day, years) if years else None,
        )
        self.rows.append(certification)
        event.rows.append(certification)
        self.active[event.tier_id][uscc] = certification

    def _end(self, event: _Event, uscc: str, status: str, reason: str) -> None:
        certification = self.active[event.tier_id].pop(uscc)
        certification.end(status, event.day, reason, event.announcement_id)
        event.changed.append(certification)

    def _banned(self, uscc: str, day: date) -> bool:
        until = self.banned_until.get(uscc)
        return until is not None and day <= until

    def _ban_years(self, day: date) -> int | None:
        """The ban of the latest policy that sets one and is in effect on `day` (as the validator judges it)."""
        in_effect = [p for p in self.policies if p.ban_years is not None and p.in_effect_from <= day]
        if not in_effect:
            return None
        return max(in_effect, key=lambda p: (p.in_effect_from, p.policy_id)).ban_years


# Announcements -------------------------------------------------------------------------------------------------


def _chinese_number(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


def _batch_label(event: _Event) -> str:
    """How a title names the batch: 2022年度第一批 for the city, 第四批 for the ministry."""
    if event.tier_id == "sme":
        return f"{event.year}年度" + (f"第{_chinese_number(event.ordinal)}批" if event.ordinal else "")
    if event.tier_id == "seed":
        return f"{event.year}年"
    return f"第{_chinese_number(event.ordinal)}批"


def _title(event: _Event, firms: dict[str, Firm]) -> str:
    kind, tier_id = event.kind, event.tier_id
    if kind == "review":
        origin = event.origin
        while origin.kind == "review":
            origin = origin.origin
        again = f"第{_chinese_number(event.round)}次" if event.round > 1 else ""
        what = "天津市专精特新中小企业" if tier_id == "sme" else "专精特新“小巨人”企业"
        return f"关于公布{_batch_label(origin)}{what}{again}复核通过名单的通知"
    if kind == "revocation":
        first = firms[event.changed[0].uscc].name
        who = f"{first}等{len(event.changed)}家企业" if len(event.changed) > 1 else first
        what = {"seed": "天津市“专精特新”种子企业入库资格", "sme": "天津市专精特新中小企业资格",
                "little_giant": "专精特新“小巨人”企业称号"}[tier_id]
        return f"关于撤销{who}{what}的通知"
    if kind == "removal":
        what = "天津市“专精特新”种子企业调整出库名单" if tier_id == "seed" else "部分天津市专精特新中小企业调整出库"
        return f"关于{event.year}年{what}的通知"
    if kind == "publicity":
        return f"关于{_batch_label(event)}天津市专精特新中小企业拟认定名单的公示"
    what = {"seed": "天津市“专精特新”种子企业", "sme": "天津市专精特新中小企业认定",
            "little_giant": "专精特新“小巨人”企业", "champion": "制造业单项冠军企业"}[tier_id]
    return f"关于公布{_batch_label(event)}{what}名单的通知"


def _source_url(level: str) -> str:
    # Demo announcements point at the issuer's real home page: an invented article address on a government
    # site would look authentic and lead nowhere.
    return "https://gyxxh.tj.gov.cn/" if level == "municipal" else "https://www.miit.gov.cn/"


def _announcements(events: list[_Event], tiers: dict, firms: list[Firm],
                   rng: random.Random) -> list[dict[str, str]]:
    """Rows of the announcements that have rows in the register (and the 公示 of those designations)."""
    by_uscc = {firm.uscc: firm for firm in firms}
    with_rows = {id(e) for e in events if e.rows or e.changed}
    kept = [e for e in events if id(e) in with_rows or (e.kind == "publicity" and id(e.origin) in with_rows)]
    doc_numbers: dict[tuple[str, int], int] = {}
    rows = []
    for event in kept:
        level = tiers[event.tier_id].level
        count = len(event.changed) if event.kind in ("removal", "revocation") else len(event.rows)
        doc_number = ""
        if event.kind != "publicity" and rng.random() < 0.8:
            key = (level, event.year)
            first = rng.randint(2, 9) if level == "municipal" else rng.randint(120, 200)
            doc_numbers[key] = doc_numbers.get(key, first) + rng.randint(2, 9)
            doc_number = f"{DOC_PREFIXES[level]}〔{event.year}〕{doc_numbers[key]}号"
        listed = event.kind != "publicity" and rng.random() < 0.9  # a few notices give no count
        rows.append({
            "announcement_id": event.announcement_id, "tier_id": event.tier_id, "kind": event.kind,
            "title": _title(event, by_uscc), "doc_number": doc_number, "issuer": ISSUERS[level],
            "published_on": event.day.isoformat(), "source_url": _source_url(level),
            "expected_count": str(count) if listed else "",
        })
    return rows
