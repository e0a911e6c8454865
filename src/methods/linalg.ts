// Small dense linear algebra for Eigen-CAM (pure, Float64).

/** Leading eigenvector of a symmetric n×n matrix (power iteration). */
export function leadingEigenvector(m: Float64Array, n: number): Float64Array {
  let v = new Float64Array(n).map((_, i) => 1 + i * 1e-3);
  for (let iter = 0; iter < 200; iter++) {
    const next = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += m[i * n + j] * v[j];
      next[i] = s;
    }
    let norm = 0;
    for (const x of next) norm += x * x;
    norm = Math.sqrt(norm);
    if (!(norm > 0)) return next;
    let change = 0;
    for (let i = 0; i < n; i++) {
      next[i] /= norm;
      change += Math.abs(next[i] - v[i]);
    }
    v = next;
    if (change < 1e-12) break;
  }
  return v;
}

/** The columns of a Z×K matrix (row-major) minus their means. */
export function centreColumns(x: Float32Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let c = 0; c < cols; c++) {
    let mean = 0;
    for (let i = 0; i < rows; i++) mean += x[i * cols + c];
    mean /= rows;
    for (let i = 0; i < rows; i++) out[i * cols + c] = x[i * cols + c] - mean;
  }
  return out;
}

/**
 * X·v₁ = σ₁u₁, the projection of the rows of X (Z×K) on its first principal direction, from
 * the smaller Gram matrix (XXᵀ when Z ≤ K, else XᵀX).
 */
export function firstComponentScores(x: Float64Array, z: number, k: number): Float32Array {
  const out = new Float32Array(z);
  if (z <= k) {
    const gram = new Float64Array(z * z); // X Xᵀ
    for (let i = 0; i < z; i++) {
      for (let j = i; j < z; j++) {
        let s = 0;
        for (let c = 0; c < k; c++) s += x[i * k + c] * x[j * k + c];
        gram[i * z + j] = gram[j * z + i] = s;
      }
    }
    const u = leadingEigenvector(gram, z);
    let lambda = 0;
    for (let i = 0; i < z; i++) for (let j = 0; j < z; j++) lambda += u[i] * gram[i * z + j] * u[j];
    const sigma = Math.sqrt(Math.max(lambda, 0));
    for (let i = 0; i < z; i++) out[i] = sigma * u[i];
    return out;
  }
  const cov = new Float64Array(k * k); // Xᵀ X
  for (let i = 0; i < z; i++) for (let a = 0; a < k; a++) for (let b = a; b < k; b++) cov[a * k + b] += x[i * k + a] * x[i * k + b];
  for (let a = 0; a < k; a++) for (let b = 0; b < a; b++) cov[a * k + b] = cov[b * k + a];
  const v = leadingEigenvector(cov, k);
  for (let i = 0; i < z; i++) {
    let s = 0;
    for (let c = 0; c < k; c++) s += x[i * k + c] * v[c];
    out[i] = s;
  }
  return out;
}
