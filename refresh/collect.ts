/**
 * Asks AWS, read-only, for every fact the offline data holds, and keeps of each answer the fields the
 * generator reads (refresh/answers.ts): EKS DescribeClusterVersions and DescribeAddonVersions, SSM
 * GetParametersByPath over the AL2023 node image parameters, and EC2 DescribeRegions,
 * DescribeAvailabilityZones and DescribeInstanceTypes in every region the account sees. The calls come in
 * as `AwsCalls`, typed with the SDK's requests and responses: refresh/sdk.ts binds them to the SDK's clients,
 * the tests to recorded responses. The permissions this needs are listed in docs/refresh.md.
 */
import type {
  DescribeAvailabilityZonesRequest,
  DescribeAvailabilityZonesResult,
  DescribeInstanceTypesRequest,
  DescribeInstanceTypesResult,
  DescribeRegionsRequest,
  DescribeRegionsResult,
  InstanceTypeInfo,
} from "@aws-sdk/client-ec2";
import type {
  AddonInfo,
  ClusterVersionInformation,
  DescribeAddonVersionsRequest,
  DescribeAddonVersionsResponse,
  DescribeClusterVersionsRequest,
  DescribeClusterVersionsResponse,
} from "@aws-sdk/client-eks";
import type { GetParametersByPathRequest, GetParametersByPathResult } from "@aws-sdk/client-ssm";
import { ADDON_NAMES } from "../components/cluster/addon-versions";
import type {
  RecordedAddon,
  RecordedAnswers,
  RecordedClusterVersion,
  RecordedInstanceType,
  RecordedParameter,
  RecordedZone,
} from "./answers";

/** Every page of a paginated call: `call` gets the previous page's token and returns its items and the next. */
async function allPages<T>(call: (token: string | undefined) => Promise<{ items?: T[]; next?: string }>): Promise<T[]> {
  const items: T[] = [];
  let token: string | undefined;
  do {
    const page = await call(token);
    items.push(...(page.items ?? []));
    token = page.next;
  } while (token);
  return items;
}

/** Runs `task` over `inputs`, at most `width` at a time, keeping the inputs' order. */
async function inBatches<I, O>(inputs: readonly I[], width: number, task: (input: I) => Promise<O>): Promise<O[]> {
  const out: O[] = [];
  for (let i = 0; i < inputs.length; i += width) out.push(...(await Promise.all(inputs.slice(i, i + width).map(task))));
  return out;
}

const iso = (d: Date | undefined): string | undefined => d?.toISOString();

function clusterVersion(v: ClusterVersionInformation): RecordedClusterVersion {
  return {
    clusterVersion: v.clusterVersion,
    releaseDate: iso(v.releaseDate),
    endOfStandardSupportDate: iso(v.endOfStandardSupportDate),
    endOfExtendedSupportDate: iso(v.endOfExtendedSupportDate),
    versionStatus: v.versionStatus,
  };
}

function addon(a: AddonInfo, minor: string): RecordedAddon {
  return {
    addonName: a.addonName,
    owner: a.owner,
    addonVersions: (a.addonVersions ?? []).map((v) => ({
      addonVersion: v.addonVersion,
      // Only the minor asked about: the other minors' compatibilities are in their own calls.
      compatibilities: (v.compatibilities ?? [])
        .filter((c) => c.clusterVersion === minor)
        .map((c) => ({ clusterVersion: c.clusterVersion, defaultVersion: c.defaultVersion })),
    })),
  };
}

function instanceType(t: InstanceTypeInfo): RecordedInstanceType {
  return {
    InstanceType: t.InstanceType,
    BareMetal: t.BareMetal,
    Hypervisor: t.Hypervisor,
    VCpuInfo: { DefaultVCpus: t.VCpuInfo?.DefaultVCpus },
    MemoryInfo: { SizeInMiB: t.MemoryInfo?.SizeInMiB },
    ProcessorInfo: { SupportedArchitectures: t.ProcessorInfo?.SupportedArchitectures },
    GpuInfo: { Gpus: (t.GpuInfo?.Gpus ?? []).map((g) => ({ Manufacturer: g.Manufacturer, Count: g.Count })) },
    NetworkInfo: {
      MaximumNetworkInterfaces: t.NetworkInfo?.MaximumNetworkInterfaces,
      Ipv4AddressesPerInterface: t.NetworkInfo?.Ipv4AddressesPerInterface,
      DefaultNetworkCardIndex: t.NetworkInfo?.DefaultNetworkCardIndex,
      NetworkCards: (t.NetworkInfo?.NetworkCards ?? []).map((c) => ({
        NetworkCardIndex: c.NetworkCardIndex,
        MaximumNetworkInterfaces: c.MaximumNetworkInterfaces,
      })),
    },
  };
}

/** JSON drops undefined fields, as the recorded file would: what is compared is what is written. */
function asRecorded<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** The read-only calls the refresh makes; EC2's zone and instance calls take the region they are asked in. */
export interface AwsCalls {
  describeClusterVersions(input: DescribeClusterVersionsRequest): Promise<DescribeClusterVersionsResponse>;
  describeAddonVersions(input: DescribeAddonVersionsRequest): Promise<DescribeAddonVersionsResponse>;
  getParametersByPath(input: GetParametersByPathRequest): Promise<GetParametersByPathResult>;
  describeRegions(input: DescribeRegionsRequest): Promise<DescribeRegionsResult>;
  describeAvailabilityZones(
    region: string,
    input: DescribeAvailabilityZonesRequest,
  ): Promise<DescribeAvailabilityZonesResult>;
  describeInstanceTypes(region: string, input: DescribeInstanceTypesRequest): Promise<DescribeInstanceTypesResult>;
}

export interface CollectOptions {
  readonly aws: AwsCalls;
  /** Where EKS and SSM were asked (their answers are the same in every commercial region). */
  readonly region: string;
  /** The day recorded (YYYY-MM-DD). */
  readonly on: string;
  readonly log: (line: string) => void;
}

export async function collectAnswers({ aws, region, on, log }: CollectOptions): Promise<RecordedAnswers> {
  log(`EKS DescribeClusterVersions (${region})`);
  const versions = await allPages(async (nextToken) => {
    const page = await aws.describeClusterVersions({ nextToken });
    return { items: page.clusterVersions?.map(clusterVersion), next: page.nextToken };
  });
  const minors = versions.map((v) => v.clusterVersion).filter((v): v is string => v !== undefined);

  log(`EKS DescribeAddonVersions: ${ADDON_NAMES.length} add-ons × ${minors.length} minors`);
  const calls = await inBatches(
    minors.flatMap((kubernetesVersion) => ADDON_NAMES.map((addonName) => ({ kubernetesVersion, addonName }))),
    4,
    async ({ kubernetesVersion, addonName }) => ({
      kubernetesVersion,
      addonName,
      addons: await allPages(async (nextToken) => {
        const page = await aws.describeAddonVersions({ kubernetesVersion, addonName, nextToken });
        return { items: page.addons?.map((a) => addon(a, kubernetesVersion)), next: page.nextToken };
      }),
    }),
  );

  log(`SSM GetParametersByPath: AL2023 node images for ${minors.length} minors`);
  const parameters: RecordedParameter[] = (
    await inBatches(minors, 2, (minor) =>
      allPages(async (NextToken) => {
        const page = await aws.getParametersByPath({
          Path: `/aws/service/eks/optimized-ami/${minor}/amazon-linux-2023`,
          Recursive: true,
          NextToken,
        });
        return { items: page.Parameters?.map((p) => ({ Name: p.Name })), next: page.NextToken };
      }),
    )
  )
    .flat()
    // A release's image id; `recommended/…` moves with every release and is not a release.
    .filter((p) => p.Name?.endsWith("/image_id") && !p.Name.includes("/recommended/"))
    .sort((a, b) => ((a.Name ?? "") < (b.Name ?? "") ? -1 : 1));

  const regions = (await aws.describeRegions({})).Regions?.map((r) => r.RegionName)
    .filter((r): r is string => r !== undefined)
    .sort();
  if (!regions?.length) throw new Error("EC2 DescribeRegions answered no region");
  log(`EC2 DescribeAvailabilityZones and DescribeInstanceTypes in ${regions.length} regions`);
  const perRegion = await inBatches(regions, 4, async (name) => {
    const zones = await aws.describeAvailabilityZones(name, {
      Filters: [{ Name: "zone-type", Values: ["availability-zone"] }],
    });
    const types = await allPages(async (NextToken) => {
      const page = await aws.describeInstanceTypes(name, { MaxResults: 100, NextToken });
      return { items: page.InstanceTypes?.map(instanceType), next: page.NextToken };
    });
    const recorded: RecordedZone[] = (zones.AvailabilityZones ?? []).map((z) => ({
      ZoneName: z.ZoneName,
      ZoneId: z.ZoneId,
      ZoneType: z.ZoneType,
      OptInStatus: z.OptInStatus,
      State: z.State,
    }));
    return { name, zones: recorded, types };
  });
  const byType = new Map<string, RecordedInstanceType>();
  for (const { types } of perRegion)
    for (const t of types) if (t.InstanceType && !byType.has(t.InstanceType)) byType.set(t.InstanceType, t);

  const from = (what: string) => `${what}, answered to npm run refresh`;
  return asRecorded({
    clusterVersions: {
      recorded: { on, from: from(`EKS DescribeClusterVersions in ${region}`) },
      clusterVersions: versions,
    },
    addonVersions: { recorded: { on, from: from(`EKS DescribeAddonVersions in ${region}`) }, calls },
    nodeImages: { recorded: { on, from: from(`SSM GetParametersByPath in ${region}`) }, parameters },
    availabilityZones: {
      recorded: {
        on,
        from: from(
          `EC2 DescribeAvailabilityZones in the ${regions.length} regions the account sees (zone names map to IDs per account)`,
        ),
      },
      regions: Object.fromEntries(perRegion.map((r) => [r.name, r.zones])),
    },
    instanceTypes: {
      recorded: { on, from: from(`EC2 DescribeInstanceTypes in the ${regions.length} regions the account sees`) },
      instanceTypes: [...byType.values()].sort((a, b) => ((a.InstanceType ?? "") < (b.InstanceType ?? "") ? -1 : 1)),
    },
  });
}
