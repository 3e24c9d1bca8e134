/**
 * What the API server drops from a custom resource before it validates it: fields its schema does not declare
 * (pruning), and nulls in fields that are neither nullable nor defaulted. Both work on a copy: the object the
 * run recorded is left as it is.
 *
 * Mirrors apiextensions-apiserver's pruning (a root or an `x-kubernetes-embedded-resource` keeps apiVersion,
 * kind and metadata; `x-kubernetes-preserve-unknown-fields` keeps what is undeclared below it), e.g.
 * https://github.com/kubernetes/kubernetes/blob/10dfa86b6c7b04a6f7bad51e4241863768eb2182/staging/src/k8s.io/apiextensions-apiserver/pkg/apiserver/schema/pruning/algorithm.go
 */
import { isJsonObject, type PathSegment, type StructuralSchema, valueSchema } from "./schema";

const META_FIELDS = new Set(["apiVersion", "kind", "metadata"]);

/** The object as the API server keeps it, and the path of every field it would drop (the topmost of each). */
export function pruneUnknownFields(
  object: unknown,
  schema: StructuralSchema,
): { readonly value: unknown; readonly pruned: readonly PathSegment[][] } {
  const pruned: PathSegment[][] = [];
  // The root is an embedded resource: its type and object metadata are never pruned by its schema.
  const value = prune(object, { ...schema, "x-kubernetes-embedded-resource": true }, [], pruned);
  return { value, pruned };
}

function prune(x: unknown, s: StructuralSchema | undefined, path: PathSegment[], pruned: PathSegment[][]): unknown {
  if (s?.["x-kubernetes-preserve-unknown-fields"]) return keepUnknown(x, s, path, pruned);
  if (Array.isArray(x)) return x.map((v, i) => prune(v, s?.items, [...path, { index: i }], pruned));
  if (!isJsonObject(x)) return x;
  const kept: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(x)) {
    if (s?.["x-kubernetes-embedded-resource"] && META_FIELDS.has(k)) kept[k] = v;
    else if (s?.properties?.[k]) kept[k] = prune(v, s.properties[k], [...path, { field: k }], pruned);
    else if (s && valueSchema(s)) kept[k] = prune(v, valueSchema(s), [...path, { key: k }], pruned);
    else pruned.push([...path, { field: k }]);
  }
  return kept;
}

/** Below `x-kubernetes-preserve-unknown-fields`: undeclared fields stay, declared ones are pruned by their schema. */
function keepUnknown(x: unknown, s: StructuralSchema, path: PathSegment[], pruned: PathSegment[][]): unknown {
  if (Array.isArray(x)) {
    return x.map((v, i) => (s.items ? keepUnknown(v, s.items, [...path, { index: i }], pruned) : v));
  }
  if (!isJsonObject(x)) return x;
  const kept: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(x)) {
    if (s["x-kubernetes-embedded-resource"] && META_FIELDS.has(k)) kept[k] = v;
    else if (s.properties?.[k]) kept[k] = prune(v, s.properties[k], [...path, { field: k }], pruned);
    else if (valueSchema(s)) kept[k] = prune(v, valueSchema(s), [...path, { key: k }], pruned);
    else kept[k] = v;
  }
  return kept;
}

/**
 * Drops a null from every declared field that is neither nullable nor defaulted (the API server's
 * PruneNonNullableNullsWithoutDefaults, before defaulting): such a null means "not set".
 */
export function pruneNonNullableNulls(x: unknown, s: StructuralSchema | undefined): unknown {
  if (!s) return x;
  if (Array.isArray(x)) return x.map((v) => pruneNonNullableNulls(v, s.items));
  if (!isJsonObject(x)) return x;
  const kept: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(x)) {
    const property = s.properties?.[k];
    if (property) {
      if (v === null && !property.nullable && property.default === undefined) continue;
      kept[k] = pruneNonNullableNulls(v, property);
    } else kept[k] = pruneNonNullableNulls(v, valueSchema(s));
  }
  return kept;
}
