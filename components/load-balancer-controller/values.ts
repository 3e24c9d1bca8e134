/**
 * Helm values for the AWS Load Balancer Controller chart. Every key here exists in the pinned chart's
 * values.yaml (Helm ignores unknown keys silently; a test checks them against the chart's key tree).
 */

/**
 * The chart, pinned, and installed from its vendored archive (charts/README.md: source commit, sha256).
 * `repository` is where upstream publishes it. https://github.com/aws/eks-charts/tree/master/stable/aws-load-balancer-controller
 */
export const LOAD_BALANCER_CONTROLLER_CHART = {
  chart: "aws-load-balancer-controller",
  version: "3.5.0",
  repository: "https://aws.github.io/eks-charts",
  archive: "aws-load-balancer-controller-3.5.0.tgz",
} as const;

export const LOAD_BALANCER_CONTROLLER_RELEASE = "aws-load-balancer-controller";
export const LOAD_BALANCER_CONTROLLER_NAMESPACE = "kube-system";
export const LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT = "aws-load-balancer-controller";
/** Two replicas, spread over zones: the webhooks keep answering through a zone's outage. */
export const LOAD_BALANCER_CONTROLLER_REPLICAS = 2;
/** What each controller pod asks for (and may use). */
export const LOAD_BALANCER_CONTROLLER_RESOURCES = {
  requests: { cpu: "100m", memory: "128Mi" },
  limits: { memory: "256Mi" },
} as const;

/**
 * TLS 1.3 (and 1.2) with hybrid post-quantum key exchange: AWS's recommended policy since 2025-09.
 * The controller's own default, ELBSecurityPolicy-2016-08, still allows TLS 1.0 and has no TLS 1.3.
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html
 */
export const DEFAULT_SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09";

/** Why a controller chart's image runs by tag: the chart pins it by version, in an archive pinned by sha256. */
export const CHART_IMAGE_BY_TAG =
  "the chart names its image by tag and has no digest value; the tag is the chart's own, in an archive pinned by sha256 (charts/README.md)";

/** The controller's user and group: `nobody`, the chart's fsGroup, at or above the 10000 checkov CKV_K8S_40 asks. */
export const CONTROLLER_USER_ID = 65534;

export interface LoadBalancerControllerValuesArgs {
  /** The EKS cluster's name. */
  readonly clusterName: string;
  /** The AWS region the stack runs in. */
  readonly region: string;
  /** The VPC the cluster runs in. */
  readonly vpcId: string;
}

export function loadBalancerControllerValues(args: LoadBalancerControllerValuesArgs): Record<string, unknown> {
  const selector = {
    "app.kubernetes.io/name": LOAD_BALANCER_CONTROLLER_CHART.chart,
    "app.kubernetes.io/instance": LOAD_BALANCER_CONTROLLER_RELEASE,
  };
  return {
    // Given explicitly, so the controller needs no instance metadata (IMDSv2 hop limit 1 on the nodes).
    clusterName: args.clusterName,
    region: args.region,
    vpcId: args.vpcId,
    replicaCount: LOAD_BALANCER_CONTROLLER_REPLICAS,
    // One replica per zone: a zone outage leaves the webhooks answering.
    topologySpreadConstraints: [
      {
        maxSkew: 1,
        topologyKey: "topology.kubernetes.io/zone",
        whenUnsatisfiable: "ScheduleAnyway",
        labelSelector: { matchLabels: selector },
      },
    ],
    podDisruptionBudget: { maxUnavailable: 1 },
    serviceAccount: { create: true, name: LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT },
    defaultTargetType: "ip",
    defaultSSLPolicy: DEFAULT_SSL_POLICY,
    // Our Services name loadBalancerClass themselves; the mutator would otherwise claim every
    // LoadBalancer Service in the cluster, including ones meant for other controllers.
    enableServiceMutatorWebhook: false,
    // The chart generates a new webhook CA and certificate on every render unless this reuses the
    // Secret already in the cluster (templates/_helpers.tpl, "webhookCerts"). pulumi-kubernetes upgrades
    // the release whenever its inputs change (values, chart version; since 4.6.0 it compares inputs, not
    // a checksum of the rendered chart: pulumi/pulumi-kubernetes#2672); without this, each such upgrade
    // would rotate the certificate under the running webhooks.
    keepTLSSecret: true,
    // No Ingress joins an IngressGroup by annotation: a shared ALB is joined through its own IngressClass,
    // which names the namespaces allowed to (load-balancer-controller.ts, fencedGroupParams).
    disableIngressGroupNameAnnotation: true,
    resources: LOAD_BALANCER_CONTROLLER_RESOURCES,
    // Hardened as the apps are (the pack's workload rules): Helm merges these into the chart's defaults
    // (values.yaml: readOnlyRootFilesystem, runAsNonRoot, allowPrivilegeEscalation false; fsGroup 65534). The
    // controller binds 9443 and 8080, above 1024, so it needs no capability; 65534 is the chart's own fsGroup.
    securityContext: {
      capabilities: { drop: ["ALL"] },
      runAsUser: CONTROLLER_USER_ID,
      runAsGroup: CONTROLLER_USER_ID,
    },
    podSecurityContext: { seccompProfile: { type: "RuntimeDefault" } },
    // The chart runs its image by tag (values.yaml image.tag, no digest key), and AWS publishes no digest of it
    // that can be cited: the written reason the pack's image-digest policy asks for, where scanners read it.
    deploymentAnnotations: { "checkov.io/skip1": `CKV_K8S_43=${CHART_IMAGE_BY_TAG}` },
  };
}
