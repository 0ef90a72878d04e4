"""Positions for the small server-rendered neighbourhood graph on profile pages."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Spoke:
    number: int  # the position in the "Organisationen wie ihr" list
    x: float
    y: float
    width: float  # line width grows with the score


def star_layout(scores: list[float], radius: float = 105.0) -> list[Spoke]:
    """Neighbours evenly on a circle around the centre (0, 0), the most similar at the top; deterministic."""
    count = len(scores)
    spokes = []
    for i, score in enumerate(scores):
        angle = -math.pi / 2 + 2 * math.pi * i / max(count, 1)
        spokes.append(Spoke(i + 1, round(radius * math.cos(angle), 1), round(radius * math.sin(angle), 1),
                            round(1 + 7 * max(0.0, min(score, 1.0)), 1)))
    return spokes
