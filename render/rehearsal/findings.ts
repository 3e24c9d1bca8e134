/**
 * What an approver must know of a rehearsed plan beyond each resource's action: blocking findings (plans the
 * cloud refuses, or that apply and leave it broken) and warnings (updates that are one-way or can lock
 * someone out). Pure: reads the changes rehearse.ts decided and the two states. Each rule names its source.
 */

import { AWS, KUBERNETES, PULUMI_EKS } from "../../components/resource-types";
import type { RecordedResource } from "../harness";
import type { Change, PlannedState, PriorState } from "./rehearse";
import { getPath, nameOf, UNKNOWN } from "./rehearse";
import { semanticsOf, uniqueValues } from "./semantics";

const EKS_CLUSTER = PULUMI_EKS.cluster;
const SUBNET = AWS.subnet;
const WEB_ACL = AWS.wafv2WebAcl;
const INGRESS = KUBERNETES.ingress;
const WAF_ANNOTATION = "alb.ingress.kubernetes.io/wafv2-acl-arn";
const KUBERNETES_PROVIDER = KUBERNETES.provider;

/** The changes with their blocking findings and warnings added. */
export function withFindings(changes: readonly Change[], before: PriorState, after: PlannedState): Change[] {
  const blocking = new Map<string, string[]>();
  const warnings = new Map<string, string[]>();
  const add = (into: Map<string, string[]>, urn: string, text: string) =>
    into.set(urn, [...(into.get(urn) ?? []), text]);
  const old = new Map(before.resources.map((r) => [r.urn, r]));
  const now = new Map(after.resources.map((r) => [r.urn, r]));
  const byUrn = new Map(changes.map((c) => [c.urn, c]));
  const oldOf = (c: Change) => old.get(c.aliasOf ?? c.urn);

  for (const c of changes) {
    const r = now.get(c.urn);
    const was = oldOf(c);
    for (const text of replacementClashes(c, r, was)) add(blocking, c.urn, text);
    if (c.type === EKS_CLUSTER && r && was && c.action !== "replace") {
      const version = versionStep(
        String(getPath(was.inputs, "version") ?? ""),
        String(getPath(r.inputs, "version") ?? ""),
      );
      if (version) add(version.blocking ? blocking : warnings, c.urn, version.text);
      const subnets = clusterSubnetMove(c, was, r, before, after, byUrn);
      if (subnets) add(blocking, c.urn, subnets);
      const narrowed = narrowedCidrs(getPath(was.inputs, "publicAccessCidrs"), getPath(r.inputs, "publicAccessCidrs"));
      if (narrowed.length > 0) {
        add(
          warnings,
          c.urn,
          `publicAccessCidrs no longer admits ${narrowed.join(", ")}: EKS denies the API to addresses outside the list as soon as the update lands (VpcConfigRequest), so whoever runs this update from there (a CI runner) loses the cluster for the rest of the same pulumi up, and every Kubernetes change after it fails`,
        );
      }
      if (c.fields.some((f) => f.startsWith("encryptionConfigKeyArn"))) {
        add(
          blocking,
          c.urn,
          "the secrets-encryption key changes on a cluster that stays: EKS cannot change or remove a cluster's KMS key once set (EKS user guide, Encrypt Kubernetes secrets with KMS on existing clusters); only a new cluster takes another key",
        );
      }
    }
    if (c.type === KUBERNETES_PROVIDER && c.action === "replace" && c.replacement === "create-first") {
      const cluster = changes.find((x) => x.type === EKS_CLUSTER);
      if (!cluster || cluster.action !== "replace") {
        add(
          blocking,
          c.urn,
          "the Kubernetes provider is replaced while its cluster stays: every object on it is created again through the new provider (upsertExistingObjects adopts the live object) and then deleted through the old one, so the objects are gone when the update ends (pulumi/pulumi step_generator.go L2800-2926; pulumi-kubernetes await.go L190-207)",
        );
      }
    }
    if (c.type === WEB_ACL && c.action === "delete") {
      for (const text of webAclStillAssociated(c, changes, old, now)) add(blocking, c.urn, text);
    }
  }
  for (const [urn, text] of createdClashes(changes, old, now, after)) add(blocking, urn, text);

  return changes.map((c) =>
    blocking.has(c.urn) || warnings.has(c.urn)
      ? {
          ...c,
          warnings: [...c.warnings, ...(warnings.get(c.urn) ?? [])],
          blocking: [...c.blocking, ...(blocking.get(c.urn) ?? [])],
        }
      : c,
  );
}

// ------------------------------------------------------------- clashes

/**
 * A replacement created first that keeps a value the cloud allows once: it fails, or the old one's delete
 * undoes it (each type's `unique` rows, with AWS's answer). Pulumi creates first unless told otherwise.
 */
function replacementClashes(c: Change, r: RecordedResource | undefined, was: RecordedResource | undefined): string[] {
  if (c.action !== "replace" || c.replacement !== "create-first" || !r || !was) return [];
  const found: string[] = [];
  for (const key of semanticsOf(c.type).unique ?? []) {
    const values = uniqueValues(key, (f) => getPath(r.inputs, f));
    if (!values) continue;
    if (
      key.fields.some((f) =>
        c.diff.some((d) => d.path === f || d.path.startsWith(`${f}.`) || f.startsWith(`${d.path}.`)),
      )
    )
      continue;
    found.push(
      `created before the old one is deleted, it keeps ${describe(key.fields, values)}, which the old one holds: ${key.clash}. To apply: set deleteBeforeReplace on ${nameOf(c.urn)}, or change the program so ${key.fields.join(" or ")} changes with it`,
    );
  }
  if (c.type === SUBNET) found.push(...subnetOverlaps(r, [was], "its old self"));
  return found;
}

/** A new resource keeping a value an old one still holds when it is created (deletes come last, creates first). */
function createdClashes(
  changes: readonly Change[],
  old: ReadonlyMap<string, RecordedResource>,
  now: ReadonlyMap<string, RecordedResource>,
  after: PlannedState,
): Array<[string, string]> {
  const live = [...old.values()].filter((o) => {
    const change = changes.find((c) => (c.aliasOf ?? c.urn) === o.urn);
    return !(change?.action === "replace" && change.replacement === "delete-first");
  });
  const found: Array<[string, string]> = [];
  const replacedOrNew = new Set(
    changes.filter((c) => c.action === "create" || c.action === "replace").map((c) => c.urn),
  );
  for (const c of changes.filter(
    (x) => x.action === "create" || (x.action === "replace" && x.replacement === "create-first"),
  )) {
    const r = now.get(c.urn);
    if (!r) continue;
    const others = live.filter((o) => o.type === c.type && o.urn !== (c.aliasOf ?? c.urn));
    // A value taken from a resource that is new or replaced is unknown until apply: the render's placeholder
    // ids repeat across renders, the cloud's do not.
    const unknownPaths = (after.references?.get(c.urn) ?? [])
      .filter((ref) => ref.output !== "derived" && replacedOrNew.has(ref.from))
      .map((ref) => ref.path);
    const valueAt = (f: string) =>
      unknownPaths.some((p) => p === f || p.startsWith(`${f}.`) || f.startsWith(`${p}.`))
        ? UNKNOWN
        : getPath(r.inputs, f);
    for (const key of semanticsOf(c.type).unique ?? []) {
      const values = uniqueValues(key, valueAt);
      if (!values || values.some((v) => v === UNKNOWN)) continue;
      for (const o of others) {
        if (key.fields.every((f, i) => JSON.stringify(getPath(o.inputs, f)) === JSON.stringify(values[i]))) {
          found.push([
            c.urn,
            `created while ${nameOf(o.urn)} still holds ${describe(key.fields, values)} (deletes come after creates): ${key.clash}. To apply: delete ${nameOf(o.urn)} in an earlier update, or change the program so the values differ`,
          ]);
        }
      }
    }
    if (c.type === SUBNET && valueAt("vpcId") !== UNKNOWN)
      for (const text of subnetOverlaps(r, others, "")) found.push([c.urn, text]);
  }
  return found;
}

function describe(fields: readonly string[], values: readonly unknown[]): string {
  return fields.map((f, i) => `${f} ${JSON.stringify(values[i] ?? null)}`).join(", ");
}

/** EC2 refuses a subnet whose CIDR overlaps a live one in the same VPC (CreateSubnet: InvalidSubnet.Conflict). */
function subnetOverlaps(subnet: RecordedResource, live: readonly RecordedResource[], label: string): string[] {
  const vpc = subnet.inputs.vpcId;
  const cidr = subnet.inputs.cidrBlock;
  if (typeof vpc !== "string" || typeof cidr !== "string") return [];
  return live
    .filter(
      (o) =>
        o.inputs.vpcId === vpc &&
        typeof o.inputs.cidrBlock === "string" &&
        o.inputs.cidrBlock !== cidr &&
        cidrsOverlap(cidr, o.inputs.cidrBlock as string),
    )
    .map(
      (o) =>
        `its CIDR ${cidr} overlaps ${o.inputs.cidrBlock as string} of ${label || nameOf(o.urn)}, which still lives in the same VPC when the new subnet is created: CreateSubnet answers InvalidSubnet.Conflict (EC2 API error codes). To apply: free the addresses in an earlier update, or give the new subnets addresses the old ones do not hold`,
    );
}

// ------------------------------------------------------------- IPv4 CIDRs

function parseCidr(cidr: string): { base: number; bits: number } | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(cidr);
  if (!m) return undefined;
  const bits = Number(m[5]);
  const address = ((Number(m[1]) << 24) | (Number(m[2]) << 16) | (Number(m[3]) << 8) | Number(m[4])) >>> 0;
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return { base: (address & mask) >>> 0, bits };
}

/** Whether `inner` lies within `outer`. */
export function cidrContains(outer: string, inner: string): boolean {
  const o = parseCidr(outer);
  const i = parseCidr(inner);
  if (!o || !i || i.bits < o.bits) return false;
  const mask = o.bits === 0 ? 0 : (0xffffffff << (32 - o.bits)) >>> 0;
  return (i.base & mask) >>> 0 === o.base;
}

export function cidrsOverlap(a: string, b: string): boolean {
  return cidrContains(a, b) || cidrContains(b, a);
}

/** The old CIDRs no new CIDR covers. */
export function narrowedCidrs(before: unknown, after: unknown): string[] {
  const list = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);
  const was = list(before);
  const now = list(after);
  if (was.length === 0 || now.length === 0) return [];
  return was.filter((w) => !now.some((n) => cidrContains(n, w)));
}

// ------------------------------------------------------------- EKS

/**
 * A control-plane version step: EKS moves one minor at a time (UpdateClusterVersion; EKS user guide, "Update
 * existing cluster to new Kubernetes version"), and goes back only as a rollback to the minor it was upgraded
 * from, within seven days (EKS user guide, "Roll back a cluster upgrade"); anything else it refuses.
 */
export function versionStep(before: string, after: string): { blocking: boolean; text: string } | undefined {
  const minor = (v: string) => (/^1\.(\d+)$/.exec(v) ? Number(/^1\.(\d+)$/.exec(v)?.[1]) : undefined);
  const a = minor(before);
  const b = minor(after);
  if (a === undefined || b === undefined || a === b) return undefined;
  if (b > a + 1)
    return {
      blocking: true,
      text: `Kubernetes ${before} to ${after} skips a minor version: EKS upgrades one minor at a time (UpdateClusterVersion), so this update fails; go to 1.${a + 1} first`,
    };
  if (b > a)
    return {
      blocking: false,
      text: `the control plane goes from ${before} to ${after}: EKS can roll it back to ${before} only within seven days; after that the upgrade cannot be undone`,
    };
  if (b === a - 1) {
    return {
      blocking: false,
      text: `Kubernetes ${before} back to ${after} applies only as an EKS rollback: within seven days of upgrading this cluster from ${after}; any other downgrade EKS refuses (UpdateClusterVersion)`,
    };
  }
  return {
    blocking: true,
    text: `Kubernetes ${before} back to ${after}: EKS refuses a downgrade (UpdateClusterVersion); a rollback goes back one minor only, within seven days of the upgrade`,
  };
}

/**
 * A cluster that stays, moved to subnets of another VPC or outside the zones it was created in: EKS refuses
 * ("All subnets that you add must be in the same set of AZs as originally provided ... in the same VPC as the
 * original subnets", EKS user guide, network requirements).
 */
function clusterSubnetMove(
  c: Change,
  was: RecordedResource,
  r: RecordedResource,
  before: PriorState,
  after: PlannedState,
  byUrn: ReadonlyMap<string, Change>,
): string | undefined {
  const subnetPaths = c.diff.filter((d) => /^(privateSubnetIds|publicSubnetIds|subnetIds)(\.|$)/.test(d.path));
  if (subnetPaths.length === 0) return undefined;
  const refs = (after.references?.get(c.urn) ?? []).filter(
    (ref) => /^(privateSubnetIds|publicSubnetIds|subnetIds)\./.test(ref.path) && ref.output === "id",
  );
  const newSubnets = refs.map((ref) => ({
    subnet: after.resources.find((s) => s.urn === ref.from),
    change: byUrn.get(ref.from),
  }));
  const otherVpc = newSubnets.some(
    ({ subnet, change }) => subnet?.type === SUBNET && change?.diff.some((d) => d.path === "vpcId"),
  );
  if (otherVpc || getPath(was.inputs, "vpcId") !== getPath(r.inputs, "vpcId")) {
    return `${nameOf(c.urn)} stays while its subnets move to another VPC: EKS keeps a cluster in the VPC it was created in (subnets added must be in the same VPC as the original ones, EKS user guide, network requirements), so the update fails. A new VPC needs a new cluster`;
  }
  // The zones before: the old subnets the old ids name (a render's placeholder id is `<name>-id`).
  const zonesOf = (resources: readonly RecordedResource[], ids: unknown) =>
    new Set(
      (Array.isArray(ids) ? ids : [])
        .map((id) => resources.find((s) => s.type === SUBNET && `${s.name}-id` === id)?.inputs.availabilityZone)
        .filter((z): z is string => typeof z === "string"),
    );
  const oldZones = zonesOf(before.resources, getPath(was.inputs, "privateSubnetIds"));
  const newZones = zonesOf(after.resources, getPath(r.inputs, "privateSubnetIds"));
  const outside = [...newZones].filter((z) => !oldZones.has(z)).sort();
  if (oldZones.size > 0 && outside.length > 0) {
    return `${nameOf(c.urn)} stays while its subnets move to ${outside.join(", ")}, outside the zones it was created in (${[...oldZones].sort().join(", ")}): EKS requires added subnets in the original zones (EKS user guide, network requirements), so the update fails`;
  }
  return undefined;
}

// ------------------------------------------------------------- WAF

/**
 * A web ACL deleted while a load balancer keeps it: the AWS Load Balancer Controller leaves an ALB's web ACL
 * as it is when the Ingress's wafv2-acl-arn annotation is removed, and detaches it only for `none`
 * (kubernetes-sigs/aws-load-balancer-controller v3.5.0 @ 11eb202c pkg/ingress/model_build_load_balancer_addons.go
 * L62-70, pkg/deploy/wafv2/web_acl_association_synthesizer.go L27-34, L61-65); WAFv2 refuses to delete an
 * associated ACL, and the provider retries WAFAssociatedItemException for five minutes, then fails.
 */
function webAclStillAssociated(
  acl: Change,
  changes: readonly Change[],
  old: ReadonlyMap<string, RecordedResource>,
  now: ReadonlyMap<string, RecordedResource>,
): string[] {
  const found: string[] = [];
  for (const c of changes.filter((x) => x.type === INGRESS && x.action !== "delete")) {
    const was = old.get(c.aliasOf ?? c.urn);
    const r = now.get(c.urn);
    const annotation = (res: RecordedResource | undefined) =>
      (getPath(res?.inputs, "metadata.annotations") as Record<string, unknown> | undefined)?.[WAF_ANNOTATION];
    const before = annotation(was);
    if (typeof before !== "string" || before === "none" || annotation(r) !== undefined) continue;
    found.push(
      `${nameOf(acl.urn)} is deleted while ${nameOf(c.urn)} drops its ${WAF_ANNOTATION} annotation: the load balancer controller leaves the web ACL on the ALB when the annotation is removed (it detaches only for "none"), so WAFv2 refuses the delete (WAFAssociatedItemException) and the update fails after five minutes of retries. To apply: annotate the Ingress with "none"`,
    );
  }
  return found;
}
