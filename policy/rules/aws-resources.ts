/**
 * What a security reviewer checks on the AWS resources this stack declares, as checkov names the checks
 * (bridgecrewio/checkov @ 03d5fdad checkov/terraform/checks/resource/aws/): IAM policies grant no `*` action
 * and pass roles only to named services; trust policies name their principals; KMS keys rotate and no key
 * policy lets `*` in unconditioned; bucket policies let no `*` in unconditioned and refuse plain HTTP; SQS
 * queues are encrypted; no security group opens SSH or RDP to the internet; node volumes are encrypted,
 * launch templates' and Karpenter's node classes' alike.
 */
import { asRecord, get, list, notApplicable, type PolicyInput, str, type Verdict } from "./props";
import { AWS, AWS_CHECKED_ONLY, KUBERNETES } from "./resource-types";

const SECURITY_GROUP_TYPES = {
  securityGroup: AWS_CHECKED_ONLY.securityGroup,
  securityGroupRule: AWS_CHECKED_ONLY.securityGroupRule,
  ingressRule: AWS_CHECKED_ONLY.securityGroupIngressRule,
} as const;

type Statement = Readonly<Record<string, unknown>>;

/** A policy document's statements, from a JSON string or an object. */
function statementsOf(document: unknown): readonly Statement[] {
  const parsed = typeof document === "string" ? safeParse(document) : document;
  return list(parsed, "Statement").flatMap((s) => {
    const record = asRecord(s);
    return record ? [record] : [];
  });
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const many = (value: unknown): readonly unknown[] =>
  Array.isArray(value) ? value : value === undefined ? [] : [value];
const isAllow = (s: Statement) => s.Effect === "Allow";
const hasCondition = (s: Statement) => Object.keys(asRecord(s.Condition) ?? {}).length > 0;

/** Whether a statement's principal is everyone: "*" or {"AWS": "*"} (and its list forms). */
function anyPrincipal(s: Statement): boolean {
  if (s.Principal === "*") return true;
  return many(asRecord(s.Principal)?.AWS).includes("*");
}

/**
 * No `*` action (CKV_AWS_63, CKV_AWS_62: full administrative privileges), and iam:PassRole on every role only
 * with the services it is passed to named (`iam:PassedToService`, CKV_AWS_286 privilege escalation).
 */
export function iamPolicyLeastPrivilege(resource: PolicyInput): Verdict {
  if (resource.type !== AWS.iamRolePolicy) return notApplicable("not an IAM role policy");
  return statementsOf(resource.props.policy)
    .filter(isAllow)
    .flatMap((s) => {
      const actions = many(s.Action).map(String);
      const resources = many(s.Resource).map(String);
      const found: string[] = [];
      if (actions.some((a) => a === "*" || a === "*:*"))
        found.push(`statement ${String(s.Sid ?? "")} allows every action`);
      const passes = actions.some((a) => a === "iam:PassRole" || a === "iam:*" || a === "iam:Pass*");
      const passedTo =
        get(s, "Condition", "StringEquals", "iam:PassedToService") ??
        get(s, "Condition", "StringLike", "iam:PassedToService");
      if (passes && resources.includes("*") && passedTo === undefined)
        found.push(
          `statement ${String(s.Sid ?? "")} may pass any role to any service (iam:PassRole on *, no iam:PassedToService)`,
        );
      return found;
    });
}

/** A trust policy names who may assume the role: no `*` principal (CKV_AWS_60). */
export function iamTrustNamed(resource: PolicyInput): Verdict {
  if (resource.type !== AWS.iamRole) return notApplicable("not an IAM role");
  return statementsOf(resource.props.assumeRolePolicy)
    .filter((s) => isAllow(s) && anyPrincipal(s))
    .map((s) => `trust statement ${String(s.Sid ?? "")} lets any principal assume the role`);
}

/** A KMS key rotates (CKV_AWS_7) and its policy lets no `*` principal in without a condition (CKV_AWS_33). */
export function kmsKeyHardened(resource: PolicyInput): Verdict {
  if (resource.type !== AWS.kmsKey) return notApplicable("not a KMS key");
  const found: string[] = [];
  if (resource.props.enableKeyRotation !== true) found.push("enableKeyRotation is not true: the key never rotates");
  for (const s of statementsOf(resource.props.policy))
    if (isAllow(s) && anyPrincipal(s) && !hasCondition(s))
      found.push(`key policy statement ${String(s.Sid ?? "")} lets any principal in, unconditioned`);
  return found;
}

/** A bucket policy lets no `*` principal in unconditioned (CKV_AWS_70) and refuses plain HTTP (aws:SecureTransport). */
export function bucketPolicyHardened(resource: PolicyInput): Verdict {
  if (resource.type !== AWS.s3BucketPolicy) return notApplicable("not a bucket policy");
  const statements = statementsOf(resource.props.policy);
  const found = statements
    .filter((s) => isAllow(s) && anyPrincipal(s) && !hasCondition(s))
    .map((s) => `statement ${String(s.Sid ?? "")} lets any principal in, unconditioned`);
  const deniesHttp = statements.some(
    (s) =>
      s.Effect === "Deny" && String(get(s, "Condition", "Bool", "aws:SecureTransport")) === "false" && anyPrincipal(s),
  );
  if (!deniesHttp) found.push("no statement denies requests without TLS (aws:SecureTransport false)");
  return found;
}

/** An SQS queue is encrypted: SQS-managed keys or a KMS key (CKV_AWS_27). */
export function sqsEncrypted(resource: PolicyInput): Verdict {
  if (resource.type !== AWS.sqsQueue) return notApplicable("not an SQS queue");
  return resource.props.sqsManagedSseEnabled === true || str(resource.props, "kmsMasterKeyId")
    ? []
    : ["neither sqsManagedSseEnabled nor kmsMasterKeyId: messages rest unencrypted"];
}

/** Administration ports no security group opens to the internet: SSH (CKV_AWS_24) and RDP (CKV_AWS_25). */
export const ADMIN_PORTS = [22, 3389] as const;
const OPEN = ["0.0.0.0/0", "::/0"];

/** The ingress rules a resource declares, as {from, to, protocol, cidrs}. */
function ingressRules(resource: PolicyInput): Array<{ from: number; to: number; protocol: string; cidrs: string[] }> {
  const rule = (r: unknown) => ({
    from: Number(get(r, "fromPort") ?? 0),
    to: Number(get(r, "toPort") ?? 65535),
    protocol: String(get(r, "protocol") ?? get(r, "ipProtocol") ?? "-1"),
    cidrs: [
      ...many(get(r, "cidrBlocks")),
      ...many(get(r, "ipv6CidrBlocks")),
      ...many(get(r, "cidrIpv4")),
      ...many(get(r, "cidrIpv6")),
    ].map(String),
  });
  if (resource.type === AWS.defaultSecurityGroup || resource.type === SECURITY_GROUP_TYPES.securityGroup)
    return list(resource.props, "ingress").map(rule);
  if (resource.type === SECURITY_GROUP_TYPES.securityGroupRule)
    return resource.props.type === "ingress" ? [rule(resource.props)] : [];
  if (resource.type === SECURITY_GROUP_TYPES.ingressRule) return [rule(resource.props)];
  return [];
}

export function securityGroupAdminPorts(resource: PolicyInput): Verdict {
  const types: readonly string[] = [
    AWS.defaultSecurityGroup,
    SECURITY_GROUP_TYPES.securityGroup,
    SECURITY_GROUP_TYPES.securityGroupRule,
    SECURITY_GROUP_TYPES.ingressRule,
  ];
  if (!types.includes(resource.type)) return notApplicable("not a security group or rule");
  return ingressRules(resource).flatMap((r) =>
    ADMIN_PORTS.filter(
      (port) =>
        r.cidrs.some((c) => OPEN.includes(c)) &&
        (r.protocol === "-1" || r.protocol === "all" || r.protocol === "tcp" || r.protocol === "6") &&
        (r.protocol === "-1" || r.protocol === "all" || (r.from <= port && port <= r.to)),
    ).map((port) => `opens port ${port} to ${r.cidrs.filter((c) => OPEN.includes(c)).join(", ")}`),
  );
}

/**
 * Node volumes are encrypted: every block device of our launch templates (`ebs.encrypted` "true", the provider's
 * string) and of Karpenter's EC2NodeClasses (`ebs.encrypted` true); a node class also requires IMDSv2 with one
 * hop, as the launch templates do (nodes-imdsv2): Karpenter builds its own templates from the class.
 */
export function nodesEncryptedRoot(resource: PolicyInput): Verdict {
  if (resource.type === AWS.launchTemplate) {
    const devices = list(resource.props, "blockDeviceMappings");
    if (devices.length === 0) return ["declares no root volume: the image's default is not encrypted by the template"];
    return devices
      .filter((d) => String(get(d, "ebs", "encrypted")) !== "true")
      .map((d) => `block device ${String(get(d, "deviceName") ?? "?")} is not encrypted`);
  }
  if (resource.type === KUBERNETES.ec2NodeClass || resource.type === `${KUBERNETES.ec2NodeClass}Patch`) {
    const spec = get(resource.props, "spec");
    const found: string[] = [];
    const devices = list(spec, "blockDeviceMappings");
    if (devices.length === 0)
      found.push("declares no block device: Karpenter's default root volume is not named encrypted here");
    for (const d of devices)
      if (get(d, "ebs", "encrypted") !== true)
        found.push(`block device ${String(get(d, "deviceName") ?? "?")} is not encrypted`);
    if (get(spec, "metadataOptions", "httpTokens") !== "required")
      found.push("metadataOptions.httpTokens is not required: IMDSv1 stays on");
    if (get(spec, "metadataOptions", "httpPutResponseHopLimit") !== 1)
      found.push("metadataOptions.httpPutResponseHopLimit is not 1: pods could reach the node's credentials");
    return found;
  }
  return notApplicable("not a launch template or EC2NodeClass");
}
