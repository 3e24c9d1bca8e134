/**
 * The second pass: the values against what only AWS knows (aws-facts.ts), into the one typed object every
 * component receives. Pure, so the tests drive it with fixtures; every problem names its key.
 */

import { type ImagePlatforms, imagePlatforms, type NodeArchitecture } from "../apps/images";
import type { GroupCapacity } from "../components/cluster/capacity";
import { type SupportPhase, supportPhase } from "../components/cluster/eks-versions";
import type { InstanceNetworkLimits } from "../components/cluster/max-pods";
import { maxPodsCeiling } from "../components/cluster/max-pods";
import { nodeImageName } from "../components/cluster/node-image";
import { type DensityPool, type ExcludedType } from "../components/karpenter/density";
import { karpenterPools } from "../components/karpenter/pool-choice";
import {
  type AwsCredentials,
  type AwsFacts,
  EKS_UNSUPPORTED_ZONE_IDS,
  nodeArchitecture,
  nodeImageOf,
} from "./aws-facts";
import { autoscalingProblems, nodeGroupCapacity } from "./capacity";
import { clusterNameFor, clusterNameProblems } from "./cluster-name";
import { APP_IMAGE_KEYS, keyName } from "./keys";
import { deployDate } from "./parse";
import type { ConfigValues } from "./schema";
import { configWarnings } from "./warnings";

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

/**
 * A preview by an identity with no access to the cluster (the read-only preview role) changes nothing, so it
 * goes on: the Kubernetes provider previews each object from its inputs when the API server refuses its dry
 * runs (pulumi-kubernetes falls back on 403:
 * https://github.com/pulumi/pulumi-kubernetes/blob/94977969d64112b04e19945818a7d5d5f38f631d/provider/pkg/provider/provider.go#L2453-L2458).
 */
export function previewWithoutAccess(deployer: string): string {
  return `${keyName("adminPrincipalArns")}: ${deployer} previews without access to the cluster: Kubernetes changes are shown from their inputs alone (the API server refuses its dry runs), and a pulumi up by it would be refused`;
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
  /** What the run should say without stopping (a preview by an identity that could not deploy). */
  readonly warnings: readonly string[];
  /** The AWS provider's credentials settings, for what runs outside it (the delete-time DNS check). */
  readonly awsCredentials: AwsCredentials;
  /** Admins that get an access entry of ours, and those that hold one EKS made (the creator's). */
  readonly adminAccess: { readonly entries: readonly string[]; readonly unmanaged: readonly string[] };
  /** The node group's room for what the program places on it (checked: it can hold it). */
  readonly capacity: GroupCapacity;
  /** The version's support phase on the deploy's date, and when it ends. */
  readonly kubernetesSupport: SupportPhase;
  /** Each app's architectures: its pods' node affinity, and what the nodes they may land on must run. */
  readonly appPlatforms: Readonly<Record<keyof typeof APP_IMAGE_KEYS, ImagePlatforms>>;
  /** Karpenter's exact-density pools (components/karpenter/density.ts) and the types no pool admits; none when karpenter is off. */
  readonly karpenterPools: { readonly pools: readonly DensityPool[]; readonly excluded: readonly ExcludedType[] };
}

/** Each app's image platforms, from its architectures key (apps/images.ts imagePlatforms). */
export function appPlatformsOf(values: ConfigValues): Record<keyof typeof APP_IMAGE_KEYS, ImagePlatforms> {
  const entries = Object.entries(APP_IMAGE_KEYS).map(([app, keys]) => [
    app,
    imagePlatforms(values[keys.architectures], keys.architectures),
  ]);
  return Object.fromEntries(entries) as Record<keyof typeof APP_IMAGE_KEYS, ImagePlatforms>;
}

/**
 * Every app must run on the managed group, where its floor of replicas lives, and, with Karpenter, on some
 * architecture Karpenter may launch, where its burst goes: a pod whose node affinity no node can meet stays
 * Pending for good.
 */
export function architectureProblems(
  values: ConfigValues,
  platforms: Readonly<Record<string, ImagePlatforms>>,
  groupArchitecture: NodeArchitecture,
): string[] {
  const problems: string[] = [];
  for (const [app, keys] of Object.entries(APP_IMAGE_KEYS)) {
    const { architectures, why } = platforms[app];
    if (!architectures.includes(groupArchitecture))
      problems.push(
        `${keyName(keys.architectures)}: ${app} runs on ${architectures.join(", ")} (${why}), but the managed node group, where its floor of replicas runs, is ${groupArchitecture} (${keyName("nodeInstanceTypes")} ${values.nodeInstanceTypes.join(", ")}): choose instance types of an architecture the image runs on, or say it runs on ${groupArchitecture}`,
      );
    if (values.karpenter && !architectures.some((a) => values.karpenterArchitectures.includes(a)))
      problems.push(
        `${keyName("karpenterArchitectures")}: expected an architecture ${app} runs on (${architectures.join(", ")}: ${why}), got ${values.karpenterArchitectures.join(", ")}: its pods above the floor could never be placed`,
      );
  }
  return problems;
}

/** Second pass: checks against AWS facts. Pure, so the tests can drive it with fixtures. */
export function resolveConfig(
  values: ConfigValues,
  facts: AwsFacts,
  context: { project: string; stack: string; region: string; date?: string; preview?: boolean },
): PlatformConfig | string[] {
  const problems: string[] = [];
  const warnings: string[] = configWarnings(values);

  let zones = values.availabilityZones;
  const unsupported = (zone: string) => EKS_UNSUPPORTED_ZONE_IDS.includes(facts.zoneIds?.[zone] ?? "");
  if (zones.length === 0) {
    // The first three the cluster may use, by name; a zone EKS refuses (by its ID in this account) is skipped.
    const usable = facts.zones.filter((zone) => !unsupported(zone));
    zones = usable.slice(0, 3);
    if (zones.length < 3) {
      problems.push(
        `${keyName("availabilityZones")}: region ${context.region} has only ${usable.length} standard zones EKS supports (${usable.join(", ")}); three are needed`,
      );
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
    problems.push(
      `${keyName("nodeInstanceTypes")}: expected instance types EC2 offers in ${context.region}: ${reasons.join("; ")}`,
    );
  } else {
    // The node image's architecture: EC2 also lists i386 for old x86 types (t2 and others), which no
    // EKS image is built for, so only x86_64 and arm64 count.
    const architectures = new Set(
      values.nodeInstanceTypes.map((t) => nodeArchitecture(facts.instanceTypes[t].architectures)),
    );
    if (architectures.size > 1) {
      problems.push(
        `${keyName("nodeInstanceTypes")}: expected instance types of one CPU architecture (one node group, one AMI), got ${[...architectures].join(" and ")}`,
      );
    } else {
      const groupArchitecture = [...architectures][0] === "arm64" ? "arm64" : "amd64";
      problems.push(...architectureProblems(values, appPlatformsOf(values), groupArchitecture));
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
      const name = nodeImageName({
        kubernetesVersion: values.kubernetesVersion,
        architecture,
        release: values.nodeImageRelease,
        variant,
      });
      const found = facts.nodeImages[name];
      if (!found || "error" in found) {
        problems.push(
          `${keyName("nodeImageRelease")}: expected an amazon-eks-ami release with an AL2023 ${variant} image for Kubernetes ${values.kubernetesVersion} (${architecture}) in ${context.region}, but no image named ${name} was found${found && "error" in found ? ` (${found.error})` : ""}`,
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
      problems.push(
        `${keyName("domain")}: expected a public Route 53 hosted zone named ${values.domain} in this account (${facts.hostedZone.error})`,
      );
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
  if (access.problem && context.preview) warnings.push(previewWithoutAccess(facts.deployerArn));
  else if (access.problem) problems.push(access.problem);

  const kubernetesSupport = supportPhase(values.kubernetesVersion, context.date ?? deployDate());
  if (!kubernetesSupport)
    problems.push(
      `${keyName("kubernetesVersion")}: no support dates for ${values.kubernetesVersion} (data/aws/eks-versions.json; npm run refresh)`,
    );

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
    warnings,
    adminAccess: { entries: access.entries, unmanaged: access.unmanaged },
    awsCredentials: facts.awsCredentials ?? { assumeRoles: [] },
    capacity,
    kubernetesSupport,
    appPlatforms: appPlatformsOf(values),
    karpenterPools: values.karpenter
      ? karpenterPools({
          prefixDelegation: values.prefixDelegation,
          architectures: values.karpenterArchitectures,
          categories: values.karpenterCategories,
          maxVcpus: values.karpenterMaxVcpus,
          cpuLimit: values.karpenterCpuLimit,
          memoryLimitGiB: values.karpenterMemoryLimitGiB,
        })
      : { pools: [], excluded: [] },
  };
}
