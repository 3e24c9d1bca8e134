/**
 * The uniqueness `x-kubernetes-list-type` promises, which the API server checks apart from the schema: a `set`
 * holds no element twice, a `map` no two elements with the same `x-kubernetes-list-map-keys`. One error per
 * repeated value, at its second appearance, as
 * https://github.com/kubernetes/kubernetes/blob/95f08499d652a6211121d8af35f470609217c730/staging/src/k8s.io/apiextensions-apiserver/pkg/apiserver/schema/listtype/validation.go
 * reports it (`Duplicate value: ...`).
 */
import { type FieldError, isJsonObject, type PathSegment, type StructuralSchema, valueSchema } from "./schema";

/** JSON with object keys sorted, as Go's encoding/json writes a map: equal values, equal text. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (isJsonObject(value))
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`)
      .join(",")}}`;
  return JSON.stringify(value) ?? "undefined";
}

/** Indexes of the second appearance of each value that appears more than once. */
function repeated(values: readonly unknown[]): number[] {
  const seen = new Map<string, number>();
  const indexes: number[] = [];
  values.forEach((value, i) => {
    const text = canonical(value);
    const times = seen.get(text) ?? 0;
    if (times === 1) indexes.push(i);
    seen.set(text, times + 1);
  });
  return indexes;
}

export function listTypeErrors(
  value: unknown,
  schema: StructuralSchema | undefined,
  path: PathSegment[] = [],
): FieldError[] {
  if (!schema) return [];
  if (Array.isArray(value)) {
    const errors: FieldError[] = [];
    const type = schema["x-kubernetes-list-type"];
    if (type === "set") {
      for (const i of repeated(value))
        errors.push({ path: [...path, { index: i }], message: `Duplicate value: ${canonical(value[i])}` });
    } else if (type === "map" && value.every((x) => x === null || isJsonObject(x))) {
      const keyFields = schema["x-kubernetes-list-map-keys"] ?? [];
      const keys = value.map((x) =>
        Object.fromEntries(
          keyFields.filter((k) => isJsonObject(x) && k in x).map((k) => [k, (x as Record<string, unknown>)[k]]),
        ),
      );
      for (const i of repeated(keys))
        errors.push({ path: [...path, { index: i }], message: `Duplicate value: ${canonical(keys[i])}` });
    }
    value.forEach((item, i) => errors.push(...listTypeErrors(item, schema.items, [...path, { index: i }])));
    return errors;
  }
  if (!isJsonObject(value)) return [];
  return Object.entries(value).flatMap(([k, v]) =>
    schema.properties?.[k]
      ? listTypeErrors(v, schema.properties[k], [...path, { field: k }])
      : listTypeErrors(v, valueSchema(schema), [...path, { key: k }]),
  );
}
