"""Pure rendering for the conversation view: reply text to blocks, blocks to strips.

No widgets here; the conversation widget calls these to paint its visible lines.
"""

from claude_tui.ui.rendering.block_render import COPY_LABEL, BlockRenderer
from claude_tui.ui.rendering.inline_holdback import hold_back_unclosed_inline
from claude_tui.ui.rendering.markdown_blocks import Block, IncrementalBlockSplitter, split_blocks
from claude_tui.ui.rendering.render_theme import DARK_THEME, LIGHT_THEME, RenderTheme

__all__ = [
    "COPY_LABEL",
    "DARK_THEME",
    "LIGHT_THEME",
    "Block",
    "BlockRenderer",
    "IncrementalBlockSplitter",
    "RenderTheme",
    "hold_back_unclosed_inline",
    "split_blocks",
]
