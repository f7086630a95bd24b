"""The fixed world the benchmark data is drawn from: countries, places, actors, event types.

Everything here is plain data or derived from it with a seeded generator, so the same seed
always builds the same world. Names are made from pairs of English and Arabic parts, so every
place and actor has a name in both scripts; no name holds the benchmark's common keyword.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from itertools import accumulate

from app.events.vocabulary import BY_CODE

NAMESPACE = uuid.UUID("6f1c2a4e-0b7d-5c1e-9a51-3e2f8d0c7b64")

# ISO 3166-1 alpha-3, English name, Arabic name, a point near the middle of the country.
COUNTRIES: tuple[tuple[str, str, str, float, float], ...] = (
    ("SYR", "Syria", "سوريا", 35.0, 38.5),
    ("YEM", "Yemen", "اليمن", 15.5, 47.5),
    ("IRQ", "Iraq", "العراق", 33.2, 43.7),
    ("LBY", "Libya", "ليبيا", 27.0, 17.0),
    ("SDN", "Sudan", "السودان", 15.5, 30.0),
    ("AFG", "Afghanistan", "أفغانستان", 34.0, 66.0),
    ("SOM", "Somalia", "الصومال", 5.0, 46.0),
    ("NGA", "Nigeria", "نيجيريا", 9.0, 8.0),
    ("MLI", "Mali", "مالي", 17.0, -4.0),
    ("COD", "DR Congo", "الكونغو الديمقراطية", -2.9, 23.6),
    ("UKR", "Ukraine", "أوكرانيا", 49.0, 32.0),
    ("PSE", "Palestine", "فلسطين", 31.9, 35.2),
    ("LBN", "Lebanon", "لبنان", 33.9, 35.9),
    ("EGY", "Egypt", "مصر", 26.8, 30.8),
    ("TUN", "Tunisia", "تونس", 34.0, 9.5),
    ("DZA", "Algeria", "الجزائر", 28.0, 2.6),
    ("MAR", "Morocco", "المغرب", 31.8, -7.1),
    ("SSD", "South Sudan", "جنوب السودان", 7.0, 30.0),
    ("ETH", "Ethiopia", "إثيوبيا", 9.1, 40.5),
    ("BFA", "Burkina Faso", "بوركينا فاسو", 12.2, -1.6),
    ("NER", "Niger", "النيجر", 17.6, 8.1),
    ("TCD", "Chad", "تشاد", 15.5, 18.7),
    ("CAF", "Central African Republic", "أفريقيا الوسطى", 6.6, 20.9),
    ("CMR", "Cameroon", "الكاميرون", 7.4, 12.4),
    ("MOZ", "Mozambique", "موزمبيق", -18.7, 35.5),
    ("PAK", "Pakistan", "باكستان", 30.4, 69.3),
    ("IND", "India", "الهند", 21.0, 78.0),
    ("MMR", "Myanmar", "ميانمار", 21.9, 95.9),
    ("PHL", "Philippines", "الفلبين", 12.9, 121.8),
    ("COL", "Colombia", "كولومبيا", 4.6, -74.3),
    ("MEX", "Mexico", "المكسيك", 23.6, -102.5),
    ("BRA", "Brazil", "البرازيل", -14.2, -51.9),
    ("VEN", "Venezuela", "فنزويلا", 6.4, -66.6),
    ("HTI", "Haiti", "هايتي", 18.9, -72.3),
    ("TUR", "Turkey", "تركيا", 39.0, 35.2),
    ("IRN", "Iran", "إيران", 32.4, 53.7),
    ("SAU", "Saudi Arabia", "السعودية", 23.9, 45.1),
    ("JOR", "Jordan", "الأردن", 30.6, 36.2),
    ("ISR", "Israel", "إسرائيل", 31.0, 34.9),
    ("KEN", "Kenya", "كينيا", 0.0, 37.9),
    ("UGA", "Uganda", "أوغندا", 1.4, 32.3),
    ("BDI", "Burundi", "بوروندي", -3.4, 29.9),
    ("RWA", "Rwanda", "رواندا", -1.9, 29.9),
    ("ZWE", "Zimbabwe", "زيمبابوي", -19.0, 29.2),
    ("ZAF", "South Africa", "جنوب أفريقيا", -30.6, 22.9),
    ("AGO", "Angola", "أنغولا", -11.2, 17.9),
    ("GIN", "Guinea", "غينيا", 9.9, -9.7),
    ("SEN", "Senegal", "السنغال", 14.5, -14.5),
    ("MRT", "Mauritania", "موريتانيا", 21.0, -10.9),
    ("ERI", "Eritrea", "إريتريا", 15.2, 39.8),
    ("DJI", "Djibouti", "جيبوتي", 11.8, 42.6),
    ("BHR", "Bahrain", "البحرين", 26.0, 50.6),
    ("KWT", "Kuwait", "الكويت", 29.3, 47.5),
    ("ARE", "United Arab Emirates", "الإمارات", 23.4, 53.8),
    ("OMN", "Oman", "عمان", 21.5, 55.9),
    ("QAT", "Qatar", "قطر", 25.4, 51.2),
    ("AZE", "Azerbaijan", "أذربيجان", 40.1, 47.6),
    ("ARM", "Armenia", "أرمينيا", 40.1, 45.0),
    ("GEO", "Georgia", "جورجيا", 42.3, 43.4),
    ("BGD", "Bangladesh", "بنغلاديش", 23.7, 90.4),
)

# (English, Arabic) halves of place names: a first part and a second part.
PLACE_FIRST = (
    ("Wadi", "وادي"),
    ("Tell", "تل"),
    ("Bir", "بئر"),
    ("Ain", "عين"),
    ("Jabal", "جبل"),
    ("Kafr", "كفر"),
    ("Deir", "دير"),
    ("Ras", "رأس"),
    ("Khan", "خان"),
    ("Qasr", "قصر"),
    ("Suq", "سوق"),
    ("Bab", "باب"),
    ("Marj", "مرج"),
    ("Nahr", "نهر"),
    ("Hisn", "حصن"),
)
PLACE_SECOND = (
    ("al-Hamra", "الحمراء"),
    ("al-Zahra", "الزهراء"),
    ("al-Nakhil", "النخيل"),
    ("al-Shams", "الشمس"),
    ("al-Bahr", "البحر"),
    ("al-Qamar", "القمر"),
    ("al-Rimal", "الرمال"),
    ("al-Zaytun", "الزيتون"),
    ("al-Salam", "السلام"),
    ("al-Nour", "النور"),
    ("al-Jadida", "الجديدة"),
    ("al-Sharqi", "الشرقي"),
    ("al-Gharbi", "الغربي"),
    ("al-Kabir", "الكبير"),
    ("al-Saghir", "الصغير"),
    ("al-Ahmar", "الأحمر"),
    ("al-Abyad", "الأبيض"),
    ("al-Aswad", "الأسود"),
    ("al-Akhdar", "الأخضر"),
    ("al-Tawil", "الطويل"),
)
# The kind of armed or political body each unit word names, with its English and Arabic words.
ACTOR_UNITS = (
    ("Brigade", "لواء", "armed_group"),
    ("Battalion", "كتيبة", "armed_group"),
    ("Front", "جبهة", "armed_group"),
    ("Forces", "قوات", "armed_forces"),
    ("Council", "مجلس", "government"),
    ("Movement", "حركة", "political_party"),
    ("Party", "حزب", "political_party"),
    ("Union", "اتحاد", "ngo"),
)
# Share of events per type: protests and clashes common, agreements rare.
TYPE_SHARES = {
    "protest.demonstration": 27.0,
    "violence.armed_clash": 20.0,
    "violence.shelling": 10.0,
    "violence.against_civilians": 9.0,
    "violence.air_strike": 7.0,
    "political.statement": 8.0,
    "political.accusation": 4.0,
    "political.meeting": 3.0,
    "military.deployment": 3.0,
    "ceasefire.breach": 2.0,
    "political.legislative": 1.5,
    "negotiation.talks": 1.5,
    "other": 1.3,
    "negotiation.mediation": 0.5,
    "negotiation.proposal": 0.4,
    "ceasefire.declared": 0.3,
    "agreement.signed": 0.2,
    "agreement.refused": 0.1,
    "ceasefire.extended": 0.1,
    "ceasefire.ended": 0.1,
}
PLACES_PER_COUNTRY = 25
ACTORS = 5000
assert set(TYPE_SHARES) <= set(BY_CODE), "every benchmark type is in the app's vocabulary"


@dataclass(frozen=True)
class Place:
    id: str
    names: dict[str, str]
    country: str
    latitude: float
    longitude: float


@dataclass(frozen=True)
class Actor:
    id: str
    names: dict[str, str]
    kind: str
    country: str


def stable_id(seed: int, kind: str, number: int) -> str:
    """The same id for the same record of the same seed, in every run."""
    return str(uuid.uuid5(NAMESPACE, f"{seed}:{kind}:{number}"))


def zipf_weights(count: int, exponent: float) -> list[float]:
    """Cumulative Zipf weights for ranks 1..count, for `random.choices(cum_weights=...)`."""
    return list(accumulate(1 / rank**exponent for rank in range(1, count + 1)))


def places(seed: int, rng: random.Random) -> dict[str, list[Place]]:
    """A fixed set of named places around the middle of each country."""
    out: dict[str, list[Place]] = {}
    for c_index, (code, _en, _ar, lat, lon) in enumerate(COUNTRIES):
        out[code] = []
        for p_index in range(PLACES_PER_COUNTRY):
            n = c_index * PLACES_PER_COUNTRY + p_index
            first = PLACE_FIRST[n % len(PLACE_FIRST)]
            second = PLACE_SECOND[(n // len(PLACE_FIRST) + p_index) % len(PLACE_SECOND)]
            out[code].append(
                Place(
                    id=stable_id(seed, "location", n),
                    names={"en": f"{first[0]} {second[0]}", "ar": f"{first[1]} {second[1]}"},
                    country=code,
                    latitude=round(max(-89.0, min(89.0, lat + rng.uniform(-3, 3))), 5),
                    longitude=round(max(-179.0, min(179.0, lon + rng.uniform(-3, 3))), 5),
                )
            )
    return out


def actors(seed: int, rng: random.Random, country_weights: list[float]) -> list[Actor]:
    """A pool of armed groups, forces, councils and parties, each named in both scripts and
    unique by name (the import would otherwise take two namesakes for one actor)."""
    codes = [country[0] for country in COUNTRIES]
    names = [(f[0] + " " + s[0], f[1] + " " + s[1]) for f in PLACE_FIRST for s in PLACE_SECOND]
    pool = []
    for n in range(ACTORS):
        unit_en, unit_ar, kind = ACTOR_UNITS[n % len(ACTOR_UNITS)]
        place_en, place_ar = names[(n // len(ACTOR_UNITS)) % len(names)]
        number = n // (len(ACTOR_UNITS) * len(names)) + 1
        suffix = f" {number}" if number > 1 else ""
        pool.append(
            Actor(
                id=stable_id(seed, "actor", n),
                names={
                    "en": f"{unit_en} of {place_en}{suffix}",
                    "ar": f"{unit_ar} {place_ar}{suffix}",
                },
                kind=kind,
                country=rng.choices(codes, cum_weights=country_weights)[0],
            )
        )
    return pool
