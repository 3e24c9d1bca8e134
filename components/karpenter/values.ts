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
/** What each controller pod asks for: it caches the region's instance types and offerings. */
export const KARPENTER_RESOURCES = { requests: { cpu: "250m", memory: "512Mi" }, limits: { memory: "1Gi" } } as const;

export interface KarpenterValuesArgs {
  /** The EKS cluster's name. */
  readonly clusterName: string;
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
    },
    // The chart's default affinity keeps the controller off the nodes it manages (karpenter.sh/nodepool
    // DoesNotExist): it runs on the managed node group, the system pool.
  };
}
