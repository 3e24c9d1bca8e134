/**
 * What a change to each resource type's inputs does on `pulumi up`, read from the pinned providers: which
 * input paths force a replacement, which are Optional + Computed (removing the input leaves the cloud as it
 * was), which values the cloud allows once (so a replacement that keeps them must delete first), and what a
 * replacement means for running pods. One row per resource type the program declares, each with the sources it
 * was read from (permalinks: repository, commit, file and lines) and notes on what the lists cannot say; a type
 * without a row is an error in the rehearsal, never a guess.
 *
 * Paths use the recorded inputs' names (Pulumi's camelCase), dotted; `*` matches one segment (a map key).
 */

import { AWS, COMMAND, COMPONENTS, KUBERNETES, PULUMI, PULUMI_EKS } from "../../components/resource-types";
import { AWS_SEMANTICS } from "./aws-semantics";

export interface UniqueKey {
  /**
   * Input paths whose values together the cloud allows once at a time (the key holds only when each is set, but
   * `optional` ones).
   */
  readonly fields: readonly string[];
  /** Fields of the key that may be absent, absence being one more value (a Route 53 record's setIdentifier). */
  readonly optional?: readonly string[];
  /**
   * What a second one meets while the first still lives: the cloud's error, or an overwrite the first one's delete
   * undoes.
   */
  readonly clash: string;
}

/** Where a rule was read: one permalink's parts. */
export interface SourceRef {
  /** The GitHub repository, owner/name: "hashicorp/terraform-provider-aws". */
  readonly repository: string;
  /** The file (or folder) in it: "internal/service/acm/certificate.go". */
  readonly path: string;
  /** The full 40-hex commit the file was read at. */
  readonly commit?: string;
  /** The lines read, as GitHub anchors them: "L73-L266". */
  readonly lines?: string;
  /** When no commit is known: the release the file was read at, e.g. "v6.66.0" or "v5.8x". */
  readonly version?: string;
}

/**
 * A GitHub address for a source: a permalink at its commit, else at its release tag, else the repository with the
 * version in parentheses.
 */
export function permalink(ref: SourceRef): string {
  const repository = `https://github.com/${ref.repository}`;
  const anchor = ref.lines ? `#${ref.lines}` : "";
  if (ref.commit) return `${repository}/blob/${ref.commit}/${ref.path}${anchor}`;
  if (ref.version && /^v\d+\.\d+\.\d+$/.test(ref.version))
    return `${repository}/blob/${ref.version}/${ref.path}${anchor}`;
  // No commit to pin: the repository, the file and its lines, and the release they were read at.
  return `${repository} ${ref.path}${ref.lines ? ` ${ref.lines}` : ""}${ref.version ? ` (${ref.version})` : ""}`;
}

/** A row's sources for display: their permalinks, joined by "; ". */
export function sourceText(rules: TypeSemantics): string {
  return rules.sources.map(permalink).join("; ");
}

export interface TypeSemantics {
  /** Where the rules were read (at least one). */
  readonly sources: readonly SourceRef[];
  /** Conditional behaviours the lists below cannot say, each a short sentence or two. */
  readonly notes?: readonly string[];
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
  if (type === PULUMI_EKS.cluster || type === PULUMI_EKS.managedNodeGroup) return true;
  return type.startsWith("aws:") && !type.startsWith("aws:iam/") && !type.startsWith("aws:route53/");
}

const PULUMI_KUBERNETES = "pulumi/pulumi-kubernetes";
const PULUMI_KUBERNETES_COMMIT = "94977969d64112b04e19945818a7d5d5f38f631d";
/** pulumi-kubernetes' diff rules; both files are the same at this commit as at v4.32.0 (a03ff6ba). */
const K8S: readonly SourceRef[] = [
  {
    repository: PULUMI_KUBERNETES,
    path: "provider/pkg/provider/diff.go",
    commit: PULUMI_KUBERNETES_COMMIT,
    lines: "L23-L251",
  },
  {
    repository: PULUMI_KUBERNETES,
    path: "provider/pkg/provider/provider.go",
    commit: PULUMI_KUBERNETES_COMMIT,
    lines: "L1645-L1658",
  },
];
const K8S_NOTES = [
  "forceNew per kind: metadata.name and metadata.namespace always; the namespace is ignored for cluster-scoped kinds",
  "a named object that keeps its name and namespace is deleted before it is replaced",
];
const K8S_PODS = {
  createFirst: "its pods keep running until the new object takes over",
  deleteFirst:
    "pulumi-kubernetes deletes a named object before creating its replacement: its pods stop, and start again with the new one (an outage for this workload)",
};
const k8s = (extra: readonly string[] = [], pods = false): TypeSemantics => ({
  sources: K8S,
  notes: K8S_NOTES,
  forceNew: ["metadata.name", "metadata.namespace", ...extra],
  optionalComputed: [],
  kubernetesObject: true,
  ...(pods ? { podImpact: K8S_PODS } : {}),
});

/** pulumi/pulumi-eks v4.3.0, the version @pulumi/eks 4.3.0 is built from. */
const eks = (path: string, lines: string): SourceRef => ({
  repository: "pulumi/pulumi-eks",
  path,
  commit: "0f5a544711cbcace44720e2d70f6702925a2ea4b",
  lines,
});
/** The engine's step generator, pulumi/pulumi @ 1b594989. */
const engine = (lines: string): SourceRef => ({
  repository: "pulumi/pulumi",
  path: "pkg/resource/deploy/step_generator.go",
  commit: "1b5949891b3cefcb9974752b24a5ecef0acc86c8",
  lines,
});
/** A component whose own inputs change nothing in the cloud by themselves: its children carry the effects. */
const COMPONENT: TypeSemantics = {
  sources: [engine("L3268-L3415")],
  notes: ["a component has no cloud state of its own: its children are rehearsed one by one"],
  forceNew: [],
  optionalComputed: [],
};

export const SEMANTICS: Readonly<Record<string, TypeSemantics>> = {
  ...AWS_SEMANTICS,
  [AWS.launchTemplate]: {
    ...AWS_SEMANTICS[AWS.launchTemplate],
    // An update writes a new version (latest_version, Computed) rather than changing the template in place.
    updateChangesOutputs: ["latestVersion"],
  },
  // --- pulumi-eks components: each input is followed to the child and field it becomes. A reference to the
  // component stands for its child, as the SDK records it: an output of a remote component carries the URNs
  // its provider names for it (@pulumi/pulumi 3.270.0 runtime/resource.js L628-635).
  [PULUMI_EKS.cluster]: {
    sources: [
      eks("nodejs/eks/cluster/cluster.ts", "L687-L762"),
      eks("nodejs/eks/cluster/cluster.ts", "L500-L510"),
      eks("nodejs/eks/cluster/cluster.ts", "L545-L565"),
      eks("nodejs/eks/cluster/cluster.ts", "L739-L761"),
      eks("nodejs/eks/cluster/authenticationMode.ts", "L178-L215"),
      ...AWS_SEMANTICS[AWS.eksCluster].sources,
    ],
    notes: [
      "name and serviceRole become the aws.eks.Cluster child's name and roleArn, which are ForceNew",
      "the program sets the child's name, so the bridge deletes the old cluster before creating its replacement",
      "vpcConfig.subnetIds comes from privateSubnetIds and is updated in place",
      "vpcId feeds only the security groups the program skips",
      "bootstrapClusterCreatorAdminPermissions is hard-coded true and ignored",
      "each accessEntries key is an aws.eks.AccessEntry named <component>-<key>",
      "a new accessEntries key creates an entry, a removed key deletes one",
      "a changed principalArn or type of an access entry replaces that entry",
    ],
    forceNew: ["name", "serviceRole"],
    optionalComputed: [],
    autoName: "name",
    unique: [{ fields: ["name"], clash: "CreateCluster answers ResourceInUseException: the cluster name is taken" }],
    podImpact: {
      createFirst: "a new control plane beside the old: every workload is redeployed onto it",
      deleteFirst: "the cluster and everything in it are deleted before the new one exists: a full outage",
    },
  },
  [PULUMI_EKS.managedNodeGroup]: {
    sources: [eks("nodejs/eks/nodes/nodegroup.ts", "L1879-L2126"), eks("nodejs/eks/nodes/nodegroup.ts", "L2097")],
    notes: [
      "the inputs are spread into aws.eks.NodeGroup; cluster becomes its clusterName",
      "cluster, subnetIds, instanceTypes, capacityType, nodeRole(Arn) and nodeGroupName(Prefix) force a new group",
      "amiType and launchTemplate.id force a new group too",
      "launchTemplate.version, scalingConfig, labels and taints update in place (a rolling update)",
      "updateConfig, releaseVersion and version update in place too",
    ],
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
  [KUBERNETES.provider]: {
    // A known kubeconfig change replaces the provider only when the active cluster entry (server, CA) differs;
    // the render keeps the kubeconfig secret, so what shows is an unknown one: the cluster was replaced.
    sources: [
      {
        repository: PULUMI_KUBERNETES,
        path: "provider/pkg/provider/provider.go",
        commit: PULUMI_KUBERNETES_COMMIT,
        lines: "L453-L569",
      },
      engine("L2800-L2926"),
    ],
    notes: [
      "DiffConfig replaces the provider when kubeconfig, context or cluster is unknown",
      "DiffConfig replaces the provider when the active cluster entry (server, CA) differs",
      "every other option updates the provider in place",
      "the engine replaces every object on a replaced provider, creating first",
    ],
    forceNew: ["kubeconfig", "context", "cluster", "clusterIdentifier", "renderYamlToDirectory"],
    optionalComputed: [],
  },
  [KUBERNETES.deployment]: k8s(["spec.selector"], true),
  [KUBERNETES.statefulSet]: k8s(
    [
      "spec.podManagementPolicy",
      "spec.revisionHistoryLimit",
      "spec.selector",
      "spec.serviceName",
      "spec.volumeClaimTemplates",
    ],
    true,
  ),
  [KUBERNETES.service]: k8s(["spec.clusterIP"]),
  [KUBERNETES.namespace]: {
    ...k8s(),
    // Cluster-scoped: the provider clears its namespace on both sides (provider.go L1511-1519), so only the name
    // forces.
    forceNew: ["metadata.name"],
    podImpact: { createFirst: "", deleteFirst: "deleting a namespace deletes every object in it" },
    onDelete: "deleting a namespace deletes every object in it, whatever made it",
  },
  [KUBERNETES.networkPolicy]: k8s(),
  [KUBERNETES.ingress]: k8s(),
  [KUBERNETES.podDisruptionBudget]: k8s(),
  // diff.go has no table for autoscaling/v2: only name and namespace force a new one; a changed range or target is
  // a patch.
  [KUBERNETES.horizontalPodAutoscaler]: k8s(),
  // Karpenter's custom resources: pulumi-kubernetes diffs a kind it has no table for by name and namespace only
  // (diff.go forceNew defaults); a changed spec is a patch, and Karpenter replaces the nodes that drifted from it
  // (karpenter.sh docs, Disruption, "Drift"), new nodes first, within the pool's disruption budget.
  [KUBERNETES.nodePool]: {
    ...k8s(),
    // kubernetes-sigs/karpenter @ 6e7eab7a pkg/controllers/nodeclaim/... nodeclaimtemplate.go L157-165: NodeClaims
    // are owned by their NodePool.
    onDelete:
      "Karpenter drains and terminates every node this NodePool launched (its NodeClaims are owned by it, and deleted with it; karpenter.sh docs, Disruption, manual methods)",
  },
  [KUBERNETES.ec2NodeClass]: k8s(),
  // The shared games ALB's class and its parameters: cluster-scoped, so only the name forces (as a Namespace;
  // an IngressClass's spec.controller is immutable in the API, and the program never changes it);
  // the controller's own CRD, a kind diff.go has no table for (forceNew defaults: name and namespace).
  [KUBERNETES.ingressClass]: { ...k8s(), forceNew: ["metadata.name"] },
  [KUBERNETES.ingressClassParams]: { ...k8s(), forceNew: ["metadata.name"] },
  [KUBERNETES.helmRelease]: {
    sources: [
      {
        repository: PULUMI_KUBERNETES,
        path: "provider/pkg/provider/helm_release.go",
        commit: PULUMI_KUBERNETES_COMMIT,
        lines: "L907",
      },
      {
        repository: PULUMI_KUBERNETES,
        path: "provider/pkg/provider/helm_release.go",
        commit: PULUMI_KUBERNETES_COMMIT,
        lines: "L928-L936",
      },
    ],
    notes: [
      "only name and namespace force a new release, never deleting first",
      "any other change, chart and values included, is a helm upgrade",
      "since 4.6.0 the resolved chart version is compared (#2672)",
    ],
    forceNew: ["name", "namespace"],
    optionalComputed: [],
  },
  [KUBERNETES.configGroup]: {
    sources: [{ repository: PULUMI_KUBERNETES, path: "provider/pkg/provider/yaml/v2", version: "v4.32.0" }],
    notes: [
      "a component applying each object server-side",
      "an object added is created, one removed is deleted, one changed is patched",
    ],
    forceNew: [],
    optionalComputed: [],
  },
  // --- pulumi-command
  [COMMAND.local]: {
    sources: [
      {
        repository: "pulumi/pulumi-command",
        path: "provider/pkg/provider/local/inputs.go",
        commit: "7f3eb6f3b77cd0fa3895ba437a695dd393f7dd25",
        lines: "L10",
      },
      {
        repository: "pulumi/pulumi-command",
        path: "provider/pkg/provider/local/commandController.go",
        commit: "7f3eb6f3b77cd0fa3895ba437a695dd393f7dd25",
        lines: "L67-L99",
      },
    ],
    notes: [
      "only a change of triggers replaces the command",
      "any other change is stored in place; destroy runs the delete command in the state",
    ],
    forceNew: ["triggers"],
    optionalComputed: [],
  },
  // --- this project's components
  [COMPONENTS.workload]: COMPONENT,
  [COMPONENTS.cluster]: COMPONENT,
  [COMPONENTS.accessLogBucket]: COMPONENT,
  [COMPONENTS.webAcl]: COMPONENT,
  [COMPONENTS.podIdentity]: COMPONENT,
  [COMPONENTS.karpenter]: COMPONENT,
  [COMPONENTS.karpenterAws]: COMPONENT,
  [COMPONENTS.karpenterNodePools]: COMPONENT,
  [COMPONENTS.networkLab]: COMPONENT,
  [COMPONENTS.logsKey]: COMPONENT,
  [COMPONENTS.flowLogs]: COMPONENT,
  [COMPONENTS.network]: COMPONENT,
  [COMPONENTS.dnsRecordCleanup]: COMPONENT,
  [COMPONENTS.karpenterInstancesCleanup]: COMPONENT,
  [COMPONENTS.spotServiceLinkedRole]: COMPONENT,
  [COMPONENTS.externalDns]: COMPONENT,
  [COMPONENTS.loadBalancerController]: COMPONENT,
  [COMPONENTS.certificate]: COMPONENT,
  [PULUMI.stack]: COMPONENT,
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
