"""Claims: per-sentence features, pair decisions, stances, grouping, syndication and the seed golden test."""

from __future__ import annotations

import random
from pathlib import Path

import pandas as pd
import pytest

from analysis.claim_features import claim_features
from analysis.claims import (
    TOP_K,
    ClaimInfo,
    _withheld_pairs,
    build_claims,
    claim_method_notes,
    conflict,
    evaluate_claims,
    figure_conflict,
    group_claims,
    info_from_features,
    opposite_predicates,
    same_claim,
    shared_figure,
    source_exclusives_omissions,
    stance,
    syndication_groups,
    withheld_match,
)
from analysis.schema import columns

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"


def _sent(nlp, text: str):
    return nlp(text)[:]


def _info(nlp, text: str) -> ClaimInfo:
    return info_from_features(claim_features(_sent(nlp, text)), text)


def _same(nlp, a: str, b: str) -> tuple[bool, str]:
    return same_claim(_info(nlp, a), _info(nlp, b))


# --- per-sentence features ------------------------------------------------------------------------

def test_features_are_prefixed_scalars(nlp):
    f = claim_features(_sent(nlp, "Pfizer agreed to buy Seagen for $43 billion on Monday."))
    assert f and all(k.startswith("claim_") for k in f)
    assert all(isinstance(v, str | bool | int | float) for v in f.values())
    assert "money:usd:4.3e+10" in f["claim_figures"].split("|")


def test_name_spellings_fold_to_one_key(nlp):
    a = claim_features(_sent(nlp, "Meta has announced a partnership with Midjourney AI."))
    b = claim_features(_sent(nlp, "Meta Platforms has announced a partnership with MidJourney."))
    keys = lambda f: {e.split("~")[0] for e in f["claim_entities"].split("|")}  # noqa: E731
    assert keys(a) == keys(b) == {"meta", "midjourney"}
    c = claim_features(_sent(nlp, "The newly launched Movie Gen creates videos."))
    d = claim_features(_sent(nlp, "The company hinted at a tool called MovieGen."))
    assert "moviegen" in c["claim_key_terms"] and "moviegen" in d["claim_key_terms"]


@pytest.mark.parametrize("text", [
    "Could similar open-source collaborations emerge between smaller labs and larger corporations?",
    "Challenges and Ethical Concerns",
    "According to internal sources, the project is focusing on:",
    "Expect further analysis as the first models are released.",
])
def test_non_claims(nlp, text):
    assert claim_features(_sent(nlp, text))["claim_is_claim"] is False


def test_declarative_is_claim(nlp):
    assert claim_features(_sent(nlp, "Tesla is recalling 2 million vehicles."))["claim_is_claim"] is True


# --- grouping --------------------------------------------------------------------------------------

def test_paraphrase_with_suffix_and_acronym_joins(nlp):
    ok, why = _same(nlp, "Pfizer agreed to buy Seagen for $43 billion, the companies said on Monday.",
                    "Pfizer Inc. will acquire cancer drugmaker Seagen in a deal valued at about $43 billion.")
    assert ok and "seagen" in why
    ok, _ = _same(nlp, "The European Central Bank cut its deposit rate by 25 basis points to 3.75%.",
                  "The ECB lowered its key deposit rate by a quarter point to 3.75 percent.")
    assert ok


def test_shared_names_only_stay_apart(nlp):
    ok, _ = _same(nlp, "Both Midjourney and Meta face copyright lawsuits over AI training data.",
                  "Midjourney remains independent and self-funded after the Meta deal.")
    assert not ok
    ok, _ = _same(nlp, "Ford is recalling 1.9 million Explorer SUVs because trim pieces can fly off.",
                  "Ford is raising prices on its Explorer SUVs by 3%.")
    assert not ok


def test_generic_synonyms_join_legal_paraphrase(nlp):
    ok, why = _same(nlp, "Google said it would appeal the decision.",
                    "Alphabet said it would challenge the ruling in a higher court.")
    assert ok and "appeal" in why


def test_shared_verb_alone_does_not_join(nlp):
    ok, why = _same(nlp, "Both companies emphasize the need for transparency.",
                    "The bank's chief executive emphasized that the merger will strengthen its capital.")
    assert not ok, why
    ok, _ = _same(nlp, "Lilly shares rose 2% in premarket trading.",
                  "Lilly raised its full-year revenue forecast by $2 billion.")
    assert not ok


def test_pair_model_is_shipped_and_explained(nlp):
    from analysis.claims import PAIR_FEATURES, load_pair_model, pair_features

    model = load_pair_model()
    assert model.features == PAIR_FEATURES and len(model.coef) == len(PAIR_FEATURES)
    # Signs an analyst can defend: agreement raises the odds, a different predicate lowers them.
    coef = dict(zip(model.features, model.coef, strict=True))
    assert coef["term_score"] > 0 and coef["pred_same"] > 0 and coef["pred_diff"] < 0
    a = _info(nlp, "Pfizer agreed to buy Seagen for $43 billion.")
    b = _info(nlp, "Pfizer will acquire Seagen in a $43 billion deal.")
    feats, shared = pair_features(a, b)
    assert feats["pred_same"] == 1.0 and feats["figure_shared"] == 1.0 and "@seagen" in shared
    ok, why = same_claim(a, b)
    assert ok and "p=" in why and "same predicate" in why


# --- stances ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind,ref,other", [
    ("negation", "The Federal Reserve raised interest rates on Wednesday.",
     "The Federal Reserve did not raise interest rates on Wednesday."),
    ("status", "Sony has launched the PlayStation 5 Pro in Europe.",
     "The PlayStation 5 Pro has not yet been released in Europe."),
    ("undisclosed", "Amazon paid $1.7 billion for iRobot.", "Amazon acquired iRobot for an undisclosed sum."),
    ("figures", "Tesla is recalling 2 million vehicles over Autopilot.",
     "Tesla is recalling 1.2 million vehicles over Autopilot."),
    ("dates", "Sony will release the PlayStation 5 Pro on November 7.",
     "Sony will release the PlayStation 5 Pro on November 14."),
    ("denial", "Apple is in talks to buy the streaming service.",
     "Apple denied reports that it is in talks to buy the streaming service."),
])
def test_each_contradiction_kind(nlp, kind, ref, other):
    a, b = _info(nlp, ref), _info(nlp, other)
    assert same_claim(a, b)[0]
    st, cue = stance(a, b)
    assert st == "contradicts" and cue
    assert stance(a, a)[0] == "supports"


@pytest.mark.parametrize("other,cue_word", [
    ("Analysts said the recall could cost Ford about $1 billion.", "could"),
    ("Netflix is reportedly preparing a bid for the rights.", "reportedly"),
    ("According to people familiar with the matter, Pfizer is in talks to buy the biotech.", "according to"),
    ("The ECB is expected to cut rates again in July.", "expected"),
    ("Sources said Pfizer is in talks to buy the biotech.", "Sources said"),
    ("Security researchers said Pfizer is in talks to buy the biotech.", "researchers said"),
    ("Pfizer's reported bid for the biotech values it at $43 billion.", "reported"),
    ("The alleged talks between Pfizer and the biotech began in May.", "alleged"),
])
def test_each_hedge_kind(nlp, other, cue_word):
    hedge = claim_features(_sent(nlp, other))["claim_hedge"]
    assert cue_word.lower() in hedge.lower()
    ref = _info(nlp, "Pfizer is in talks to buy the biotech.")
    assert stance(ref, _info(nlp, other))[0] == "hedged"


def test_named_attribution_is_not_a_hedge(nlp):
    assert claim_features(_sent(nlp, "Pfizer said it will buy Seagen."))["claim_hedge"] == ""
    # "Reported cases" are the official count, and a company that reported a profit states it.
    assert claim_features(_sent(nlp, "Reported cases rose to 41 on Monday."))["claim_hedge"] == ""
    assert claim_features(_sent(nlp, "The company reported a profit of $3 million."))["claim_hedge"] == ""
    not_only = claim_features(_sent(nlp, "This move not only reflects a trend but also a need."))
    assert not_only["claim_negated"] == ""


# --- corpus level ----------------------------------------------------------------------------------

def test_wordnet_derivation_matches_softly_and_is_shown(nlp):
    from analysis.claims import pair_features, soft_matches

    a = _info(nlp, "The bridge failed under the weight of the trucks.")
    b = _info(nlp, "The failure of the bridge was caused by the weight of trucks.")
    assert ("fail", "failure") in soft_matches(a, b, a.terms & b.terms)
    with_soft, shared = pair_features(a, b)
    assert "fail≈failure" in shared
    # The soft match adds evidence: the same pair scores lower once the derivation is not counted.
    plain = _info(nlp, "The bridge buckled under the weight of the trucks.")
    assert pair_features(plain, b)[0]["term_score"] < with_soft["term_score"]


def test_opposite_words_never_match_softly(nlp):
    from analysis.claims import soft_matches

    a = _info(nlp, "Ticket sales rose sharply in March.")
    b = _info(nlp, "Ticket sales fell sharply in March.")
    assert soft_matches(a, b, a.terms & b.terms) == []


@pytest.mark.parametrize("ref, other, kind", [
    # A conflicting figure attributed to a named body still contradicts; to unnamed voices it is hedged.
    ("The Kestrel Fire destroyed 612 homes.", "The blaze razed about 340 homes, according to county assessors.",
     "contradicts"),
    ("The Kestrel Fire destroyed 612 homes.",
     "The blaze razed about 340 homes, according to people familiar with the count.", "hedged"),
    # "is expected to close in H2 2026" states the timetable; "analysts expect" reports a view.
    ("The airlines will complete the deal in the first quarter of 2027.",
     "The deal is expected to close in the second half of 2026.", "contradicts"),
    ("The airlines will complete the deal in the first quarter of 2027.",
     "Analysts expect the deal to close in the second half of 2026.", "hedged"),
])
def test_a_hedged_conflict_is_hedged_unless_named_or_only_expected(nlp, ref, other, kind):
    assert stance(_info(nlp, ref), _info(nlp, other))[0] == kind


def test_count_unit_is_the_head_not_a_compound_modifier(nlp):
    feats = claim_features(_sent(nlp, "About 9,000 visual effects workers walked off the job."))
    assert any(f.startswith("count:") and f.endswith(":9000") and ":effect:" not in f
               for f in feats["claim_figures"].split("|"))


@pytest.mark.parametrize("text, figure", [
    ("Revenue, forecast at roughly £45m annually, is ring-fenced for buses.", "money:gbp:4.5e+07"),
    ("Some 1.4m customers lost electricity on Monday.", "count:customer:1.4e+06"),
    ("The listing will bring in between 3 billion and 4 billion euros.", "money:eur:3e+09"),
    ("Ministers plan to float 49 per cent of the rail operator.", "pct:49"),
    ("The regulator can impose fines of NZ$2 million.", "money:nzd:2e+06"),
    ("The recall covers 900,000 pounds of frozen vegetables.", "count:pound:9e+05"),
    # spaCy tags "2.4 billion" CARDINAL: the currency word after it makes it money.
    ("The deal values the airline at 2.4 billion euros including debt.", "money:eur:2.4e+09"),
    # ... and "more than 100 million degrees" MONEY: with no currency it is a count of its unit.
    ("The plasma was heated to more than 100 million degrees Celsius.", "count:degree:1e+08"),
    # Durations in one unit, parts summed, so two wordings of one length compare.
    ("The tokamak held a plasma for 25 minutes and 40 seconds.", "count:duration:1540"),
    ("The outage lasted nearly 11 hours.", "count:duration:3.96e+04"),
    # A count the small NER misses, and units by their abbreviation ("64km" counts kilometres).
    ("Orvane plans to eliminate about 900 positions.", "count:job:900"),
    ("The 64km tunnel runs under the Alps.", "count:kilometre:64"),
    ("The tunnel is 57 kilometres long.", "count:kilometre:57"),
    # A noun hyphenated to the number is what it counts: seats, not parliaments.
    ("The coalition had a majority of 91 seats in the 175-seat parliament.", "count:seat:175"),
    # A run time to the second is a duration, whatever spaCy tags it.
    ("Bekele was second in 2:02:11, with Kiplagat third.", "count:duration:7331"),
    # A quarter or half of a year is a date like a month.
    ("The two airlines are targeting completion in the first quarter of 2027.", "date:2027-Q1"),
    ("The deal is expected to close in the second half of 2026.", "date:2026-H2"),
    # Seasons and the edges of a year are parts of it too.
    ("The law takes effect in the spring of 2026.", "date:2026-S1"),
    ("The plant will open in late 2026.", "date:2026-H2"),
    ("The plant will open at the end of 2026.", "date:2026-H2"),
    ("The plant will open in early 2027.", "date:2027-H1"),
    # Lengths of days and longer, which spaCy tags DATE, in seconds like the shorter ones.
    ("The strike lasted three days.", "count:duration:2.592e+05"),
    ("Workers walked out for two weeks.", "count:duration:1.21e+06"),
    ("The three-day strike ended on Friday.", "count:duration:2.592e+05"),
    # A number counts people by its role: a casualty verb's subject, a state it modifies, a workforce.
    ("The storm left 9 dead.", "count:people:9"),
    ("At least 12 were killed and 30 wounded.", "count:people:30"),
    ("The plant has a workforce of 1,400.", "count:people:1400"),
    # "one in five" is a share, like "a fifth".
    ("One in five adults smokes.", "pct~:20"),
    ("Nearly one in every four loans is overdue.", "pct~:25"),
    # A vote or a score, the larger number first, so both orders are one tally.
    ("The bill passed 61-59.", "tally:61-59"),
    ("The bill cleared parliament by 59 votes to 61.", "tally:61-59"),
    ("The bank held rates in a 7-2 vote.", "tally:7-2"),
    ("The justices ruled 5–4 for the company.", "tally:5-4"),
])
def test_figures_are_normalised_across_common_spellings(nlp, text, figure):
    """Glued scales (£45m), ranges, per cent, currency after the amount or glued to $ and measured units."""
    assert figure in claim_features(_sent(nlp, text))["claim_figures"].split("|")


@pytest.mark.parametrize("text, absent", [
    ("Talks will resume in two weeks.", "count:duration"),  # a deadline, not a length
    ("The plant will close by the end of 2026.", "date:"),  # a deadline, not a date
    ("The deal closed three days later.", "count:duration"),  # a time relative to another
    ("The union says its members have gone more than a year without a contract.", "count:duration"),  # a bound
    ("One in five adults smokes.", "count:"),  # the "five" of "one in five" counts nothing
    ("The company hired 30 engineers.", "count:people"),  # counts engineers, by its noun
    ("Between 10-15 people were hurt.", "tally"),  # a range, not a vote
    ("The 2024-25 season starts in August.", "tally"),
    ("The bill passed by 68 votes to 55.", "count:vote"),  # its numbers are the tally, not two counts
])
def test_lengths_shares_and_people_counts_only_where_they_are_meant(nlp, text, absent):
    assert not any(f.startswith(absent) for f in claim_features(_sent(nlp, text))["claim_figures"].split("|"))


@pytest.mark.parametrize("a, b, cue", [
    # A phrasal verb is read as one word, so WordNet's opposites apply ("turn down" is "reject").
    ("The union accepted the pay offer from Dockside.", "The union turned down the pay offer from Dockside.",
     "'reject' vs 'accept'"),
    # News opposites WordNet lacks (analysis/data/opposites.tsv).
    ("Regulators approved Orvane's takeover of Kestrel.", "Regulators blocked Orvane's takeover of Kestrel.",
     "'block' vs 'approve'"),
    ("The Kestrel board backed the Orvane bid.", "The Kestrel board opposed the Orvane bid.", "'oppose' vs 'approve'"),
    # An adjective against its negative form, which WordNet does not always list.
    ("The Orvane vaccine is safe for children, the regulator said.",
     "The Orvane vaccine is unsafe for children, doctors said.", "'unsafe' vs 'safe'"),
])
def test_opposite_predicates_beyond_wordnet_pairs(nlp, a, b, cue):
    ia, ib = _info(nlp, a), _info(nlp, b)
    assert same_claim(ia, ib)[0]
    kind, got = stance(ia, ib)
    assert kind == "contradicts" and cue in got


def test_holding_is_no_opposite_of_falling(nlp):
    """Opposites are listed only where neither side is a broad concept group: "held" (possessed) and
    "fallen" are no contradiction."""
    a = _info(nlp, "The exchange's token, VBT, had fallen more than 80% in two days.")
    b = _info(nlp, "Most of the exchange's assets are held in VBT, its own token.")
    assert not opposite_predicates(a, b)


def test_a_particle_parsed_as_an_adverb_still_makes_a_phrasal_verb(nlp):
    a = _info(nlp, "Gorman has stepped down as chief executive of Orvane.")
    assert a.predicate == _info(nlp, "Gorman resigned as chief executive of Orvane.").predicate


@pytest.mark.parametrize("a, b, conflicting", [
    ("The plant will open in late 2026.", "The plant will open in December 2026.", False),
    ("The plant will open in late 2026.", "The plant will open in early 2027.", True),
    ("The plant will open in the summer of 2026.", "The plant will open in July 2026.", False),
    ("The law takes effect in the spring of 2026.", "The law takes effect in September 2026.", True),
])
def test_seasons_and_year_edges_compare_by_the_months_they_cover(nlp, a, b, conflicting):
    assert (stance(_info(nlp, a), _info(nlp, b))[0] == "contradicts") is conflicting


@pytest.mark.parametrize("a, b, conflicting", [
    ("The reactor kept a plasma burning for more than 25 minutes.",
     "The tokamak held a plasma for 25 minutes and 40 seconds.", False),
    ("Wages rose by more than 7% in the final quarter.", "Wages rose 7.2% in the fourth quarter.", False),
    ("The company will cut up to 300 jobs.", "The company will cut 250 jobs.", False),
    ("The company will cut up to 300 jobs.", "The company will cut 400 jobs.", True),
    ("The fine is more than $2 billion.", "The fine is $1.5 billion.", True),
    # "at least" is the confirmed count news reports: another count is a different toll
    ("At least six people were killed when the bridge collapsed.", "Nine people died when the bridge gave way.", True),
])
def test_a_bounded_figure_contradicts_only_values_outside_its_bound(nlp, a, b, conflicting):
    assert (stance(_info(nlp, a), _info(nlp, b))[0] == "contradicts") is conflicting


def test_a_bound_is_no_figure_of_its_own(nlp):
    """The bound marks a figure for the conflict check only: matching and cues see the figure itself."""
    a = _info(nlp, "The reactor kept a plasma burning for more than 25 minutes.")
    b = _info(nlp, "The plasma burned for more than 25 minutes.")
    assert shared_figure(a, b) == "count:duration:1500"


def test_two_tallies_of_one_vote_conflict(nlp):
    a = _info(nlp, "The bill passed by 68 votes to 55.")
    b = _info(nlp, "The bill passed 61-59 after two government MPs abstained.")
    kind, cue = stance(a, b)
    assert kind == "contradicts" and "61-59" in cue and "68-55" in cue
    assert stance(a, _info(nlp, "The bill passed 68-55 on Tuesday."))[0] == "supports"


def test_two_lengths_of_one_strike_conflict_and_the_cue_reads_in_days(nlp):
    a = _info(nlp, "The dock strike lasted three days, the union said.")
    b = _info(nlp, "The dock strike lasted a week, the port authority said.")
    kind, cue = stance(a, b)
    assert kind == "contradicts" and "3 days" in cue and "7 days" in cue


def test_a_run_time_is_a_shared_figure_and_a_clock_time_is_none(nlp):
    a = _info(nlp, "Bekele was second in 2:02:11, with Kiplagat third.")
    b = _info(nlp, "Tadesse Bekele finished runner-up in 2:02:11, wearing rival shoes.")
    assert shared_figure(a, b) == "count:duration:7331"
    assert _info(nlp, "The meeting starts at 10:30 a.m. on Monday.").figures == ("date:monday",)


@pytest.mark.parametrize("text, share", [
    ("The token's collapse wiped out more than four-fifths of its value in 48 hours.", "80"),
    ("Applications are down by almost a third compared with two years ago.", "33.33"),
    ("Two-thirds of the staff will leave.", "66.67"),
    ("More than half of the stores will close.", "50"),
    ("A third of the 300 workers went on strike.", "33.33"),
    ("Its unit costs are roughly a third lower than those of its rival.", "33.33"),
])
def test_fraction_words_are_approximate_shares(nlp, text, share):
    assert f"pct~:{share}" in claim_features(_sent(nlp, text))["claim_figures"].split("|")


@pytest.mark.parametrize("dateline", ["SINGAPORE, Aug 10 (Meridian Wire) - ", "LEEDS, England, Feb 24 (CPA) — ",
                                      "LONDON (AP) — ", "WASHINGTON, March 12 — "])
def test_a_wire_dateline_is_no_part_of_the_claim(nlp, dateline):
    """The city, the dateline's date and the agency are neither names, figures nor the predicate."""
    body = "Ardent, a furniture chain that once ranked among the largest, filed for bankruptcy on Friday."
    with_dateline = claim_features(_sent(nlp, dateline + body))
    alone = claim_features(_sent(nlp, body))
    for key in ("claim_is_claim", "claim_predicate", "claim_figures", "claim_entities"):
        assert with_dateline[key] == alone[key], key


def test_a_hyphen_between_names_is_no_dateline(nlp):
    assert "us" in claim_features(_sent(nlp, "US - China trade talks resumed on Monday."))["claim_entities"]


@pytest.mark.parametrize("text", [
    "Output fell for a third straight month.",
    "The third of the plants closed in May.",
    "He finished third of 40 runners.",
    "The second half of the match was dull.",
    "The central bank cut its key rate by half a point, to 3%.",  # half of a unit, not of a whole
])
def test_ordinals_and_year_halves_are_no_fraction(nlp, text):
    assert not any(f.startswith("pct~") for f in claim_features(_sent(nlp, text))["claim_figures"].split("|"))


def test_a_fraction_shares_a_rounded_percentage_and_never_contradicts_one(nlp):
    """"almost a third" states the 30% another outlet gives; "a fifth" is another share."""
    a = _info(nlp, "International applications had fallen by 30%, the vice-chancellor said.")
    b = _info(nlp, "International applications are down by almost a third compared with 2023.")
    c = _info(nlp, "International applications are down by a fifth compared with 2023.")
    assert shared_figure(a, b) == "pct:30"
    assert not shared_figure(a, c)
    assert figure_conflict(a, c) == ""  # a rounding word is not held to a stated percentage
    assert figure_conflict(b, c).startswith("different figures")


def test_predicate_reads_through_a_preamble_and_a_split_hyphen(nlp):
    """"took a step by forging a partnership" and "announced a partnership ... to co-develop" assert
    the partnership, as "announced a partnership" does."""
    pred = lambda t: claim_features(_sent(nlp, t))["claim_predicate"]  # noqa: E731
    plain = pred("Arlo has announced a partnership with Brightline.")
    assert plain == pred("In a fast-changing market, Arlo has taken a significant step forward by forging "
                         "a strategic partnership with Brightline, a leading lab.")
    assert plain == pred("Arlo has officially announced a strategic partnership with Brightline, a leader in "
                         "AI-driven design, to co-develop new models.")
    assert pred("The firm will co-develop chips with Intel.") == pred("The firm will develop chips with Intel.")


def test_subject_and_tense_on_an_auxiliary_still_make_a_claim(nlp):
    """spaCy parses "X has become widely recognized" with the subject under "become"."""
    assert claim_features(_sent(nlp, "Brightline has become widely recognized for generating stylized "
                                     "visuals."))["claim_is_claim"]
    assert not claim_features(_sent(nlp, "Widely recognized for generating stylized visuals."))["claim_is_claim"]


@pytest.mark.parametrize("text", [
    # The small parser roots these at a noun: the verb becomes a participle or an adjective.
    "Ardent, the 80-year-old US furniture chain, filed for Chapter 11 bankruptcy protection on Monday.",
    "The retailer, which operates 200 stores, filed for Chapter 11 in Delaware on Monday after months of talks.",
    "The 30-year-old Ethiopian lowered the course record by ten seconds.",
    # ... tags the verb as a bare form, or hangs the sentence on a leading label.
    "Lenders, not shoppers, now effectively decide the retailer's future.",
    "Key Finding: The retailer remains profitable, emphasizing that the cuts do not affect staff.",
])
def test_misparsed_news_sentences_are_still_claims(nlp, text):
    assert claim_features(_sent(nlp, text))["claim_is_claim"]


def test_a_misparsed_verb_is_the_predicate(nlp):
    pred = lambda t: claim_features(_sent(nlp, t))["claim_predicate"]  # noqa: E731
    assert pred("Ardent, the 80-year-old US furniture chain, filed for Chapter 11 bankruptcy protection "
                "on Monday.") == pred("Ardent filed for Chapter 11 bankruptcy protection on Monday.")


@pytest.mark.parametrize("text", [
    "A signal that AI-generated visuals are becoming mainstream.",  # the finite verb is in a clause
    "Expect further analysis as the first models are released.",  # an imperative
    "Could similar collaborations emerge between smaller labs and larger corporations?",
])
def test_fragments_imperatives_and_questions_are_not_claims(nlp, text):
    assert not claim_features(_sent(nlp, text))["claim_is_claim"]


def test_same_party_and_predicate_with_another_figure_is_one_contested_claim(nlp):
    """Two outlets' figures for one event share few words besides the party and the verb."""
    a = _info(nlp, "Brightforge is laying off 340 employees, the company said.")
    b = _info(nlp, "Brightforge will lay off about 210 staff, far fewer than feared.")
    assert same_claim(a, b)[0] and stance(a, b)[0] == "contradicts"
    # Same party, different verbs and measures: two different assertions, not a contradiction.
    c = _info(nlp, "Tesla is recalling more than 2 million vehicles to fix Autopilot.")
    d = _info(nlp, "Tesla sold more than 1.8 million vehicles last year.")
    assert not same_claim(c, d)[0]


def test_counts_of_synonymous_units_are_compared(nlp):
    """"1,200 homes" and "about 800 houses" count one thing; an attributed figure still contradicts."""
    a = _info(nlp, "The storm damaged 1,200 homes across the county.")
    b = _info(nlp, "About 800 houses were damaged by the storm, according to the state emergency agency.")
    assert figure_conflict(a, b).startswith("different figures")
    assert stance(a, b)[0] == "contradicts"
    # Two counts of people (workers, artists) are two versions of one head count ...
    c = _info(nlp, "About 9,000 workers are on strike.")
    d = _info(nlp, "The walkout involves some 4,500 artists.")
    assert figure_conflict(c, d).startswith("different figures")
    # ... but a count of people and a count of things are not.
    e = _info(nlp, "The storm damaged 4,500 homes.")
    assert figure_conflict(c, e) == ""


def test_a_denied_report_is_linked_to_the_claim_it_denies(nlp):
    """"denied reports that it had cut ..." asserts about cutting: same party and predicate, a denial."""
    feats = claim_features(_sent(nlp, "Norvale denied reports that it had cut its research budget."))
    assert feats["claim_predicate"] == claim_features(_sent(nlp, "Norvale cut its research budget."))[
        "claim_predicate"]
    a = _info(nlp, "Norvale has slashed its research budget by a third.")
    b = _info(nlp, "Norvale rejected claims that it had reduced spending on research.")
    assert same_claim(a, b)[0] and stance(a, b)[0] == "contradicts"
    # A denial about something else by the same party is not linked to the claim.
    c = _info(nlp, "Norvale denied reports that it had hired a new chief executive.")
    assert not same_claim(a, c)[0]


def test_a_denial_links_at_low_overlap_when_party_and_two_content_words_match(nlp):
    """The accused act and its denial rarely share wording; the same person plus two content words
    (client, affiliated) are enough for a denial to join, and the stance names the denial."""
    a = _info(nlp, "Founder Ana Ruiz moved $50 million in client funds to an affiliated trading firm "
                   "before the collapse, according to a court filing.")
    b = _info(nlp, "Ana Ruiz denied moving client money to an affiliated firm, calling the allegations false.")
    assert same_claim(a, b)[0]
    assert stance(a, b) == ("contradicts", "denial: 'denied'")
    # The same person denying something unrelated shares one word at most: not linked.
    c = _info(nlp, "Ana Ruiz denied that she had met the regulator in March.")
    assert not same_claim(a, c)[0]


def test_an_unnamed_denial_links_to_the_named_act_it_denies(nlp):
    """"The company denied ..." names no party: it is not a different party, so the denial rule applies;
    two sentences naming different parties stay apart."""
    a = _info(nlp, "Ana Ruiz moved $50 million in client funds to an affiliated trading firm before the collapse.")
    b = _info(nlp, "The founder denied wrongdoing, saying client funds were always kept separate.")
    c = _info(nlp, "Marco Bell denied wrongdoing, saying client funds were always kept separate.")
    assert same_claim(a, b)[0] and stance(a, b)[0] == "contradicts"
    assert not same_claim(a, c)[0]


@pytest.mark.parametrize("a, b, kind", [
    ("The union accepted the offer.", "The union rejected the offer.", "contradicts"),
    ("Revenue rose in the first quarter.", "Revenue fell in the first quarter.", "contradicts"),
    ("The union accepted the offer.", "The union did not reject the offer.", "supports"),  # negated opposite
    ("The union accepted the offer.", "The union welcomed the offer.", "supports"),
])
def test_opposite_predicates_contradict(nlp, a, b, kind):
    st, cue = stance(_info(nlp, a), _info(nlp, b))
    assert st == kind
    if kind == "contradicts":
        assert cue.startswith("opposite predicates")


# "Not disclosed" wordings: a small labelled set written for the rule, with sentences that withhold nothing.
@pytest.mark.parametrize("text, withheld", [
    ("The price was not disclosed.", True),
    ("Terms weren't made public.", True),
    ("Corvane declined to give a figure for the deal.", True),
    ("Corvane did not put a value on the deal.", True),
    ("No financial details were given.", True),
    ("Corvane kept the price under wraps.", True),
    ("Corvane would not say how much it paid.", True),
    ("The amount remains confidential.", True),
    ("Neither company disclosed the terms.", True),
    ("The companies gave no figure for the settlement.", True),
    ("It is not known how much the club paid.", True),
    ("The fee was undisclosed.", True),
    ("The price was disclosed in a filing.", False),
    ("Corvane did not comment on the strike.", False),
    ("The company did not say whether it would appeal.", False),
    ("The company gave no reason for the delay.", False),
    ("He put no money into the fund.", False),
    ("Nobody knew the answer.", False),
])
def test_not_disclosed_wordings(nlp, text, withheld):
    assert bool(claim_features(_sent(nlp, text))["claim_undisclosed"]) is withheld


@pytest.mark.parametrize("withheld, cue", [
    ("The banks did not say how many jobs would go as a result of the merger.", "did not say"),
    ("The banks declined to say how many jobs would go in the merger.", "declined to say"),
    ("The banks did not make the number of job cuts public.", "did not make"),
])
def test_a_withheld_quantity_contradicts_a_stated_one(nlp, withheld, cue):
    stated = _info(nlp, "The merger plan includes about 800 job cuts across both banks, "
                        "according to an investor presentation.")
    other = _info(nlp, withheld)
    assert other.undisclosed == cue
    assert same_claim(stated, other)[0]
    kind_cue = stance(stated, other)
    assert kind_cue[0] == "contradicts" and kind_cue[1].startswith(f"'{cue}' vs stated figure")


@pytest.mark.parametrize("text, kind, measured", [
    ("The company did not say how many customers had funds on the platform.", "count:customer", "customer"),
    ("The company did not disclose pricing for the drug.", "money", "pricing"),
    ("The developer did not disclose the size of the writedown it expects to book on the project.", "any",
     "writedown"),
    ("The value of the salvage contract was not disclosed.", "money", "salvage deal"),
    ("The university did not disclose how much it expects to spend on severance payments.", "money", "severance"),
])
def test_a_withheld_figure_names_what_it_measures(nlp, text, kind, measured):
    got_kind, _, got_measured = _info(nlp, text).withheld.split("|")
    assert (got_kind, got_measured) == (kind, measured)


def test_a_change_noun_counts_its_compound(nlp):
    # "1,200 job cuts" counts jobs, so it meets "how many jobs" and "1,200 jobs will go".
    assert "count:job:1200" in _info(nlp, "The plan includes around 1,200 job cuts.").figures


def test_a_withheld_figure_meets_the_figure_it_names(nlp):
    withheld = _info(nlp, "The company did not say how many customers had funds on the platform.")
    stated = _info(nlp, "Around 2.3 million customers have balances frozen on the platform, the filing shows.")
    ok, why = same_claim(stated, withheld)
    assert ok and "withheld figure's words: customer" in why
    assert stance(stated, withheld)[0] == "contradicts"
    # A count of something else that merely mentions customers is not the withheld figure.
    creditors = _info(nlp, "The filing lists more than 100,000 creditors, with the largest single customer "
                           "claim exceeding $40 million.")
    assert not withheld_match(creditors, withheld)


def test_a_withheld_figure_needs_the_word_for_what_it_measures(nlp):
    withheld = _info(nlp, "The developer did not disclose the size of the writedown it expects to book on "
                          "the project.")
    assert withheld_match(_info(nlp, "The writedown, roughly 610 million dollars, is a rounding error."), withheld)
    # Sharing only the story's common word ("project") with a figure is not enough.
    assert not withheld_match(_info(nlp, "The project won a contract in 2022 at 37 pounds per megawatt hour."),
                              withheld)


def test_withheld_figures_are_candidates_however_common_their_words(nlp):
    withheld = _info(nlp, "The company did not disclose pricing for the drug.")
    stated = _info(nlp, "Pellucid set a wholesale price of $9,800 per year for the drug.")
    # Forty other sentences share "drug" and state a figure: the one sharing "price" must still be paired.
    others = [_info(nlp, f"The drug cut blood pressure by {n} points in trial {n}.") for n in range(10, 50)]
    infos = [withheld, *others, stated]
    assert (0, len(infos) - 1) in _withheld_pairs(infos)


def test_unnamed_versions_of_one_event_with_different_dates_join(nlp):
    a = _info(nlp, "The measures take effect on May 15, the department said.")
    b = _info(nlp, "Controls become effective on June 1, giving suppliers six weeks to wind down orders.")
    ok, why = same_claim(a, b)
    assert ok and "different dates" in why
    assert stance(a, b)[0] == "contradicts"
    # Different predicates with different dates are different events, not one fact misdated.
    c = _info(nlp, "Suppliers placed their last orders on June 1.")
    assert not same_claim(a, c)[0]


# Release status said by a phrase, not a release verb: a small labelled set written for these rules
# (generic product, plant and service wordings), with sentences that must carry no status.
@pytest.mark.parametrize("text, status", [
    ("The service went live on Monday.", "released"),
    ("The Zephyr X2 hit shelves in October.", "released"),
    ("The drug is already on the market in the US.", "released"),
    ("The plant entered service in 2024.", "released"),
    ("The new terminal opened to passengers on Friday.", "released"),
    ("The bridge was opened to traffic last week.", "released"),
    ("The vaccine has been in use since January.", "released"),
    ("The line has been operating since May.", "released"),
    ("The Zephyr X2 is still in development.", "unreleased"),
    ("The Zephyr X2 remains in testing.", "unreleased"),
    ("The reactor is under construction.", "unreleased"),
    ("The Zephyr X2 is slated for release in 2027.", "unreleased"),
    ("The Zephyr X2 is due out in the spring.", "unreleased"),
    ("The drug is still awaiting regulatory approval.", "unreleased"),
    ("The bridge has not opened to traffic.", "unreleased"),
    ("The feature is still being tested with a small group.", "unreleased"),
    ("No release date has been set for the Zephyr X2.", "unreleased"),
    ("The Zephyr X2 never reached stores.", "unreleased"),
    ("The line will not begin operating until 2026.", "unreleased"),
    # Operating state: back in operation, or still out of it.
    ("Harvest Crown's Ridgeway plant has resumed production.", "released"),
    ("The Baxter line reopened on Monday.", "released"),
    ("Vortex's website is back online.", "released"),
    ("The Pexley store remains open.", "released"),
    ("The Ridgeway facility remains shut, with no date set for reopening.", "unreleased"),
    ("The Baxter line is still closed.", "unreleased"),
    ("The plant has not reopened since the fire.", "unreleased"),
    ("The airline plans to resume flights in May.", "unreleased"),
    ("Shares remained down 3% at midday.", ""),
    ("Ministers refused to reopen the contract.", ""),
    ("The company closed the Ridgeway plant in March.", ""),
    # In force / in effect, and opening that has not happened yet.
    ("The age-verification rules are already in force.", "released"),
    ("The new timetable came into effect on Sunday.", "released"),
    ("The rule took effect on Monday.", "released"),
    ("The rule takes effect on May 15.", ""),  # a schedule, not yet a fact
    ("The rule will take effect in June.", "unreleased"),
    ("The Harwick line is not expected to open before 2028.", "unreleased"),
    ("The Pexley store will open in May.", "unreleased"),
    ("Shares will open lower, traders said.", ""),
    ("The chain will open 20 stores next year.", ""),
    ("Shares opened lower on Monday.", ""),
    ("The company operates 310 stores.", ""),
    ("Prices on the market rose sharply.", ""),
    ("The government put 49% of the operator on the market.", ""),
    ("The release date was moved to June.", ""),
    ("The company sells its products in stores across Europe.", ""),
    # Operation under way: an operating verb marked "already" / "yet", or a start verb with an operation.
    ("The plant is already supplying power to the grid.", "released"),
    ("The Talon rocket is already flying commercial missions.", "released"),
    ("The pilot scheme is already running in three cities.", "released"),
    ("The company is already selling the headset in Europe.", "released"),
    ("The line is not yet carrying passengers.", "unreleased"),
    ("The Talon rocket has yet to fly.", "unreleased"),
    ("The airline has begun flights to Lisbon.", "released"),
    ("The airline has not yet begun flights to Lisbon.", "unreleased"),
    ("The airline will begin flights to Lisbon in May.", "unreleased"),
    ("The airline begins flights to Lisbon in May.", ""),  # a schedule
    ("The wind farm had been due to begin producing power in 2028.", "unreleased"),
    ("The wind farm is scheduled to start generating electricity in 2030.", "unreleased"),
    ("The company has already sold its stake in the venture.", ""),  # a transaction, not an operation
    ("The prime minister has already served two terms.", ""),
    ("The fund has already run out of cash.", ""),
    ("The union began talks with the company on Monday.", ""),
    ("The plant supplies power to 40,000 homes.", ""),  # a plain fact, no "already" / "yet"
])
def test_release_status_phrases(nlp, text, status):
    assert claim_features(_sent(nlp, text))["claim_status"] == status


def test_a_status_phrase_contradicts_the_opposite_status(nlp):
    a = _info(nlp, "The Zephyr X2 is already on the market in Europe.")
    b = _info(nlp, "The Zephyr X2 is still in development, Corvane said.")
    kind, cue = stance(a, b)
    assert kind == "contradicts" and "in development" in cue and "on the market" in cue


def test_an_operating_state_contradicts_the_opposite_state(nlp):
    """"has resumed production" and "remains shut" say opposite things about one plant: one claim,
    and the stance names both cues."""
    a = _info(nlp, "Harvest Crown's Ridgeway plant has resumed production.")
    b = _info(nlp, "The Ridgeway facility remains shut, with no date set for reopening, a spokeswoman said.")
    ok, why = same_claim(a, b)
    kind, cue = stance(a, b)
    assert ok and "ridgeway" in why
    assert kind == "contradicts" and "remains shut" in cue and "resumed" in cue


def test_an_operation_under_way_contradicts_one_still_in_development(nlp):
    a = _info(nlp, "Skyforge's Talon-3 rocket is already flying commercial missions.")
    b = _info(nlp, "The Talon-3 remains in development and will not fly before 2027, the company said.")
    ok, why = same_claim(a, b)
    kind, cue = stance(a, b)
    assert ok and "release status" in why
    assert kind == "contradicts" and "already flying" in cue


@pytest.mark.parametrize("text, target", [
    ("Meta launched Imagine in March.", {"imagine"}),  # the thing released, not the party releasing it
    ("Halden's Voss e-bike has not yet been released.", {"voss"}),  # not its owner when it has a name
    ("Halden's new e-bike has not yet been released.", {"halden"}),  # the owner stands in for a nameless one
    ("The Voss went on sale in Norway last month.", {"voss"}),  # not the place
    ("The Arlo drone is still in development at Skyhaven.", {"arlo"}),
    ("Meta released a statement on Tuesday.", set()),  # the releasing party is not what is released
    ("The new battery plant near Halvern is already supplying power.", {"halvern"}),  # in operation: its subject
    ("Harvest Crown's Ridgeway plant has resumed production.", {"ridgeway"}),
])
def test_a_release_status_is_about_the_thing_released(nlp, text, target):
    feats = claim_features(_sent(nlp, text))
    assert set(filter(None, feats["claim_status_target"].split("|"))) == target


def test_opposite_statuses_link_at_lower_overlap_like_other_specific_clashes(nlp):
    """A release status against its opposite is a checkable clash, like a denial: with several shared
    content words it links below the plain-match bar, though only one side names the drone."""
    a = _info(nlp, "Skyhaven's Arlo delivery drone is already flying parcels to rural clinics.")
    b = _info(nlp, "The delivery drone remains in development and will not carry parcels to clinics before "
                   "2027, the company said.")
    ok, why = same_claim(a, b)
    assert ok and why.startswith("conflicting versions") and "already flying" in why
    assert stance(a, b)[0] == "contradicts"


def test_two_products_of_one_company_with_opposite_statuses_stay_apart(nlp):
    """Sharing only their maker, "the Voss e-bike is not out" and "the cargo e-bike went on sale" are
    two products, not one contested claim."""
    a = _info(nlp, "Halden's Voss e-bike has not yet been released to customers, the company said.")
    b = _info(nlp, "Halden's cargo e-bike went on sale in Norway last month.")
    assert not same_claim(a, b)[0]


def test_a_refusal_to_resume_stays_a_negation(nlp):
    """"refused to reopen the contract" is a refusal: its negation still contradicts "agreed to reopen"."""
    feats = claim_features(_sent(nlp, "Ministers refused to reopen the contract."))
    assert feats["claim_negated"] == "refused to" and feats["claim_status"] == ""


@pytest.mark.parametrize("text, negated", [
    # A conjoined clause with its own subject is another assertion: its negation is not this claim's.
    ("The National Party now leads the polls, and it has not had to say much to get there.", ""),
    ("Meta launched Imagine in 2023, and Midjourney did not take part.", ""),
    # ... while a conjoined verb sharing the subject is part of it.
    ("Orvane cut 300 jobs but did not close the plant.", "not"),
    # "is not X but Y" contrasts two complements; a "but" joining another clause does not.
    ("The problem is not the price but the timing.", ""),
    ("The drug is not safe, but regulators approved it.", "not"),
    ("The Greens will not back a caretaker budget, Brandt said.", "not"),
])
def test_a_negation_in_another_clause_is_not_the_claims(nlp, text, negated):
    assert claim_features(_sent(nlp, text))["claim_negated"] == negated


@pytest.mark.parametrize("text, hedge", [
    ("The company is understood to be considering a sale.", "understood to"),
    ("Orvane is thought to be preparing a bid.", "thought to"),
    ("The deal appears to value the firm at $2 billion.", "appears to"),
    ("The firm seems to have abandoned the plan.", "seems to"),
    ("Orvane paid $40 million, Bloomberg reported, citing sources.", "citing sources"),
    ("Orvane paid $40 million, the company said.", ""),
    ("The regulator cited safety concerns in its ruling.", ""),
])
def test_inference_and_cited_voices_are_hedges(nlp, text, hedge):
    assert claim_features(_sent(nlp, text))["claim_hedge"] == hedge


@pytest.mark.parametrize("text, denial", [
    ('A spokeswoman said the report was "without foundation".', "report was without foundation"),
    ('The ministry said the claims were "categorically false".', "claims were false"),
    ("The reports are untrue, the company said.", "reports are untrue"),
    ('Orvane said there was "no truth" to the reports.', "no truth to the reports"),
    ("The report was accurate, the regulator said.", ""),
    ("The claims were not false, the judge found.", ""),
    ("The report was published on Monday.", ""),
])
def test_a_report_called_false_is_a_denial(nlp, text, denial):
    assert claim_features(_sent(nlp, text))["claim_denial"] == denial


@pytest.mark.parametrize("text, denial", [
    ("Castellan dismissed as pure speculation reports that it is looking for a buyer.", "dismissed as speculation"),
    ("Orrin rejected the claims as baseless.", "rejected claims"),
    ("Orrin dismissed the allegations.", "dismissed allegations"),
    ("The board dismissed the proposal as too expensive.", ""),
    ("The board rejected the offer.", ""),
])
def test_dismissals_that_are_denials(nlp, text, denial):
    assert claim_features(_sent(nlp, text))["claim_denial"] == denial


def test_a_weekday_inside_a_time_phrase_is_a_date(nlp):
    """spaCy tags "on Friday night" TIME; its day still conflicts with "on Saturday"."""
    a = _info(nlp, "The Talon-2 rocket failed shortly after liftoff on Saturday.")
    b = _info(nlp, "The Talon-2 rocket broke apart on Friday night, minutes after launch.")
    assert "date:friday" in b.figures
    assert figure_conflict(a, b).startswith("different dates")


@pytest.mark.parametrize("text, status", [
    ("The Velotra Apex Pro, which went on sale in March, costs 280 euros.", "released"),
    ("The Pixel 9 will go on sale in October.", "unreleased"),
    ("The Pixel 9 is not yet on sale in Europe.", "unreleased"),
    ("The PS5 Pro goes on sale November 7, Sony said.", ""),  # scheduled, not yet out
    ("The company put the building up for sale.", ""),
])
def test_on_sale_is_a_release_status(nlp, text, status):
    assert _info(nlp, text).status == status


def test_a_relative_clause_status_is_about_its_head(nlp):
    info = _info(nlp, "Rotich raced in the Velotra Apex Pro, which went on sale in Europe in March.")
    assert "velotraapexpro" in info.status_target


def test_saying_without_a_quantity_is_not_withholding(nlp):
    assert _info(nlp, "He did not say the deal was dead.").undisclosed == ""
    assert _info(nlp, "The company did not make a profit.").undisclosed == ""


def test_a_clock_time_is_no_duration(nlp):
    figures = claim_features(_sent(nlp, "Trading resumed at 10 a.m. on Monday."))["claim_figures"]
    assert "duration" not in figures


def test_durations_in_different_units_agree_or_conflict_by_length(nlp):
    ref = _info(nlp, "The tokamak held a plasma for 25 minutes and 40 seconds.")
    assert stance(ref, _info(nlp, "The tokamak sustained a plasma for 1,540 seconds."))[0] == "supports"
    kind, cue = conflict(ref, _info(nlp, "The tokamak sustained a plasma for 900 seconds."))
    assert kind == "figures" and "duration" in cue


@pytest.mark.parametrize("x, y, agree", [
    ("2026-H2", "2027-Q1", False),   # the second half of 2026 is not the first quarter of 2027
    ("2026-H2", "2026-09", True),    # September falls in the second half
    ("2026-H2", "2026-Q1", False),
    ("2026-Q1", "2026-02-03", True),
    ("2025-Q1", "2026-Q1", False),
    ("2026", "2026-Q1", True),       # a year alone says nothing against its quarter
])
def test_quarters_and_halves_compare_by_the_months_they_cover(x, y, agree):
    from analysis.claims import _dates_agree

    assert _dates_agree(x, y) is agree


def test_a_negative_implicative_verb_negates_its_complement(nlp):
    """"Refused to reopen" asserts the contract will not be reopened: it agrees with "would not
    renegotiate" and contradicts "agreed to reopen"."""
    refused = _info(nlp, "Ministers refused to reopen the contract with the builder.")
    assert refused.negated == "refused to"
    assert conflict(_info(nlp, "Ministers would not reopen the contract with the builder."), refused)[0] == ""
    assert conflict(_info(nlp, "Ministers agreed to reopen the contract with the builder."), refused)[0] == "negation"
    # "Declined to comment" answers nothing: it negates no claim of the story.
    assert _info(nlp, "The builder declined to comment on the contract.").negated == ""


@pytest.mark.parametrize("text, cue", [
    ("None of the confirmed cases had received two doses of the vaccine.", "none"),
    ("Nobody was injured in the blast at the plant.", "nobody"),
    ("Nothing was stolen from the vault, police said.", "nothing"),
])
def test_a_negative_pronoun_negates_its_verb(nlp, text, cue):
    assert _info(nlp, text).negated == cue


def test_none_of_contradicts_a_count_that_did(nlp):
    """"None of the cases had received two doses" against "two of the cases had received both doses"."""
    none = _info(nlp, "None of the confirmed cases had received two doses of the measles vaccine.")
    some = _info(nlp, "Two of the confirmed cases had received both doses of the measles vaccine.")
    assert stance(some, none) == ("contradicts", "negated: 'none'")
    # A pronoun that only names the subject's group is no negation ("all of the cases").
    assert _info(nlp, "All of the confirmed cases had received two doses of the vaccine.").negated == ""


def test_a_negative_pronoun_withholds_a_figure(nlp):
    info = _info(nlp, "Nothing was disclosed about the price of the deal.")
    assert info.undisclosed == "Nothing ... was disclosed" and info.negated == ""
    assert conflict(_info(nlp, "The deal was priced at $2.1 billion."), info)[0] == "undisclosed"


def test_yet_to_negates_the_predicate(nlp):
    a = _info(nlp, "Kestrel said it had stopped selling the bonds.")
    b = _info(nlp, "Kestrel has yet to stop selling the bonds.")
    assert b.negated == "yet to" and a.negated == ""
    assert same_claim(a, b)[0] and stance(a, b) == ("contradicts", "negated: 'yet to'")


def test_a_trailing_source_clause_is_attribution_not_the_claim(nlp):
    """"..., the filing shows": the claim is the shown clause, with its negation."""
    feats = claim_features(_sent(nlp, "Customer deposits were not kept in separate accounts, the filing shows."))
    assert feats["claim_predicate"] == claim_features(_sent(nlp, "Customer deposits were kept apart."))[
        "claim_predicate"]
    assert feats["claim_negated"] == "not"


def test_a_time_phrase_is_not_the_predicate_and_an_adjective_is_not_a_denial(nlp):
    feats = claim_features(_sent(nlp, "The bank had about $209 billion in assets at the end of 2022."))
    assert feats["claim_predicate"] != "end"
    feats = claim_features(_sent(nlp, "Medora is working on an update that avoids the disputed patents."))
    assert feats["claim_denial"] == ""


def test_shared_figure_across_unit_words(nlp):
    """One quantity under two unit words counts as a shared figure; a coincidence of round numbers
    between different kinds of things does not."""
    eur = _info(nlp, "The council will pay 180 million euros a year for the service.")
    assert shared_figure(eur, _info(nlp, "The service will cost the council €180 million annually."))
    workers = _info(nlp, "About 9,000 workers joined the strike.")
    assert shared_figure(workers, _info(nlp, "Some 9,000 artists walked out."))
    assert not shared_figure(_info(nlp, "The storm damaged 300 homes."),
                             _info(nlp, "The insurer hired 300 adjusters."))
    assert not shared_figure(_info(nlp, "Sales rose 12% in May."), _info(nlp, "The firm opened 12 stores."))


def test_reported_clause_not_the_audience_is_the_predicate(nlp):
    feats = claim_features(_sent(nlp, "Raman told reporters the firm would return to flight this year."))
    assert feats["claim_predicate"] not in ("reporter", "")


def _sentences_from(nlp, articles: pd.DataFrame) -> pd.DataFrame:
    """A sentences table like the pipeline's, built with cleaning + claim_features only."""
    from analysis.cleaning import split_units

    rows = []
    for art in articles.itertuples():
        units = split_units(art.text)
        pos = 0
        for unit, doc in zip(units, nlp.pipe([u.text for u in units]), strict=True):
            spans = list(doc.sents) if unit.kind in ("body", "list_item") else [doc[:]]
            for s in spans:
                feats = claim_features(s) if unit.kind in ("body", "list_item") else {"claim_is_claim": False}
                rows.append({"article_id": art.article_id, "source": art.source,
                             "sentence_id": f"{art.article_id}:{pos:03d}", "position": pos, "kind": unit.kind,
                             "text": s.text.strip(), "themes": "", "theme_cues": "", "sentiment": 0.0,
                             **feats})
                pos += 1
    out = pd.DataFrame(rows)
    for col in out.columns:
        if col.startswith("claim_") and col != "claim_is_claim":
            out[col] = out[col].fillna("")
    out["claim_is_claim"] = out["claim_is_claim"].fillna(False).astype(bool)
    return out


def _articles(texts: dict[str, tuple[str, str]]) -> pd.DataFrame:
    return pd.DataFrame([{"article_id": aid, "source": src, "title": "", "published": "", "url": "",
                          "path": aid, "text": text} for aid, (src, text) in texts.items()])


@pytest.mark.parametrize("text, subject_ref, descriptions", [
    ("Vaultbit, a cryptocurrency exchange, filed for bankruptcy on Monday.", "", "exchange=vaultbit"),
    ("Vaultbit is the largest exchange in Asia.", "", "exchange=vaultbit"),
    ("Northmoor University will shed around 300 posts.", "", "university=northmooruniversity"),
    ("The exchange froze withdrawals last week.", "exchange", ""),
    ("The exchange said it faced a shortfall of about $1.2 billion.", "exchange", ""),
    ("The measures take effect on May 15, the department said.", "department|measure", ""),
    ("The two companies declined to comment.", "", ""),  # a count, not one party
    ("Its largest exchange froze withdrawals.", "", ""),  # no definite article
    ("Judge Helen Marsh ruled on Friday.", "", "judge=judge"),  # the surname describes nothing
])
def test_definite_subjects_and_descriptions(nlp, text, subject_ref, descriptions):
    feats = claim_features(_sent(nlp, text))
    assert feats["claim_subject_ref"] == subject_ref
    assert feats["claim_descriptions"] == descriptions


def test_a_definite_description_resolves_to_the_party_its_article_describes():
    from analysis.claims import resolve_descriptions

    lead = ClaimInfo(text="Vaultbit, a crypto exchange, filed for bankruptcy.", terms=frozenset({"@vaultbit"}),
                     names=frozenset({"vaultbit"}), descriptions=(("exchange", "vaultbit"),))
    later = ClaimInfo(text="The exchange froze withdrawals.", terms=frozenset({"withdrawal"}), names=frozenset(),
                      subject_ref="exchange", status="unreleased")
    rival = ClaimInfo(text="Coinvale, another exchange, stayed open.", terms=frozenset({"@coinvale"}),
                      names=frozenset({"coinvale"}), descriptions=(("exchange", "coinvale"),))
    out = resolve_descriptions([lead, later], ["a1", "a1"])
    assert out[1].names == {"vaultbit"} and "@vaultbit" in out[1].terms and out[1].status_target == {"vaultbit"}
    assert out[1].resolved == "'the exchange' read as vaultbit"
    assert out[0] is lead
    # Another article's description does not resolve it, and two parties described alike resolve to neither.
    assert resolve_descriptions([lead, later], ["a1", "a2"])[1] is later
    assert resolve_descriptions([lead, rival, later], ["a1", "a1", "a1"])[2] is later


def test_a_resolved_description_joins_the_named_claim_and_says_so(nlp):
    """"The exchange froze withdrawals" in an article that introduced "Vaultbit, a cryptocurrency
    exchange" is about Vaultbit: the evidence cue says how the subject was read."""
    arts = _articles({
        "a1": ("Wire", "Vaultbit, a cryptocurrency exchange based in Singapore, filed for bankruptcy on Monday. "
                       "The exchange froze customer withdrawals last Thursday."),
        "a2": ("Journal", "Vaultbit froze customer withdrawals last Thursday, blaming market conditions."),
    })
    sents = _sentences_from(nlp, arts)
    _, evidence = build_claims(sents, pd.DataFrame(), arts)
    row = evidence[evidence["text"].str.startswith("The exchange")].iloc[0]
    assert "'the exchange' read as vaultbit" in row["cue"]
    journal = evidence[evidence["source"] == "Journal"].iloc[0]
    assert journal["claim_id"] == row["claim_id"]


def test_a_conflict_kept_out_of_a_cluster_still_contradicts_it(nlp, monkeypatch):
    """Average linkage may keep "some 1,400 dockworkers walked out" out of the cluster about "1,150
    workers went on strike"; the conflict link still lists that sentence as contradicting the claim."""
    from analysis import claims as claims_mod
    from analysis import meaning

    arts = _articles({
        "a1": ("Wire", "About 1,150 longshore workers at the Port of Halden went on strike on Tuesday, "
                       "halting container traffic. The union said talks had broken down."),
        "a2": ("Journal", "Container terminals at the Port of Halden were idle on Tuesday after some 1,400 "
                          "dockworkers walked out. Exporters warned of delays to shipments of grain."),
    })
    sents = _sentences_from(nlp, arts)
    real_grouping = claims_mod.group_claims
    # No merges at all: every sentence is its own claim, so only the conflict link can connect them.
    monkeypatch.setattr(claims_mod, "group_claims", lambda infos: real_grouping(infos, link_share=2.0))

    without_vectors, _ = build_claims(sents, pd.DataFrame(), arts)
    assert not (without_vectors["status"] == "contested").any()  # the link also needs close meaning

    mask = sents["claim_is_claim"]
    sents["claim_vector"] = ""
    sents.loc[mask, "claim_vector"] = [meaning.to_cell(v) for v in meaning.encode(sents.loc[mask, "text"].tolist())]
    claims, evidence = build_claims(sents, pd.DataFrame(), arts)
    strike = claims[claims["text"].str.contains("1,150")].iloc[0]
    assert strike["status"] == "contested" and strike["sources_contradict"] == "Journal"
    row = evidence[(evidence["claim_id"] == strike["claim_id"]) & (evidence["source"] == "Journal")].iloc[0]
    assert row["stance"] == "contradicts" and "1,400" in row["text"]
    assert row["cue"].startswith("different figures") and "separate claim" in row["cue"]
    # The other version is a claim of its own, contradicted in turn; unrelated sentences stay uncontested.
    walkout = claims[claims["text"].str.contains("1,400")].iloc[0]
    assert walkout["status"] == "contested" and walkout["sources_contradict"] == "Wire"
    assert (claims["status"] == "contested").sum() == 2


def test_a_conflict_link_is_judged_against_the_member_it_links(nlp, monkeypatch):
    """When the linked member is not the claim's representative wording, the stance is taken against
    the member ("two patents" contradicts "three patents", not a representative about wilfulness), and
    a source that also supports the claim elsewhere still shows the conflicting sentence."""
    from analysis import claims as claims_mod
    from analysis import meaning

    arts = _articles({
        "a1": ("Wire", "The jury found that the Lumen sensor infringed three Medora patents. "
                       "The jury found that Lumen's infringement of the Medora patents was willful."),
        "a2": ("Journal", "The jury found that the Lumen sensor infringed two Medora patents. "
                          "Jurors found that Lumen had infringed the Medora patents willfully."),
        "a3": ("Ledger", "The jury said that Lumen's infringement of the Medora patents was willful."),
    })
    sents = _sentences_from(nlp, arts)
    mask = sents["claim_is_claim"]
    sents["claim_vector"] = ""
    sents.loc[mask, "claim_vector"] = [meaning.to_cell(v) for v in meaning.encode(sents.loc[mask, "text"].tolist())]
    real_grouping = claims_mod.group_claims

    def grouping(infos):
        g = real_grouping(infos, link_share=2.0)
        words = ("three", "two", "found that Lumen's", "willfully", "said")
        at = {word: next(n for n, i in enumerate(infos) if word in i.text) for word in words}
        # One claim of the three wilfulness sentences and the "three patents" one; "two patents" alone.
        g.clusters = [[at["found that Lumen's"], at["willfully"], at["said"], at["three"]], [at["two"]]]
        g.reasons = {tuple(sorted((at["three"], at["two"]))): "test link"}
        return g

    monkeypatch.setattr(claims_mod, "group_claims", grouping)
    claims, evidence = build_claims(sents, pd.DataFrame(), arts)
    wilful = claims[claims["text"].str.contains("willful")].iloc[0]
    rows = evidence[(evidence["claim_id"] == wilful["claim_id"]) & evidence["text"].str.contains("two Medora")]
    assert len(rows) == 1 and rows.iloc[0]["stance"] == "contradicts"
    cue = rows.iloc[0]["cue"]
    assert "different figures" in cue and "against: 'The jury found that the Lumen sensor infringed three" in cue
    # The Journal supports the wilfulness wording and states the conflicting count: a tie shows the conflict.
    assert wilful["status"] == "contested" and "Journal" in wilful["sources_contradict"].split(";")


@pytest.fixture(scope="module")
def seed_claims(nlp):
    arts = _articles({p.stem[:3]: (f"seed{p.stem[:3]}", p.read_text(encoding="utf-8"))
                      for p in sorted(SEEDS.glob("*.txt"))})
    sents = _sentences_from(nlp, arts)
    return build_claims(sents, pd.DataFrame(), arts)


def test_output_schema(seed_claims):
    claims, evidence = seed_claims
    assert list(claims.columns) == columns("claims")
    assert list(evidence.columns) == columns("claim_evidence")
    order = {"contested": 0, "consensus": 1, "single-source": 2}
    ranks = claims["status"].map(order).tolist()
    assert ranks == sorted(ranks)
    assert set(evidence["stance"]) <= {"supports", "contradicts", "hedged"}
    assert evidence["cue"].str.len().gt(0).all()


def test_seed_partnership_is_one_consensus_claim(seed_claims):
    claims, _ = seed_claims
    partner = claims[claims["text"].str.contains("partnership with Midjourney", case=False)
                     & (claims["status"] == "consensus")]
    assert len(partner) >= 1
    best = partner.iloc[0]
    assert len(best["sources_support"].split(";")) >= 4


def test_seed_movie_gen_is_contested(seed_claims):
    claims, evidence = seed_claims
    con = evidence[evidence["text"].str.contains("MovieGen") & (evidence["stance"] == "contradicts")]
    assert len(con) == 1 and con.iloc[0]["source"] == "seed004"
    cid = con.iloc[0]["claim_id"]
    row = claims.set_index("claim_id").loc[cid]
    assert row["status"] == "contested"
    assert "Movie Gen" in row["text"]  # the row is worded by the sentence the contradiction is about
    assert "seed002" in row["sources_support"].split(";")
    assert "Movie Gen" in " ".join(evidence[(evidence["claim_id"] == cid)
                                            & (evidence["stance"] == "supports")]["text"])
    assert "release status" in con.iloc[0]["cue"] or "status" in con.iloc[0]["cue"]
    # The seeds have exactly this one contradiction.
    assert (claims["status"] == "contested").sum() == 1


def test_seed_exclusives(seed_claims):
    claims, _ = seed_claims
    eo = source_exclusives_omissions(claims)
    excl = eo[(eo["source"] == "seed004") & (eo["kind"] == "exclusive")]
    assert excl["text"].str.contains("OpenAI").any()
    assert not claims["text"].str.endswith("?").any()


def test_syndicated_copies_count_once(nlp):
    wire = ("Pfizer agreed to buy Seagen for $43 billion, the companies said on Monday. "
            "The deal is Pfizer's biggest since 2009. Seagen's board approved the offer unanimously.")
    other = "Pfizer Inc. will acquire drugmaker Seagen in a deal valued at about $43 billion."
    arts = _articles({"a1": ("Wire Daily", wire), "a2": ("Town Herald", wire + " Shares rose."),
                      "a3": ("Pharma Weekly", other)})
    groups = syndication_groups(arts)
    g = dict(zip(groups["article_id"], groups["group_id"], strict=True))
    assert g["a1"] == g["a2"] != g["a3"]
    assert "Town Herald" in groups.set_index("article_id").loc["a1", "members"]
    claims, _ = build_claims(_sentences_from(nlp, arts), pd.DataFrame(), arts)
    deal = claims[claims["text"].str.contains("43 billion")].iloc[0]
    assert set(deal["sources_support"].split(";")) == {"Wire Daily", "Town Herald", "Pharma Weekly"}
    assert deal["n_support"] == 2 and deal["status"] == "consensus"


def test_blocking_is_subquadratic():
    """20k synthetic sentences: candidates bounded by n * k, never an n x n matrix."""
    rng = random.Random(7)
    vocab = [f"w{i}" for i in range(3000)]
    common = ["company", "deal", "meta", "report"]
    infos = []
    for i in range(20_000):
        terms = frozenset(rng.sample(vocab, 6) + rng.sample(common, 2))
        infos.append(ClaimInfo(text=f"s{i}", terms=terms, names=frozenset(), predicate=""))
    grouping = group_claims(infos)
    assert grouping.n_candidates <= len(infos) * TOP_K
    assert sum(len(c) for c in grouping.clusters) == len(infos)


def test_method_notes_explain_limits():
    notes = claim_method_notes()
    assert "clause" in notes and "Limits" in notes


# --- floors on the held-out split ------------------------------------------------------------------

@pytest.fixture(scope="module")
def metrics(nlp):
    m = evaluate_claims(nlp)
    return {(r.split, r.metric): r.value for r in m.itertuples()}


def test_dev_data_is_big_enough():
    pairs = pd.read_csv(ROOT / "tests/data/claim_pairs.csv")
    assert len(pairs) >= 250
    # Whole stories held out: no story of the test-only set appears in the dev split.
    by_split = {sp: set(pairs.loc[pairs["split"] == sp, "origin"]) for sp in ("dev", "test")}
    test_only = by_split["test"] - by_split["dev"]
    assert len(test_only) >= 3
    stances = pd.read_csv(ROOT / "tests/data/claim_stances.csv")
    assert len(pairs) >= 120 and (pairs["origin"] != "seeds").sum() >= 70
    assert {"dev", "test"} <= set(pairs["split"])
    other = stances[stances["origin"] != "seeds"]
    for kind in ("negation", "status", "undisclosed", "figures", "dates", "denial"):
        assert (other["kind"] == kind).sum() >= 5


def test_floor_held_out(metrics):
    # Held-out: whole stories never used for tuning plus held-out seed pairs (measured 0.796 / 1.0).
    # Same-claim precision measured 0.75 (0.744 on the other stories): the meaning model, fitted on
    # realistic articles, joins some of the author's look-alike negatives that the lexical model kept apart.
    assert metrics[("test", "pair_accuracy")] >= 0.78
    assert metrics[("test", "same_precision")] >= 0.72
    assert metrics[("test:other", "same_precision")] >= 0.72
    assert metrics[("test", "contradiction_recall")] == 1.0
    assert metrics[("test", "contradiction_precision")] >= 0.9
    assert metrics[("test", "hedge_accuracy")] >= 0.9


def test_floor_blind_fifth_set(metrics):
    # fresh5 (independent annotator; never fitted on): measured 0.835 pair accuracy and 22/41
    # contradictions with the meaning pair model (0.747 and 19/41 with the session-7 meaning rule).
    assert metrics[("fresh5", "pair_accuracy")] >= 0.80
    assert metrics[("fresh5", "contradiction_recall")] >= 0.5
    assert metrics[("fresh5", "contradiction_precision")] >= 0.9


def test_floor_blind_sixth_set(metrics):
    # fresh6 (a sixth independent annotator, added in session 11; never fitted on, its pairs and errors
    # unread): measured 0.865 pair accuracy and 25/42 contradictions found, precision 1.0.
    assert metrics[("fresh6", "pair_accuracy")] >= 0.83
    assert metrics[("fresh6", "contradiction_recall")] >= 0.55
    assert metrics[("fresh6", "contradiction_precision")] >= 0.9


def test_floor_blind_seventh_set(metrics):
    # fresh7 (a seventh independent annotator, added in session 13; never fitted on, its pairs and errors
    # unread): measured 0.875 pair accuracy and 29/42 contradictions found, precision 1.0.
    assert metrics[("fresh7", "pair_accuracy")] >= 0.84
    assert metrics[("fresh7", "contradiction_recall")] >= 0.62
    assert metrics[("fresh7", "contradiction_precision")] >= 0.9


def test_a_cross_claim_withheld_link_needs_the_pair_closer_than_average():
    """A withheld figure and a figure its words name conflict across claims only when their centred
    meaning cosine is at least an average pair's (0): in a mixed corpus another story's figure is not."""
    import numpy as np

    from analysis.claims import _Grouping, _outside_conflicts

    def grouping(cos: float) -> _Grouping:
        u = np.array([1.0, 0.0])
        v = np.array([cos, np.sqrt(1 - cos * cos)])
        withheld = ClaimInfo(text="The company did not say how many customers had funds.",
                             terms=frozenset({"customer"}), names=frozenset(), undisclosed="did not say",
                             withheld="count:customer|customer|customer", vector=u, centred=u)
        stated = ClaimInfo(text="Around 2.3 million customers have balances frozen.", terms=frozenset({"customer"}),
                           names=frozenset(), figures=("count:customer:2.3e+06",), vector=v, centred=v)
        return _Grouping([withheld, stated], [[0], [1]], {(0, 1): "figure vs not disclosed"}, {}, 1)

    assert _outside_conflicts(grouping(0.3)) == {0: [(0, 1, "figure vs not disclosed")],
                                                 1: [(1, 0, "figure vs not disclosed")]}
    assert not _outside_conflicts(grouping(-0.2))


def test_a_cross_claim_date_conflict_may_name_no_party_but_others_need_one():
    """Two linked versions of one date ("take effect on May 15" / "on June 1") that average linkage kept
    in two claims show their conflict even when one names no party; a figure conflict needs a shared name."""
    import numpy as np

    from analysis.claims import _Grouping, _outside_conflicts

    u = np.array([1.0, 0.0])
    v = np.array([0.9, np.sqrt(1 - 0.81)])

    def grouping(figures_a: tuple[str, ...], figures_b: tuple[str, ...]) -> _Grouping:
        a = ClaimInfo(text="The new rules take effect on May 15, Dalmora's regulator said.", terms=frozenset({"rule"}),
                      names=frozenset({"dalmora"}), figures=figures_a, vector=u, centred=u)
        b = ClaimInfo(text="The rules become effective on June 1.", terms=frozenset({"rule"}), names=frozenset(),
                      figures=figures_b, vector=v, centred=v)
        return _Grouping([a, b], [[0], [1]], {(0, 1): "linked"}, {}, 1)

    assert _outside_conflicts(grouping(("date:--05-15",), ("date:--06-01",))) == {0: [(0, 1, "linked")],
                                                                                 1: [(1, 0, "linked")]}
    assert not _outside_conflicts(grouping(("count:rule:12",), ("count:rule:9",)))
