"""Raise the quality levels in tests/gold/levels.json to what the extractor reaches now.

Levels only go up: tests/test_quality.py fails when a figure falls more than 0.02
below its level. Run after an improvement and commit the file with it.

Usage: python tools/record_quality.py [--print]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from test_quality import measure  # noqa: E402

LEVELS = ROOT / "tests" / "gold" / "levels.json"
MEASURES = {"entities": ("precision", "recall", "f1"), "relations": ("f1",), "roles": ("accuracy",)}


def main() -> None:
    scores = measure()
    levels = json.loads(LEVELS.read_text(encoding="utf-8")) if LEVELS.exists() else {}
    for gold, result in scores.items():
        current = levels.setdefault(gold, {})
        for section, wanted in MEASURES.items():
            table = {"all": result["roles"]} if section == "roles" else result[section]
            for name, figures in table.items():
                for measure_name in wanted:
                    value = figures.get(measure_name)
                    if value is None:
                        continue
                    key = f"{section}/{name}/{measure_name}"
                    current[key] = max(current.get(key, 0.0), value)
                    if "--print" in sys.argv:
                        print(f"{gold:7} {key:34} {value:.3f}")
    LEVELS.write_text(json.dumps(levels, indent=1, sort_keys=True) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
