/**
 * What every check returns: one row of the report. Checks are pure functions from API responses to a
 * result, so each can be proven on recorded responses (test/verify-checks.test.ts).
 */

export type CheckStatus = "pass" | "fail" | "skip";

export interface CheckResult {
  readonly id: string;
  readonly title: string;
  readonly status: CheckStatus;
  /** What was seen, one fact per line: the first line sums up, the others name each object looked at. */
  readonly evidence: string;
}

/** A check's identity: the id `--only` takes and the title the report prints. */
export interface CheckId {
  readonly id: string;
  readonly title: string;
}

/** A result from evidence lines: fail when any line failed, pass otherwise (and fail when nothing was seen). */
export function fromLines(check: CheckId, summary: string, lines: readonly EvidenceLine[]): CheckResult {
  const failed = lines.filter((l) => !l.ok).length;
  const status = lines.length === 0 || failed > 0 ? "fail" : "pass";
  const head =
    lines.length === 0
      ? `${summary}: nothing to check`
      : failed > 0
        ? `${summary}: ${failed} of ${lines.length} failed`
        : summary;
  return { ...check, status, evidence: [head, ...lines.map((l) => `${l.ok ? "ok  " : "FAIL"} ${l.text}`)].join("\n") };
}

export interface EvidenceLine {
  readonly ok: boolean;
  readonly text: string;
}

export function line(ok: boolean, text: string): EvidenceLine {
  return { ok, text };
}

export function fail(check: CheckId, evidence: string): CheckResult {
  return { ...check, status: "fail", evidence };
}

export function pass(check: CheckId, evidence: string): CheckResult {
  return { ...check, status: "pass", evidence };
}

export function skip(check: CheckId, evidence: string): CheckResult {
  return { ...check, status: "skip", evidence };
}
