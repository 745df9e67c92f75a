"""The nodes of a class's day circuit: the morning place it may start from, each site it may
visit, and the evening place it may end at. A node's printed form (``start:<place>``,
``site:<id>``, ``end:<place>``) names the model's leg variables; nothing reads it back."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class NodeKind(Enum):
    START = "start"
    SITE = "site"
    END = "end"


@dataclass(frozen=True)
class Node:
    """One node of a day circuit: a place where the day may start or end, or a site."""

    kind: NodeKind
    id: str
    """The place id (start and end nodes) or the site id (site nodes)."""

    @classmethod
    def start(cls, place: str) -> Node:
        return cls(NodeKind.START, place)

    @classmethod
    def site(cls, site_id: str) -> Node:
        return cls(NodeKind.SITE, site_id)

    @classmethod
    def end(cls, place: str) -> Node:
        return cls(NodeKind.END, place)

    @property
    def is_start(self) -> bool:
        return self.kind is NodeKind.START

    @property
    def is_site(self) -> bool:
        return self.kind is NodeKind.SITE

    @property
    def is_end(self) -> bool:
        return self.kind is NodeKind.END

    def __str__(self) -> str:
        return f"{self.kind.value}:{self.id}"
