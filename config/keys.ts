/**
 * The project's configuration keys and their defaults. Pulumi.yaml declares each key (type, description,
 * default) for the CLI; CONFIG_DEFAULTS carries the same defaults, typed, and a test holds the two and the
 * configuration table (docs/configuration.md) together, so a key cannot be declared in one place and forgotten
 * in another.
 */

import { ECHO_IMAGE, NODE_ARCHITECTURES, type NodeArchitecture, UNKNOWN_IMAGE_ARCHITECTURES } from "../apps/images";
import type { KubeProxyMode } from "../components/cluster/addon-config";
import type { CapacityType, ControlPlaneLogType } from "../components/cluster/cluster";
import { CONTROL_PLANE_LOG_TYPES } from "../components/cluster/cluster";
import { EKS_VERSION_CALENDAR, type SupportType } from "../components/cluster/eks-versions";
import { DEFAULT_NODE_IMAGE_RELEASE } from "../components/cluster/node-image";
import type { ConsolidationPolicy, KarpenterCapacityType } from "../components/karpenter/node-pools";
import type { NatStrategy } from "../components/network/network";

/** Architectures Karpenter may launch, as kubernetes.io/arch names them. */
export const KARPENTER_ARCHITECTURES = NODE_ARCHITECTURES;
export type KarpenterArchitecture = NodeArchitecture;

export const PROJECT = "eks-platform";

/** The tag on every resource of the stack, naming its cluster: what the deploy role's IAM is scoped by (docs/ci-roles.md). */
export const STACK_TAG_KEY = "eks-platform/stack";

/** The Kubernetes minors EKS offers: the calendar's (data/aws/eks-versions.json, which npm run refresh writes). */
const OFFERED_MINORS = Object.keys(EKS_VERSION_CALENDAR).map((version) => Number(version.split(".")[1]));
/** Oldest Kubernetes minor version accepted: the oldest EKS still answers for (possibly in extended support). */
export const MIN_KUBERNETES_MINOR = Math.min(...OFFERED_MINORS);
/** Newest Kubernetes minor version EKS offers: the calendar's newest, so a refresh that adds one offers it. */
export const MAX_KUBERNETES_MINOR = Math.max(...OFFERED_MINORS);
/** Node groups need at least one node per zone. */
export const MIN_NODES = 3;
/**
 * The most nodes one managed node group may have: EKS's service quota "Nodes per managed node group"
 * (https://docs.aws.amazon.com/eks/latest/userguide/service-quotas.html).
 */
export const MAX_NODES_PER_MANAGED_NODE_GROUP = 450;

/**
 * Defaults, identical to Pulumi.yaml's. Empty string / empty list / 0 mean "not set" for the
 * optional keys, because a Pulumi project key without a default is a required key.
 */
export const CONFIG_DEFAULTS = {
  kubernetesVersion: "1.35",
  vpcCidr: "10.0.0.0/16",
  availabilityZones: [] as string[],
  natGateways: "perZone" as NatStrategy,
  nodeInstanceTypes: ["m7i.large"],
  nodeMinSize: 3,
  nodeDesiredSize: 3,
  nodeMaxSize: 6,
  nodeCapacityType: "ON_DEMAND" as CapacityType,
  nodeDiskSize: 50,
  nodeImageRelease: DEFAULT_NODE_IMAGE_RELEASE,
  prefixDelegation: true,
  maxPodsOverride: 0,
  adminPrincipalArns: [] as string[],
  publicAccessCidrs: ["0.0.0.0/0"],
  domain: "",
  echoImage: ECHO_IMAGE,
  echoReplicas: 3,
  echoArchitectures: [] as NodeArchitecture[],
  game2048Image: "public.ecr.aws/l6m2t8p7/docker-2048:latest",
  game2048Replicas: 3,
  game2048Architectures: [] as NodeArchitecture[],
  tetrisImage: "bsord/tetris",
  tetrisReplicas: 3,
  tetrisArchitectures: [] as NodeArchitecture[],
  marioImage: "pengbai/docker-supermario",
  marioReplicas: 3,
  marioArchitectures: [] as NodeArchitecture[],
  appMaxReplicas: 12,
  appTargetCpuUtilization: 70,
  nlbCrossZoneLoadBalancing: true,
  networkLab: false,
  controlPlaneLogRetentionDays: 90,
  controlPlaneLogTypes: [...CONTROL_PLANE_LOG_TYPES] as ControlPlaneLogType[],
  accessLogRetentionDays: 90,
  loadBalancerDeletionProtection: false,
  webAcl: true,
  karpenter: true,
  karpenterCpuLimit: 32,
  karpenterMemoryLimitGiB: 128,
  karpenterCapacityTypes: ["on-demand"] as KarpenterCapacityType[],
  // What every default app image runs on (apps/images.ts): a node Karpenter adds can always take any app's pods.
  karpenterArchitectures: [...UNKNOWN_IMAGE_ARCHITECTURES] as KarpenterArchitecture[],
  karpenterCategories: ["c", "m", "r"],
  karpenterMaxVcpus: 16,
  karpenterConsolidation: "WhenEmptyOrUnderutilized" as ConsolidationPolicy,
  karpenterDisruptionBudget: "10%",
  kubeProxyMode: "iptables" as KubeProxyMode,
  supportType: "STANDARD" as SupportType,
};

/** Each app's image key and the key that says which architectures that image runs on. */
export const APP_IMAGE_KEYS = {
  echo: { image: "echoImage", architectures: "echoArchitectures" },
  "game-2048": { image: "game2048Image", architectures: "game2048Architectures" },
  tetris: { image: "tetrisImage", architectures: "tetrisArchitectures" },
  mario: { image: "marioImage", architectures: "marioArchitectures" },
} as const;

/** The apps' replicas keys: each is its HorizontalPodAutoscaler's floor; appMaxReplicas is every app's ceiling. */
export const APP_REPLICA_KEYS = ["echoReplicas", "game2048Replicas", "tetrisReplicas", "marioReplicas"] as const;

/** A key as the user writes it (`eks-platform:nodeInstanceTypes`), for the problem lines. */
export function keyName(key: PropertyKey | undefined): string {
  return `${PROJECT}:${String(key ?? "")}`;
}

/** A value as a problem line shows it. */
export function show(value: unknown): string {
  return value === undefined ? "nothing" : JSON.stringify(value);
}

export const quoted = (values: readonly string[]) => values.map((v) => `"${v}"`).join(", ");
