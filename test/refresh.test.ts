/**
 * npm run refresh (refresh/): the committed data files are exactly what the recorded answers generate; the
 * answers keep the AWS SDK's shapes; each rule reads AWS's answers as AWS defines them; the collection pages
 * through every call and keeps what the generator reads; the change report names each bump. No AWS: the calls
 * are answered from responses typed with the SDK's own response types.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import { describe, it } from "node:test";
import { isDeepStrictEqual } from "node:util";
import type { DescribeInstanceTypesResult, InstanceTypeInfo } from "@aws-sdk/client-ec2";
import type { ClusterVersionInformation } from "@aws-sdk/client-eks";
import { compareAddonVersions } from "../components/cluster/addon-versions";
import { ANSWERS_FILE, DATA_FILES, type DataFileName, dataPath, readDataFile } from "../data/aws";
import type { InstanceTable, InstanceTypeRow } from "../data/instance-types/generate";
import { withEc2Answers } from "../data/instance-types/index";
import { parseRecordedAnswers, type RecordedAnswers, type RecordedInstanceType } from "../refresh/answers";
import { type AwsCalls, collectAnswers } from "../refresh/collect";
import { describeChanges, generateData, instanceTypeRow, renderDataFile } from "../refresh/generate";

const recorded = (): RecordedAnswers =>
  parseRecordedAnswers(JSON.parse(fs.readFileSync(dataPath(ANSWERS_FILE), "utf8")), ANSWERS_FILE);
const committedNotes = () => readDataFile("zones").notes;

describe("refresh: the offline facts are what the recorded answers generate", () => {
  it("every data file in data/aws/ is byte for byte what the committed answers give", () => {
    const generated = generateData(recorded(), committedNotes());
    for (const name of Object.keys(DATA_FILES) as DataFileName[]) {
      assert.equal(
        fs.readFileSync(dataPath(DATA_FILES[name]), "utf8"),
        renderDataFile(generated[name]),
        `${DATA_FILES[name]} differs from what ${ANSWERS_FILE} generates: run npm run refresh -- --from-answers`,
      );
    }
  });

  it("the same answers give the same bytes, and each file says where its facts came from and when", () => {
    const [a, b] = [generateData(recorded(), committedNotes()), generateData(recorded(), committedNotes())];
    for (const name of Object.keys(DATA_FILES) as DataFileName[]) {
      assert.equal(renderDataFile(a[name]), renderDataFile(b[name]));
      assert.match(a[name].source, /recorded \d{4}-\d{2}-\d{2}: \S/, name);
      assert.match(a[name].generatedBy, /npm run refresh/, name);
    }
  });

  it("the answers file holds only the SDK's fields, with its enums: a drift names the field", () => {
    const answers = recorded();
    const broken: Array<[string, (a: RecordedAnswers) => unknown, RegExp]> = [
      [
        "a field the SDK's type lacks",
        (a) => ({ ...a, clusterVersions: { ...a.clusterVersions, clusterVersions: [{ version: "1.35" }] } }),
        /clusterVersions\.clusterVersions\.0: Unrecognized key: "version"/,
      ],
      [
        "a versionStatus EKS does not have",
        (a) => ({
          ...a,
          clusterVersions: {
            ...a.clusterVersions,
            clusterVersions: [{ clusterVersion: "1.35", versionStatus: "BETA" }],
          },
        }),
        /clusterVersions\.clusterVersions\.0\.versionStatus/,
      ],
      [
        "a date that is not a timestamp",
        (a) => ({
          ...a,
          clusterVersions: {
            ...a.clusterVersions,
            clusterVersions: [{ clusterVersion: "1.35", releaseDate: "January 2026" }],
          },
        }),
        /clusterVersions\.clusterVersions\.0\.releaseDate/,
      ],
      [
        "an architecture EC2 does not name",
        (a) => ({
          ...a,
          instanceTypes: {
            ...a.instanceTypes,
            instanceTypes: [{ InstanceType: "m5.large", ProcessorInfo: { SupportedArchitectures: ["amd64"] } }],
          },
        }),
        /instanceTypes\.instanceTypes\.0\.ProcessorInfo\.SupportedArchitectures\.0/,
      ],
      ["a section left out", ({ nodeImages: _, ...rest }) => rest, /nodeImages/],
    ];
    for (const [what, change, error] of broken) {
      assert.throws(() => parseRecordedAnswers(change(answers), "answers.json"), error, what);
    }
  });
});

// ---------------------------------------------------------------- each rule

/** Recorded answers with nothing in them but what a test adds. */
function emptyAnswers(): RecordedAnswers {
  const recordedOn = { on: "2026-12-07", from: "test" };
  return {
    clusterVersions: { recorded: recordedOn, clusterVersions: [] },
    addonVersions: { recorded: recordedOn, calls: [] },
    nodeImages: { recorded: recordedOn, parameters: [] },
    availabilityZones: { recorded: recordedOn, regions: {} },
    instanceTypes: { recorded: recordedOn, instanceTypes: [] },
  };
}

const ALL_ADDONS = ["vpc-cni", "kube-proxy", "coredns", "eks-pod-identity-agent", "metrics-server"];

describe("refresh: each answer read as AWS defines it", () => {
  it("support dates are the timestamps' UTC days, whatever offset EKS writes", () => {
    const answers = emptyAnswers();
    answers.clusterVersions.clusterVersions.push(
      {
        clusterVersion: "1.40",
        releaseDate: "2028-01-31T23:30:00-05:00",
        endOfStandardSupportDate: "2029-03-01T00:00:00Z",
        endOfExtendedSupportDate: "2030-03-01T07:00:00.000Z",
      },
      {
        clusterVersion: "1.9",
        releaseDate: "2018-01-01T00:00:00Z",
        endOfStandardSupportDate: "2019-01-01T00:00:00Z",
        endOfExtendedSupportDate: "2019-01-01T00:00:00Z",
      },
    );
    const { calendar } = generateData(answers, {});
    assert.deepEqual(Object.keys(calendar.versions), ["1.9", "1.40"], "minors sort as numbers");
    assert.deepEqual(calendar.versions["1.40"], {
      release: "2028-02-01",
      endOfStandardSupport: "2029-03-01",
      endOfExtendedSupport: "2030-03-01",
    });
    answers.clusterVersions.clusterVersions[0] = { clusterVersion: "1.40", releaseDate: "2028-01-31T00:00:00Z" };
    assert.throws(() => generateData(answers, {}), /1\.40 has no endOfStandardSupportDate/);
  });

  it("pins EKS's default for the minor where it marks one, else the newest; a minor with an add-on unanswered is not pinned", () => {
    const answers = emptyAnswers();
    for (const minor of ["1.35", "1.36"]) {
      answers.clusterVersions.clusterVersions.push({
        clusterVersion: minor,
        releaseDate: "2026-01-27T00:00:00Z",
        endOfStandardSupportDate: "2027-03-27T00:00:00Z",
        endOfExtendedSupportDate: "2028-03-27T00:00:00Z",
      });
    }
    const call = (minor: string, name: string, versions: Array<[string, string[], boolean?]>) =>
      answers.addonVersions.calls.push({
        kubernetesVersion: minor,
        addonName: name,
        addons: [
          {
            addonName: name,
            addonVersions: versions.map(([addonVersion, minors, isDefault]) => ({
              addonVersion,
              compatibilities: minors.map((clusterVersion) => ({ clusterVersion, defaultVersion: isDefault })),
            })),
          },
        ],
      });
    for (const name of ALL_ADDONS.filter((n) => n !== "vpc-cni")) call("1.35", name, [["v1.0.0-eksbuild.1", ["1.35"]]]);
    call("1.35", "vpc-cni", [
      ["v1.21.1-eksbuild.7", ["1.35"], true],
      ["v1.23.0-eksbuild.1", ["1.35"], false],
      ["v1.30.0-eksbuild.1", ["1.36"], true], // for another minor only
    ]);
    // 1.36: every add-on but coredns answered.
    for (const name of ALL_ADDONS.filter((n) => n !== "coredns")) call("1.36", name, [["v1.0.0-eksbuild.1", ["1.36"]]]);
    const { addons } = generateData(answers, {});
    assert.deepEqual(addons.versions["1.35"]["vpc-cni"], {
      pinned: "v1.21.1-eksbuild.7",
      latest: "v1.23.0-eksbuild.1",
      awsDefault: "v1.21.1-eksbuild.7",
    });
    assert.deepEqual(addons.versions["1.35"].coredns, {
      pinned: "v1.0.0-eksbuild.1",
      latest: "v1.0.0-eksbuild.1",
      awsDefault: null,
    });
    assert.deepEqual(Object.keys(addons.versions), ["1.35"]);
    assert.deepEqual(addons.unpinned, { "1.36": "no version compatible with 1.36 recorded for coredns" });
    call("1.35", "kube-proxy", [["v1.35.3-eksbuild.1", ["1.35"], true]]);
    call("1.35", "kube-proxy", [["v1.35.4-eksbuild.1", ["1.35"], true]]);
    assert.throws(() => generateData(answers, {}), /kube-proxy has two defaults for 1\.35/);
  });

  it("orders add-on versions by their numbers and then the EKS build (not as text)", () => {
    const sorted = ["v1.10.0-eksbuild.1", "v1.9.2-eksbuild.10", "v1.9.2-eksbuild.9", "v1.9.10-eksbuild.1"].sort(
      compareAddonVersions,
    );
    assert.deepEqual(sorted, ["v1.9.2-eksbuild.9", "v1.9.2-eksbuild.10", "v1.9.10-eksbuild.1", "v1.10.0-eksbuild.1"]);
  });

  it("reads each release's image parameter as Karpenter resolves a pinned alias; anything else stops the refresh", () => {
    const answers = emptyAnswers();
    const name = (minor: string, arch: string, variant: string, release: string) =>
      `/aws/service/eks/optimized-ami/${minor}/amazon-linux-2023/${arch}/${variant}/amazon-eks-node-al2023-${arch}-${variant}-${minor}-${release}/image_id`;
    answers.nodeImages.parameters.push(
      { Name: name("1.10", "arm64", "nvidia", "v20261201") },
      { Name: name("1.9", "x86_64", "neuron", "v20261201") },
      { Name: name("1.9", "x86_64", "standard", "v20261101") },
      { Name: name("1.10", "arm64", "standard", "v20261101") },
    );
    const { nodeImages } = generateData(answers, {});
    assert.deepEqual(nodeImages.releases, { v20261101: ["1.9", "1.10"], v20261201: ["1.9", "1.10"] });
    assert.deepEqual(nodeImages.variants, { x86_64: ["standard", "neuron"], arm64: ["standard", "nvidia"] });
    for (const wrong of [
      "/aws/service/eks/optimized-ami/1.35/amazon-linux-2023/x86_64/standard/recommended/image_id",
      name("1.35", "x86_64", "standard", "v20261201").replace(
        "al2023-x86_64-standard-1.35",
        "al2023-arm64-standard-1.35",
      ),
    ]) {
      answers.nodeImages.parameters.push({ Name: wrong });
      assert.throws(() => generateData(answers, {}), /is not a release's image_id parameter/, wrong);
      answers.nodeImages.parameters.pop();
    }
  });

  it("keeps a region's standard zones only (no Local Zone, no opt-in zone), sorted, and the notes of regions still there", () => {
    const answers = emptyAnswers();
    answers.availabilityZones.regions["us-east-1"] = [
      { ZoneName: "us-east-1b", ZoneId: "use1-az2", ZoneType: "availability-zone", OptInStatus: "opt-in-not-required" },
      { ZoneName: "us-east-1-bos-1a", ZoneId: "use1-bos1-az1", ZoneType: "local-zone", OptInStatus: "opted-in" },
      { ZoneName: "us-east-1a", ZoneId: "use1-az6", ZoneType: "availability-zone", OptInStatus: "opt-in-not-required" },
    ];
    answers.availabilityZones.regions["xx-only-local-1"] = [
      { ZoneName: "xx-only-local-1-a", ZoneId: "xx1-az1", ZoneType: "local-zone", OptInStatus: "opted-in" },
    ];
    const { zones } = generateData(answers, { "us-east-1": "kept", "eu-gone-1": "dropped" });
    assert.deepEqual(zones.regions, {
      "us-east-1": [
        { name: "us-east-1a", id: "use1-az6" },
        { name: "us-east-1b", id: "use1-az2" },
      ],
    });
    assert.deepEqual(zones.notes, { "us-east-1": "kept" });
  });
});

// ---------------------------------------------------------------- instance facts

/** A table row as EC2 answers DescribeInstanceTypes for it (MaximumNetworkInterfaces is instance-wide). */
function asEc2Answer(name: string, row: InstanceTypeRow): RecordedInstanceType {
  return {
    InstanceType: name,
    BareMetal: row.bareMetal,
    ...(row.hypervisor === "" ? {} : { Hypervisor: row.hypervisor }),
    VCpuInfo: { DefaultVCpus: row.vcpus ?? undefined },
    MemoryInfo: { SizeInMiB: row.memoryMib ?? undefined },
    ProcessorInfo: { SupportedArchitectures: row.architectures ? [...row.architectures] : undefined },
    GpuInfo: { Gpus: row.gpus ? [{ Manufacturer: "NVIDIA", Count: row.gpus }] : [] },
    NetworkInfo: {
      MaximumNetworkInterfaces: row.networkCards.reduce((sum, n) => sum + n, 0),
      Ipv4AddressesPerInterface: row.ipv4PerEni,
      DefaultNetworkCardIndex: row.defaultNetworkCardIndex,
      NetworkCards: row.networkCards.map((MaximumNetworkInterfaces, NetworkCardIndex) => ({
        NetworkCardIndex,
        MaximumNetworkInterfaces,
      })),
    },
  };
}

describe("refresh: EC2's instance facts, read as the VPC CNI and the autoscaler read them", () => {
  const table = (
    JSON.parse(fs.readFileSync(`${__dirname}/../data/instance-types/instance-types.json`, "utf8")) as InstanceTable
  ).instanceTypes;

  it("gives back every complete row of the offline table from EC2's answer for it (multi-card types included)", () => {
    const complete = Object.entries(table).filter(([, row]) => row.vcpus !== null && row.architectures !== null);
    assert.ok(complete.length > 1300, `${complete.length} rows`);
    assert.ok(complete.some(([, row]) => row.networkCards.length > 1 && row.defaultNetworkCardIndex === 0));
    const differ = complete.filter(([name, row]) => !isDeepStrictEqual(instanceTypeRow(asEc2Answer(name, row)), row));
    assert.deepEqual(
      differ.map(([name]) => name),
      [],
    );
  });

  it("keeps x86_64 and arm64 of the architectures, sums every GPU device, and stops on a missing fact", () => {
    const base = asEc2Answer("m5.large", table["m5.large"]);
    const withArch = (
      SupportedArchitectures: NonNullable<InstanceTypeInfo["ProcessorInfo"]>["SupportedArchitectures"],
    ) => instanceTypeRow({ ...base, ProcessorInfo: { SupportedArchitectures } }).architectures;
    assert.deepEqual(withArch(["i386", "x86_64"]), ["x86_64"]);
    assert.equal(withArch(["arm64_mac"]), null, "a Mac runs no EKS node");
    const gpus = instanceTypeRow({
      ...base,
      GpuInfo: {
        Gpus: [
          { Manufacturer: "NVIDIA", Count: 4 },
          { Manufacturer: "AMD", Count: 2 },
        ],
      },
    }).gpus;
    assert.equal(gpus, 6);
    assert.throws(() => instanceTypeRow({ ...base, VCpuInfo: {} }), /m5\.large has no VCpuInfo\.DefaultVCpus/);
    assert.throws(
      () => instanceTypeRow({ ...base, NetworkInfo: { ...base.NetworkInfo, DefaultNetworkCardIndex: undefined } }),
      /m5\.large has no NetworkInfo\.DefaultNetworkCardIndex/,
    );
  });

  it("EC2's recorded answer for a type takes precedence over the table's, type by type", () => {
    const gap = "trn2.3xlarge";
    assert.equal(table[gap].vcpus, null, "a type no upstream list has");
    const answered = { ...table[gap], vcpus: 12, memoryMib: 131072, gpus: 0, architectures: ["x86_64" as const] };
    const rows = withEc2Answers(table, { [gap]: answered });
    assert.deepEqual(rows[gap], answered);
    assert.deepEqual(rows["m5.large"], table["m5.large"]);
  });
});

// ---------------------------------------------------------------- collecting

/** AWS's answers, in the SDK's response types, paged as AWS pages them. */
function recordedAws(log: string[]): AwsCalls {
  const version = (clusterVersion: string, year: number): ClusterVersionInformation => ({
    clusterVersion,
    releaseDate: new Date(Date.UTC(year, 0, 27)),
    endOfStandardSupportDate: new Date(Date.UTC(year + 1, 2, 27)),
    endOfExtendedSupportDate: new Date(Date.UTC(year + 2, 2, 27)),
    versionStatus: "STANDARD_SUPPORT",
    defaultPlatformVersion: "eks.1",
  });
  const types: InstanceTypeInfo[] = [
    { ...(asEc2Answer("m5.large", { ...sampleRow }) as InstanceTypeInfo), FreeTierEligible: false },
    asEc2Answer("c9g.large", { ...sampleRow, architectures: ["arm64"] }) as InstanceTypeInfo,
  ];
  return {
    describeClusterVersions: async ({ nextToken }) => {
      log.push(`DescribeClusterVersions ${nextToken ?? ""}`);
      return nextToken
        ? { clusterVersions: [version("1.36", 2026)] }
        : { clusterVersions: [version("1.35", 2026)], nextToken: "page-2" };
    },
    describeAddonVersions: async ({ kubernetesVersion, addonName, nextToken }) => {
      log.push(`DescribeAddonVersions ${kubernetesVersion} ${addonName} ${nextToken ?? ""}`);
      const addonVersion = nextToken ? "v1.0.1-eksbuild.1" : "v1.0.0-eksbuild.1";
      return {
        addons: [
          {
            addonName,
            owner: "aws",
            publisher: "eks",
            addonVersions: [
              {
                addonVersion,
                architecture: ["amd64", "arm64"],
                compatibilities: [
                  { clusterVersion: kubernetesVersion, defaultVersion: !nextToken, platformVersions: ["*"] },
                  { clusterVersion: "1.20", defaultVersion: true },
                ],
              },
            ],
          },
        ],
        nextToken: nextToken ? undefined : "more",
      };
    },
    getParametersByPath: async ({ Path, NextToken }) => {
      log.push(`GetParametersByPath ${Path} ${NextToken ?? ""}`);
      const minor = Path?.split("/")[5] ?? "";
      return NextToken
        ? {
            Parameters: [
              {
                Name: `${Path}/x86_64/standard/amazon-eks-node-al2023-x86_64-standard-${minor}-v20261201/image_id`,
                Value: "ami-0123456789abcdef0",
                Type: "String",
              },
            ],
          }
        : {
            Parameters: [
              { Name: `${Path}/x86_64/standard/recommended/image_id`, Value: "ami-0123456789abcdef0" },
              { Name: `${Path}/x86_64/standard/recommended/release_version`, Value: "1.35.3-20261201" },
            ],
            NextToken: "next",
          };
    },
    describeRegions: async () => ({ Regions: [{ RegionName: "us-east-1" }, { RegionName: "eu-central-1" }] }),
    describeAvailabilityZones: async (region) => ({
      AvailabilityZones: ["a", "b", "c"].map((letter, n) => ({
        ZoneName: `${region}${letter}`,
        ZoneId: `${region.replace(/-/g, "").slice(0, 4)}-az${n + 1}`,
        ZoneType: "availability-zone",
        OptInStatus: "opt-in-not-required",
        State: "available",
        RegionName: region,
        GroupName: region,
      })),
    }),
    describeInstanceTypes: async (region, { NextToken }): Promise<DescribeInstanceTypesResult> => {
      log.push(`DescribeInstanceTypes ${region} ${NextToken ?? ""}`);
      return NextToken ? { InstanceTypes: [types[1]] } : { InstanceTypes: [types[0]], NextToken: "2" };
    },
  };
}

const sampleRow: InstanceTypeRow = {
  architectures: ["x86_64"],
  bareMetal: false,
  defaultNetworkCardIndex: 0,
  gpus: 0,
  hypervisor: "nitro",
  ipv4PerEni: 10,
  maxEnis: 3,
  memoryMib: 8192,
  networkCards: [3],
  vcpus: 2,
};

describe("refresh: collecting AWS's answers", () => {
  it("pages through every call, keeps the fields the generator reads, and the result is a valid answers file", async () => {
    const log: string[] = [];
    const collected = await collectAnswers({
      aws: recordedAws(log),
      region: "us-east-1",
      on: "2026-12-07",
      log: () => {},
    });
    const answers = parseRecordedAnswers(collected, "collected");
    assert.deepEqual(
      answers.clusterVersions.clusterVersions.map((v) => v.clusterVersion),
      ["1.35", "1.36"],
      "both pages",
    );
    assert.equal(answers.clusterVersions.clusterVersions[0].releaseDate, "2026-01-27T00:00:00.000Z");
    assert.equal(log.filter((l) => l.startsWith("DescribeAddonVersions")).length, 2 * ALL_ADDONS.length * 2);
    assert.deepEqual(
      answers.nodeImages.parameters.map((p) => p.Name),
      [
        "/aws/service/eks/optimized-ami/1.35/amazon-linux-2023/x86_64/standard/amazon-eks-node-al2023-x86_64-standard-1.35-v20261201/image_id",
        "/aws/service/eks/optimized-ami/1.36/amazon-linux-2023/x86_64/standard/amazon-eks-node-al2023-x86_64-standard-1.36-v20261201/image_id",
      ],
      "release parameters of both pages, no recommended/",
    );
    assert.deepEqual(
      answers.instanceTypes.instanceTypes.map((t) => t.InstanceType),
      ["c9g.large", "m5.large"],
      "every page of every region, once each",
    );
    const data = generateData(answers, {});
    assert.deepEqual(Object.keys(data.zones.regions), ["eu-central-1", "us-east-1"]);
    // Only the minor asked about counts: 1.20's default in the same answer is not 1.35's.
    assert.deepEqual(data.addons.versions["1.35"]["vpc-cni"], {
      pinned: "v1.0.0-eksbuild.1",
      latest: "v1.0.1-eksbuild.1",
      awsDefault: "v1.0.0-eksbuild.1",
    });
    assert.deepEqual(data.instanceTypes.instanceTypes["c9g.large"].architectures, ["arm64"]);
    assert.match(data.calendar.source, /DescribeClusterVersions in us-east-1, answered to npm run refresh/);
  });
});

// ---------------------------------------------------------------- what changed

describe("refresh: the change report", () => {
  it("names each fact a refresh changes, and nothing when nothing did", () => {
    const before = recorded();
    const base = generateData(before, committedNotes());
    assert.deepEqual(describeChanges(base, base), []);
    const after = structuredClone(before) as RecordedAnswers;
    after.clusterVersions.clusterVersions.push({
      clusterVersion: "1.37",
      releaseDate: "2026-11-30T00:00:00Z",
      endOfStandardSupportDate: "2028-01-30T00:00:00Z",
      endOfExtendedSupportDate: "2029-01-30T00:00:00Z",
    });
    const vpcCni135 = after.addonVersions.calls.find(
      (c) => c.kubernetesVersion === "1.35" && c.addonName === "vpc-cni",
    );
    vpcCni135?.addons[0].addonVersions?.push({
      addonVersion: "v1.23.0-eksbuild.1",
      compatibilities: [{ clusterVersion: "1.35", defaultVersion: true }],
    });
    after.nodeImages.parameters.push({
      Name: "/aws/service/eks/optimized-ami/1.35/amazon-linux-2023/x86_64/standard/amazon-eks-node-al2023-x86_64-standard-1.35-v20261201/image_id",
    });
    after.availabilityZones.regions["us-east-1"].push({
      ZoneName: "us-east-1-bos-1a",
      ZoneId: "use1-bos1-az1",
      ZoneType: "local-zone",
      OptInStatus: "opted-in",
    });
    after.instanceTypes.instanceTypes.push(asEc2Answer("m5.large", sampleRow));
    const coredns134 = after.addonVersions.calls.find(
      (c) => c.kubernetesVersion === "1.34" && c.addonName === "coredns",
    );
    coredns134?.addons[0].addonVersions?.push({
      addonVersion: "v1.11.4-eksbuild.2",
      compatibilities: [{ clusterVersion: "1.34", defaultVersion: true }],
    });
    assert.deepEqual(describeChanges(base, generateData(after, committedNotes())), [
      "EKS version 1.37 added (standard support until 2028-01-30)",
      "coredns for Kubernetes 1.34: v1.13.2-eksbuild.4 → v1.11.4-eksbuild.2 (older: a downgrade)",
      "vpc-cni for Kubernetes 1.35: v1.21.1-eksbuild.7 → v1.23.0-eksbuild.1",
      "amazon-eks-ami releases added: v20261201",
      "instance types with EC2's facts added: m5.large",
    ]);
  });
});
