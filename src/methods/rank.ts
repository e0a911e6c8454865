// Spearman rank correlation, for the sanity checks (do the maps change when the model's weights or
// the explained class change?). Ties get their average rank; a constant input correlates 0.
function ranks(xs: ArrayLike<number>): Float64Array {
  const order = Array.from(xs, (v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const r = new Float64Array(xs.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1][0] === order[i][0]) j++;
    for (let t = i; t <= j; t++) r[order[t][1]] = (i + j) / 2;
    i = j + 1;
  }
  return r;
}

export function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`spearman: ${a.length} values against ${b.length}`);
  const ra = ranks(a), rb = ranks(b);
  const n = ra.length;
  const ma = ra.reduce((p, q) => p + q, 0) / n, mb = rb.reduce((p, q) => p + q, 0) / n;
  let num = 0, da = 0, db = 0;
  for (let i = 0; i < n; i++) {
    num += (ra[i] - ma) * (rb[i] - mb);
    da += (ra[i] - ma) ** 2;
    db += (rb[i] - mb) ** 2;
  }
  return da && db ? num / Math.sqrt(da * db) : 0;
}
