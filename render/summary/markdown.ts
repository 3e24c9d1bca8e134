/** The few Markdown and counting helpers summary.md's sections share. */

export function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

export function table(headers: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [line(headers), line(headers.map(() => "---")), ...rows.map(line)].join("\n");
}

export function countBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return new Map([...counts.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
}

export function countsText(counts: Map<string, number>): string {
  return [...counts.entries()].map(([k, n]) => `${k} ${n}`).join(", ");
}
