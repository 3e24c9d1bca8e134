/**
 * The AWS answers `npm run refresh` records (data/aws/answers.json) and generates every offline AWS fact from.
 * Each recorded item is a subset of the AWS SDK's own output type for its call, with Dates as ISO strings
 * (what JSON holds). The types are picked from the SDK's (so the compiler holds them to it) and the run-time
 * schema must produce them (`satisfies` below), so a hand edit or a format drift stops the refresh.
 */
import type {
  AvailabilityZone,
  GpuDeviceInfo,
  InstanceTypeInfo,
  NetworkCardInfo,
  NetworkInfo,
} from "@aws-sdk/client-ec2";
import type { AddonInfo, AddonVersionInfo, ClusterVersionInformation, Compatibility } from "@aws-sdk/client-eks";
import type { Parameter } from "@aws-sdk/client-ssm";
import { z } from "zod";

/** An SDK shape as JSON records it: Date fields become ISO 8601 strings; the rest is unchanged. */
export type Recorded<T> = T extends Date
  ? string
  : T extends readonly (infer U)[]
    ? Recorded<U>[]
    : T extends object
      ? { [K in keyof T]: Recorded<T[K]> }
      : T;

/** EKS DescribeClusterVersions: one `clusterVersions` item. */
export type RecordedClusterVersion = Recorded<
  Pick<
    ClusterVersionInformation,
    "clusterVersion" | "releaseDate" | "endOfStandardSupportDate" | "endOfExtendedSupportDate" | "versionStatus"
  >
>;

/** EKS DescribeAddonVersions: one `addons` item, with the fields of its versions the generator reads. */
export type RecordedAddon = Pick<AddonInfo, "addonName" | "owner"> & {
  addonVersions?: Array<
    Pick<AddonVersionInfo, "addonVersion"> & {
      compatibilities?: Array<Pick<Compatibility, "clusterVersion" | "defaultVersion">>;
    }
  >;
};

/** SSM GetParametersByPath: one `Parameters` item, by name (the AMI ids are per region and not recorded). */
export type RecordedParameter = Pick<Parameter, "Name">;

/** EC2 DescribeAvailabilityZones: one `AvailabilityZones` item. */
export type RecordedZone = Pick<AvailabilityZone, "ZoneName" | "ZoneId" | "ZoneType" | "OptInStatus" | "State">;

/**
 * EC2 DescribeInstanceTypes: one `InstanceTypes` item, with the facts max pods, the image and capacity read.
 * `InstanceType` is a string: the SDK's union lists the types it knew when built, and EC2 answers newer ones.
 */
export type RecordedInstanceType = Pick<InstanceTypeInfo, "BareMetal" | "Hypervisor"> & {
  InstanceType?: string;
  VCpuInfo?: Pick<NonNullable<InstanceTypeInfo["VCpuInfo"]>, "DefaultVCpus">;
  MemoryInfo?: Pick<NonNullable<InstanceTypeInfo["MemoryInfo"]>, "SizeInMiB">;
  ProcessorInfo?: Pick<NonNullable<InstanceTypeInfo["ProcessorInfo"]>, "SupportedArchitectures">;
  GpuInfo?: { Gpus?: Array<Pick<GpuDeviceInfo, "Manufacturer" | "Count">> };
  NetworkInfo?: Pick<
    NetworkInfo,
    "MaximumNetworkInterfaces" | "Ipv4AddressesPerInterface" | "DefaultNetworkCardIndex"
  > & {
    NetworkCards?: Array<Pick<NetworkCardInfo, "NetworkCardIndex" | "MaximumNetworkInterfaces">>;
  };
};

/** When and from where a section was recorded: the day (YYYY-MM-DD), and the calls or documents it came from. */
export interface Provenance {
  readonly on: string;
  readonly from: string;
}

export interface RecordedAnswers {
  /** EKS DescribeClusterVersions (standard and extended support versions). */
  readonly clusterVersions: { readonly recorded: Provenance; readonly clusterVersions: RecordedClusterVersion[] };
  /** EKS DescribeAddonVersions, one call per Kubernetes minor and add-on the program installs. */
  readonly addonVersions: {
    readonly recorded: Provenance;
    readonly calls: Array<{ kubernetesVersion: string; addonName: string; addons: RecordedAddon[] }>;
  };
  /** SSM GetParametersByPath under /aws/service/eks/optimized-ami/<minor>/amazon-linux-2023/: release image ids. */
  readonly nodeImages: { readonly recorded: Provenance; readonly parameters: RecordedParameter[] };
  /** EC2 DescribeAvailabilityZones (zone-type availability-zone) in each region the account sees. */
  readonly availabilityZones: { readonly recorded: Provenance; readonly regions: Record<string, RecordedZone[]> };
  /** EC2 DescribeInstanceTypes in each region the account sees, one item per type. */
  readonly instanceTypes: { readonly recorded: Provenance; readonly instanceTypes: RecordedInstanceType[] };
}

// ---------------------------------------------------------------- the run-time check

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "expected YYYY-MM-DD");
const timestamp = z.iso.datetime({ offset: true });
const provenance = z.strictObject({ on: day, from: z.string().min(1) });
const count = z.number().int().nonnegative();

const clusterVersion = z.strictObject({
  clusterVersion: z.string().optional(),
  releaseDate: timestamp.optional(),
  endOfStandardSupportDate: timestamp.optional(),
  endOfExtendedSupportDate: timestamp.optional(),
  versionStatus: z.enum(["EXTENDED_SUPPORT", "STANDARD_SUPPORT", "UNSUPPORTED"]).optional(),
});

const addon = z.strictObject({
  addonName: z.string().optional(),
  owner: z.string().optional(),
  addonVersions: z
    .array(
      z.strictObject({
        addonVersion: z.string().optional(),
        compatibilities: z
          .array(z.strictObject({ clusterVersion: z.string().optional(), defaultVersion: z.boolean().optional() }))
          .optional(),
      }),
    )
    .optional(),
});

const zone = z.strictObject({
  ZoneName: z.string().optional(),
  ZoneId: z.string().optional(),
  ZoneType: z.string().optional(),
  OptInStatus: z.enum(["not-opted-in", "opt-in-not-required", "opted-in"]).optional(),
  State: z.enum(["available", "constrained", "impaired", "information", "unavailable"]).optional(),
});

const instanceType = z.strictObject({
  InstanceType: z.string().optional(),
  BareMetal: z.boolean().optional(),
  Hypervisor: z.enum(["nitro", "xen"]).optional(),
  VCpuInfo: z.strictObject({ DefaultVCpus: count.optional() }).optional(),
  MemoryInfo: z.strictObject({ SizeInMiB: count.optional() }).optional(),
  ProcessorInfo: z
    .strictObject({
      SupportedArchitectures: z.array(z.enum(["arm64", "arm64_mac", "i386", "x86_64", "x86_64_mac"])).optional(),
    })
    .optional(),
  GpuInfo: z
    .strictObject({
      Gpus: z.array(z.strictObject({ Manufacturer: z.string().optional(), Count: count.optional() })).optional(),
    })
    .optional(),
  NetworkInfo: z
    .strictObject({
      MaximumNetworkInterfaces: count.optional(),
      Ipv4AddressesPerInterface: count.optional(),
      DefaultNetworkCardIndex: count.optional(),
      NetworkCards: z
        .array(z.strictObject({ NetworkCardIndex: count.optional(), MaximumNetworkInterfaces: count.optional() }))
        .optional(),
    })
    .optional(),
});

const answersSchema = z.strictObject({
  clusterVersions: z.strictObject({ recorded: provenance, clusterVersions: z.array(clusterVersion) }),
  addonVersions: z.strictObject({
    recorded: provenance,
    calls: z.array(z.strictObject({ kubernetesVersion: z.string(), addonName: z.string(), addons: z.array(addon) })),
  }),
  nodeImages: z.strictObject({
    recorded: provenance,
    parameters: z.array(z.strictObject({ Name: z.string().optional() })),
  }),
  availabilityZones: z.strictObject({ recorded: provenance, regions: z.record(z.string(), z.array(zone)) }),
  instanceTypes: z.strictObject({ recorded: provenance, instanceTypes: z.array(instanceType) }),
});

/** Reads recorded answers, or throws naming the first field that is not what the SDK's type allows. */
export function parseRecordedAnswers(value: unknown, file: string): RecordedAnswers {
  const parsed = answersSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${file}: ${issue.path.join(".") || "(top)"}: ${issue.message}`);
  }
  return parsed.data satisfies RecordedAnswers;
}
