"""The event-type vocabulary and its crosswalks to ACLED and CAMEO.

Checked against the ACLED codebook (event type / sub-event type) and the CAMEO 1.1b3 manual.
One deliberate departure from the first draft of DOMAIN.md: shelling maps to CAMEO 194
("fight with artillery and tanks"), not 195 ("employ aerial weapons", which is air strikes).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class EventType:
    code: str
    en: str
    ar: str
    acled: str | None
    cameo: str | None
    note: str | None = None

    @property
    def family(self) -> str:
        return self.code.split(".", 1)[0]


_SD = "Strategic developments"
VOCABULARY: tuple[EventType, ...] = (
    EventType(
        "negotiation.talks", "Talks held (direct or indirect)", "محادثات", f"{_SD} / Other", "046"
    ),
    EventType("negotiation.mediation", "Third party mediates", "وساطة", None, "045"),
    EventType(
        "negotiation.proposal",
        "A plan or draft is tabled",
        "مقترح أو مسودة",
        None,
        "036",
        note="CAMEO has no code for tabling a plan; 036 (intent to meet or negotiate) is closest.",
    ),
    EventType(
        "agreement.signed", "An agreement is signed", "توقيع اتفاق", f"{_SD} / Agreement", "057"
    ),
    EventType(
        "agreement.refused", "A party declines to sign or rejects a plan", "رفض اتفاق", None, "127"
    ),
    EventType(
        "ceasefire.declared",
        "A truce is declared or takes effect",
        "إعلان هدنة",
        f"{_SD} / Agreement",
        "0871",
    ),
    EventType(
        "ceasefire.breach",
        "A truce is violated (alleged or confirmed)",
        "خرق الهدنة",
        "Battles / Armed clash",
        "196",
        note="ACLED codes the violent act itself; use the matching violent type there.",
    ),
    EventType("ceasefire.extended", "A truce is extended", "تمديد الهدنة", None, None),
    EventType("ceasefire.ended", "A truce ends or collapses", "انتهاء الهدنة", None, None),
    EventType("violence.armed_clash", "Armed clash", "اشتباك مسلح", "Battles / Armed clash", "190"),
    EventType(
        "violence.shelling",
        "Shelling, artillery, missile attack",
        "قصف مدفعي أو صاروخي",
        "Explosions/Remote violence / Shelling/artillery/missile attack",
        "194",
    ),
    EventType(
        "violence.air_strike",
        "Air or drone strike",
        "غارة جوية أو بطائرة مسيرة",
        "Explosions/Remote violence / Air/drone strike",
        "195",
    ),
    EventType(
        "violence.against_civilians",
        "Attack on civilians",
        "اعتداء على مدنيين",
        "Violence against civilians / Attack",
        "180",
    ),
    EventType("political.statement", "Public statement", "تصريح", None, "010"),
    EventType("political.accusation", "Accusation", "اتهام", None, "112"),
    EventType(
        "political.legislative",
        "Legislative or executive decision",
        "قرار تشريعي أو تنفيذي",
        f"{_SD} / Other",
        None,
    ),
    EventType("political.meeting", "Visit or meeting", "زيارة أو اجتماع", None, "043/044"),
    EventType(
        "military.deployment",
        "Deployment or withdrawal of forces",
        "نشر قوات أو سحبها",
        f"{_SD} / Other",
        None,
    ),
    EventType("protest.demonstration", "Protest", "احتجاج", "Protests", "141"),
    EventType("other", "Anything else", "أخرى", None, None),
)

BY_CODE = {entry.code: entry for entry in VOCABULARY}
FAMILIES = sorted({entry.family for entry in VOCABULARY})


def label(code: str) -> dict[str, str]:
    """A type's name by language, for lanes and exports (the code itself if it is unknown)."""
    entry = BY_CODE.get(code)
    return {"en": entry.en, "ar": entry.ar} if entry else {"en": code}


def expand(patterns: list[str]) -> list[str]:
    """Type codes matched by filter values; `family.*` matches the whole family."""
    codes: list[str] = []
    for pattern in patterns:
        if pattern.endswith(".*"):
            codes.extend(e.code for e in VOCABULARY if e.family == pattern[:-2])
        else:
            codes.append(pattern)
    return codes
