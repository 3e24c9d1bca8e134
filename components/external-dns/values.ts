import { CHART_IMAGE_BY_TAG } from "../load-balancer-controller/values";

/**
 * ExternalDNS: chart pin and Helm values. Every values key exists in the pinned chart's
 * values.yaml (checked by a test against its key tree).
 */

/**
 * The chart, pinned, and installed from its vendored archive (charts/README.md: source commit, sha256).
 * `repository` is where upstream publishes it. https://github.com/kubernetes-sigs/external-dns/tree/master/charts/external-dns
 */
export const EXTERNAL_DNS_CHART = {
  chart: "external-dns",
  version: "1.21.1",
  repository: "https://kubernetes-sigs.github.io/external-dns/",
  archive: "external-dns-1.21.1.tgz",
} as const;

export const EXTERNAL_DNS_RELEASE = "external-dns";
export const EXTERNAL_DNS_NAMESPACE = "kube-system";
export const EXTERNAL_DNS_SERVICE_ACCOUNT = "external-dns";
/** What the ExternalDNS pod (one replica, the chart's default) asks for (and may use). */
export const EXTERNAL_DNS_RESOURCES = {
  requests: { cpu: "50m", memory: "64Mi" },
  limits: { memory: "128Mi" },
} as const;

/**
 * The annotation prefix the pinned version reads. Chart 1.21.1 runs ExternalDNS 0.21.0, which reads the
 * alpha prefix; 0.22.0 switched to `external-dns.kubernetes.io/` with no fallback, so change both together.
 */
export const EXTERNAL_DNS_ANNOTATION_PREFIX = "external-dns.alpha.kubernetes.io/";
export const EXTERNAL_DNS_HOSTNAME_ANNOTATION = `${EXTERNAL_DNS_ANNOTATION_PREFIX}hostname`;

export interface ExternalDnsValuesArgs {
  /** The domain names are published under. */
  readonly domain: string;
  /** The public Route 53 hosted zone of the domain. */
  readonly hostedZoneId: string;
  /** The AWS region the stack runs in. */
  readonly region: string;
  /** Owner of the records this instance manages: unique per stack, so stacks sharing a zone leave each other's records alone. */
  readonly txtOwnerId: string;
}

export function externalDnsValues(args: ExternalDnsValuesArgs): Record<string, unknown> {
  return {
    provider: { name: "aws" },
    env: [{ name: "AWS_DEFAULT_REGION", value: args.region }],
    serviceAccount: { create: true, name: EXTERNAL_DNS_SERVICE_ACCOUNT },
    sources: ["service", "ingress"],
    // sync deletes records whose Service or Ingress is gone; the TXT registry limits that to our own records.
    policy: "sync",
    // Sync on Service/Ingress events (no sooner than 5 s after one, --min-event-sync-interval) as well
    // as every minute: records follow their objects within seconds. That alone does not make a record
    // go before ExternalDNS does on destroy (it exits on SIGTERM without a last sync): DnsRecordCleanup
    // (dns-record-cleanup.ts) holds ExternalDNS until Route 53 no longer has the records.
    triggerLoopOnEvent: true,
    registry: "txt",
    txtOwnerId: args.txtOwnerId,
    domainFilters: [args.domain],
    extraArgs: [`--zone-id-filter=${args.hostedZoneId}`, "--aws-zone-type=public"],
    resources: EXTERNAL_DNS_RESOURCES,
    // The written reason for its image by tag, as for the load balancer controller's.
    deploymentAnnotations: { "checkov.io/skip1": `CKV_K8S_43=${CHART_IMAGE_BY_TAG}` },
  };
}
