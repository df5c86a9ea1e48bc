"""Event mentions in one sentence: trigger, type (with CAMEO and PLOVER codes), agents,
patients, place, time, figures, modality and attribution.

Triggers come from ``data/event_types.json`` (lemmas for English and Russian, stems for
Azerbaijani), so adding a trigger or a type is a data edit. Arguments come from the
dependency parse when the backend gave one (subject -> agent, object or passive subject
-> patient, "by" phrase -> agent), otherwise from entity order in the sentence.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from . import cuewords
from .attribution import find_attribution
from .backends.azerbaijani import case_ending
from .entities import titles_data
from .modality import sentence_modality
from .quantities import find_quantities
from .types import (
    Argument,
    Attribution,
    EntityMention,
    EntityType,
    EventMention,
    Modality,
    Quantity,
    Sentence,
    TimeExpr,
    TimexType,
    Token,
    Voice,
)

# Confidence of a mention before evidence is weighed: a listed trigger in a content block.
BASE_CONFIDENCE = 0.7
# Triggers marked weak in the data ("hold", "free", "call") only count with support.
WEAK_PENALTY = 0.15
# A patient or agent found through the parse is better evidence than entity order.
PARSE_BONUS = 0.1
# Quantities the sentence gives for the event's own kind of figure.
FIGURE_BONUS = 0.1

_AGENT_DEPS = frozenset({"nsubj", "agent", "obl:agent", "csubj"})
_PATIENT_DEPS = frozenset({"dobj", "obj", "nsubjpass", "nsubj:pass", "iobj"})
_ACTORS = frozenset(
    {EntityType.PER, EntityType.ORG, EntityType.MEDIA, EntityType.NORP, EntityType.LOC}
)
_LOCATIVE_WORDS = frozenset({"in", "at", "near", "в", "во", "на", "под"})
_AZ_LOCATIVE = ("da", "də", "ta", "tə", "dakı", "dəki")


@dataclass(frozen=True, slots=True)
class EventType:
    name: str
    cameo: str | None
    plover: str | None
    kinds: frozenset[str]
    undergoer: frozenset[str] = frozenset()  # triggers whose subject suffers the event


@dataclass(frozen=True, slots=True)
class TriggerTable:
    types: dict[str, EventType]
    single: dict[str, dict[str, list[tuple[str, bool]]]]  # lang -> lemma -> [(type, weak)]
    multi: dict[str, list[tuple[tuple[str, ...], str, bool]]]  # lang -> [(lemmas, type, weak)]
    # (word, type) pairs that count only when the word is a noun: "a fire" is a blaze,
    # "fired" a shot or a dismissal (event_types.json 'nouns').
    nouns: frozenset[tuple[str, str]] = frozenset()


@cache
def trigger_table() -> TriggerTable:
    raw = json.loads(
        resources.files("triangulate.data").joinpath("event_types.json").read_text("utf-8")
    )
    types: dict[str, EventType] = {}
    single: dict[str, dict[str, list[tuple[str, bool]]]] = {}
    multi: dict[str, list[tuple[tuple[str, ...], str, bool]]] = {}
    nouns: set[tuple[str, str]] = set()
    for name, spec in raw["types"].items():
        nouns.update((word, name) for word in spec.get("nouns", []))
        types[name] = EventType(
            name,
            spec["cameo"],
            spec["plover"],
            frozenset(spec["kinds"]),
            frozenset(spec.get("undergoer", [])),
        )
        weak = set(spec.get("weak", []))
        for lang in ("en", "ru", "az"):
            for entry in spec.get(lang, []):
                words = tuple(entry.lower().split())
                if len(words) == 1:
                    single.setdefault(lang, {}).setdefault(words[0], []).append(
                        (name, entry in weak)
                    )
                else:
                    multi.setdefault(lang, []).append((words, name, entry in weak))
    return TriggerTable(types, single, multi, frozenset(nouns))


# Parts of speech a noun-only trigger needs. Tokens without a tag (the first, untagged
# look that decides which sentences to parse) let it count: the parse then decides.
_NOUN_POS = frozenset({"NOUN", "PROPN"})


@dataclass(frozen=True, slots=True)
class TriggerHit:
    type: EventType
    start: int  # token index
    end: int  # token index, exclusive
    weak: bool
    entry: str = ""  # the lexicon entry that matched

    @property
    def undergoer(self) -> bool:
        return self.entry in self.type.undergoer


def _az_match(word: str, stem: str) -> bool:
    # Azerbaijani words carry stacked suffixes; a stem matches the start of the word
    # (saxlanılıb, saxlanılanlar -> saxla), with at least 3 letters of stem.
    return len(stem) >= 3 and word.startswith(stem)


@cache
def _english_forms() -> dict[str, str]:
    """Inflected forms of every English trigger word -> the word, so triggers are found
    in sentences read without a lemmatizer ("raided", "detaining", "held")."""
    raw = json.loads(
        resources.files("triangulate.data").joinpath("english_inflections.json").read_text("utf-8")
    )
    irregular: dict[str, list[str]] = raw["irregular"]
    words = set(trigger_table().single.get("en", {}))
    words |= {w for seq, _, _ in trigger_table().multi.get("en", []) for w in seq}
    forms: dict[str, str] = {}
    for w in sorted(words):
        for form in [w, *irregular.get(w, []), *_regular_forms(w)]:
            forms.setdefault(form, w)
    return forms


def _regular_forms(w: str) -> list[str]:
    vowels = "aeiou"
    if w.endswith("e"):
        return [w + "s", w + "d", w[:-1] + "ing"]
    if w.endswith("y") and len(w) > 2 and w[-2] not in vowels:
        return [w[:-1] + "ies", w[:-1] + "ied", w + "ing"]
    if w.endswith(("s", "sh", "ch", "x", "z")):
        return [w + "es", w + "ed", w + "ing"]
    forms = [w + "s", w + "ed", w + "ing"]
    # Short verbs ending consonant-vowel-consonant double it: ban -> banned, stop -> stopped.
    if 3 <= len(w) <= 4 and w[-1] not in vowels + "wxy" and w[-2] in vowels and w[-3] not in vowels:
        forms += [w + w[-1] + "ed", w + w[-1] + "ing"]
    return forms


def find_triggers(tokens: Sequence[Token], lang: str) -> list[TriggerHit]:
    table = trigger_table()
    singles = table.single.get(lang, {})
    hits: list[TriggerHit] = []
    lemmas = [t.lemma.lower() or t.text.lower() for t in tokens]
    if lang == "en":
        forms = _english_forms()
        lemmas = [forms.get(lemma, lemma) for lemma in lemmas]
    words = [t.text.lower() for t in tokens]
    for i, (lemma, word) in enumerate(zip(lemmas, words, strict=True)):
        entry = lemma if lemma in singles else word
        found = singles.get(lemma) or singles.get(word) or []
        if not found and lang == "az":
            # The longest matching stem decides: "öldür" (kill) inside "öldürdüyü", not
            # "öl" (die).
            stems = [stem for stem in singles if _az_match(word, stem)]
            if stems:
                entry = max(stems, key=len)
                found = singles[entry]
        for name, weak in found:
            if (entry, name) in table.nouns and tokens[i].pos and tokens[i].pos not in _NOUN_POS:
                continue
            hits.append(TriggerHit(table.types[name], i, i + 1, weak, entry))
    present = set(lemmas) | set(words)
    for seq, name, weak in table.multi.get(lang, []):
        n = len(seq)
        if lang != "az" and seq[0] not in present:
            continue  # its first word is nowhere in the sentence
        for i in range(len(tokens) - n + 1):
            window = lemmas[i : i + n]
            if lang == "az":
                ok = all(
                    _az_match(words[i + k], seq[k]) or words[i + k] == seq[k] for k in range(n)
                )
            else:
                ok = window == list(seq) or words[i : i + n] == list(seq)
            if ok:
                hits.append(TriggerHit(table.types[name], i, i + n, weak, " ".join(seq)))
    return hits


def _entity_at(entities: Sequence[EntityMention], start: int, end: int) -> EntityMention | None:
    best = None
    for e in entities:
        if (
            e.start < end
            and start < e.end
            and (best is None or (e.end - e.start) > (best.end - best.start))
        ):
            best = e
    return best


def _subtree(tokens: Sequence[Token], index: int) -> list[int]:
    members = {index}
    changed = True
    while changed:
        changed = False
        for j, t in enumerate(tokens):
            if j not in members and t.head in members and t.head != j:
                members.add(j)
                changed = True
    return sorted(members)


# Entity types that can stand for an argument.
_ARG_PREFERENCE = {
    EntityType.PER: 0,
    EntityType.MEDIA: 1,
    EntityType.ORG: 1,
    EntityType.NORP: 2,
    EntityType.LOC: 3,
}
_COMPACT_DEPS = frozenset(
    {"compound", "amod", "nummod", "poss", "det", "flat", "nmod:poss", "flat:name"}
)


def _to_arg(e: EntityMention) -> Argument:
    return Argument(e.canonical, e.start, e.end, entity_key=e.key, type=e.type.value)


def _arguments(
    tokens: Sequence[Token], index: int, entities: Sequence[EntityMention]
) -> list[Argument]:
    """The argument(s) headed by token ``index``:
    - the entity covering the head word itself ("Igor Kartavikhin", "Moscow");
    - else the persons the phrase names ("two brothers, A and B", "Editor-in-Chief X");
    - else an organisation or outlet it is "of" ("the offices of Sputnik Azerbaijan");
    - else the head word with its close modifiers ("Azerbaijani police"): a demonym or
      place modifying the head is not the argument."""
    head = tokens[index]
    own = _entity_at(entities, head.start, head.end)
    if own is not None and own.type in _ARG_PREFERENCE:
        return [_to_arg(own)]
    members = _subtree(tokens, index)
    start, end = tokens[members[0]].start, tokens[members[-1]].end
    inside = [e for e in entities if e.start >= start and e.end <= end]
    persons = [e for e in inside if e.type is EntityType.PER]
    if persons and len(members) <= 16:
        return [_to_arg(e) for e in persons]
    of_children = [
        k
        for j, t in enumerate(tokens)
        if t.head == index and t.dep == "prep" and t.text.lower() in ("of", "из")
        for k, u in enumerate(tokens)
        if u.head == j and u.dep == "pobj"
    ]
    for k in of_children:
        owner = _entity_at(entities, tokens[k].start, tokens[k].end)
        if owner is not None and owner.type in (EntityType.ORG, EntityType.MEDIA):
            return [_to_arg(owner)]
    compact = [index] + [
        j for j, t in enumerate(tokens) if t.head == index and t.dep in _COMPACT_DEPS
    ]
    lo, hi = min(compact), max(compact)
    a_start, a_end = tokens[lo].start, tokens[hi].end
    covering = _entity_at(entities, a_start, a_end)
    key = (
        covering.key
        if covering is not None and covering.start <= a_start and covering.end >= a_end
        else None
    )
    return [Argument(" ".join(t.text for t in tokens[lo : hi + 1]), a_start, a_end, entity_key=key)]


# Verbs that only carry a nominal trigger ("issued a warning", "carried out raids"):
# the agent of the event is their subject.
_LIGHT_DEPS = frozenset({"dobj", "obj", "attr", "pobj"})


# Any subject, active or passive: a verb that has one does not borrow its neighbour's.
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "nsubj:pass", "csubj", "csubjpass", "expl"})


# How far from a spokesperson's name the title and the organisation are looked for: a
# noun phrase ("официальный представитель Министерства иностранных дел России").
_REPRESENTED_WINDOW = 90
_CLAUSE_END = re.compile(r"[.;:!?\n]")


def _with_represented(
    text: str, agents: list[Argument], entities: Sequence[EntityMention], lang: str
) -> list[Argument]:
    """``agents`` plus the organisation a spokesperson among them speaks for, named
    beside the title ("Foreign Ministry spokeswoman Maria Zakharova", "Maria Zakharova,
    the ministry's spokeswoman," "официальный представитель МИД Мария Захарова"): what a
    spokesperson demands, the ministry demands. The person stays an agent too."""
    titles = titles_data()["spokesperson"][lang]
    out = list(agents)
    for a in agents:
        if a.type != EntityType.PER.value:
            continue
        before = text[max(0, a.start - _REPRESENTED_WINDOW) : a.start]
        cut = max((m.end() for m in _CLAUSE_END.finditer(before)), default=0)
        lo = a.start - len(before) + cut
        after = text[a.end : a.end + _REPRESENTED_WINDOW]
        stop = _CLAUSE_END.search(after)
        hi = a.end + (stop.start() if stop else len(after))
        # after the name only as an apposition: "Maria Zakharova, the ministry's ..."
        if not after.startswith(","):
            hi = a.end
        window = (text[lo : a.start] + " " + text[a.end : hi]).lower()
        if not any(t in window for t in titles):
            continue
        orgs = [
            e
            for e in entities
            if e.type is EntityType.ORG
            and lo <= e.start
            and e.end <= hi
            and (e.end <= a.start or a.end <= e.start)
        ]
        if not orgs:
            continue
        nearest = min(orgs, key=lambda e: min(abs(a.start - e.end), abs(e.start - a.end)))
        arg = _to_arg(nearest)
        if all(x.entity_key != arg.entity_key for x in out):
            out.append(arg)
    return out


@cache
def _about_verbs(lang: str) -> tuple[tuple[str, bool], ...]:
    """Single-word reporting, evaluative and citing verbs (data/reporting_verbs.json) as
    (word, is a prefix): verbs that speak about an event rather than do it."""
    raw = cuewords.load("reporting_verbs.json", lang)
    words = [w for w in (*raw["verbs"], *raw.get("evaluative", []), *raw["citing"]) if " " not in w]
    return tuple((w.rstrip("*"), w.endswith("*")) for w in words)


def _time_window(sentence: Sentence, trigger: int, speech: frozenset[int]) -> tuple[int, int]:
    """Where the time of the event at token ``trigger`` is looked for: the sentence, or
    only the event's own phrase when it is the object of a verb that speaks about it
    ("On Saturday the ministry cancelled ..., citing the Yekaterinburg deaths": Saturday
    is when the ministry spoke, not when the deaths were; "citing the June 27 deaths"
    keeps its date)."""
    tokens = sentence.tokens
    tok = tokens[trigger]
    if not sentence.parsed or tok.head not in speech or tok.dep not in _LIGHT_DEPS:
        return sentence.start, sentence.end
    own = _subtree(tokens, trigger)
    return tokens[own[0]].start, tokens[own[-1]].end


def _parse_arguments(
    tokens: Sequence[Token],
    trigger: int,
    entities: Sequence[EntityMention],
    not_light: frozenset[int] = frozenset(),
) -> tuple[list[Argument], list[Argument]]:
    agents: list[Argument] = []
    patients: list[Argument] = []
    for j, tok in enumerate(tokens):
        if tok.head != trigger or j == trigger:
            continue
        if tok.dep in _AGENT_DEPS:
            if tok.dep == "agent":  # English "by" phrase: the agent is its object
                objs = [k for k, t in enumerate(tokens) if t.head == j and t.dep == "pobj"]
                if objs:
                    agents.extend(_arguments(tokens, objs[0], entities))
                continue
            agents.extend(_arguments(tokens, j, entities))
        elif tok.dep in _PATIENT_DEPS:
            patients.extend(_arguments(tokens, j, entities))
        elif (
            tok.dep == "prep"
            and tok.text.lower() in ("of", "on", "against")
            and tokens[trigger].pos in ("NOUN", "PROPN")
        ):
            # "the arrest of X", "the raid on X": only nouns take their patient this way.
            objs = [k for k, t in enumerate(tokens) if t.head == j and t.dep == "pobj"]
            if objs:
                patients.extend(_arguments(tokens, objs[0], entities))
        elif tok.dep in ("poss", "nmod:poss") and not agents:  # "Russia's raids"
            agents.extend(_arguments(tokens, j, entities))
    node = trigger
    # "carried out a wave of raids": climb from the trigger through "of" to the noun the
    # light verb takes, so the verb's subject is found as for "carried out raids".
    while (
        tokens[node].dep == "pobj"
        and (of := tokens[node].head) is not None
        and tokens[of].text.lower() == "of"
        and (noun := tokens[of].head) is not None
        and noun != of
        and tokens[noun].dep in _LIGHT_DEPS
    ):
        node = noun
    head = tokens[node].head
    own_subject = any(
        t.head == trigger and (t.dep in _SUBJECT_DEPS or t.dep in ("auxpass", "aux:pass"))
        for t in tokens
    )
    if (
        not agents
        and not own_subject
        and tokens[trigger].dep == "conj"
        and head is not None
        and head != trigger
    ):
        # "condemned the actions and demanded an investigation": a coordinated verb
        # shares the subject of the first one. Not a clause with a subject of its own or
        # a passive one ("two men died and dozens were detained": the dead did not
        # detain anyone).
        for j, tok in enumerate(tokens):
            if tok.head == head and tok.dep in _AGENT_DEPS and tok.dep != "agent" and j != head:
                agents.extend(_arguments(tokens, j, entities))
                break
    # A verb that is an event of its own ("condemned the raid") or that speaks about one
    # ("called the raid an unfriendly act", "reported the raid") is not a light verb
    # doing it: its subject is not this event's agent.
    if (
        not agents
        and head is not None
        and head != node
        and head not in not_light
        and tokens[node].dep in _LIGHT_DEPS
    ):
        for j, tok in enumerate(tokens):
            if tok.head == head and j != head and tok.dep in ("nsubj", "nsubj:pass") and j != node:
                agents.extend(_arguments(tokens, j, entities))
                break
    return agents, patients


def _order_arguments(
    text: str,
    tokens: Sequence[Token],
    trigger: TriggerHit,
    entities: Sequence[EntityMention],
    lang: str,
) -> tuple[list[Argument], list[Argument]]:
    """Without a parse: the first actor of the sentence before the trigger is the agent
    (the subject comes first in both English and verb-final Azerbaijani order), the first
    person or group after it (else a later one before it) the patient.

    Azerbaijani marks roles on the words themselves, which the order rule would miss: a
    subject is in the nominative, so an actor with a case ending (Sputnik Azərbaycan-ın,
    azərbaycanlılara) is not the agent; "X tərəfindən" (by X) is the agent whatever its
    place; "X-ə qarşı" / "X əleyhinə" (against X) is the patient."""
    t_start = tokens[trigger.start].start
    before = [
        e
        for e in entities
        if e.end <= t_start and e.type in _ACTORS and e.type is not EntityType.LOC
    ]
    after = [e for e in entities if e.start >= tokens[trigger.end - 1].end and e.type in _ACTORS]
    against: list[EntityMention] = []
    if lang == "az":
        marks = {id(e): _az_role(text, e) for e in (*before, *after)}
        by = [e for e in before if marks[id(e)] == "by"]
        against = [e for e in (*before, *after) if marks[id(e)] == "against"]
        subjects = [e for e in before if marks[id(e)] == ""]
        agents = by[:1] or subjects[:1]
        before = [e for e in subjects if e not in agents]
        after = [e for e in after if marks[id(e)] != "against"]
    else:
        agents = before[:1]
        before = before[1:]
    people = [e for e in (after or before) if e.type in (EntityType.PER, EntityType.NORP)]
    patients = _with_coordinated(text, against[:1] or people[:1], entities)
    return [_to_arg(e) for e in agents], [_to_arg(e) for e in patients]


# What may stand between two coordinated names: "A and B", "A, B", "A и B", "A və B".
_COORDINATED_GAP = re.compile(r"\s*(?:,\s*)?(?:(?:and|и|və)\s+)?")


def _with_coordinated(
    text: str, first: list[EntityMention], entities: Sequence[EntityMention]
) -> list[EntityMention]:
    """``first`` and the persons coordinated with it ("Hüseyn və Ziyəddin Səfərov"):
    without a parse, the patient of "A and B were killed" is both, not A alone."""
    if not first or first[0].type is not EntityType.PER:
        return first
    out = list(first)
    for e in sorted(entities, key=lambda m: m.start):
        if e.start < out[-1].end or e.type is not EntityType.PER:
            continue
        gap = _COORDINATED_GAP.fullmatch(text, out[-1].end, e.start)
        if gap is None or e.start == out[-1].end:
            break
        out.append(e)
    return out


# Azerbaijani postpositions that give the word before them a role: "polis tərəfindən"
# (by the police) names the agent, "azərbaycanlılara qarşı" (against Azerbaijanis) and
# "Rusiya əleyhinə" the patient.
_AZ_BY = frozenset({"tərəfindən"})
_AZ_AGAINST = frozenset({"qarşı", "əleyhinə"})
_AZ_AFTER = re.compile(r"(['’-]?\w*)\s*(\w*)")


# After a verb stem: an optional passive or reflexive marker, then the verbal noun
# (-ma/-mə: saxlanılması, "the detention") or the participle (-an/-ən: saxlanılanlar,
# "those detained").
_AZ_VERBAL_NOUN = re.compile(r"^(?:n|[ıiuü]l|[ıiuü]n)?(?:ma|mə|y?an|y?ən)")


def _az_verbal_noun(word: str, stem: str) -> bool:
    low = word.lower()
    return bool(stem) and low.startswith(stem) and bool(_AZ_VERBAL_NOUN.match(low[len(stem) :]))


def _az_after(text: str, end: int) -> tuple[str, str]:
    """(suffix attached to the word ending at ``end``, the next word, lower case)."""
    m = _AZ_AFTER.match(text, end)
    return (m.group(1), m.group(2).lower()) if m else ("", "")


def _az_by(text: str, a: Argument) -> bool:
    return _az_after(text, a.end)[1] in _AZ_BY


def _az_role(text: str, e: EntityMention) -> str:
    """'by', 'against', 'oblique' (a case ending: not the subject) or '' (nominative)."""
    attached, following = _az_after(text, e.end)
    if following in _AZ_BY:
        return "by"
    if following in _AZ_AGAINST:
        return "against"
    words = e.text.split()
    if attached or (words and case_ending(words[-1])):
        return "oblique"
    return ""


# An upper-case place at the start of a paragraph, an optional agency in brackets, then a
# dash: "BAKU (CWS) – ", "МОСКВА, 1 июля – ".
_DATELINE = re.compile(
    r"^\s*[A-ZА-ЯЁƏÜÖĞİŞÇ][A-ZА-ЯЁƏÜÖĞİŞÇ .'-]{2,30}(?:\s*\([^)\n]{1,30}\))?(?:,[^–—\n-]{1,20})?\s*[–—-]{1,2}\s"
)


def _dateline_place(s_text: str, match: re.Match[str], offset: int, lang: str) -> Argument | None:
    """The gazetteer place a dateline names ("BAKU" is written in capitals, which models
    and case-sensitive lists miss)."""
    from .entities import gazetteer, translit_key

    word = re.split(r"[(,–—]|\s-", match.group(0))[0].strip()
    entry = gazetteer().entry_for(word.title(), lang) or gazetteer().entry_for(word, lang)
    if entry is None or entry.type is not EntityType.LOC:
        return None
    start = offset + s_text.index(word)
    return Argument(
        entry.name, start, start + len(word), entity_key=translit_key(entry.name), type="LOC"
    )


def _place_owners(
    tokens: Sequence[Token], hits: Sequence[TriggerHit], entities: Sequence[EntityMention]
) -> dict[str, int]:
    """Place key -> token index of the verb trigger whose phrase holds it most tightly
    (the smallest parse subtree that contains the place). Places outside every trigger's
    phrase are left out (any event may use them)."""
    # Verbs own places; a nominal trigger inside a verb's phrase ("died during police
    # raids in Russia") describes that verb's circumstances and shares its place.
    verbs = [h for h in hits if tokens[h.start].pos == "VERB"] or list(hits)
    spans = {h.start: set(_subtree(tokens, h.start)) for h in verbs}
    out: dict[str, int] = {}
    for e in entities:
        if e.type is not EntityType.LOC:
            continue
        inside = [i for i, t in enumerate(tokens) if t.start >= e.start and t.end <= e.end]
        if not inside:
            continue
        holders = [(len(span), h) for h, span in spans.items() if inside[0] in span]
        if holders:
            out[e.key] = min(holders)[1]
    return out


def _acts(text: str, e: EntityMention, tokens: Sequence[Token]) -> bool:
    """A place name standing for its government or people ("What Moscow describes as",
    "Russia's Investigative Committee") is an actor, not where the event happened: it is
    a possessor, or (in a parsed sentence) the subject of a verb."""
    if text[e.end : e.end + 2] in ("'s", "’s"):
        return True
    return any(
        t.start >= e.start and t.end <= e.end and t.dep in ("nsubj", "poss", "nmod:poss")
        for t in tokens
    )


def _location(
    text: str,
    entities: Sequence[EntityMention],
    exclude: set[str],
    trigger_at: int,
    tokens: Sequence[Token] = (),
    dateline_end: int = 0,
    dateline_place: Argument | None = None,
) -> Argument | None:
    """A place named in the sentence, preferring one after "in"/"в" or with an
    Azerbaijani locative ending, then the one nearest the trigger; places that act as
    speakers or subjects are skipped."""
    candidates = [
        e
        for e in entities
        if e.type is EntityType.LOC
        and e.key not in exclude
        and (e.end <= dateline_end or not _acts(text, e, tokens))
    ]
    if not candidates:
        return dateline_place

    def score(e: EntityMention) -> tuple[int, int]:
        before = text[max(0, e.start - 4) : e.start].strip().lower().split()
        word = text[e.start : e.end].lower()
        locative = (
            (bool(before) and before[-1] in _LOCATIVE_WORDS)
            or word.endswith(_AZ_LOCATIVE)
            or e.end <= dateline_end
        )
        return int(locative), -abs(e.start - trigger_at)

    best = max(candidates, key=score)
    if dateline_place is not None and (1, -abs(dateline_place.start - trigger_at)) > score(best):
        # The dateline counts as a place "in" which things happen, at its distance: a
        # nearer "in Russia" still wins for the event it belongs to.
        return dateline_place
    return Argument(best.canonical, best.start, best.end, entity_key=best.key, type="LOC")


@cache
def _outlet_cities() -> dict[str, str]:
    from .entities import translit_key

    raw = json.loads(
        resources.files("triangulate.data").joinpath("outlets.json").read_text("utf-8")
    )
    return {translit_key(o["name"]): o["city"] for o in raw["outlets"] if o.get("city")}


def _outlet_place(patients: Sequence[Argument]) -> Argument | None:
    """A raid on an outlet's offices happened where the outlet is based, when the
    sentence names no place (data/outlets.json "city")."""
    for p in patients:
        if p.type == EntityType.MEDIA.value and p.entity_key in _outlet_cities():
            return Argument(_outlet_cities()[p.entity_key], p.start, p.end, type="LOC")
    return None


def _time(timexes: Sequence[TimeExpr], start: int, end: int, trigger_at: int) -> TimeExpr | None:
    inside = [
        t
        for t in timexes
        if t.start >= start and t.end <= end and t.type in (TimexType.DATE, TimexType.TIME)
    ]
    if not inside:
        return None
    return min(inside, key=lambda t: abs(t.start - trigger_at))


def _figures(quantities: Sequence[Quantity], kinds: frozenset[str]) -> tuple[Quantity, ...]:
    return tuple(q for q in quantities if q.kind in kinds)


_QUOTES = re.compile(r"«[^»]*»|“[^”]*”|„[^“”]*[“”]|\"[^\"]*\"")
_SPEAKER_TRIM = " \t\n,;:—–-\"'«»“”„’‘"


def _attribution_for(
    found: Attribution | None,
    s_text: str,
    s_start: int,
    t_start: int,
    t_end: int,
    quoted_block: bool,
) -> Attribution:
    """The attribution of one event: the sentence's attribution frame, unless its cue is
    the event's own trigger ("were denied access" is not a denial by someone); voice from
    where the trigger sits (inside quotation marks, in a quoted block, or neither)."""
    in_quotes = any(
        m.start() + s_start <= t_start and t_end <= m.end() + s_start
        for m in _QUOTES.finditer(s_text)
    )
    voice = Voice.QUOTED_BLOCK if quoted_block else (Voice.QUOTE if in_quotes else Voice.AUTHOR)
    if found is None:
        return Attribution(None, voice=voice)
    start = None if found.start is None else s_start + found.start
    end = None if found.end is None else s_start + found.end
    verb_at = s_text.find(found.verb) + s_start if found.verb else -1
    if found.verb and t_start <= verb_at < t_end:
        return Attribution(None, voice=voice)
    speaker = found.speaker.strip(_SPEAKER_TRIM) if found.speaker else None
    chain = tuple(c.strip(_SPEAKER_TRIM) for c in found.chain if c.strip(_SPEAKER_TRIM))
    return Attribution(speaker or None, chain, found.verb, voice, start, end)


@cache
def _pronouns() -> dict[str, frozenset[str]]:
    raw = json.loads(
        resources.files("triangulate.data").joinpath("pronouns.json").read_text("utf-8")
    )
    return {lang: frozenset(words) for lang, words in raw.items() if not lang.startswith("_")}


def _speaker_for_pronouns(
    agents: list[Argument],
    said: Attribution,
    lang: str,
    entities: Sequence[EntityMention],
    t_start: int,
) -> list[Argument]:
    """ "X claimed it had uncovered ...": a pronoun agent after a speaker's reporting
    frame is the speaker (the entity its phrase names, when there is one)."""
    if not said.speaker or said.start is None or said.start > t_start:
        return agents
    out = []
    for a in agents:
        if a.text.lower() not in _pronouns().get(lang, frozenset()):
            out.append(a)
            continue
        named = [e for e in entities if said.start <= e.start and e.end <= (said.end or e.end)]
        named = [
            e
            for e in named
            if e.type in (EntityType.ORG, EntityType.PER, EntityType.MEDIA, EntityType.LOC)
        ]
        if named:
            out.append(_to_arg(named[-1]))
        else:
            out.append(Argument(said.speaker, said.start, said.end or said.start))
    return out


def extract_events(
    text: str,
    sentence: Sentence,
    lang: str,
    *,
    block: int,
    quoted_block: bool,
    entities: Sequence[EntityMention],
    timexes: Sequence[TimeExpr],
) -> list[EventMention]:
    """Event mentions in ``sentence`` (offsets into the document's ``text``)."""
    tokens = sentence.tokens
    hits = find_triggers(tokens, lang)
    if not hits:
        return []
    s_text = text[sentence.start : sentence.end]
    in_sentence = [e for e in entities if e.start >= sentence.start and e.end <= sentence.end]
    # "BAKU (Agency) – ...": a dateline names where the story is filed from. It is never an
    # agent or patient, and it is the place of the events when the sentence names none
    # with "in".
    dl = _DATELINE.match(s_text)
    dateline_end = sentence.start + dl.end() if dl else sentence.start
    dateline_place = _dateline_place(s_text, dl, sentence.start, lang) if dl else None
    if dateline_place is None and not any(
        e.type is EntityType.LOC and e.end <= dateline_end for e in in_sentence
    ):
        dateline_end = sentence.start  # "NATO – the alliance said": not a place, no dateline
    arg_entities = [e for e in in_sentence if e.start >= dateline_end]
    quantities = find_quantities(s_text, lang, sentence.start)
    attribution = find_attribution(s_text, lang)
    owner = _place_owners(tokens, hits, in_sentence) if sentence.parsed else {}
    out: dict[str, EventMention] = {}
    about = _about_verbs(lang)
    speech = frozenset(
        k
        for k, t in enumerate(tokens)
        if any(t.text.lower().startswith(w) if p else t.text.lower() == w for w, p in about)
    )
    not_light = frozenset(k for h in hits for k in range(h.start, h.end)) | speech
    for hit in hits:
        figures = _figures(quantities, hit.type.kinds)
        if sentence.parsed:
            agents, patients = _parse_arguments(tokens, hit.start, arg_entities, not_light)
            via = "parse"
        else:
            agents, patients = _order_arguments(text, tokens, hit, arg_entities, lang)
            via = "entity order"
        agents = [a for a in agents if a.start >= dateline_end]
        patients = [p for p in patients if p.start >= dateline_end]
        if lang == "az" and _az_verbal_noun(tokens[hit.start].text, hit.entry):
            # "X saxlanılmaları pisləyib" (X condemned the detentions): a verbal noun or
            # participle is not the clause's predicate, and the clause's subject is
            # neither its agent nor its victim.
            agents = [a for a in agents if _az_by(text, a)]
        elif hit.undergoer:
            # "Two people died": the subject of an undergoer verb is its victim. The
            # agent of an Azerbaijani passive ("polis tərəfindən saxlanılıb") stays.
            kept = [a for a in agents if lang == "az" and _az_by(text, a)]
            agents, patients = kept, [x for x in agents + patients if x not in kept]
        people = [
            p
            for p in patients
            if p.type in (EntityType.PER.value, EntityType.NORP.value, EntityType.MEDIA.value)
        ]
        if hit.weak and not figures and not people:
            continue  # "hold talks", "free trade": a weak trigger needs people or figures
        t_start, t_end = tokens[hit.start].start, tokens[hit.end - 1].end
        modality, cue = sentence_modality(
            s_text, lang, t_start - sentence.start, t_end - sentence.start
        )
        said = _attribution_for(attribution, s_text, sentence.start, t_start, t_end, quoted_block)
        agents = _speaker_for_pronouns(agents, said, lang, in_sentence, t_start)
        agents = _with_represented(text, agents, in_sentence, lang)
        if (
            modality is Modality.REPORTED
            and said.speaker
            and said.start is not None
            and said.end is not None
        ):
            # "According to X, ...", "X told Y that ...": the source is the attribution;
            # the statement itself is made without a hedge. Hedges without a speaker
            # ("reportedly", "сообщается") stay "reported".
            cue_at = s_text.lower().find(cue.lower()) + sentence.start if cue else -1
            if said.start <= cue_at < said.end:
                modality, cue = Modality.ASSERTED, ""
        exclude = {a.entity_key for a in agents + patients if a.entity_key}
        # a place inside another trigger's phrase ("died during raids in Russia") is
        # that event's place, not this one's
        exclude |= {
            key
            for key, h in owner.items()
            if h != hit.start
            and not (tokens[hit.start].pos != "VERB" and hit.start in _subtree(tokens, h))
        }
        confidence = BASE_CONFIDENCE - (WEAK_PENALTY if hit.weak else 0.0)
        confidence += PARSE_BONUS if sentence.parsed and (agents or patients) else 0.0
        confidence += FIGURE_BONUS if figures else 0.0
        if modality is Modality.HYPOTHETICAL:
            confidence -= 0.2
        mention = EventMention(
            type=hit.type.name,
            cameo=hit.type.cameo,
            plover=hit.type.plover,
            trigger=text[t_start:t_end],
            trigger_start=t_start,
            trigger_end=t_end,
            evidence_start=sentence.start,
            evidence_end=sentence.end,
            block=block,
            agents=tuple(agents),
            patients=tuple(patients),
            location=_location(
                text, in_sentence, exclude, t_start, tokens, dateline_end, dateline_place
            )
            or _outlet_place(patients),
            time=_time(timexes, *_time_window(sentence, hit.start, speech), t_start),
            quantities=figures,
            modality=modality,
            modality_cue=cue,
            attribution=said,
            confidence=round(min(1.0, max(0.05, confidence)), 2),
            reason=f"trigger {text[t_start:t_end]!r} ({lang}); arguments by {via}"
            + (f"; {len(figures)} figure(s)" if figures else ""),
        )
        previous = out.get(hit.type.name)
        if previous is None:
            out[hit.type.name] = mention
            continue
        # One mention per type per sentence ("a homicide in 2001, allegedly the killing of
        # ..."): keep the one carrying more figures and arguments, and the more cautious
        # modality of the two, since a hedge on either wording hedges the event.
        richer, other = (
            (mention, previous)
            if (len(mention.quantities), len(mention.agents) + len(mention.patients))
            > (len(previous.quantities), len(previous.agents) + len(previous.patients))
            else (previous, mention)
        )
        if richer.modality is Modality.ASSERTED and other.modality is not Modality.ASSERTED:
            richer = dataclasses.replace(
                richer, modality=other.modality, modality_cue=other.modality_cue
            )
        out[hit.type.name] = richer
    return list(out.values())
