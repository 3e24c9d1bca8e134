/**
 * What only AWS knows, read with invokes that create nothing before validation's second pass: the region's
 * zones, the instance types' limits, the node image, the hosted zone, who deploys and what the cluster's
 * access entries hold.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ADMIN_ACCESS_ENTRY_TAG } from "../components/cluster/cluster";
import { type InstanceNetworkLimits, limitsFromEc2 } from "../components/cluster/max-pods";
import { NODE_IMAGE_OWNER, nodeImageName, nodeImageVariant } from "../components/cluster/node-image";
import { reason } from "./errors";
import type { ConfigValues } from "./schema";

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
  readonly hostedZone?:
    | { readonly zoneId: string; readonly nameServers?: readonly string[] }
    | { readonly error: string };
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
  readonly awsCredentials?: AwsCredentials;
}

/** The AWS provider's credentials settings (aws:profile, aws:assumeRoles), for what runs outside it. */
export interface AwsCredentials {
  readonly profile?: string;
  readonly assumeRoles: ReadonlyArray<{ readonly roleArn: string; readonly externalId?: string }>;
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
export function nodeImageOf(
  instanceType: string,
  facts: InstanceTypeFacts,
): { architecture: string; variant: ReturnType<typeof nodeImageVariant> } {
  return { architecture: nodeArchitecture(facts.architectures), variant: nodeImageVariant(instanceType, facts.gpus) };
}

/** The EKS image architecture an instance type needs: arm64 for Graviton, x86_64 otherwise. */
export function nodeArchitecture(supportedArchitectures: readonly string[]): string {
  return supportedArchitectures.includes("arm64") ? "arm64" : "x86_64";
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
        instanceTypes[name] = {
          limits: limitsFromEc2(info),
          architectures: [...info.supportedArchitectures].sort(),
          memoryMiB: info.memorySize,
          gpus,
        };
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
async function readClusterAccess(
  clusterName: string,
  principals: readonly string[],
): Promise<AwsFacts["clusterAccess"]> {
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
export async function readAwsFacts(values: ConfigValues, clusterName: string): Promise<AwsFacts> {
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
      Object.entries(types.instanceTypes).map(([t, f]) =>
        nodeImageName({
          kubernetesVersion: values.kubernetesVersion,
          release: values.nodeImageRelease,
          ...nodeImageOf(t, f),
        }),
      ),
    ),
  ];
  const nodeImages = Object.fromEntries(
    await Promise.all(imageNames.map(async (name) => [name, await readNodeImage(name)] as const)),
  );
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
      assumeRoles: assumeRoles
        .filter((r): r is { roleArn: string; externalId?: string } => typeof r.roleArn === "string")
        .map((r) => (r.externalId ? { roleArn: r.roleArn, externalId: r.externalId } : { roleArn: r.roleArn })),
    },
    nodeImages,
  };
}
