/**
 * "Did you mean" helper: the valid names closest to a misspelt one (case-insensitive edit distance,
 * with substring matches ranked first).
 *
 * @example
 * closestNames("a10", ["a100", "h100", "a40"], 2) // ["a100", "a40"]
 */
export function closestNames(query: string, candidates: readonly string[], count = 3): string[] {
  const q = query.toLowerCase();
  const scored = candidates.map((c) => {
    const lc = c.toLowerCase();
    // A substring hit ("llama-2-7b" in "meta-llama/Llama-2-7b-hf") is almost always what was meant.
    const bonus = lc.includes(q) || q.includes(lc) ? -100 : 0;
    return { c, d: editDistance(q, lc) + bonus };
  });
  scored.sort((a, b) => a.d - b.d || a.c.localeCompare(b.c));
  return [...new Set(scored.map((s) => s.c))].slice(0, count);
}

/** Levenshtein distance, O(|a|·|b|) with one row. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}
