"""Per-sentence claim features: is it a claim, its matching terms, and its stance cues.

Everything here works on one already-parsed spaCy sentence (no nlp() calls) and depends only on the
sentence, so the pipeline can cache the result per article content. The corpus-level grouping and
stance logic lives in :mod:`analysis.claims`; it reads only these ``claim_*`` columns.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from analysis.cleaning import wire_dateline_end
from analysis.dates import names_a_number
from analysis.names import _SUFFIXES, name_key
from analysis.synonyms import related_lemmas

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

# ---------------------------------------------------------------------------------------------------
# Lexicons. Generic news vocabulary only: nothing here names a company, product or story.
# ---------------------------------------------------------------------------------------------------

# Synonym / nominalisation groups: every lemma maps to the group's first word, so "acquisition",
# "buy" and "takeover" match one another. Only predicates and nouns that news reuses across stories.
_CONCEPT_GROUPS: tuple[tuple[str, ...], ...] = (
    ("partner", "partnership", "collaborate", "collaboration", "team", "ally", "alliance", "cooperate",
     "cooperation", "co-operation", "tie", "tie-up", "collaborator", "partnering"),
    ("acquire", "acquisition", "buy", "purchase", "takeover", "buyout", "acquirer", "buyer"),
    ("merge", "merger", "combine", "combination", "blend", "fuse"),
    ("sue", "lawsuit", "suit", "litigation", "litigate", "plaintiff"),
    ("launch", "release", "debut", "rollout", "introduce", "introduction", "ship"),
    ("announce", "announcement", "unveil", "reveal", "disclose", "confirm", "confirmation"),
    ("license", "licensing", "licence", "licensed", "licensor", "licensee"),
    ("invest", "investment", "stake", "investor"),
    ("increase", "raise", "hike", "boost", "rise", "jump", "climb", "surge", "grow", "growth"),
    ("decrease", "cut", "lower", "reduce", "reduction", "decline", "fall", "drop", "slash", "trim",
     "plunge", "shrink", "slow", "ease", "cool", "soften", "layoff", "lay", "redundancy"),
    ("ban", "prohibit", "prohibition", "restrict", "restriction", "curb", "embargo", "bar"),
    ("fine", "penalty", "penalize", "penalise", "fin"),
    ("approve", "approval", "authorize", "authorise", "authorization", "greenlight", "clearance", "back",
     "endorse", "recommend", "support"),
    ("settle", "settlement"),
    ("hire", "poach", "recruit", "recruitment", "hiring"),
    ("delay", "postpone", "postponement", "defer"),
    ("independent", "independence", "autonomy", "autonomous", "self-funded", "standalone"),
    ("develop", "development", "build", "co-develop", "develops"),
    ("deal", "agreement", "pact", "contract", "accord", "transaction"),
    ("expand", "expansion", "extend", "extension"),
    ("investigate", "investigation", "probe", "inquiry", "enquiry", "review", "examine", "scrutiny"),
    ("job", "worker", "employee", "staff", "workforce", "position", "role"),
    ("vehicle", "car", "automobile", "suv", "truck"),
    ("chip", "semiconductor", "processor", "chipmaker"),
    ("datum", "data", "information", "record"),
    ("customer", "client", "user", "consumer", "subscriber"),
    ("price", "cost", "valuation", "value", "worth"),
    ("breach", "hack", "cyberattack", "intrusion", "compromise"),
    ("ceo", "chief", "executive", "boss", "head"),
    ("resign", "resignation", "quit", "depart", "departure"),
    ("affect", "impact", "hit", "disrupt", "cripple"),
    ("complete", "close", "finalize", "finalise", "conclude", "shut", "shutter", "closure"),
    ("end", "scrap", "abolish", "terminate", "axe", "abandon", "cancel", "ditch", "stop", "halt", "cease"),
    ("hold", "keep", "maintain", "unchanged", "steady", "retain", "preserve"),
    ("demand", "call", "request", "ask"),
    ("pay", "wage", "salary", "compensation"),
    ("sign", "seal", "ink", "clinch"),
    ("win", "secure", "land", "obtain", "gain"),
    ("stream", "broadcast", "air", "televise", "streaming"),
    ("fund", "finance", "funding", "financing"),
    ("debt", "borrowing", "loan", "bond", "borrow"),
    ("renowned", "recognize", "known", "famous", "acclaimed", "reputation", "household"),
    ("company", "firm", "drugmaker", "automaker", "carmaker", "business", "startup", "maker"),
    ("passenger", "traveller", "traveler", "flyer"),
    ("flight", "plane", "jet", "airplane", "aircraft", "airliner"),
    ("plant", "factory", "facility", "site"),
    ("strike", "walkout", "stoppage"),
    ("accuse", "allege", "accusation", "allegation"),
    ("list", "blacklist"),
    ("export", "shipment"),
    ("defect", "flaw", "problem", "issue", "fault", "glitch", "bug"),
    ("crash", "accident", "collision"),
    ("share", "stock"),
    ("talk", "negotiation", "negotiate"),
    ("assess", "scrutinize", "scrutinise"),
    ("right", "rights"),
    ("rate", "rates"),
    ("profit", "earnings", "income"),
    ("revenue", "sales", "sale", "turnover"),
    ("regulator", "regulatory", "watchdog", "authority", "agency"),
    ("drug", "medicine", "medication", "treatment", "therapy"),
    ("image", "picture", "visual", "photo"),
    ("video", "clip", "footage"),
    ("generation", "generate", "creation", "create", "generator", "generative"),
    ("tool", "feature", "product", "app", "application", "service", "platform"),
    # Courts, rulings and enforcement: the vocabulary legal stories paraphrase most.
    ("appeal", "challenge", "contest"),
    ("ruling", "decision", "verdict", "judgment", "judgement", "conviction"),
    ("convict", "guilty"),
    ("lawyer", "attorney", "counsel", "defense", "defence"),
    ("court", "judge", "tribunal"),
    ("divest", "divestiture", "divestment", "breakup", "break-up", "sell", "offload", "dispose"),
    ("require", "requirement", "force", "compel", "mandate", "oblige"),
    ("monopoly", "monopolize", "monopolise", "dominance", "dominate", "dominant"),
    ("illegal", "unlawful", "illicit"),
    ("bankruptcy", "insolvency", "receivership"),
    # Incidents and outcomes.
    ("hacker", "attacker", "cybercriminal", "intruder"),
    ("password", "credential", "passcode", "login"),
    ("die", "death", "fatality", "kill", "dead"),
    ("fix", "remedy", "repair", "patch"),
    ("risk", "liability"),
    ("cover", "coverage"),
    ("enhance", "enhancement", "improve", "improvement", "upgrade"),
    ("integrate", "integration"),
    ("offer", "bid", "proposal"),
    ("spend", "expenditure", "outlay"),
    ("writedown", "write-down", "impairment", "writeoff", "write-off"),
    ("saving", "synergy"),
    ("shortfall", "deficit"),
    ("shareholder", "stockholder"),
)
CONCEPT: dict[str, str] = {w: g[0] for g in _CONCEPT_GROUPS for w in g}
# Words whose verb sense alone is a synonym ("regulators cleared the drug", "ordered a breakup"); their
# noun senses ("plaques are clear", "orders for jets") keep their own meaning.
_VERB_CONCEPT = {"clear": "approve", "order": "require", "find": "find", "pull": "withdraw"}

# Nouns of time position: "at the end of", "in the middle of" are never what a sentence asserts.
_TIME_NOUNS = {"end", "start", "beginning", "middle", "close", "time", "moment", "day", "week", "month",
               "year", "quarter", "morning", "evening", "afternoon", "night", "weekend", "period"}

# Verbs that carry no assertion of their own: the claim is in their object or complement.
_REPORTING = {"say", "testify", "rule", "argue", "announce", "report", "confirm", "state", "tell", "add",
              "note", "reveal", "claim",
              "disclose", "write", "explain", "declare", "acknowledge", "affirm", "insist", "post",
              "unveil", "deny", "refute", "dispute", "rebut", "show", "indicate"}
_LIGHT = {"be", "have", "do", "make", "take", "get", "give", "go", "come", "become", "remain", "seem",
          "continue", "include", "face", "agree", "plan", "aim", "seek", "want", "try", "hope", "expect",
          "intend", "set", "begin", "start", "mark", "represent", "signal", "appear", "move", "prepare",
          "decide", "choose", "help", "need", "look", "allow", "let"}
# Frequent words that should still match but must not decide a match alone.
_WEAK_TERMS = {"announce", "company", "firm", "new", "also", "year", "month", "week", "day", "time",
               "report", "statement", "tool", "deal", "say", "plan", "move", "step", "people", "way",
               "part", "number", "percent", "%", "billion", "million", "thousand", "today",
               "develop", "thing", "lot", "other", "many", "more", "most", "first", "last", "late"}
# Verbs whose complement is the claim ("agreed to buy", "declined to comment").
_CONTROL = _LIGHT | {"decline", "refuse", "fail", "manage", "promise", "threaten", "vow", "pledge", "offer",
                     "attempt", "struggle", "rush", "hesitate", "opt", "elect", "wish", "tend"}
# Objects of light verbs that say nothing about what happened ("took a step", "made a move").
_VAGUE_OBJECTS = {"step", "move", "decision", "part", "role", "way", "thing", "place", "action", "effort",
                  "stride", "lead", "case", "sign", "look", "time"}
_PHRASAL = {"call off": "end", "lay off": "decrease", "roll out": "launch", "walk out": "strike",
            "break into": "breach", "team up": "partner", "step down": "resign", "buy out": "acquire",
            "take over": "acquire", "shut down": "close", "pull out": "end", "back out": "end",
            "scale back": "decrease", "ramp up": "increase", "sign up": "sign", "hand over": "transfer",
            "set up": "create", "spin off": "spin", "pay out": "pay", "wind down": "end", "phase out": "end",
            "cut off": "ban", "hold off": "delay", "push back": "delay",
            "sign off": "approve", "break up": "divest", "wind up": "end", "turn down": "reject",
            "press ahead": "continue", "push ahead": "continue", "carry on": "continue", "give up": "abandon",
            "drop out": "withdraw"}
# Particles the parser sometimes attaches as adverbs ("stepped down as chief executive").
_PARTICLES = {"down", "up", "out", "off", "ahead", "over", "back", "on", "into"}
_DEAL_VERBS = {"strike", "reach", "cut", "ink", "seal", "make", "hammer", "clinch"}
# Pure reporting verbs and light verbs never help decide what is asserted.
_NO_TERM = _LIGHT | {"say", "tell", "add", "note", "write", "explain", "state", "post", "accord"}
_KEY_POS = {"NOUN", "PROPN", "VERB", "ADJ"}
_NAME_LABELS = {"ORG", "PERSON", "PRODUCT", "GPE", "WORK_OF_ART", "NORP", "FAC", "EVENT", "LAW", "LOC"}
_FIGURE_LABELS = {"MONEY", "PERCENT", "CARDINAL", "QUANTITY", "DATE", "TIME", "ORDINAL"}

# Hedges: reported as a possibility, or attributed to a third party / unnamed voices.
_HEDGE_MODALS = {"may", "might", "could"}
_HEDGE_ADVERBS = {"reportedly", "allegedly", "purportedly", "possibly", "perhaps", "apparently",
                  "supposedly", "reputedly", "likely", "probably", "maybe", "presumably", "potentially"}
_HEDGE_ADVERBS_ANYWHERE = {"reportedly", "allegedly", "purportedly", "supposedly", "reputedly"}
_ATTRIB_VERBS = {"say", "report", "claim", "suggest", "believe", "expect", "speculate", "estimate",
                 "predict", "argue", "think", "warn", "tell", "indicate", "forecast", "reckon", "rumor",
                 "rumour", "project", "anticipate", "contend", "allege"}
_ANON_SUBJECTS = {"source", "analyst", "insider", "person", "people", "report", "expert", "observer",
                  "critic", "commentator", "rumor", "rumour", "speculation", "media", "outlet",
                  "newspaper", "document", "filing", "memo", "leak", "insiders", "someone", "economist",
                  "strategist", "trader", "investor", "researcher", "specialist", "consultant", "pundit"}
# "the reported bonus", "the alleged fraud": the sentence passes on what others say the thing is.
_HEDGE_ADJECTIVES = {"reported", "alleged", "rumoured", "rumored", "purported", "suspected"}
_PASSIVE_HEDGE = {"say", "believe", "expect", "rumor", "rumour", "think", "understand", "report",
                  "suppose", "thought", "allege", "speculate", "tip"}

# Release status. Released: the thing is out. Unreleased: announced, teased, planned, delayed, not out.
_RELEASED = {"launch", "release", "debut", "ship", "roll", "introduce", "available", "live",
             "rollout", "launched", "released"}
_UNRELEASED = {"unreleased", "upcoming", "forthcoming", "delay", "postpone", "shelve", "hint", "tease",
               "unavailable", "prototype", "pre-release", "prerelease", "unlaunched", "scrap", "cancel"}
_FUTURE_HEADS = {"plan", "expect", "set", "aim", "intend", "prepare", "hope", "schedule", "want", "seek"}
# Where a released thing is: "on the market", "in stores", "hit shelves", "entered service", "in use".
_RELEASE_PLACES = {"market": ("on",), "shelf": ("on", "onto"), "store": ("in", "into"), "shop": ("in", "into"),
                   "showroom": ("in", "into"), "service": ("in", "into"), "use": ("in", "into"),
                   "operation": ("in", "into"), "force": ("in", "into"), "effect": ("in", "into")}
_REACH_VERBS = {"hit", "reach", "enter"}
# Stages before a release: "in development", "under construction", "in late-stage trials".
_PRE_RELEASE = {"development", "testing", "test", "trial", "construction", "beta", "preview"}
_SCHEDULE_WORDS = {"slate", "schedule", "set", "due", "plan", "expect", "earmark", "pencil"}
_APPROVALS = {"approval", "clearance", "authorization", "authorisation", "certification", "licence", "license"}
# Operating state, the release status of a facility or service: back in operation ("reopened", "has
# resumed production", "is back online") or still out of it ("remains shut", "is still offline").
_RESUME_VERBS = {"reopen", "resume", "restart", "relaunch", "reconnect"}
_STOPPED_STATES = {"shut", "closed", "close", "offline", "down", "suspend", "suspended", "halt", "halted", "idle",
                   "shutter", "shuttered"}
_OPEN_STATES = {"open", "online", "operational"}
_STATE_VERBS = {"remain", "stay"}
# Operation under way, the release status of a vehicle, plant or service said by what it does: "is
# already supplying power", "is not yet carrying passengers", "has yet to fly". Only with "already" or
# "yet": "the plant supplies power" is a plain fact, not a status.
_OPERATING_VERBS = {"supply", "fly", "carry", "run", "serve", "generate", "produce", "operate", "broadcast",
                    "transmit", "process", "sell", "ship", "deliver", "accept", "take"}
# Of these, the ones whose past ("has already sold its stake") is a transaction, not an operation: a
# status only in the progressive ("is already selling the device").
_PROGRESSIVE_ONLY = {"sell", "ship", "deliver", "accept", "take", "process", "run", "serve", "produce", "generate"}
# Starting an operation: "began flights", "started deliveries", "began operating".
_START_VERBS = {"start", "begin", "commence"}
_OPERATION_NOUNS = {"operation", "service", "flight", "delivery", "shipment", "sale", "trading", "broadcast",
                    "broadcasting", "shipping"}

# Terms not disclosed.
_DISCLOSE_VERBS = {"disclose", "reveal", "specify", "divulge", "publish", "share", "detail", "confirm",
                   "announce", "give", "provide", "release", "comment", "make"}
# Saying verbs: withheld only with a quantity question ("did not say how many").
_SAY_VERBS = {"say", "tell", "state", "explain", "indicate"}
_UNDISCLOSED_WORDS = {"undisclosed", "unspecified", "undisclosed.", "unannounced", "mum", "confidential"}
_DISCLOSE_OBJECTS = {"term", "price", "figure", "amount", "detail", "value", "valuation", "sum",
                     "financial", "specific", "number", "cost", "fee", "payment", "size", "sale", "total"}
# Words that make a withheld figure a sum of money ("did not disclose pricing", "what it paid").
_MONEY_SLOT = {"price", "pricing", "cost", "fee", "payment", "pay", "value", "valuation", "sum", "financial",
               "term", "spend", "charge", "salary", "compensation", "bonus", "fine", "subsidy", "budget", "worth"}
# Words of a withheld-figure phrase that say only that a figure exists, not what it measures.
_SLOT_GENERIC = _DISCLOSE_OBJECTS | _UNDISCLOSED_WORDS | {"how", "many", "much", "what", "exact", "precise", "full",
                                                         "expect"}

# Denial.
_DENIAL_VERBS = {"deny", "refute", "rebut", "dispute", "contradict", "disavow"}
_DENIAL_OBJ_VERBS = {"reject", "dismiss", "call", "brand", "label", "describe"}
_CLAIM_NOUNS = {"report", "claim", "allegation", "rumor", "rumour", "speculation", "suggestion",
                "story", "accusation", "charge", "assertion", "account", "characterization", "notion",
                "idea", "premise", "reporting", "article", "leak"}
_FALSE_ADJ = {"false", "untrue", "baseless", "inaccurate", "unfounded", "fake", "wrong", "incorrect",
              "misleading", "groundless", "fabricated", "speculative", "erroneous"}

# What a dismissal calls the report it rejects ("dismissed as speculation").
_DISMISSED_AS = _FALSE_ADJ | {"speculation", "rumor", "rumour", "nonsense", "fiction", "fabrication", "fantasy",
                              "gossip", "conjecture", "invention", "smear"}

_NEG_WORDS = {"not", "n't", "never", "no", "neither", "nor", "nothing", "none", "nobody"}
_NEG_PRONOUNS = {"none", "nobody", "nothing", "neither"}

_MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"], start=1)}
_MONTHS.update({m[:3]: i for m, i in list(_MONTHS.items())})
_MONTHS["sept"] = 9
_WEEKDAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
_SCALE = {"thousand": 1e3, "k": 1e3, "million": 1e6, "mln": 1e6, "m": 1e6, "mn": 1e6, "billion": 1e9,
          "bn": 1e9, "b": 1e9, "bln": 1e9, "trillion": 1e12, "tn": 1e12, "trn": 1e12, "hundred": 1e2,
          "dozen": 12}
_WORD_NUM = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
             "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
             "forty": 40, "fifty": 50, "hundred": 100, "a": 1, "an": 1, "half": 0.5}
_NUM_RE = re.compile(r"\d+(?:[.,]\d+)*")
_CURRENCY = {"$": "usd", "us$": "usd", "€": "eur", "£": "gbp", "¥": "jpy", "dollar": "usd", "euro": "eur",
             "pound": "gbp", "yen": "jpy", "yuan": "cny", "usd": "usd", "eur": "eur", "gbp": "gbp",
             "rupee": "inr", "won": "krw", "franc": "chf", "crown": "crown", "krona": "crown", "krone": "crown"}
# Verbs whose infinitive complement did not or will not happen ("refused to reopen", "failed to
# agree"): the sentence asserts the complement negated, as "would not reopen" does.
_NEGATIVE_IMPLICATIVES = {"refuse", "decline", "fail"}
# ... except "declined to comment / elaborate": no assertion about the story, just no answer.
_NO_COMMENT = {"comment", "elaborate", "respond", "discuss", "answer"}
# Nouns of a change ("1,200 job cuts", "300 job losses"): the number counts their compound noun.
_CHANGE_NOUNS = {"decrease", "increase", "loss"}
# "2:02:11": hours, minutes and seconds of a run, written like a clock time but with seconds.
# Fraction words of a whole: "four-fifths of its value", "almost a third", "half of the stores". Read
# as an approximate percentage (kind ``pct~``): a news fraction is a rounding ("a third" for 30%).
_DENOMINATORS = {"half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fifth": 5,
                 "fifths": 5, "sixth": 6, "sixths": 6, "eighth": 8, "eighths": 8, "tenth": 10, "tenths": 10}
_RACE_TIME = re.compile(r"\d{1,2}:[0-5]\d:[0-5]\d")
# Seconds per unit of a TIME entity that is a duration ("about seven hours"), not a clock time.
_DURATION_SECONDS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
# Durations spaCy tags DATE ("lasted three days", "a two-week strike"): days and longer, in seconds.
_LONG_DURATIONS = {"day": 86400, "week": 7 * 86400, "fortnight": 14 * 86400, "month": 30 * 86400,
                   "year": 365 * 86400}
# A DATE span with one of these is a time relative to another ("three days after", "two weeks ago").
_RELATIVE_WORDS = {"ago", "after", "before", "later", "earlier", "since", "next", "last", "this", "past"}
# A vote or a score: "in a 7-2 vote", "passed 61-59", "by 68 votes to 55", "beat Chelsea 3-1". The
# words around it tell it from a range ("10-15 people"): a vote/decision word after, a verb of voting,
# ruling or winning before.
_TALLY = re.compile(r"\b(\d{1,3}) ?(?:[-–]|votes? to) ?(\d{1,3})\b")
_TALLY_AFTER = re.compile(r"^\W*(?:\w+\W+)?(?:votes?|decision|majority|margin|ruling|verdict|split|win|victory|"
                          r"defeat|loss|draw)\b")
_TALLY_BEFORE = re.compile(r"\b(?:pass(?:ed|es)?|vot(?:ed|es?)|ruled?|rules|won|wins?|lost|loses?|beat(?:s|en)?|"
                           r"defeat(?:ed|s)?|approved?|rejected?|backed|cleared?|drew|draws?|finished|ended|"
                           r"by)\W+(?:\w+\W+)?$")
_BOUND_WORDS = {"more", "over", "nearly", "almost", "about", "around", "roughly", "least", "some", "up",
                "under", "less", "than", "approximately", "several", "few", "just"}
# A number that is the subject of one of these verbs counts people ("12 were killed", "30 wounded"), as
# one modifying one of these adjectives does ("left 9 dead").
_CASUALTY_VERBS = {"kill", "injure", "wound", "hurt", "die", "rescue", "evacuate", "arrest", "detain",
                   "hospitalise", "hospitalize", "displace", "trap", "strand"}
_PEOPLE_STATES = {"dead", "injured", "wounded", "missing", "hurt", "homeless", "displaced", "unaccounted"}
# "a workforce of 1,400": a number after "of" counts the people of these collective nouns.
_PEOPLE_COLLECTIVES = {"workforce", "staff", "crew", "crowd", "headcount", "membership"}
# "the first quarter of 2027", "the second half of 2026": a part of a year, compared like a month.
# Seasons as parts of a year (northern hemisphere, as the timeline reads them), and the edges of a year.
_SEASONS = {"spring": "S1", "summer": "S2", "autumn": "S3", "fall": "S3", "winter": "S4"}
_YEAR_EDGES = {"late": "H2", "end": "H2", "early": "H1", "beginning": "H1", "start": "H1"}
_YEAR_PARTS = {("first", "quarter"): "Q1", ("second", "quarter"): "Q2", ("third", "quarter"): "Q3",
               ("fourth", "quarter"): "Q4", ("first", "half"): "H1", ("second", "half"): "H2"}

FEATURE_KEYS = ("claim_is_claim", "claim_hedge", "claim_negated", "claim_status", "claim_status_cue",
                "claim_status_target", "claim_figures", "claim_undisclosed", "claim_withheld", "claim_denial",
                "claim_key_terms", "claim_entities", "claim_predicate", "claim_subject_ref", "claim_descriptions")


# ---------------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------------

_MEMBERS: dict[str, tuple[str, ...]] = {g[0]: g for g in _CONCEPT_GROUPS}


def concept_members(term: str) -> tuple[str, ...]:
    """Every word a concept term stands for (the term itself when it heads no group)."""
    return _MEMBERS.get(term, (term,))


def concept(lemma: str) -> str:
    """The synonym-group head for a lemma (the lemma itself when it is in no group)."""
    return CONCEPT.get(lemma, lemma)


def _lemma(tok: Token) -> str:
    return tok.lemma_.lower() or tok.lower_


def _main_verbs(sent: Span) -> list[Token]:
    """The verbs that carry the sentence's own assertion.

    The root, verbs coordinated with it, and the complement of a reporting root ("X said [that ...]")
    or of a light/aspectual verb ("agreed [to buy]"): negation or a modal there negates or hedges the
    claim, while the same word in a relative or adverbial clause does not.
    """
    verb = _verb_under_noun_root(sent.root)
    return _verb_chain(sent.root if verb is None else verb)


def _verb_under_noun_root(root: Token) -> Token | None:
    """The real verb of a sentence the small parser rooted at its subject noun, else None.

    "Larkfield, the 96-year-old chain, [filed] for Chapter 11": after an apposition or a relative clause
    the verb is often parsed as a participle modifying the subject ("filed" acl, VBN); "The Kenyan
    [lowered] the mark" as an adjective of the object. A sentence whose root is a noun and that has
    such a verb asserts with that verb."""
    if root.pos_ not in ("NOUN", "PROPN"):
        return None
    doc = root.doc
    for c in root.children:
        if c.dep_ == "acl" and c.tag_ in ("VBN", "VBD") and c.i > root.i and doc[c.i - 1].text == ",":
            return c
    for c in root.children:
        if c.dep_ == "amod" and c.tag_ == "VBD" and c.i < root.i:
            return c
    return None


def _verb_chain(root: Token) -> list[Token]:
    """``root`` and the verbs that carry its assertion on (see :func:`_main_verbs`)."""
    out = [root]
    frontier = [root]
    while frontier:
        head = frontier.pop()
        for child in head.children:
            dep = child.dep_
            if not child.is_alpha:
                continue  # "co-develop" parses as co / - / develop: the hyphen is no clause
            if dep == "conj" and child.pos_ in ("VERB", "AUX"):
                out.append(child)
                frontier.append(child)
            elif dep in ("ccomp", "xcomp") and (_lemma(head) in _REPORTING or _lemma(head) in _LIGHT
                                                 or dep == "xcomp"):
                out.append(child)
                frontier.append(child)
    return out


def term_of(tok: Token) -> str:
    """The matching term of a content word: its concept, with phrasal verbs read as one ('call off')."""
    lem = _lemma(tok)
    if tok.pos_ == "VERB":
        for c in tok.children:
            if c.dep_ == "prt" or (c.dep_ == "advmod" and c.lower_ in _PARTICLES and c.i == tok.i + 1):
                phrasal = _PHRASAL.get(f"{lem} {c.lower_}")
                if phrasal:
                    return concept(phrasal)  # "shut down" -> "close" -> the group "close" belongs to
            elif lem in _DEAL_VERBS and c.dep_ == "dobj" and concept(_lemma(c)) == "deal":
                return "sign"  # "struck / reached a deal": agreeing, not a walkout or an arrival
        if lem in _VERB_CONCEPT:
            return _VERB_CONCEPT[lem]
    return concept(lem)


# Nouns that name a proposition ("reports that ...", "claims that ..."): denying or confirming one
# asserts about its clause, so that clause's verb is the predicate.
_PROPOSITION_NOUNS = {"report", "claim", "allegation", "accusation", "suggestion", "speculation", "rumour",
                      "rumor", "assertion", "story", "suspicion", "idea", "notion", "charge"}


def _proposition_clause(verb: Token) -> Token | None:
    """The clause verb of a proposition noun object: "denied [reports] that it [intends] to relocate"."""
    for obj in verb.children:
        if obj.dep_ == "dobj" and _lemma(obj) in _PROPOSITION_NOUNS:
            for c in obj.children:
                if c.dep_ in ("acl", "relcl", "ccomp") and c.pos_ in ("VERB", "AUX"):
                    return c
    return None


# Verbs that only bring an event noun about: "forged a partnership" asserts the partnership, as
# "announced a partnership" does.
_SUPPORT_VERBS = {"forge", "form", "enter", "establish", "seal", "ink", "cement", "clinch", "conclude"}


def _by_gerund(verb: Token) -> Token | None:
    """The gerund of a "by Xing" phrase on ``verb``: "took a step forward [by forging] a partnership"."""
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ == "by":
            for g in child.children:
                if g.dep_ == "pcomp" and g.pos_ == "VERB":
                    return g
    return None


def _bound_prefix(tok: Token) -> bool:
    """A prefix the tokenizer split off a hyphenated verb ("co" of "co-develop")."""
    return tok.i + 1 < len(tok.doc) and tok.nbor(1).text == "-" and not tok.whitespace_


def _predicate(main: list[Token]) -> str:
    """Concept of the main predicate, skipping reporting, light and control verbs to what they govern."""
    for verb in main:
        lem = _lemma(verb)
        children = [c for c in verb.children if c.is_alpha]  # a split hyphen can parse as a clause
        if _bound_prefix(verb):
            continue  # "co-develop": the verb is the next word
        if lem in _REPORTING or lem in _DENIAL_OBJ_VERBS:
            clause = _proposition_clause(verb)
            if clause is not None:
                return _predicate(_verb_chain(clause))
        has_obj = any(c.dep_ in ("dobj", "attr", "acomp", "oprd") for c in children)
        if lem in _CONTROL and not has_obj and any(c.dep_ == "xcomp" for c in children):
            continue  # "declined to disclose", "agreed to buy": the complement carries the claim
        if lem in _REPORTING and any(c.dep_ == "ccomp" for c in children):
            continue  # "told reporters [that] X": the reported clause, not the audience, is the claim
        if lem in _REPORTING or lem in _LIGHT or lem in _SUPPORT_VERBS or verb.pos_ == "AUX":
            for child in children:
                if child.dep_ in ("dobj", "attr", "acomp", "oprd") and child.pos_ in ("NOUN", "ADJ", "PROPN"):
                    term = concept(_lemma(child))
                    if term not in _VAGUE_OBJECTS:
                        return term
                    gerund = _by_gerund(verb)  # "took a step by forging a partnership"
                    return _predicate(_verb_chain(gerund)) if gerund is not None else ""
            for child in children:  # "went on strike", "is in talks" (not "said in a statement")
                if child.dep_ == "prep" and lem not in _REPORTING:
                    for g in child.children:
                        # "had $209bn in assets at the end of 2022": a time phrase is not the predicate.
                        if g.dep_ == "pobj" and g.pos_ == "NOUN" and not g.ent_type_ \
                                and _lemma(g) not in _TIME_NOUNS:
                            term = concept(_lemma(g))
                            return "" if term in _VAGUE_OBJECTS else term
            continue
        if verb.pos_ in ("VERB", "ADJ", "NOUN"):
            return term_of(verb)
    return ""


_DASH_SPLIT = re.compile(r"\s*[\u2013\u2014/]\s*|\s+-\s+")


_MINOR = {"of", "the", "and", "for", "&", "de", "la", "du", "von", "van"}


def initials(text: str) -> str:
    """Initials of a multi-word name ('European Central Bank' -> 'ecb'), '' for one-word names."""
    words = [w for w in re.split(r"[\s\-]+", text) if w and w.lower().strip(".") not in _MINOR]
    words = [w for w in words if w[:1].isalnum()]
    while len(words) > 1 and words[-1].lower().strip(".,") in _SUFFIXES:
        words.pop()
    if len(words) < 2:
        return ""
    return "".join(w[0].lower() for w in words)


def _keys(text: str) -> list[str]:
    """Name keys of a name; an en/em dash or slash joins two names ('Meta–Midjourney' -> two keys).

    A multi-word name also carries its initials ('europeancentralbank~ecb'), so the claim matcher can
    pair it with the acronym another source uses.
    """
    out = []
    for part in _DASH_SPLIT.split(text):
        key = name_key(part)
        if key:
            ini = initials(part)
            out.append(f"{key}~{ini}" if ini and ini != key else key)
    return out


def _name_spans(sent: Span) -> list[tuple[int, int, str]]:
    """(start, end, name_key) for named entities and for runs of proper nouns spaCy did not label."""
    spans: list[tuple[int, int, str]] = []
    covered: set[int] = set()
    for ent in sent.ents:
        if ent.label_ in _NAME_LABELS:
            toks = [t for t in ent if not (t.is_punct or t.tag_ == "POS" or t.lower_ == "the")]
            if not toks:
                continue
            for key in _keys(" ".join(t.text for t in toks)):
                spans.append((toks[0].i, toks[-1].i + 1, key))
            covered.update(range(ent.start, ent.end))
            if any(t.pos_ == "VERB" for t in toks):  # a mislabelled clause, not a name
                spans.pop()
    run: list[Token] = []
    first = sent.start
    for tok in list(sent) + [None]:  # type: ignore[list-item]
        if (tok is not None and tok.i not in covered and tok.ent_type_ not in _FIGURE_LABELS
                and _name_part(tok, first)):
            run.append(tok)
            continue
        if run:
            for key in _keys(" ".join(t.text for t in run)):
                spans.append((run[0].i, run[-1].i + 1, key))
            run = []
    return spans


def _name_part(tok: Token, first: int) -> bool:
    """A proper noun, or a word the small model mis-tags but spelling marks as a name.

    Mid-sentence capitalised nouns ('Rivian', 'R2') and mixed letter-digit model names ('H20', 'MI308')
    are names; a capitalised first word is only a name when tagged PROPN.
    """
    if tok.pos_ == "PROPN":
        return True
    text = tok.text
    if not text[:1].isalnum() or tok.is_stop or tok.pos_ in ("VERB", "AUX", "ADV", "PRON", "DET", "ADP"):
        return False
    if any(c.isdigit() for c in text) and any(c.isupper() for c in text):
        return True
    return tok.i != first and text[:1].isupper() and tok.pos_ in ("NOUN", "ADJ", "X", "NUM") and not (
        tok.i > 0 and tok.doc[tok.i - 1].text in (".", ":", "\n", "“", '"'))


_PERIPHERAL_DEPS = {"appos", "relcl", "acl", "advcl", "parataxis", "npadvmod"}


def _peripheral(tok: Token, root: Token) -> bool:
    """Whether a token sits in background material: an apposition, relative/adverbial clause, parenthesis."""
    t = tok
    depth = 0
    while t.i != root.i and depth < 40:
        if t.dep_ in _PERIPHERAL_DEPS:
            return True
        if t.dep_ == "prep" and t.lower_ in ("like", "including", "such"):
            return True
        t = t.head
        depth += 1
    return False


def _subtree_keys(tok: Token, key_at: dict[int, str]) -> set[str]:
    return {key_at[t.i] for t in tok.subtree if t.i in key_at}


_PLACE_ENTS = {"GPE", "LOC", "FAC"}


def _thing_keys(np: Token, key_at: dict[int, str]) -> set[str]:
    """Name keys of the thing a noun phrase names, without its owner: "Halden's Voss e-bike" is voss.
    The owner stands in when the thing has no name of its own ("Halden's new e-bike" is halden). A place
    inside the phrase names the thing ("the plant near Halvern")."""
    own: set[str] = set()
    owner: set[str] = set()
    stack = [np]
    while stack:
        tok = stack.pop()
        if tok.i in key_at:
            own.add(key_at[tok.i])
        for child in tok.children:
            if child.dep_ == "poss":
                owner |= _subtree_keys(child, key_at)
            else:
                stack.append(child)
    return (own - owner) or owner


def _status_target(cue: Token, key_at: dict[int, str]) -> set[str]:
    """Name keys of what a status cue is about: the thing released (its object, or its subject when the
    verb has none), or the noun an adjective modifies. Not the party releasing it: in "Meta launched
    Imagine" the status is Imagine's; nor its owner when the thing has a name, nor a place."""
    if cue.dep_ in ("amod", "acl", "compound") or cue.pos_ == "ADJ" and cue.dep_ != "acomp":
        head = cue.head
        keys = {key_at[t.i] for t in head.subtree if t.i in key_at and t.i >= cue.i - 1
                and t.i <= head.i + 1} if cue.i < head.i else set()
        keys |= {key_at[t.i] for t in [head, *head.lefts] if t.i in key_at}
        if cue.dep_ == "acl":
            keys |= _subtree_keys(head, key_at)
        return keys
    verb = cue if cue.dep_ != "acomp" else cue.head
    children = list(verb.children)
    if not any(c.dep_.startswith("nsubj") for c in children) and verb.dep_ in ("conj", "xcomp"):
        children += [c for c in verb.head.children if c.dep_.startswith("nsubj")]
    things: set[str] = set()
    subject: set[str] = set()
    has_object = False
    for child in children:
        if child.dep_ in ("dobj", "nsubjpass", "attr", "oprd"):
            has_object = True
            things |= _thing_keys(child, key_at)
        elif child.dep_ == "nsubj":
            subject |= _thing_keys(child, key_at)
        elif child.dep_ in ("prep", "prt", "agent") and child.lower_ not in ("by",) \
                and _lemma(verb) not in ("be", *_STATE_VERBS):  # "is in development at Skyhaven": where
            for grand in child.children:
                if grand.dep_ in ("pobj", "dobj") and grand.ent_type_ not in _PLACE_ENTS:
                    things |= _thing_keys(grand, key_at)
    # The subject is what the status is about only when the verb has no object: in "Meta released a
    # statement" it is the releasing party, and a statement names nothing another status could be about.
    # An operating verb's subject is the thing in operation ("the Talon-3 is already flying missions").
    if _lemma(verb) in _OPERATING_VERBS | _START_VERBS | _RESUME_VERBS:
        keys = subject or things
    else:
        keys = things or (set() if has_object else subject)
    if verb.dep_ == "relcl" and verb.head.i in key_at:
        keys.add(key_at[verb.head.i])  # "the Apex Pro, which went on sale": the clause is about its head
    if cue.i in key_at:
        keys.add(key_at[cue.i])
    return keys


def _future(verb: Token) -> bool:
    """"will launch", "plans to open": the verb is about what has not happened yet."""
    return any(c.lower_ in ("will", "'ll", "shall") for c in verb.children) or (
        verb.dep_ == "xcomp" and _lemma(verb.head) in _FUTURE_HEADS)


def _not_yet(verb: Token) -> bool:
    """Negated, future or "yet to": the verb's event has not happened ("never reached stores")."""
    negated = _is_negated(verb) or (verb.dep_ == "xcomp" and _is_negated(verb.head))
    return bool(negated) or _future(verb) or any(c.lower_ == "yet" for c in verb.children)


def _phrase_status(tok: Token) -> tuple[str, Token, str] | None:
    """A release status said by a phrase rather than a release verb: (kind, cue token, cue text).

    Released: "is already on the market", "hit shelves", "entered service", "opened to passengers",
    "has been operating since May". Unreleased: those negated or in the future ("never reached stores"),
    and "in development", "under construction", "slated for release", "due out", "awaiting approval",
    "is being tested". A verb with an object of its own is about that object ("put 49% on the market").
    """
    lem, head = _lemma(tok), tok.head
    if lem in _RELEASE_PLACES and tok.pos_ == "NOUN":
        verb = None
        if tok.dep_ == "pobj" and head.lower_ in _RELEASE_PLACES[lem] and head.head.pos_ in ("VERB", "AUX"):
            verb = head.head
        elif tok.dep_ == "dobj" and (_lemma(head) in _REACH_VERBS or (_lemma(head) == "take" and lem == "effect")) \
                and lem != "use":
            verb = head
        if verb is None or any(c.dep_ == "dobj" and c.i != tok.i for c in verb.children):
            return None
        if verb.tag_ in ("VBZ", "VBP") and _lemma(verb) != "be" and not _not_yet(verb):
            return None  # "the rule takes effect on May 15", "comes into force in June": a schedule
        where = tok.doc[head.i:tok.i + 1].text if tok.dep_ == "pobj" else tok.text  # "on the market"
        return ("unreleased" if _not_yet(verb) else "released"), verb, f"{_verb_phrase(verb)} {where}"
    if lem in _PRE_RELEASE and tok.dep_ == "pobj" and head.lower_ in ("in", "under") \
            and head.head.pos_ in ("VERB", "AUX") and not any(c.dep_ == "dobj" for c in head.head.children):
        return "unreleased", head.head, f"{head.text} {tok.text}"
    if tok.pos_ == "VERB" and not any(c.dep_ == "dobj" for c in tok.children) and (
            lem == "operate" or (lem == "open" and any(c.dep_ == "prep" and c.lower_ == "to" for c in tok.children))):
        # "opened to traffic", "has been operating since May" (not "shares opened lower")
        return ("unreleased" if _not_yet(tok) else "released"), tok, _verb_phrase(tok)
    if tok.pos_ == "VERB" and lem == "open" and _not_yet(tok) \
            and not any(c.dep_ in ("dobj", "advmod", "acomp") for c in tok.children):
        # "is not expected to open before 2028", "will open in May" (not "shares will open lower",
        # "will open 20 stores")
        return "unreleased", tok, _verb_phrase(tok)
    if lem == "operational" and tok.pos_ == "ADJ":
        neg = _is_negated(tok) or (_is_negated(head) if tok.dep_ == "acomp" else "")
        return ("unreleased" if neg else "released"), tok, tok.text
    if lem in ("release", "launch", "debut") and tok.pos_ == "NOUN" and tok.dep_ == "pobj" \
            and head.lower_ == "for" and (_lemma(head.head) in _SCHEDULE_WORDS or head.head.lower_ == "slated"):
        return "unreleased", head.head, f"{head.head.text} for {tok.text}"  # "slated for release"
    if tok.lower_ == "due" and tok.i + 1 < len(tok.doc) and tok.nbor(1).lower_ == "out":
        return "unreleased", tok, "due out"
    if lem in ("await", "pending") and any(_lemma(t) in _APPROVALS for t in tok.subtree if t.i != tok.i):
        return "unreleased", tok, f"{tok.text} approval"
    if lem in ("test", "pilot", "trial") and tok.pos_ == "VERB" and any(c.lower_ == "being" for c in tok.children):
        return "unreleased", tok, f"being {tok.text}"
    return _operating_state(tok) or _operation_under_way(tok)


def _operation_under_way(tok: Token) -> tuple[str, Token, str] | None:
    """Whether something has started operating: a start verb with an operation ("began flights to
    Lisbon", "has not started deliveries") or an operating verb marked "already" or "yet" ("is already
    supplying power", "is not yet carrying passengers"). A start in the simple present is a schedule
    ("begins flights in May"), and a verb with a particle is another verb ("ran out of cash")."""
    if tok.pos_ != "VERB" or any(c.dep_ == "prt" for c in tok.children):
        return None
    lem = _lemma(tok)
    if lem in _START_VERBS:
        started = [c for c in tok.children if (c.dep_ == "dobj" and _lemma(c) in _OPERATION_NOUNS)
                   or (c.dep_ == "xcomp" and c.tag_ == "VBG" and _lemma(c) in _OPERATING_VERBS)]
        if not started or (tok.tag_ in ("VBZ", "VBP") and not _not_yet(tok)):
            return None
        # "was due to begin producing power in 2028", "is scheduled to start flights": a plan
        planned = tok.dep_ == "xcomp" and (_lemma(tok.head) in _SCHEDULE_WORDS or tok.head.lower_ in ("due", "slated"))
        kind = "unreleased" if planned or _not_yet(tok) else "released"
        return kind, tok, f"{_verb_phrase(tok)} {started[0].text}"
    if lem not in _OPERATING_VERBS:
        return None
    if tok.dep_ == "xcomp" and _lemma(tok.head) in _START_VERBS:
        return None  # "began operating": the start verb is the cue
    yet_to = tok.dep_ == "xcomp" and _lemma(tok.head) in ("have", "be") and any(
        c.lower_ == "yet" for c in tok.head.children)
    if yet_to or (_is_negated(tok) and any(c.lower_ == "yet" for c in tok.children)):
        return "unreleased", tok, _verb_phrase(tok)
    if any(c.lower_ == "already" for c in tok.children) and not _is_negated(tok):
        progressive = tok.tag_ == "VBG" and any(c.dep_ == "aux" and _lemma(c) == "be" for c in tok.children)
        if lem in _PROGRESSIVE_ONLY and not progressive:
            return None
        return "released", tok, f"already {tok.text}"
    return None


def _operating_state(tok: Token) -> tuple[str, Token, str] | None:
    """Whether a facility or service is back in operation or still out of it, as a release status.

    Released: "has resumed production", "reopened on Monday", "is back online", "remains open".
    Unreleased: "remains shut", "is still closed", "stays offline", "has not reopened", "will restart in
    2027". A state with a number is a market move, not an operating state ("shares remained down 3%").
    """
    lem, head = _lemma(tok), tok.head
    if tok.pos_ == "VERB" and lem in _RESUME_VERBS:
        if tok.dep_ == "xcomp" and _lemma(head) not in _FUTURE_HEADS:
            return None  # "refused to reopen the contract" is a refusal (a negation), not a state
        if _is_negated(tok) and any(c.tag_ == "MD" for c in tok.children):
            return None  # "would not reopen the contract" is a refusal too; "has not reopened" is a state
        return ("unreleased" if _not_yet(tok) else "released"), tok, _verb_phrase(tok)
    word = tok.lower_ if tok.lower_ in _STOPPED_STATES | _OPEN_STATES else lem
    if word not in _STOPPED_STATES | _OPEN_STATES or tok.dep_ not in ("acomp", "xcomp", "oprd", "advmod", "advcl"):
        return None
    if any(t.like_num or t.ent_type_ in ("PERCENT", "MONEY") for t in head.subtree):
        return None
    marks = [c for c in (*tok.children, *head.children) if c.lower_ in ("still", "back")]
    back = any(c.lower_ == "back" for c in marks)
    if back and word in _STOPPED_STATES:
        return None  # "back down" is a climb-down, not a state
    if not (_lemma(head) in _STATE_VERBS or (marks and _lemma(head) in ("be", "come", "go"))):
        return None
    kind = "released" if back or word in _OPEN_STATES else "unreleased"
    if _is_negated(head):
        return None  # "did not stay closed": the state is denied, not stated
    first = min([head.i, *(c.i for c in marks)])
    cue = tok.doc[first:tok.i + 1].text if 0 <= tok.i - first <= 3 else f"{head.text} {tok.text}"
    return kind, head, cue


def _is_negated(tok: Token) -> str:
    """The negation cue attached to a verb or adjective ('' when none). 'not only' is not a negation.

    A negative pronoun as the verb's subject or object negates it too: "none of the cases had received
    two doses" says the cases had not, against "two of the cases had"; "nothing was disclosed".
    """
    for child in tok.children:
        if child.dep_ == "neg":
            nxt = child.nbor(1) if child.i + 1 < len(child.doc) else None
            if nxt is not None and nxt.lower_ in ("only", "just", "merely", "simply"):
                continue
            return child.lower_
        if child.dep_ in ("nsubj", "nsubjpass", "dobj") and child.lower_ in _NEG_PRONOUNS:
            return child.lower_
    return ""


def _verb_phrase(tok: Token) -> str:
    """A verb with its auxiliaries, negation and 'yet' ('has not yet been released')."""
    parts = [c for c in tok.children if c.dep_ in ("aux", "auxpass", "neg") or c.lower_ == "yet"]
    if tok.dep_ == "xcomp":
        parts.append(tok.head)
        parts += [c for c in tok.head.children if c.dep_ in ("aux", "neg") or c.lower_ == "yet"]
    return " ".join(t.text for t in sorted([*parts, tok], key=lambda t: t.i))


def _number(text: str) -> float | None:
    """Parse '43', '1,200', '2.5', 'two', 'half' into a float."""
    t = text.lower().strip()
    if t in _WORD_NUM:
        return float(_WORD_NUM[t])
    m = _NUM_RE.search(t)
    if not m:
        return None
    raw = m.group(0)
    if raw.count(",") and not raw.count("."):
        raw = raw.replace(",", "")
    else:
        raw = raw.replace(",", "")
    try:
        return float(raw)
    except ValueError:
        return None


def _fmt(value: float) -> str:
    return f"{value:.4g}"


_SCALE_SUFFIX = re.compile(r"(\d+(?:[.,]\d+)*)(k|m|bn|b|mn|tn)")
# A currency prefix glued to the amount: "NZ$2", "A$3.5bn", "US$40", "HK$1".
_PREFIXED_AMOUNT = re.compile(r"([a-z]{0,3})([$€£¥])(\d+(?:[.,]\d+)*)(k|m|bn|b|mn|tn)?")
_DOLLAR_PREFIX = {"": "usd", "us": "usd", "nz": "nzd", "a": "aud", "au": "aud", "c": "cad", "ca": "cad",
                  "hk": "hkd", "s": "sgd"}


def _quantity_value(tokens: list[Token]) -> float | None:
    """Numeric value of a MONEY/CARDINAL/PERCENT span, scale words applied ('$4.3 billion' -> 4.3e9).

    Only the first amount counts: "between 3 billion and 4 billion euros" is 3e9, not 3e9 x 1e9.
    """
    value: float | None = None
    scale = 1.0
    for t in tokens:
        low = t.lower_.rstrip(".")
        glued = _PREFIXED_AMOUNT.fullmatch(low)
        m = _SCALE_SUFFIX.fullmatch(low) or (glued and glued.group(4) and glued)
        if value is not None and (m or (t.like_num and low not in _SCALE)):
            break  # a second amount: a range or a list; keep the first
        if m:
            value = _number(m.group(1) if m.re is _SCALE_SUFFIX else m.group(3))
            scale *= _SCALE[m.group(2) if m.re is _SCALE_SUFFIX else m.group(4)]
            continue
        if glued:
            value = _number(glued.group(3))
            continue
        if low in _SCALE and value is not None:
            scale *= _SCALE[low]
        elif value is None:
            v = _number(low) if (t.like_num or low in _WORD_NUM) else None
            if v is not None and low not in ("a", "an"):
                value = v
    if value is None:
        return None
    return value * scale


def _with_trailing_scale(ent: Span) -> list[Token]:
    """The entity's tokens plus a glued scale abbreviation spaCy left outside it ('£45' + 'm', '1.4' + 'm')."""
    tokens = list(ent)
    nxt = ent.doc[ent.end] if ent.end < len(ent.doc) else None
    if nxt is not None and not ent[-1].whitespace_ and nxt.lower_ in ("m", "bn", "k", "mn", "tn", "b"):
        tokens.append(nxt)
    return tokens


def _currency(ent: Span) -> str:
    """The currency of a money span: a symbol or word inside it, just before it or just after it."""
    doc = ent.doc
    window = list(ent) + ([doc[ent.start - 1]] if ent.start > 0 else []) \
        + [doc[i] for i in range(ent.end, min(ent.end + 3, len(doc)))]
    for t in window:
        low = t.lower_
        glued = _PREFIXED_AMOUNT.fullmatch(low) or re.fullmatch(r"([a-z]{1,3})([$])", low)
        if glued and glued.group(2) == "$" and glued.group(1) in _DOLLAR_PREFIX:
            return _DOLLAR_PREFIX[glued.group(1)]
        c = _CURRENCY.get(low) or _CURRENCY.get(_lemma(t))
        if c:
            return c
    return ""


def _date_value(ent: Span) -> str:
    """Normalise an absolute date ('Aug. 20, 2025' -> '2025-08-20', 'March' -> '--03'); '' if relative."""
    year = month = day = part = ""
    weekday = ""
    for t in ent:
        low = t.lower_.rstrip(".")
        if low in _MONTHS and not (low == "may" and t.tag_ == "MD"):
            month = f"{_MONTHS[low]:02d}"
        elif low in _WEEKDAYS:
            weekday = low
        elif re.fullmatch(r"(1[89]|20)\d\d", low):
            year = low
        elif re.fullmatch(r"\d{1,2}(st|nd|rd|th)?", low):
            day = f"{int(re.match(r'[0-9]+', low).group(0)):02d}"
        elif re.fullmatch(r"q[1-4]", low):
            month = low.upper()
        elif t.i > ent.start and (ent.doc[t.i - 1].lower_, low) in _YEAR_PARTS:
            month = _YEAR_PARTS[(ent.doc[t.i - 1].lower_, low)]
        elif low in _SEASONS and not month:
            month = _SEASONS[low]
        elif low in _YEAR_EDGES and not month:
            part = _YEAR_EDGES[low]
    if not month and part and year:
        # "late 2026", "the end of 2026": the second half; "by the end of 2026" is a deadline, no date.
        before = ent.doc[ent.start - 1].lower_ if ent.start > 0 else ""
        if before in ("by", "before", "until", "till"):
            return ""
        month = part
    if month and month[0] in "QHS":
        return f"{year or '-'}-{month}"
    if month:
        return f"{year or '-'}-{month}" + (f"-{day}" if day else "")
    if year and len(ent) <= 3 and not any(t.lower_ in ("since", "until", "by") for t in ent):
        return year
    if weekday:
        return weekday
    return ""


def _duration_seconds(ent: Span) -> float | None:
    """A duration in seconds ("25 minutes and 40 seconds" -> 1540, "about seven hours" -> 25200), so two
    wordings of one length compare; None for a clock time ("10 a.m.") or a span with no unit."""
    total, pending = 0.0, None
    for t in ent:
        low = t.lower_
        if t.like_num or low in _WORD_NUM:
            pending = _number(low)
        elif pending is not None and _lemma(t) in _DURATION_SECONDS:
            total += pending * _DURATION_SECONDS[_lemma(t)]
            pending = None
    return total or None


def _long_duration(ent: Span) -> float | None:
    """Seconds of a DATE span that is a length of time ("lasted three days", "for a week", "a two-week
    strike"), None for a date or a time relative to another ("in two weeks", "three days later")."""
    if any(t.lower_ in _RELATIVE_WORDS for t in ent):
        return None
    # "more than a year", "nearly two weeks": a bound or a rounding, which 14 months does not contradict
    # (bounds are not modelled, so such a length is left out rather than read as exact).
    before = ent.doc[max(ent.start - 2, 0):ent.start]
    if any(t.lower_ in _BOUND_WORDS for t in (*ent, *before)):
        return None
    last = ent[-1]
    unit = _LONG_DURATIONS.get(_lemma(last))
    if unit is None:
        return None
    # Its role: an adverbial of a verb ("lasted three days"), the object of "for", or a compound
    # ("three-day strike"); "in two weeks" is a deadline, "within a month" too.
    if not (last.dep_ == "npadvmod" and last.head.pos_ in ("VERB", "AUX")
            or (last.dep_ == "pobj" and last.head.lower_ == "for")
            or (last.dep_ in ("compound", "amod") and last.head.pos_ == "NOUN")):
        return None
    nums = [t for t in ent if t.like_num or t.lower_ in _WORD_NUM]
    value = _number(nums[-1].lower_) if nums else None
    return value * unit if value else None


def _one_in(tok: Token) -> tuple[float, int] | None:
    """The percentage "one in five" names (20) and the index of its denominator, from its first
    number; None elsewhere."""
    doc = tok.doc
    if tok.i + 2 >= len(doc) or doc[tok.i + 1].lower_ != "in":
        return None
    k = tok.i + 2 + (doc[tok.i + 2].lower_ == "every")
    if k >= len(doc):
        return None
    a, b = _number(tok.lower_), _number(doc[k].lower_)
    return (100.0 * a / b, k) if a and b and 0 < a < b else None


def _tallies(sent: Span) -> list[tuple[int, int, str]]:
    """(start char, end char, figure) of each vote or score in the sentence: ``tally:61-59``, the larger
    number first, so "61-59" and "59 votes to 61" are one tally."""
    text, out = sent.text, []
    for m in _TALLY.finditer(text):
        after, before = text[m.end():m.end() + 24], text[max(0, m.start() - 30):m.start()]
        if not (_TALLY_AFTER.search(after) or _TALLY_BEFORE.search(before)):
            continue
        x, y = sorted((int(m.group(1)), int(m.group(2))), reverse=True)
        out.append((sent.start_char + m.start(), sent.start_char + m.end(), f"tally:{x}-{y}"))
    return out


# "without foundation", "without basis": what a report is said to lack; "no truth to the reports".
_GROUNDS = {"foundation", "basis", "merit", "substance", "truth", "evidence"}


def _copular_denial(sent: Span) -> str:
    """A report or claim said to be false by a copula: "the report was 'without foundation'", "the claims
    are untrue", "there was 'no truth' to the reports" ('' when none)."""
    for tok in sent:
        if _lemma(tok) != "be" or _is_negated(tok):
            continue
        kids = list(tok.children)
        subject = next((c for c in kids if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is not None and _lemma(subject) in _CLAIM_NOUNS:
            for c in kids:
                if c.dep_ in ("acomp", "attr") and _lemma(c) in _DISMISSED_AS:
                    return f"{subject.text} {tok.text} {c.text}"
                grounds = next((g for g in c.children if g.dep_ == "pobj" and _lemma(g) in _GROUNDS), None) \
                    if c.dep_ == "prep" and c.lower_ == "without" else None
                if grounds is not None:
                    return f"{subject.text} {tok.text} without {grounds.text}"
        for c in kids:  # "there was no truth to the reports"
            if c.dep_ != "attr" or _lemma(c) not in _GROUNDS or not any(d.lower_ == "no" for d in c.children):
                continue
            for p in c.children:
                claim = next((g for g in p.children if _lemma(g) in _CLAIM_NOUNS), None) if p.dep_ == "prep" else None
                if claim is not None:
                    return f"no {c.text} {p.text} the {claim.text}"
    return ""


# Bounds on a figure: "more than 25 minutes" is consistent with 25 minutes 40 seconds, "up to 300 jobs"
# with 250. Only the conflict check reads them (a bounded figure is still the figure for matching).
# "At least" is not one: "at least six people were killed" is the confirmed toll news reports, and
# another outlet's nine is a different count.
_LOWER_BOUNDS = ("more than", "over", "above", "exceeding", "in excess of")
_UPPER_BOUNDS = ("less than", "fewer than", "under", "up to", "at most", "no more than", "below")


def _bound_of(ent: Span) -> str:
    """"gt" when a lower bound ("more than", "over") qualifies the figure, "lt" for an upper one ("up to",
    "fewer than"), '' for an exact or approximate figure. The bound stands just before the entity or at
    its start (spaCy puts "more than" inside some spans)."""
    doc = ent.doc
    lead = " " + " ".join(t.lower_ for t in doc[max(ent.start - 3, 0):min(ent.start + 3, ent.end)]) + " "
    for op, phrases in (("gt", _LOWER_BOUNDS), ("lt", _UPPER_BOUNDS)):
        if any(f" {p} " in lead for p in phrases):
            return op
    return ""


def _not_but(copula: Token) -> bool:
    """"is not X but Y": the copula or its complement has a "but" conjunct, so "not" contrasts two
    complements ("what the sport needs is not another rule, but full disclosure")."""
    def has_but(tok: Token) -> bool:
        return any(c.dep_ == "cc" and c.lower_ == "but" for c in tok.children)
    # On the copula itself only when what "but" joins is no clause: "is not safe, but regulators
    # approved it" still says it is not safe.
    clause = any(c.dep_ == "conj" and c.pos_ in ("VERB", "AUX") for c in copula.children)
    return (has_but(copula) and not clause) or any(c.dep_ in ("attr", "acomp") and has_but(c)
                                                    for c in copula.children)


def _people_count(last: Token) -> bool:
    """Whether a bare number counts people by its role: the subject of a casualty verb ("12 were
    killed"), modifying a state ("9 dead") or after "of" a collective noun ("a workforce of 1,400")."""
    head = last.head
    if last.dep_ in ("nsubj", "nsubjpass") and _lemma(head) in _CASUALTY_VERBS:
        return True
    if last.dep_ == "nummod" and head.lower_ in _PEOPLE_STATES:
        return True
    return last.dep_ == "pobj" and head.lower_ == "of" and _lemma(head.head) in _PEOPLE_COLLECTIVES


def _unit_inside(ent: Span) -> str:
    """The last common noun of a quantity span, as a concept ('50 million degrees Celsius' -> degree)."""
    nouns = [t for t in ent if t.pos_ == "NOUN" and not t.like_num and t.lower_ not in _SCALE]
    return concept(_UNIT_WORDS.get(_lemma(nouns[-1]), _lemma(nouns[-1]))) if nouns else ""


def _fraction_pct(ent: Span) -> float | None:
    """The percentage a fraction of a whole names ("more than four-fifths [of]" -> 80), else None.

    The fraction must be of something ("a third of its value") or a comparison ("a third lower"), so
    "a third straight month" or "the second half" are no fraction."""
    doc = ent.doc
    for t in ent:
        den = _DENOMINATORS.get(t.lower_)
        if den is None:
            continue
        # spaCy tags "a third" ORDINAL "third" at times: then its article is just outside the span.
        start = ent.start - 1 if t.i == ent.start and ent.start > 0 and doc[ent.start - 1].lower_ in ("a", "an") \
            else ent.start
        after = doc[t.i + 1] if t.i + 1 < len(doc) else None
        # "down by almost a third", but not "cut by half a point" (a fraction of a unit, not of a whole)
        by = start > 0 and doc[start - 1].lower_ == "by" and (
            after is None or after.pos_ in ("PUNCT", "ADP", "SCONJ", "CCONJ", "ADV", "VERB"))
        if not by and (after is None or not (after.lower_ == "of" or after.tag_ in ("JJR", "RBR"))):
            return None
        before = [u for u in doc[start:t.i] if u.text != "-"]
        num = _WORD_NUM.get(before[-1].lower_) if before else None
        if num is None:
            if den != 2 or (before and before[-1].pos_ in ("ADJ", "DET", "NUM")):
                return None  # "the first half of", "the third of" (an ordinal)
            num = 1  # "half of the stores", "more than half of"
        return 100.0 * num / den if 0 < num < den else None
    return None


def _entity_figures(ent: Span, sent: Span) -> list[str]:
    """The typed figures one entity states (most state one; none for a bare number)."""
    label = ent.label_
    if label == "DATE":
        val = "" if names_a_number(ent) else _date_value(ent)
        if val:
            return [f"date:{val}"]
        seconds = _long_duration(ent)
        return [f"count:duration:{_fmt(seconds)}"] if seconds is not None else []
    if label == "PERCENT" or (label == "MONEY" and re.search(r"\b(per ?cent|percent)\b", ent.text.lower())):
        v = _quantity_value(list(ent))
        return [f"pct:{_fmt(v)}"] if v is not None else []
    if label == "MONEY" or (label == "CARDINAL" and _PREFIXED_AMOUNT.fullmatch(ent[0].lower_)):
        v = _quantity_value(_with_trailing_scale(ent))
        if v is None:
            return []
        currency = _currency(ent)
        unit = _unit_inside(ent)
        if not currency and unit:
            # spaCy tags "more than 100 million degrees" MONEY: with no currency, it is a count.
            return [f"count:{unit}:{_fmt(v)}"]
        return [f"money:{currency or 'usd'}:{_fmt(v)}"]
    if label in ("CARDINAL", "TIME") and _RACE_TIME.fullmatch(ent.text.strip()):
        # "2:02:11" (hours:minutes:seconds, a race or run time) is a duration, not a clock time.
        h, m, sec = (int(x) for x in ent.text.strip().split(":"))
        return [f"count:duration:{_fmt(h * 3600 + m * 60 + sec)}"]
    if label in ("CARDINAL", "ORDINAL") and (share := _fraction_pct(ent)) is not None:
        return [f"pct~:{_fmt(share)}"]
    if label == "CARDINAL" and (one_in := _one_in(ent[-1])) is not None:
        return [f"pct~:{_fmt(one_in[0])}"]  # "one in five adults": a share, like "a fifth"
    if label == "CARDINAL" and _people_count(ent[-1]) and (v := _quantity_value(list(ent))) is not None:
        return [f"count:people:{_fmt(v)}"]
    if label == "TIME" and any(t.lower_ in _WEEKDAYS for t in ent) and not _duration_seconds(ent):
        # "on Friday night" is tagged TIME: its day is still a date.
        day = _date_value(ent)
        return [f"date:{day}"] if day else []
    if label in ("CARDINAL", "QUANTITY", "TIME"):
        v = _quantity_value(_with_trailing_scale(ent))
        if v is None:
            return []
        if label == "TIME":
            seconds = _duration_seconds(ent)
            return [f"count:duration:{_fmt(seconds)}"] if seconds else []
        inside = _unit_inside(ent) if label == "QUANTITY" else ""
        if inside:
            # "900,000 pounds", "3,000 tonnes", "50 million degrees Celsius": the unit is inside.
            return [f"count:{inside}:{_fmt(v)}"]
        figure = _count_figure(ent[-1], v, sent)
        return [figure] if figure else []
    return []


def _figures(sent: Span) -> list[str]:
    """Typed, normalised figures: money:usd:4.3e+09, pct:12.5, count:vehicle:2e+06, date:2025-08-20.

    A figure a bound qualifies also gets a ``bound:<figure>:gt|lt`` entry ("more than 25 minutes"),
    which only the conflict check reads."""
    tallies = _tallies(sent)
    out: list[str] = [f for _, _, f in tallies]

    def in_tally(start: int, end: int) -> bool:
        return any(s < end and start < e for s, e, _ in tallies)

    # Tokens that belong to another figure: the denominator of "one in five" counts nothing.
    consumed: set[int] = set()
    for ent in sent.ents:
        if in_tally(ent.start_char, ent.end_char) or ent.start in consumed:
            continue  # the numbers of "68 votes to 55" are the tally, not two counts of votes
        if ent.label_ == "CARDINAL" and (one_in := _one_in(ent[-1])) is not None:
            consumed.add(one_in[1])
        figures = _entity_figures(ent, sent)
        op = _bound_of(ent) if figures else ""
        out += figures + [f"bound:{f}:{op}" for f in figures if op and not f.startswith("date:")]

    # The small NER misses some plain counts ("eliminate about 900 positions"): a number outside every
    # entity that counts a noun is a figure too (a year-like 4-digit number is not: "Local 1910").
    for tok in sent:
        if tok.like_num and not tok.ent_type_ and tok.dep_ == "nummod" and tok.head.pos_ == "NOUN" \
                and not re.fullmatch(r"1[89]\d\d|20\d\d", tok.text) and not in_tally(tok.idx, tok.idx + len(tok)):
            value = _number(tok.text)
            figure = _count_figure(tok, value, sent) if value is not None and tok.lower_ not in _WORD_NUM else ""
            if figure and figure not in out:
                out.append(figure)
    return out


# Measurement units by their usual abbreviations, so "64km" and "57 kilometres" count one unit.
_UNIT_WORDS = {"km": "kilometre", "kilometer": "kilometre", "kms": "kilometre", "mi": "mile", "kg": "kilogram",
               "kgs": "kilogram", "meter": "metre", "ft": "foot", "lb": "pound", "lbs": "pound", "ha": "hectare",
               "liter": "litre", "t": "tonne", "ton": "tonne", "gw": "gigawatt", "mw": "megawatt", "kw": "kilowatt"}
_MEASURE_UNITS = set(_UNIT_WORDS.values()) | {"mile", "metre", "foot", "inch", "yard", "hectare", "acre",
                                              "gallon", "barrel", "degree", "watt", "kilowatt-hour"}


def _count_figure(last: Token, value: float, sent: Span) -> str:
    """``count:<noun>:<value>`` for a number counting a noun ("2 million vehicles" -> vehicle), money
    when the noun is a currency ("2.4 billion euros"), '' for a bare number ("one of the leading")."""
    head = last.head if last.dep_ in ("nummod", "compound", "quantmod") else None
    # "9,000 visual effects workers": the number attaches to a compound modifier; count workers. A
    # measurement unit is what is counted ("the 64km tunnel": kilometres, not tunnels), and so is a
    # noun hyphenated to the number ("the 175-seat parliament": seats, not parliaments).
    hyphenated = head is not None and head.i == last.i + 2 and last.nbor(1).text == "-" and not last.whitespace_
    while head is not None and not hyphenated and head.dep_ == "compound" and head.head.pos_ == "NOUN" \
            and head.head != head and _UNIT_WORDS.get(_lemma(head), _lemma(head)) not in _MEASURE_UNITS:
        head = head.head
    unit = ""
    if head is not None and head.pos_ == "NOUN":
        unit = concept(_UNIT_WORDS.get(_lemma(head), _lemma(head)))
        counted = [c for c in head.children if c.dep_ == "compound" and c.pos_ == "NOUN"]
        if unit in _CHANGE_NOUNS and counted:
            unit = concept(_lemma(counted[-1]))  # "1,200 job cuts" counts jobs (cut ones)
    elif last.i + 1 < sent.end and sent.doc[last.i + 1].pos_ == "NOUN":
        unit = concept(_lemma(sent.doc[last.i + 1]))
    if not unit:
        return ""
    if unit in _CURRENCY:
        return f"money:{_CURRENCY[unit]}:{_fmt(value)}"  # "2.4 billion euros" is tagged CARDINAL
    return f"count:{unit}:{_fmt(value)}"


def _measured(tokens: list[Token]) -> list[Token]:
    """The words naming what a withheld figure measures: the first noun of the phrase that is not a
    generic figure word, with the compound it belongs to ("the value of the salvage contract" ->
    salvage contract; "the size of the writedown" -> writedown)."""
    for t in tokens:
        # spaCy sometimes tags a rare noun ADJ ("the size of the writedown"); its role shows it is one.
        nominal = t.pos_ == "NOUN" or (t.pos_ == "ADJ" and t.dep_ in ("pobj", "dobj", "nsubjpass"))
        if not nominal or _lemma(t) in _SLOT_GENERIC:
            continue
        head = t
        while head.dep_ == "compound" and head.head.pos_ == "NOUN" and head.head != head:
            head = head.head
        words = [c for c in head.children if c.dep_ == "compound"] + [head]
        return [w for w in words if _lemma(w) not in _SLOT_GENERIC]
    return []


def _withheld(sent: Span, tokens: list[Token]) -> str:
    """What a withheld-figure phrase does not say, as ``kind|terms|measured``.

    kind is ``money``, ``count:<unit>`` or ``any``; terms are the content terms of the phrase and
    measured the terms naming what the figure measures ("did not say how many customers had funds on the
    platform" -> ``count:customer|customer fund tool|customer``). They let the sentence meet the one
    sentence that states that figure, however little else the two share."""
    kind = "any"
    doc = sent.doc
    measured = None  # the words naming what is measured; None: the phrase's first noun (_measured)
    for t in tokens:
        if t.lower_ == "how" and t.i + 1 < sent.end and doc[t.i + 1].lower_ in ("many", "much"):
            many = doc[t.i + 1].lower_ == "many"
            # "how much the club will pay" asks for money, "how much electricity" for a quantity of the
            # noun right after it.
            window = doc[t.i + 2:min(t.i + (5 if many else 3), sent.end)]
            noun = next((u for u in window if u.pos_ == "NOUN"), None)
            unit = concept(_lemma(noun)) if noun is not None else ""
            if many:
                kind = f"count:{unit}"
            elif unit and unit not in _CURRENCY and _lemma(noun) not in _MONEY_SLOT:
                kind = f"count:{unit}"  # "how much electricity"
            else:
                kind = "money"
                # "how much the club will pay in rent": any noun of the clause may name what is paid.
                measured = [u for u in tokens if u.i > t.i and u.pos_ == "NOUN"]
            break
    if kind == "any" and any(_lemma(t) in _MONEY_SLOT for t in tokens):
        kind = "money"

    def terms_of(toks: list[Token]) -> str:
        return " ".join(dict.fromkeys(
            term_of(t) for t in toks if t.pos_ in _KEY_POS and not t.is_stop and t.ent_type_ not in _FIGURE_LABELS
            and _lemma(t) not in _SLOT_GENERIC and _lemma(t) not in _NO_TERM and any(ch.isalpha() for ch in t.text)))

    return f"{kind}|{terms_of(tokens)}|{terms_of(_measured(tokens) if measured is None else measured)}"


# ---------------------------------------------------------------------------------------------------
# The per-sentence function
# ---------------------------------------------------------------------------------------------------

# Clauses that are about something else than the sentence's assertion: a finite verb inside one
# does not make the sentence a claim ("A signal that visuals [are] becoming mainstream.").
_SUBORDINATE = {"relcl", "acl", "advcl", "pcomp", "csubj", "csubjpass", "prep", "pobj", "mark"}


def _misparsed_finite(sent: Span) -> bool:
    """A finite verb on the sentence's main line that the small parser did not make a subject's root.

    spaCy's small model often mis-tags or mis-attaches the verb of a plain news sentence: "The
    24-year-old Kenyan [lowered] Kelvin Kiptum's mark" (an adjective), "Lenders, not shoppers, now
    effectively [decide] Larkfield's future" (a bare form with a subject), "Label: Midjourney [remains]
    independent" (a complement of the label). A finite verb (or a bare one with a subject) whose path
    to the root passes no subordinate clause is the sentence's assertion all the same.
    """
    if _verb_under_noun_root(sent.root) is not None:
        return True
    for tok in sent:
        finite = tok.tag_ in ("VBD", "VBZ", "VBP", "MD")
        bare_with_subject = tok.tag_ == "VB" and any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children)
        if not (finite or bare_with_subject) or (tok.dep_ == "amod" and tok.tag_ != "VBD"):
            continue
        node, main_line = tok, True
        while node.dep_ != "ROOT" and node.head is not node:
            if node.dep_ in _SUBORDINATE or node.dep_ == "aux" and node.tag_ != "MD":
                main_line = False
                break
            node = node.head
        if main_line:
            return True
    return False


def _after_dateline(sent: Span) -> Span:
    """The sentence without a leading wire dateline: its city, date and agency are no part of the claim
    (and "Aug 10" would read as a date the claim states)."""
    cut = wire_dateline_end(sent.text)
    if not cut:
        return sent
    start = next((t.i for t in sent if t.idx >= sent.start_char + cut), sent.end)
    return sent.doc[start:sent.end] if sent.end - start >= 4 else sent


def claim_features(sent: Span) -> dict[str, str | bool | int | float]:
    """Claim-matching terms and stance cues of one parsed sentence (all keys prefixed ``claim_``)."""
    sent = _after_dateline(sent)
    text = sent.text.strip()
    words = [t for t in sent if not (t.is_punct or t.is_space)]
    main = _main_verbs(sent)
    root = sent.root

    # A claim: declarative, finite predicate with a subject (or a passive/expletive one), not a
    # question, not a lead-in ending in a colon, not an imperative.
    finite = False
    has_subj = False
    for v in main:
        # The parser sometimes hangs the subject and tense on an auxiliary ("MidJourney has become
        # widely recognized": subject and "has" under "become"), so an auxiliary's children count too.
        kids = [c for c in v.children]
        kids += [g for c in kids if c.dep_ in ("aux", "auxpass") for g in c.children]
        if v.tag_ in ("VBD", "VBZ", "VBP", "MD") or any(c.dep_ in ("aux", "auxpass") and
                                                          c.tag_ in ("VBD", "VBZ", "VBP", "MD")
                                                          for c in kids):
            finite = True
        if any(c.dep_ in ("nsubj", "nsubjpass", "expl", "csubj") for c in kids):
            has_subj = True
    is_claim = (finite and has_subj and len(words) >= 4 and not text.endswith(("?", ":"))
                and root.pos_ in ("VERB", "AUX", "ADJ", "NOUN", "PROPN"))
    if not is_claim and len(words) >= 6 and not text.endswith(("?", ":")):
        is_claim = _misparsed_finite(sent)

    # Names: one key per entity / proper-noun run, so spellings fold.
    spans = _name_spans(sent)
    key_at: dict[int, str] = {}
    for start, end, key in spans:
        for i in range(start, end):
            key_at[i] = key.split("~")[0]
    entities = list(dict.fromkeys(k for _, _, k in spans))

    # Key terms: names (as keys) plus content lemmas mapped to concepts; figures excluded, because a
    # different figure is a contradiction of the same claim, not a different claim.
    # Terms inside appositions, relative clauses, adverbial clauses and parentheses describe background
    # ("Midjourney, a leading AI lab renowned for ...") and are marked '~' so they weigh less.
    core: dict[str, None] = {}
    periph: dict[str, None] = {}
    for tok in sent:
        if tok.i in key_at:
            term = "@" + key_at[tok.i]
        else:
            if tok.pos_ not in _KEY_POS or tok.is_stop or tok.ent_type_ in _FIGURE_LABELS:
                continue
            lem = _lemma(tok)
            if lem in _NO_TERM or len(lem) < 2 or not any(ch.isalpha() for ch in lem):
                continue
            term = term_of(tok)
        (periph if _peripheral(tok, sent.root) else core)[term] = None
    key_terms = " ".join([*core, *("~" + t for t in periph if t not in core)])

    # Negation of the main predicate (or "no" determining its subject/object).
    negated = ""
    neg_verb = -1
    for v in main:
        if v.dep_ == "conj" and v is not main[0] and any(
                c.dep_ in ("nsubj", "nsubjpass") for c in v.children):
            continue  # "X leads the polls, and it has not had to say much": another clause's negation
        cue = _is_negated(v)
        if cue and _lemma(v) == "be" and _not_but(v):
            cue = ""  # "the problem is not the price but the timing": a contrast, not a denial
        if not cue:
            for child in v.children:
                if child.dep_ in ("dobj", "nsubj", "nsubjpass", "attr") and any(
                        g.dep_ == "det" and g.lower_ == "no" for g in child.children):
                    cue = "no " + child.lower_
                    break
                if child.dep_ == "acomp":
                    cue = _is_negated(child)
                    if cue:
                        break
        if not cue and _lemma(v) in ("have", "be") and any(c.lower_ == "yet" for c in v.children) \
                and any(c.dep_ == "xcomp" for c in v.children):
            cue = "yet to"  # "the bank has yet to stop selling": it has not stopped
        if not cue and _lemma(v) in _NEGATIVE_IMPLICATIVES and any(
                c.dep_ == "xcomp" and _lemma(c) not in _NO_COMMENT for c in v.children):
            cue = f"{v.lower_} to"  # "ministers refused to reopen the contract": they will not reopen it
        if cue:
            negated = cue if cue != "n't" else "not"
            neg_verb = v.i
            break
        if _lemma(v) in ("never",):
            negated = "never"

    # Hedge cues.
    hedges: list[str] = []
    main_ids = {v.i for v in main}
    for tok in sent:
        low = tok.lower_
        if tok.tag_ == "MD" and low in _HEDGE_MODALS and tok.head.i in main_ids:
            hedges.append(low)
        elif low in _HEDGE_ADVERBS_ANYWHERE:
            hedges.append(low)
        elif low in _HEDGE_ADJECTIVES and tok.dep_ == "amod" and (low != "reported" or tok.head.tag_ == "NN"):
            # "reported cases" / "reported outages" are the official count, not hearsay
            hedges.append(low)
        elif low in _HEDGE_ADVERBS and (tok.head.i in main_ids or tok.dep_ == "ROOT"):
            hedges.append(low)
        elif low == "according" and tok.i + 1 < sent.end and sent.doc[tok.i + 1].lower_ == "to":
            obj = [c for c in sent.doc[tok.i + 1].children if c.dep_ == "pobj"]
            tail = " ".join(t.text for t in obj[0].subtree) if obj else ""
            hedges.append(("according to " + tail).strip())
    for v in main:
        lem = _lemma(v)
        if lem in _ATTRIB_VERBS:
            for c in v.children:
                if c.dep_ == "nsubj" and _lemma(c) in _ANON_SUBJECTS:
                    hedges.append(f"{c.text} {v.text}")
                    break
        if lem in _PASSIVE_HEDGE and any(c.dep_ == "auxpass" for c in v.children) and any(
                c.dep_ == "xcomp" for c in v.children) and not _is_negated(v):
            hedges.append(f"{v.text} to")  # "is understood to", "is thought to"
        if lem in ("appear", "seem") and any(c.dep_ == "xcomp" for c in v.children) and not _is_negated(v):
            hedges.append(f"{v.text} to")  # "appears to value the firm at ...": the writer's inference
        for c in v.children:
            # "..., Bloomberg reported, citing sources": the claim rests on unnamed voices
            if c.dep_ == "advcl" and _lemma(c) == "cite" and any(
                    _lemma(o) in _ANON_SUBJECTS for o in c.children if o.dep_ == "dobj"):
                hedges.append(f"citing {next(o.text for o in c.children if o.dep_ == 'dobj')}")
        for c in v.children:
            if c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("if", "unless")
                                         for m in c.children):
                hedges.append("if")
                break
            if c.dep_ == "acomp" and _lemma(c) in ("likely", "possible", "unlikely", "rumored", "rumoured"):
                hedges.append(c.text.lower())
    hedge = "; ".join(dict.fromkeys(hedges))

    # Release status of whatever the sentence talks about.
    status = ""
    status_cue = ""
    status_toks: set[int] = set()
    targets: set[str] = set()
    for tok in sent:
        lem = _lemma(tok)
        low = tok.lower_
        cue_kind = ""
        cue_tok = tok
        if lem == "sale" and tok.dep_ == "pobj" and tok.head.lower_ == "on" and tok.head.head.pos_ in ("VERB", "AUX"):
            # "went on sale in March" is a release; "will go on sale", "is not yet on sale" are not yet.
            cue_tok = verb = tok.head.head
            neg = _is_negated(verb)
            future = _future(verb)
            scheduled = verb.tag_ in ("VBZ", "VBP") and _lemma(verb) != "be"  # "goes on sale November 7"
            cue_kind = "unreleased" if neg or future else "" if scheduled else "released"
            status_cue_txt = f"{_verb_phrase(verb)} on sale"
        elif (phrase := _phrase_status(tok)) is not None:
            cue_kind, cue_tok, status_cue_txt = phrase
        elif lem in _RELEASED or low in _RELEASED:
            if lem == "roll" and not any(c.lower_ == "out" for c in tok.children):
                continue
            if lem == "live" and tok.pos_ != "ADJ" and _lemma(tok.head) != "go":
                continue  # "went live" is a release whatever the tagger makes of "live"
            neg = _is_negated(tok) or (_is_negated(tok.head) if tok.dep_ == "acomp" else "")
            yet_to = tok.dep_ == "xcomp" and _lemma(tok.head) in ("have", "be") and any(
                c.lower_ == "yet" for c in tok.head.children)
            if neg or yet_to or _future(tok):
                cue_kind = "unreleased"
                status_cue_txt = _verb_phrase(tok)
            elif tok.dep_ == "compound" and tok.pos_ == "NOUN":
                if not any(c.lower_ == "no" for c in tok.head.children):
                    continue  # "the release date" is no release
                cue_kind, status_cue_txt = "unreleased", f"no {tok.text} {tok.head.text}"  # "no release date"
            elif tok.dep_ in ("nsubj", "dobj", "pobj") and tok.pos_ == "NOUN":
                continue  # "the launch" as a noun says nothing about whether it has happened
            else:
                cue_kind = "released"
                adv = [c.text for c in tok.children if c.dep_ == "advmod" and c.lower_ in ("newly", "already",
                                                                                          "recently", "now")]
                status_cue_txt = " ".join([*adv, tok.text])
        elif lem in _UNRELEASED or low in _UNRELEASED:
            cue_kind = "unreleased"
            status_cue_txt = tok.text
        if not cue_kind:
            continue
        tgt = _status_target(cue_tok, key_at)
        status_toks.update((cue_tok.i, cue_tok.head.i))
        # An unreleased cue wins over a released one in the same sentence ("teased X, not yet released").
        if not status or (cue_kind == "unreleased" and status == "released"):
            status = cue_kind
            status_cue = status_cue_txt
            targets = set(tgt)
        elif cue_kind == status:
            targets |= tgt
            status_cue = status_cue if status_cue_txt in status_cue else f"{status_cue}; {status_cue_txt}"

    # Figures and "not disclosed".
    figures = _figures(sent)
    undisclosed = withheld = ""
    for tok in sent:
        lem = _lemma(tok)
        if lem in _UNDISCLOSED_WORDS or tok.lower_ in _UNDISCLOSED_WORDS:
            undisclosed = tok.text
            # "for an undisclosed sum": what is withheld is the noun it describes.
            withheld = _withheld(sent, list(tok.head.subtree) if tok.dep_ == "amod" else [])
            break
        if lem in _DISCLOSE_VERBS or lem in _SAY_VERBS or lem in ("put", "know"):
            neg = _is_negated(tok) or (_is_negated(tok.head) if tok.dep_ == "xcomp" else "")
            declined = tok.dep_ == "xcomp" and _lemma(tok.head) in ("decline", "refuse")
            objs = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass", "prep", "ccomp")]
            # "No financial details were given", "gave no figure", "Neither company disclosed the terms":
            # the negation sits on the object or the subject.
            none_of = next((d for c in tok.children if c.dep_ in ("dobj", "nsubjpass", "nsubj")
                            for d in c.children if d.dep_ == "det" and d.lower_ in ("no", "neither")), None)
            if not (neg or declined or none_of is not None):
                continue
            if lem == "put":  # "did not put a value on the deal"
                if not any(_lemma(c) in ("value", "price", "figure", "number", "valuation") for c in objs):
                    continue
            elif lem == "know" and not (neg and any(c.dep_ == "auxpass" for c in tok.children)):
                continue  # "it is not known how much the club paid"; "he did not know" is no withholding
            if none_of is not None and not neg and not declined:
                neg = none_of.lower_
            obj_lemmas = {_lemma(t) for c in objs for t in c.subtree}
            # "did not say how many jobs would go", "declined to say how much": a withheld quantity.
            asks_quantity = any(t.lower_ == "how" and t.i + 1 < sent.end and sent.doc[t.i + 1].lower_ in
                                ("many", "much") for c in objs for t in c.subtree)
            made_public = lem == "make" and "public" in obj_lemmas  # "did not make its offer public"
            if asks_quantity or made_public or lem == "put" or (lem in _DISCLOSE_VERBS and (
                    lem in ("disclose", "reveal", "divulge", "specify") or obj_lemmas & _DISCLOSE_OBJECTS)):
                pronoun = next((c for c in tok.children if c.dep_ != "neg" and c.lower_ == neg), None)
                undisclosed = (f"{tok.head.text} to {tok.text}" if declined
                               else f"{pronoun.text} ... {_verb_phrase(tok)}" if pronoun is not None
                               else _verb_phrase(tok) if not none_of or _is_negated(tok)
                               else f"{none_of.text} ... {tok.text}")
                withheld = _withheld(sent, sorted({t for c in objs for t in c.subtree}, key=lambda t: t.i))
                status_toks.update((tok.i, tok.head.i))
                break
        if tok.lower_ == "under" and tok.i + 1 < sent.end and sent.doc[tok.i + 1].lower_ == "wraps":
            undisclosed = "under wraps"
            break

    if neg_verb in status_toks:
        negated = ""  # the negation is the status / non-disclosure cue itself, scored there

    # Denial: an explicit rejection of a report or claim.
    denial = ""
    for tok in sent:
        lem = _lemma(tok)
        if (tok.pos_ != "VERB" and lem not in ("denial",)) or tok.dep_ == "amod":
            continue  # "the disputed patents" describes the patents; it denies nothing
        if lem in _DENIAL_VERBS and not _is_negated(tok):
            denial = tok.text
            break
        if lem in _DENIAL_OBJ_VERBS:
            for c in tok.children:
                if c.dep_ in ("dobj", "nsubjpass") and _lemma(c) in _CLAIM_NOUNS:
                    denial = f"{tok.text} {c.text}"
                    break
                if c.dep_ in ("oprd", "acomp", "xcomp") and _lemma(c) in _FALSE_ADJ:
                    denial = f"{tok.text} {c.text}"
                    break
                if c.dep_ == "prep" and c.lower_ == "as" and lem in ("dismiss", "reject"):
                    # "dismissed as pure speculation reports that ...", "rejected the claims as baseless"
                    word = next((t for t in c.subtree if _lemma(t) in _DISMISSED_AS), None)
                    if word is not None:
                        denial = f"{tok.text} as {word.text}"
                        break
            if denial:
                break
    if not denial:
        denial = _copular_denial(sent)

    return {
        "claim_is_claim": bool(is_claim),
        "claim_hedge": hedge,
        "claim_negated": negated,
        "claim_status": status,
        "claim_status_cue": status_cue,
        "claim_status_target": "|".join(sorted(targets)),
        "claim_figures": "|".join(dict.fromkeys(figures)),
        "claim_undisclosed": undisclosed,
        "claim_withheld": withheld,
        "claim_denial": denial,
        "claim_key_terms": key_terms,
        "claim_entities": "|".join(entities),
        "claim_predicate": _predicate(main),
        "claim_subject_ref": _subject_reference(main, key_at),
        "claim_descriptions": "|".join(f"{d}={k}" for d, k in dict.fromkeys(_descriptions(sent, spans, key_at))),
    }


def _subject_reference(main: list[Token], key_at: dict[int, str]) -> str:
    """The nouns of definite descriptions that are subjects of the sentence's own verbs, '|'-joined
    ("The exchange said it faced a shortfall" -> exchange; "The measures take effect, the department
    said" -> measure|department). analysis.claims resolves each to the party the same article describes
    with that noun, so "the department said" counts the department as "the Commerce Department said"
    counts its name."""
    refs: dict[str, None] = {}
    for verb in main:
        for c in verb.children:
            if c.dep_ not in ("nsubj", "nsubjpass") or c.pos_ != "NOUN" or c.i in key_at:
                continue
            kids = list(c.children)
            if any(k.dep_ == "det" and k.lower_ == "the" for k in kids) and not any(
                    k.i in key_at or k.dep_ in ("poss", "compound", "nummod") for k in kids):
                refs[_lemma(c)] = None
    return "|".join(refs)


def _descriptions(sent: Span, spans: list[tuple[int, int, str]], key_at: dict[int, str]) -> list[tuple[str, str]]:
    """(noun, name key) pairs by which this sentence describes a named party: an apposition ("Vaultbit,
    a cryptocurrency exchange" -> exchange), a predicate noun ("Vaultbit is an exchange") or the common
    noun that ends an organisation's name ("Northmoor University" -> university)."""
    out: list[tuple[str, str]] = []
    for tok in sent:
        if tok.pos_ != "NOUN" or tok.i in key_at:
            continue
        if tok.dep_ == "appos" and tok.head.i in key_at:
            out.append((_lemma(tok), key_at[tok.head.i]))
        elif tok.dep_ == "attr" and _lemma(tok.head) == "be":
            subj = next((c for c in tok.head.children if c.dep_ == "nsubj" and c.i in key_at), None)
            if subj is not None:
                out.append((_lemma(tok), key_at[subj.i]))
    doc = sent.doc
    for _start, end, key in spans:
        last = doc[end - 1]
        # A person's surname is no description ("Judge Helen Marsh"); a WordNet noun ending an
        # organisation's name is ("the university", "the bank", "the council"), and so is a title the
        # tagger keeps as a name of its own ("Judge" -> "the judge").
        if last.ent_type_ != "PERSON" and last.text[:1].isupper() and not last.lower_.endswith("s") \
                and related_lemmas(last.lower_, "NOUN"):
            out.append((last.lower_, key.split("~")[0]))
    return out
