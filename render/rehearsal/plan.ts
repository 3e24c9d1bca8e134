/**
 * The rehearsal as the render runs it: the stacks compared first (another stack's render is not this stack's
 * state), then each resource's action (rehearse.ts) with its findings (findings.ts), the counts a headline and
 * `--fail-on` read.
 */
import type { RecordedResource, StackIdentity } from "../harness";
import { parseUrn } from "../harness";
import { withFindings } from "./findings";
import { type Change, type ChangeAction, type PlannedState, type PriorState, rehearse } from "./rehearse";

/** The full rehearsal: every resource's action, with its blocking findings and warnings. */
export function planChanges(before: PriorState, after: PlannedState): Change[] {
  return withFindings(rehearse(before, after), before, after);
}

export type FailOn = "replace" | "delete" | "blocking";
export const FAIL_ON: readonly FailOn[] = ["replace", "delete", "blocking"];

export interface PlanCounts {
  readonly create: number;
  readonly update: number;
  readonly replace: number;
  readonly delete: number;
  readonly same: number;
  /** Blocking findings, over all resources. */
  readonly blocking: number;
}

export function planCounts(changes: readonly Change[]): PlanCounts {
  const count = (action: ChangeAction) => changes.filter((c) => c.action === action).length;
  return {
    create: count("create"),
    update: count("update"),
    replace: count("replace"),
    delete: count("delete"),
    same: count("same"),
    blocking: changes.reduce((n, c) => n + c.blocking.length, 0),
  };
}

/** Which of the `--fail-on` conditions the plan meets. */
export function failedOn(changes: readonly Change[], conditions: readonly FailOn[]): FailOn[] {
  const counts = planCounts(changes);
  return conditions.filter((c) => counts[c] > 0);
}

/** The project and stack an earlier render stands for: its render.json, or else its URNs. */
export function priorIdentity(
  resources: readonly RecordedResource[],
  recorded: Partial<StackIdentity> | undefined,
): Partial<StackIdentity> {
  const first = resources[0] ? parseUrn(resources[0].urn) : undefined;
  return { ...(first ? { project: first.project, stack: first.stack } : {}), ...(recorded ?? {}) };
}

/**
 * Why an earlier render cannot stand for this stack's state, or undefined when it can: the engine keys state by
 * project and stack, so another's resources are not this stack's (its URNs never match).
 */
export function otherStack(before: Partial<StackIdentity>, after: StackIdentity): string | undefined {
  if ((before.project ?? after.project) === after.project && (before.stack ?? after.stack) === after.stack)
    return undefined;
  return `a render of stack ${before.stack ?? "?"} of project ${before.project ?? "?"}, not of stack ${after.stack} of project ${after.project}`;
}

/**
 * An earlier render's resources as they stand after `pulumi stack rename`, which rewrites every URN in the
 * state to the new project and stack and changes nothing else; a resource reference among the inputs (recorded
 * as its URN) reaches its provider as the resource's id, which the rename keeps, so it is rewritten too.
 */
export function renamedTo(resources: readonly RecordedResource[], identity: StackIdentity): RecordedResource[] {
  const rename = (urn: string): string => {
    const parts = parseUrn(urn);
    return `urn:pulumi:${identity.stack}::${identity.project}::${parts.qualifiedType}::${parts.name}`;
  };
  const inputs = (value: unknown): unknown => {
    if (typeof value === "string")
      return value.startsWith("urn:pulumi:") && value.split("::").length >= 4 ? rename(value) : value;
    if (Array.isArray(value)) return value.map(inputs);
    if (value && typeof value === "object")
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, inputs(v)]));
    return value;
  };
  return resources.map((r) => ({
    ...r,
    urn: rename(r.urn),
    parent: r.parent === null ? null : rename(r.parent),
    provider: r.provider === null ? null : rename(r.provider),
    dependencies: r.dependencies.map(rename),
    inputs: inputs(r.inputs) as Record<string, unknown>,
  }));
}
