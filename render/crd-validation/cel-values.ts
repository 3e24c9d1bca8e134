/**
 * An object's JSON as CEL values, typed by its schema as the API server types them (UnstructuredToVal): an
 * `integer` is a CEL int (a bigint here), a `number` a double, `x-kubernetes-int-or-string` either, a string of
 * format `date-time` a timestamp; where no schema types a value (preserved unknown fields), a whole number is an
 * int, as Kubernetes decodes JSON (the API server hides such values from rules; here a rule may read them).
 * Everything else is as in JSON.
 * https://github.com/kubernetes/kubernetes/blob/7eb7c8b4fadc40f987de668c37abc99c1d58b557/staging/src/k8s.io/apiserver/pkg/cel/common/values.go
 */
import { isDateTime } from "./openapi";
import { isJsonObject, type StructuralSchema, valueSchema } from "./schema";

export function celValue(value: unknown, schema: StructuralSchema | undefined): unknown {
  if (Array.isArray(value)) return value.map((item) => celValue(item, schema?.items));
  if (isJsonObject(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        celValue(v, schema?.properties?.[k] ?? (schema && valueSchema(schema))),
      ]),
    );
  }
  if (typeof value === "number") {
    const double = schema?.type === "number" && !schema["x-kubernetes-int-or-string"];
    return Number.isInteger(value) && !double ? BigInt(value) : value;
  }
  if (typeof value === "string" && schema?.format === "date-time" && isDateTime(value))
    return new Date(value.toUpperCase());
  return value;
}
