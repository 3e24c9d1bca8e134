/**
 * Names: the public DNS names ExternalDNS publishes resolve to their load balancers, and the headless
 * Service's per-pod names resolve, inside the cluster, to their pods.
 */
import type { V1Pod } from "@kubernetes/client-node";
import { LAB_NAMESPACE, LAB_REPLICAS, PEERS_NAME } from "../../lab/lab-spec";
import type { UrlKey } from "../outputs";
import type { ObjectRef } from "./controllers";
import { ipv4ToNumber } from "./ipv4";
import { type CheckId, type CheckResult, fromLines, line } from "./result";

export const DNS_RECORDS: CheckId = { id: "dns", title: "each app's DNS name resolves to its load balancer" };
export const HEADLESS_DNS: CheckId = {
  id: "headless-dns",
  title: "the headless Service's per-pod names resolve to their pods",
};

/** Which object's load balancer serves each URL (apps/): its status carries the load balancer's hostname. */
export const URL_LOAD_BALANCERS: Readonly<Record<UrlKey, { readonly kind: "Ingress" | "Service" } & ObjectRef>> = {
  echo: { kind: "Service", namespace: "echo", name: "echo-nlb" },
  "game-2048": { kind: "Ingress", namespace: "game-2048", name: "game-2048" },
  tetris: { kind: "Ingress", namespace: "tetris", name: "tetris" },
  mario: { kind: "Ingress", namespace: "mario", name: "mario" },
  "tetris-nlb": { kind: "Service", namespace: "tetris", name: "tetris-nlb" },
};

/** One public name and its load balancer, each resolved to addresses. */
export interface DnsRecordProbe {
  readonly name: string;
  readonly loadBalancer?: string;
  readonly nameAddresses?: readonly string[];
  readonly loadBalancerAddresses?: readonly string[];
  readonly error?: string;
}

/**
 * ExternalDNS publishes an alias record to the load balancer, so the name answers with the load
 * balancer's own addresses. A load balancer's DNS answer is a changing subset of its nodes, so the two
 * answers must overlap rather than be equal; a record pointing at another load balancer shares none.
 */
export function checkDnsRecords(probes: readonly DnsRecordProbe[]): CheckResult {
  const lines = probes.map((p) => {
    const who = `${p.name} -> ${p.loadBalancer ?? "(no load balancer hostname)"}`;
    if (p.error !== undefined) return line(false, `${who}: ${p.error}`);
    const name = p.nameAddresses ?? [];
    const lb = p.loadBalancerAddresses ?? [];
    const shared = name.filter((a) => lb.includes(a));
    return line(
      shared.length > 0,
      `${who}: name [${name.join(", ")}], load balancer [${lb.join(", ")}]${shared.length > 0 ? "" : ", no address in common"}`,
    );
  });
  return fromLines(DNS_RECORDS, `${probes.length} DNS name(s)`, lines);
}

/** The lab's StatefulSet behind its headless Service: pods peers-0..2, names peers-N.peers.lab.svc.cluster.local. */
export const PEERS = {
  namespace: LAB_NAMESPACE,
  service: PEERS_NAME,
  replicas: LAB_REPLICAS,
  clusterDomain: "cluster.local",
} as const;

export function peerNames(): { pod: string; name: string }[] {
  return Array.from({ length: PEERS.replicas }, (_, i) => {
    const pod = `${PEERS.service}-${i}`;
    return { pod, name: `${pod}.${PEERS.service}.${PEERS.namespace}.svc.${PEERS.clusterDomain}` };
  });
}

/**
 * Addresses in `dig +short` output: one answer per line, a CNAME's target ends with a dot, comments
 * start with ";" (e.g. ";; connection timed out"). Only A records are kept.
 */
export function parseDigShort(output: string): string[] {
  return output
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => ipv4ToNumber(l) !== undefined);
}

/** One `dig +short <name>` run in a netshoot pod. */
export interface HeadlessAnswer {
  readonly name: string;
  readonly pod: string;
  /** The netshoot pod that asked. */
  readonly from: string;
  readonly output?: string;
  readonly error?: string;
}

/**
 * Each pod of a StatefulSet behind a headless Service gets an A record
 * `<pod>.<service>.<namespace>.svc.<cluster domain>` with its own IP.
 * https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/#a-aaaa-records-1
 */
export function checkHeadlessDns(answers: readonly HeadlessAnswer[], pods: readonly V1Pod[]): CheckResult {
  const lines = answers.map((a) => {
    const who = `${a.name} (asked from ${a.from})`;
    if (a.error !== undefined) return line(false, `${who}: ${a.error}`);
    const addresses = parseDigShort(a.output ?? "");
    const pod = pods.find((p) => p.metadata?.name === a.pod);
    const podIp = pod?.status?.podIP;
    if (!podIp)
      return line(
        false,
        `${who}: [${addresses.join(", ")}], but pod ${PEERS.namespace}/${a.pod} has no IP (not found or not running)`,
      );
    const ok = addresses.length === 1 && addresses[0] === podIp;
    return line(
      ok,
      `${who}: [${addresses.join(", ") || (a.output ?? "").trim() || "no answer"}], pod ${a.pod} has ${podIp}`,
    );
  });
  return fromLines(HEADLESS_DNS, `${answers.length} per-pod name(s)`, lines);
}
