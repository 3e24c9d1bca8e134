/**
 * A small evaluator of IAM policy documents, for tests that ask "may this principal do this action on this
 * resource?" rather than compare a document with the product's own copy. It follows IAM's evaluation logic
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html): an explicit Deny
 * wins, else an Allow that matches, else denied. Action and Resource match with `*` and `?` wildcards, action
 * names case-insensitively; Principal, when the request names one, must list it (or `*`). Conditions follow the
 * condition operators reference (reference_policies_elements_condition_operators.html): the string, ARN, Bool
 * and Null operators, their `IfExists` forms, and the `ForAllValues:` / `ForAnyValue:` set qualifiers. An
 * operator it does not model is an error, never a silent no-match: a Deny it skipped would read as an Allow.
 */
import type { PolicyDocument } from "../components/iam/policy-document";

export interface IamRequest {
  readonly action: string;
  readonly resource: string;
  /** For resource policies (a KMS key policy, a trust policy): who asks. */
  readonly principal?: { readonly AWS?: string; readonly Service?: string };
  /** Condition keys and their values; a multivalued key (for ForAllValues / ForAnyValue) as a list. */
  readonly context?: Readonly<Record<string, string | readonly string[]>>;
}

function globMatches(pattern: string, value: string, ignoreCase: boolean): boolean {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${escaped}$`, ignoreCase ? "i" : "").test(value);
}

const list = (value: string | readonly string[] | undefined): readonly string[] =>
  value === undefined ? [] : typeof value === "string" ? [value] : value;

/** A statement as IAM reads it, with the negated forms our own type leaves out. */
interface StatementShape {
  readonly Effect: "Allow" | "Deny";
  readonly Action?: string | readonly string[];
  readonly NotAction?: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly NotResource?: string | readonly string[];
  readonly Principal?: "*" | Readonly<Record<string, string | readonly string[]>>;
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

function statementMatches(statement: StatementShape, request: IamRequest): boolean {
  const actionOk =
    statement.NotAction !== undefined
      ? !list(statement.NotAction).some((p) => globMatches(p, request.action, true))
      : list(statement.Action).some((p) => globMatches(p, request.action, true));
  if (!actionOk) return false;
  const resources = statement.NotResource !== undefined ? list(statement.NotResource) : list(statement.Resource);
  const resourceOk =
    statement.NotResource !== undefined
      ? !resources.some((p) => globMatches(p, request.resource, false))
      : // Resource policies (key and trust policies) may leave Resource out: it is the resource itself.
        statement.Resource === undefined || resources.some((p) => globMatches(p, request.resource, false));
  if (!resourceOk) return false;
  if (request.principal !== undefined && statement.Principal !== undefined) {
    const principal = statement.Principal;
    const named =
      principal === "*" ||
      Object.entries(request.principal).some(
        ([kind, who]) => typeof who === "string" && list(principal[kind]).some((p) => p === "*" || p === who),
      );
    if (!named) return false;
  }
  for (const [operator, conditions] of Object.entries(statement.Condition ?? {})) {
    for (const [key, expected] of Object.entries(conditions)) {
      if (!conditionHolds(operator, list(expected), request.context?.[key])) return false;
    }
  }
  return true;
}

/** The operators modelled, each as a test of one request value against the condition's values. */
const OPERATORS: Readonly<Record<string, (expected: readonly string[], actual: string) => boolean>> = {
  StringEquals: (e, a) => e.includes(a),
  StringNotEquals: (e, a) => !e.includes(a),
  StringEqualsIgnoreCase: (e, a) => e.some((x) => x.toLowerCase() === a.toLowerCase()),
  StringLike: (e, a) => e.some((x) => globMatches(x, a, false)),
  StringNotLike: (e, a) => !e.some((x) => globMatches(x, a, false)),
  ArnEquals: (e, a) => e.includes(a),
  ArnLike: (e, a) => e.some((x) => globMatches(x, a, false)),
  ArnNotEquals: (e, a) => !e.includes(a),
  ArnNotLike: (e, a) => !e.some((x) => globMatches(x, a, false)),
  Bool: (e, a) => e.includes(a),
};

/** Whether one condition (operator, key's expected values) holds for the request's value of that key. */
export function conditionHolds(
  operator: string,
  expected: readonly string[],
  actual: string | readonly string[] | undefined,
): boolean {
  if (operator === "Null") {
    // "true": the key must be absent; "false": present.
    return expected.includes(String(actual === undefined));
  }
  const qualifier = /^(ForAllValues|ForAnyValue):/.exec(operator)?.[1];
  const base = operator.replace(/^(ForAllValues|ForAnyValue):/, "");
  const ifExists = base.endsWith("IfExists");
  const name = ifExists ? base.slice(0, -"IfExists".length) : base;
  const test = OPERATORS[name];
  if (!test)
    throw new Error(
      `iam-eval: the condition operator ${operator} is not modelled; add it from the IAM reference before relying on it`,
    );
  const values = actual === undefined ? [] : typeof actual === "string" ? [actual] : actual;
  if (qualifier === "ForAllValues") return values.every((v) => test(expected, v));
  if (qualifier === "ForAnyValue") return values.some((v) => test(expected, v));
  if (actual === undefined) return ifExists || name.includes("Not");
  if (typeof actual !== "string")
    throw new Error(`iam-eval: ${operator} on a multivalued key needs ForAllValues or ForAnyValue`);
  return test(expected, actual);
}

/** Whether the documents, together, allow the request. */
export function isAllowed(documents: PolicyDocument | readonly PolicyDocument[], request: IamRequest): boolean {
  const all: readonly PolicyDocument[] = Array.isArray(documents) ? documents : [documents as PolicyDocument];
  const statements = all.flatMap((d) => d.Statement as unknown as StatementShape[]);
  const matching = statements.filter((s) => statementMatches(s, request));
  if (matching.some((s) => s.Effect === "Deny")) return false;
  return matching.some((s) => s.Effect === "Allow");
}

/** Every (action, resource) pair a document's Allow statements name literally, wildcards left as written. */
export function grantedPairs(document: PolicyDocument): Array<{ action: string; resource: string }> {
  return (document.Statement as unknown as StatementShape[])
    .filter((s) => s.Effect === "Allow")
    .flatMap((s) =>
      list(s.Action).flatMap((action) => list(s.Resource ?? "*").map((resource) => ({ action, resource }))),
    );
}
