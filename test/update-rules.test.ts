/**
 * Every update rule the rehearsal relies on, exercised both ways on constructed states: for each input the
 * program sets on each AWS type, a change of that input alone must replace the resource when the provider's
 * schema makes it ForceNew and update it otherwise, and removing it must warn that the cloud keeps its value
 * exactly when it is Optional + Computed. The expectation is a second, independent reading of
 * terraform-provider-aws's schema, field by field, with the file, commit and line of each
 * (test/fixtures/upstream-update-rules.json), not the table the rehearsal reads; the two must agree.
 * Kubernetes kinds are held to pulumi-kubernetes's own table (diff.go), stated below with its source.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { KUBERNETES } from "../components/resource-types";
import type { RecordedResource } from "../render/harness";
import { runProgram } from "../render/harness";
import { type Change, rehearse } from "../render/rehearsal/rehearse";
import upstream from "./fixtures/upstream-update-rules.json";

interface FieldRule {
  readonly forceNew: boolean | null;
  readonly optionalComputed: boolean;
  readonly line: number;
}

/** The concrete paths (list indexes included) of a recorded input that a schema path names. */
function concretePaths(value: unknown, schemaPath: string[], at: string[] = []): string[][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => concretePaths(v, schemaPath, [...at, String(i)]));
  if (schemaPath.length === 0) return [at];
  if (typeof value !== "object" || value === null) return [];
  const record = value as Record<string, unknown>;
  // Map keys may hold dots (tag names): the rest of the path may be one key.
  const whole = schemaPath.join(".");
  if (whole in record) return [[...at, whole]];
  const [head, ...rest] = schemaPath;
  return head in record ? concretePaths(record[head], rest, [...at, head]) : [];
}

function edited(
  inputs: Record<string, unknown>,
  path: readonly string[],
  edit: (old: unknown) => unknown,
): Record<string, unknown> {
  const copy = structuredClone(inputs);
  let node = copy as Record<string, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
  const last = path[path.length - 1];
  const next = edit(node[last]);
  if (next === undefined) {
    if (Array.isArray(node)) (node as unknown[]).splice(Number(last), 1);
    else delete node[last];
  } else node[last] = next;
  return copy;
}

const changed = (old: unknown): unknown =>
  typeof old === "string"
    ? `${old}-changed`
    : typeof old === "number"
      ? old + 1
      : typeof old === "boolean"
        ? !old
        : { changed: true };

/** The cluster-scoped kinds the program declares: a Namespace, and the games' IngressClass and its parameters. */
const CLUSTER_SCOPED: readonly string[] = [
  KUBERNETES.namespace,
  KUBERNETES.ingressClass,
  KUBERNETES.ingressClassParams,
];

describe("update rules: every input the program sets, both ways, against a second reading of the provider's schema", async () => {
  const runs = await Promise.all([runProgram(), runProgram({ config: { domain: "example.com", webAcl: "true" } })]);
  const all = runs.flatMap((run) => run.resources);
  const byType = new Map<string, RecordedResource>();
  for (const r of all) if (!byType.has(r.type)) byType.set(r.type, r);
  const types = upstream.types as Record<string, { fields: Record<string, FieldRule> }>;

  it("the second reading covers every AWS type the program declares", () => {
    const declared = [...byType.keys()].filter((t) => t.startsWith("aws:")).sort();
    assert.deepEqual(Object.keys(types).sort(), declared);
  });

  for (const [type, { fields }] of Object.entries(types)) {
    it(`${type}: each input's change replaces or updates as the schema says, and its removal warns as Optional + Computed says`, () => {
      assert.ok(byType.has(type), `the program declares no ${type}`);
      let exercised = 0;
      for (const [field, rule] of Object.entries(fields)) {
        if (rule.forceNew === null) continue;
        // A resource of the type that sets the field (not every one sets every field).
        const found = all
          .filter((r) => r.type === type)
          .map((r) => ({ resource: r, paths: concretePaths(r.inputs, field.split(".")) }))
          .find((x) => x.paths.length > 0);
        assert.ok(found, `${type}: the program sets no ${field}`);
        const { resource } = found;
        const path = found.paths[0];
        const change: Change = rehearse(
          { resources: [resource] },
          { resources: [{ ...resource, inputs: edited(resource.inputs, path, changed) }] },
        )[0];
        assert.equal(
          change.action,
          rule.forceNew ? "replace" : "update",
          `${type} ${field} (schema line ${rule.line}): a change should ${rule.forceNew ? "replace" : "update"}`,
        );
        const removed: Change = rehearse(
          { resources: [resource] },
          { resources: [{ ...resource, inputs: edited(resource.inputs, path, () => undefined) }] },
        )[0];
        const keeps: boolean = removed.warnings.some((w) => w.includes("Optional + Computed"));
        // Removing a value inside a list element removes the element, not the field: only whole fields count.
        if (!/\.\d+$/.test(path.slice(0, -1).join(".")) && !/^\d+$/.test(path[path.length - 1])) {
          assert.equal(
            keeps,
            rule.optionalComputed,
            `${type} ${field} (schema line ${rule.line}): Optional + Computed is ${rule.optionalComputed}`,
          );
        }
        exercised++;
      }
      assert.ok(exercised > 0);
    });
  }

  it("Kubernetes kinds: name and namespace force a new object, and only the kind's own fields beside them (pulumi-kubernetes @ 94977969 provider/pkg/provider/diff.go L23-251)", () => {
    const extra: Record<string, string[]> = {
      [KUBERNETES.deployment]: ["spec.selector"],
      [KUBERNETES.statefulSet]: [
        "spec.podManagementPolicy",
        "spec.revisionHistoryLimit",
        "spec.selector",
        "spec.serviceName",
        "spec.volumeClaimTemplates",
      ],
      [KUBERNETES.service]: ["spec.clusterIP"],
    };
    const kinds = [...byType.keys()].filter(
      (t) => t.startsWith("kubernetes:") && t !== KUBERNETES.helmRelease && t !== KUBERNETES.configGroup,
    );
    assert.ok(kinds.length >= 10);
    for (const type of kinds) {
      const resource = byType.get(type) as RecordedResource;
      const decide = (path: string[], edit: (old: unknown) => unknown) =>
        rehearse(
          { resources: [resource] },
          { resources: [{ ...resource, inputs: edited(resource.inputs, path, edit) }] },
        )[0].action;
      assert.equal(decide(["metadata", "name"], changed), "replace", `${type}: a new name`);
      // Cluster-scoped kinds: the provider clears the namespace on both sides (provider.go L1511-1519).
      if (!CLUSTER_SCOPED.includes(type))
        assert.equal(decide(["metadata", "namespace"], changed), "replace", `${type}: another namespace`);
      assert.equal(
        decide(["metadata"], (m) => ({ ...(m as object), labels: { added: "1" } })),
        "update",
        `${type}: a label`,
      );
      for (const field of extra[type] ?? []) {
        const paths = concretePaths(resource.inputs, field.split("."));
        if (paths.length > 0) assert.equal(decide(paths[0], changed), "replace", `${type}: ${field}`);
      }
      // A spec field outside the kind's table is a patch.
      const spec = resource.inputs.spec as Record<string, unknown> | undefined;
      const free = Object.keys(spec ?? {}).find(
        (k) =>
          !(extra[type] ?? []).some((f) => f === `spec.${k}` || f.startsWith(`spec.${k}.`)) &&
          !["clusterIP"].includes(k),
      );
      if (free) assert.equal(decide(["spec", free], changed), "update", `${type}: spec.${free}`);
    }
  });
});
