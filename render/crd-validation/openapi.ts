/**
 * A CRD version's openAPIV3Schema checked as the API server checks it (types, enums, patterns, lengths,
 * bounds, required fields, formats), with ajv: each schema compiled once per process. Errors are worded after
 * the API server's (`Required value`, `Unsupported value: "x": supported values: ...`, `should match '<pattern>'`),
 * so the CRD's own constraint is in the line.
 *
 * Kubernetes' own notes: `x-kubernetes-int-or-string` comes with `anyOf: [integer, string]`, reported as one
 * error; `nullable` is ajv's OpenAPI keyword; formats apply to strings only, and only those the pinned CRDs use
 * are known (date-time checked as kube-openapi's strfmt does; int32 and int64 name number widths, not string
 * forms): a schema with another format is refused when compiled, so a chart bump that brings one is seen.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import {
  childSchema,
  childSegment,
  type FieldError,
  isJsonObject,
  type PathSegment,
  type StructuralSchema,
} from "./schema";

/** A calendar date as Go's time.Parse("2006-01-02") takes it. */
function isDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const [year, month, day] = match.slice(1).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * `date-time` as the API server checks it, kube-openapi's strfmt.IsDateTime
 * (https://github.com/kubernetes/kube-openapi/blob/d427ff9ee9ad05f5da435abbb7c5929cb713ac56/pkg/validation/strfmt/time.go#L30-L46),
 * its pattern included.
 */
export function isDateTime(text: string): boolean {
  if (text.length < 4) return false;
  const parts = text.toLowerCase().split("t");
  if (parts.length < 2 || !isDate(parts[0])) return false;
  const match = /^([0-9]{2}):([0-9]{2}):([0-9]{2})(.[0-9]+)?(z|([+-][0-9]{2}:[0-9]{2}))$/.exec(parts[1]);
  return match !== null && match[1] <= "23" && match[2] <= "59" && match[3] <= "59";
}

const FORMATS = {
  "date-time": { type: "string", validate: isDateTime },
  int32: true,
  int64: true,
} as const;

const ajv = new Ajv({ allErrors: true, strict: false, formats: FORMATS });

/** Compiled validators by schema text: the same CRD recurs in every run, each run with its own copy of it. */
const compiled = new Map<string, ValidateFunction>();
/** And by schema object, so the objects of one run do not write out their schema again. */
const compiledObjects = new WeakMap<StructuralSchema, ValidateFunction>();

/** The schema's validator, compiled on first use. */
export function validatorFor(schema: StructuralSchema): ValidateFunction {
  const known = compiledObjects.get(schema);
  if (known) return known;
  const text = JSON.stringify(schema);
  let validate = compiled.get(text);
  if (!validate) {
    const unknown = formatsIn(schema).filter((f) => !(f in FORMATS));
    if (unknown.length > 0)
      throw new Error(`the CRD schema uses formats this check does not know: ${[...new Set(unknown)].join(", ")}`);
    validate = ajv.compile(schema);
    compiled.set(text, validate);
  }
  compiledObjects.set(schema, validate);
  return validate;
}

function formatsIn(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(formatsIn);
  if (!isJsonObject(node)) return [];
  return Object.entries(node).flatMap(([k, v]) =>
    k === "format" && typeof v === "string" ? [v] : k === "default" || k === "enum" ? [] : formatsIn(v),
  );
}

/** Every schema error of the object (already pruned and defaulted), one per failed constraint. */
export function schemaErrors(object: unknown, schema: StructuralSchema): FieldError[] {
  const validate = validatorFor(schema);
  if (validate(object)) return [];
  const errors = validate.errors ?? [];
  // The branches of an anyOf/oneOf that failed are its detail: the anyOf's own error says it.
  return errors.filter((e) => !/\/(anyOf|oneOf)\/\d+\//.test(e.schemaPath)).map((e) => schemaError(e, object, schema));
}

function schemaError(error: ErrorObject, object: unknown, root: StructuralSchema): FieldError {
  const path: PathSegment[] = [];
  let schema: StructuralSchema | undefined = root;
  let value: unknown = object;
  for (const raw of error.instancePath.split("/").slice(1)) {
    const name = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    const segment: PathSegment = Array.isArray(value) ? { index: Number(name) } : childSegment(schema, name);
    path.push(segment);
    schema = childSchema(schema, segment);
    value = Array.isArray(value) ? value[Number(name)] : isJsonObject(value) ? value[name] : undefined;
  }
  const params = error.params as Record<string, unknown>;
  if (error.keyword === "required") {
    return { path: [...path, { field: String(params.missingProperty) }], message: "Required value" };
  }
  return { path, message: messageFor(error, params, value, schema) };
}

/** The value as the API server quotes it: scalars as JSON, objects and lists by their type. */
function quoted(value: unknown): string {
  if (Array.isArray(value)) return `"array"`;
  if (isJsonObject(value)) return `"object"`;
  return JSON.stringify(value);
}

function jsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

const COMPARISONS: Readonly<Record<string, string>> = {
  ">=": "greater than or equal to",
  ">": "greater than",
  "<=": "less than or equal to",
  "<": "less than",
};

function messageFor(
  error: ErrorObject,
  params: Record<string, unknown>,
  value: unknown,
  schema: StructuralSchema | undefined,
): string {
  const invalid = `Invalid value: ${quoted(value)}`;
  switch (error.keyword) {
    case "type":
      return `Invalid value: "${jsonType(value)}": must be of type ${String(params.type)}`;
    case "enum":
      return `Unsupported value: ${quoted(value)}: supported values: ${((params.allowedValues as unknown[]) ?? []).map((v) => JSON.stringify(v)).join(", ")}`;
    case "pattern":
      return `${invalid}: should match '${String(params.pattern)}'`;
    case "format":
      return `${invalid}: must be of type ${String(params.format)}`;
    case "minLength":
      return `${invalid}: should be at least ${String(params.limit)} chars long`;
    case "maxLength":
      return `Too long: may not be more than ${String(params.limit)} chars`;
    case "minimum":
    case "exclusiveMinimum":
    case "maximum":
    case "exclusiveMaximum":
      return `${invalid}: should be ${COMPARISONS[String(params.comparison)] ?? String(params.comparison)} ${String(params.limit)}`;
    case "minItems":
      return `Invalid value: ${Array.isArray(value) ? value.length : "?"}: should have at least ${String(params.limit)} items`;
    case "maxItems":
      return `Too many: ${Array.isArray(value) ? value.length : "?"}: must have at most ${String(params.limit)} items`;
    case "minProperties":
      return `${invalid}: should have at least ${String(params.limit)} properties`;
    case "maxProperties":
      return `Too many: must have at most ${String(params.limit)} properties`;
    case "uniqueItems":
      return `Duplicate value: ${quoted(Array.isArray(value) ? value[Number(params.i)] : value)}`;
    case "anyOf":
      return schema?.["x-kubernetes-int-or-string"]
        ? `Invalid value: "${jsonType(value)}": must be an integer or a string`
        : `${invalid}: must match at least one of the schemas in anyOf`;
    default:
      return `${invalid}: ${error.message ?? error.keyword}`;
  }
}
