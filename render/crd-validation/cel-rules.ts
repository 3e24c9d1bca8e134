/**
 * Every `x-kubernetes-validations` rule of a schema, evaluated as the API server evaluates it on a create: at the
 * node that declares it, with `self` that node's value (each element for a rule on `items`, each value for one
 * on `additionalProperties`), only where the value is present and not null. A rule that reads `oldSelf` is a
 * transition rule, evaluated only on an update against the stored object: skipped here, and counted. A failed
 * rule answers with its `messageExpression` when that yields a one-line string, else its `message`, else
 * `failed rule: <rule>`, at the node's path plus the rule's `fieldPath`; a rule that cannot be evaluated answers
 * `<error> evaluating rule: <message or rule>`. As in
 * https://github.com/kubernetes/kubernetes/blob/00c30b354df7afc15258ecdbdd629555d200de5a/staging/src/k8s.io/apiextensions-apiserver/pkg/apiserver/schema/cel/validation.go
 * (validateExpressions, ruleMessageOrDefault, ruleErrorString). Each rule is compiled once per process.
 */
import type { ASTNode, ParseResult } from "@marcbachmann/cel-js";
import { celEnvironment } from "./cel-library";
import {
  childSegment,
  type FieldError,
  isJsonObject,
  type PathSegment,
  type StructuralSchema,
  type ValidationRule,
  valueSchema,
} from "./schema";

interface CompiledRule {
  readonly rule: ValidationRule;
  readonly program: ParseResult;
  readonly messageProgram?: ParseResult;
  /** Reads `oldSelf`: a transition rule. */
  readonly transition: boolean;
}

/** What evaluating a schema's rules on one object found. */
export interface RuleOutcome {
  readonly errors: FieldError[];
  /** Rule evaluations made: one per rule per node it applies to. */
  evaluated: number;
  /** Transition rule evaluations passed over (no stored object to compare with on a create). */
  skipped: number;
}

const compiledRules = new Map<string, CompiledRule>();

/** Whether the expression names the variable `oldSelf` anywhere. */
function readsOldSelf(node: unknown): boolean {
  if (Array.isArray(node)) return node.some(readsOldSelf);
  if (typeof node !== "object" || node === null || !("op" in node)) return false;
  const ast = node as ASTNode;
  return ast.op === "id" ? ast.args === "oldSelf" : readsOldSelf(ast.args);
}

function compiledProgram(expression: string, what: string): ParseResult {
  const program = celEnvironment().parse(expression);
  const checked = program.check();
  if (!checked.valid) {
    throw new Error(`${what} \`${expression}\` does not compile: ${checked.error?.message.split("\n")[0] ?? "?"}`);
  }
  return program;
}

/** Compiles a rule (and its messageExpression) once; a rule this check cannot compile is an error, not a pass. */
export function compileRule(rule: ValidationRule): CompiledRule {
  const key = JSON.stringify(rule);
  let compiled = compiledRules.get(key);
  if (!compiled) {
    if (rule.optionalOldSelf) {
      // The API server evaluates these on a create too, with oldSelf an empty optional: not modelled here.
      throw new Error(
        `x-kubernetes-validations rule \`${rule.rule}\` sets optionalOldSelf, which this check does not model`,
      );
    }
    const program = compiledProgram(rule.rule, "x-kubernetes-validations rule");
    compiled = {
      rule,
      program,
      messageProgram: rule.messageExpression
        ? compiledProgram(rule.messageExpression, "x-kubernetes-validations messageExpression")
        : undefined,
      transition: readsOldSelf(program.ast),
    };
    compiledRules.set(key, compiled);
  }
  return compiled;
}

/** Compiles every rule of a schema, at every level (what evaluateRules would compile as it goes). */
export function compileRules(schema: StructuralSchema | undefined): void {
  if (!schema) return;
  for (const s of [schema, ...(schema.allOf ?? [])])
    for (const rule of s["x-kubernetes-validations"] ?? []) compileRule(rule);
  compileRules(schema.items);
  for (const property of Object.values(schema.properties ?? {})) compileRules(property);
  compileRules(valueSchema(schema));
}

/** Whether a (CEL-typed) value is of the schema's type: where it is not, the schema check says so and no rule runs. */
function ofSchemaType(value: unknown, schema: StructuralSchema): boolean {
  if (schema["x-kubernetes-int-or-string"]) return typeof value === "bigint" || typeof value === "string";
  switch (schema.type) {
    case "object":
      return isJsonObject(value);
    case "array":
      return Array.isArray(value);
    case "string":
      return typeof value === "string" || value instanceof Date;
    case "integer":
      return typeof value === "bigint";
    case "number":
      return typeof value === "number" || typeof value === "bigint";
    case "boolean":
      return typeof value === "boolean";
    default:
      return true;
  }
}

const firstLine = (error: unknown) => (error instanceof Error ? error.message : String(error)).split("\n")[0];

/** The API server's ruleErrorString: the message when there is one, else the rule. */
const ruleText = (rule: ValidationRule) => (rule.message ? rule.message.trim() : rule.rule.trim());

/** The failure message: messageExpression's one-line string, else message, else `failed rule: <rule>`. */
function failureMessage(compiled: CompiledRule, self: unknown): string {
  if (compiled.messageProgram) {
    try {
      const message: unknown = compiled.messageProgram({ self });
      if (typeof message === "string" && message.trim() !== "" && !message.includes("\n")) return message.trim();
    } catch {
      // A messageExpression that fails falls back to the message, as the API server does.
    }
  }
  return compiled.rule.message ? compiled.rule.message.trim() : `failed rule: ${compiled.rule.rule.trim()}`;
}

/** A rule's `fieldPath` (`.spec.x`, `['a.b']`) as path segments under the node that declares it. */
function ruleFieldPath(fieldPath: string, schema: StructuralSchema): PathSegment[] {
  const segments: PathSegment[] = [];
  let node: StructuralSchema | undefined = schema;
  for (const match of fieldPath.matchAll(/\.([^.[\]]+)|\['((?:[^'\\]|\\.)*)'\]/g)) {
    const name = match[1] ?? match[2].replace(/\\(.)/g, "$1");
    const segment = childSegment(node, name);
    segments.push(segment);
    node = "field" in segment ? node?.properties?.[name] : node && valueSchema(node);
  }
  return segments;
}

/** Evaluates every rule of the schema, at every node of the (CEL-typed) value it applies to. */
export function evaluateRules(value: unknown, schema: StructuralSchema): RuleOutcome {
  const outcome: RuleOutcome = { errors: [], evaluated: 0, skipped: 0 };
  walk(value, schema, [], outcome);
  return outcome;
}

function walk(value: unknown, schema: StructuralSchema | undefined, path: PathSegment[], outcome: RuleOutcome): void {
  if (value === null || value === undefined || !schema || !ofSchemaType(value, schema)) return;
  const rules = [schema, ...(schema.allOf ?? [])].flatMap((s) => s["x-kubernetes-validations"] ?? []);
  for (const rule of rules) {
    const compiled = compileRule(rule);
    if (compiled.transition) {
      outcome.skipped++;
      continue;
    }
    outcome.evaluated++;
    let result: unknown;
    try {
      result = compiled.program({ self: value });
    } catch (error) {
      outcome.errors.push({ path, message: `${firstLine(error)} evaluating rule: ${ruleText(rule)}` });
      continue;
    }
    if (result === true) continue;
    const where = rule.fieldPath ? [...path, ...ruleFieldPath(rule.fieldPath, schema)] : path;
    outcome.errors.push({ path: where, message: failureMessage(compiled, value) });
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => walk(item, schema.items, [...path, { index: i }], outcome));
  } else if (isJsonObject(value)) {
    const values = valueSchema(schema);
    for (const [k, v] of Object.entries(value)) {
      if (schema.properties?.[k]) walk(v, schema.properties[k], [...path, { field: k }], outcome);
      else if (values) walk(v, values, [...path, { key: k }], outcome);
    }
  }
}
