// The results as a text table (app columns, naive columns, app/naive ratios) and the summary line.
const pct = (ms, p) => {
  if (!ms?.length) return undefined;
  const s = ms.map((x) => (x === null ? Infinity : x)).sort((a, b) => a - b);
  return s[Math.max(0, Math.ceil(p * s.length) - 1)];
};
const num = (v, d = 0) => (v === undefined || v === null || Number.isNaN(v) ? '—' : v === Infinity ? '> cap' : v.toFixed(d));
const ratio = (a, b) => (a > 0 && b > 0 && Number.isFinite(a) && Number.isFinite(b) ? `${(a / b).toFixed(2)}×` : '—');

export function report(res) {
  const keys = Object.keys(res.app);
  const A = (k) => res.app[k] ?? {};
  const nw = res.naive.wasm ?? {}, nd = res.naive.default ?? {};
  const rows = [];
  // get/naive return raw numbers (formatted with d decimals) or ready strings; ratios use the raw numbers
  const row = (figure, get, naive, d = 0, vsNaive = true) => {
    const f = (v) => (typeof v === 'number' || v === undefined || v === null ? num(v, d) : v);
    const vww = res.app.vww ? get(A('vww')) : undefined;
    const [w, dd] = naive ? [naive(nw), naive(nd)] : [undefined, undefined];
    const vs = (n) => (naive && vsNaive ? ratio(vww, n) : '');
    rows.push([figure, ...keys.map((k) => f(get(A(k)))), naive ? f(w) : '', naive ? f(dd) : '', vs(w), vs(dd)]);
  };
  row('backend', (a) => /on (\w+)/.exec(a.backend ?? '')?.[1] ?? '—', (n) => n.backend ?? '—', 0, false);
  row('model load, ms (app: incl. its backend probe)', (a) => a.modelLoadMs, (n) => n.modelLoadMs);
  row('data set chosen → first tile in DOM, ms', (a) => a.firstTileMs);
  row('data set chosen → first tile painted, ms', (a) => a.firstPaintedMs);
  row('images in the run', (a) => a.total, (n) => n.images, 0, false);
  row('run rate, img/s', (a) => a.rate, (n) => n.rate, 1);
  row('  (naive: excl. 1st image) img/s', () => '', (n) => n.steadyRate, 1, false);
  row("  app's own label, img/s", (a) => a.appLabelRate, undefined, 1);
  row('  after the first 10 % of the images, img/s', (a) => a.rateAfterTenth, undefined, 1);
  row('  rate from files chosen, img/s', (a) => a.rateFromChosen, undefined, 1);
  row('browser idle, MB (PSS)', (a) => a.idleMB);
  row('peak during load+run, MB', (a) => a.runPeakMB, (n) => n.peakMB);
  row('peak whole phase, MB', (a) => a.phasePeakMB);
  row('DOM: gallery tiles', (a) => a.dom?.tiles);
  row('DOM: elements', (a) => a.dom?.elements);
  const LATENCY_NAMES = { filter: 'matrix cell / clear filters', sort: 'next order', search: 'file-name search typed/cleared', detail: 'detail → next image drawn' };
  for (const k of ['alpha', 'normalization', 'colormap', 'method', 'scope', 'scroll', 'filter', 'sort', 'search', 'detail']) {
    row(`${LATENCY_NAMES[k] ?? k} → visible tiles drawn (end of that frame), p50/p95 ms (n)`, (a) => (a.latency?.[k]?.length ? `${num(pct(a.latency[k], 0.5))}/${num(pct(a.latency[k], 0.95))} (${a.latency[k].length})` : '—'));
  }
  // the measure of earlier sessions, for comparison: to the next frame's animation callbacks after
  // the frame that drew it (one frame later when the change is drawn at once)
  for (const k of ['alpha', 'normalization', 'colormap', 'method', 'scope', 'scroll', 'filter', 'sort', 'search', 'detail']) {
    row(`${LATENCY_NAMES[k] ?? k}: to the next frame's start (older measure), p50/p95 ms`, (a) => (a.latencyNextFrame?.[k]?.length ? `${num(pct(a.latencyNextFrame[k], 0.5))}/${num(pct(a.latencyNextFrame[k], 0.95))}` : '—'));
  }
  // the same view changes, to the moment the last visible tile's pixels were put on its canvas: the
  // work, without the wait for the frame that shows them (which the latencies above include)
  for (const k of ['alpha', 'normalization', 'colormap', 'method', 'scope']) {
    row(`${k}: repaint work done (pixels on the canvases), p50/p95 ms`, (a) => (a.work?.[k]?.length ? `${num(pct(a.work[k], 0.5))}/${num(pct(a.work[k], 0.95))}` : '—'));
  }
  row('export: click → download, s', (a) => a.export?.downloadS, undefined, 1);
  row('export: click → zip saved, s', (a) => a.export?.savedS, undefined, 1);
  row('export: PNGs in zip', (a) => a.export?.pngs);
  row('export: memory before/peak/after, MB', (a) => (a.export ? `${num(a.export.beforeMB)}/${num(a.export.peakMB)}/${num(a.export.afterMB)}` : '—'));
  row('phase wall time, s', (a) => a.wallS, (n) => n.wallS, 0, false);
  const head = ['figure', ...keys.map((k) => A(k).label ?? k), `naive-wasm (${nw.backend ?? '—'})`, `naive-default (${nd.backend ?? '—'})`, 'app/naive-wasm', 'app/naive-default'];
  const hasNaive = Object.keys(res.naive).length > 0;
  const cells = hasNaive ? rows : rows.map((r) => r.slice(0, -4));
  if (!hasNaive) head.splice(-4);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => String(c[i]).length)));
  const line = (c) => c.map((x, i) => (i === 0 ? String(x).padEnd(widths[i]) : String(x).padStart(widths[i]))).join(' | ');
  const out = [line(head), widths.map((w) => '-'.repeat(w)).join('-|-'), ...cells.map(line)];
  out.push('(ratios app/naive: rates higher is better; times and memory lower is better; memory is PSS of all Chromium processes. Latency "> cap": not done within ' + res.capMs / 1000 + ' s.)');
  const small = A('doodles1k'), big = A('doodles10k');
  if (small.rate && big.rate) {
    const r = big.rate / small.rate;
    // the 1,000's whole-run rate carries the run's start (a larger share of a shorter run): compared
    // after the first tenth too, where both runs are under way
    const after = small.rateAfterTenth && big.rateAfterTenth ? big.rateAfterTenth / small.rateAfterTenth : undefined;
    const verdict = (x) => (Math.abs(x - 1) <= 0.15 ? 'PASS' : 'FAIL');
    out.push(`scaling: rate at ${big.total} doodles / rate at ${small.total} = ${r.toFixed(2)} → ${verdict(r)} (within 15 %)` + (after ? `; after the first 10 % of each run: ${after.toFixed(2)} → ${verdict(after)}` : ''));
  }
  for (const k of keys) if (A(k).notes?.length || A(k).errors?.length) out.push(`${A(k).label}: ${[...(A(k).notes ?? []), ...(A(k).errors ?? []).map((e) => `page error: ${e}`)].join('; ')}`);
  for (const [b, n] of Object.entries(res.naive)) if (n.error) out.push(`naive ${b}: ${n.error}`);
  const largest = res.app.doodles10k?.latency ? big : keys.map(A).filter((a) => a.latency).sort((a, b) => (b.total ?? 0) - (a.total ?? 0))[0] ?? {};
  const peak = res.app.doodles10k?.phasePeakMB ?? largest.phasePeakMB;
  const summary = `app ${num(A('vww').rate, 1)} img/s, naive-wasm ${num(nw.rate, 1)} img/s (${ratio(A('vww').rate, nw.rate)}), naive-default ${num(nd.rate, 1)} img/s, peak ${num(peak)} MB, alpha p95 ${num(pct(largest.latency?.alpha, 0.95))} ms, export ${num(largest.export?.savedS, 1)} s`;
  return { table: out.join('\n'), summary };
}
