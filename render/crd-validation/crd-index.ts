/**
 * The CustomResourceDefinitions a run applies, indexed by group, kind and version: which schema the API server
 * validates an object of `apiVersion`/`kind` against, or why it has none (no such kind, a version not served).
 */
import type { KubeObject } from "../kube";
import type { StructuralSchema } from "./schema";

/** One version of a CRD: the schema objects of that apiVersion are validated against. */
export interface CrdVersion {
  /** The CRD's name, `<plural>.<group>`. */
  readonly crd: string;
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly scope: "Namespaced" | "Cluster";
  readonly served: boolean;
  /**
   * With a status subresource the API server resets `status` on a create of the resource (its strategy's
   * PrepareForCreate): the object is checked without it, against the schema without it.
   */
  readonly statusSubresource: boolean;
  /** The schema a create is checked against (without `status` when there is a status subresource). */
  readonly schema: StructuralSchema;
}

/** The CRDs' versions by `<group>/<Kind>`, then by version. */
export type CrdIndex = ReadonlyMap<string, ReadonlyMap<string, CrdVersion>>;

interface CrdSpec {
  group?: string;
  scope?: string;
  names?: { kind?: string };
  versions?: Array<{
    name?: string;
    served?: boolean;
    schema?: { openAPIV3Schema?: StructuralSchema };
    subresources?: { status?: unknown };
  }>;
}

/** The schema without its `status` property. */
function withoutStatus(schema: StructuralSchema): StructuralSchema {
  if (!schema.properties?.status) return schema;
  const { status: _status, ...properties } = schema.properties;
  return { ...schema, properties };
}

/** Indexes CRD objects (apiextensions.k8s.io/v1); other objects are passed over. A kind defined twice is an error. */
export function indexCrds(objects: readonly KubeObject[]): CrdIndex {
  const index = new Map<string, Map<string, CrdVersion>>();
  for (const object of objects) {
    if (object.kind !== "CustomResourceDefinition") continue;
    const name = String((object.metadata as { name?: unknown } | undefined)?.name ?? "");
    const spec = (object.spec ?? {}) as CrdSpec;
    if (!spec.group || !spec.names?.kind) throw new Error(`CustomResourceDefinition ${name} has no group or kind`);
    const key = `${spec.group}/${spec.names.kind}`;
    if (index.has(key)) throw new Error(`two CustomResourceDefinitions define ${key}`);
    const versions = new Map<string, CrdVersion>();
    for (const v of spec.versions ?? []) {
      if (!v.name) continue;
      // apiextensions.k8s.io/v1 requires a schema for every version; one without accepts any object.
      const schema = v.schema?.openAPIV3Schema ?? { type: "object", "x-kubernetes-preserve-unknown-fields": true };
      const statusSubresource = v.subresources?.status !== undefined;
      versions.set(v.name, {
        crd: name,
        group: spec.group,
        version: v.name,
        kind: spec.names.kind,
        scope: spec.scope === "Cluster" ? "Cluster" : "Namespaced",
        served: v.served === true,
        statusSubresource,
        schema: statusSubresource ? withoutStatus(schema) : schema,
      });
    }
    index.set(key, versions);
  }
  return index;
}

/** `group` and `version` of an apiVersion (`karpenter.sh/v1`; the core group is `""`). */
export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.lastIndexOf("/");
  return slash < 0
    ? { group: "", version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/**
 * The served version an object of this apiVersion and kind is validated against; `refused` when the API
 * server would answer that it serves no such kind or version; undefined when no indexed CRD has the group
 * (a built-in kind, or a custom one of a CRD the program does not apply: not this check's to judge).
 */
export function servedVersion(
  index: CrdIndex,
  apiVersion: string,
  kind: string,
): { readonly version: CrdVersion } | { readonly refused: string } | undefined {
  const { group, version } = splitApiVersion(apiVersion);
  const versions = index.get(`${group}/${kind}`);
  if (!versions) {
    const groupKnown = [...index.keys()].some((key) => key.startsWith(`${group}/`));
    return groupKnown ? { refused: `no CustomResourceDefinition applied defines kind ${kind} in ${group}` } : undefined;
  }
  const found = versions.get(version);
  const served = [...versions.values()].filter((v) => v.served).map((v) => v.version);
  if (!found?.served)
    return {
      refused: `${found?.crd ?? `the ${kind} CustomResourceDefinition`} does not serve ${apiVersion} (served: ${served.join(", ") || "none"})`,
    };
  return { version: found };
}
