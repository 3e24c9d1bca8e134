/**
 * The API server's defaulting of a custom resource, before it validates it (so the CEL rules see the defaults):
 * a declared field that is missing, or null where it may not be, takes a copy of its schema's `default`, and
 * the walk goes on into it, so a default's own fields get theirs too. Map values and list items that are null
 * where they may not be take theirs as well. Returns a new value.
 *
 * Mirrors https://github.com/kubernetes/kubernetes/blob/94341df30b4aef29676b997d0e2320534d05bfab/staging/src/k8s.io/apiextensions-apiserver/pkg/apiserver/schema/defaulting/algorithm.go
 */
import { isJsonObject, type StructuralSchema, valueSchema } from "./schema";

/** A null where the schema allows none, and has a default to put in its place. */
const defaultedNull = (x: unknown, s: StructuralSchema | undefined): boolean =>
  x === null && s !== undefined && s.nullable !== true && s.default !== undefined;

export function applyDefaults(x: unknown, s: StructuralSchema | undefined): unknown {
  if (!s) return x;
  if (Array.isArray(x)) {
    return x.map((item) =>
      applyDefaults(defaultedNull(item, s.items) ? structuredClone(s.items?.default) : item, s.items),
    );
  }
  if (!isJsonObject(x)) return x;
  const out: Record<string, unknown> = { ...x };
  for (const [k, property] of Object.entries(s.properties ?? {})) {
    if (property.default === undefined) continue;
    if (!(k in out) || defaultedNull(out[k], property)) out[k] = structuredClone(property.default);
  }
  const values = valueSchema(s);
  for (const k of Object.keys(out)) {
    const property = s.properties?.[k];
    if (property) out[k] = applyDefaults(out[k], property);
    else if (values) {
      if (defaultedNull(out[k], values)) out[k] = structuredClone(values.default);
      out[k] = applyDefaults(out[k], values);
    }
  }
  return out;
}
