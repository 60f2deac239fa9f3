"""Checks the charts render_in_cluster wrote, in a real browser (Debian's Chromium, headless).

For each case of cases.txt: the SVG parses as XML and holds no element from the data;
Chromium's screenshot has the documented size and shows each series where the trace's
numbers and the documented scales (docs/contract.md §2.14) put it, in the documented
colours, in light and dark mode; no script ran; no text is cut off or overlaps another.
Expected positions come from <name>.json (jobs.progress_trace_points) and the contract's
formulas, never from the SVG's own coordinates.
Prints one line per check and, last, "N passed, N failed".
  check.py WORK [--keep-png DIR]
"""
import html
import json
import math
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SVG_NS = "{http://www.w3.org/2000/svg}"
# The palettes of contract §2.14: series 0 (completed / success), series 1 (failed), background.
LIGHT = {"s0": (0x09, 0x69, 0xDA), "s1": (0xCF, 0x22, 0x2E), "bg": (0xFF, 0xFF, 0xFF)}
DARK = {"s0": (0x58, 0xA6, 0xFF), "s1": (0xFF, 0x7B, 0x72), "bg": (0x0D, 0x11, 0x17)}
# The layout of contract §2.14.
LEFT, RIGHT, HEADER, PANEL_EXTRA, CAPTION, FOOTER = 64, 16, 56, 48, 20, 24

# The screenshots kept under docs/ (test/browser/run --keep docs).
REFERENCE = {("sample", "light"): "chart-sample.png", ("sample", "dark"): "chart-sample-dark.png",
             ("sample_zoom", "light"): "chart-zoom.png", ("hostile", "light"): "chart-hostile.png"}


class Checks:
    """One line per check; the suite's last line is summary()."""

    def __init__(self):
        self.passed = self.failed = 0

    def __call__(self, name, ok, detail=""):
        if ok:
            self.passed += 1
            print(f"ok   {name}")
        else:
            self.failed += 1
            print(f"FAIL {name} {str(detail)[:400]}")

    def summary(self):
        return f"{self.passed} passed, {self.failed} failed"


check = Checks()


def cases():
    with open(os.path.join(HERE, "cases.txt")) as f:
        return [line.split("|")[0] for line in f if line.strip() and not line.startswith("#")]


def axis_top(max_value, panel_height):
    """The count axis end of §2.14: the smallest 1-2-5 step covering the value in at most
    floor(panel_height / 32) steps, rounded up to a whole number of steps."""
    m, most = max(1, max_value), max(1, panel_height // 32)
    decade = 1
    while True:
        for f in (1, 2, 5):
            step = decade * f
            if -(-m // step) <= most:
                return -(-m // step) * step
        decade *= 10


def panels(meta):
    """[(name, [(k, first value, failed value)])]: files, then kinds in byte order."""
    points = meta["points"]
    out = [("files", [(k, p["completed"], p["failed"]) for k, p in enumerate(points)])]
    kinds = sorted({kind for p in points for kind in p["items"]}, key=lambda s: s.encode())
    for kind in kinds:
        out.append((kind, [(k, p["items"][kind]["success"], p["items"][kind]["failed"])
                           for k, p in enumerate(points) if kind in p["items"]]))
    return out


def chromium(*args):
    return subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                           "--no-first-run", "--user-data-dir=" + PROFILE, *args],
                          capture_output=True, text=True, timeout=120)


def screenshot(svg_path, png_path, width, height, dark=False):
    extra = ["--force-dark-mode", "--blink-settings=preferredColorScheme=0"] if dark else []
    r = chromium(*extra, f"--window-size={width},{height}", f"--screenshot={png_path}", "file://" + svg_path)
    return r.returncode == 0 and os.path.exists(png_path), r.stderr[-400:]


def near(img, x, y, colour, radius=2, tolerance=70):
    """Some pixel within `radius` of (x, y) is within `tolerance` of `colour`."""
    w, h = img.size
    for dy in range(-radius, radius + 1):
        for dx in range(-radius, radius + 1):
            px, py = int(round(x)) + dx, int(round(y)) + dy
            if 0 <= px < w and 0 <= py < h and math.dist(img.getpixel((px, py))[:3], colour) <= tolerance:
                return True
    return False


def series_positions(meta, plots):
    """Every drawn point (x, y, series) the trace's numbers give, with the scales of §2.14."""
    width, ph = meta["width"], meta["panel_height"]
    t = [p["t_us"] for p in meta["points"]]
    end = t[-1]
    start = min(meta["start_us"], end - 1000000)  # the one-second minimum of §2.3
    span, plot_w = end - start, width - LEFT - RIGHT
    out = []
    for p, (_, values) in enumerate(plots):
        top_p = HEADER + p * (ph + PANEL_EXTRA) + CAPTION
        top = axis_top(max(max(a, b) for _, a, b in values), ph)
        stride = max(1, len(values) // 150)
        for k, a, b in values[::stride] + values[-1:]:
            x = LEFT + (t[k] - start) * plot_w / span
            ya, yb = top_p + ph - a * ph / top, top_p + ph - b * ph / top
            out.append((x, ya, "s0", p, k))
            if abs(ya - yb) >= 3:  # else the success line, drawn over it, hides it
                out.append((x, yb, "s1", p, k))
    return out


WRAPPER = """<!doctype html><html><body style="margin:0">
<iframe id="f" src="{svg}" width="{w}" height="{h}" style="border:0;display:block"></iframe>
<pre id="result">pending</pre>
<script>
document.getElementById('f').addEventListener('load', () => {{
  const doc = document.getElementById('f').contentDocument, svg = doc.documentElement;
  const W = +svg.getAttribute('width'), H = +svg.getAttribute('height');
  const out = {{scripts: doc.getElementsByTagName('script').length, ran: svg.getAttribute('data-ran'),
               texts: 0, cut: [], overlaps: []}};
  const boxes = [];
  for (const t of doc.getElementsByTagName('text')) {{
    const b = t.getBBox();
    out.texts++;
    if (b.x < 0 || b.y < 0 || b.x + b.width > W + 0.5 || b.y + b.height > H + 0.5)
      out.cut.push([t.textContent, b.x, b.y, b.width, b.height]);
    for (const [o, c] of boxes)
      if (b.x < c.x + c.width - 0.5 && c.x < b.x + b.width - 0.5 && b.y < c.y + c.height - 0.5 && c.y < b.y + b.height - 0.5)
        out.overlaps.push([t.textContent, o]);
    boxes.push([t.textContent, b]);
  }}
  document.getElementById('result').textContent = JSON.stringify(out);
}});
</script></body></html>
"""


def layout_in_browser(work, name, width, height):
    page = os.path.join(work, name + ".html")
    with open(page, "w") as f:
        f.write(WRAPPER.format(svg=name + ".svg", w=width, h=height))
    r = chromium("--allow-file-access-from-files", "--virtual-time-budget=10000", "--dump-dom", "file://" + page)
    m = re.search(r'<pre id="result">(.*?)</pre>', r.stdout, re.S)
    if not m or m.group(1) == "pending":
        return None, r.stderr[-400:]
    return json.loads(html.unescape(m.group(1))), None


def check_case(work, name, keep):
    svg_path, meta_path = os.path.join(work, name + ".svg"), os.path.join(work, name + ".json")
    with open(svg_path, "rb") as f:
        doc = f.read().rstrip(b"\n") + b"\n"
    with open(svg_path, "wb") as f:
        f.write(doc)
    with open(meta_path) as f:
        meta = json.load(f)
    plots = panels(meta)
    width, ph = meta["width"], meta["panel_height"]
    height = HEADER + len(plots) * (ph + PANEL_EXTRA) + FOOTER

    try:
        root = ET.fromstring(doc)
    except ET.ParseError as e:
        check(f"{name}: well-formed XML", False, e)
        return
    check(f"{name}: well-formed XML", True)
    tags = {el.tag.replace(SVG_NS, "") for el in root.iter()}
    check(f"{name}: only the chart's own elements (no script, no foreign markup)",
          tags <= {"svg", "title", "desc", "style", "rect", "text", "g", "line", "polyline"}, tags)
    check(f"{name}: documented size {width}x{height}",
          (root.get("width"), root.get("height")) == (str(width), str(height)), (root.get("width"), root.get("height")))
    desc = root.find(SVG_NS + "desc").text or ""
    check(f"{name}: <desc> names every kind as text",
          all(kind in desc for kind, _ in plots[1:]), desc[:200])

    for mode, palette in (("light", LIGHT), ("dark", DARK)):
        png = os.path.join(work, f"{name}-{mode}.png")
        ok, err = screenshot(svg_path, png, width, height, dark=(mode == "dark"))
        check(f"{name} ({mode}): Chromium renders it", ok, err)
        if not ok:
            continue
        img = Image.open(png).convert("RGB")
        check(f"{name} ({mode}): screenshot is {width}x{height}", img.size == (width, height), img.size)
        check(f"{name} ({mode}): background of the {mode} palette",
              math.dist(img.getpixel((width - 3, 3)), palette["bg"]) < 10, img.getpixel((width - 3, 3)))
        positions = series_positions(meta, plots)
        missing = [(round(x, 1), round(y, 1), s, plots[p][0], k) for x, y, s, p, k in positions
                   if not near(img, x, y, palette[s])]
        check(f"{name} ({mode}): {len(positions)} points of {len(plots)} panels drawn where the trace says",
              not missing, missing[:5])
        if keep and (name, mode) in REFERENCE:
            shutil.copy(png, os.path.join(keep, REFERENCE[(name, mode)]))

    result, err = layout_in_browser(work, name, width, height)
    check(f"{name}: the layout probe ran", result is not None, err)
    if result:
        check(f"{name}: no script element, and none ran", result["scripts"] == 0 and result["ran"] is None, result)
        check(f"{name}: {result['texts']} texts, none cut off", not result["cut"], result["cut"][:3])
        check(f"{name}: no text overlaps another", not result["overlaps"], result["overlaps"][:3])


def main():
    global PROFILE
    work = sys.argv[1]
    keep = sys.argv[3] if len(sys.argv) > 3 and sys.argv[2] == "--keep-png" else None
    PROFILE = os.path.join(work, "chromium-profile")
    for name in cases():
        check_case(work, name, keep)
    print(check.summary())
    return 1 if check.failed else 0


if __name__ == "__main__":
    sys.exit(main())
