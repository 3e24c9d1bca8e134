/**
 * Helm values for the Karpenter chart. Every key here exists in the pinned chart's values.yaml (a test checks
 * them against its key tree, test/fixtures/charts/karpenter-1.14.1.keys.json).
 */

/** The chart, pinned, installed from its vendored archive (charts/README.md: source commit, stamping, sha256). */
export const KARPENTER_CHART = {
  chart: "karpenter",
  version: "1.14.1",
  repository: "oci://public.ecr.aws/karpenter",
  archive: "karpenter-1.14.1.tgz",
} as const;

export const KARPENTER_RELEASE = "karpenter";
/** kube-system, as Karpenter's getting-started guide installs it. */
export const KARPENTER_NAMESPACE = "kube-system";
export const KARPENTER_SERVICE_ACCOUNT = "karpenter";
/** Two replicas (one leads), one per node and spread over zones by the chart's own affinity and constraints. */
export const KARPENTER_REPLICAS = 2;
/**
 * What each controller pod asks for: what Karpenter's getting-started guide installs it with, a whole CPU and
 * 1 GiB (website/content/en/docs/getting-started/getting-started-with-karpenter/scripts/step08-apply-helm-chart.sh
 * @ bde00654: `controller.resources.requests.cpu=1`, `.memory=1Gi`, limits the same). It caches the region's
 * instance types and offerings and runs its scheduling simulation on one core: a quarter CPU slows every
 * provisioning decision when the cluster needs nodes most. The memory limit is the guide's; no CPU limit, as
 * for every workload here (workload-requests-limits). The capacity check counts both replicas on the managed group.
 */
export const KARPENTER_RESOURCES = { requests: { cpu: "1", memory: "1Gi" }, limits: { memory: "1Gi" } } as const;

export interface KarpenterValuesArgs {
  /** The EKS cluster's name. */
  readonly clusterName: string;
  /** The AWS region: given, so the controller needs neither the instance metadata (hop limit 1) nor a webhook for it. */
  readonly region: string;
  /** The SQS queue's name: Karpenter reads interruption notices from it. */
  readonly interruptionQueue: string;
}

export function karpenterValues(args: KarpenterValuesArgs): Record<string, unknown> {
  return {
    settings: { clusterName: args.clusterName, interruptionQueue: args.interruptionQueue },
    serviceAccount: { create: true, name: KARPENTER_SERVICE_ACCOUNT },
    replicas: KARPENTER_REPLICAS,
    controller: {
      resources: { requests: { ...KARPENTER_RESOURCES.requests }, limits: { ...KARPENTER_RESOURCES.limits } },
      // The SDK's region without instance metadata: pods cannot reach it (IMDSv2 with one hop), and the Pod
      // Identity agent gives credentials, not a region.
      env: [{ name: "AWS_REGION", value: args.region }],
    },
    // The VPC's resolver, not cluster DNS: the controller then starts before CoreDNS runs, and can make the
    // nodes CoreDNS needs (troubleshooting.md @ bde00654 L45-48: "changing Karpenter's dnsPolicy to be Default").
    dnsPolicy: "Default",
    // The chart's default affinity keeps the controller off the nodes it manages (karpenter.sh/nodepool
    // DoesNotExist): it runs on the managed node group, the system pool.
  };
}
