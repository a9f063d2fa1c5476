"""Sentence generator and rule-based "teacher" paraphraser.

The teacher works on the structured form the generator produces (subject, verb, object,
adverbials, subordinate clause), which is what a parser would give it for these simple SVO
sentences. It rewrites them the way the paper's teacher LLM does, in miniature: voice change
(active <-> passive), moving adverbial clauses ("because ...", "when ...") and time adverbials to
the front or the back, and a synonym lexicon. Each source gets several distinct paraphrases,
which is what sequence-level distillation trains the student on.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, replace

# (active form, form after "by" in the passive)
SUBJECTS = [
    ("the teacher", "the teacher"), ("my brother", "my brother"), ("my sister", "my sister"),
    ("the old farmer", "the old farmer"), ("the children", "the children"), ("Anna", "Anna"),
    ("Tom", "Tom"), ("our neighbours", "our neighbours"), ("the young doctor", "the young doctor"),
    ("she", "her"), ("he", "him"), ("they", "them"), ("the students", "the students"),
    ("my father", "my father"), ("the manager", "the manager"), ("a tall man", "a tall man"),
    ("the workers", "the workers"), ("my friend", "my friend"), ("the little girl", "the little girl"),
    ("the police", "the police"), ("grandmother", "grandmother"), ("the chef", "the chef"),
]

# past tense, past participle, objects (plural objects take "were" in the passive)
VERBS = [
    ("wrote", "written", ["the letter", "a report", "the poem", "an email", "the story", "the notes"]),
    ("painted", "painted", ["the fence", "the house", "a picture", "the door", "the walls"]),
    ("fixed", "fixed", ["the car", "the bike", "the old radio", "the roof", "the computer"]),
    ("repaired", "repaired", ["the car", "the bike", "the old radio", "the roof", "the computer"]),
    ("bought", "bought", ["the tickets", "a new car", "the bread", "some flowers", "a gift"]),
    ("purchased", "purchased", ["the tickets", "a new car", "the bread", "some flowers", "a gift"]),
    ("cooked", "cooked", ["the dinner", "the rice", "the soup", "the vegetables"]),
    ("prepared", "prepared", ["the dinner", "the rice", "the soup", "the vegetables"]),
    ("cleaned", "cleaned", ["the kitchen", "the windows", "the room", "the floors"]),
    ("found", "found", ["the keys", "the lost dog", "the wallet", "the old map"]),
    ("discovered", "discovered", ["the keys", "the lost dog", "the wallet", "the old map"]),
    ("opened", "opened", ["the door", "the window", "the box", "the gate", "the shop"]),
    ("built", "built", ["the bridge", "a new school", "the wall", "the house"]),
    ("constructed", "constructed", ["the bridge", "a new school", "the wall", "the house"]),
    ("sold", "sold", ["the house", "the old car", "the tickets", "the farm"]),
    ("read", "read", ["the letter", "the book", "the report", "the news"]),
    ("closed", "closed", ["the shop", "the door", "the gate", "the window"]),
    ("carried", "carried", ["the boxes", "the bags", "the heavy table", "the chairs"]),
    ("signed", "signed", ["the contract", "the letter", "the form", "the papers"]),
    ("planted", "planted", ["the trees", "the roses", "the seeds"]),
    ("washed", "washed", ["the dishes", "the car", "the clothes"]),
    ("delivered", "delivered", ["the package", "the letters", "the pizza"]),
    ("sent", "sent", ["the email", "the package", "the invitation"]),
    ("broke", "broken", ["the window", "the vase", "the glass", "the chair"]),
    ("caught", "caught", ["the ball", "the thief", "the fish"]),
    ("finished", "finished", ["the report", "the project", "the homework", "the book"]),
    ("completed", "completed", ["the report", "the project", "the homework", "the book"]),
    ("designed", "designed", ["the garden", "the building", "the poster"]),
    ("watched", "watched", ["the film", "the game", "the movie"]),
]
PLURAL_OBJECTS = {
    "the notes", "the walls", "the tickets", "some flowers", "the vegetables", "the windows",
    "the floors", "the keys", "the boxes", "the bags", "the chairs", "the papers", "the trees",
    "the roses", "the seeds", "the dishes", "the clothes", "the letters",
}
MANNER = ["quickly", "carefully", "slowly", "happily", "rapidly", "with great care"]
PLACES = [
    "in the garden", "at the station", "in the kitchen", "at school", "in the city",
    "at home", "near the river", "in the morning light",
]
TIMES = ["yesterday", "last week", "this morning", "on Monday", "last night", "today", "at noon"]
CLAUSES = [
    "because it was raining", "because she was tired", "because the shop was closed",
    "since it was late", "when the sun rose", "when the storm began", "when the storm started",
    "after the meeting ended", "before the guests arrived", "although it was late",
    "even though it was cold", "while the children slept", "because they were happy",
    "when the bell rang", "after the rain stopped", "before the train left",
    "although he was busy", "since the road was closed", "while it was snowing",
]

# Whole-phrase synonyms, applied in both directions.
SYNONYM_PAIRS = [
    ("fixed", "repaired"), ("bought", "purchased"), ("cooked", "prepared"),
    ("found", "discovered"), ("built", "constructed"), ("finished", "completed"),
    ("quickly", "rapidly"), ("carefully", "with great care"), ("because", "since"),
    ("although", "even though"), ("began", "started"), ("film", "movie"), ("gift", "present"),
    ("children", "kids"), ("happy", "glad"), ("shop", "store"), ("big", "large"),
]
SYNONYMS: dict[str, str] = {}
for a, b in SYNONYM_PAIRS:
    SYNONYMS[a] = b
    SYNONYMS[b] = a


@dataclass(frozen=True)
class Sentence:
    subject: tuple[str, str]
    verb: tuple[str, str]
    obj: str
    manner: str | None
    place: str | None
    time: str | None
    clause: str | None
    is_passive: bool
    is_fronted: bool  # clause (or, without a clause, the time adverbial) at the front


def apply_synonyms(text: str) -> str:
    """Swap every lexicon phrase for its partner, longest phrases first, word-aligned."""
    words = text.split(" ")
    out: list[str] = []
    i = 0
    phrases = sorted(SYNONYMS, key=lambda p: -len(p.split(" ")))
    while i < len(words):
        for phrase in phrases:
            parts = phrase.split(" ")
            if words[i : i + len(parts)] == parts:
                out.append(SYNONYMS[phrase])
                i += len(parts)
                break
        else:
            out.append(words[i])
            i += 1
    return " ".join(out)


def capitalize(text: str) -> str:
    return text[0].upper() + text[1:]


def render(s: Sentence) -> str:
    obj_be = "were" if s.obj in PLURAL_OBJECTS else "was"
    if s.is_passive:
        core = [s.obj, obj_be, s.verb[1]] + ([s.manner] if s.manner else []) + ["by", s.subject[1]]
    else:
        core = [s.subject[0], s.verb[0], s.obj] + ([s.manner] if s.manner else [])
    tail = [x for x in (s.place, s.time if not (s.is_fronted and not s.clause) else None) if x]
    main = " ".join(core + tail)
    if s.clause:
        text = f"{s.clause} , {main}" if s.is_fronted else f"{main} {s.clause}"
    elif s.is_fronted and s.time:
        text = f"{s.time} , {main}"
    else:
        text = main
    return detokenize(capitalize(text) + " .")


def can_front(s: Sentence) -> bool:
    return bool(s.clause or s.time)


def teacher_paraphrases(s: Sentence) -> list[str]:
    """Distinct paraphrases of one sentence: voice change, clause/adverbial move, both."""
    source = render(s)
    candidates = [apply_synonyms(render(replace(s, is_passive=not s.is_passive)))]
    if can_front(s):
        candidates.append(render(replace(s, is_fronted=not s.is_fronted)))
        candidates.append(
            apply_synonyms(render(replace(s, is_passive=not s.is_passive, is_fronted=not s.is_fronted)))
        )
    else:
        candidates.append(apply_synonyms(source))
    seen: list[str] = []
    for c in candidates:
        c = capitalize(c)
        if c != source and c not in seen:
            seen.append(c)
    return seen


def random_sentence(rng: random.Random) -> Sentence:
    verb = rng.choice(VERBS)
    return Sentence(
        subject=rng.choice(SUBJECTS),
        verb=(verb[0], verb[1]),
        obj=rng.choice(verb[2]),
        manner=rng.choice(MANNER) if rng.random() < 0.25 else None,
        place=rng.choice(PLACES) if rng.random() < 0.3 else None,
        time=rng.choice(TIMES) if rng.random() < 0.5 else None,
        clause=rng.choice(CLAUSES) if rng.random() < 0.5 else None,
        is_passive=rng.random() < 0.35,
        is_fronted=rng.random() < 0.3,
    )


def detokenize(text: str) -> str:
    """Training text keeps punctuation as separate words; demo text reads naturally."""
    return text.replace(" ,", ",").replace(" .", ".")
