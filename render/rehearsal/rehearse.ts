/**
 * The change rehearsal: what a `pulumi up` from an earlier render's state would do to each resource of the
 * new one, decided by the providers' own update semantics (semantics.ts, read from the pinned sources),
 * never guessed: a resource type without semantics is an error.
 *
 * Per URN: create (new), delete (gone), replace (a field that forces a new resource changed), update (a
 * field changed in place), same. A removed input the provider keeps (Optional + Computed) is a warning: the
 * cloud keeps the old value. A replacement says whether Pulumi creates the new one first (its default) or
 * must delete first (a value the cloud allows once is unchanged), and what that means for running pods.
 */
import type { RecordedResource } from "../harness";
import { pathsStartWith, type TypeSemantics, semanticsOf } from "./semantics";

export type ChangeAction = "create" | "update" | "replace" | "delete" | "same";

export interface Change {
  readonly urn: string;
  readonly type: string;
  readonly action: ChangeAction;
  /** Input paths that differ (dotted; map keys and list indexes as segments). */
  readonly fields: readonly string[];
  /** The changed fields that force the replacement. */
  readonly replaceBecause: readonly string[];
  readonly warnings: readonly string[];
}

/** Every leaf path where two JSON values differ; a removed or added subtree is one path. */
export function changedPaths(before: unknown, after: unknown, at = ""): string[] {
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => changedPaths(before[k], after[k], at ? `${at}.${k}` : k));
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    return before.flatMap((v, i) => changedPaths(v, after[i], at ? `${at}.${i}` : String(i)));
  }
  return [at || "(all)"];
}

function getPath(object: unknown, path: string): unknown {
  return path.split(".").reduce<unknown>((v, k) => (typeof v === "object" && v !== null ? (v as Record<string, unknown>)[k] : undefined), object);
}

/** Paths present before and absent after (the input was removed, not changed). */
function removedPaths(before: Record<string, unknown>, after: Record<string, unknown>, fields: readonly string[]): string[] {
  return fields.filter((f) => getPath(before, f) !== undefined && getPath(after, f) === undefined);
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

/** What the engine does to one resource present in both states. */
function decide(before: RecordedResource, after: RecordedResource, rules: TypeSemantics, ignored: readonly string[]): { action: ChangeAction; fields: string[]; replaceBecause: string[]; warnings: string[] } {
  const changed = changedPaths(before.inputs, after.inputs);
  const left = changed.filter((f) => ignoredBy(f, ignored));
  const fields = changed.filter((f) => !ignoredBy(f, ignored));
  const leftAlone = left.length > 0 ? [`${left.join(", ")} changed but is ignored (ignoreChanges): the live value stays`] : [];
  if (fields.length === 0) return { action: "same", fields, replaceBecause: [], warnings: leftAlone };
  const replaceBecause = fields.filter((f) => pathsStartWith(f, rules.forceNew));
  const warnings: string[] = [...leftAlone];
  for (const removed of removedPaths(before.inputs, after.inputs, fields)) {
    if (pathsStartWith(removed, rules.optionalComputed)) {
      warnings.push(`${removed} is removed from the inputs, but the provider keeps it (Optional + Computed): the cloud keeps its old value`);
    }
  }
  if (replaceBecause.length === 0) return { action: "update", fields, replaceBecause, warnings };
  // Create-before-delete, Pulumi's default, cannot work when the new one must have a value the cloud allows
  // once and that value does not change: the engine must delete first.
  // Only values the program sets: an auto-named resource gets a new name, so it never clashes.
  const present = (rules.uniqueName ?? []).filter((f) => getPath(after.inputs, f) !== undefined);
  const clashing = present.filter((f) => !fields.some((c) => c === f || c.startsWith(`${f}.`)));
  warnings.push(
    clashing.length > 0
      ? `replaced by deleting first: the new one keeps ${clashing.join(", ")}, which the cloud allows once (deleteBeforeReplace)${rules.podImpact ? `; ${rules.podImpact.deleteFirst}` : ""}`
      : `replaced by creating the new one first, then deleting the old (Pulumi's default)${rules.podImpact ? `; ${rules.podImpact.createFirst}` : ""}`,
  );
  return { action: "replace", fields, replaceBecause, warnings };
}

/**
 * The rehearsal of going from `before` to `after`: one change per URN in either, sorted by URN.
 * `ignoreChanges` is the new program's (ProgramRun.ignoreChanges): the options of the program being deployed
 * are the ones the engine applies.
 */
export function rehearse(before: readonly RecordedResource[], after: readonly RecordedResource[], ignoreChanges: ReadonlyMap<string, readonly string[]> = new Map()): Change[] {
  const old = new Map(before.map((r) => [r.urn, r]));
  const now = new Map(after.map((r) => [r.urn, r]));
  const changes = new Map<string, Change>();
  for (const urn of [...new Set([...old.keys(), ...now.keys()])].sort()) {
    const a = old.get(urn);
    const b = now.get(urn);
    const type = (b ?? a)?.type ?? "";
    // Throws for a type without semantics: the rehearsal never guesses.
    const rules = semanticsOf(type);
    if (!a && b) changes.set(urn, { urn, type, action: "create", fields: [], replaceBecause: [], warnings: [] });
    else if (a && !b) changes.set(urn, { urn, type, action: "delete", fields: [], replaceBecause: [], warnings: rules.onDelete ? [rules.onDelete] : [] });
    else if (a && b) changes.set(urn, { urn, type, ...decide(a, b, rules, ignoreChanges.get(urn) ?? []) });
  }
  // What the recorded inputs cannot show: a value the cloud computes anew. A launch template's update makes a
  // new version that the node groups using it roll to; a replaced resource gets a new id and ARN, which
  // whatever refers to it is updated with.
  for (const r of after) {
    const change = changes.get(r.urn);
    if (!change || change.action !== "same") continue;
    const moved = r.dependencies
      .map((urn) => ({ dep: now.get(urn), change: changes.get(urn) }))
      .filter(({ dep, change: c }) => dep && c && ((c.action === "update" && semanticsOf(dep.type).updateChangesOutputs) || (c.action === "replace" && referencesIdentity(r, dep))));
    if (moved.length > 0) {
      changes.set(r.urn, {
        ...change,
        action: "update",
        fields: moved.map(({ dep, change: c }) => (c?.action === "update" ? `${semanticsOf(dep?.type ?? "").updateChangesOutputs} of ${dep?.name}` : `reference to the replaced ${dep?.name}`)),
        // What was already said of it (an ignored change) stays said.
        warnings: [
          ...change.warnings,
          ...moved.map(({ dep, change: c }) =>
            c?.action === "update" ? (semanticsOf(r.type).onDependencyUpdate ?? `follows ${dep?.name}'s new ${semanticsOf(dep?.type ?? "").updateChangesOutputs}`) : `${dep?.name} is replaced: this is updated with its new id`,
          ),
        ],
      });
    }
  }
  return [...changes.values()];
}

/** Whether a resource's inputs name another's cloud identity (the id or ARN the cloud gives it). */
function referencesIdentity(r: RecordedResource, dep: RecordedResource): boolean {
  const text = JSON.stringify(r.inputs);
  return text.includes(`"${dep.name}-id"`) || text.includes(`/${dep.name}"`) || text.includes(dep.urn);
}

/** changes.md: for a reviewer, what a `pulumi up` from the earlier state would do. */
export function changesMarkdown(changes: readonly Change[], against: string): string {
  const count = (action: ChangeAction) => changes.filter((c) => c.action === action).length;
  const lines = [
    `# Changes against \`${against}\``,
    "",
    `What \`pulumi up\` would do from the state of the earlier render, resource by resource, by the providers' own update rules (render/rehearsal/semantics.ts, with sources): ${(["create", "update", "replace", "delete", "same"] as const).map((a) => `${count(a)} ${a}`).join(", ")}.`,
    "",
  ];
  // A resource that stays as it is is listed only when there is something to say (an ignored change).
  const notable = changes.filter((c) => c.action !== "same" || c.warnings.length > 0);
  if (notable.length === 0) lines.push("Nothing changes.");
  else {
    lines.push("| action | type | name | fields | forces replacement | notes |", "| --- | --- | --- | --- | --- | --- |");
    for (const c of notable) {
      const name = c.urn.split("::").pop() ?? c.urn;
      lines.push(`| ${c.action} | \`${c.type}\` | ${name} | ${c.fields.map((f) => `\`${f}\``).join(", ")} | ${c.replaceBecause.map((f) => `\`${f}\``).join(", ")} | ${c.warnings.join("; ")} |`);
    }
  }
  return `${lines.join("\n")}\n`;
}
