"""A compositor that asks a widget only for the cells of a frame it will show.

Textual's compositor answers a repaint of two lines of the conversation by asking every
widget whose *clip* touches those lines (the screen, each container around the view, the
composer and the status bar beside it: about ten) for all of its lines, then keeps the two
rows it wanted and, of those, the cells of the front-most widget. The lines mostly come
from each widget's line cache, but every one is still fetched, filtered and sliced: at
eight frames a second that was half of the CPU a paced reply cost.

This one paints front to back as Textual does and asks a widget for lines only when some
cell of them is still unpainted: a container entirely behind its children is not asked at
all, and a widget is asked for the updated rows only. The cuts (every widget edge on a
line), the painting order and the chops handed to the driver are Textual's own, so the
frames are the same (``tests/ui/app/test_frame_painting.py`` compares them).

Written against Textual 8.2's ``Compositor._render_chops``; the test above fails if a new
Textual paints differently.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from textual._compositor import Compositor
from textual.geometry import Region
from textual.strip import Strip


class RowCroppedCompositor(Compositor):
    """:class:`textual._compositor.Compositor` rendering only the cells a frame shows."""

    def _render_chops(
        self,
        crop: Region,
        is_rendered_line: Callable[[int], bool],
    ) -> Sequence[Mapping[int, Strip]]:
        _rich_traceback_guard = True
        cuts = self.cuts
        chops: list[dict[int, Strip | None]] = [dict.fromkeys(line[:-1]) for line in cuts]
        crop_top, crop_bottom = crop.y, crop.bottom
        crop_left, crop_right = crop.x, crop.right
        # visible_widgets is in painting order, front-most first: the first strip for a
        # cut wins, so a widget is asked only for the lines where a cut of it is unpainted.
        for widget, (region, clip) in self.visible_widgets.items():
            left, visible_top, width, height = region.intersection(clip)
            right = left + width
            top = max(visible_top, crop_top)
            bottom = min(visible_top + height, crop_bottom)
            if not width or top >= bottom or left >= crop_right or right <= crop_left:
                continue
            wanted: list[tuple[int, list[int]]] = []
            for y in range(top, bottom):
                if not is_rendered_line(y):
                    continue
                line_chops = chops[y]
                line_cuts = [cut for cut in cuts[y] if right >= cut >= left]
                if any(line_chops[cut] is None for cut in line_cuts[:-1]):
                    wanted.append((y, line_cuts))
            if not wanted:
                continue
            first = wanted[0][0]
            strips = widget.render_lines(
                Region(left - region.x, first - region.y, width, wanted[-1][0] - first + 1)
            )
            for y, line_cuts in wanted:
                line_chops = chops[y]
                pieces = strips[y - first].divide([cut - left for cut in line_cuts[1:]])
                for cut, piece in zip(line_cuts, pieces, strict=False):
                    if line_chops[cut] is None:
                        line_chops[cut] = piece
        return chops  # type: ignore[return-value]  # every chop in a rendered line is set
