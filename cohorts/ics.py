"""A calendar file (RFC 5545) for a gathering, written by hand: a VCALENDAR with one VEVENT.

Text values are escaped (backslash, semicolon, comma, newline), lines end in CRLF and are
folded at 75 octets without splitting a UTF-8 character, and times are given in UTC.
"""

from dataclasses import dataclass
from datetime import UTC, datetime

PRODID = "-//Bro//Gatherings//EN"
LINE_OCTETS = 75


@dataclass(frozen=True)
class Event:
    uid: str
    stamp: datetime
    starts_at: datetime
    ends_at: datetime
    summary: str
    location: str = ""
    url: str = ""
    description: str = ""


def escape_text(value):
    """A TEXT value (RFC 5545 3.3.11)."""
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n"))


def fold(line):
    """Split a content line into lines of at most 75 octets; continuations start with a space."""
    parts, current, size = [], [], 0
    for char in line:
        octets = len(char.encode())
        if size + octets > LINE_OCTETS:
            parts.append("".join(current))
            current, size = [" "], 1
        current.append(char)
        size += octets
    parts.append("".join(current))
    return "\r\n".join(parts)


def utc(moment):
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar(events):
    """The whole .ics file as text."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH"]
    for event in events:
        lines += ["BEGIN:VEVENT", f"UID:{escape_text(event.uid)}", f"DTSTAMP:{utc(event.stamp)}",
                  f"DTSTART:{utc(event.starts_at)}", f"DTEND:{utc(event.ends_at)}",
                  f"SUMMARY:{escape_text(event.summary)}"]
        if event.location:
            lines.append(f"LOCATION:{escape_text(event.location)}")
        if event.url:
            lines.append(f"URL:{event.url}")
        if event.description:
            lines.append(f"DESCRIPTION:{escape_text(event.description)}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
