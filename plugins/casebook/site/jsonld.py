"""schema.org JSON-LD of every entry, by the type its kind declares (Organization, Article, ...), safe inside a script element."""

from __future__ import annotations

import json

from ..core.complements import pairings
from ..core.knowledge import KnowledgeBase
from ..core.model import Entry, Taxonomy, Term
from .urls import SiteUrls

# Inside <script> the HTML parser only looks for "</script" and "<!--"; escaping
# <, > and & (and the line separators older JavaScript rejects) as JSON \u escapes keeps the data identical for parsers.
_SCRIPT_SAFE = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))


def script_tag(data: dict[str, object]) -> str:
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    for char, escaped in _SCRIPT_SAFE:  # str.replace: some twenty times faster than str.translate
        text = text.replace(char, escaped)
    return f'<script type="application/ld+json">{text}</script>'


def organisation(kb: KnowledgeBase, entry: Entry, urls: SiteUrls) -> dict[str, object]:
    data: dict[str, object] = {"@context": "https://schema.org", "@type": "Organization", "name": entry.title,
                               "description": entry.summary}
    _put(data, "url", urls.absolute(urls.entry(entry)))
    website, contact = entry.values.get("website"), entry.values.get("contact")
    if website:
        data["sameAs"] = website
    if contact:  # shown on the profile page, so it is public
        if contact.startswith("https://"):
            data["contactPoint"] = {"@type": "ContactPoint", "url": contact}
        else:
            data["email"] = contact
    regions = entry.terms.get("region", ())
    if regions:
        data["areaServed"] = [{"@type": "AdministrativeArea", "name": term.label} for term in regions]
    topics = entry.terms.get("topics", ())
    if topics:
        data["knowsAbout"] = [term.label for term in topics]
    for pairing in pairings(kb.taxonomies):  # what it offers and what it needs, each with its note
        for key, prop, node in ((pairing.gives, "makesOffer", "Offer"), (pairing.wants, "seeks", "Demand")):
            if entry.terms.get(key):
                data[prop] = [{"@type": node, "itemOffered": {"@type": "Service", "name": term.label},
                               **({"description": note} if (note := entry.notes.get((key, term.slug))) else {})}
                              for term in entry.terms[key]]
    return data


def defined_term(taxonomy: Taxonomy, term: Term, urls: SiteUrls) -> dict[str, object]:
    """A term's page: a DefinedTerm in the DefinedTermSet of its taxonomy."""
    term_set: dict[str, object] = {"@type": "DefinedTermSet", "name": taxonomy.title}
    _put(term_set, "url", urls.absolute(urls.page(urls.layout.taxonomy(taxonomy))))
    data: dict[str, object] = {"@context": "https://schema.org", "@type": "DefinedTerm", "name": term.label, "termCode": term.slug,
                               "inDefinedTermSet": term_set}
    if term.description:
        data["description"] = term.description
    _put(data, "url", urls.absolute(urls.term(taxonomy, term)))
    return data


def website(site_name: str, description: str | None, urls: SiteUrls) -> dict[str, object]:
    """The home page: the site as a whole."""
    data: dict[str, object] = {"@context": "https://schema.org", "@type": "WebSite", "name": site_name, "inLanguage": "de"}
    if description:
        data["description"] = description
    _put(data, "url", urls.absolute(""))
    return data


def creative_work(kb: KnowledgeBase, entry: Entry, urls: SiteUrls) -> dict[str, object]:
    """Case studies (Article) and entries of kinds a site adds: what they are about and the organisations they name."""
    schema_type = kb.kind(entry.kind).schema_type
    data: dict[str, object] = {"@context": "https://schema.org", "@type": schema_type, "name": entry.title,
                               "description": entry.summary, "inLanguage": "de"}
    if schema_type == "Article":
        data["headline"] = entry.title
    _put(data, "url", urls.absolute(urls.entry(entry)))
    if entry.date:
        data["datePublished"] = entry.date.isoformat()
    about = [{"@type": "Thing", "name": term.label} for t in kb.taxonomies for term in entry.terms.get(t.key, ())]
    if about:
        data["about"] = about
    contributors = []
    for slug in kb.named_organisations(entry):
        partner = kb.organisations[slug]
        contributor: dict[str, object] = {"@type": "Organization", "name": partner.title}
        _put(contributor, "url", urls.absolute(urls.entry(partner)))
        contributors.append(contributor)
    if contributors:
        data["contributor"] = contributors
    return data


def event(kb: KnowledgeBase, entry: Entry, urls: SiteUrls) -> dict[str, object]:
    """An Event: when, where (a place, a virtual location or both) and the organisations that invite."""
    data = creative_work(kb, entry, urls)
    data["organizer"] = data.pop("contributor", [])
    data.pop("datePublished", None)  # an Event is not published; schema.org defines the property for works only
    data["startDate"] = entry.values["start"].isoformat()
    if entry.values.get("end"):
        data["endDate"] = entry.values["end"].isoformat()
    place, online = str(entry.values["place"]), entry.values.get("online_url")
    in_person = place.strip().casefold() != "online"
    locations: list[dict[str, object]] = [{"@type": "Place", "name": place, "address": place}] if in_person else []
    if online:
        locations.append({"@type": "VirtualLocation", "url": online})
    if not locations:  # online, the room not published yet
        locations.append({"@type": "VirtualLocation", "name": place})
    data["location"] = locations if len(locations) != 1 else locations[0]
    mode = "Mixed" if in_person and online else "Offline" if in_person else "Online"
    data["eventAttendanceMode"] = f"https://schema.org/{mode}EventAttendanceMode"
    data["eventStatus"] = "https://schema.org/EventScheduled"
    return data


_BY_TYPE = {"Organization": organisation, "Event": event}


def for_entry(kb: KnowledgeBase, entry: Entry, urls: SiteUrls) -> dict[str, object]:
    return _BY_TYPE.get(kb.kind(entry.kind).schema_type, creative_work)(kb, entry, urls)


def _put(data: dict[str, object], key: str, value: object | None) -> None:
    if value is not None:
        data[key] = value
