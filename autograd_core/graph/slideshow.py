"""Frames as one self-contained HTML page: embedded SVGs, prev/next buttons and a slider."""

from __future__ import annotations

import html
import itertools
import re

_counter = itertools.count()
_PROLOGUE = re.compile(r"<\?xml.*?\?>|<!DOCTYPE.*?>|<!--.*?-->", re.DOTALL)

_SCRIPT = """
<script>
(function () {
  var root = document.getElementById("%(id)s");
  var frames = root.querySelectorAll(".ag-frame");
  var slider = root.querySelector("input[type=range]");
  var counter = root.querySelector(".ag-counter");
  function show(i) {
    i = Math.max(0, Math.min(frames.length - 1, i));
    for (var k = 0; k < frames.length; k++) {
      frames[k].style.display = k === i ? "block" : "none";
    }
    slider.value = i;
    counter.textContent = (i + 1) + " / " + frames.length;
  }
  root.querySelector(".ag-prev").addEventListener("click", function () {
    show(Number(slider.value) - 1);
  });
  root.querySelector(".ag-next").addEventListener("click", function () {
    show(Number(slider.value) + 1);
  });
  slider.addEventListener("input", function () { show(Number(slider.value)); });
  show(0);
})();
</script>
"""


def svg_of(frame) -> str:
    """A frame rendered to SVG markup for inlining (no XML prologue)."""
    svg = frame.pipe(format="svg", encoding="utf-8")
    return _PROLOGUE.sub("", svg).strip()


def slideshow_fragment(frames, title=None) -> str:
    """A <div> and its <script> that play `frames`; for Jupyter and for embedding."""
    if not len(frames):
        raise ValueError("html_slideshow: no frames to show")
    uid = f"ag-slideshow-{next(_counter)}"
    parts = [f'<div class="ag-slideshow" id="{uid}" style="font-family: sans-serif">']
    if title:
        parts.append(f"<h3>{html.escape(title)}</h3>")
    parts.append(
        '<div class="ag-controls" style="margin: 4px 0">'
        '<button type="button" class="ag-prev">&#9664; prev</button> '
        f'<input type="range" min="0" max="{len(frames) - 1}" value="0" step="1" '
        'style="vertical-align: middle; width: 40%"> '
        '<button type="button" class="ag-next">next &#9654;</button> '
        f'<span class="ag-counter">1 / {len(frames)}</span></div>'
    )
    for index, frame in enumerate(frames):
        display = "block" if index == 0 else "none"
        parts.append(
            f'<div class="ag-frame" style="display: {display}; overflow-x: auto">'
            f"{svg_of(frame)}</div>"
        )
    parts.append("</div>")
    parts.append(_SCRIPT % {"id": uid})
    return "\n".join(parts)


def html_slideshow(frames, title="backward pass, step by step") -> str:
    """A complete HTML page (plain JavaScript, nothing fetched) that plays `frames`."""
    body = slideshow_fragment(frames, title)
    return (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
        f"<title>{html.escape(title or 'slideshow')}</title></head>\n"
        f"<body>\n{body}\n</body></html>\n"
    )


class Slideshow:
    """Frames that play inline in Jupyter (`_repr_html_`) or save as one HTML file."""

    def __init__(self, frames, title=None):
        self.frames = list(frames)
        self.title = title

    def _repr_html_(self) -> str:
        return slideshow_fragment(self.frames, self.title)

    def to_html(self) -> str:
        return html_slideshow(self.frames, self.title or "backward pass, step by step")

    def save(self, path) -> None:
        from pathlib import Path

        Path(path).write_text(self.to_html(), encoding="utf-8")
