/**
 * All configuration, read and validated once, before any resource is registered.
 *
 * Every key is declared in Pulumi.yaml (type, description, default); the defaults below are the same
 * values (a test holds the two together). Validation runs in two passes and reports every problem at
 * once, one line per key: first the values' own form (zod), then the facts only AWS knows (the
 * region's zones, the instance types' network limits), read with invokes that create nothing.
 */
import * as aws from "@pulumi/aws";
import * as awsProviderConfig from "@pulumi/aws/config";
import * as pulumi from "@pulumi/pulumi";
import { parseFamiliarName } from "@swimlane/docker-reference";
import { z } from "zod";
import {
  type InstanceNetworkLimits,
  limitsFromEc2,
  maxPodsCeiling,
} from "./components/cluster/max-pods";
import { KUBE_PROXY_MODES, type KubeProxyMode } from "./components/cluster/addon-config";
import { LOG_RETENTION_DAYS } from "./components/cluster/encryption";
import { ADDON_VERSIONS, NFTABLES_MIN_VPC_CNI, versionAtLeast } from "./components/cluster/addon-versions";
import { ADMIN_ACCESS_ENTRY_TAG, CAPACITY_TYPES, type CapacityType, CONTROL_PLANE_LOG_TYPES, type ControlPlaneLogType } from "./components/cluster/cluster";
import { DEFAULT_NODE_IMAGE_RELEASE, NODE_IMAGE_OWNER, NODE_IMAGE_RELEASE_PATTERN, nodeImageName, nodeImageVariant } from "./components/cluster/node-image";
import { NAT_STRATEGIES, type NatStrategy } from "./components/network/network";
import { type SupportPhase, supportPhase, supportProblem, SUPPORT_TYPES, type SupportType } from "./components/cluster/eks-versions";
import { type GroupCapacity, groupCapacity, type NodeShape, type PlannedPods, type PodRequests, requestsOf } from "./components/cluster/capacity";
import { ADDON_PODS } from "./components/cluster/addon-pods";
import { kubeReservedMemoryMiB, nodeGroupMaxPods } from "./components/cluster/max-pods";
import { ECHO_RESOURCES } from "./apps/echo";
import { GAME_2048_RESOURCES } from "./apps/game-2048";
import { MARIO_RESOURCES } from "./apps/mario";
import { TETRIS_RESOURCES } from "./apps/tetris";
import { EXTERNAL_DNS_RESOURCES } from "./components/external-dns/values";
import { KARPENTER_REPLICAS, KARPENTER_RESOURCES } from "./components/karpenter/values";
import { type DensityPool, densityPools, type ExcludedType, type KarpenterInstanceType } from "./components/karpenter/density";
import { offlineInstanceType, offlineInstanceTypeNames } from "./data/instance-types";
import { LOAD_BALANCER_CONTROLLER_REPLICAS, LOAD_BALANCER_CONTROLLER_RESOURCES } from "./components/load-balancer-controller/values";
import { LAB_NAMESPACE, LAB_REPLICAS, NETSHOOT_NAME, NETSHOOT_RESOURCES, PEER_RESOURCES, PEERS_NAME } from "./lab/lab-spec";
import { MAX_VPC_PREFIX, MIN_VPC_PREFIX, parseCidr } from "./components/network/subnets";
import { CAPACITY_TYPES as KARPENTER_CAPACITY_TYPES, CONSOLIDATION_POLICIES, type ConsolidationPolicy, type KarpenterCapacityType } from "./components/karpenter/node-pools";

/** Architectures Karpenter may launch, as kubernetes.io/arch names them. */
export const KARPENTER_ARCHITECTURES = ["amd64", "arm64"] as const;
export type KarpenterArchitecture = (typeof KARPENTER_ARCHITECTURES)[number];

export const PROJECT = "eks-platform";


/**
 * Oldest Kubernetes minor version accepted: 1.33 is the oldest EKS still runs (in extended support,
 * at extra cost, since July 2026); the default stays on a version in standard support.
 */
export const MIN_KUBERNETES_MINOR = 33;
/**
 * Newest Kubernetes minor version EKS offers: 1.36 ("Kubernetes 1.36 is now available in Amazon EKS",
 * https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions-standard.html; 1.37 is not yet,
 * aws/containers-roadmap#2864). Raise it when EKS releases the next one.
 */
export const MAX_KUBERNETES_MINOR = 36;
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
  echoImage: "registry.k8s.io/echoserver:1.5",
  echoReplicas: 3,
  game2048Image: "public.ecr.aws/l6m2t8p7/docker-2048:latest",
  game2048Replicas: 3,
  tetrisImage: "bsord/tetris",
  tetrisReplicas: 3,
  marioImage: "pengbai/docker-supermario",
  marioReplicas: 3,
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
  karpenterArchitectures: ["amd64", "arm64"] as KarpenterArchitecture[],
  karpenterCategories: ["c", "m", "r"],
  karpenterMaxVcpus: 16,
  karpenterConsolidation: "WhenEmptyOrUnderutilized" as ConsolidationPolicy,
  karpenterDisruptionBudget: "10%",
  kubeProxyMode: "iptables" as KubeProxyMode,
  supportType: "STANDARD" as SupportType,
};

/**
 * The date a deploy is judged on (YYYY-MM-DD, UTC): EKS's support calendar decides which versions it runs
 * as asked. `pulumi up` reads the day it runs; the offline render and the tests give it
 * (EKS_PLATFORM_DATE), so what they show does not change with the day they run.
 */
export function deployDate(): string {
  const given = process.env.EKS_PLATFORM_DATE;
  if (given !== undefined) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(given)) throw new ConfigError([`EKS_PLATFORM_DATE: expected a date such as 2026-12-01, got ${JSON.stringify(given)}`]);
    return given;
  }
  return new Date().toISOString().slice(0, 10);
}

/** Versions this project deploys with this support type on this date: pinned, offered, and run by EKS as asked. */
export function acceptedKubernetesVersions(supportType: SupportType, date: string): string[] {
  return deployableKubernetesVersions().filter((v) => supportProblem(v, supportType, date) === undefined);
}

// Pulumi hands every value to the program as a string: arrays and objects as JSON.
function fromJson(value: unknown): unknown {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}
function fromInt(value: unknown): unknown {
  return typeof value === "string" && value.trim() !== "" ? Number(value) : value;
}
function fromBool(value: unknown): unknown {
  if (value === "true") return true;
  if (value === "false") return false;
  return value;
}

const cidrString = (what: string) =>
  z.string().superRefine((value, ctx) => {
    const parsed = parseCidr(value);
    if (typeof parsed === "string") ctx.addIssue({ code: "custom", message: `expected ${what}, but ${parsed}` });
  });

const stringList = <T extends string>(what: string, item: z.ZodType<T>) =>
  z.preprocess(fromJson, z.array(item, { error: `expected a JSON list of ${what}` }));

/** Versions this project deploys: EKS offers them (MIN to MAX) and their add-on versions are pinned. */
export function deployableKubernetesVersions(): string[] {
  return Object.keys(ADDON_VERSIONS)
    .filter((v) => Number(v.split(".")[1]) >= MIN_KUBERNETES_MINOR && Number(v.split(".")[1]) <= MAX_KUBERNETES_MINOR)
    .sort((a, b) => Number(a.split(".")[1]) - Number(b.split(".")[1]));
}

const quoted = (values: readonly string[]) => values.map((v) => `"${v}"`).join(", ");

const kubernetesVersion = z
  .string()
  .regex(/^1\.\d{2}$/, { error: `expected a Kubernetes minor version, one of ${quoted(deployableKubernetesVersions())}` })
  .refine((v) => deployableKubernetesVersions().includes(v), {
    error: `expected one of ${quoted(deployableKubernetesVersions())}: the versions EKS offers (1.${MIN_KUBERNETES_MINOR} to 1.${MAX_KUBERNETES_MINOR}) whose add-on versions are pinned (components/cluster/addon-versions.ts)`,
  });

const vpcCidr = cidrString(`an IPv4 CIDR from /${MIN_VPC_PREFIX} to /${MAX_VPC_PREFIX}`).refine(
  (value) => {
    const parsed = parseCidr(value);
    return typeof parsed === "string" || (parsed.prefix >= MIN_VPC_PREFIX && parsed.prefix <= MAX_VPC_PREFIX);
  },
  { error: `expected a prefix from /${MIN_VPC_PREFIX} to /${MAX_VPC_PREFIX} (room for three private and three public subnets)` },
);

const instanceType = z.string().regex(/^[a-z][a-z0-9-]*\.[a-z0-9-]+$/, {
  error: 'expected EC2 instance type names such as "m7i.large"',
});

/** IAM users and roles, the principals EKS access entries take (not STS assumed-role sessions). */
const iamPrincipalArn = z.string().regex(/^arn:aws(-[a-z]+)*:iam::\d{12}:(role|user)\/[\w+=,.@/-]+$/, {
  error: "expected IAM role or user ARNs (arn:aws:iam::<account>:role/<name> or :user/<name>)",
});

const domainName = z
  .string()
  .regex(/^$|^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, {
    error: 'expected a lower-case DNS domain such as "example.com", or "" for none',
  });

const nodeCount = z.preprocess(
  fromInt,
  z
    .number({ error: "expected a whole number" })
    .int({ error: "expected a whole number" })
    .min(MIN_NODES, { error: `expected at least ${MIN_NODES} (one node per zone)` })
    .max(MAX_NODES_PER_MANAGED_NODE_GROUP, { error: `expected at most ${MAX_NODES_PER_MANAGED_NODE_GROUP} (EKS's quota of nodes per managed node group)` }),
);

/**
 * Container image references, by the distribution/reference grammar (the one the container runtime
 * parses; @swimlane/docker-reference ports it): `[registry[:port]/]repository[:tag][@algorithm:digest]`,
 * lower-case repository, a digest of the right length.
 */
const imageReference = z.string().superRefine((value, ctx) => {
  try {
    parseFamiliarName(value);
  } catch (error) {
    ctx.addIssue({
      code: "custom",
      message: `expected a container image reference such as "registry.k8s.io/echoserver:1.5" or "repo@sha256:<64 hex digits>" (${error instanceof Error ? error.message : String(error)})`,
    });
  }
});

/** The apps' replicas keys: each is its HorizontalPodAutoscaler's floor; appMaxReplicas is every app's ceiling. */
export const APP_REPLICA_KEYS = ["echoReplicas", "game2048Replicas", "tetrisReplicas", "marioReplicas"] as const;

/** Replicas in multiples of three: the same number of pods in every zone. */
const replicas = z.preprocess(
  fromInt,
  z
    .number({ error: "expected a whole number" })
    .int({ error: "expected a whole number" })
    .min(3, { error: "expected a multiple of 3 (one pod per zone at least)" })
    .multipleOf(3, { error: "expected a multiple of 3, so every zone runs as many pods" }),
);

export const configSchema = z
  .object({
    kubernetesVersion: kubernetesVersion.default(CONFIG_DEFAULTS.kubernetesVersion),
    vpcCidr: vpcCidr.default(CONFIG_DEFAULTS.vpcCidr),
    availabilityZones: stringList("zone names", z.string())
      .refine((zones) => zones.length === 0 || zones.length === 3, {
        error: "expected exactly three zones (or [] for the region's first three)",
      })
      .refine((zones) => new Set(zones).size === zones.length, { error: "expected three different zones" })
      .default(CONFIG_DEFAULTS.availabilityZones),
    natGateways: z
      .enum(NAT_STRATEGIES, { error: `expected one of ${NAT_STRATEGIES.map((s) => `"${s}"`).join(", ")}` })
      .default(CONFIG_DEFAULTS.natGateways),
    nodeInstanceTypes: stringList("instance types", instanceType)
      .refine((types) => types.length > 0, { error: "expected at least one instance type" })
      .refine((types) => new Set(types).size === types.length, { error: "expected each instance type once" })
      .default(CONFIG_DEFAULTS.nodeInstanceTypes),
    nodeMinSize: nodeCount.default(CONFIG_DEFAULTS.nodeMinSize),
    nodeDesiredSize: nodeCount.default(CONFIG_DEFAULTS.nodeDesiredSize),
    nodeMaxSize: nodeCount.default(CONFIG_DEFAULTS.nodeMaxSize),
    nodeCapacityType: z
      .enum(CAPACITY_TYPES, { error: `expected one of ${CAPACITY_TYPES.map((s) => `"${s}"`).join(", ")}` })
      .default(CONFIG_DEFAULTS.nodeCapacityType),
    nodeDiskSize: z
      .preprocess(
        fromInt,
        z
          .number({ error: "expected a whole number of GiB" })
          .int({ error: "expected a whole number of GiB" })
          .min(20, { error: "expected at least 20 GiB (the AL2023 image needs it)" })
          .max(16384, { error: "expected at most 16384 GiB (the gp3 limit)" }),
      )
      .default(CONFIG_DEFAULTS.nodeDiskSize),
    nodeImageRelease: z
      .string()
      .regex(NODE_IMAGE_RELEASE_PATTERN, { error: 'expected an amazon-eks-ami release tag such as "v20260714"' })
      .default(CONFIG_DEFAULTS.nodeImageRelease),
    prefixDelegation: z
      .preprocess(fromBool, z.boolean({ error: "expected true or false" }))
      .default(CONFIG_DEFAULTS.prefixDelegation),
    maxPodsOverride: z
      .preprocess(
        fromInt,
        z
          .number({ error: "expected a whole number (0 for none)" })
          .int({ error: "expected a whole number (0 for none)" })
          .min(0, { error: "expected a positive number (0 for none)" }),
      )
      .default(CONFIG_DEFAULTS.maxPodsOverride),
    adminPrincipalArns: stringList("IAM role or user ARNs", iamPrincipalArn).default(CONFIG_DEFAULTS.adminPrincipalArns),
    publicAccessCidrs: stringList("IPv4 CIDRs", cidrString("IPv4 CIDRs"))
      .refine((cidrs) => cidrs.length > 0, { error: "expected at least one CIDR" })
      .default(CONFIG_DEFAULTS.publicAccessCidrs),
    domain: domainName.default(CONFIG_DEFAULTS.domain),
    echoImage: imageReference.default(CONFIG_DEFAULTS.echoImage),
    echoReplicas: replicas.default(CONFIG_DEFAULTS.echoReplicas),
    game2048Image: imageReference.default(CONFIG_DEFAULTS.game2048Image),
    game2048Replicas: replicas.default(CONFIG_DEFAULTS.game2048Replicas),
    tetrisImage: imageReference.default(CONFIG_DEFAULTS.tetrisImage),
    tetrisReplicas: replicas.default(CONFIG_DEFAULTS.tetrisReplicas),
    marioImage: imageReference.default(CONFIG_DEFAULTS.marioImage),
    marioReplicas: replicas.default(CONFIG_DEFAULTS.marioReplicas),
    appMaxReplicas: z
      .preprocess(fromInt, z.number({ error: "expected a whole number" }).int({ error: "expected a whole number" }).min(3, { error: "expected at least 3 (one pod per zone)" }).max(10000, { error: "expected at most 10000" }))
      .default(CONFIG_DEFAULTS.appMaxReplicas),
    appTargetCpuUtilization: z
      .preprocess(
        fromInt,
        z
          .number({ error: "expected a whole percentage" })
          .int({ error: "expected a whole percentage" })
          .min(10, { error: "expected at least 10 (% of the pods' CPU request)" })
          .max(100, { error: "expected at most 100 (% of the pods' CPU request; above it pods scale only once they use more than they asked for)" }),
      )
      .default(CONFIG_DEFAULTS.appTargetCpuUtilization),
    nlbCrossZoneLoadBalancing: z
      .preprocess(fromBool, z.boolean({ error: "expected true or false" }))
      .default(CONFIG_DEFAULTS.nlbCrossZoneLoadBalancing),
    controlPlaneLogRetentionDays: z
      .preprocess(
        fromInt,
        z
          .number({ error: "expected a whole number of days" })
          .refine((days) => (LOG_RETENTION_DAYS as readonly number[]).includes(days), {
            error: `expected a retention CloudWatch Logs accepts: ${LOG_RETENTION_DAYS.join(", ")} days`,
          }),
      )
      .default(CONFIG_DEFAULTS.controlPlaneLogRetentionDays),
    controlPlaneLogTypes: stringList(`control-plane log types (${quoted(CONTROL_PLANE_LOG_TYPES)})`, z.enum(CONTROL_PLANE_LOG_TYPES, { error: `expected log types among ${quoted(CONTROL_PLANE_LOG_TYPES)}` }))
      .refine((types) => new Set(types).size === types.length, { error: "expected each log type once" })
      .default(CONFIG_DEFAULTS.controlPlaneLogTypes),
    accessLogRetentionDays: z
      .preprocess(fromInt, z.number({ error: "expected a whole number of days" }).int({ error: "expected a whole number of days" }).min(1, { error: "expected at least 1 day" }).max(3650, { error: "expected at most 3650 days" }))
      .default(CONFIG_DEFAULTS.accessLogRetentionDays),
    loadBalancerDeletionProtection: z
      .preprocess(fromBool, z.boolean({ error: "expected true or false" }))
      .default(CONFIG_DEFAULTS.loadBalancerDeletionProtection),
    webAcl: z.preprocess(fromBool, z.boolean({ error: "expected true or false" })).default(CONFIG_DEFAULTS.webAcl),
    karpenter: z.preprocess(fromBool, z.boolean({ error: "expected true or false" })).default(CONFIG_DEFAULTS.karpenter),
    karpenterCpuLimit: z
      .preprocess(fromInt, z.number({ error: "expected a whole number of vCPUs" }).int({ error: "expected a whole number of vCPUs" }).min(2, { error: "expected at least 2 vCPUs" }).max(10000, { error: "expected at most 10000 vCPUs" }))
      .default(CONFIG_DEFAULTS.karpenterCpuLimit),
    karpenterMemoryLimitGiB: z
      .preprocess(fromInt, z.number({ error: "expected a whole number of GiB" }).int({ error: "expected a whole number of GiB" }).min(4, { error: "expected at least 4 GiB" }).max(100000, { error: "expected at most 100000 GiB" }))
      .default(CONFIG_DEFAULTS.karpenterMemoryLimitGiB),
    karpenterCapacityTypes: stringList(`capacity types (${quoted(KARPENTER_CAPACITY_TYPES)})`, z.enum(KARPENTER_CAPACITY_TYPES, { error: `expected capacity types among ${quoted(KARPENTER_CAPACITY_TYPES)}` }))
      .refine((v) => v.length > 0 && new Set(v).size === v.length, { error: "expected at least one capacity type, each once" })
      .default(CONFIG_DEFAULTS.karpenterCapacityTypes),
    karpenterArchitectures: stringList(`architectures (${quoted(KARPENTER_ARCHITECTURES)})`, z.enum(KARPENTER_ARCHITECTURES, { error: `expected architectures among ${quoted(KARPENTER_ARCHITECTURES)}` }))
      .refine((v) => v.length > 0 && new Set(v).size === v.length, { error: "expected at least one architecture, each once" })
      .default(CONFIG_DEFAULTS.karpenterArchitectures),
    karpenterCategories: stringList("instance categories (c, m, r, ...)", z.string().regex(/^[a-z]+$/, { error: "expected instance categories such as \"c\", \"m\", \"r\"" }))
      .refine((v) => v.length > 0 && new Set(v).size === v.length, { error: "expected at least one category, each once" })
      .default(CONFIG_DEFAULTS.karpenterCategories),
    karpenterMaxVcpus: z
      .preprocess(fromInt, z.number({ error: "expected a whole number of vCPUs" }).int({ error: "expected a whole number of vCPUs" }).min(2, { error: "expected at least 2 vCPUs" }).max(448, { error: "expected at most 448 vCPUs" }))
      .default(CONFIG_DEFAULTS.karpenterMaxVcpus),
    karpenterConsolidation: z
      .enum(CONSOLIDATION_POLICIES, { error: `expected one of ${quoted(CONSOLIDATION_POLICIES)}` })
      .default(CONFIG_DEFAULTS.karpenterConsolidation),
    karpenterDisruptionBudget: z
      .string()
      .regex(/^(100|[1-9]?[0-9])%$|^[0-9]+$/, { error: 'expected a number of nodes ("2") or a percentage ("10%")' })
      .default(CONFIG_DEFAULTS.karpenterDisruptionBudget),
    networkLab: z.preprocess(fromBool, z.boolean({ error: "expected true or false" })).default(CONFIG_DEFAULTS.networkLab),
    // Which modes are accepted depends on the Kubernetes version (its pinned VPC CNI): checked below.
    kubeProxyMode: z.custom<KubeProxyMode>((v) => typeof v === "string").default(CONFIG_DEFAULTS.kubeProxyMode),
    supportType: z
      .enum(SUPPORT_TYPES, { error: `expected one of ${SUPPORT_TYPES.map((s) => `"${s}"`).join(", ")}` })
      .default(CONFIG_DEFAULTS.supportType),
  })
  .superRefine((c, ctx) => {
    const modes = kubeProxyModesFor(c.kubernetesVersion);
    if (!modes.includes(c.kubeProxyMode)) {
      const pinnedCni = ADDON_VERSIONS[c.kubernetesVersion]?.["vpc-cni"];
      const nftablesNote =
        !modes.includes("nftables") && pinnedCni
          ? ` (nftables waits for the VPC CNI ${NFTABLES_MIN_VPC_CNI}, which AWS requires beside it; the add-on pinned for Kubernetes ${c.kubernetesVersion} is ${pinnedCni})`
          : "";
      ctx.addIssue({ code: "custom", path: ["kubeProxyMode"], message: `expected one of ${quoted(modes)}${nftablesNote}` });
    }
    for (const key of APP_REPLICA_KEYS.filter((k) => c[k] > c.appMaxReplicas)) {
      // The replicas key is the autoscaler's floor: above the ceiling, the HorizontalPodAutoscaler is invalid.
      ctx.addIssue({ code: "custom", path: [key], message: `expected at most appMaxReplicas (${c.appMaxReplicas}), the ceiling of the app's autoscaler, whose floor this is (raise appMaxReplicas too)` });
    }
    if (!(c.nodeMinSize <= c.nodeDesiredSize && c.nodeDesiredSize <= c.nodeMaxSize)) {
      ctx.addIssue({
        code: "custom",
        path: ["nodeDesiredSize"],
        message: `expected nodeMinSize <= nodeDesiredSize <= nodeMaxSize, got ${c.nodeMinSize} / ${c.nodeDesiredSize} / ${c.nodeMaxSize}`,
      });
    }
  });

/** kube-proxy modes a Kubernetes version accepts here: nftables only beside a VPC CNI new enough for it. */
export function kubeProxyModesFor(kubernetesVersion: string): KubeProxyMode[] {
  const pinnedCni = ADDON_VERSIONS[kubernetesVersion]?.["vpc-cni"];
  return KUBE_PROXY_MODES.filter((mode) => mode !== "nftables" || (pinnedCni !== undefined && versionAtLeast(pinnedCni, NFTABLES_MIN_VPC_CNI)));
}

export type ConfigValues = z.output<typeof configSchema>;
export type ConfigKey = keyof ConfigValues;

/**
 * Zones, by zone ID, where EKS does not place a cluster's control plane: it refuses subnets there
 * (UnsupportedAvailabilityZoneException). Zone names map to IDs differently in each account, so the check
 * is by ID. EKS user guide, "View Amazon EKS networking requirements for VPC and subnets" (network-reqs.html).
 */
export const EKS_UNSUPPORTED_ZONE_IDS: readonly string[] = ["use1-az3", "usw1-az2", "cac1-az3"];

/** What only AWS knows, read before validation's second pass. */
export interface AwsFacts {
  /** The region's available standard zones (no Local or Wavelength zones), sorted. */
  readonly zones: readonly string[];
  /** Each zone's ID in this account (what EKS's limits are stated in). */
  readonly zoneIds?: Readonly<Record<string, string>>;
  /** Network limits and CPU architectures per instance type; a missing type is unknown to EC2. */
  readonly instanceTypes: Readonly<Record<string, InstanceTypeFacts>>;
  /** Why EC2 did not describe an instance type, where it said. */
  readonly lookupErrors?: Readonly<Record<string, string>>;
  /** The public hosted zone of the configured domain, or why Route 53 has none. */
  readonly hostedZone?: { readonly zoneId: string; readonly nameServers?: readonly string[] } | { readonly error: string };
  readonly accountId: string;
  readonly partition: string;
  /**
   * The IAM principal running the program: the caller's user or role ARN (for an assumed-role session,
   * the role it came from, with its path), as access entries name principals.
   */
  readonly deployerArn: string;
  /** The EKS-optimized AL2023 images the node group could need, by exact name, or why EC2 has none. */
  readonly nodeImages: Readonly<Record<string, { readonly id: string } | { readonly error: string }>>;
  /**
   * The cluster as EKS has it, when it exists: which of the principals asked about (the admins and the
   * deployer) hold an access entry this program did not make (EKS's own for the cluster's creator).
   */
  readonly clusterAccess?: { readonly exists: boolean; readonly foreignEntries: readonly string[] };
  /** aws:profile and aws:assumeRoles as the stack configures the provider. */
  readonly awsCredentials?: PlatformConfig["awsCredentials"];
}

/**
 * Which admins get an access entry of ours: every configured one, but a principal that already holds an
 * entry we did not make (the cluster's creator, whose entry EKS made; a principal holds one entry only).
 * Before the cluster exists, its creator is whoever deploys now. The result depends on the configuration and
 * the cluster, never on who runs the deploy after the first; the deployer must be able to reach the
 * Kubernetes API (it manages the cluster's objects), or the deploy is refused.
 */
export function adminAccess(
  admins: readonly string[],
  deployer: string,
  cluster: AwsFacts["clusterAccess"],
): { entries: string[]; unmanaged: string[]; problem?: string } {
  const foreign = cluster?.exists ? cluster.foreignEntries : [deployer];
  const entries = admins.filter((arn) => !foreign.includes(arn));
  const unmanaged = admins.filter((arn) => foreign.includes(arn));
  const deployerReaches = entries.includes(deployer) || foreign.includes(deployer);
  return {
    entries,
    unmanaged,
    ...(deployerReaches
      ? {}
      : {
          problem: `${keyName("adminPrincipalArns")}: expected the identity running this deploy (${deployer}) among the admins: it has no access entry in the existing cluster, so it could not manage the cluster's Kubernetes objects (add it, or deploy as an admin)`,
        }),
  };
}

export interface InstanceTypeFacts {
  readonly limits: InstanceNetworkLimits;
  readonly architectures: readonly string[];
  /** Memory in MiB (EC2 MemoryInfo.SizeInMiB). */
  readonly memoryMiB: number;
  /** GPUs (EC2 GpuInfo): they need the NVIDIA image. */
  readonly gpus: number;
}

/** The image an instance type needs: its architecture's, in the variant its accelerators need. */
export function nodeImageOf(instanceType: string, facts: InstanceTypeFacts): { architecture: string; variant: ReturnType<typeof nodeImageVariant> } {
  return { architecture: nodeArchitecture(facts.architectures), variant: nodeImageVariant(instanceType, facts.gpus) };
}

/** The validated configuration every component receives. */
export interface PlatformConfig extends Omit<ConfigValues, "availabilityZones" | "maxPodsOverride" | "domain"> {
  readonly project: string;
  readonly stack: string;
  readonly region: string;
  /** Physical EKS cluster name, known before the cluster exists so subnets can carry its tag. */
  readonly clusterName: string;
  readonly availabilityZones: readonly [string, string, string];
  readonly maxPodsOverride?: number;
  /** The domain and its public hosted zone, when one is configured. */
  readonly domain?: string;
  readonly hostedZoneId?: string;
  /** The zone's name servers: its parent must delegate to them, or ACM cannot validate. */
  readonly hostedZoneNameServers?: readonly string[];
  readonly accountId: string;
  /** AWS partition (aws, aws-cn, aws-us-gov), for ARNs. */
  readonly partition: string;
  /** Limits of each configured instance type, from the EC2 API. */
  readonly instanceLimits: Readonly<Record<string, InstanceNetworkLimits>>;
  /** The node image: the configured release's AMI for the nodes' architecture, by exact name. */
  readonly nodeImage: { readonly id: string; readonly name: string };
  /** Who runs `pulumi up`. */
  readonly deployerPrincipalArn: string;
  /** The AWS provider's credentials settings, for what runs outside it (the delete-time DNS check). */
  readonly awsCredentials: { readonly profile?: string; readonly assumeRoles: ReadonlyArray<{ readonly roleArn: string; readonly externalId?: string }> };
  /** Admins that get an access entry of ours, and those that hold one EKS made (the creator's). */
  readonly adminAccess: { readonly entries: readonly string[]; readonly unmanaged: readonly string[] };
  /** The node group's room for what the program places on it (checked: it can hold it). */
  readonly capacity: GroupCapacity;
  /** The version's support phase on the deploy's date, and when it ends. */
  readonly kubernetesSupport: SupportPhase;
  /** Karpenter's exact-density pools (components/karpenter/density.ts) and the types no pool admits; none when karpenter is off. */
  readonly karpenterPools: { readonly pools: readonly DensityPool[]; readonly excluded: readonly ExcludedType[] };
}

/** Invalid configuration: printed by Pulumi without a stack trace, one line per bad key. */
export class ConfigError extends pulumi.RunError {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

function keyName(key: PropertyKey | undefined): string {
  return `${PROJECT}:${String(key ?? "")}`;
}

function show(value: unknown): string {
  return value === undefined ? "nothing" : JSON.stringify(value);
}

/** The EKS image architecture an instance type needs: arm64 for Graviton, x86_64 otherwise. */
export function nodeArchitecture(supportedArchitectures: readonly string[]): string {
  return supportedArchitectures.includes("arm64") ? "arm64" : "x86_64";
}

/** First pass: the values' own form. Returns the values or the problem lines. */
export function parseConfigValues(raw: Readonly<Record<string, string | undefined>>, date: string = deployDate()): ConfigValues | string[] {
  const result = configSchema.safeParse(raw);
  if (result.success) {
    // The version against EKS's calendar: one EKS would refuse or upgrade at once is refused, and the error
    // offers the versions it would run as asked.
    const { kubernetesVersion, supportType } = result.data;
    const problem = supportProblem(kubernetesVersion, supportType, date);
    if (problem === undefined) return result.data;
    const accepted = acceptedKubernetesVersions(supportType, date);
    const extended = acceptedKubernetesVersions("EXTENDED", date).filter((v) => !accepted.includes(v));
    return [
      `${keyName("kubernetesVersion")}: expected one of ${quoted(accepted)} on ${date} with supportType ${supportType}${extended.length > 0 ? ` (with supportType EXTENDED also ${quoted(extended)})` : ""}: ${problem} (got ${show(raw.kubernetesVersion)})`,
    ];
  }
  const seen = new Set<string>();
  const problems: string[] = [];
  for (const issue of result.error.issues) {
    const key = issue.path[0];
    // One line per key: a key's first problem is the one to fix first.
    if (seen.has(String(key))) continue;
    seen.add(String(key));
    // The versions on offer depend on the support type and the date: list only those that would be accepted.
    const message =
      key === "kubernetesVersion"
        ? `expected one of ${quoted(acceptedKubernetesVersions(SUPPORT_TYPES.find((t) => t === raw.supportType) ?? CONFIG_DEFAULTS.supportType, date))}: the versions EKS offers (1.${MIN_KUBERNETES_MINOR} to 1.${MAX_KUBERNETES_MINOR}) whose add-on versions are pinned (components/cluster/addon-versions.ts) and that EKS runs as asked on ${date}`
        : issue.message;
    problems.push(`${keyName(key)}: ${message} (got ${show(raw[String(key)])})`);
  }
  return problems;
}

/** Second pass: checks against AWS facts. Pure, so the tests can drive it with fixtures. */
export function resolveConfig(
  values: ConfigValues,
  facts: AwsFacts,
  context: { project: string; stack: string; region: string; date?: string },
): PlatformConfig | string[] {
  const problems: string[] = [];

  let zones = values.availabilityZones;
  const unsupported = (zone: string) => EKS_UNSUPPORTED_ZONE_IDS.includes(facts.zoneIds?.[zone] ?? "");
  if (zones.length === 0) {
    // The first three the cluster may use, by name; a zone EKS refuses (by its ID in this account) is skipped.
    const usable = facts.zones.filter((zone) => !unsupported(zone));
    zones = usable.slice(0, 3);
    if (zones.length < 3) {
      problems.push(`${keyName("availabilityZones")}: region ${context.region} has only ${usable.length} standard zones EKS supports (${usable.join(", ")}); three are needed`);
    }
  } else if (zones.some(unsupported)) {
    const refused = zones.filter(unsupported);
    problems.push(
      `${keyName("availabilityZones")}: expected zones EKS supports; ${refused.map((z) => `${z} (${facts.zoneIds?.[z]})`).join(", ")} cannot hold an EKS cluster's subnets (EKS user guide, network-reqs.html)`,
    );
  } else {
    const foreign = zones.filter((zone) => !facts.zones.includes(zone));
    if (foreign.length > 0) {
      problems.push(
        `${keyName("availabilityZones")}: expected three available zones of region ${context.region} (${facts.zones.join(", ")}), got unknown ${foreign.join(", ")}`,
      );
    }
  }

  const unknownTypes = values.nodeInstanceTypes.filter((t) => facts.instanceTypes[t] === undefined);
  if (unknownTypes.length > 0) {
    // EC2's own reason where it gave one (offline, the render's table says a type is not in it).
    const reasons = unknownTypes.map((t) => facts.lookupErrors?.[t] ?? `EC2 does not offer ${t}`);
    problems.push(`${keyName("nodeInstanceTypes")}: expected instance types EC2 offers in ${context.region}: ${reasons.join("; ")}`);
  } else {
    // The node image's architecture: EC2 also lists i386 for old x86 types (t2 and others), which no
    // EKS image is built for, so only x86_64 and arm64 count.
    const architectures = new Set(values.nodeInstanceTypes.map((t) => nodeArchitecture(facts.instanceTypes[t].architectures)));
    if (architectures.size > 1) {
      problems.push(
        `${keyName("nodeInstanceTypes")}: expected instance types of one CPU architecture (one node group, one AMI), got ${[...architectures].join(" and ")}`,
      );
    }
    if (values.maxPodsOverride > 0) {
      const limits = values.nodeInstanceTypes.map((t) => facts.instanceTypes[t].limits);
      const ceiling = maxPodsCeiling(limits, { prefixDelegation: values.prefixDelegation });
      if (values.maxPodsOverride > ceiling) {
        problems.push(
          `${keyName("maxPodsOverride")}: expected at most ${ceiling}, the pods ${values.nodeInstanceTypes.join(", ")} can address with prefix delegation ${values.prefixDelegation ? "on" : "off"}, got ${values.maxPodsOverride}`,
        );
      }
    }
  }

  let nodeImage: PlatformConfig["nodeImage"] | undefined;
  if (unknownTypes.length === 0) {
    // One node group, one image: its types must need the same variant (a GPU type needs NVIDIA's drivers,
    // Inferentia and Trainium the Neuron image; a standard node has neither).
    const images = values.nodeInstanceTypes.map((t) => ({ type: t, ...nodeImageOf(t, facts.instanceTypes[t]) }));
    const variants = [...new Set(images.map((i) => i.variant))];
    if (variants.length > 1) {
      problems.push(
        `${keyName("nodeInstanceTypes")}: expected instance types that run one node image, got ${images.map((i) => `${i.type} (${i.variant})`).join(", ")}: GPU types need the AL2023 NVIDIA image, Inferentia and Trainium the Neuron image`,
      );
    } else if (images.length > 0) {
      const { architecture, variant } = images[0];
      const name = nodeImageName({ kubernetesVersion: values.kubernetesVersion, architecture, release: values.nodeImageRelease, variant });
      const found = facts.nodeImages[name];
      if (!found || "error" in found) {
        problems.push(
          `${keyName("nodeImageRelease")}: expected an amazon-eks-ami release with an AL2023 ${variant} image for Kubernetes ${values.kubernetesVersion} (${architecture}) in ${context.region}, but EC2 has no image named ${name}${found && "error" in found ? ` (${found.error})` : ""}`,
        );
      } else {
        nodeImage = { id: found.id, name };
      }
    }
  }

  let hostedZoneId: string | undefined;
  let hostedZoneNameServers: readonly string[] | undefined;
  if (values.domain !== "" && facts.hostedZone) {
    if ("error" in facts.hostedZone) {
      problems.push(`${keyName("domain")}: expected a public Route 53 hosted zone named ${values.domain} in this account (${facts.hostedZone.error})`);
    } else {
      hostedZoneId = facts.hostedZone.zoneId;
      hostedZoneNameServers = facts.hostedZone.nameServers;
    }
  }

  const clusterName = clusterNameFor(context.project, context.stack);
  problems.push(...clusterNameProblems(clusterName, values.karpenter));

  let capacity: GroupCapacity | undefined;
  if (unknownTypes.length === 0 && problems.length === 0) {
    const result = nodeGroupCapacity(values, facts);
    problems.push(...result.problems);
    capacity = result.capacity;
    if (result.capacity) problems.push(...autoscalingProblems(values, facts, result.capacity));
  }

  const access = adminAccess(values.adminPrincipalArns, facts.deployerArn, facts.clusterAccess);
  if (access.problem) problems.push(access.problem);

  const kubernetesSupport = supportPhase(values.kubernetesVersion, context.date ?? deployDate());
  if (!kubernetesSupport) problems.push(`${keyName("kubernetesVersion")}: no support dates for ${values.kubernetesVersion} (components/cluster/eks-versions.ts)`);

  if (problems.length > 0 || !nodeImage || !capacity || !kubernetesSupport) return problems;
  return {
    ...values,
    ...context,
    clusterName,
    availabilityZones: [zones[0], zones[1], zones[2]],
    maxPodsOverride: values.maxPodsOverride > 0 ? values.maxPodsOverride : undefined,
    domain: values.domain === "" ? undefined : values.domain,
    hostedZoneId,
    hostedZoneNameServers,
    accountId: facts.accountId,
    partition: facts.partition,
    instanceLimits: Object.fromEntries(values.nodeInstanceTypes.map((t) => [t, facts.instanceTypes[t].limits])),
    nodeImage,
    deployerPrincipalArn: facts.deployerArn,
    adminAccess: { entries: access.entries, unmanaged: access.unmanaged },
    awsCredentials: facts.awsCredentials ?? { assumeRoles: [] },
    capacity,
    kubernetesSupport,
    karpenterPools: values.karpenter ? karpenterPoolsFor(values) : { pools: [], excluded: [] },
  };
}

/** Karpenter's minimum generation and pods per node: older types and nodes too small to be worth a launch are left out. */
export const KARPENTER_MIN_GENERATION = 5;
export const KARPENTER_MIN_PODS = 20;

/**
 * The instance types Karpenter may choose from, with their network limits: the offline instance table
 * (data/instance-types/, the VPC CNI's generated limits), the same data the max-pods calculator's numbers
 * come from. Types whose vCPUs, memory or architecture the table lacks are left out: their density cannot be
 * computed.
 */
export function karpenterInstanceTypes(): KarpenterInstanceType[] {
  instanceTypesOnce ??= offlineInstanceTypeNames().flatMap((name) => {
    const t = offlineInstanceType(name);
    const arch = t?.supportedArchitectures?.[0];
    if (!t || t.defaultVcpus === null || t.memorySize === null || t.gpuses === null || (arch !== "x86_64" && arch !== "arm64")) return [];
    return [
      {
        name,
        limits: limitsFromEc2({ ...t, defaultVcpus: t.defaultVcpus }),
        arch: arch === "x86_64" ? ("amd64" as const) : ("arm64" as const),
        hypervisor: t.hypervisor,
        memoryMib: t.memorySize,
        gpus: t.gpuses.reduce((n, g) => n + g.count, 0),
      },
    ];
  });
  return instanceTypesOnce;
}
/** The table does not change while the program runs (nor between the runs of a test process). */
let instanceTypesOnce: KarpenterInstanceType[] | undefined;
/** Pools by their options: a pure function of a constant table, so computed once per distinct choice. */
const poolsByOptions = new Map<string, { pools: DensityPool[]; excluded: ExcludedType[] }>();

function karpenterPoolsFor(values: ConfigValues): { pools: DensityPool[]; excluded: ExcludedType[] } {
  const options = {
    maxPods: { prefixDelegation: values.prefixDelegation },
    architectures: values.karpenterArchitectures,
    categories: values.karpenterCategories,
    minGeneration: KARPENTER_MIN_GENERATION,
    maxVcpus: values.karpenterMaxVcpus,
    minPods: KARPENTER_MIN_PODS,
    limits: { cpu: values.karpenterCpuLimit, memoryMiB: values.karpenterMemoryLimitGiB * 1024 },
  };
  const key = JSON.stringify(options);
  let found = poolsByOptions.get(key);
  if (!found) {
    const usable = karpenterInstanceTypes();
    const known = new Set(usable.map((t) => t.name));
    const { pools, excluded } = densityPools(usable, options);
    // A type whose max pods cannot be computed can be exact in no pool: named, never admitted.
    const unknown = offlineInstanceTypeNames()
      .filter((name) => !known.has(name))
      .map((name) => ({ name, reason: "without vCPUs, memory, GPU count or architecture in the offline table, so max pods cannot be computed" }));
    found = { pools, excluded: [...excluded, ...unknown] };
    poolsByOptions.set(key, found);
  }
  return found;
}

/**
 * Every pod the program places on the managed nodes, by its requests: the add-ons' DaemonSets and Deployments
 * (addon-pods.ts, from their manifests), the controllers, the apps and the lab (their own constants, which
 * the components use: a test holds this list to the pods the program declares). The apps count at their
 * autoscalers' floor (their replicas keys), or at the ceiling (appMaxReplicas) for `at: "ceiling"`.
 */
export function plannedPods(values: ConfigValues, at: "floor" | "ceiling" = "floor"): PlannedPods[] {
  const apps = appPods(values).map((app) => ({ workload: app.workload, replicas: at === "floor" ? app.floor : values.appMaxReplicas, requests: app.requests }));
  return [
    ...ADDON_PODS,
    { workload: "kube-system/aws-load-balancer-controller", replicas: LOAD_BALANCER_CONTROLLER_REPLICAS, requests: requestsOf(LOAD_BALANCER_CONTROLLER_RESOURCES) },
    ...(values.domain !== "" ? [{ workload: "kube-system/external-dns", replicas: 1, requests: requestsOf(EXTERNAL_DNS_RESOURCES) }] : []),
    // Karpenter's controller runs on the managed group, never on the nodes it launches (its chart's affinity).
    ...(values.karpenter ? [{ workload: "kube-system/karpenter", replicas: KARPENTER_REPLICAS, requests: requestsOf(KARPENTER_RESOURCES) }] : []),
    ...apps,
    ...(values.networkLab
      ? [
          { workload: `${LAB_NAMESPACE}/${PEERS_NAME}`, replicas: LAB_REPLICAS, requests: requestsOf(PEER_RESOURCES) },
          { workload: `${LAB_NAMESPACE}/${NETSHOOT_NAME}`, replicas: LAB_REPLICAS, requests: requestsOf(NETSHOOT_RESOURCES) },
        ]
      : []),
  ];
}

/** Each app: its Deployment, its autoscaler's floor (its replicas key) and one pod's requests. */
function appPods(values: ConfigValues): Array<{ workload: string; floor: number; requests: PodRequests }> {
  return [
    { workload: "echo/echo", floor: values.echoReplicas, requests: requestsOf(ECHO_RESOURCES) },
    { workload: "game-2048/game-2048", floor: values.game2048Replicas, requests: requestsOf(GAME_2048_RESOURCES) },
    { workload: "tetris/tetris", floor: values.tetrisReplicas, requests: requestsOf(TETRIS_RESOURCES) },
    { workload: "mario/mario", floor: values.marioReplicas, requests: requestsOf(MARIO_RESOURCES) },
  ];
}

/**
 * What the apps' autoscalers may add above their floors, all at their ceiling at once: the requests of the
 * pods that go to the managed group's room left at the floors, then to nodes Karpenter launches.
 */
export function autoscalingBurst(values: ConfigValues): PodRequests {
  return appPods(values).reduce(
    (burst, app) => {
      const extra = values.appMaxReplicas - app.floor;
      return { cpuMillis: burst.cpuMillis + extra * app.requests.cpuMillis, memoryMiB: burst.memoryMiB + extra * app.requests.memoryMiB };
    },
    { cpuMillis: 0, memoryMiB: 0 },
  );
}

/**
 * Where the apps' autoscalers put pods above their floors, and whether it can hold them. With Karpenter: the
 * managed group's room left at the floors, then Karpenter's nodes, which never exceed its limits (the sum of
 * its pools' shares; sigs.k8s.io/karpenter @ 6e7eab7a scheduler.go L709-716). A burst beyond both together can
 * never be placed and is refused. One within them may still leave a few pods pending, since every node keeps
 * part of itself (kube-reserved, the add-ons' DaemonSets): this is the check that is certain, not a packing.
 * Without Karpenter nothing adds nodes, so the managed group must hold every app at its ceiling. Each problem
 * names the key that would fix it.
 */
function autoscalingProblems(values: ConfigValues, facts: AwsFacts, atFloors: GroupCapacity): string[] {
  if (!values.karpenter) {
    const atCeiling = nodeGroupCapacity(values, facts, "ceiling");
    return atCeiling.problems.length === 0
      ? []
      : [
          `${keyName("appMaxReplicas")}: expected a ceiling the managed node group can hold, since with karpenter=false nothing adds nodes when the apps scale, but with every app at ${values.appMaxReplicas} replicas ${atCeiling.reasons.join("; ")} (lower appMaxReplicas, or turn karpenter on)`,
        ];
  }
  const burst = autoscalingBurst(values);
  const room = { cpuMillis: atFloors.free.cpuMillis + values.karpenterCpuLimit * 1000, memoryMiB: atFloors.free.memoryMiB + values.karpenterMemoryLimitGiB * 1024 };
  const over = [
    ...(burst.cpuMillis > room.cpuMillis ? [`${burst.cpuMillis}m CPU, more than the managed group's ${atFloors.free.cpuMillis}m left and karpenterCpuLimit ${values.karpenterCpuLimit} vCPUs together`] : []),
    ...(burst.memoryMiB > room.memoryMiB ? [`${burst.memoryMiB} MiB, more than the managed group's ${atFloors.free.memoryMiB} MiB left and karpenterMemoryLimitGiB ${values.karpenterMemoryLimitGiB} GiB together`] : []),
  ];
  return over.length === 0
    ? []
    : [`${keyName("appMaxReplicas")}: expected room for the pods the apps' autoscalers may add above their floors, but at ${values.appMaxReplicas} replicas each they request ${over.join(", and ")} (lower appMaxReplicas, or raise the limits)`];
}

/**
 * The node group at its configured size against what it must run, for its smallest instance type (a node of
 * any of its types may launch): the problems, each naming the key that would fix it, or the room left.
 * `reasons` are the bare sentences, for a caller that names its own key.
 */
function nodeGroupCapacity(values: ConfigValues, facts: AwsFacts, at: "floor" | "ceiling" = "floor"): { problems: string[]; reasons: string[]; capacity?: GroupCapacity } {
  const limits = values.nodeInstanceTypes.map((t) => facts.instanceTypes[t].limits);
  const pods = nodeGroupMaxPods(limits, { prefixDelegation: values.prefixDelegation }, values.maxPodsOverride > 0 ? values.maxPodsOverride : undefined);
  const shapes: NodeShape[] = values.nodeInstanceTypes.map((t) => ({
    instanceType: t,
    vcpus: facts.instanceTypes[t].limits.vcpus,
    memoryMiB: facts.instanceTypes[t].memoryMiB,
    maxPods: pods,
    kubeReservedMemoryMiB: kubeReservedMemoryMiB(pods),
  }));
  const planned = plannedPods(values, at);
  const results = shapes.map((shape) => groupCapacity(shape, values.nodeDesiredSize, planned));
  const tightest = [...results].sort((a, b) => a.free.memoryMiB - b.free.memoryMiB)[0];
  const failing = results.find((r) => r.problems.length > 0);
  if (!failing) return { problems: [], reasons: [], capacity: tightest };
  const perNodeShort = failing.perNode.memoryMiB <= failing.daemonsPerNode.memoryMiB || failing.perNode.pods <= failing.daemonsPerNode.pods;
  const key = perNodeShort ? (values.maxPodsOverride > 0 && failing.perNode.pods <= failing.daemonsPerNode.pods ? "maxPodsOverride" : "nodeInstanceTypes") : "nodeDesiredSize";
  return { problems: failing.problems.map((p) => `${keyName(key)}: expected a node group that can run what the program places on it, but ${p}`), reasons: [...failing.problems] };
}

/** The EKS cluster's physical name: known before the cluster exists, so subnets can carry its tag. */
export function clusterNameFor(project: string, stack: string): string {
  return `${project}-${stack}`;
}

/**
 * What the cluster's name (`<project>-<stack>`) must be: EKS's rule (CreateCluster `name`: 1-100 letters,
 * digits, - or _, starting with a letter or digit), and with Karpenter SQS's too, since its interruption queue
 * takes the cluster's name as the v1.14.1 template does: at most 80 characters (CreateQueue `QueueName`).
 */
export function clusterNameProblems(clusterName: string, karpenter: boolean): string[] {
  if (!/^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/.test(clusterName)) return [`stack name: the cluster name "${clusterName}" must be 1-100 letters, digits, - or _`];
  if (karpenter && clusterName.length > 80) {
    return [`stack name: the cluster name "${clusterName}" has ${clusterName.length} characters; Karpenter's interruption queue is named after it and SQS allows 80 (shorten the stack name, or set eks-platform:karpenter false)`];
  }
  return [];
}

/** Reads the project's configuration the way the Pulumi CLI hands it over: one string per key. */
function readRawConfig(): Record<string, string | undefined> {
  const config = new pulumi.Config(PROJECT);
  return Object.fromEntries(Object.keys(CONFIG_DEFAULTS).map((key) => [key, config.get(key)]));
}

/** Edit distance (insert, delete, substitute, swap two neighbours), ignoring case. */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  const d: number[][] = Array.from({ length: s.length + 1 }, (_, i) => Array.from({ length: t.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= s.length; i++) {
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[s.length][t.length];
}

/** The declared key closest to a mistyped one, if one is close enough to be what was meant. */
export function closestConfigKey(key: string, declared: readonly string[] = Object.keys(CONFIG_DEFAULTS)): string | undefined {
  const limit = Math.max(2, Math.floor(key.length / 3));
  const ranked = [...declared].sort().map((k) => ({ k, d: editDistance(key, k) })).filter((x) => x.d <= limit);
  return ranked.sort((x, y) => x.d - y.d)[0]?.k;
}

/**
 * Keys set in the project's namespace that it does not declare, one problem line each. Pulumi hands the
 * program every key it is given; a mistyped one (`nodeInstanceType`) would be ignored and the stack built
 * on the default of the key that was meant.
 */
export function unknownConfigKeys(keys: readonly string[]): string[] {
  const prefix = `${PROJECT}:`;
  const projectProblems = keys
    .filter((key) => key.startsWith(prefix) && !(key.slice(prefix.length) in CONFIG_DEFAULTS))
    .map((key) => key.slice(prefix.length))
    .sort()
    .map((key) => {
      // A provider setting given to the project (`pulumi config set region ...` sets eks-platform:region).
      if (AWS_PROVIDER_KEYS.includes(key)) return `${keyName(key)}: not a key of this project; the AWS provider reads aws:${key} (pulumi config set aws:${key} ...)`;
      const closest = closestConfigKey(key);
      // The value is not shown: a mistyped key may hold a secret.
      return `${keyName(key)}: not a key of this project${closest ? `; did you mean ${keyName(closest)}?` : ""} (Pulumi.yaml declares every key)`;
    });
  const awsProblems = keys
    .filter((key) => key.startsWith("aws:") && !AWS_PROVIDER_KEYS.includes(key.slice(4)))
    .sort()
    .map((key) => {
      const closest = closestConfigKey(key.slice(4), AWS_PROVIDER_KEYS);
      return `${key}: not a setting of the AWS provider${closest ? `; did you mean aws:${closest}?` : ""} (@pulumi/aws's config lists them)`;
    });
  return [...awsProblems, ...projectProblems];
}

/**
 * The AWS provider's configuration keys, as the pinned @pulumi/aws declares them (config/vars.js: one
 * getter per key of the provider's schema). A mistyped one (`aws:regoin`) would be ignored and the stack
 * built in another region.
 */
export const AWS_PROVIDER_KEYS: readonly string[] = Object.keys(awsProviderConfig)
  .filter((key) => key !== "requireRegion")
  .sort();

function reason(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0];
}

async function readHostedZone(domain: string): Promise<AwsFacts["hostedZone"]> {
  if (domain === "") return undefined;
  try {
    const zone = await aws.route53.getZone({ name: domain, privateZone: false });
    return { zoneId: zone.zoneId, nameServers: [...zone.nameServers] };
  } catch (error) {
    return { error: reason(error) };
  }
}

async function readInstanceTypes(names: readonly string[]): Promise<Pick<AwsFacts, "instanceTypes" | "lookupErrors">> {
  const instanceTypes: Record<string, InstanceTypeFacts> = {};
  const lookupErrors: Record<string, string> = {};
  await Promise.all(
    names.map(async (name) => {
      try {
        const info = await aws.ec2.getInstanceType({ instanceType: name });
        const gpus = (info.gpuses ?? []).reduce((n, g) => n + g.count, 0);
        instanceTypes[name] = { limits: limitsFromEc2(info), architectures: [...info.supportedArchitectures].sort(), memoryMiB: info.memorySize, gpus };
      } catch (error) {
        // Reported as an unknown type by resolveConfig, with EC2's reason.
        lookupErrors[name] = reason(error);
      }
    }),
  );
  return { instanceTypes, lookupErrors };
}

/** The configured release's node image for one architecture, by its exact name (one name, one image per region). */
async function readNodeImage(name: string): Promise<{ id: string } | { error: string }> {
  try {
    const image = await aws.ec2.getAmi({ owners: [NODE_IMAGE_OWNER], filters: [{ name: "name", values: [name] }] });
    return { id: image.id };
  } catch (error) {
    return { error: reason(error) };
  }
}

/**
 * The principal an access entry would name for the caller: a user or role ARN as it is; an STS
 * assumed-role session ARN (no path) mapped to its role's ARN (with path) by IAM.
 */
async function readDeployerArn(callerArn: string): Promise<string> {
  if (!/:assumed-role\//.test(callerArn)) return callerArn;
  const context = await aws.iam.getSessionContext({ arn: callerArn });
  return context.issuerArn;
}

/**
 * The cluster's access entries for these principals, when the cluster exists: those without our tag are
 * not ours (EKS made the creator's). Read-only invokes; a cluster not yet created is answered as absent.
 */
async function readClusterAccess(clusterName: string, principals: readonly string[]): Promise<AwsFacts["clusterAccess"]> {
  const exists = await aws.eks.getCluster({ name: clusterName }).then(
    () => true,
    () => false,
  );
  if (!exists) return { exists, foreignEntries: [] };
  const foreign = await Promise.all(
    principals.map(async (principalArn) => {
      try {
        const entry = await aws.eks.getAccessEntry({ clusterName, principalArn });
        return entry.tags?.[ADMIN_ACCESS_ENTRY_TAG.key] === ADMIN_ACCESS_ENTRY_TAG.value ? undefined : principalArn;
      } catch {
        return undefined;
      }
    }),
  );
  return { exists, foreignEntries: foreign.filter((p): p is string => p !== undefined) };
}

/** Every fact at once: these lookups do not depend on each other. */
async function readAwsFacts(values: ConfigValues, clusterName: string): Promise<AwsFacts> {
  const [zones, types, identity, partition, hostedZone] = await Promise.all([
    aws.getAvailabilityZones({
      state: "available",
      filters: [
        { name: "opt-in-status", values: ["opt-in-not-required"] },
        { name: "zone-type", values: ["availability-zone"] },
      ],
    }),
    readInstanceTypes(values.nodeInstanceTypes),
    aws.getCallerIdentity(),
    aws.getPartition(),
    readHostedZone(values.domain),
  ]);
  // The images the configured types need, by exact name (a type EC2 did not describe needs none).
  const imageNames = [
    ...new Set(
      Object.entries(types.instanceTypes).map(([t, f]) => nodeImageName({ kubernetesVersion: values.kubernetesVersion, release: values.nodeImageRelease, ...nodeImageOf(t, f) })),
    ),
  ];
  const nodeImages = Object.fromEntries(await Promise.all(imageNames.map(async (name) => [name, await readNodeImage(name)] as const)));
  const deployerArn = await readDeployerArn(identity.arn);
  const providerConfig = new pulumi.Config("aws");
  const assumeRoles = providerConfig.getObject<Array<{ roleArn?: string; externalId?: string }>>("assumeRoles") ?? [];
  const clusterAccess = await readClusterAccess(clusterName, [...new Set([...values.adminPrincipalArns, deployerArn])]);
  return {
    zones: [...zones.names].sort(),
    zoneIds: Object.fromEntries(zones.names.map((name, i) => [name, zones.zoneIds[i]])),
    ...types,
    hostedZone,
    accountId: identity.accountId,
    partition: partition.partition,
    deployerArn,
    clusterAccess,
    awsCredentials: {
      profile: providerConfig.get("profile"),
      assumeRoles: assumeRoles.filter((r): r is { roleArn: string; externalId?: string } => typeof r.roleArn === "string").map((r) => (r.externalId ? { roleArn: r.roleArn, externalId: r.externalId } : { roleArn: r.roleArn })),
    },
    nodeImages,
  };
}

/** Reads, validates and resolves all configuration; throws one ConfigError listing every bad key. */
export async function loadConfig(): Promise<PlatformConfig> {
  const region = new pulumi.Config("aws").get("region") ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  const date = deployDate();
  const values = parseConfigValues(readRawConfig(), date);
  const problems: string[] = region ? [] : ["aws:region: expected an AWS region such as ap-northeast-2 (pulumi config set aws:region ...)"];
  problems.push(...unknownConfigKeys(Object.keys(pulumi.runtime.allConfig())));
  if (Array.isArray(values) || !region || problems.length > 0) {
    throw new ConfigError([...problems, ...(Array.isArray(values) ? values : [])]);
  }
  const facts = await readAwsFacts(values, clusterNameFor(pulumi.getProject(), pulumi.getStack()));
  const resolved = resolveConfig(values, facts, { project: pulumi.getProject(), stack: pulumi.getStack(), region, date });
  if (Array.isArray(resolved)) throw new ConfigError(resolved);
  return resolved;
}
