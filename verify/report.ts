/** How results are printed: a block per check as it finishes, a table at the end, or one JSON document. */
import type { TimedResult } from "./runner";

const STATUS_WORD = { pass: "PASS", fail: "FAIL", skip: "SKIP" } as const;

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** A finished check: its status, id and title, then its evidence indented below. */
export function formatResult(result: TimedResult): string {
  const head = `${STATUS_WORD[result.status]}  ${result.id}  ${result.title}${result.status === "skip" ? "" : ` (${seconds(result.durationMs)})`}`;
  const body = result.evidence.split("\n").map((l) => `      ${l}`);
  return [head, ...body].join("\n");
}

export function formatWaiting(id: string, what: string, elapsedMs: number): string {
  return `....  ${id}  waiting for ${what} (${seconds(elapsedMs)} so far)`;
}

export interface Totals {
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
}

export function totals(results: readonly TimedResult[]): Totals {
  return {
    passed: results.filter((r) => r.status === "pass").length,
    failed: results.filter((r) => r.status === "fail").length,
    skipped: results.filter((r) => r.status === "skip").length,
  };
}

/**
 * The closing table: one row per check in catalog order, with the first line of its evidence; checks not run
 * for one reason (an unreachable API server) share one row.
 */
export function formatTable(
  results: readonly TimedResult[],
  notRun?: { readonly ids: readonly string[]; readonly why: string },
): string {
  const idWidth = Math.max(5, ...results.map((r) => r.id.length));
  const rows = results.map((r) => {
    const summary = r.evidence.split("\n")[0];
    return `${r.id.padEnd(idWidth)}  ${STATUS_WORD[r.status]}    ${(r.status === "skip" ? "-" : seconds(r.durationMs)).padStart(7)}  ${summary}`;
  });
  const t = totals(results);
  const notRunRows = notRun && notRun.ids.length > 0 ? [`not run (${notRun.why}): ${notRun.ids.join(", ")}`] : [];
  return [
    `${"CHECK".padEnd(idWidth)}  RESULT  ${"TIME".padStart(7)}  EVIDENCE`,
    ...rows,
    ...notRunRows,
    `${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped${notRunRows.length > 0 ? `, ${notRun?.ids.length} not run` : ""}`,
  ].join("\n");
}

export interface JsonReport extends Totals {
  readonly ok: boolean;
  readonly clusterName?: string;
  readonly checks: readonly TimedResult[];
}

export function jsonReport(results: readonly TimedResult[], clusterName: string | undefined): JsonReport {
  const t = totals(results);
  return { ok: t.failed === 0, ...t, ...(clusterName !== undefined ? { clusterName } : {}), checks: results };
}
