"""The items of an option list: what choice questions and scenario steps are written as."""

from __future__ import annotations

from dataclasses import dataclass

from markdown_it.token import Token

from learning.content.context import FileContext
from learning.content.markdown import blocks_of, line_of


@dataclass
class Item:
    """One list item of an option list, before it becomes an Option."""

    position: int
    line: int
    inline: Token
    feedback_html: str


def item_blocks(block: list[Token], ctx: FileContext) -> list[Item | None]:
    """The items of a bullet list; None for an item without a text paragraph."""
    items: list[Item | None] = []
    for position, item in enumerate(blocks_of(block[1:-1]), start=1):
        inner = blocks_of(item[1:-1])
        item_line = line_of(item)
        if not inner or inner[0][0].type != "paragraph_open":
            ctx.error(item_line, "E304", "Option ohne Text.")
            items.append(None)
            continue
        feedback: list[str] = []
        for extra in inner[1:]:
            if extra[0].type == "blockquote_open":
                feedback.append(ctx.renderer.blocks(extra[1:-1]))
            else:
                ctx.error(
                    line_of(extra, item_line),
                    "E312",
                    "Unerwarteter Inhalt in einer Option: erlaubt ist nur Text und ein "
                    "eingerücktes Feedback '> ...'.",
                )
        items.append(Item(position, item_line, inner[0][1], "".join(feedback)))
    return items
