"""The offline analyzer: action items and decisions by rules, and an extractive summary.

An action item needs a named owner and a commitment about the future: a request to a person
("Priya, can you ..."), a statement of who will do what ("Marco will ...", "Lena to ..."), or an
"I'll ..." by a speaker we know ("Marco here." names the speaker until someone else does).
Left out: what is already done, opinions, hypotheticals, questions that ask nothing of anyone,
"someone should" with no owner, and offers or requests that the next sentence turns down.
"""
import re

from .base import Analysis, MeetingContext, ProposedItem, Segment
from .dates import parse_due, strip_due
from .summary import keywords, summarize
from .text import Sentence, sentences

LEAD = r"^(?:(?:ok(?:ay)?|so|and|also|alright|right|then|finally|next|great|good|sure|now|one more thing)[,.]?\s+)*"
HYPOTHETICAL = re.compile(
    r"^(?:if|when|once|unless|maybe|perhaps|in case|suppose|supposing|assuming|hopefully|ideally|in theory|"
    r"should we|it would|it'd|would it)\b|\b(?:might|would be nice|could eventually|some day|someday|"
    r"in an ideal world|if (?:i|you|he|she|we|they) (?:had|were|could|would|get|got)|if it)\b")
DONE = re.compile(r"\b(?:already|yesterday|last week|last month|earlier today|this morning|has been|have been|"
                  r"was done|were done|is done|are done|finished|completed|took care of|dealt with)\b")
OPINION = re.compile(r"^(?:i think|i feel|i believe|i guess|in my opinion|personally|honestly|i like|i love|"
                     r"i'm not sure|i am not sure|i doubt|i wonder)\b")
NOBODY = re.compile(r"\b(?:someone|somebody|anyone|anybody|no one|nobody|whoever)\b")
SPEAKER = re.compile(r"^(?:this is|it's|it is)\s+(?P<name>[A-Z][a-z]+)\b|^(?P<name2>[A-Z][a-z]+)\s+here\b")
DECLINE = re.compile(r"^(?:no\b|nope|no need|not necessary|don't worry|do not worry|sorry|unfortunately|"
                     r"i can't|i cannot|i won't|i will not|that won't|that's not needed|not needed|we're fine|"
                     r"we are fine|thanks,? but|no thanks|no, thanks|actually,? (?:no|don't|we don't))")
ACCEPT = re.compile(r"^(?:yes|yeah|yep|sure|ok(?:ay)?|please do|please|great|perfect|sounds good|that would|"
                    r"good idea|thanks|thank you|absolutely|of course|will do|on it|can do|no problem)\b")
OFFER = re.compile(r"^(?:i can|i could|i'm happy to|i am happy to|i don't mind|do you want me to|"
                   r"shall i|should i|want me to|would you like me to)\s+(?P<task>.+)")
DECISION = re.compile(
    r"\b(?:we(?: have|'ve)? decided|it's decided|it is decided|decided to|decision is|the decision|decision:|"
    r"we(?: have|'ve)? agreed|agreed that|agreed to|we(?:'re| are) going with|we(?:'ll| will) go with|"
    r"we(?:'ll| will) stick with|we settled on|settled on|final decision|we(?:'ll| will) switch|"
    r"we(?:'ll| will) use|we(?:'ll| will) keep|we(?:'ll| will) move|we(?:'ll| will) postpone|approved)\b")
UNDECIDED = re.compile(r"\b(?:not decided|haven't decided|have not decided|didn't decide|did not decide|"
                       r"no decision|undecided|yet to decide|decide later|decide next|haven't agreed|"
                       r"didn't agree|did not agree|couldn't agree|could not agree|not agreed|not approved|"
                       r"wasn't approved|still open)\b")
TRAILING = re.compile(r"(?:,?\s*\b(?:please|for us|for me|for the team|if you can|if possible|thanks|"
                      r"thank you|ok(?:ay)?|right)\b)+\s*$", re.IGNORECASE)


def _owner_pattern(names: list[str]) -> str:
    return "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))


class RulesAnalyzer:
    """Rules for items and decisions, TextRank for the summary; runs anywhere, offline."""

    name = "rules"

    def analyze(self, segments: list[Segment], context: MeetingContext) -> Analysis:
        """Find the summary, decisions and action items of one meeting."""
        said = sentences(segments)
        decided, items = decisions(said), action_items(said, context)
        important = {item.source for item in items} | {s.text for s in said if _unlead(s.text) in decided}
        people = {part.lower() for name in context.attendees for part in name.split()}
        topics = keywords(said, limit=5, leave_out=people, agenda=context.agenda)
        summary = summarize(said, agenda=context.agenda, important=important)
        if topics:
            summary = f"Topics: {', '.join(topics)}. {summary}"
        return Analysis(summary=summary, decisions=decided, items=items, keywords=topics)


def decisions(said: list[Sentence]) -> list[str]:
    """Sentences that record a decision, without the ones that say nothing was decided."""
    found = []
    for sentence in said:
        low = sentence.text.lower()
        if sentence.text.endswith("?") or UNDECIDED.search(low) or HYPOTHETICAL.search(_unlead(low)):
            continue
        if DECISION.search(low):
            found.append(_unlead(sentence.text))
    return found


def _unlead(text: str) -> str:
    rest = re.sub(LEAD, "", text, flags=re.IGNORECASE)
    return rest[:1].upper() + rest[1:] if rest else text


def _names(context: MeetingContext) -> dict[str, str]:
    """Every way an attendee may be called (full name, first name) -> the attendee's name."""
    names = {}
    for attendee in context.attendees:
        names[attendee.lower()] = attendee
        first = attendee.split()[0]
        names.setdefault(first.lower(), attendee)
    return names


def _tidy(task: str) -> str:
    task = strip_due(task.strip())
    task = re.sub(r"[?.!]+$", "", task).strip()
    task = TRAILING.sub("", task).strip(" ,")
    task = re.sub(r"^(?:please|also|then|just)\s+", "", task, flags=re.IGNORECASE)
    return task[:1].upper() + task[1:]


def _commitment(low: str, who: str) -> tuple[str, str, float, int] | None:
    """(owner as said, task, confidence, where the owner is named) when ``low`` gives someone work."""
    rules = [
        (rf"(?:(?:^|,\s*)(?P<o>{who}),?\s+|\b(?P<o2>{who}),\s+)(?:can|could|would|will) you\s+(?:please\s+)?"
         r"(?P<t>.+)", 0.9),
        (rf"(?:^|,\s*)(?P<o>{who})(?:,\s*|\s+(?=please\b))(?:please\s+)?(?:make sure (?:to|you)\s+)?"
         r"(?P<t>(?!is\b|was\b|has\b|had\b|and\b|will\b|would\b|should\b|could\b|can\b|did\b|said\b|"
         r"thinks\b|agreed\b|what\b|how\b|do\b|does\b|are\b|i\b|we\b|you\b)[a-z]+\b.+)", 0.75),
        (rf"\baction(?: item)?s?\s+(?:for|on)\s+(?P<o>{who})\s*[:,-]?\s*(?:to\s+|will\s+|is to\s+)?(?P<t>.+)", 0.9),
        (rf"\b(?P<o>{who})\s+(?:will|'ll|is going to|is gonna|agreed to|has agreed to|volunteered to|"
         r"offered to|needs to|has to|must|is to|to|takes care of|is taking care of|is on)\s+(?P<t>.+)", 0.85),
        (rf"\b(?P<o>{who})'ll\s+(?P<t>.+)", 0.85),
        (rf"\b(?P<o>{who})\s+should\s+(?P<t>.+)", 0.6),
        (rf"\b(?:assign(?:ing)?|give|giving|hand(?:ing)?)\s+(?P<t>.+?)\s+to\s+(?P<o>{who})\b", 0.8),
    ]
    for pattern, confidence in rules:
        match = re.search(pattern, low)
        if match:
            key = "o" if match.groupdict().get("o") else "o2"
            return match[key], match["t"], confidence, match.start(key)
    return None


def action_items(said: list[Sentence], context: MeetingContext) -> list[ProposedItem]:
    """Action items with an owner among the attendees, a task, a due date and where they were said."""
    names = _names(context)
    if not names:
        return []
    who = _owner_pattern(list(names))
    items, speaker = [], ""
    for index, sentence in enumerate(said):
        text = sentence.text.strip()
        named = SPEAKER.match(text)
        if named and (named["name"] or named["name2"]).lower() in names:
            speaker = names[(named["name"] or named["name2"]).lower()]
        speaker = sentence.speaker or speaker
        low = re.sub(LEAD, "", text.lower())
        previous = said[index - 1].text.lower().rstrip(" .,!") if index else ""
        addressed = re.search(rf"(?:^|[\s,])({who})$", previous)
        if addressed and re.match(r"(?:can|could|would|will) you\b|please\b", low):
            low = f"{addressed.group(1)}, {low}"  # "..., Priya. Can you ...": the speech model split the address
        following = said[index + 1].text.lower().strip() if index + 1 < len(said) else ""
        item = _item_in(low, text, sentence, who, names, speaker, following, context)
        if item is not None:
            items.append(item)
    return items


def _item_in(low, text, sentence, who, names, speaker, following, context) -> ProposedItem | None:
    if DONE.search(low) or OPINION.search(low) or HYPOTHETICAL.search(low):
        return None
    found = _commitment(low, who)
    confidence = 0.0
    if found:
        owner, task, confidence, at = found
        if NOBODY.search(low[:at]):
            return None  # "someone should ask Priya to ..." gives Priya nothing yet
        owner = names[owner]
        is_request = low.endswith("?")
        if is_request and not re.search(rf"(?:(?:^|,\s*)(?:{who}),?\s+|\b(?:{who}),\s+)(?:can|could|would|will) you\b",
                                        low):
            return None  # a question about someone ("will Priya be there?") asks nothing of them
        if DECLINE.match(following):
            return None
        if ACCEPT.match(following):
            confidence = min(confidence + 0.05, 0.99)
    else:
        offer = OFFER.match(low)
        promise = re.match(r"^(?:i'll|i will|i am going to|i'm going to|i'm gonna|let me)\s+(?P<task>.+)", low)
        if promise and speaker and not low.endswith("?"):
            owner, task, confidence = speaker, promise["task"], 0.8
        elif offer and speaker and ACCEPT.match(following) and not DECLINE.match(following):
            owner, task, confidence = speaker, re.sub(r"\s+if (?:you|that|it|needed).*$", "", offer["task"]), 0.7
        else:
            return None
    cleaned = _tidy(task)
    if len(cleaned.split()) < 2:
        return None
    due = parse_due(task, context.held_on)
    return ProposedItem(task=cleaned, owner=owner, due=due, confidence=round(confidence, 2),
                        start=sentence.start, source=text)
