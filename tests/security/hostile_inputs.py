"""Hostile import inputs, shared by the importer tests (a clear error, a bounded answer) and
`bench/importers.py` (how long each takes beside a benign input of the same size)."""

ALIAS_BOMB = "a: &a [" + ",".join(["x"] * 9) + "]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]\n"
    for i in range(8))


HOSTILE_SHAPES = [
    ("alias bomb", "yaml", ALIAS_BOMB, "anchors and aliases are not allowed"),
    ("deep nesting", "yaml", "[" * 50_000, "nested deeper than"),
    ("deep mapping", "yaml", "a:\n" + "".join(" " * i + "a:\n" for i in range(1, 400)),
     "nested deeper than"),
    ("newlines in a GIFT stem", "gift",
     "::serialization-q::q" + "\\n" * 16_000 + "x {=a ~b#c}", ""),
    ("newlines in a Moodle XML stem", "moodle_xml",
     '<quiz><question type="multichoice"><name><text>serialization-q</text></name>'
     '<questiontext format="markdown"><text>q' + "\n" * 32_000 + "x</text></questiontext>"
     "</question></quiz>", ""),
    ("many questions in Moodle XML", "moodle_xml",
     "<quiz>" + '<question type="essay"/>\n' * 20_000 + "</quiz>", "cannot be imported"),
]
