"""The registry the recogniser's rules (:mod:`geo.rules`) are kept in: their names, what each
is about, and their functions by stage, in the order they are registered.

:func:`rule` is the decorator that registers a function; :func:`functions` gives a stage's
functions in order, but those of disabled rules; :data:`RULES` lists the rules.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

__all__ = ["RULES", "Rule", "rule", "functions", "STAGES"]

STAGES = ("runs", "candidate", "keep", "document")


class Rule(NamedTuple):
    """One of the recogniser's rules: its name (for ``Recognizer(disabled=...)``), what it
    is about in language or geography, and its functions with the stage of each."""
    name: str
    doc: str
    stages: tuple[str, ...]
    functions: tuple[Callable, ...]


RULES: list[Rule] = []  # in the order of their first function
_BY_STAGE: dict[str, list[tuple[str, Callable]]] = {stage: [] for stage in STAGES}


def rule(name: str, stage: str) -> Callable[[Callable], Callable]:
    """Register the decorated function as (part of) the rule ``name``, acting at ``stage``."""
    if stage not in STAGES:
        raise ValueError(f"unknown stage {stage!r} (known: {', '.join(STAGES)})")

    def register(fn: Callable) -> Callable:
        doc = (fn.__doc__ or "").strip().split("\n")[0].strip()
        if not doc:
            raise ValueError(f"rule {name}: {fn.__name__} needs a one-line docstring")
        at = next((i for i, r in enumerate(RULES) if r.name == name), None)
        if at is None:
            RULES.append(Rule(name, doc, (stage,), (fn,)))
        else:
            old = RULES[at]
            RULES[at] = old._replace(stages=old.stages + (stage,), functions=old.functions + (fn,))
        _BY_STAGE[stage].append((name, fn))
        return fn
    return register


def functions(stage: str, disabled: frozenset[str] = frozenset()) -> list[Callable]:
    """The functions acting at ``stage``, in order, but those of the ``disabled`` rules."""
    return [fn for name, fn in _BY_STAGE[stage] if name not in disabled]
