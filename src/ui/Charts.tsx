// Small charts for finding images: correct/incorrect histograms (confidence, regression error)
// with the chosen range marked, and the regression scatter (predicted against true) whose points
// open their sample. Drawn as SVG bars (a few dozen elements) or on a canvas (10,000 points).
import { useEffect, useMemo, useRef } from 'react';
import { histogramByVerdict } from '../results/filters';
import type { Verdict } from '../results/verdict';
import { selectSample } from '../state/actions/view';

const GOOD = '#3f9a55';
const BAD = '#d0534f';

/** Stacked bars (square-root heights), correct below incorrect; bins outside [from, to] (fractions of the axis) dimmed; a click picks a bin. */
export function VerdictBars({ points, bins, lo, hi, from = 0, to = 1, label, testId, onPick }: { points: { x: number; verdict: Verdict }[]; bins: number; lo: number; hi: number; from?: number; to?: number; label: string; testId: string; onPick?: (binLo: number, binHi: number) => void }) {
  const hist = useMemo(() => histogramByVerdict(points, bins, lo, hi), [points, bins, lo, hi]);
  const peak = Math.max(1, ...hist.correct.map((c, i) => c + hist.incorrect[i]));
  const W = 100, H = 40, bw = W / bins;
  return (
    <svg className="bars" data-testid={testId} viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" role="img" aria-label={`${label}: ${hist.correct.reduce((a, b) => a + b, 0)} correct, ${hist.incorrect.reduce((a, b) => a + b, 0)} incorrect`}>
      {hist.correct.map((c, i) => {
        const inc = hist.incorrect[i];
        const x = i * bw;
        const inside = (i + 1) / bins > from + 1e-9 && i / bins < to - 1e-9;
        // square-root heights: a confident model piles nearly everything into the last bin
        const total = (Math.sqrt(c + inc) / Math.sqrt(peak)) * H;
        const hc = c + inc ? (total * c) / (c + inc) : 0, hi2 = Math.max(0, total - hc); // rounding could make it -1e-15
        const binLo = lo + ((hi - lo) * i) / bins, binHi = lo + ((hi - lo) * (i + 1)) / bins;
        return (
          <g key={i} opacity={inside ? 1 : 0.25} onClick={onPick && (() => onPick(binLo, binHi))} style={onPick ? { cursor: 'pointer' } : undefined}>
            <title>{`${binLo.toPrecision(3)}–${binHi.toPrecision(3)}: ${c} correct, ${inc} incorrect`}</title>
            <rect x={x} y={0} width={bw} height={H} fill="transparent" />
            <rect x={x + 0.1} y={H - hc} width={bw - 0.2} height={hc} fill={GOOD} />
            <rect x={x + 0.1} y={H - hc - hi2} width={bw - 0.2} height={hi2} fill={BAD} />
          </g>
        );
      })}
    </svg>
  );
}

/** The range as two handles over the histogram, in 0..1 (undefined: no limit at that end). */
export function RangeHandles({ min, max, onChange, testId, label }: { min?: number; max?: number; onChange: (min: number | undefined, max: number | undefined) => void; testId: string; label: string }) {
  const lo = min ?? 0, hi = max ?? 1;
  return (
    <div className="handles">
      <input type="range" data-testid={`${testId}-min`} aria-label={`${label}: from`} min={0} max={1} step={0.01} value={lo} onChange={(e) => onChange(Math.min(Number(e.target.value), hi) || undefined, max)} />
      <input type="range" data-testid={`${testId}-max`} aria-label={`${label}: to`} min={0} max={1} step={0.01} value={hi} onChange={(e) => { const v = Math.max(Number(e.target.value), lo); onChange(min, v >= 1 ? undefined : v); }} />
    </div>
  );
}

export interface ScatterPoint {
  id: string;
  truth: number;
  predicted: number;
  verdict: Verdict;
}

/** Predicted against true, the band |predicted − true| ≤ threshold shaded; a click opens the nearest sample. */
export function RegressionScatter({ points, threshold }: { points: ScatterPoint[]; threshold: number }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const S = 320, PAD = 28;
  const finite = useMemo(() => points.filter((p) => Number.isFinite(p.truth) && Number.isFinite(p.predicted)), [points]);
  const [lo, hi] = useMemo(() => {
    let a = Infinity, b = -Infinity;
    for (const p of finite) {
      a = Math.min(a, p.truth, p.predicted);
      b = Math.max(b, p.truth, p.predicted);
    }
    return a < b ? [a, b] : [a - 1, a + 1];
  }, [finite]);
  const at = (v: number) => PAD + ((v - lo) / (hi - lo)) * (S - 2 * PAD);
  useEffect(() => {
    const c = canvas.current;
    const ctx = c?.getContext('2d');
    if (!c || !ctx || !Number.isFinite(lo)) return;
    c.width = S;
    c.height = S;
    ctx.clearRect(0, 0, S, S);
    const y = (v: number) => S - at(v);
    ctx.fillStyle = 'rgba(63, 154, 85, 0.18)';
    ctx.beginPath();
    ctx.moveTo(at(lo), y(lo + threshold));
    ctx.lineTo(at(hi), y(hi + threshold));
    ctx.lineTo(at(hi), y(hi - threshold));
    ctx.lineTo(at(lo), y(lo - threshold));
    ctx.fill();
    ctx.strokeStyle = '#888';
    ctx.beginPath();
    ctx.moveTo(at(lo), y(lo));
    ctx.lineTo(at(hi), y(hi));
    ctx.stroke();
    for (const p of finite) {
      ctx.fillStyle = p.verdict === 'correct' ? GOOD : BAD;
      ctx.fillRect(at(p.truth) - 1.5, y(p.predicted) - 1.5, 3, 3);
    }
    ctx.fillStyle = getComputedStyle(c).color;
    ctx.font = '10px system-ui, sans-serif';
    ctx.fillText(lo.toPrecision(3), PAD, S - 8);
    ctx.fillText(hi.toPrecision(3), S - PAD - 20, S - 8);
    ctx.fillText('true →', S / 2 - 14, S - 8);
    ctx.save();
    ctx.translate(10, S / 2 + 30);
    ctx.rotate(-Math.PI / 2);
    ctx.fillText('predicted →', 0, 0);
    ctx.restore();
  }, [finite, lo, hi, threshold]);
  const open = (e: React.MouseEvent<HTMLCanvasElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    const x = ((e.clientX - r.left) / r.width) * S, yy = ((e.clientY - r.top) / r.height) * S;
    let best: ScatterPoint | undefined, bestD = 8 * 8;
    for (const p of finite) {
      const d = (at(p.truth) - x) ** 2 + (S - at(p.predicted) - yy) ** 2;
      if (d < bestD) [best, bestD] = [p, d];
    }
    if (best) selectSample(best.id);
  };
  return (
    <figure className="scatter">
      <canvas ref={canvas} data-testid="regression-scatter" data-points={finite.length} data-lo={lo} data-hi={hi} onClick={open} role="img" aria-label={`Predicted against true value for ${finite.length} images; the shaded band is within the threshold of ${threshold}. Click a point to open its image.`} />
      <figcaption>Predicted against true; shaded: within ± {threshold} (correct). Click a point to open it.</figcaption>
    </figure>
  );
}
