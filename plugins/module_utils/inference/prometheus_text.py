# -*- coding: utf-8 -*-
# Copyright: (c) 2026, edgeai.serving contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Small parser for the Prometheus text exposition format (version 0.0.4)."""

import re

_NAME = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")
_LABEL_NAME = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*")
_ESCAPES = {"\\": "\\", '"': '"', "n": "\n"}
# Samples of a histogram or summary family carry one of these suffixes.
FAMILY_SUFFIXES = ("_bucket", "_sum", "_count", "_total", "_created")


class MetricsParseError(ValueError):
    pass


def parse_samples(text):
    """Return ``[(name, labels, value)]`` for every sample line of ``text``."""
    samples = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            samples.append(_parse_line(line))
        except (MetricsParseError, ValueError) as exc:
            raise MetricsParseError("metrics line %d: %s: %r" % (number, exc, line))
    return samples


def _parse_line(line):
    match = _NAME.match(line)
    if not match:
        raise MetricsParseError("no metric name")
    name = match.group(0)
    pos = match.end()
    labels = {}
    if line[pos:pos + 1] == "{":
        labels, pos = _parse_labels(line, pos + 1)
    fields = line[pos:].split()
    if not fields or len(fields) > 2:
        raise MetricsParseError("expected a value and an optional timestamp")
    # float() reads NaN, +Inf and -Inf as the format spells them.
    return name, labels, float(fields[0])


def _parse_labels(line, pos):
    labels = {}
    while True:
        while line[pos:pos + 1] in (" ", ","):
            pos += 1
        if line[pos:pos + 1] == "}":
            return labels, pos + 1
        match = _LABEL_NAME.match(line, pos)
        if not match or line[match.end():match.end() + 2] != '="':
            raise MetricsParseError("bad label at column %d" % (pos + 1))
        value, pos = _parse_quoted(line, match.end() + 2)
        labels[match.group(0)] = value
        if line[pos:pos + 1] not in (",", "}"):
            raise MetricsParseError("expected ',' or '}' at column %d" % (pos + 1))


def _parse_quoted(line, pos):
    chars = []
    while pos < len(line):
        char = line[pos]
        if char == '"':
            return "".join(chars), pos + 1
        if char == "\\" and pos + 1 < len(line):
            chars.append(_ESCAPES.get(line[pos + 1], "\\" + line[pos + 1]))
            pos += 2
            continue
        chars.append(char)
        pos += 1
    raise MetricsParseError("unterminated label value")


def select_series(samples, names):
    """Samples grouped by the requested name; a family name also takes its suffixed samples."""
    selected = dict((name, []) for name in names)
    for sample_name, labels, value in samples:
        for name in names:
            if sample_name == name or (sample_name.startswith(name) and sample_name[len(name):] in FAMILY_SUFFIXES):
                selected[name].append({"name": sample_name, "labels": labels, "value": value})
    return selected
