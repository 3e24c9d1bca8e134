/**
 * The names nearest a mistyped one, by edit distance: what every "did you mean" offers (configuration keys,
 * namespaces, instance types, regions). No imports, so data/ and render/ can use it without loading config/.
 */

/** Edit distance (insert, delete, substitute, swap two neighbours), ignoring case. */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  const d: number[][] = Array.from({ length: s.length + 1 }, (_, i) =>
    Array.from({ length: t.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= s.length; i++) {
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1])
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[s.length][t.length];
}

/**
 * The candidates nearest `name`, all those at the smallest distance (sorted, at most `most`), if that distance
 * is small enough for a typo: a third of the name, at least 2. Far names are no suggestion at all.
 */
export function nearestNames(name: string, candidates: Iterable<string>, most = 3): string[] {
  const limit = Math.max(2, Math.floor(name.length / 3));
  const ranked = [...new Set(candidates)]
    .map((candidate) => ({ candidate, distance: editDistance(name, candidate) }))
    .filter((x) => x.distance <= limit);
  const best = Math.min(...ranked.map((x) => x.distance));
  return ranked
    .filter((x) => x.distance === best)
    .map((x) => x.candidate)
    .sort()
    .slice(0, most);
}

/** "a", "a or b", "a, b or c": names as a sentence offers them. */
export function oneOf(names: readonly string[]): string {
  return names.length <= 1 ? (names[0] ?? "") : `${names.slice(0, -1).join(", ")} or ${names[names.length - 1]}`;
}
