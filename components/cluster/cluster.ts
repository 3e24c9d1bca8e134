import * as aws from "@pulumi/aws";
import * as eks from "@pulumi/eks";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { KMS_KEY_DELETION_WINDOW_DAYS } from "../logging/key-deletion";
import { COMPONENTS } from "../resource-types";
import { IPVS_KERNEL_MODULES, type KubeProxyMode, kubeProxyConfiguration, vpcCniConfiguration } from "./addon-config";
import { type AddonName, addonVersions } from "./addon-versions";
import type { SupportType } from "./eks-versions";
import { controlPlaneLogGroupName, secretsKeyPolicy } from "./encryption";
import { type InstanceNetworkLimits, kubeReservedMemoryMiB, nodeGroupMaxPods } from "./max-pods";
import { NODE_GROUP_LABEL, nodeUserData } from "./node-config";

/**
 * The control-plane log types EKS can send to CloudWatch (EKS user guide, control-plane-logs.html): who
 * called the API, what they did, how they authenticated, and the controller manager's and scheduler's own
 * logs. All five by default (checkov CKV_AWS_37); config controlPlaneLogTypes may choose fewer.
 */
export const CONTROL_PLANE_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;
export type ControlPlaneLogType = (typeof CONTROL_PLANE_LOG_TYPES)[number];

/**
 * Managed policies every node needs: join the cluster (and the Pod Identity agent), pull images, and
 * (vpc-cni, which has no role of its own here) manage ENIs. PullOnly, not ReadOnly: pulling is all a node
 * does with ECR. EKS user guide, "Amazon EKS node IAM role" (create-node-role.html). The EKS guide would give
 * the CNI a role of its own so that pods cannot use the node role's ENI permissions; here no pod reaches the
 * node role at all (IMDSv2 with hop limit 1 on every node, nodes-imdsv2), which is what that guards against.
 */
export const NODE_MANAGED_POLICIES = [
  "AmazonEKSWorkerNodePolicy",
  "AmazonEC2ContainerRegistryPullOnly",
  "AmazonEKS_CNI_Policy",
] as const;

/** The cluster role's managed policy (EKS user guide, "Amazon EKS cluster IAM role"). */
export const CLUSTER_MANAGED_POLICY = "AmazonEKSClusterPolicy";

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
  /** Root volume in GiB: encrypted gp3. */
  readonly diskSize: number;
  /** Replaces the calculated max pods (validated in config to stay within what the instances address). */
  readonly maxPodsOverride?: number;
}

export interface ClusterArgs {
  /** Physical cluster name (also in the subnets' `kubernetes.io/cluster/<name>` tag). */
  readonly clusterName: string;
  /** Kubernetes minor version, e.g. "1.35". */
  readonly kubernetesVersion: string;
  /** The account and partition, for the secrets key's policy. */
  readonly accountId: string;
  /** AWS partition of the account (aws, aws-cn, aws-us-gov), for ARNs. */
  readonly partition: string;
  /** Days CloudWatch keeps the control-plane logs (one of the periods CloudWatch Logs accepts). */
  readonly logRetentionDays: number;
  /** Which control-plane logs EKS sends (config controlPlaneLogTypes). */
  readonly logTypes: readonly ControlPlaneLogType[];
  /** The customer-managed key the control-plane log group is encrypted with (components/logging/logs-key.ts). */
  readonly logsKeyArn: pulumi.Input<string>;
  /** The VPC the cluster runs in. */
  readonly vpcId: pulumi.Input<string>;
  /** Private subnets: nodes and the control plane's ENIs. Public subnets are found by the LB controller through their tags. */
  readonly privateSubnetIds: pulumi.Input<string>[];
  /** CIDRs allowed to reach the public API endpoint. Default in config: 0.0.0.0/0. */
  readonly publicAccessCidrs: readonly string[];
  /**
   * IAM principals given cluster-admin through access entries of ours (config/resolve.ts adminAccess decides them
   * from the configured list and the cluster's own entries, never from who deploys).
   */
  readonly adminPrincipalArns: readonly string[];
  /** EKS upgrade policy at the end of standard support (components/cluster/eks-versions.ts). */
  readonly supportType: SupportType;
  /** VPC CNI prefix delegation: /28 blocks per ENI slot instead of single IPs. https://docs.aws.amazon.com/eks/latest/userguide/cni-increase-ip-addresses.html */
  readonly prefixDelegation: boolean;
  /** kube-proxy's mode (iptables, the default; ipvs; nftables): the add-on's configuration, and IPVS's kernel modules on the nodes. */
  readonly kubeProxyMode: KubeProxyMode;
  /** Managed node groups, each spread over every private subnet. */
  readonly nodeGroups: readonly NodeGroupSpec[];
  /**
   * The node image: an EKS-optimized AL2023 AMI resolved by its exact name (see node-image.ts), so it
   * changes only when configuration does. Every node group runs it.
   */
  readonly nodeImage: { readonly id: string; readonly name: string };
  /**
   * What the nodes' egress rides on: the private subnets' NAT gateways, route tables and associations.
   * Node groups wait for them, so nodes boot with a route out, and `pulumi destroy` deletes them only
   * after the nodes, and so after the controllers that need the AWS APIs to delete load balancers.
   */
  readonly nodeEgress: readonly pulumi.Resource[];
  /** Tags for every AWS resource it makes (default: none). */
  readonly tags?: Readonly<Record<string, string>>;
}

/** What a node group came to: published as a stack output. */
export interface NodeGroupSummary {
  readonly instanceTypes: readonly string[];
  readonly maxPods: number;
  readonly kubeReservedMemory: string;
}

/**
 * The tag on every access entry this program makes, so a later run tells its own entries from the one EKS
 * made for the cluster's creator (pulumi-eks 4.3.0 sets bootstrapClusterCreatorAdminPermissions true and
 * ignores changes to it, cluster.ts L739-761 @ 0f5a5447) and leaves that one alone.
 */
export const ADMIN_ACCESS_ENTRY_TAG = { key: "eks-platform/access-entry", value: "admin" } as const;

/**
 * The key of a principal's access entry: pulumi-eks names each entry `<cluster component>-<key>`
 * (cluster/authenticationMode.ts L178-215 @ 0f5a5447), so keying by the principal itself, not by its
 * place in a list, keeps every other principal's entry as it is when one is added, removed or moved.
 */
export function adminAccessEntryKey(principalArn: string): string {
  const [, , , , account, resource] = principalArn.split(":");
  return `admin-${account}-${resource.replace(/[^A-Za-z0-9_.@+=,-]/g, "-")}`;
}

/**
 * EKS cluster with its add-ons and managed node groups, in the order that gives nodes the right pod
 * capacity: cluster -> vpc-cni (prefix delegation on) -> node groups -> coredns. Each node group runs
 * on a launch template this component owns: the pinned image, the nodeadm user data that sets max pods,
 * IMDSv2 with hop limit 1, and an encrypted gp3 root volume.
 */
export class Cluster extends pulumi.ComponentResource {
  public readonly clusterName: pulumi.Output<string>;
  public readonly kubeconfig: pulumi.Output<string>;
  /** Kubernetes provider for this cluster, for everything deployed into it. */
  public readonly provider: k8s.Provider;
  /** The add-ons and node groups: platform controllers depend on these, so they start on ready nodes. */
  public readonly nodeGroups: eks.ManagedNodeGroup[];
  public readonly addons: Readonly<
    Record<"vpcCni" | "kubeProxy" | "podIdentityAgent" | "coredns" | "metricsServer", aws.eks.Addon>
  >;
  public readonly nodeGroupSummaries: Readonly<Record<string, NodeGroupSummary>>;
  /** The security group EKS made for the cluster, which the managed nodes run in (and Karpenter's nodes join). */
  public readonly clusterSecurityGroupId: pulumi.Output<string>;

  constructor(name: string, args: ClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super(COMPONENTS.cluster, name, {}, opts);
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

    // The cluster role is ours (not pulumi-eks's) so the secrets key's policy can name it before the cluster exists.
    const clusterRole = new aws.iam.Role(
      `${name}-cluster`,
      {
        assumeRolePolicy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Principal: { Service: "eks.amazonaws.com" },
              Action: ["sts:AssumeRole", "sts:TagSession"],
            },
          ],
        }),
        tags: args.tags,
      },
      parent,
    );
    const clusterRolePolicy = new aws.iam.RolePolicyAttachment(
      `${name}-cluster-AmazonEKSClusterPolicy`,
      { role: clusterRole.name, policyArn: `arn:${args.partition}:iam::aws:policy/${CLUSTER_MANAGED_POLICY}` },
      parent,
    );
    // Kubernetes secrets are envelope-encrypted with our key: rotated yearly, administered by the account,
    // used only by the cluster role. Deleting the stack schedules its deletion (KMS_KEY_DELETION_WINDOW_DAYS).
    const secretsKey = new aws.kms.Key(
      `${name}-secrets`,
      {
        description: `Envelope encryption of Kubernetes secrets in ${args.clusterName}`,
        enableKeyRotation: true,
        deletionWindowInDays: KMS_KEY_DELETION_WINDOW_DAYS,
        policy: clusterRole.arn.apply((clusterRoleArn) =>
          JSON.stringify(secretsKeyPolicy({ partition: args.partition, accountId: args.accountId, clusterRoleArn })),
        ),
        tags: args.tags,
      },
      parent,
    );
    // Created before the cluster, with a retention and our key: EKS would otherwise create it unencrypted
    // (checkov CKV_AWS_158) with logs kept forever.
    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-control-plane`,
      {
        name: controlPlaneLogGroupName(args.clusterName),
        retentionInDays: args.logRetentionDays,
        kmsKeyId: args.logsKeyArn,
        tags: args.tags,
      },
      parent,
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
        // API mode: access entries only, no aws-auth ConfigMap. The node role needs no entry from us:
        // EKS creates the EC2_LINUX entry of a managed node group's role itself (EKS user guide,
        // creating-access-entries), and pulumi-eks creates one only for the singular default
        // `instanceRole` (nodejs/eks/cluster/cluster.ts L1031-1058 @ 0f5a5447), which we do not use;
        // `instanceRoles` is rejected in API mode (cluster/authenticationMode.ts L38-52).
        authenticationMode: eks.AuthenticationMode.Api,
        accessEntries: Object.fromEntries(
          args.adminPrincipalArns.map((arn) => [
            adminAccessEntryKey(arn),
            {
              principalArn: arn,
              tags: { ...args.tags, [ADMIN_ACCESS_ENTRY_TAG.key]: ADMIN_ACCESS_ENTRY_TAG.value },
              accessPolicies: {
                admin: {
                  policyArn: `arn:${arnPartition(arn)}:eks::aws:cluster-access-policy/${CLUSTER_ADMIN_POLICY}`,
                  accessScope: { type: "cluster" },
                },
              },
            },
          ]),
        ),
        enabledClusterLogTypes: [...args.logTypes],
        serviceRole: clusterRole,
        encryptionConfigKeyArn: secretsKey.arn,
        skipDefaultNodeGroup: true,
        // No pulumi-eks security groups: its node group is skipped, and its node security group (tagged
        // kubernetes.io/cluster/<name>, nodes/securitygroup.ts L118-125 @ 0f5a5447) would sit unused
        // beside the EKS cluster security group our managed nodes get, a second tagged group the LB
        // controller trips over. Managed node groups read no pulumi-eks security group (nodegroup.ts).
        skipDefaultSecurityGroups: true,
        // Every add-on is an EKS managed add-on created below, so its order is ours to set.
        bootstrapSelfManagedAddons: false,
        useDefaultVpcCni: true,
        corednsAddonOptions: { enabled: false },
        kubeProxyAddonOptions: { enabled: false },
        // Controllers get AWS permissions through Pod Identity, not IRSA.
        createOidcProvider: false,
        // What EKS does at the end of standard support: STANDARD upgrades the control plane itself; EXTENDED
        // keeps the version, at the extended-support price (config supportType; config/ refuses a version
        // past standard support with STANDARD, which EKS would upgrade at once).
        upgradePolicy: { supportType: args.supportType },
        tags: args.tags,
      },
      { parent: this, dependsOn: [...nodeRolePolicies, clusterRolePolicy, logGroup] },
    );

    const versions = addonVersions(args.kubernetesVersion);
    const addon = (
      addonName: AddonName,
      extra: Partial<aws.eks.AddonArgs>,
      dependsOn: pulumi.Resource[],
    ): aws.eks.Addon =>
      new aws.eks.Addon(
        `${name}-${addonName}`,
        {
          // The cluster's own output, not the configured string: the engine then knows the add-on depends on
          // the cluster, and replaces it with the cluster (calculateDependentReplacements).
          clusterName: cluster.eksCluster.name,
          addonName,
          // Pinned per Kubernetes version (addon-versions.ts): the same add-ons whatever day the cluster is built.
          addonVersion: versions[addonName],
          resolveConflictsOnCreate: "OVERWRITE",
          resolveConflictsOnUpdate: "OVERWRITE",
          tags: args.tags,
          ...extra,
        },
        { parent: this, dependsOn },
      );

    const vpcCni = addon("vpc-cni", { configurationValues: vpcCniConfiguration(args.prefixDelegation) }, [cluster]);
    const kubeProxy = addon("kube-proxy", { configurationValues: kubeProxyConfiguration(args.kubeProxyMode) }, [
      cluster,
    ]);
    const podIdentityAgent = addon("eks-pod-identity-agent", {}, [cluster]);

    // What a node needs to join: read from the EKS cluster pulumi-eks created.
    const clusterDetails = pulumi.all([
      cluster.eksCluster.endpoint,
      cluster.eksCluster.certificateAuthority.data,
      cluster.eksCluster.kubernetesNetworkConfig.serviceIpv4Cidr,
    ]);

    const summaries: Record<string, NodeGroupSummary> = {};
    this.nodeGroups = args.nodeGroups.map((spec) => {
      const summary = nodeGroupSummary(spec, args.prefixDelegation);
      summaries[spec.name] = summary;
      const labels = { [NODE_GROUP_LABEL]: spec.name };
      const launchTemplate = new aws.ec2.LaunchTemplate(
        `${name}-${spec.name}`,
        {
          description: `Nodes of ${args.clusterName}/${spec.name}: ${args.nodeImage.name}`,
          // Our image, so EKS adds no user data of its own and ours is the whole boot configuration.
          imageId: args.nodeImage.id,
          userData: clusterDetails.apply(([apiServerEndpoint, certificateAuthority, serviceCidr]) =>
            Buffer.from(
              nodeUserData({
                cluster: {
                  name: args.clusterName,
                  apiServerEndpoint,
                  certificateAuthority,
                  serviceCidr,
                },
                maxPods: summary.maxPods,
                labels,
                kernelModules: args.kubeProxyMode === "ipvs" ? [...IPVS_KERNEL_MODULES] : [],
              }),
            ).toString("base64"),
          ),
          // IMDSv2 only, and one hop: pods (one hop further, in their own network namespace) cannot reach
          // the node role's credentials; they get AWS permissions through Pod Identity. pulumi-eks's own
          // template would set hop limit 2 (nodes/nodegroup.ts L2236-2243 @ 0f5a5447). The controllers are
          // given region and VPC id, so they need no instance metadata.
          // https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html
          metadataOptions: {
            httpEndpoint: "enabled",
            httpTokens: "required",
            httpPutResponseHopLimit: 1,
            instanceMetadataTags: "disabled",
          },
          blockDeviceMappings: [
            {
              // The AL2023 EKS image's root device.
              deviceName: "/dev/xvda",
              ebs: { volumeSize: spec.diskSize, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" },
            },
          ],
          tagSpecifications: ["instance", "volume", "network-interface"].map((resourceType) => ({
            resourceType,
            tags: { ...args.tags, Name: `${args.clusterName}-${spec.name}` },
          })),
          tags: args.tags,
        },
        parent,
      );
      return new eks.ManagedNodeGroup(
        `${name}-${spec.name}`,
        {
          cluster,
          nodeGroupNamePrefix: `${spec.name}-`,
          nodeRole,
          subnetIds: args.privateSubnetIds,
          instanceTypes: [...spec.instanceTypes],
          capacityType: spec.capacityType,
          // Disk, IMDS and user data live in the launch template: pulumi-eks rejects them beside one
          // (nodes/nodegroup.ts L2016-2023 @ 0f5a5447), and EKS rejects diskSize with a launch template.
          // No amiType, releaseVersion or version: EKS rejects them with an image id in the template.
          launchTemplate: { id: launchTemplate.id, version: pulumi.interpolate`${launchTemplate.latestVersion}` },
          scalingConfig: { minSize: spec.minSize, desiredSize: spec.desiredSize, maxSize: spec.maxSize },
          labels,
          tags: args.tags,
        },
        // Prefix delegation before the first node (a node keeps the pod capacity it booted with), and a
        // route out before it boots; on destroy, the nodes go before the NAT routes they use.
        { parent: this, dependsOn: [vpcCni, ...args.nodeEgress] },
      );
    });

    // CoreDNS is a Deployment: the add-on only turns ACTIVE once nodes can run it.
    const coredns = addon("coredns", {}, this.nodeGroups);
    // The metrics API the apps' HorizontalPodAutoscalers read: a Deployment too. Nothing waits for it: an
    // autoscaler made before it answers holds its floor until it does. Nor does it wait for the load balancer
    // controller, whose webhooks could otherwise refuse its Service and pods: the Service mutator is off
    // (load-balancer-controller/values.ts enableServiceMutatorWebhook, a platform test) and the pod webhook
    // is `failurePolicy: Ignore` (chart 3.5.0 values.yaml, templates/webhook.yaml).
    const metricsServer = addon("metrics-server", {}, this.nodeGroups);

    this.addons = { vpcCni, kubeProxy, podIdentityAgent, coredns, metricsServer };
    this.nodeGroupSummaries = summaries;
    // The physical name is ours; deriving it from the cluster's URN carries the dependency on the cluster.
    this.clusterName = cluster.urn.apply(() => args.clusterName);
    this.kubeconfig = pulumi.secret(cluster.kubeconfigJson);
    this.clusterSecurityGroupId = cluster.eksCluster.vpcConfig.clusterSecurityGroupId;
    this.provider = new k8s.Provider(
      `${name}-k8s`,
      {
        kubeconfig: this.kubeconfig,
        enableServerSideApply: true,
        // An unreachable cluster's objects are dropped from the state on destroy instead of blocking it for ever;
        // Karpenter's instances, which a dropped NodePool would orphan, are guarded by the delete-time check
        // components/karpenter/instances-gone.ts (docs/teardown.md).
        deleteUnreachable: true,
        // Since pulumi-kubernetes 4.29.0 a new object is created with a plain create, which fails with
        // AlreadyExists when the object is there already (provider/pkg/await/await.go L190-290 @ a03ff6ba;
        // provider.d.ts of 4.34.2): the chart CRDs a cluster has from an earlier Helm install, or from a
        // stack recreated after a failed destroy. Upsert takes them over. Its risk, a renamed resource's
        // create-then-delete removing the object, is what the pinned URN list guards (test/urns.test.ts:
        // every rename carries an alias).
        upsertExistingObjects: true,
      },
      { parent: this, dependsOn: [cluster] },
    );
    this.registerOutputs({
      clusterName: this.clusterName,
      kubeconfig: this.kubeconfig,
      nodeGroups: this.nodeGroupSummaries,
    });
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
