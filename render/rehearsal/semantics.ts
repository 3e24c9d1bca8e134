/**
 * What a change to each resource type's inputs does on `pulumi up`, read from the pinned providers: which
 * input paths force a replacement, which are Optional + Computed (removing the input leaves the cloud as it
 * was), which values the cloud allows once (so a replacement that keeps them must delete first), and what a
 * replacement means for running pods. One row per resource type the program declares, each with its
 * source; a type without a row is an error in the rehearsal, never a guess.
 *
 * Paths use the recorded inputs' names (Pulumi's camelCase), dotted; `*` matches one segment (a map key).
 */
import { AWS_SEMANTICS } from "./aws-semantics";

export interface UniqueKey {
  /** Input paths whose values together the cloud allows once at a time (the key holds only when each is set, but `optional` ones). */
  readonly fields: readonly string[];
  /** Fields of the key that may be absent, absence being one more value (a Route 53 record's setIdentifier). */
  readonly optional?: readonly string[];
  /** What a second one meets while the first still lives: the cloud's error, or an overwrite the first one's delete undoes. */
  readonly clash: string;
}

export interface TypeSemantics {
  /** Where the rules were read: repository, commit, file and lines. */
  readonly source: string;
  readonly forceNew: readonly string[];
  readonly optionalComputed: readonly string[];
  /**
   * The input pulumi-aws names by itself when the program leaves it out. Set by the program, a replacement
   * deletes the old one first (pulumi-terraform-bridge @ 59de6c66 pkg/tfbridge/provider.go L1275-1276,
   * schema.go L195-246 nameRequiresDeleteBeforeReplace); left out, the replacement gets a new name.
   */
  readonly autoName?: string;
  /** Values the cloud allows once at a time: a replacement created first that keeps them clashes with the old one. */
  readonly unique?: readonly UniqueKey[];
  /**
   * A Kubernetes object: pulumi-kubernetes deletes a named object before replacing it when its name and
   * namespace stay the same (provider.go L1645-1658 @ 94977969); otherwise the engine creates first.
   */
  readonly kubernetesObject?: boolean;
  /** What a replacement means for running pods, when it creates first and when it must delete first. */
  readonly podImpact?: { readonly createFirst: string; readonly deleteFirst: string };
  /** Said of a deletion. */
  readonly onDelete?: string;
  /** Outputs an in-place update gives a new value (which the resources reading them follow). */
  readonly updateChangesOutputs?: readonly string[];
  /** Said of this resource when something it reads is updated (updateChangesOutputs). */
  readonly onDependencyUpdate?: string;
}

/** The values of a unique key in these inputs, or undefined when a field it needs is not set. */
export function uniqueValues(key: UniqueKey, valueAt: (field: string) => unknown): unknown[] | undefined {
  const values = key.fields.map(valueAt);
  return key.fields.every((f, i) => values[i] !== undefined || (key.optional ?? []).includes(f)) ? values : undefined;
}

/** Whether a changed path is, or is inside, one of these (with `*` for any one segment). */
export function pathsStartWith(path: string, patterns: readonly string[]): boolean {
  // List positions are not part of a schema path: blockDeviceMappings.0.ebs is blockDeviceMappings.ebs.
  const segments = path.split(".").filter((s) => !/^\d+$/.test(s));
  return patterns.some((pattern) => {
    const want = pattern.split(".");
    return want.length <= segments.length && want.every((w, i) => w === "*" || w === segments[i]);
  });
}

/**
 * Whether an unknown value at `path` may hold one of these patterns (the path is a pattern's prefix, or
 * inside one): a whole input made unknown forces a replacement when a ForceNew field lies within it.
 */
export function pathsMayHold(path: string, patterns: readonly string[]): boolean {
  const segments = path.split(".").filter((s) => !/^\d+$/.test(s));
  return (
    pathsStartWith(path, patterns) ||
    patterns.some((pattern) => {
      const want = pattern.split(".");
      return segments.length < want.length && segments.every((s, i) => want[i] === "*" || want[i] === s);
    })
  );
}

/**
 * Whether the AWS provider keys this type by region. terraform-provider-aws v6 gives every regional resource a
 * `region` argument that replaces it when the region changes (names.AttrRegion, verify.SetRegionInState,
 * forceNewIfRegionChanges); IAM and Route 53 are global and have none.
 */
export function isRegional(type: string): boolean {
  // pulumi-eks's components stand for the regional aws.eks.Cluster and aws.eks.NodeGroup inside them.
  if (type === "eks:index:Cluster" || type === "eks:index:ManagedNodeGroup") return true;
  return type.startsWith("aws:") && !type.startsWith("aws:iam/") && !type.startsWith("aws:route53/");
}

const K8S =
  "pulumi/pulumi-kubernetes @ 94977969d64112b04e19945818a7d5d5f38f631d (the files read are unchanged since v4.32.0, a03ff6ba) provider/pkg/provider/diff.go L23-251 (forceNew per kind: metadata.name and metadata.namespace always, namespace ignored for cluster-scoped kinds), provider.go L1645-1658 (a named object keeping its name and namespace is deleted before it is replaced)";
const K8S_PODS = {
  createFirst: "its pods keep running until the new object takes over",
  deleteFirst:
    "pulumi-kubernetes deletes a named object before creating its replacement: its pods stop, and start again with the new one (an outage for this workload)",
};
const k8s = (extra: readonly string[] = [], pods = false): TypeSemantics => ({
  source: K8S,
  forceNew: ["metadata.name", "metadata.namespace", ...extra],
  optionalComputed: [],
  kubernetesObject: true,
  ...(pods ? { podImpact: K8S_PODS } : {}),
});

const PULUMI_EKS = "pulumi/pulumi-eks v4.3.0 (0f5a544711cbcace44720e2d70f6702925a2ea4b)";
/** A component whose own inputs change nothing in the cloud by themselves: its children carry the effects. */
const COMPONENT: TypeSemantics = {
  source: "a component resource: no cloud state of its own (its children are rehearsed one by one)",
  forceNew: [],
  optionalComputed: [],
};

export const SEMANTICS: Readonly<Record<string, TypeSemantics>> = {
  ...AWS_SEMANTICS,
  "aws:ec2/launchTemplate:LaunchTemplate": {
    ...AWS_SEMANTICS["aws:ec2/launchTemplate:LaunchTemplate"],
    // An update writes a new version (latest_version, Computed) rather than changing the template in place.
    updateChangesOutputs: ["latestVersion"],
  },
  // --- pulumi-eks components: each input is followed to the child and field it becomes. A reference to the
  // component stands for its child, as the SDK records it: an output of a remote component carries the URNs
  // its provider names for it (@pulumi/pulumi 3.270.0 runtime/resource.js L628-635).
  "eks:index:Cluster": {
    source: `${PULUMI_EKS} nodejs/eks/cluster/cluster.ts L687-762 (inputs to the aws.eks.Cluster child, whose name the program sets, so the bridge deletes it before replacing it; vpcConfig.subnetIds from privateSubnetIds L500-510, updated in place; vpcId feeds only the security groups the program skips, L545-565; bootstrapClusterCreatorAdminPermissions hard-coded true and ignored, L739-761), cluster/authenticationMode.ts L178-215 (each accessEntries key is an aws.eks.AccessEntry named <component>-<key>: a new key creates one, a removed key deletes one, a changed principalArn or type replaces it), with terraform-provider-aws aws_eks_cluster's ForceNew name and role_arn`,
    forceNew: ["name", "serviceRole"],
    optionalComputed: [],
    autoName: "name",
    unique: [{ fields: ["name"], clash: "CreateCluster answers ResourceInUseException: the cluster name is taken" }],
    podImpact: {
      createFirst: "a new control plane beside the old: every workload is redeployed onto it",
      deleteFirst: "the cluster and everything in it are deleted before the new one exists: a full outage",
    },
  },
  "eks:index:ManagedNodeGroup": {
    source: `${PULUMI_EKS} nodejs/eks/nodes/nodegroup.ts L1879-2126: the inputs spread into aws.eks.NodeGroup, whose cluster_name (from \`cluster\`, L2097), subnet_ids, instance_types, capacity_type, node_role_arn, node_group_name(_prefix), ami_type and launch_template.id force a new group; launchTemplate.version, scalingConfig, labels, taints, updateConfig, releaseVersion, version update in place (a rolling update)`,
    forceNew: [
      "cluster",
      "subnetIds",
      "instanceTypes",
      "capacityType",
      "nodeRole",
      "nodeRoleArn",
      "nodeGroupName",
      "nodeGroupNamePrefix",
      "amiType",
      "launchTemplate.id",
    ],
    optionalComputed: [],
    autoName: "nodeGroupName",
    podImpact: {
      createFirst:
        "the new group's nodes join before the old group is drained: pods move without an outage where PodDisruptionBudgets and replicas allow",
      deleteFirst: "the old nodes go before the new ones exist: pods wait, pending, for the new group",
    },
    onDependencyUpdate:
      "rolls its nodes to the launch template's new version (EKS's rolling update: new nodes first, the old drained)",
  },
  // --- pulumi-kubernetes
  "pulumi:providers:kubernetes": {
    // A known kubeconfig change replaces the provider only when the active cluster entry (server, CA) differs;
    // the render keeps the kubeconfig secret, so what shows is an unknown one: the cluster was replaced.
    source:
      "pulumi/pulumi-kubernetes @ 94977969d64112b04e19945818a7d5d5f38f631d provider/pkg/provider/provider.go L453-569 DiffConfig (replace when kubeconfig, context or cluster is unknown, or the active cluster entry differs; every other option updates the provider in place); the engine then replaces every object on a replaced provider, creating first (pulumi/pulumi @ 1b594989 pkg/resource/deploy/step_generator.go L2800-2926)",
    forceNew: ["kubeconfig", "context", "cluster", "clusterIdentifier", "renderYamlToDirectory"],
    optionalComputed: [],
  },
  "kubernetes:apps/v1:Deployment": k8s(["spec.selector"], true),
  "kubernetes:apps/v1:StatefulSet": k8s(
    [
      "spec.podManagementPolicy",
      "spec.revisionHistoryLimit",
      "spec.selector",
      "spec.serviceName",
      "spec.volumeClaimTemplates",
    ],
    true,
  ),
  "kubernetes:core/v1:Service": k8s(["spec.clusterIP"]),
  "kubernetes:core/v1:Namespace": {
    ...k8s(),
    // Cluster-scoped: the provider clears its namespace on both sides (provider.go L1511-1519), so only the name forces.
    forceNew: ["metadata.name"],
    podImpact: { createFirst: "", deleteFirst: "deleting a namespace deletes every object in it" },
    onDelete: "deleting a namespace deletes every object in it, whatever made it",
  },
  "kubernetes:networking.k8s.io/v1:NetworkPolicy": k8s(),
  "kubernetes:networking.k8s.io/v1:Ingress": k8s(),
  "kubernetes:policy/v1:PodDisruptionBudget": k8s(),
  // diff.go has no table for autoscaling/v2: only name and namespace force a new one; a changed range or target is a patch.
  "kubernetes:autoscaling/v2:HorizontalPodAutoscaler": k8s(),
  // Karpenter's custom resources: pulumi-kubernetes diffs a kind it has no table for by name and namespace only
  // (diff.go forceNew defaults); a changed spec is a patch, and Karpenter replaces the nodes that drifted from it
  // (karpenter.sh docs, Disruption, "Drift"), new nodes first, within the pool's disruption budget.
  "kubernetes:karpenter.sh/v1:NodePool": {
    ...k8s(),
    // kubernetes-sigs/karpenter @ 6e7eab7a pkg/controllers/nodeclaim/... nodeclaimtemplate.go L157-165: NodeClaims are owned by their NodePool.
    onDelete:
      "Karpenter drains and terminates every node this NodePool launched (its NodeClaims are owned by it, and deleted with it; karpenter.sh docs, Disruption, manual methods)",
  },
  "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass": k8s(),
  "kubernetes:helm.sh/v3:Release": {
    source:
      "pulumi/pulumi-kubernetes @ 94977969 provider/pkg/provider/helm_release.go L907, L928-936 (only name and namespace force a new release, never deleting first; any other change, chart and values included, is a helm upgrade; since 4.6.0 the resolved chart version is compared, #2672)",
    forceNew: ["name", "namespace"],
    optionalComputed: [],
  },
  "kubernetes:yaml/v2:ConfigGroup": {
    source:
      "pulumi/pulumi-kubernetes v4.32.0: a component applying each object server-side (provider/pkg/provider/yaml/v2); an object added is created, one removed is deleted, one changed is patched",
    forceNew: [],
    optionalComputed: [],
  },
  // --- pulumi-command
  "command:local:Command": {
    source:
      "pulumi/pulumi-command v1.2.1 (7f3eb6f3b77cd0fa3895ba437a695dd393f7dd25) provider/pkg/provider/local/inputs.go L10 (only triggers replace), commandController.go L67-99 (any other change is stored in place; destroy runs the delete command in state)",
    forceNew: ["triggers"],
    optionalComputed: [],
  },
  // --- this project's components
  "eks-platform:apps:Workload": COMPONENT,
  "eks-platform:cluster:Cluster": COMPONENT,
  "eks-platform:edge:AccessLogBucket": COMPONENT,
  "eks-platform:edge:WebAcl": COMPONENT,
  "eks-platform:iam:PodIdentity": COMPONENT,
  "eks-platform:karpenter:Karpenter": COMPONENT,
  "eks-platform:karpenter:KarpenterAws": COMPONENT,
  "eks-platform:karpenter:KarpenterNodePools": COMPONENT,
  "eks-platform:lab:NetworkLab": COMPONENT,
  "eks-platform:logging:LogsKey": COMPONENT,
  "eks-platform:network:FlowLogs": COMPONENT,
  "eks-platform:network:Network": COMPONENT,
  "eks-platform:platform:DnsRecordCleanup": COMPONENT,
  "eks-platform:platform:ExternalDns": COMPONENT,
  "eks-platform:platform:LoadBalancerController": COMPONENT,
  "eks-platform:tls:Certificate": COMPONENT,
  "pulumi:pulumi:Stack": COMPONENT,
};

/** The rules of a type; a type without them is an error: the rehearsal never guesses. */
export function semanticsOf(type: string): TypeSemantics {
  const rules = SEMANTICS[type];
  if (!rules)
    throw new Error(
      `the change rehearsal has no update semantics for ${type}: add a row, read from its provider's source, to render/rehearsal/semantics.ts`,
    );
  return rules;
}
