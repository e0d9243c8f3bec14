"""Waits until a Streamlit page in Chromium has finished running and drawn its charts (see shared/e2e/RECIPE.md)."""

_READY_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app) return false;
  if (app.dataset.testConnectionState !== 'CONNECTED') return false;
  if (app.dataset.testScriptState !== 'notRunning') return false;
  // Streamlit's own stale marker only: the app's HTML may carry attributes of its own (data-late on a wall's
  // stamp), and a bare [data-stale] once matched one and made the wait hang as soon as the demo data aged.
  if (document.querySelector('[data-testid="stStatusWidget"], [data-testid="stSkeleton"], '
      + '[data-testid="stElementContainer"][data-stale="true"]'))
    return false;
  for (const el of document.querySelectorAll('[data-testid="stPlotlyChart"]'))
    if (!el.querySelector('.main-svg')) return false;
  for (const el of document.querySelectorAll('[data-testid="stDeckGlJsonChart"], [data-testid="stEChartsChart"]'))
    if (!el.querySelector('canvas')) return false;
  for (const el of document.querySelectorAll('[data-testid="stVegaLiteChart"]'))
    if (!el.querySelector('canvas, svg')) return false;
  return true;
}"""


def wait_for_streamlit(page, timeout_ms=90_000):
    page.locator('[data-testid="stApp"]').wait_for(timeout=timeout_ms)
    page.wait_for_function(_READY_JS, polling=100, timeout=timeout_ms)
    exc = page.locator('[data-testid="stException"]')
    if exc.count():
        raise AssertionError("Streamlit app raised: " + exc.first.inner_text()[:500])
    page.evaluate("() => document.fonts.ready.then(() => true)")
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))")


# Counts the script runs the page has started, from Streamlit's own run state on the app's root (which a page change
# inside the app keeps).
_COUNT_RUNS_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (window.cockpitRuns === undefined) {
    window.cockpitRuns = 0;
    new MutationObserver(() => { if (app.dataset.testScriptState === 'running') window.cockpitRuns += 1; })
      .observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
  }
  return [window.cockpitRuns, window.cockpitFinished ?? 0];
}"""

# The run state on the app's root can skip 'running' altogether: when the browser is busy drawing the page before
# (a map, a grid) the whole run's messages queue up, React handles them in one batch and commits 'notRunning' over
# 'notRunning' (seen once in about 200 visits within the app under load; the laptop test then waited its 90 s).
# So the page also counts the runs the server says are finished, from its messages (a ForwardMsg with its field 6,
# script_finished), a frame after the app has handled the message. Added to a context before its pages load.
RUN_MESSAGES_JS = """(() => {
  window.cockpitFinished = 0;
  const finished = (bytes) => {  // the top-level fields of a ForwardMsg: is field 6 among them?
    let at = 0;
    const varint = () => { let v = 0, shift = 0, b; do { b = bytes[at++]; v += (b & 127) * 2 ** shift; shift += 7; }
                            while (b & 128 && at < bytes.length); return v; };
    while (at < bytes.length) {
      const tag = varint(), field = Math.floor(tag / 8), wire = tag % 8;
      if (field === 6) return true;
      if (wire === 0) varint(); else if (wire === 2) at += varint(); else if (wire === 1) at += 8;
      else if (wire === 5) at += 4; else return false;
    }
    return false;
  };
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (event) => {
        if (!(event.data instanceof ArrayBuffer) || !finished(new Uint8Array(event.data))) return;
        setTimeout(() => requestAnimationFrame(() => requestAnimationFrame(() => { window.cockpitFinished += 1; })));
      });
    }
  };
})();"""


def after_its_run(page, action, timeout_ms=90_000):
    """Do `action` (Back, a click) and wait until the script run it asks for has started and finished.
    wait_for_streamlit alone cannot tell: right after Back the page still shows the last run, finished. A second
    Back in that moment made Streamlit write the first Back's page over the second's address, with the second's
    query, as a new history entry (policies?…&alert=80). The page's context needs RUN_MESSAGES_JS for a run whose
    'running' the app never showed."""
    runs, finished = page.evaluate(_COUNT_RUNS_JS)
    action()
    page.wait_for_function(
        f"() => window.cockpitRuns > {runs} || window.cockpitFinished > {finished}", polling=50, timeout=timeout_ms
    )
    wait_for_streamlit(page, timeout_ms)


def colored_pixels(png: bytes) -> int:
    """Pixels that are clearly a status colour (green, amber or red), in a downscaled screenshot."""
    import io

    from PIL import Image

    px = Image.open(io.BytesIO(png)).convert("RGB").resize((240, 160)).tobytes()
    count = 0
    for r, g, b in zip(px[0::3], px[1::3], px[2::3], strict=True):
        if (g > 120 and g - r > 50 and g - b > 40) or (r > 180 and r - b > 90):
            count += 1
    return count
