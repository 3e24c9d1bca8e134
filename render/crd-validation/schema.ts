/**
 * A CRD version's openAPIV3Schema as the API server reads it: a structural schema, typed for the parts the
 * checks walk (the rest, enum, pattern, lengths..., is ajv's to read). Field paths are written as the API
 * server writes them in its errors (k8s.io/apimachinery field.Path: `spec.requirements[0].key`, map keys in
 * brackets too).
 */

/** One `x-kubernetes-validations` entry (apiextensions.k8s.io/v1 ValidationRule). */
export interface ValidationRule {
  readonly rule: string;
  readonly message?: string;
  readonly messageExpression?: string;
  readonly reason?: string;
  readonly fieldPath?: string;
  readonly optionalOldSelf?: boolean;
}

/** The structural parts of a schema node. */
export interface StructuralSchema {
  readonly type?: string;
  readonly format?: string;
  readonly nullable?: boolean;
  readonly default?: unknown;
  readonly properties?: Readonly<Record<string, StructuralSchema>>;
  readonly items?: StructuralSchema;
  readonly additionalProperties?: StructuralSchema | boolean;
  /** Value validations only: a structural schema may not declare fields in them, but may declare rules. */
  readonly allOf?: readonly StructuralSchema[];
  readonly "x-kubernetes-preserve-unknown-fields"?: boolean;
  readonly "x-kubernetes-embedded-resource"?: boolean;
  readonly "x-kubernetes-int-or-string"?: boolean;
  readonly "x-kubernetes-list-type"?: "atomic" | "set" | "map";
  readonly "x-kubernetes-list-map-keys"?: readonly string[];
  readonly "x-kubernetes-validations"?: readonly ValidationRule[];
}

/** The schema of a map's values (`additionalProperties` as a schema), if the node is a map. */
export function valueSchema(schema: StructuralSchema): StructuralSchema | undefined {
  return typeof schema.additionalProperties === "object" ? schema.additionalProperties : undefined;
}

/** A JSON object (not an array, not null). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** One error the API server would answer with: where, and what it says. */
export interface FieldError {
  readonly path: readonly PathSegment[];
  readonly message: string;
}

/** One step of a field path: a field of an object, an element of a list, or a key of a map. */
export type PathSegment = { readonly field: string } | { readonly index: number } | { readonly key: string };

/** The step to `name` under an object of this schema: a field when declared, else a map key. */
export function childSegment(schema: StructuralSchema | undefined, name: string): PathSegment {
  if (schema?.properties?.[name] !== undefined) return { field: name };
  return schema && valueSchema(schema) ? { key: name } : { field: name };
}

/** The schema under `schema` one step down, if it declares one. */
export function childSchema(schema: StructuralSchema | undefined, segment: PathSegment): StructuralSchema | undefined {
  if (!schema) return undefined;
  if ("index" in segment) return schema.items;
  if ("field" in segment) return schema.properties?.[segment.field];
  return valueSchema(schema);
}

/** A path as the API server prints it: `spec.template.spec.requirements[0].key`, `spec.tags[Name]`. */
export function fieldPathText(path: readonly PathSegment[]): string {
  let text = "";
  for (const segment of path) {
    if ("field" in segment) text += text === "" ? segment.field : `.${segment.field}`;
    else if ("index" in segment) text += `[${segment.index}]`;
    else text += `[${segment.key}]`;
  }
  return text === "" ? "<root>" : text;
}
