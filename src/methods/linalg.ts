// Small dense linear algebra for Eigen-CAM (pure, Float64).

/**
 * Leading eigenvector (unit length) of a symmetric n×n matrix, by Lanczos: up to 24 steps build an
 * orthonormal basis Q of the Krylov space of a start vector (fully re-orthogonalised) in which M is
 * the tridiagonal T = QᵀMQ; T's largest eigenvalue is found by bisection on its Sturm sequence and
 * its eigenvector by inverse iteration, and Q brings it back. Restarted from the result until
 * ‖Mv − θv‖ ≤ 1e-10·|θ|. Power iteration took 100–200 products an image on DoodleNet's 49×49 Gram
 * matrices (its rate is λ₂/λ₁, near 1 there); this takes 8–24 and is exact once n ≤ 24.
 */
export function leadingEigenvector(m: Float64Array, n: number): Float64Array {
  let v: Float64Array = new Float64Array(n).map((_, i) => 1 + i * 1e-3);
  for (let restart = 0; restart < 10; restart++) {
    const { vector, value } = lanczos(m, n, v, Math.min(n, 24));
    v = vector;
    const mv = times(m, n, v);
    let residual = 0;
    for (let i = 0; i < n; i++) residual += (mv[i] - value * v[i]) ** 2;
    if (!(Math.sqrt(residual) > 1e-10 * Math.abs(value))) break;
  }
  return v;
}

function times(m: Float64Array, n: number, v: Float64Array, out = new Float64Array(n)): Float64Array {
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0, row = i * n; j < n; j++) s += m[row + j] * v[j];
    out[i] = s;
  }
  return out;
}

const dot = (a: Float64Array, b: Float64Array) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};

function lanczos(m: Float64Array, n: number, start: Float64Array, steps: number): { vector: Float64Array; value: number } {
  const q = Array.from({ length: steps }, () => new Float64Array(n));
  const alpha = new Float64Array(steps), beta = new Float64Array(steps);
  const norm0 = Math.sqrt(dot(start, start));
  if (!(norm0 > 0)) return { vector: start, value: 0 };
  for (let i = 0; i < n; i++) q[0][i] = start[i] / norm0;
  const w = new Float64Array(n);
  let used = steps;
  for (let j = 0; j < steps; j++) {
    times(m, n, q[j], w);
    alpha[j] = dot(q[j], w);
    // against every earlier basis vector, twice (once loses orthogonality in floating point)
    for (let pass = 0; pass < 2; pass++) {
      for (let i = 0; i <= j; i++) {
        const d = dot(q[i], w);
        for (let t = 0; t < n; t++) w[t] -= d * q[i][t];
      }
    }
    const b = Math.sqrt(dot(w, w));
    if (j === steps - 1 || !(b > 1e-13 * (Math.abs(alpha[j]) + (j ? beta[j - 1] : 0)))) {
      used = j + 1; // the Krylov space is invariant (or full): T's eigenvector is exact in it
      break;
    }
    // every 4 steps: stop once the Ritz pair's residual (b times the last entry of T's eigenvector)
    // is small; DoodleNet's maps mostly converge in 8–12 steps
    if (j % 4 === 3) {
      const ritz = largestOfTridiagonal(alpha.subarray(0, j + 1), beta.subarray(0, j));
      if (!(b * Math.abs(ritz.y[j]) > 1e-11 * Math.abs(ritz.value))) {
        used = j + 1;
        break;
      }
    }
    beta[j] = b;
    for (let t = 0; t < n; t++) q[j + 1][t] = w[t] / b;
  }
  const { value, y } = largestOfTridiagonal(alpha.subarray(0, used), beta.subarray(0, used - 1));
  const vector = new Float64Array(n);
  for (let j = 0; j < used; j++) for (let t = 0; t < n; t++) vector[t] += y[j] * q[j][t];
  const len = Math.sqrt(dot(vector, vector));
  for (let t = 0; t < n; t++) vector[t] /= len;
  return { vector, value };
}

/** Largest eigenvalue of the symmetric tridiagonal (d on the diagonal, e beside it) and its unit eigenvector. */
function largestOfTridiagonal(d: Float64Array, e: Float64Array): { value: number; y: Float64Array } {
  const m = d.length;
  // Gershgorin bounds, then bisection: how many eigenvalues lie below x (the Sturm sequence's sign changes)
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < m; i++) {
    const r = (i > 0 ? Math.abs(e[i - 1]) : 0) + (i < m - 1 ? Math.abs(e[i]) : 0);
    lo = Math.min(lo, d[i] - r);
    hi = Math.max(hi, d[i] + r);
  }
  const below = (x: number) => {
    let count = 0, p = 1;
    for (let i = 0; i < m; i++) {
      p = d[i] - x - (i > 0 ? (e[i - 1] * e[i - 1]) / (p !== 0 ? p : 1e-300) : 0);
      if (p < 0) count++;
    }
    return count;
  };
  for (let it = 0; it < 200 && hi - lo > 1e-15 * Math.max(Math.abs(lo), Math.abs(hi), 1e-300); it++) {
    const mid = (lo + hi) / 2;
    if (below(mid) === m) hi = mid;
    else lo = mid;
  }
  const value = hi;
  // inverse iteration: (σI − T) y = b with σ just above the largest eigenvalue is positive definite,
  // so its LDLᵀ solve needs no pivoting; two solves from a flat start give the eigenvector
  let y: Float64Array = new Float64Array(m).fill(1);
  for (let shift = 1e-12 * Math.max(Math.abs(value), 1e-300), tries = 0; tries < 20; shift *= 10, tries++) {
    const solved = solveShifted(d, e, value + shift, solveShifted(d, e, value + shift, y));
    if (solved) {
      y = solved;
      break;
    }
  }
  const len = Math.sqrt(dot(y, y));
  for (let i = 0; i < m; i++) y[i] /= len;
  return { value, y };
}

/** Solves (σI − T) x = b for the tridiagonal T; undefined when σI − T is not positive definite. */
function solveShifted(d: Float64Array, e: Float64Array, sigma: number, b: Float64Array | undefined): Float64Array | undefined {
  if (!b) return undefined;
  const m = d.length;
  const piv = new Float64Array(m), x = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const off = i > 0 ? -e[i - 1] : 0;
    const l = i > 0 ? off / piv[i - 1] : 0;
    piv[i] = sigma - d[i] - l * off;
    if (!(piv[i] > 0)) return undefined;
    x[i] = b[i] - l * (i > 0 ? x[i - 1] : 0);
  }
  for (let i = m - 1; i >= 0; i--) x[i] = (x[i] - (i < m - 1 ? -e[i] * x[i + 1] : 0)) / piv[i];
  // scaled to unit length each time: the shift makes the solve's result huge
  const len = Math.sqrt(dot(x, x));
  if (!(len > 0) || !Number.isFinite(len)) return undefined;
  for (let i = 0; i < m; i++) x[i] /= len;
  return x;
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
