import * as aws from "@pulumi/aws";
import * as eks from "@pulumi/eks";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { type InstanceNetworkLimits, kubeReservedMemoryMiB, nodeGroupMaxPods } from "./max-pods";
import { kubeletNodeConfig, NODEADM_CONTENT_TYPE, vpcCniConfiguration } from "./node-config";

/** Control-plane log types sent to CloudWatch: who called the API, what they did, how they authenticated. */
export const CONTROL_PLANE_LOG_TYPES = ["api", "audit", "authenticator"];

/** Managed policies every node needs: join the cluster, pull images, and (vpc-cni) manage ENIs. */
export const NODE_MANAGED_POLICIES = [
  "AmazonEKSWorkerNodePolicy",
  "AmazonEC2ContainerRegistryReadOnly",
  "AmazonEKS_CNI_Policy",
] as const;

/** Managed node group capacity: on-demand or spot instances. */
export const CAPACITY_TYPES = ["ON_DEMAND", "SPOT"] as const;
export type CapacityType = (typeof CAPACITY_TYPES)[number];

/** EKS access policy for cluster administrators. https://docs.aws.amazon.com/eks/latest/userguide/access-policy-permissions.html */
export const CLUSTER_ADMIN_POLICY = "AmazonEKSClusterAdminPolicy";

export interface NodeGroupSpec {
  /** Node group name, unique in the cluster. */
  readonly name: string;
  /** Instance types; all of one CPU architecture. */
  readonly instanceTypes: readonly string[];
  /** Network limits per instance type (from the EC2 API), for the max-pods calculation. */
  readonly instanceLimits: Readonly<Record<string, InstanceNetworkLimits>>;
  readonly minSize: number;
  readonly desiredSize: number;
  readonly maxSize: number;
  /** Default ON_DEMAND. */
  readonly capacityType: CapacityType;
  /** Root volume in GiB. */
  readonly diskSize: number;
  /** Replaces the calculated max pods (validated in config to stay within what the instances address). */
  readonly maxPodsOverride?: number;
}

export interface ClusterArgs {
  /** Physical cluster name (also in the subnets' `kubernetes.io/cluster/<name>` tag). */
  readonly clusterName: string;
  /** Kubernetes minor version, e.g. "1.35". */
  readonly kubernetesVersion: string;
  readonly vpcId: pulumi.Input<string>;
  /** Private subnets: nodes and the control plane's ENIs. Public subnets are found by the LB controller through their tags. */
  readonly privateSubnetIds: pulumi.Input<string>[];
  /** CIDRs allowed to reach the public API endpoint. Default in config: 0.0.0.0/0. */
  readonly publicAccessCidrs: readonly string[];
  /** IAM principals given cluster-admin through access entries. The deployer is admin as the cluster's creator. */
  readonly adminPrincipalArns: readonly string[];
  /** VPC CNI prefix delegation: /28 blocks per ENI slot instead of single IPs. https://docs.aws.amazon.com/eks/latest/userguide/cni-increase-ip-addresses.html */
  readonly prefixDelegation: boolean;
  /** Managed node groups, each spread over every private subnet. */
  readonly nodeGroups: readonly NodeGroupSpec[];
  readonly tags?: Readonly<Record<string, string>>;
}

/** What a node group came to: published as a stack output. */
export interface NodeGroupSummary {
  readonly instanceTypes: readonly string[];
  readonly maxPods: number;
  readonly kubeReservedMemory: string;
}

/**
 * EKS cluster with its add-ons and managed node groups, in the order that gives nodes the right pod
 * capacity: cluster -> vpc-cni (prefix delegation on) -> node groups -> coredns.
 */
export class Cluster extends pulumi.ComponentResource {
  public readonly clusterName: pulumi.Output<string>;
  public readonly kubeconfig: pulumi.Output<string>;
  /** Kubernetes provider for this cluster, for everything deployed into it. */
  public readonly provider: k8s.Provider;
  /** The add-ons and node groups: platform controllers depend on these, so they start on ready nodes. */
  public readonly nodeGroups: eks.ManagedNodeGroup[];
  public readonly addons: Readonly<Record<"vpcCni" | "kubeProxy" | "podIdentityAgent" | "coredns", aws.eks.Addon>>;
  public readonly nodeGroupSummaries: Readonly<Record<string, NodeGroupSummary>>;

  constructor(name: string, args: ClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("eks-platform:cluster:Cluster", name, {}, opts);
    const parent = { parent: this };

    const nodeRole = new aws.iam.Role(
      `${name}-node`,
      {
        assumeRolePolicy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
        }),
        tags: args.tags,
      },
      parent,
    );
    const partition = aws.getPartitionOutput({}, parent).partition;
    const nodeRolePolicies = NODE_MANAGED_POLICIES.map(
      (policy) =>
        new aws.iam.RolePolicyAttachment(
          `${name}-node-${policy}`,
          { role: nodeRole.name, policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/${policy}` },
          parent,
        ),
    );

    const cluster = new eks.Cluster(
      `${name}-eks`,
      {
        name: args.clusterName,
        version: args.kubernetesVersion,
        vpcId: args.vpcId,
        privateSubnetIds: args.privateSubnetIds,
        endpointPrivateAccess: true,
        endpointPublicAccess: true,
        publicAccessCidrs: [...args.publicAccessCidrs],
        authenticationMode: eks.AuthenticationMode.Api,
        accessEntries: Object.fromEntries(
          args.adminPrincipalArns.map((arn, i) => [
            `admin-${i}`,
            {
              principalArn: arn,
              accessPolicies: {
                admin: {
                  policyArn: `arn:${arnPartition(arn)}:eks::aws:cluster-access-policy/${CLUSTER_ADMIN_POLICY}`,
                  accessScope: { type: "cluster" },
                },
              },
            },
          ]),
        ),
        enabledClusterLogTypes: CONTROL_PLANE_LOG_TYPES,
        skipDefaultNodeGroup: true,
        // The node role's access entry (EC2_LINUX) comes from here.
        instanceRoles: [nodeRole],
        // Every add-on is an EKS managed add-on created below, so its order is ours to set.
        bootstrapSelfManagedAddons: false,
        useDefaultVpcCni: true,
        corednsAddonOptions: { enabled: false },
        kubeProxyAddonOptions: { enabled: false },
        // Controllers get AWS permissions through Pod Identity, not IRSA.
        createOidcProvider: false,
        // Stay on standard support: extended support costs six times as much per cluster hour.
        upgradePolicy: { supportType: "STANDARD" },
        tags: args.tags,
      },
      { parent: this, dependsOn: nodeRolePolicies },
    );

    const addon = (addonName: string, extra: Partial<aws.eks.AddonArgs>, dependsOn: pulumi.Resource[]): aws.eks.Addon =>
      new aws.eks.Addon(
        `${name}-${addonName}`,
        {
          clusterName: args.clusterName,
          addonName,
          // Version unset: EKS installs its default version for the cluster's Kubernetes version.
          resolveConflictsOnCreate: "OVERWRITE",
          resolveConflictsOnUpdate: "OVERWRITE",
          tags: args.tags,
          ...extra,
        },
        { parent: this, dependsOn },
      );

    const vpcCni = addon("vpc-cni", { configurationValues: vpcCniConfiguration(args.prefixDelegation) }, [cluster]);
    const kubeProxy = addon("kube-proxy", {}, [cluster]);
    const podIdentityAgent = addon("eks-pod-identity-agent", {}, [cluster]);

    const summaries: Record<string, NodeGroupSummary> = {};
    this.nodeGroups = args.nodeGroups.map((spec) => {
      const summary = nodeGroupSummary(spec, args.prefixDelegation);
      summaries[spec.name] = summary;
      return new eks.ManagedNodeGroup(
        `${name}-${spec.name}`,
        {
          cluster,
          nodeGroupNamePrefix: `${spec.name}-`,
          nodeRole,
          subnetIds: args.privateSubnetIds,
          instanceTypes: [...spec.instanceTypes],
          capacityType: spec.capacityType,
          diskSize: spec.diskSize,
          scalingConfig: { minSize: spec.minSize, desiredSize: spec.desiredSize, maxSize: spec.maxSize },
          operatingSystem: eks.OperatingSystem.AL2023,
          enableIMDSv2: true,
          nodeadmExtraOptions: [{ contentType: NODEADM_CONTENT_TYPE, content: kubeletNodeConfig(summary.maxPods) }],
          labels: { "eks-platform/node-group": spec.name },
          tags: args.tags,
        },
        // A node that boots before prefix delegation is on keeps the wrong pod capacity for life.
        { parent: this, dependsOn: [vpcCni, kubeProxy, podIdentityAgent] },
      );
    });

    // CoreDNS is a Deployment: the add-on only turns ACTIVE once nodes can run it.
    const coredns = addon("coredns", {}, this.nodeGroups);

    this.addons = { vpcCni, kubeProxy, podIdentityAgent, coredns };
    this.nodeGroupSummaries = summaries;
    // The physical name is ours; deriving it from the cluster's URN carries the dependency on the cluster.
    this.clusterName = cluster.urn.apply(() => args.clusterName);
    this.kubeconfig = pulumi.secret(cluster.kubeconfigJson);
    this.provider = new k8s.Provider(
      `${name}-k8s`,
      { kubeconfig: this.kubeconfig, enableServerSideApply: true, deleteUnreachable: true },
      { parent: this, dependsOn: [cluster] },
    );
    this.registerOutputs({ clusterName: this.clusterName, kubeconfig: this.kubeconfig, nodeGroups: this.nodeGroupSummaries });
  }
}

/** Partition of an ARN (aws, aws-cn, aws-us-gov), so access policies resolve in any partition. */
function arnPartition(arn: string): string {
  return arn.split(":")[1];
}

/** Max pods and kube-reserved memory for a node group: the smallest calculator value over its types. */
export function nodeGroupSummary(spec: NodeGroupSpec, prefixDelegation: boolean): NodeGroupSummary {
  const limits = spec.instanceTypes.map((t) => {
    const l = spec.instanceLimits[t];
    if (!l) throw new Error(`node group ${spec.name}: no network limits for instance type ${t}`);
    return l;
  });
  const pods = nodeGroupMaxPods(limits, { prefixDelegation }, spec.maxPodsOverride);
  return { instanceTypes: spec.instanceTypes, maxPods: pods, kubeReservedMemory: `${kubeReservedMemoryMiB(pods)}Mi` };
}
