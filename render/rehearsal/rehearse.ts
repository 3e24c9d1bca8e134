/**
 * The change rehearsal: what a `pulumi up` from an earlier render's state would do to each resource, planned
 * as the engine plans it and decided by each provider's own update rules (semantics.ts, read from the pinned
 * sources), never guessed: a resource type without rules is an error. docs/rehearsal.md tells the rules with
 * their sources; in short (pulumi/pulumi @ 1b5949891b3cefcb9974752b24a5ecef0acc86c8
 * pkg/resource/deploy/step_generator.go):
 *
 * - The old resource of a new URN is the one at that URN, or else at one of its aliases (L655-713).
 * - A field that forces a new resource changed: replace; another changed: update; none: same. ignoreChanges
 *   paths keep their old value (L1264-1269, L3074-3096); replaceOnChanges paths replace.
 * - A replaced resource's computed outputs (id, ARN, an auto-name, whatever the cloud computes) are unknown
 *   in the plan (L2003-2022, step.go L443-460), so every input that took one of them is a changed field of its
 *   reader, whose own rules decide update or replace; an update changes the outputs its row names
 *   (a launch template's latest version). Repeated until nothing new is replaced.
 * - A resource replaced by deleting first takes along every resource with an input depending on it whose
 *   provider says that input, made unknown as a whole, forces a replacement, and every resource on it as a
 *   provider; these are deleted first too (calculateDependentReplacements, L3268-3415, L2047-2157).
 * - A resource whose provider is replaced is replaced, by creating first (L2800-2926).
 * - The AWS provider keys every regional resource by its region: another region replaces them.
 * - Delete first only where Pulumi does it: the deleteBeforeReplace option (L2030-2047), pulumi-kubernetes
 *   for a named object keeping its name and namespace, pulumi-terraform-bridge when the program sets the name
 *   the provider would otherwise generate (semantics.ts). Everywhere else the new one is created first, and
 *   where it keeps a value the cloud allows once, that is a blocking finding (findings.ts).
 */
import type { RecordedResource, StackIdentity } from "../harness";
import type { InputReference } from "../provenance";
import { isRegional, pathsMayHold, pathsStartWith, semanticsOf, type TypeSemantics } from "./semantics";

export type ChangeAction = "create" | "update" | "replace" | "delete" | "same";

/** What a plan shows for a value the cloud gives only when the change is applied. */
export const UNKNOWN = "(known after apply)";

/** One input path that changes, with its value before and after (secrets as "[secret]", unknowns as UNKNOWN). */
export interface FieldChange {
  readonly path: string;
  readonly before: unknown;
  readonly after: unknown;
  /** For a value planned as unknown: the resource it comes from and why it is unknown. */
  readonly cause?: string;
}

export interface Change {
  readonly urn: string;
  readonly type: string;
  readonly action: ChangeAction;
  /** Input paths that change (dotted; map keys and list indexes as segments), own and planned from others. */
  readonly fields: readonly string[];
  /** The changed fields that force the replacement ("provider" and "region" included). */
  readonly replaceBecause: readonly string[];
  /** Each changed field's value before and after. */
  readonly diff: readonly FieldChange[];
  /** How a replacement goes: the new one first (Pulumi's default), or the old one deleted first. */
  readonly replacement?: "create-first" | "delete-first";
  /** The old URN, when this resource is paired with its old state through an alias. */
  readonly aliasOf?: string;
  readonly warnings: readonly string[];
  /** Why the plan cannot apply as it is (findings.ts): `pulumi up` would fail or leave the cloud broken. */
  readonly blocking: readonly string[];
}

/** The state an earlier render stands for: what the engine reads from the stack's state. */
export interface PriorState {
  readonly resources: readonly RecordedResource[];
  readonly identity?: Partial<StackIdentity>;
}

/** What the program registers now, with the provenance of its inputs and the options the engine reads. */
export interface PlannedState {
  readonly resources: readonly RecordedResource[];
  readonly references?: ReadonlyMap<string, readonly InputReference[]>;
  readonly propertyDependencies?: ReadonlyMap<string, Readonly<Record<string, readonly string[]>>>;
  readonly aliases?: ReadonlyMap<string, readonly string[]>;
  readonly ignoreChanges?: ReadonlyMap<string, readonly string[]>;
  readonly deleteBeforeReplace?: ReadonlySet<string>;
  readonly replaceOnChanges?: ReadonlyMap<string, readonly string[]>;
  readonly identity?: Partial<StackIdentity>;
}

/** Every leaf path where two JSON values differ; a removed or added subtree is one path. */
export function changedPaths(before: unknown, after: unknown, at = ""): string[] {
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === "object" && v !== null && !Array.isArray(v);
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => changedPaths(before[k], after[k], at ? `${at}.${k}` : k));
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    return before.flatMap((v, i) => changedPaths(v, after[i], at ? `${at}.${i}` : String(i)));
  }
  return [at || "(all)"];
}

/**
 * The value at a dotted path, or undefined. Keys may hold dots themselves (an annotation's
 * `alb.ingress.kubernetes.io/scheme`): at each level the longest run of segments that is a key wins.
 */
export function getPath(object: unknown, path: string): unknown {
  if (path === "(all)") return object;
  const segments = path.split(".");
  let value = object;
  for (let at = 0; at < segments.length; ) {
    if (typeof value !== "object" || value === null) return undefined;
    const here = value as Record<string, unknown>;
    let next = segments.length;
    while (next > at && !Object.hasOwn(here, segments.slice(at, next).join("."))) next--;
    if (next === at) return undefined;
    value = here[segments.slice(at, next).join(".")];
    at = next;
  }
  return value;
}

/**
 * Whether a changed path is left out of the diff by an `ignoreChanges` path: the path itself or inside it.
 * pulumi-kubernetes drops every diff path an ignore path contains (provider/pkg/provider/provider.go
 * L1577-1601 @ 94977969, `ignorePath.Contains(diffPath)`); the engine does the same for every provider by
 * putting the old input in place of the new one at an ignored path before the diff, and deleting it from the
 * new inputs when the old ones lack it (pulumi/pulumi @ 507db165 sdk/go/common/resource/properties_path.go
 * PropertyPath.reset; Pulumi docs, resource options, "ignoreChanges").
 */
function ignoredBy(path: string, ignored: readonly string[]): boolean {
  return ignored.some((i) => path === i || path.startsWith(`${i}.`));
}

/** Whether two paths overlap: one is the other or inside it. */
function overlaps(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);
}

/** The last segment of an URN: the resource's name. */
export function nameOf(urn: string): string {
  return urn.split("::").pop() ?? urn;
}

interface Decision {
  readonly action: ChangeAction;
  readonly diff: FieldChange[];
  readonly replaceBecause: string[];
  readonly replacement?: "create-first" | "delete-first";
  /** Why it is deleted first, said in the change's notes. */
  readonly deleteFirstBecause?: string;
}

/** What the engine does to one resource present in both states, given what it has decided of the others so far. */
function decide(
  before: RecordedResource,
  after: RecordedResource,
  rules: TypeSemantics,
  planned: PlannedState,
  decided: ReadonlyMap<string, Decision & { readonly type: string }>,
  regionMove: { readonly from: string; readonly to: string } | undefined,
): Decision {
  const ignored = planned.ignoreChanges?.get(after.urn) ?? [];
  const replaceOn = planned.replaceOnChanges?.get(after.urn) ?? [];
  const forcesNew = (path: string) =>
    pathsStartWith(path, rules.forceNew) || replaceOn.some((p) => p === "*" || overlaps(p, path));
  const diff = new Map<string, FieldChange>();
  for (const path of changedPaths(before.inputs, after.inputs).filter((p) => !ignoredBy(p, ignored))) {
    diff.set(path, { path, before: getPath(before.inputs, path), after: getPath(after.inputs, path) });
  }
  const replaceBecause = new Set([...diff.keys()].filter(forcesNew));
  let chain: string | undefined;

  if (regionMove && isRegional(after.type)) {
    diff.set("region", {
      path: "region",
      before: regionMove.from,
      after: regionMove.to,
      cause: "the AWS provider's region",
    });
    replaceBecause.add("region");
  }
  // Its provider replaced: the engine replaces it without asking the provider's Diff (L2919-2926).
  const provider = after.provider ? decided.get(after.provider) : undefined;
  if (after.provider && (provider?.action === "replace" || (before.provider && before.provider !== after.provider))) {
    diff.set("provider", {
      path: "provider",
      before: before.provider,
      after: UNKNOWN,
      cause: `its provider ${nameOf(after.provider)} is replaced`,
    });
    replaceBecause.add("provider");
    if (provider?.replacement === "delete-first") chain = `its provider ${nameOf(after.provider)} is deleted first`;
  }
  // Inputs that took a computed output of a replaced resource, or one an update changes.
  for (const ref of planned.references?.get(after.urn) ?? []) {
    if (ref.output === "derived" || ignoredBy(ref.path, ignored)) continue;
    const from = decided.get(ref.from);
    const unknown =
      from?.action === "replace" ||
      (from?.action === "update" && (semanticsOf(from.type).updateChangesOutputs ?? []).includes(ref.output));
    if (!from || !unknown) continue;
    const cause =
      from.action === "replace"
        ? `${nameOf(ref.from)} is replaced: its ${ref.output} is known after apply`
        : `${nameOf(ref.from)} is updated: its ${ref.output} is new`;
    diff.set(ref.path, { path: ref.path, before: getPath(before.inputs, ref.path), after: UNKNOWN, cause });
    if (forcesNew(ref.path)) replaceBecause.add(ref.path);
  }
  // A resource it depends on is deleted first: the engine makes each input depending on it unknown as a whole
  // and asks the provider whether that replaces this one too.
  for (const [key, urns] of Object.entries(planned.propertyDependencies?.get(after.urn) ?? {})) {
    const root = urns.find((urn) => decided.get(urn)?.replacement === "delete-first");
    if (
      !root ||
      ignoredBy(key, ignored) ||
      !(pathsMayHold(key, rules.forceNew) || replaceOn.some((p) => p === "*" || overlaps(p, key)))
    )
      continue;
    if (![...diff.keys()].some((p) => overlaps(p, key))) {
      diff.set(key, {
        path: key,
        before: getPath(before.inputs, key),
        after: UNKNOWN,
        cause: `${nameOf(root)} is deleted before it is replaced: the engine plans every input depending on it as unknown`,
      });
    }
    replaceBecause.add(key);
    chain ??= `${nameOf(root)}, which it depends on, is deleted first`;
  }

  const fields = [...diff.values()].sort((a, b) => (a.path < b.path ? -1 : 1));
  if (replaceBecause.size === 0)
    return { action: fields.length > 0 ? "update" : "same", diff: fields, replaceBecause: [] };
  const because = [...replaceBecause].sort();
  const onlyProvider = because.every((p) => p === "provider");
  let deleteFirstBecause: string | undefined;
  if (planned.deleteBeforeReplace?.has(after.urn)) deleteFirstBecause = "its deleteBeforeReplace option";
  else if (chain) deleteFirstBecause = chain;
  else if (!onlyProvider && rules.kubernetesObject && keepsKubernetesIdentity(before, after, diff))
    deleteFirstBecause = "pulumi-kubernetes deletes a named object first when its name and namespace stay";
  else if (!onlyProvider && rules.autoName && getPath(after.inputs, rules.autoName) !== undefined) {
    // Set at all, changed or not: pulumi-aws gives no resource UniqueNameFields, the one way the bridge would
    // compare the old and new names (schema.go L195-246 @ 59de6c66).
    deleteFirstBecause = `the program sets its ${rules.autoName}, so the provider deletes it first`;
  }
  return {
    action: "replace",
    diff: fields,
    replaceBecause: because,
    replacement: deleteFirstBecause ? "delete-first" : "create-first",
    ...(deleteFirstBecause ? { deleteFirstBecause } : {}),
  };
}

/** A Kubernetes object named by the program keeping its name and namespace ("" counts as "default"). */
function keepsKubernetesIdentity(
  before: RecordedResource,
  after: RecordedResource,
  diff: ReadonlyMap<string, FieldChange>,
): boolean {
  const name = getPath(after.inputs, "metadata.name");
  if (typeof name !== "string" || name === "" || diff.get("metadata.name")?.after === UNKNOWN) return false;
  const namespace = (r: RecordedResource) =>
    (getPath(r.inputs, "metadata.namespace") as string | undefined) || "default";
  return (
    name === getPath(before.inputs, "metadata.name") &&
    namespace(after) === namespace(before) &&
    diff.get("metadata.namespace")?.after !== UNKNOWN
  );
}

const sameDecision = (a: Decision | undefined, b: Decision): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * The rehearsal of going from `before` to `after`: one change per resource in either, sorted by URN (an
 * aliased pair under its new URN). Blocking findings and warnings are findings.ts's, added by `findings`.
 */
export function rehearse(before: PriorState, after: PlannedState): Change[] {
  const old = new Map(before.resources.map((r) => [r.urn, r]));
  const now = [...after.resources].sort((a, b) => (a.urn < b.urn ? -1 : 1));
  const newUrns = new Set(now.map((r) => r.urn));
  const regionMove =
    before.identity?.region && after.identity?.region && before.identity.region !== after.identity.region
      ? { from: before.identity.region, to: after.identity.region }
      : undefined;

  // The URN first, then each alias (step_generator.go L655-713); an old resource is claimed once.
  const pairs = new Map<string, RecordedResource>();
  const claimed = new Set<string>();
  for (const r of now) {
    const hit = [r.urn, ...(after.aliases?.get(r.urn) ?? [])].find(
      (urn) => old.has(urn) && !claimed.has(urn) && (urn === r.urn || !newUrns.has(urn)),
    );
    if (hit) {
      pairs.set(r.urn, old.get(hit) as RecordedResource);
      claimed.add(hit);
    }
  }

  // Throws for a type without semantics: the rehearsal never guesses.
  const rulesOf = new Map([...before.resources, ...now].map((r) => [r.type, semanticsOf(r.type)]));
  const decided = new Map<string, Decision & { readonly type: string }>();
  // Until nothing changes: a decision only grows (same, update, replace), so this ends; the bound is a guard.
  for (let round = 0, moved = true; moved; round++) {
    if (round > now.length + 1) throw new Error("the change rehearsal did not settle");
    moved = false;
    for (const r of now) {
      const was = pairs.get(r.urn);
      if (!was) continue;
      const decision = decide(was, r, rulesOf.get(r.type) as TypeSemantics, after, decided, regionMove);
      if (!sameDecision(decided.get(r.urn), { ...decision, type: r.type } as Decision)) {
        decided.set(r.urn, { ...decision, type: r.type });
        moved = true;
      }
    }
  }

  const changes: Change[] = [];
  for (const r of now) {
    const was = pairs.get(r.urn);
    const rules = rulesOf.get(r.type) as TypeSemantics;
    if (!was) {
      changes.push({
        urn: r.urn,
        type: r.type,
        action: "create",
        fields: [],
        replaceBecause: [],
        diff: [],
        warnings: [],
        blocking: [],
      });
      continue;
    }
    const d = decided.get(r.urn) as Decision;
    const warnings = [...ignoredWarning(was, r, after.ignoreChanges?.get(r.urn) ?? [])];
    for (const removed of d.diff.filter((f) => f.before !== undefined && f.after === undefined)) {
      if (pathsStartWith(removed.path, rules.optionalComputed)) {
        warnings.push(
          `${removed.path} is removed from the inputs, but the provider keeps it (Optional + Computed): the cloud keeps its old value`,
        );
      }
    }
    if (d.action === "replace") {
      warnings.push(
        d.replacement === "delete-first"
          ? `replaced by deleting the old one first (${d.deleteFirstBecause})${rules.podImpact ? `; ${rules.podImpact.deleteFirst}` : ""}`
          : `replaced by creating the new one first, then deleting the old (Pulumi's default)${rules.podImpact?.createFirst ? `; ${rules.podImpact.createFirst}` : ""}`,
      );
    }
    const updatedBy = d.diff.filter((f) => f.cause?.includes(" is updated: "));
    if (d.action === "update" && updatedBy.length > 0 && rules.onDependencyUpdate)
      warnings.push(rules.onDependencyUpdate);
    changes.push({
      urn: r.urn,
      type: r.type,
      action: d.action,
      fields: d.diff.map((f) => f.path),
      replaceBecause: d.replaceBecause,
      diff: d.diff,
      ...(d.replacement ? { replacement: d.replacement } : {}),
      ...(was.urn !== r.urn ? { aliasOf: was.urn } : {}),
      warnings,
      blocking: [],
    });
  }
  for (const r of before.resources) {
    if (claimed.has(r.urn)) continue;
    const rules = rulesOf.get(r.type) as TypeSemantics;
    changes.push({
      urn: r.urn,
      type: r.type,
      action: "delete",
      fields: [],
      replaceBecause: [],
      diff: [],
      warnings: rules.onDelete ? [rules.onDelete] : [],
      blocking: [],
    });
  }
  return changes.sort((a, b) => (a.urn < b.urn ? -1 : 1));
}

/** What is said of a change the resource's ignoreChanges leaves out. */
function ignoredWarning(before: RecordedResource, after: RecordedResource, ignored: readonly string[]): string[] {
  const left = changedPaths(before.inputs, after.inputs).filter((p) => ignoredBy(p, ignored));
  return left.length > 0 ? [`${left.join(", ")} changed but is ignored (ignoreChanges): the live value stays`] : [];
}
