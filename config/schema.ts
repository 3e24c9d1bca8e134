/**
 * The first pass's rules: each key's own form, as a zod schema. Pulumi hands every value over as a string
 * (lists and objects as JSON); the preprocessors read them back, and every message names what is expected.
 */
import { parseFamiliarName } from "@swimlane/docker-reference";
import { z } from "zod";
import { pinnedByDigest, UNPINNED_DEFAULT_IMAGES } from "../apps/images";
import { KUBE_PROXY_MODES, type KubeProxyMode } from "../components/cluster/addon-config";
import { ADDON_VERSIONS, NFTABLES_MIN_VPC_CNI, versionAtLeast } from "../components/cluster/addon-versions";
import { CAPACITY_TYPES, CONTROL_PLANE_LOG_TYPES } from "../components/cluster/cluster";
import { SUPPORT_TYPES } from "../components/cluster/eks-versions";
import { LOG_RETENTION_DAYS } from "../components/cluster/encryption";
import { NODE_IMAGE_RELEASE_PATTERN } from "../components/cluster/node-image";
import { CONSOLIDATION_POLICIES, CAPACITY_TYPES as KARPENTER_CAPACITY_TYPES } from "../components/karpenter/node-pools";
import { NAT_STRATEGIES } from "../components/network/network";
import { MAX_VPC_PREFIX, MIN_VPC_PREFIX, parseCidr } from "../components/network/subnets";
import {
  APP_REPLICA_KEYS,
  CONFIG_DEFAULTS,
  KARPENTER_ARCHITECTURES,
  MAX_KUBERNETES_MINOR,
  MAX_NODES_PER_MANAGED_NODE_GROUP,
  MIN_KUBERNETES_MINOR,
  MIN_NODES,
  quoted,
} from "./keys";
import { nodeSizeProblem } from "./node-sizes";

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

const kubernetesVersion = z
  .string()
  .regex(/^1\.\d{2}$/, {
    error: `expected a Kubernetes minor version, one of ${quoted(deployableKubernetesVersions())}`,
  })
  .refine((v) => deployableKubernetesVersions().includes(v), {
    error: `expected one of ${quoted(deployableKubernetesVersions())}: the versions EKS offers (1.${MIN_KUBERNETES_MINOR} to 1.${MAX_KUBERNETES_MINOR}) whose add-on versions are pinned (data/aws/addon-versions.json)`,
  });

const vpcCidr = cidrString(`an IPv4 CIDR from /${MIN_VPC_PREFIX} to /${MAX_VPC_PREFIX}`).refine(
  (value) => {
    const parsed = parseCidr(value);
    return typeof parsed === "string" || (parsed.prefix >= MIN_VPC_PREFIX && parsed.prefix <= MAX_VPC_PREFIX);
  },
  {
    error: `expected a prefix from /${MIN_VPC_PREFIX} to /${MAX_VPC_PREFIX} (room for three private and three public subnets)`,
  },
);

const instanceType = z.string().regex(/^[a-z][a-z0-9-]*\.[a-z0-9-]+$/, {
  error: 'expected EC2 instance type names such as "m7i.large"',
});

/** IAM users and roles, the principals EKS access entries take (not STS assumed-role sessions). */
const iamPrincipalArn = z.string().regex(/^arn:aws(-[a-z]+)*:iam::\d{12}:(role|user)\/[\w+=,.@/-]+$/, {
  error: "expected IAM role or user ARNs (arn:aws:iam::<account>:role/<name> or :user/<name>)",
});

const domainName = z.string().regex(/^$|^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, {
  error: 'expected a lower-case DNS domain such as "example.com", or "" for none',
});

const nodeCount = z.preprocess(
  fromInt,
  z
    .number({ error: "expected a whole number" })
    .int({ error: "expected a whole number" })
    .min(MIN_NODES, { error: `expected at least ${MIN_NODES} (one node per zone)` })
    .max(MAX_NODES_PER_MANAGED_NODE_GROUP, {
      error: `expected at most ${MAX_NODES_PER_MANAGED_NODE_GROUP} (EKS's quota of nodes per managed node group)`,
    }),
);

/** The architectures an app's image runs on, as its registry's manifest list says (`crane manifest <image>`); empty: unknown. */
const imageArchitectures = stringList(
  `architectures (${quoted(KARPENTER_ARCHITECTURES)})`,
  z.enum(KARPENTER_ARCHITECTURES, { error: `expected architectures among ${quoted(KARPENTER_ARCHITECTURES)}` }),
).refine((v) => new Set(v).size === v.length, { error: "expected each architecture once" });

/**
 * Container image references, by the distribution/reference grammar (the one the container runtime
 * parses; @swimlane/docker-reference ports it): `[registry[:port]/]repository[:tag][@algorithm:digest]`,
 * lower-case repository, a digest of the right length; and pinned by digest, unless the value is that key's
 * own default kept by tag with a written reason (apps/images.ts), which its workload carries to the review.
 */
const imageReference = (key: "echoImage" | "game2048Image" | "tetrisImage" | "marioImage") =>
  z.string().superRefine((value, ctx) => {
    try {
      parseFamiliarName(value);
    } catch (error) {
      ctx.addIssue({
        code: "custom",
        message: `expected a container image reference such as "registry.k8s.io/echoserver:1.5" or "repo@sha256:<64 hex digits>" (${error instanceof Error ? error.message : String(error)})`,
      });
      return;
    }
    const keptByTag = value === CONFIG_DEFAULTS[key] && value in UNPINNED_DEFAULT_IMAGES;
    if (!pinnedByDigest(value) && !keptByTag)
      ctx.addIssue({
        code: "custom",
        message: `expected an image pinned by digest, such as "${value.split("@")[0]}@sha256:<64 hex digits>" (\`crane digest ${value}\` gives it): a tag can be moved by whoever controls the registry`,
      });
  });

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
    adminPrincipalArns: stringList("IAM role or user ARNs", iamPrincipalArn).default(
      CONFIG_DEFAULTS.adminPrincipalArns,
    ),
    publicAccessCidrs: stringList("IPv4 CIDRs", cidrString("IPv4 CIDRs"))
      .refine((cidrs) => cidrs.length > 0, { error: "expected at least one CIDR" })
      .default(CONFIG_DEFAULTS.publicAccessCidrs),
    domain: domainName.default(CONFIG_DEFAULTS.domain),
    echoImage: imageReference("echoImage").default(CONFIG_DEFAULTS.echoImage),
    echoArchitectures: imageArchitectures.default(CONFIG_DEFAULTS.echoArchitectures),
    echoReplicas: replicas.default(CONFIG_DEFAULTS.echoReplicas),
    game2048Image: imageReference("game2048Image").default(CONFIG_DEFAULTS.game2048Image),
    game2048Architectures: imageArchitectures.default(CONFIG_DEFAULTS.game2048Architectures),
    game2048Replicas: replicas.default(CONFIG_DEFAULTS.game2048Replicas),
    tetrisImage: imageReference("tetrisImage").default(CONFIG_DEFAULTS.tetrisImage),
    tetrisArchitectures: imageArchitectures.default(CONFIG_DEFAULTS.tetrisArchitectures),
    tetrisReplicas: replicas.default(CONFIG_DEFAULTS.tetrisReplicas),
    marioImage: imageReference("marioImage").default(CONFIG_DEFAULTS.marioImage),
    marioArchitectures: imageArchitectures.default(CONFIG_DEFAULTS.marioArchitectures),
    marioReplicas: replicas.default(CONFIG_DEFAULTS.marioReplicas),
    appMaxReplicas: z
      .preprocess(
        fromInt,
        z
          .number({ error: "expected a whole number" })
          .int({ error: "expected a whole number" })
          .min(3, { error: "expected at least 3 (one pod per zone)" })
          .max(10000, { error: "expected at most 10000" }),
      )
      .default(CONFIG_DEFAULTS.appMaxReplicas),
    appTargetCpuUtilization: z
      .preprocess(
        fromInt,
        z
          .number({ error: "expected a whole percentage" })
          .int({ error: "expected a whole percentage" })
          .min(10, { error: "expected at least 10 (% of the pods' CPU request)" })
          .max(100, {
            error:
              "expected at most 100 (% of the pods' CPU request; above it pods scale only once they use more than they asked for)",
          }),
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
    controlPlaneLogTypes: stringList(
      `control-plane log types (${quoted(CONTROL_PLANE_LOG_TYPES)})`,
      z.enum(CONTROL_PLANE_LOG_TYPES, { error: `expected log types among ${quoted(CONTROL_PLANE_LOG_TYPES)}` }),
    )
      .refine((types) => new Set(types).size === types.length, { error: "expected each log type once" })
      .default(CONFIG_DEFAULTS.controlPlaneLogTypes),
    accessLogRetentionDays: z
      .preprocess(
        fromInt,
        z
          .number({ error: "expected a whole number of days" })
          .int({ error: "expected a whole number of days" })
          .min(1, { error: "expected at least 1 day" })
          .max(3650, { error: "expected at most 3650 days" }),
      )
      .default(CONFIG_DEFAULTS.accessLogRetentionDays),
    loadBalancerDeletionProtection: z
      .preprocess(fromBool, z.boolean({ error: "expected true or false" }))
      .default(CONFIG_DEFAULTS.loadBalancerDeletionProtection),
    webAcl: z.preprocess(fromBool, z.boolean({ error: "expected true or false" })).default(CONFIG_DEFAULTS.webAcl),
    karpenter: z
      .preprocess(fromBool, z.boolean({ error: "expected true or false" }))
      .default(CONFIG_DEFAULTS.karpenter),
    karpenterCpuLimit: z
      .preprocess(
        fromInt,
        z
          .number({ error: "expected a whole number of vCPUs" })
          .int({ error: "expected a whole number of vCPUs" })
          .min(2, { error: "expected at least 2 vCPUs" })
          .max(10000, { error: "expected at most 10000 vCPUs" }),
      )
      .default(CONFIG_DEFAULTS.karpenterCpuLimit),
    karpenterMemoryLimitGiB: z
      .preprocess(
        fromInt,
        z
          .number({ error: "expected a whole number of GiB" })
          .int({ error: "expected a whole number of GiB" })
          .min(4, { error: "expected at least 4 GiB" })
          .max(100000, { error: "expected at most 100000 GiB" }),
      )
      .default(CONFIG_DEFAULTS.karpenterMemoryLimitGiB),
    karpenterCapacityTypes: stringList(
      `capacity types (${quoted(KARPENTER_CAPACITY_TYPES)})`,
      z.enum(KARPENTER_CAPACITY_TYPES, { error: `expected capacity types among ${quoted(KARPENTER_CAPACITY_TYPES)}` }),
    )
      .refine((v) => v.length > 0 && new Set(v).size === v.length, {
        error: "expected at least one capacity type, each once",
      })
      .default(CONFIG_DEFAULTS.karpenterCapacityTypes),
    karpenterArchitectures: stringList(
      `architectures (${quoted(KARPENTER_ARCHITECTURES)})`,
      z.enum(KARPENTER_ARCHITECTURES, { error: `expected architectures among ${quoted(KARPENTER_ARCHITECTURES)}` }),
    )
      .refine((v) => v.length > 0 && new Set(v).size === v.length, {
        error: "expected at least one architecture, each once",
      })
      .default(CONFIG_DEFAULTS.karpenterArchitectures),
    karpenterCategories: stringList(
      "instance categories (c, m, r, ...)",
      z.string().regex(/^[a-z]+$/, { error: 'expected instance categories such as "c", "m", "r"' }),
    )
      .refine((v) => v.length > 0 && new Set(v).size === v.length, {
        error: "expected at least one category, each once",
      })
      .default(CONFIG_DEFAULTS.karpenterCategories),
    karpenterMaxVcpus: z
      .preprocess(
        fromInt,
        z
          .number({ error: "expected a whole number of vCPUs" })
          .int({ error: "expected a whole number of vCPUs" })
          .min(2, { error: "expected at least 2 vCPUs" })
          .max(448, { error: "expected at most 448 vCPUs" }),
      )
      .default(CONFIG_DEFAULTS.karpenterMaxVcpus),
    karpenterConsolidation: z
      .enum(CONSOLIDATION_POLICIES, { error: `expected one of ${quoted(CONSOLIDATION_POLICIES)}` })
      .default(CONFIG_DEFAULTS.karpenterConsolidation),
    karpenterDisruptionBudget: z
      .string()
      .regex(/^(100|[1-9]?[0-9])%$|^[0-9]+$/, { error: 'expected a number of nodes ("2") or a percentage ("10%")' })
      .default(CONFIG_DEFAULTS.karpenterDisruptionBudget),
    networkLab: z
      .preprocess(fromBool, z.boolean({ error: "expected true or false" }))
      .default(CONFIG_DEFAULTS.networkLab),
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
      ctx.addIssue({
        code: "custom",
        path: ["kubeProxyMode"],
        message: `expected one of ${quoted(modes)}${nftablesNote}`,
      });
    }
    for (const key of APP_REPLICA_KEYS.filter((k) => c[k] > c.appMaxReplicas)) {
      // The replicas key is the autoscaler's floor: above the ceiling, the HorizontalPodAutoscaler is invalid.
      ctx.addIssue({
        code: "custom",
        path: [key],
        message: `expected at most appMaxReplicas (${c.appMaxReplicas}), the ceiling of the app's autoscaler, whose floor this is (raise appMaxReplicas too)`,
      });
    }
    const sizes = nodeSizeProblem(c);
    if (sizes) ctx.addIssue({ code: "custom", path: [sizes.key], message: sizes.message });
  });

/** kube-proxy modes a Kubernetes version accepts here: nftables only beside a VPC CNI new enough for it. */
export function kubeProxyModesFor(kubernetesVersion: string): KubeProxyMode[] {
  const pinnedCni = ADDON_VERSIONS[kubernetesVersion]?.["vpc-cni"];
  return KUBE_PROXY_MODES.filter(
    (mode) => mode !== "nftables" || (pinnedCni !== undefined && versionAtLeast(pinnedCni, NFTABLES_MIN_VPC_CNI)),
  );
}

export type ConfigValues = z.output<typeof configSchema>;
export type ConfigKey = keyof ConfigValues;
