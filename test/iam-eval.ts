/**
 * A small evaluator of IAM policy documents, for tests that ask "may this principal do this action on this
 * resource?" rather than compare a document with the product's own copy. It follows IAM's evaluation logic
 * for what our documents use (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html):
 * an explicit Deny wins, else an Allow that matches, else denied. Action and Resource match with `*` and `?`
 * wildcards, action names case-insensitively; a statement with a Condition matches only when the request's
 * context satisfies each StringEquals / StringLike / ArnLike / Bool key (other operators never match: the
 * evaluator refuses to guess; a key the request does not carry fails its condition, as IAM's do); Principal, when the request names one, must list it (or `*`).
 */
import type { PolicyDocument } from "../components/iam/policy-document";

export interface IamRequest {
  readonly action: string;
  readonly resource: string;
  /** For resource policies (a KMS key policy, a trust policy): who asks. */
  readonly principal?: { readonly AWS?: string; readonly Service?: string };
  readonly context?: Readonly<Record<string, string>>;
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
    if (!["StringEquals", "StringLike", "ArnLike", "Bool"].includes(operator)) return false;
    const exact = operator === "StringEquals" || operator === "Bool";
    for (const [key, expected] of Object.entries(conditions)) {
      const actual = request.context?.[key];
      if (actual === undefined) return false;
      const ok = list(expected).some((e) => (exact ? e === actual : globMatches(e, actual, false)));
      if (!ok) return false;
    }
  }
  return true;
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
