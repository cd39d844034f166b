/** Optimal string alignment distance (Damerau-Levenshtein with adjacent transpositions), case-insensitive. */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  const d: number[][] = Array.from({ length: s.length + 1 }, (_, i) => Array.from({ length: t.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= s.length; i++) {
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      const row = d[i] as number[];
      const prev = d[i - 1] as number[];
      row[j] = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) row[j] = Math.min(row[j] as number, ((d[i - 2] as number[])[j - 2] as number) + 1);
    }
  }
  return (d[s.length] as number[])[t.length] as number;
}

/**
 * The allowed values closest to what was typed, for "did you mean …?": a value that starts the same way as the
 * input (`nft` for `nftables`), or one within a third of its length in edits. Empty when nothing is close.
 */
export function nearestValues(typed: string, allowed: readonly string[]): string[] {
  const t = typed.toLowerCase();
  if (t === '') return [];
  const prefixed = allowed.filter((v) => v.toLowerCase().startsWith(t) || t.startsWith(v.toLowerCase()));
  if (prefixed.length > 0) return prefixed;
  const scored = allowed.map((v) => ({ v, d: editDistance(t, v) })).filter((x) => x.d <= Math.max(1, Math.floor(Math.max(t.length, x.v.length) / 3)));
  const best = Math.min(...scored.map((x) => x.d));
  return scored.filter((x) => x.d === best).map((x) => x.v);
}
