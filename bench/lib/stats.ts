/** Small statistics for the benchmark: medians and an ordinary least-squares fit. */

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export interface Summary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

export function summarize(values: readonly number[]): Summary {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values) };
}

export interface LinearFit {
  /** One coefficient per term, in the order the terms were given. */
  readonly coefficients: number[];
  /** Coefficient of determination: 1 means the model explains every point. */
  readonly r2: number;
  /** The model's value for each observation. */
  readonly fitted: number[];
}

/**
 * Least-squares fit of `y ≈ Σ coefficients[j] · x[i][j]` (include a column of
 * ones for an intercept), by the normal equations. Enough for a handful of
 * terms and a few dozen points.
 */
export function leastSquares(x: readonly (readonly number[])[], y: readonly number[]): LinearFit {
  const n = x.length;
  const k = x[0]?.length ?? 0;
  if (n < k || k === 0) throw new Error(`need at least ${k} observations for ${k} terms (got ${n})`);
  // Columns are scaled to unit maximum so that terms of very different size (1 vs F·S = 100000) stay well conditioned.
  const scale = Array.from({ length: k }, (_, j) => Math.max(...x.map((row) => Math.abs(row[j]))) || 1);
  const a = Array.from({ length: k }, () => new Array<number>(k + 1).fill(0));
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < k; p++) {
      const xp = x[i][p] / scale[p];
      for (let q = 0; q < k; q++) a[p][q] += xp * (x[i][q] / scale[q]);
      a[p][k] += xp * y[i];
    }
  }
  const solution = solve(a).map((c, j) => c / scale[j]);
  const fitted = x.map((row) => row.reduce((sum, v, j) => sum + v * solution[j], 0));
  const mean = y.reduce((s, v) => s + v, 0) / n;
  const ssRes = y.reduce((s, v, i) => s + (v - fitted[i]) ** 2, 0);
  const ssTot = y.reduce((s, v) => s + (v - mean) ** 2, 0);
  return { coefficients: solution, r2: ssTot === 0 ? 1 : 1 - ssRes / ssTot, fitted };
}

/** Gaussian elimination with partial pivoting on an augmented k × (k+1) matrix. */
function solve(a: number[][]): number[] {
  const k = a.length;
  for (let col = 0; col < k; col++) {
    let pivot = col;
    for (let r = col + 1; r < k; r++) if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) pivot = r;
    if (Math.abs(a[pivot][col]) < 1e-12) throw new Error('the fit is singular: vary every term across the observations');
    [a[col], a[pivot]] = [a[pivot], a[col]];
    for (let r = 0; r < k; r++) {
      if (r === col) continue;
      const f = a[r][col] / a[col][col];
      for (let c = col; c <= k; c++) a[r][c] -= f * a[col][c];
    }
  }
  return a.map((row, i) => row[k] / row[i]);
}
