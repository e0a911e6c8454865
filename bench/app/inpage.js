// In-page probes for bench/app/run.mjs, injected with page.addInitScript. Times are
// performance.now() in the page; every wait has a cap and returns null instead of hanging.
(() => {
  const q = (id) => document.querySelector(`[data-testid="${id}"]`);
  const frame = () => new Promise((r) => requestAnimationFrame(() => r(performance.now())));
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  // the painted stamp lives on the canvas today, on the tile itself in a later version
  const stamp = (t) => t.dataset.painted ?? t.querySelector('canvas')?.dataset.painted;
  const tiles = () => document.querySelectorAll('[data-testid="gallery-tile"]');
  const scroller = () => q('gallery-scroll');

  function viewport() {
    const s = scroller();
    if (!s) return { top: 0, bottom: innerHeight, left: 0, right: innerWidth };
    const r = s.getBoundingClientRect();
    return { top: Math.max(0, r.top), bottom: Math.min(innerHeight, r.bottom), left: Math.max(0, r.left), right: Math.min(innerWidth, r.right) };
  }

  /** Tiles intersecting the viewport; tiles are in layout order, so binary-search the first. */
  function visibleTiles(list = tiles()) {
    const vp = viewport();
    let lo = 0, hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid].getBoundingClientRect().bottom <= vp.top) lo = mid + 1;
      else hi = mid;
    }
    const out = [];
    for (let i = lo; i < list.length; i++) {
      const r = list[i].getBoundingClientRect();
      if (r.top >= vp.bottom) break;
      if (r.width > 0 && r.bottom > vp.top && r.right > vp.left && r.left < vp.right) out.push(list[i]);
    }
    return out;
  }

  /** Polls every animation frame until pred() holds; resolves with that frame's time, or null at the cap. */
  async function until(pred, capMs, from = performance.now()) {
    for (;;) {
      const now = await frame();
      if (pred()) return now;
      if (now - from > capMs) return null;
    }
  }

  /*
   * Which frame shows a change, and when that frame's rendering is done. The interactions are
   * made in a frame's animation callbacks (where Chrome also delivers a slider's pointer moves):
   * what the page draws before that frame's rendering is in that frame, so waiting for the next
   * frame's callbacks (until() above) counts one frame too many. While a watch runs, each frame
   * gets a number in its animation callbacks; a ResizeObserver (run in the frame's rendering,
   * after those callbacks and their microtasks) closes it to changes; a task posted from the
   * callbacks arrives when the rendering is done. Each stamp, count or label set is given the
   * frame that draws it: the open one, else the next.
   */
  // A task posted from a frame's animation callbacks runs after that frame's rendering; at the
  // highest priority it runs before the page's own tasks queued meanwhile (a worker's answer, a
  // timer), which come after the frame and would be counted in it.
  const afterRendering = (fn) => (globalThis.scheduler?.postTask ? scheduler.postTask(fn, { priority: 'user-blocking' }) : setTimeout(fn));
  function watchFrames() {
    let n = 0, open = false, on = true;
    const ends = new Map(), waiters = new Map();
    const drawnIn = new WeakMap();
    const probeEl = document.body.appendChild(document.createElement('div'));
    probeEl.style.cssText = 'position:fixed;left:0;top:0;height:1px;width:1px;contain:strict;pointer-events:none;visibility:hidden';
    const ro = new ResizeObserver(() => (open = false));
    ro.observe(probeEl);
    const tick = () => {
      if (!on) return;
      const k = ++n;
      open = true;
      probeEl.style.width = `${1 + (k % 2)}px`; // a new size each frame, so the observer runs in each
      afterRendering(() => { const t = performance.now(); ends.set(k, t); waiters.get(k)?.(t); waiters.delete(k); });
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    const mo = new MutationObserver((records) => {
      const f = open ? n : n + 1;
      const mark = (el) => {
        drawnIn.set(el, f);
        const tile = el.closest?.('[data-testid="gallery-tile"]');
        if (tile) drawnIn.set(tile, f);
      };
      for (const r of records) {
        if (r.type === 'attributes') mark(r.target);
        // an element put in the page already stamped (a new canvas, a new tile) is drawn from this frame too
        else for (const el of r.addedNodes) if (el.nodeType === 1) { mark(el); el.querySelectorAll('canvas, [data-testid]').forEach(mark); }
      }
    });
    mo.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-painted', 'data-count', 'aria-label'] });
    return {
      /** The frame a change made now is drawn in. */
      now: () => (open ? n : n + 1),
      /** When frame `f`, or a later one drawing what `els` show, has been rendered. */
      async end(f, els) {
        const last = Math.max(f, ...els.filter(Boolean).map((e) => drawnIn.get(e) ?? 0));
        return ends.get(last) ?? new Promise((r) => waiters.set(last, r));
      },
      stop() { on = false; mo.disconnect(); ro.disconnect(); probeEl.remove(); },
    };
  }

  /** `fn(w, ...args)` with a frame watch (watchFrames) running, stopped however it ends. */
  const watched = (fn) => async (...args) => {
    const w = watchFrames();
    try {
      return await fn(w, ...args);
    } finally {
      w.stop();
    }
  };

  /**
   * until() for an interaction made at t0 in frame `f` of `w`: its latency (capped()) to the end
   * of the frame that draws what `shows()` (the elements pred depends on) shows, and the older
   * measure, to the next frame's callbacks after pred held (`nextFrameMs`).
   */
  async function drawn(w, f, pred, shows, capMs, t0) {
    const next = await until(pred, capMs, t0);
    const end = next === null ? null : await w.end(f, shows());
    return { ...capped(end, t0, capMs), nextFrameMs: next === null ? null : next - t0 };
  }

  const chosen = {};
  for (const id of ['model-input', 'dataset-input']) {
    // capture on document runs before React's root listener: the moment the files are chosen
    document.addEventListener('change', (e) => e.target?.dataset?.testid === id && (chosen[id] = performance.now()), true);
  }

  const statusOf = () => { const el = q('run-status'); return el ? { status: el.dataset.status, id: Number(el.dataset.runId) } : undefined; };

  /** Model files chosen → model summary shown. */
  async function modelLoad(capMs) {
    delete chosen['model-input'];
    const shown = await until(() => chosen['model-input'] !== undefined && !!q('model-summary') && q('model-summary').offsetParent !== null, capMs);
    return shown === null ? null : shown - chosen['model-input'];
  }

  /** Data set chosen → first tile in the DOM → first tile painted; run start → run end. */
  async function datasetRun(prevRunId, capMs) {
    delete chosen['dataset-input'];
    const t = { firstTile: null, firstPainted: null, runStart: null, tenth: null, tenthDone: null, runEnd: null, status: 'timeout' };
    const start = performance.now();
    let scrolled = false;
    const watchRun = () => {
      const s = statusOf();
      if (s && s.id > prevRunId && t.runStart === null && s.status === 'running') t.runStart = performance.now();
      // when a tenth of the images are done: the rate after it leaves out the run's start
      const p = q('run-progress');
      if (t.runStart !== null && t.tenth === null && p && p.max > 1 && p.value >= p.max / 10) { t.tenth = performance.now(); t.tenthDone = p.value; }
    };
    await until(() => {
      watchRun();
      const first = tiles()[0];
      if (!first) return false;
      t.firstTile ??= performance.now();
      if (!scrolled && !visibleTiles().length) { first.scrollIntoView({ block: 'center' }); scrolled = true; }
      return !!document.querySelector('[data-testid="gallery-tile"][data-painted], [data-testid="gallery-tile"] canvas[data-painted]');
    }, Math.min(capMs, 120_000), start).then((now) => (t.firstPainted = now));
    for (;;) {
      watchRun();
      const s = statusOf();
      if (s && s.id > prevRunId && ['done', 'failed', 'cancelled'].includes(s.status)) { t.runEnd = performance.now(); t.status = s.status; break; }
      if (performance.now() - start > capMs) break;
      await sleep(50);
    }
    const c = chosen['dataset-input'] ?? start;
    const rel = (x) => (x === null ? null : x - c);
    return { firstTileMs: rel(t.firstTile), firstPaintedMs: rel(t.firstPainted), runStartMs: rel(t.runStart), tenthMs: rel(t.tenth), tenthDone: t.tenthDone, runEndMs: rel(t.runEnd), status: t.status, runLabel: q('run-label')?.textContent ?? '', backend: q('backend-status')?.textContent ?? '' };
  }

  const dom = () => ({ tiles: tiles().length, elements: document.getElementsByTagName('*').length, painted: document.querySelectorAll('[data-testid="gallery-tile"][data-painted], [data-testid="gallery-tile"] canvas[data-painted]').length });

  /** Scrolls to the gallery's first tile and waits until every visible tile has a stamp. */
  async function toGalleryTop(capMs) {
    tiles()[0]?.scrollIntoView({ block: 'start' });
    const list = tiles();
    return until(() => visibleTiles(list).every((t) => stamp(t)), capMs);
  }

  const setNative = (el, proto, v) => Object.getOwnPropertyDescriptor(proto.prototype, 'value').set.call(el, v);
  let step = 0;
  const CHANGES = {
    alpha() {
      const el = q('alpha-slider');
      const cur = Number(el.value);
      let v = Math.round((0.2 + 0.05 * (step++ % 13)) * 100) / 100;
      if (Math.abs(v - cur) < 1e-9) v = Math.round((v + 0.05) * 100) / 100;
      setNative(el, HTMLInputElement, String(v));
      el.dispatchEvent(new Event('input', { bubbles: true }));
      el.dispatchEvent(new Event('change', { bubbles: true }));
    },
    normalization: () => cycleSelect('normalization-select'),
    colormap: () => cycleSelect('colormap-select'),
    method: () => cycleSelect('method-select', (v) => v !== 'scorecam'), // Score-CAM is computed on request
    scope: () => q('scope-toggle').click(),
  };
  function cycleSelect(id, ok = () => true) {
    const el = q(id);
    const opts = [...el.options].map((o) => o.value).filter(ok);
    setNative(el, HTMLSelectElement, opts[(opts.indexOf(el.value) + 1) % opts.length]);
    el.dispatchEvent(new Event('input', { bubbles: true }));
    el.dispatchEvent(new Event('change', { bubbles: true }));
  }

  // Over the cap is null; when the main thread was blocked past the cap, actualMs says how long.
  const capped = (end, t0, capMs) => (end === null ? { ms: null } : end - t0 > capMs ? { ms: null, actualMs: end - t0 } : { ms: end - t0 });

  /** One view change → every visible tile shows a stamp different from its stamp before. */
  const change = watched(async (w, kind, capMs) => {
    if (!CHANGES[kind] || (kind !== 'scope' && !q({ alpha: 'alpha-slider', normalization: 'normalization-select', colormap: 'colormap-select', method: 'method-select' }[kind])) || (kind === 'scope' && !q('scope-toggle'))) return { missing: true };
    await frame(); await frame();
    const list = tiles();
    const before = new Map(visibleTiles(list).map((t) => [t, stamp(t)]));
    // when the last visible tile's new pixels were put on its canvas (the work), as well as the
    // frame that shows them (the latency): the stamps are watched as they are set
    const waiting = new Set(before.keys());
    let workMs = null;
    const watch = new MutationObserver((records) => {
      for (const r of records) {
        const tile = r.target.closest?.('[data-testid="gallery-tile"]');
        if (tile && waiting.has(tile) && stamp(tile) && stamp(tile) !== before.get(tile)) waiting.delete(tile);
      }
      if (waiting.size === 0 && workMs === null) workMs = performance.now() - t0;
    });
    watch.observe(document.querySelector('.gallery-rows') ?? document.body, { subtree: true, attributes: true, attributeFilter: ['data-painted'] });
    const t0 = performance.now();
    const f = w.now();
    CHANGES[kind]();
    const timed = await drawn(w, f, () => { const v = visibleTiles(list); return v.length > 0 && v.every((t) => stamp(t) && stamp(t) !== before.get(t)); }, () => visibleTiles(list), capMs, t0);
    watch.disconnect();
    return { ...timed, tiles: before.size, workMs };
  });

  /** Scroll one screen → every visible tile painted with the current view's stamp. */
  const scroll = watched(async (w, capMs) => {
    await frame(); await frame();
    const list = tiles();
    const counts = new Map();
    for (const t of visibleTiles(list)) counts.set(stamp(t), (counts.get(stamp(t)) ?? 0) + 1);
    const current = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
    const el = scroller() ?? document.scrollingElement;
    const by = scroller() ? el.clientHeight : innerHeight;
    const atEnd = el.scrollTop + by >= el.scrollHeight - by;
    const t0 = performance.now();
    const f = w.now();
    if (atEnd) el.scrollTop = 0; else el.scrollTop += by;
    if (atEnd) tiles()[0]?.scrollIntoView({ block: 'start' });
    const timed = await drawn(w, f, () => { const v = visibleTiles(list); return v.length > 0 && v.every((t) => stamp(t) === current); }, () => visibleTiles(list), capMs, t0);
    return { ...timed, wrapped: atEnd };
  });

  /**
   * A confusion-matrix cell clicked → the gallery count is that cell's and every visible tile is
   * painted; the next call clears the filters again (timed the same way). Cells taken in turn.
   */
  let cellTurn = 0;
  const filter = watched(async (w, capMs) => {
    const clear = q('clear-filters');
    if (!q('confusion-matrix') || !clear) return { missing: true };
    await frame(); await frame();
    const filtered = !clear.disabled;
    let want;
    const t0 = performance.now();
    const f = w.now();
    if (filtered) {
      want = Number(q('accuracy')?.dataset.total);
      clear.click();
    } else {
      const cells = [...document.querySelectorAll('[data-testid="confusion-cell"]')].filter((c) => Number(c.dataset.count) > 0);
      const cell = cells[(cellTurn++ * 7) % cells.length];
      want = Number(cell.dataset.count);
      cell.click();
    }
    const timed = await drawn(w, f, () => {
      if (Number(q('gallery-count')?.dataset.count) !== want) return false;
      const v = visibleTiles();
      return v.length > 0 && v.every((t) => stamp(t));
    }, () => [...visibleTiles(), q('gallery-count')], capMs, t0);
    return { ...timed, cleared: filtered };
  });

  /**
   * Finding images (issue 10): 'sort' — the next order chosen → its header shown and every visible
   * tile painted; 'search' — "1" typed in the file-name search, or cleared, in turn → the count
   * changed and every visible tile painted; 'detail' — → in the open detail view → the next
   * image's overlay drawn (the first call opens the first visible tile, untimed).
   */
  const find = watched(async (w, kind, capMs) => {
    await frame(); await frame();
    const painted = () => { const v = visibleTiles(); return v.length > 0 && v.every((t) => stamp(t)); };
    if (kind === 'sort') {
      const el = q('sort-select');
      if (!el) return { missing: true };
      const opts = [...el.options].map((o) => o.value);
      const next = opts[(opts.indexOf(el.value) + 1) % opts.length];
      const header = next === 'verdict' ? 'gallery-incorrect' : 'gallery-sorted';
      const t0 = performance.now();
      const f = w.now();
      setNative(el, HTMLSelectElement, next);
      el.dispatchEvent(new Event('change', { bubbles: true }));
      return drawn(w, f, () => el.value === next && !!q(header) && painted(), visibleTiles, capMs, t0);
    }
    if (kind === 'search') {
      const el = q('search-input');
      if (!el) return { missing: true };
      const before = q('gallery-count')?.dataset.count;
      const t0 = performance.now();
      const f = w.now();
      setNative(el, HTMLInputElement, el.value ? '' : '1');
      el.dispatchEvent(new Event('input', { bubbles: true }));
      return drawn(w, f, () => q('gallery-count')?.dataset.count !== before && painted(), () => [...visibleTiles(), q('gallery-count')], capMs, t0);
    }
    if (kind === 'detail') {
      const overlay = () => document.querySelector('[data-testid="detail-predicted-overlay"] canvas');
      const shown = () => overlay()?.dataset.painted;
      if (!q('detail')) {
        visibleTiles()[0]?.click();
        if ((await until(() => !!shown(), capMs)) === null) return { missing: true };
      }
      const from = q('detail').getAttribute('aria-label');
      const prev = shown();
      const t0 = performance.now();
      const f = w.now();
      window.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
      return drawn(w, f, () => q('detail')?.getAttribute('aria-label') !== from && !!shown() && shown() !== prev, () => [q('detail'), overlay()], capMs, t0);
    }
    return { missing: true };
  });
  const closeDetail = () => window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));

  const exportLabel = () => q('export-button')?.textContent ?? '';
  window.__bench = { modelLoad, datasetRun, dom, toGalleryTop, change, scroll, filter, find, closeDetail, exportLabel, now: () => performance.now() };
})();
