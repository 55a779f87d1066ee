"""Make the shared markdown-it parser cheaper without changing a token it produces.

Parsing is most of the compile time (issue 7). markdown-it tries every block rule, in
order, at the start of every block and, to find where a paragraph, list or quote ends,
on every following line; each attempt logs a debug message before looking at the line.
Nothing here changes what is recognised: `tests/content/test_tuning.py` compares the
tokens with those of an untuned parser.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.parser_block import RuleFuncBlockType
from markdown_it.rules_block import StateBlock

# Rules that cannot do anything with `html` and `linkify` off and no typographer: each
# checks its option and returns, but is still called at every block, inline position
# or document.
IDLE_RULES = ("html_block", "html_inline", "linkify", "replacements", "smartquotes")

# A block rule matches only where the first character of the line (after its
# indentation) is one of these; CommonMark fixes them (a fence starts with ` or ~,
# a list item with a bullet or a digit), so they hold for every markdown-it version.
BLOCK_START_CHARS = {
    "fence": "`~",
    "blockquote": ">",
    "hr": "*-_",
    "list": "*-+0123456789",
    "reference": "[",
    "heading": "#",
}


def tune(md: MarkdownIt) -> None:
    md.disable(list(IDLE_RULES))
    for name, chars in BLOCK_START_CHARS.items():
        rule = next(r for r in md.block.ruler.__rules__ if r.name == name)
        # Ruler.at keeps the rule's place; passing "alt" keeps it a terminator.
        md.block.ruler.at(name, _first_char_guard(rule.fn, chars), {"alt": rule.alt})


def _first_char_guard(rule: RuleFuncBlockType, chars: str) -> RuleFuncBlockType:
    def guarded(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
        pos = state.bMarks[start_line] + state.tShift[start_line]
        if pos < state.eMarks[start_line] and state.src[pos] in chars:
            return rule(state, start_line, end_line, silent)
        # Every guarded rule returns False here too, before it changes any state.
        return False

    return guarded
