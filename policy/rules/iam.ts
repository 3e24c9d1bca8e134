/**
 * EKS Pod Identity roles: least privilege starts at the trust policy.
 *
 * A role is a Pod Identity role when its trust policy names the service principal
 * `pods.eks.amazonaws.com`. EKS Pod Identity assumes it with sts:AssumeRole and sets session tags
 * (sts:TagSession) naming the cluster, namespace and service account of the pod; conditions on those
 * tags are what keep the role to one service account of one cluster.
 * https://docs.aws.amazon.com/eks/latest/userguide/pod-id-role.html, and AWS's EKS best-practices
 * guide, security/iam: "Working with IAM roles for EKS Pod Identities", "ABAC and EKS Pod Identities".
 */
import { asRecord, get, notApplicable, type PolicyInput, type Verdict } from "./props";
import { AWS } from "./resource-types";

export const ROLE_TYPE = AWS.iamRole;
export const POD_IDENTITY_PRINCIPAL = "pods.eks.amazonaws.com";
/** What Pod Identity needs, and all a trust statement for it may allow. */
export const POD_IDENTITY_ACTIONS: readonly string[] = ["sts:AssumeRole", "sts:TagSession"];
/** The session tags Pod Identity sets that a trust policy must pin. */
export const POD_IDENTITY_SESSION_TAGS: readonly string[] = [
  "aws:RequestTag/eks-cluster-arn",
  "aws:RequestTag/kubernetes-namespace",
  "aws:RequestTag/kubernetes-service-account",
];

const asArray = (value: unknown): readonly unknown[] =>
  Array.isArray(value) ? value : value === undefined ? [] : [value];

/** The trust policy as a document: the provider takes it as a JSON string (or, from some programs, an object). */
function trustDocument(props: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> | undefined {
  const raw = get(props, "assumeRolePolicy");
  if (typeof raw !== "string") return asRecord(raw);
  try {
    return asRecord(JSON.parse(raw));
  } catch {
    return undefined;
  }
}

/** Every principal a statement names, as `Type:value` ("*" for the anonymous principal). */
function principals(statement: unknown): string[] {
  const principal = get(statement, "Principal");
  if (principal === "*") return ["*"];
  const byType = asRecord(principal) ?? {};
  return Object.keys(byType).flatMap((kind) => asArray(byType[kind]).map((value) => `${kind}:${String(value)}`));
}

const wildcard = (value: string): boolean => value.includes("*") || value.includes("?");

/** A Pod Identity role's trust policy trusts only Pod Identity, for sts:AssumeRole and sts:TagSession, pinned by session tags. */
export function podIdentityTrust(resource: PolicyInput): Verdict {
  if (resource.type !== ROLE_TYPE) return notApplicable("not an IAM role");
  const document = trustDocument(resource.props);
  const statements = asArray(get(document, "Statement"));
  const podIdentityPrincipal = `Service:${POD_IDENTITY_PRINCIPAL}`;
  if (!statements.some((s) => principals(s).includes(podIdentityPrincipal)))
    return notApplicable(`its trust policy does not name ${POD_IDENTITY_PRINCIPAL}`);

  const found: string[] = [];
  statements.forEach((statement, i) => {
    const where = `trust statement ${i}`;
    if (get(statement, "Effect") !== "Allow") return; // a Deny only narrows who may assume the role
    if (get(statement, "NotPrincipal") !== undefined || get(statement, "NotAction") !== undefined) {
      found.push(`${where} uses NotPrincipal or NotAction: it trusts everything it does not name`);
      return;
    }
    const others = principals(statement).filter((p) => p !== podIdentityPrincipal);
    if (others.length > 0) found.push(`${where} trusts ${others.join(", ")} besides ${POD_IDENTITY_PRINCIPAL}`);
    if (!principals(statement).includes(podIdentityPrincipal)) return;

    const actions = asArray(get(statement, "Action")).map(String);
    const extra = actions.filter((a) => !POD_IDENTITY_ACTIONS.includes(a));
    const lacking = POD_IDENTITY_ACTIONS.filter((a) => !actions.includes(a));
    if (extra.length > 0)
      found.push(`${where} allows ${extra.join(", ")}: Pod Identity needs only ${POD_IDENTITY_ACTIONS.join(" and ")}`);
    if (lacking.length > 0)
      found.push(
        `${where} lacks ${lacking.join(", ")}: Pod Identity assumes the role with ${POD_IDENTITY_ACTIONS.join(" and ")}`,
      );

    // StringEquals on each tag (ArnEquals also fits the cluster ARN), with exact values.
    const condition = asRecord(get(statement, "Condition")) ?? {};
    for (const tag of POD_IDENTITY_SESSION_TAGS) {
      const operators = tag.endsWith("eks-cluster-arn") ? ["StringEquals", "ArnEquals"] : ["StringEquals"];
      const values = operators.flatMap((op) => asArray(get(condition, op, tag))).map(String);
      if (values.length === 0) found.push(`${where} does not pin ${tag} with ${operators.join(" or ")}`);
      else if (values.some(wildcard)) found.push(`${where} pins ${tag} with a wildcard (${values.join(", ")})`);
    }
  });
  return found;
}
