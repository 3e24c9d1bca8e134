/**
 * From recorded AWS answers (refresh/answers.ts) to the offline data files (data/aws/): pure, so the same
 * answers always give the same bytes, and test/refresh.test.ts can hold the committed files to them.
 * Each rule that reads an answer says where AWS (or the tool that reads the same call) defines it.
 */
import { ADDON_NAMES, compareAddonVersions } from "../components/cluster/addon-versions";
import type {
  AddonChoice,
  AddonVersionsFile,
  CalendarFile,
  DataFiles,
  Ec2InstanceTypesFile,
  EksVersionDates,
  NodeImagesFile,
  ZonesFile,
} from "../data/aws";
import type { Architecture, Hypervisor, InstanceTypeRow } from "../data/instance-types/generate";
import type { Provenance, RecordedAnswers, RecordedInstanceType } from "./answers";

export const GENERATED_BY =
  "npm run refresh (refresh/generate.ts) from data/aws/answers.json; do not edit: run the refresh, or edit the answers and run npm run refresh -- --from-answers";

function described(what: string, recorded: Provenance): string {
  return `${what}, recorded ${recorded.on}: ${recorded.from}`;
}

/** A timestamp's UTC day. EKS answers support dates as timestamps; the calendar compares days. */
function utcDay(timestamp: string, context: string): string {
  const parsed = new Date(timestamp);
  if (Number.isNaN(parsed.getTime())) throw new Error(`${context}: ${JSON.stringify(timestamp)} is not a timestamp`);
  return parsed.toISOString().slice(0, 10);
}

/** Sorts Kubernetes minors as numbers (1.9 before 1.10). */
function byMinor(a: string, b: string): number {
  const [am, an] = a.split(".").map(Number);
  const [bm, bn] = b.split(".").map(Number);
  return am - bm || an - bn;
}

// ---------------------------------------------------------------- EKS versions

export function calendarFile(answers: RecordedAnswers): CalendarFile {
  const { recorded, clusterVersions } = answers.clusterVersions;
  const versions: Record<string, EksVersionDates> = {};
  for (const item of clusterVersions) {
    const version = item.clusterVersion;
    if (!version || !/^\d+\.\d+$/.test(version))
      throw new Error(`clusterVersions: ${JSON.stringify(version)} is not a Kubernetes minor`);
    if (versions[version]) throw new Error(`clusterVersions: ${version} appears twice`);
    const need = (field: "releaseDate" | "endOfStandardSupportDate" | "endOfExtendedSupportDate"): string => {
      const value = item[field];
      if (!value) throw new Error(`clusterVersions: ${version} has no ${field}`);
      return utcDay(value, `clusterVersions: ${version}.${field}`);
    };
    versions[version] = {
      release: need("releaseDate"),
      endOfStandardSupport: need("endOfStandardSupportDate"),
      endOfExtendedSupport: need("endOfExtendedSupportDate"),
    };
  }
  return {
    source: described("EKS DescribeClusterVersions", recorded),
    generatedBy: GENERATED_BY,
    versions: Object.fromEntries(
      Object.keys(versions)
        .sort(byMinor)
        .map((v) => [v, versions[v]]),
    ),
  };
}

// ---------------------------------------------------------------- add-on versions

/**
 * Per minor of the calendar and add-on the program installs: the versions compatible with the minor, EKS's
 * default among them (`Compatibility.defaultVersion`, what CreateAddon installs when no version is given:
 * https://docs.aws.amazon.com/eks/latest/APIReference/API_Compatibility.html), and the newest. A minor where
 * an add-on has no compatible version gets no pin and is listed, with why.
 */
export function addonVersionsFile(answers: RecordedAnswers, minors: readonly string[]): AddonVersionsFile {
  const { recorded, calls } = answers.addonVersions;
  const versions: Record<string, Record<string, AddonChoice>> = {};
  const unpinned: Record<string, string> = {};
  for (const minor of [...minors].sort(byMinor)) {
    const row: Record<string, AddonChoice> = {};
    const missing: string[] = [];
    for (const name of ADDON_NAMES) {
      const answered = calls.filter((c) => c.kubernetesVersion === minor && c.addonName === name);
      const compatible = answered
        .flatMap((c) => c.addons)
        .filter((a) => a.addonName === name)
        .flatMap((a) => a.addonVersions ?? [])
        .flatMap((v) => {
          const compatibility = (v.compatibilities ?? []).find((c) => c.clusterVersion === minor);
          if (!compatibility) return [];
          if (!v.addonVersion)
            throw new Error(`addonVersions: ${name} for ${minor} has a version without addonVersion`);
          return [{ version: v.addonVersion, isDefault: compatibility.defaultVersion === true }];
        });
      if (compatible.length === 0) {
        missing.push(name);
        continue;
      }
      const defaults = [...new Set(compatible.filter((v) => v.isDefault).map((v) => v.version))];
      if (defaults.length > 1)
        throw new Error(`addonVersions: ${name} has two defaults for ${minor}: ${defaults.join(", ")}`);
      const latest = compatible.map((v) => v.version).sort(compareAddonVersions)[compatible.length - 1];
      row[name] = { pinned: defaults[0] ?? latest, latest, awsDefault: defaults[0] ?? null };
    }
    if (missing.length === 0) versions[minor] = row;
    else unpinned[minor] = `no version compatible with ${minor} recorded for ${missing.join(", ")}`;
  }
  return {
    source: described("EKS DescribeAddonVersions", recorded),
    generatedBy: GENERATED_BY,
    versions,
    unpinned,
  };
}

// ---------------------------------------------------------------- node images

/**
 * A release's image id parameter, as Karpenter resolves a pinned `al2023@<release>` alias
 * (https://github.com/aws/karpenter-provider-aws/blob/bde00654cd316fddb3dccfba3f5ac07039865429/pkg/providers/amifamily/al2023.go#L73-L80).
 */
const RELEASE_PARAMETER =
  /^\/aws\/service\/eks\/optimized-ami\/(\d+\.\d+)\/amazon-linux-2023\/(x86_64|arm64)\/([a-z0-9]+)\/amazon-eks-node-al2023-\2-\3-\1-(v\d{8})\/image_id$/;
const ARCHITECTURE_ORDER = ["x86_64", "arm64"];
const VARIANT_ORDER = ["standard", "nvidia", "neuron"];

function inOrder(order: readonly string[]): (a: string, b: string) => number {
  const rank = (x: string) => (order.includes(x) ? order.indexOf(x) : order.length);
  return (a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
}

export function nodeImagesFile(answers: RecordedAnswers): NodeImagesFile {
  const { recorded, parameters } = answers.nodeImages;
  const releases = new Map<string, Set<string>>();
  const variants = new Map<string, Set<string>>();
  for (const { Name } of parameters) {
    const match = RELEASE_PARAMETER.exec(Name ?? "");
    if (!match) throw new Error(`nodeImages: ${JSON.stringify(Name)} is not a release's image_id parameter`);
    const [, minor, arch, variant, release] = match;
    releases.set(release, (releases.get(release) ?? new Set()).add(minor));
    variants.set(arch, (variants.get(arch) ?? new Set()).add(variant));
  }
  return {
    source: described("SSM GetParametersByPath /aws/service/eks/optimized-ami/<minor>/amazon-linux-2023/", recorded),
    generatedBy: GENERATED_BY,
    releases: Object.fromEntries(
      [...releases.keys()].sort().map((r) => [r, [...(releases.get(r) ?? [])].sort(byMinor)]),
    ),
    variants: Object.fromEntries(
      [...variants.keys()]
        .sort(inOrder(ARCHITECTURE_ORDER))
        .map((a) => [a, [...(variants.get(a) ?? [])].sort(inOrder(VARIANT_ORDER))]),
    ),
  };
}

// ---------------------------------------------------------------- zones

/**
 * Standard zones only: Local and Wavelength Zones (`ZoneType` local-zone, wavelength-zone) and zones an account
 * must opt into are not where a three-zone cluster goes
 * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AvailabilityZone.html).
 */
export function zonesFile(answers: RecordedAnswers, notes: Readonly<Record<string, string>>): ZonesFile {
  const { recorded, regions } = answers.availabilityZones;
  const out: Record<string, Array<{ name: string; id: string }>> = {};
  for (const region of Object.keys(regions).sort()) {
    const zones = regions[region]
      .filter((z) => z.ZoneType === "availability-zone" && z.OptInStatus === "opt-in-not-required")
      .map((z) => {
        if (!z.ZoneName || !z.ZoneId)
          throw new Error(`availabilityZones: ${region} has a zone without ZoneName or ZoneId`);
        return { name: z.ZoneName, id: z.ZoneId };
      })
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    if (zones.length > 0) out[region] = zones;
  }
  return {
    source: described("EC2 DescribeAvailabilityZones in each region", recorded),
    generatedBy: GENERATED_BY,
    notes: Object.fromEntries(
      Object.keys(notes)
        .sort()
        .filter((r) => r in out)
        .map((r) => [r, notes[r]]),
    ),
    regions: out,
  };
}

// ---------------------------------------------------------------- instance types

/**
 * A type's row from EC2's answer, read as the VPC CNI's generator reads it (ENIs of the default card when a
 * type has several, else MaximumNetworkInterfaces;
 * https://github.com/aws/amazon-vpc-cni-k8s/blob/b52188387f2e2f10bf289ace929d6a63b176a4fa/scripts/gen_vpc_ip_limits.go#L153-L174)
 * and GPUs as the cluster autoscaler counts them (every device's Count). Architectures keep x86_64 and arm64
 * (i386 beside x86_64 on old types adds nothing; Mac types run no EKS node): none left is null, refused later.
 */
export function instanceTypeRow(info: RecordedInstanceType): InstanceTypeRow {
  const name = info.InstanceType ?? "(unnamed)";
  const need = <T>(value: T | undefined, field: string): T => {
    if (value === undefined) throw new Error(`instanceTypes: ${name} has no ${field}`);
    return value;
  };
  const network = need(info.NetworkInfo, "NetworkInfo");
  const defaultCard = need(network.DefaultNetworkCardIndex, "NetworkInfo.DefaultNetworkCardIndex");
  const cards = [...(network.NetworkCards ?? [])].sort((a, b) => (a.NetworkCardIndex ?? 0) - (b.NetworkCardIndex ?? 0));
  cards.forEach((card, n) => {
    if (card.NetworkCardIndex !== n)
      throw new Error(`instanceTypes: ${name} network card ${n} has index ${card.NetworkCardIndex}`);
  });
  const networkCards = cards.map((card) =>
    need(card.MaximumNetworkInterfaces, "NetworkCards[].MaximumNetworkInterfaces"),
  );
  const maxEnis =
    networkCards.length > 1
      ? need(networkCards[defaultCard], `NetworkCards[${defaultCard}] (the default card)`)
      : need(network.MaximumNetworkInterfaces, "NetworkInfo.MaximumNetworkInterfaces");
  const architectures = (info.ProcessorInfo?.SupportedArchitectures ?? []).filter(
    (a): a is Architecture => a === "x86_64" || a === "arm64",
  );
  const hypervisor: Hypervisor = info.Hypervisor ?? "";
  return {
    architectures: architectures.length > 0 ? architectures : null,
    bareMetal: need(info.BareMetal, "BareMetal"),
    defaultNetworkCardIndex: defaultCard,
    hypervisor,
    ipv4PerEni: need(network.Ipv4AddressesPerInterface, "NetworkInfo.Ipv4AddressesPerInterface"),
    maxEnis,
    networkCards: networkCards.length > 0 ? networkCards : [maxEnis],
    vcpus: need(info.VCpuInfo?.DefaultVCpus, "VCpuInfo.DefaultVCpus"),
    memoryMib: need(info.MemoryInfo?.SizeInMiB, "MemoryInfo.SizeInMiB"),
    gpus: (info.GpuInfo?.Gpus ?? []).reduce((sum, gpu) => sum + (gpu.Count ?? 0), 0),
  };
}

export function ec2InstanceTypesFile(answers: RecordedAnswers): Ec2InstanceTypesFile {
  const { recorded, instanceTypes } = answers.instanceTypes;
  const rows: Record<string, InstanceTypeRow> = {};
  for (const info of [...instanceTypes].sort((a, b) => ((a.InstanceType ?? "") < (b.InstanceType ?? "") ? -1 : 1))) {
    const name = info.InstanceType;
    if (!name) throw new Error("instanceTypes: an item has no InstanceType");
    rows[name] = instanceTypeRow(info);
  }
  return {
    source: described("EC2 DescribeInstanceTypes in each region", recorded),
    generatedBy: GENERATED_BY,
    instanceTypes: rows,
  };
}

// ---------------------------------------------------------------- all files

/** Every data file from the answers; the zone notes are hand-kept and carried over from the previous file. */
export function generateData(answers: RecordedAnswers, zoneNotes: Readonly<Record<string, string>>): DataFiles {
  const calendar = calendarFile(answers);
  return {
    calendar,
    addons: addonVersionsFile(answers, Object.keys(calendar.versions)),
    nodeImages: nodeImagesFile(answers),
    zones: zonesFile(answers, zoneNotes),
    instanceTypes: ec2InstanceTypesFile(answers),
  };
}

/** A data file's bytes: two-space JSON and a final newline (the instance rows one per line, as the table's). */
export function renderDataFile(value: DataFiles[keyof DataFiles]): string {
  if ("instanceTypes" in value) {
    const rows = Object.entries(value.instanceTypes).map(
      ([name, row]) => `    ${JSON.stringify(name)}: ${JSON.stringify(sortKeys(row))}`,
    );
    const head = JSON.stringify({ source: value.source, generatedBy: value.generatedBy }, null, 2).slice(0, -2);
    return `${head},\n  "instanceTypes": {${rows.length ? `\n${rows.join(",\n")}\n  ` : ""}}\n}\n`;
  }
  return `${JSON.stringify(value, null, 2)}\n`;
}

function sortKeys(row: InstanceTypeRow): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).sort(([a], [b]) => (a < b ? -1 : 1)));
}

// ---------------------------------------------------------------- what changed

function listed(names: readonly string[], most = 8): string {
  return names.length <= most ? names.join(", ") : `${names.slice(0, most).join(", ")} and ${names.length - most} more`;
}

/** What a refresh changes, one line per fact, for the refresh's output and the pull request it opens. */
export function describeChanges(before: DataFiles, after: DataFiles): string[] {
  const lines: string[] = [];
  const keys = <T>(o: Readonly<Record<string, T>>) => Object.keys(o);
  const added = <T>(a: Readonly<Record<string, T>>, b: Readonly<Record<string, T>>) => keys(b).filter((k) => !(k in a));
  const removed = <T>(a: Readonly<Record<string, T>>, b: Readonly<Record<string, T>>) =>
    keys(a).filter((k) => !(k in b));

  const [c0, c1] = [before.calendar.versions, after.calendar.versions];
  for (const v of added(c0, c1))
    lines.push(`EKS version ${v} added (standard support until ${c1[v].endOfStandardSupport})`);
  for (const v of removed(c0, c1)) lines.push(`EKS version ${v} no longer offered`);
  for (const v of keys(c1).filter((k) => k in c0)) {
    for (const field of ["release", "endOfStandardSupport", "endOfExtendedSupport"] as const) {
      if (c0[v][field] !== c1[v][field]) lines.push(`EKS version ${v} ${field}: ${c0[v][field]} → ${c1[v][field]}`);
    }
  }

  const [a0, a1] = [before.addons.versions, after.addons.versions];
  for (const v of added(a0, a1)) lines.push(`add-ons pinned for Kubernetes ${v} (it can now be chosen)`);
  for (const v of removed(a0, a1))
    lines.push(`add-ons no longer pinned for Kubernetes ${v}: ${after.addons.unpinned[v] ?? "not in the calendar"}`);
  for (const v of keys(a1).filter((k) => k in a0)) {
    for (const name of keys(a1[v])) {
      const [was, now] = [a0[v][name], a1[v][name]];
      if (was?.pinned !== now.pinned) {
        // EKS's default can be behind a pin made from the newest: say so, a reviewer may keep the newer one.
        const older = was && compareAddonVersions(now.pinned, was.pinned) < 0 ? " (older: a downgrade)" : "";
        lines.push(`${name} for Kubernetes ${v}: ${was?.pinned ?? "(none)"} → ${now.pinned}${older}`);
      }
      if (was?.latest !== now.latest && now.latest !== now.pinned)
        lines.push(`${name} for Kubernetes ${v}: ${now.latest} is out (not the default)`);
    }
  }

  const [r0, r1] = [before.nodeImages.releases, after.nodeImages.releases];
  const newReleases = added(r0, r1);
  if (newReleases.length) lines.push(`amazon-eks-ami releases added: ${listed(newReleases)}`);
  const goneReleases = removed(r0, r1);
  if (goneReleases.length) lines.push(`amazon-eks-ami releases no longer published: ${listed(goneReleases)}`);

  const [z0, z1] = [before.zones.regions, after.zones.regions];
  const newRegions = added(z0, z1);
  if (newRegions.length) lines.push(`regions added: ${listed(newRegions)}`);
  const goneRegions = removed(z0, z1);
  if (goneRegions.length) lines.push(`regions no longer seen: ${listed(goneRegions)}`);
  for (const r of keys(z1).filter((k) => k in z0)) {
    const show = (zones: ReadonlyArray<{ name: string; id: string }>) =>
      zones.map((z) => `${z.name}=${z.id}`).join(" ");
    if (show(z0[r]) !== show(z1[r])) lines.push(`zones of ${r}: ${show(z0[r])} → ${show(z1[r])}`);
  }

  const [i0, i1] = [before.instanceTypes.instanceTypes, after.instanceTypes.instanceTypes];
  const newTypes = added(i0, i1);
  if (newTypes.length) lines.push(`instance types with EC2's facts added: ${listed(newTypes)}`);
  const goneTypes = removed(i0, i1);
  if (goneTypes.length) lines.push(`instance types EC2 no longer answers for: ${listed(goneTypes)}`);
  const changedTypes = keys(i1).filter(
    (k) => k in i0 && JSON.stringify(sortKeys(i0[k])) !== JSON.stringify(sortKeys(i1[k])),
  );
  if (changedTypes.length) lines.push(`instance types whose facts changed: ${listed(changedTypes)}`);
  return lines;
}
