import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { COMPONENTS } from "../resource-types";
import type { DensityPool } from "./density";
import { KARPENTER_DISCOVERY_TAG } from "./karpenter-aws";

/** How Karpenter may take nodes away (NodePool spec.disruption): only empty ones, or also underused ones. */
export const CONSOLIDATION_POLICIES = ["WhenEmptyOrUnderutilized", "WhenEmpty"] as const;
export type ConsolidationPolicy = (typeof CONSOLIDATION_POLICIES)[number];
export const CAPACITY_TYPES = ["on-demand", "spot"] as const;
export type KarpenterCapacityType = (typeof CAPACITY_TYPES)[number];

/** The label every Karpenter node carries beside Karpenter's own: which pool of ours made it. */
export const KARPENTER_POOL_LABEL = "eks-platform/node-pool";

export interface KarpenterNodePoolsArgs {
  /** The EKS cluster's name. */
  readonly clusterName: pulumi.Input<string>;
  /** The exact-density pools (density.ts): one EC2NodeClass and one NodePool each. */
  readonly pools: readonly DensityPool[];
  /** The IAM role Karpenter's nodes run as (its instance profile is Karpenter's to make). */
  readonly nodeRoleName: pulumi.Input<string>;
  /** The amazon-eks-ami release the managed group runs (e.g. v20260714): Karpenter's `al2023@<release>` alias pins the same image. */
  readonly nodeImageRelease: string;
  /** Root volume size of Karpenter's nodes, in GiB (encrypted gp3). */
  readonly diskSizeGiB: number;
  /** Extra user data Karpenter merges into its own (IPVS's kernel modules, when kube-proxy runs in that mode). */
  readonly userData?: string;
  /** Capacity types Karpenter may launch (`on-demand`, `spot`). */
  readonly capacityTypes: readonly KarpenterCapacityType[];
  /** When Karpenter consolidates nodes (NodePool disruption consolidationPolicy). */
  readonly consolidation: ConsolidationPolicy;
  /** At most this share of a pool's nodes disrupted at once (NodePool disruption budget). */
  readonly disruptionBudget: string;
  /**
   * How long a node must stay underused before Karpenter consolidates it (NodePool disruption consolidateAfter,
   * "the duration the controller will wait before attempting to terminate nodes that are underutilized",
   * sigs.k8s.io/karpenter @ 6e7eab7a pkg/apis/v1/nodepool.go L85-87): the apps' autoscalers' scale-down window,
   * so a node outlasts a quiet moment as long as the pods on it do, and a burst that returns within it finds them.
   */
  readonly consolidateAfterSeconds: number;
  /** The Kubernetes provider of the cluster the objects go to. */
  readonly provider: k8s.Provider;
  /** The Karpenter release (its CRDs and controller) and what its nodes need in AWS. */
  readonly dependsOn: readonly pulumi.Resource[];
  /** Tags for every AWS resource it makes (default: none). */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * A NodePool's delete is held, in the foreground, until Karpenter has terminated every instance it launched; a
 * drain blocked by a PodDisruptionBudget ends after the grace period, and the delete timeout outlasts it, so a
 * destroy either leaves no instance or stops with an error (docs/teardown.md, with the sources).
 */
export const NODE_TERMINATION_GRACE_PERIOD = "20m";
export const NODE_POOL_DELETE_TIMEOUT = "30m";

/**
 * Karpenter's EC2NodeClasses and NodePools (karpenter.k8s.aws/v1, karpenter.sh/v1), one pair per max-pods value:
 * the class runs the managed group's image release, IMDSv2 with one hop, an encrypted gp3 root and the kubelet
 * at that exact max pods and its kube-reserved memory; the pool admits exactly the types at that value, within
 * its share of the limits. On destroy they go before the controller, which terminates their instances (above).
 */
export class KarpenterNodePools extends pulumi.ComponentResource {
  constructor(name: string, args: KarpenterNodePoolsArgs, opts?: pulumi.ComponentResourceOptions) {
    super(COMPONENTS.karpenterNodePools, name, {}, opts);
    const options = { parent: this, provider: args.provider, dependsOn: [...args.dependsOn] };
    for (const pool of args.pools) {
      const nodeClass = new k8s.apiextensions.CustomResource(
        `${name}-${pool.name}-class`,
        {
          apiVersion: "karpenter.k8s.aws/v1",
          kind: "EC2NodeClass",
          metadata: { name: pool.name },
          spec: {
            role: args.nodeRoleName,
            amiSelectorTerms: [{ alias: `al2023@${args.nodeImageRelease}` }],
            subnetSelectorTerms: [{ tags: { [KARPENTER_DISCOVERY_TAG]: args.clusterName } }],
            securityGroupSelectorTerms: [{ tags: { [KARPENTER_DISCOVERY_TAG]: args.clusterName } }],
            metadataOptions: {
              httpEndpoint: "enabled",
              httpProtocolIPv6: "disabled",
              httpPutResponseHopLimit: 1,
              httpTokens: "required",
            },
            blockDeviceMappings: [
              {
                deviceName: "/dev/xvda",
                ebs: {
                  volumeSize: `${args.diskSizeGiB}Gi`,
                  volumeType: "gp3",
                  encrypted: true,
                  deleteOnTermination: true,
                },
              },
            ],
            kubelet: { maxPods: pool.maxPods, kubeReserved: { memory: pool.kubeReservedMemory } },
            ...(args.userData ? { userData: args.userData } : {}),
            tags: { ...args.tags },
          },
        },
        { ...options, customTimeouts: { delete: NODE_POOL_DELETE_TIMEOUT } },
      );
      new k8s.apiextensions.CustomResource(
        `${name}-${pool.name}`,
        {
          apiVersion: "karpenter.sh/v1",
          kind: "NodePool",
          metadata: { name: pool.name, annotations: { "pulumi.com/deletionPropagationPolicy": "foreground" } },
          spec: {
            template: {
              metadata: { labels: { [KARPENTER_POOL_LABEL]: pool.name } },
              spec: {
                nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: pool.name },
                requirements: [
                  ...pool.requirements,
                  { key: "karpenter.sh/capacity-type", operator: "In", values: [...args.capacityTypes] },
                ],
                expireAfter: "720h",
                terminationGracePeriod: NODE_TERMINATION_GRACE_PERIOD,
              },
            },
            limits: pool.limits,
            // The pool of the smallest types first (density.ts poolWeights): the cheapest fit.
            weight: pool.weight,
            disruption: {
              consolidationPolicy: args.consolidation,
              consolidateAfter: `${args.consolidateAfterSeconds}s`,
              budgets: [{ nodes: args.disruptionBudget }],
            },
          },
        },
        { ...options, dependsOn: [...args.dependsOn, nodeClass], customTimeouts: { delete: NODE_POOL_DELETE_TIMEOUT } },
      );
    }
    this.registerOutputs({});
  }
}
