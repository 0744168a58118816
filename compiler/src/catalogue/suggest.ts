// "Did you mean": candidates within a small edit distance of a misspelt word.

/** Optimal-string-alignment Damerau-Levenshtein distance (adjacent transpositions cost 1). */
export function editDistance(a: string, b: string): number {
  const n = a.length;
  const m = b.length;
  if (n === 0) return m;
  if (m === 0) return n;
  // Three rolling rows: two back (for transpositions), previous, current.
  let prev2 = new Array<number>(m + 1).fill(0);
  let prev = Array.from({ length: m + 1 }, (_, j) => j);
  let cur = new Array<number>(m + 1).fill(0);
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    for (let j = 1; j <= m; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2]! + 1);
      cur[j] = d;
    }
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[m]!;
}

/** Largest distance still worth suggesting: 1 for short words, then 2, or a third of longer words. */
export function maxSuggestionDistance(word: string): number {
  if (word.length <= 3) return 1;
  return Math.max(2, Math.floor(word.length / 3));
}

/**
 * The candidates closest to `word` (case-insensitive), best first, at most `limit`.
 * The word itself (exact spelling) is never suggested.
 */
export function closestNames(word: string, candidates: Iterable<string>, limit = 3): string[] {
  const lower = word.toLowerCase();
  const max = maxSuggestionDistance(word);
  const scored: { name: string; distance: number }[] = [];
  const seen = new Set<string>();
  for (const name of candidates) {
    if (name === word || seen.has(name)) continue;
    seen.add(name);
    if (Math.abs(name.length - word.length) > max) continue;
    const distance = editDistance(lower, name.toLowerCase());
    if (distance <= max) scored.push({ name, distance });
  }
  scored.sort((a, b) => a.distance - b.distance || a.name.localeCompare(b.name));
  return scored.slice(0, limit).map((s) => s.name);
}
