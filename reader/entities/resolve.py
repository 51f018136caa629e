"""The whole journey from the model's mentions to the panel's rows, in order (see
docs/entities.md for each step and its evidence): structure, office holders, names,
non-names, votes, clusters, people, merges, every mention, rows.

Pure Python on plain data: no spaCy, no Textual.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence

from reader.entities.mentions import (
    add_every_mention,
    alias_mentions,
    complete_names,
    drop_non_names,
)
from reader.entities.merge import add_acronym_mentions, add_surname_mentions, merge_clusters
from reader.entities.model import (
    GROUP_LABEL,
    NAME_LABELS,
    Entity,
    Mention,
    group_of,
)
from reader.entities.names import normalise, org_like
from reader.entities.roles import office_holders, offices_are_not_organisations
from reader.entities.spans import Cluster, Span
from reader.entities.structure import SKIP_KINDS, headline_lines, outside_structure, regions_of
from reader.entities.voting import decide_group, group_by_company, surname_evidence, vote_by_context
from reader.entities.words import BYLINE_NOT_PEOPLE

__all__ = ["byline_mentions", "resolve"]


def resolve(mentions: Sequence[Mention], text: str,
            bylines: Sequence[tuple[int, int]] = (),
            structure: Sequence[tuple[int, int, str]] = ()) -> list[Entity]:
    """Turn the model's mentions into panel rows, ordered by first mention.

    ``text`` is the full source text the mentions index; it supplies context (titles,
    brackets, lists) and the acronym occurrences the model missed. ``bylines`` are the
    (start, end) offsets of the article's byline lines: the names there are its authors
    (see :func:`byline_mentions`). ``structure`` holds the (start, end, kind) of blocks
    that are not prose (:attr:`reader.document.Article.structure`).
    """
    if bylines:
        mentions = byline_mentions(mentions, text, bylines)
    headlines = headline_lines(text, structure, bylines)
    mentions = office_holders(mentions, text, headlines)
    mentions = offices_are_not_organisations(mentions, text, org_like)
    mentions = outside_structure(mentions, text, structure, headlines)
    spans, definitions = normalise(mentions, text)
    spans = drop_non_names(spans, text)
    complete_names(spans, text, headlines)
    definitions += alias_mentions(spans, text)
    skip = regions_of(structure, SKIP_KINDS)  # captions and the like: no mention is there
    spans = add_acronym_mentions(spans, definitions, text, skip)
    vote_by_context(spans, text)
    clusters = _cluster(spans)
    surname_evidence(clusters)
    for c in clusters.values():
        c.group = decide_group(c)
    add_surname_mentions(clusters, spans, text, skip)
    merge_clusters(clusters, definitions, text)
    group_by_company(clusters, spans, text)
    add_every_mention(clusters, spans, text, skip, headlines)
    return _rows(clusters, text)


#: A byline's name: two to four capitalised words, with the particles names carry.
_BYLINE_NAME = re.compile(
    r"[A-Z][\w'’.-]*(?:\s+(?:(?:van|von|de|da|del|der|di|du|la|le|bin|al)\s+){0,2}"
    r"[A-Z][\w'’.-]*){1,3}")
_BYLINE_SEPARATORS = re.compile(r"\s*(?:,|;|&|\band\b|\bwith\b|\||·|•)\s*")
_BYLINE_LEAD = re.compile(r"^\s*(?:by|words by|written by|reporting by|text by)\s*:?\s+",
                          re.I)


def byline_mentions(mentions: Sequence[Mention], text: str,
                    bylines: Sequence[tuple[int, int]]) -> list[Mention]:
    """The authors named in a byline are people, whatever the model made of them.

    A byline ("By Ana Lima", "By Jo Roe and Sam Diaz") names people; the small model often
    reads a surname there as a place ("Lima"). Each part of the byline (split at commas and
    "and") that is a whole name of two to four capitalised words, and does not look like an
    organisation's name ("Reuters Staff", "News Desk"), becomes one PERSON mention, in place
    of the model's mentions inside it.
    """
    found: list[Mention] = []
    for b0, b1 in bylines:
        line = text[b0:b1]
        lead = _BYLINE_LEAD.match(line)
        pos = lead.end() if lead else 0
        for part in _BYLINE_SEPARATORS.split(line[pos:]):
            at = line.find(part, pos) if part else -1
            if at < 0:
                continue
            pos = at + len(part)
            name = part.strip()
            if _BYLINE_NAME.fullmatch(name) is None or org_like(name) or any(
                    w.casefold() in BYLINE_NOT_PEOPLE for w in name.split()):
                continue
            start = b0 + at + (len(part) - len(part.lstrip()))
            found.append(Mention(start, start + len(name), name, "PERSON"))
    if not found:
        return list(mentions)
    kept = [m for m in mentions if not any(m.start < f.end and f.start < m.end for f in found)]
    return sorted(kept + found, key=lambda m: (m.start, m.end))


def _cluster(spans: list[Span]) -> dict[str, Cluster]:
    clusters: dict[str, Cluster] = {}
    for sp in spans:
        key = sp.cluster_key if sp.label in NAME_LABELS else f"{sp.key}\0{sp.label}"
        c = clusters.get(key)
        if c is None:
            c = clusters[key] = Cluster(sp.cluster_key)
        c.add(sp)
    return clusters


def _distinct(spans: list[Span]) -> list[Span]:
    """Sorted spans without the ones that overlap an earlier (longer) one: a text position
    counts once in a row, however many rules found it."""
    out: list[Span] = []
    for sp in spans:
        if not out or sp.start >= out[-1].end:
            out.append(sp)
    return out


def _rows(clusters: dict[str, Cluster], text: str) -> list[Entity]:
    members: dict[int, list[Cluster]] = defaultdict(list)
    roots: dict[int, Cluster] = {}
    for c in clusters.values():
        r = c.root()
        roots[id(r)] = r
        members[id(r)].append(c)
    rows: list[Entity] = []
    for rid, root in roots.items():
        group = root.group  # a NORP naming a party already voted "organizations"
        spans = _distinct(sorted((sp for c in members[rid] for sp in c.spans),
                                 key=lambda sp: (sp.start, -sp.end)))
        labels = Counter(sp.label for sp in spans if group_of(sp.label) == group)
        if group == "other":
            labels = Counter(sp.label for sp in spans)
        label = labels.most_common(1)[0][0] if labels else GROUP_LABEL[group]
        name = root.name
        if name.isupper() and " " in name:  # a signature in capitals: "WILLIAM COLLINS"
            mixed = [c.name for c in members[rid] if not c.name.isupper()]
            name = max(mixed, key=len) if mixed else name
        seen = {name.casefold()}
        aliases = []
        for c in sorted(members[rid], key=lambda c: c.spans[0].start):
            n = c.name
            if n.casefold() not in seen:
                seen.add(n.casefold())
                aliases.append(n)
        mentions = [Mention(sp.start, sp.end, text[sp.start : sp.end], label) for sp in spans]
        rows.append(Entity(name, group, label, aliases, mentions))
    rows.sort(key=lambda e: e.first)
    return rows
