/**
 * Runs the checks a few at a time and tells as it goes: each result as soon as it is known, and for a
 * check still running after a moment, what it is waiting for (and each new thing it waits for after).
 * A check that throws fails with the reason; one that overruns fails with what it was waiting for.
 */
import type { CheckSpec, RunContext, VerifyClients } from "./catalog";
import type { CheckResult } from "./checks/result";
import type { StackOutputs } from "./outputs";

const REMIND_EVERY_MS = 15_000;

export interface TimedResult extends CheckResult {
  readonly durationMs: number;
}

export type RunEvent =
  | { readonly kind: "waiting"; readonly id: string; readonly what: string; readonly elapsedMs: number }
  | { readonly kind: "done"; readonly result: TimedResult };

export interface RunOptions {
  readonly outputs: StackOutputs;
  readonly clients: VerifyClients;
  readonly requests: number;
  readonly execTimeoutMs: number;
  /** A check quiet for this long is announced with what it waits for. */
  readonly slowAfterMs: number;
  /** After the first notice, how often a still-running check says again what it waits for (default 15 s). */
  readonly remindEveryMs?: number;
  /** A check running longer fails. */
  readonly checkTimeoutMs: number;
  readonly concurrency: number;
  readonly onEvent: (event: RunEvent) => void;
  readonly now?: () => number;
}

/** Why a check does not apply to this stack, or undefined when it does. */
export function skipReason(spec: CheckSpec, outputs: StackOutputs): string | undefined {
  if (spec.when === "domain" && outputs.domain === undefined) {
    return "no domain: the stack serves plain HTTP on the load balancers' own hostnames (stack output domain is absent)";
  }
  if (spec.when === "karpenter" && outputs.karpenterNodePools === undefined) {
    return "the stack runs without Karpenter (stack output karpenterNodePools is absent)";
  }
  if (spec.when === "networkLab" && outputs.networkLab !== true) {
    return `the network lab is off (stack output networkLab is ${outputs.networkLab === undefined ? "absent" : "false"})`;
  }
  return undefined;
}

export async function runChecks(specs: readonly CheckSpec[], options: RunOptions): Promise<TimedResult[]> {
  const now = options.now ?? (() => Date.now());
  const cache = new Map<string, Promise<unknown>>();
  const shared = <T>(key: string, load: () => Promise<T>): Promise<T> => {
    let p = cache.get(key) as Promise<T> | undefined;
    if (!p) {
      p = load();
      cache.set(key, p);
    }
    return p;
  };

  const runOne = async (spec: CheckSpec): Promise<TimedResult> => {
    const started = now();
    const skipped = skipReason(spec, options.outputs);
    if (skipped !== undefined)
      return { id: spec.id, title: spec.title, status: "skip", evidence: skipped, durationMs: 0 };

    let what = spec.waitsFor;
    let slow = false;
    let finished = false;
    const announce = (): void => options.onEvent({ kind: "waiting", id: spec.id, what, elapsedMs: now() - started });
    let reminder: NodeJS.Timeout | undefined;
    const slowTimer = setTimeout(() => {
      slow = true;
      if (finished) return;
      announce();
      // A long wait is told again now and then, so the output never sits silent for a minute.
      reminder = setInterval(announce, options.remindEveryMs ?? REMIND_EVERY_MS);
    }, options.slowAfterMs);
    let timeoutTimer: NodeJS.Timeout | undefined;

    const context: RunContext = {
      outputs: options.outputs,
      clients: options.clients,
      requests: options.requests,
      execTimeoutMs: options.execTimeoutMs,
      shared,
      waiting: (next) => {
        what = next;
        if (slow && !finished) announce();
      },
    };
    const timedOut = new Promise<CheckResult>((resolve) => {
      timeoutTimer = setTimeout(
        () =>
          resolve({
            id: spec.id,
            title: spec.title,
            status: "fail",
            evidence: `timed out after ${Math.round(options.checkTimeoutMs / 1000)} s waiting for ${what}`,
          }),
        options.checkTimeoutMs,
      );
    });
    let result: CheckResult;
    try {
      result = await Promise.race([spec.run(context), timedOut]);
    } catch (e) {
      result = { id: spec.id, title: spec.title, status: "fail", evidence: e instanceof Error ? e.message : String(e) };
    } finally {
      finished = true;
      clearTimeout(slowTimer);
      clearInterval(reminder);
      clearTimeout(timeoutTimer);
    }
    return { ...result, durationMs: now() - started };
  };

  const results: TimedResult[] = new Array(specs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < specs.length) {
      const index = next++;
      const result = await runOne(specs[index]);
      results[index] = result;
      options.onEvent({ kind: "done", result });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, specs.length)) }, worker));
  return results;
}
