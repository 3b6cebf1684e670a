#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""validate_json.py SCHEMA [FILE...]: validates check_listeners --format json output.

Each FILE (standard input when none is given) must hold exactly one JSON
document on one line, as the plugin prints it, and the document must be valid
against SCHEMA (conf/check_listeners.schema.json) under JSON Schema draft 7.
The document itself must hold no control character (C0, DEL, C1, U+2028,
U+2029, the bidi controls) but its final newline: a terminal, a JavaScript
parser or a bidirectional display reading the raw line acts on none. The schema itself is checked against the draft 7
meta-schema first.

Uses Debian's python3-jsonschema (`make deps` installs it); run with
/usr/bin/python3 so that the distribution's module is the one used.
Exit 0 when every document is valid, 1 when one is not, 2 on usage errors.
"""
import json
import re
import sys

import jsonschema


CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")


def load_schema(path):
    with open(path, encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


def problems(validator, name, raw):
    """Yields one line per reason why raw (bytes) is not one valid document."""
    try:
        text = raw.decode("utf-8", errors="strict")
    except UnicodeDecodeError as e:
        yield f"{name}: not UTF-8: {e}"
        return
    lines = text.split("\n")
    if len(lines) != 2 or lines[1] != "":
        yield f"{name}: expected one line ending in a newline, got {len(lines) - 1} newline(s)"
    raw_control = CONTROL.search(lines[0])
    if raw_control:
        yield f"{name}: a raw control character U+{ord(raw_control.group()):04X} at {raw_control.start()}"
    try:
        doc = json.loads(text)
    except ValueError as e:
        yield f"{name}: not JSON: {e}"
        return
    for err in sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path)):
        where = "".join(f"[{p!r}]" for p in err.absolute_path) or "(top level)"
        yield f"{name}: {where}: {err.message[:300]}"


def main(argv):
    if len(argv) < 2:
        print(__doc__.strip().splitlines()[0], file=sys.stderr)
        return 2
    try:
        validator = load_schema(argv[1])
    except (OSError, ValueError, jsonschema.SchemaError) as e:
        print(f"{argv[1]}: unusable schema: {e}", file=sys.stderr)
        return 2
    bad = 0
    inputs = argv[2:] or ["-"]
    for name in inputs:
        if name == "-":
            raw = sys.stdin.buffer.read()
        else:
            with open(name, "rb") as f:
                raw = f.read()
        for line in problems(validator, name, raw):
            print(line)
            bad = 1
    return bad


if __name__ == "__main__":
    sys.exit(main(sys.argv))
