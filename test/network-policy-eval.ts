/**
 * A small evaluator of Kubernetes NetworkPolicy ingress, for tests that ask "may this source reach this pod,
 * on which ports?" (Kubernetes docs, Network Policies; the networking.k8s.io/v1 API reference):
 * - a pod no ingress policy selects admits everything; one that some policy selects admits only what a rule
 *   of such a policy allows;
 * - a rule without `from` admits every source, without `ports` every port of every protocol;
 * - a port's protocol defaults to TCP; without `port` it is every port of that protocol; `endPort` makes a
 *   range; a named port is the target container's port of that name and protocol;
 * - peers: ipBlock (cidr less except), namespaceSelector, podSelector (in the policy's namespace), or both
 *   selectors at once (and).
 * Egress the same way from the other end: a pod no egress policy selects may send anywhere; one that some
 * policy selects only what a rule allows, `to` peers matched like `from` ones, named ports resolved on the
 * destination pod. A connection needs both: the source's egress and the destination's ingress.
 * A field or form it does not model (matchExpressions) is an error, not a guess.
 */

export type Protocol = "TCP" | "UDP" | "SCTP";
export const PROTOCOLS: readonly Protocol[] = ["TCP", "UDP", "SCTP"];
export const MAX_PORT = 65535;

interface Selector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly unknown[];
}
export interface PeerSpec {
  readonly ipBlock?: { readonly cidr: string; readonly except?: readonly string[] };
  readonly namespaceSelector?: Selector;
  readonly podSelector?: Selector;
}
export interface PortSpec {
  readonly protocol?: Protocol;
  readonly port?: number | string;
  readonly endPort?: number;
}
export interface PolicySpec {
  readonly podSelector: Selector;
  readonly policyTypes?: readonly string[];
  readonly ingress?: ReadonlyArray<{ readonly from?: readonly PeerSpec[]; readonly ports?: readonly PortSpec[] }>;
  readonly egress?: ReadonlyArray<{ readonly to?: readonly PeerSpec[]; readonly ports?: readonly PortSpec[] }>;
}
/** A pod as a policy sees it: namespace, labels, IP, and its named container ports. */
export interface Pod {
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly ip: string;
  readonly ports?: Readonly<Record<string, { readonly port: number; readonly protocol?: Protocol }>>;
}
export interface Source {
  readonly ip: string;
  readonly pod?: Pod;
}
/** Allowed ports: inclusive ranges per protocol, merged and sorted. */
export type PortRanges = Array<{ protocol: Protocol; from: number; to: number }>;

function ipToNumber(ip: string): number {
  return ip.split(".").reduce((acc, octet) => acc * 256 + Number(octet), 0);
}
export function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split("/");
  const size = 2 ** (32 - Number(bits));
  return Math.floor(ipToNumber(ip) / size) === Math.floor(ipToNumber(base) / size);
}

function selects(selector: Selector | undefined, labels: Readonly<Record<string, string>>): boolean {
  if (selector?.matchExpressions && selector.matchExpressions.length > 0) {
    throw new Error("network-policy-eval: matchExpressions are not modelled");
  }
  return Object.entries(selector?.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
}

function peerAdmits(peer: PeerSpec, source: Source, policyNamespace: string): boolean {
  if (peer.ipBlock)
    return inCidr(source.ip, peer.ipBlock.cidr) && !(peer.ipBlock.except ?? []).some((c) => inCidr(source.ip, c));
  if (!source.pod) return false;
  const namespaceOk = peer.namespaceSelector
    ? selects(peer.namespaceSelector, { "kubernetes.io/metadata.name": source.pod.namespace })
    : source.pod.namespace === policyNamespace;
  return namespaceOk && selects(peer.podSelector, source.pod.labels);
}

function rangesOf(ports: readonly PortSpec[] | undefined, target: Pod): PortRanges {
  if (!ports || ports.length === 0) return PROTOCOLS.map((protocol) => ({ protocol, from: 1, to: MAX_PORT }));
  return ports.flatMap((p): PortRanges => {
    const protocol = p.protocol ?? "TCP";
    if (p.port === undefined) return [{ protocol, from: 1, to: MAX_PORT }];
    if (typeof p.port === "string") {
      const named = target.ports?.[p.port];
      return named && (named.protocol ?? "TCP") === protocol ? [{ protocol, from: named.port, to: named.port }] : [];
    }
    return [{ protocol, from: p.port, to: p.endPort ?? p.port }];
  });
}

function merged(ranges: PortRanges): PortRanges {
  const out: PortRanges = [];
  for (const r of [...ranges].sort((a, b) =>
    a.protocol === b.protocol ? a.from - b.from : a.protocol < b.protocol ? -1 : 1,
  )) {
    const last = out[out.length - 1];
    if (last && last.protocol === r.protocol && r.from <= last.to + 1) last.to = Math.max(last.to, r.to);
    else out.push({ ...r });
  }
  return out;
}

/** Every (protocol, port) the policies admit from `source` to `target`, as merged ranges. */
export function admittedPorts(
  policies: ReadonlyArray<{ namespace: string; spec: PolicySpec }>,
  source: Source,
  target: Pod,
): PortRanges {
  const selecting = policies.filter((p) => {
    const types = p.spec.policyTypes ?? ["Ingress", ...(p.spec.egress ? ["Egress"] : [])];
    return p.namespace === target.namespace && types.includes("Ingress") && selects(p.spec.podSelector, target.labels);
  });
  if (selecting.length === 0) return PROTOCOLS.map((protocol) => ({ protocol, from: 1, to: MAX_PORT }));
  return merged(
    selecting.flatMap((p) =>
      (p.spec.ingress ?? [])
        .filter(
          (rule) =>
            !rule.from || rule.from.length === 0 || rule.from.some((peer) => peerAdmits(peer, source, p.namespace)),
        )
        .flatMap((rule) => rangesOf(rule.ports, target)),
    ),
  );
}

/** Whether the policies admit one port. */
export function admits(
  policies: ReadonlyArray<{ namespace: string; spec: PolicySpec }>,
  source: Source,
  target: Pod,
  port: number,
  protocol: Protocol = "TCP",
): boolean {
  return admittedPorts(policies, source, target).some((r) => r.protocol === protocol && r.from <= port && port <= r.to);
}

const policyTypes = (spec: PolicySpec): readonly string[] =>
  spec.policyTypes ?? ["Ingress", ...(spec.egress ? ["Egress"] : [])];

/** Every (protocol, port) the policies let the pod `source` send to `destination`, as merged ranges. */
export function egressPorts(
  policies: ReadonlyArray<{ namespace: string; spec: PolicySpec }>,
  source: Pod,
  destination: Source,
): PortRanges {
  const selecting = policies.filter(
    (p) =>
      p.namespace === source.namespace &&
      policyTypes(p.spec).includes("Egress") &&
      selects(p.spec.podSelector, source.labels),
  );
  if (selecting.length === 0) return PROTOCOLS.map((protocol) => ({ protocol, from: 1, to: MAX_PORT }));
  const noPorts: Pod = { namespace: "", labels: {}, ip: destination.ip };
  return merged(
    selecting.flatMap((p) =>
      (p.spec.egress ?? [])
        .filter(
          (rule) =>
            !rule.to || rule.to.length === 0 || rule.to.some((peer) => peerAdmits(peer, destination, p.namespace)),
        )
        .flatMap((rule) => rangesOf(rule.ports, destination.pod ?? noPorts)),
    ),
  );
}

/** Whether a pod may open a connection to a destination: its namespace's egress, and the destination pod's ingress. */
export function mayConnect(
  policies: ReadonlyArray<{ namespace: string; spec: PolicySpec }>,
  source: Pod,
  destination: Source,
  port: number,
  protocol: Protocol = "TCP",
): boolean {
  const out = egressPorts(policies, source, destination).some(
    (r) => r.protocol === protocol && r.from <= port && port <= r.to,
  );
  return out && (!destination.pod || admits(policies, { ip: source.ip, pod: source }, destination.pod, port, protocol));
}
