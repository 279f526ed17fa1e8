#!/usr/bin/env python3
"""The diagrams of the five examples, read back independently of eskit's C++.

usage: check_diagrams.py ESKIT RSVG_CONVERT SOURCE_DIR

For each example: generate into a temporary directory, render every SVG to PNG with
rsvg-convert, count the stickies per kind against model.yaml, check that no two stickies or
frames overlap and that no text leaves its box (glyph widths estimated on the wide side), and
that the Mermaid names every element. A negative control first proves the checker rejects
overlapping stickies and overflowing text, so the test cannot pass vacuously.
"""
import struct
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

import yaml

SVG = "{http://www.w3.org/2000/svg}"
FONT_SIZE = 13
PADDING = 4  # text must keep at least this far from a box's side
SYSTEMS = ["datecourse", "drivercall", "petcare", "rental", "tutoring"]
KINDS = {"aggregates": "aggregate", "commands": "command", "events": "event",
         "policies": "policy", "views": "view"}


def glyph_em(c):
    """Advance in em, at least what common sans-serif fonts use (mirrors generator text.cpp)."""
    if c in "MWmw":
        return 1.0
    if c.isupper():
        return 0.8
    if c in "ijltfr .,:()":
        return 0.45
    if c.islower():
        return 0.65
    if c.isdigit():
        return 0.68
    return 1.0


def text_width(text, size=FONT_SIZE):
    return sum(glyph_em(c) for c in text) * size


def rect_of(element):
    r = element.find(SVG + "rect")
    return tuple(float(r.get(k)) for k in ("x", "y", "width", "height"))


def overlap(a, b):
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def text_problems(group, box, name):
    problems = []
    x, y, w, h = box
    for t in group.findall(SVG + "text"):
        size = float(t.get("font-size", FONT_SIZE))
        width = text_width(t.text or "", size)
        cx, base = float(t.get("x")), float(t.get("y"))
        anchor = t.get("text-anchor", "start")
        left = cx - width / 2 if anchor == "middle" else cx
        if left < x + PADDING or left + width > x + w - PADDING:
            problems.append(f"{name}: text {t.text!r} ({width:.0f}px) is wider than its box")
        if base - 0.8 * size < y or base + 0.25 * size > y + h:
            problems.append(f"{name}: text {t.text!r} leaves its box vertically")
    return problems


def board_problems(root):
    """Overlapping stickies or frames, text outside its sticky; [] when the board is sound."""
    problems = []
    stickies = [g for g in root.iter(SVG + "g") if "sticky" in g.get("class", "").split()]
    boxes = [(g.get("data-name"), rect_of(g)) for g in stickies]
    for i, (a, ra) in enumerate(boxes):
        for b, rb in boxes[i + 1:]:
            if overlap(ra, rb):
                problems.append(f"stickies {a} and {b} overlap")
    for g, (name, box) in zip(stickies, boxes):
        problems += text_problems(g, box, name)
    frames = [rect_of(g) for g in root.iter(SVG + "g") if "frame" in g.get("class", "").split()]
    for i, a in enumerate(frames):
        for b in frames[i + 1:]:
            if overlap(a, b):
                problems.append(f"frames {a} and {b} overlap")
    return problems


def context_map_problems(root):
    problems = []
    boxes = [(g.get("data-name"), g) for g in root.iter(SVG + "g") if g.get("class") == "context"]
    for i, (a, ga) in enumerate(boxes):
        problems += text_problems(ga, rect_of(ga), a)
        for b, gb in boxes[i + 1:]:
            if overlap(rect_of(ga), rect_of(gb)):
                problems.append(f"contexts {a} and {b} overlap")
    return problems


def expected_stickies(model):
    """{(kind, qualified name)} for every element of model.yaml."""
    expected = {("actor", a) for a in (model.get("actors") or {})}
    expected |= {("external", e) for e in (model.get("externals") or {})}
    for context, body in (model.get("contexts") or {}).items():
        for key, kind in KINDS.items():
            expected |= {(kind, f"{context}.{name}") for name in (body.get(key) or {})}
    return expected


def node_id(kind, qualified):
    return f"{kind}_{qualified.replace('.', '_')}"


def png_problems(svg, rsvg):
    png = svg.with_suffix(".png")
    subprocess.run([rsvg, str(svg), "-o", str(png)], check=True)
    data = png.read_bytes() if png.exists() else b""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        return [f"{svg.name}: rsvg-convert produced no PNG"]
    width, height = struct.unpack(">II", data[16:24])
    if width < 300 or height < 150 or len(data) < 5000:
        return [f"{svg.name}: PNG is trivial ({width}x{height}, {len(data)} bytes)"]
    return []


def negative_control():
    def board(stickies):
        body = "".join(
            f'<g class="sticky event" data-kind="event" data-name="{n}">'
            f'<rect x="{x}" y="{y}" width="150" height="76"/>'
            f'<text x="{x + 75}" y="{y + 42}" text-anchor="middle">{t}</text></g>'
            for n, x, y, t in stickies)
        return ET.fromstring(f'<svg xmlns="http://www.w3.org/2000/svg">{body}</svg>')

    sound = board([("a.A", 0, 0, "Fine"), ("a.B", 200, 0, "Fine")])
    overlapping = board([("a.A", 0, 0, "Fine"), ("a.B", 100, 40, "Fine")])
    overflowing = board([("a.A", 0, 0, "WWWWWWWWWWWWWWWW")])
    assert board_problems(sound) == [], board_problems(sound)
    assert any("overlap" in p for p in board_problems(overlapping)), "overlap not caught"
    assert any("wider" in p for p in board_problems(overflowing)), "overflow not caught"


def check_system(eskit, rsvg, source, system, out):
    model_path = source / "examples" / system / "model.yaml"
    model = yaml.safe_load(model_path.read_text())
    subprocess.run([eskit, "diagram", str(model_path), "-o", str(out), "-q"], check=True)
    problems = []
    for name in ["board.svg", "context-map.svg"]:
        problems += png_problems(out / name, rsvg)

    board = ET.parse(out / "board.svg").getroot()
    stickies = [g for g in board.iter(SVG + "g") if "sticky" in g.get("class", "").split()]
    found = [(g.get("data-kind"), g.get("data-name")) for g in stickies]
    expected = expected_stickies(model)
    if sorted(found) != sorted(expected):
        problems.append(f"stickies differ from the model: missing {sorted(expected - set(found))},"
                        f" unexpected {sorted(set(found) - expected)}, {len(found)} drawn")
    for g in stickies:
        if g.get("class") != f"sticky {g.get('data-kind')}":
            problems.append(f"{g.get('data-name')}: class {g.get('class')!r}")
    problems += board_problems(board)

    cmap = ET.parse(out / "context-map.svg").getroot()
    drawn = {g.get("data-name") for g in cmap.iter(SVG + "g") if g.get("class") == "context"}
    if drawn != set(model["contexts"]):
        problems.append(f"context map shows {sorted(drawn)}")
    problems += context_map_problems(cmap)

    mermaid = (out / "board.mmd").read_text()
    if not mermaid.startswith("flowchart"):
        problems.append("board.mmd is no flowchart")
    for kind, name in sorted(expected):
        if node_id(kind, name) + "[" not in mermaid:
            problems.append(f"board.mmd lacks node {node_id(kind, name)}")
    cmm = (out / "context-map.mmd").read_text()
    if not cmm.startswith("flowchart"):
        problems.append("context-map.mmd is no flowchart")
    for context in model["contexts"]:
        if f"ctx_{context}[" not in cmm:
            problems.append(f"context-map.mmd lacks node ctx_{context}")

    counts = {}
    for kind, _ in found:
        counts[kind] = counts.get(kind, 0) + 1
    print(f"{system}: " + ", ".join(f"{counts[k]} {k}" for k in sorted(counts)))
    return [f"{system}: {p}" for p in problems]


def main():
    eskit, rsvg, source = sys.argv[1], sys.argv[2], Path(sys.argv[3])
    negative_control()
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        for system in SYSTEMS:
            problems += check_system(eskit, rsvg, source, system, Path(tmp) / system)
    for p in problems:
        print(p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
