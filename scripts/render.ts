/**
 * `npm run render`: the whole stack, offline. Runs the real program in process under the test
 * harness's Pulumi mocks and writes what `pulumi up` would declare:
 *
 *   out/render/resources.json   every resource: urn, type, name, parent, custom, provider, dependencies, inputs
 *   out/render/manifests/       every Kubernetes object, one YAML file each: the program's own, the CRDs it
 *                               applies from the charts, each Helm release (chart + values) and the objects
 *                               `helm template` expands it into, each marked with its release
 *   out/render/summary.md       what a reviewer reads in a minute
 *
 * Usage: npm run render -- [--stack dev] [--out out/render] [--config key=value ...]
 * Invalid configuration: exit 2, one line per bad key on stderr, nothing written.
 * Deterministic: two renders of the same tree are byte-identical; how long it took goes to stdout only.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { stringify } from "yaml";
import { criticalPathText } from "./critical-path";
import { NLB_LOAD_BALANCER_CLASS } from "../apps/load-balancing";
import { EXTERNAL_DNS_HOSTNAME_ANNOTATION } from "../components/external-dns/values";
import { readChartArchive } from "../charts/chart-archive";
import { ConfigError } from "../config";
import {
  MissingFixtureError,
  PROJECT_ROOT,
  ProgramError,
  type ProgramRun,
  type RecordedResource,
  runProgram,
  stackConfig,
} from "../test/harness";
import { HELM_VERSION, type HelmLocator, HelmUnavailable, helmTemplate, maskGeneratedPem, pinnedHelm } from "./helm";

export const USAGE = "usage: npm run render -- [--stack dev] [--out out/render] [--config key=value ...]";
const HELM_RELEASE = "kubernetes:helm.sh/v3:Release";
const CONFIG_GROUP = "kubernetes:yaml/v2:ConfigGroup";
const EKS_CLUSTER = "eks:index:Cluster";
const NODE_GROUP = "eks:index:ManagedNodeGroup";
const LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";

export interface RenderOptions {
  readonly stack: string;
  readonly out: string;
  readonly config: Record<string, string>;
}

/** Command-line arguments; throws a UsageError naming what is wrong. */
export function parseRenderArgs(argv: readonly string[]): RenderOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      stack: { type: "string", default: "dev" },
      out: { type: "string", default: path.join("out", "render") },
      config: { type: "string", multiple: true, default: [] },
    },
    strict: true,
    allowPositionals: false,
  });
  const config: Record<string, string> = {};
  for (const pair of values.config ?? []) {
    const cut = pair.indexOf("=");
    if (cut <= 0) throw new UsageError(`--config ${pair}: expected key=value (as in pulumi config set key value)`);
    config[pair.slice(0, cut)] = pair.slice(cut + 1);
  }
  return { stack: values.stack ?? "dev", out: values.out ?? path.join("out", "render"), config };
}

export class UsageError extends Error {}

type KubeObject = Record<string, unknown>;

interface ObjectMeta {
  name?: string;
  namespace?: string;
  annotations?: Record<string, string>;
}

function metaOf(object: KubeObject): ObjectMeta {
  return (object.metadata as ObjectMeta | undefined) ?? {};
}

// ------------------------------------------------------------ helm charts

/** One Helm release expanded by `helm template`, or why it could not be. */
export interface ReleaseExpansion {
  /** `<namespace>/<name>` of the release. */
  readonly release: string;
  readonly namespace: string;
  /** Chart name and version, from the archive's Chart.yaml. */
  readonly chart: string;
  readonly version: string;
  /** The chart reference the program gives the release: the vendored archive. */
  readonly archive: string;
  readonly objects: ReadonlyArray<{ readonly source: string; readonly object: KubeObject }>;
  /** Values of generated key material replaced by a placeholder (see maskGeneratedPem). */
  readonly maskedPem: number;
}

/** Every release expanded, or the one reason none could be (helm cannot run here). */
export type ChartExpansion =
  | { readonly expanded: readonly ReleaseExpansion[]; readonly durationMs: number }
  | { readonly notExpanded: string };

/**
 * Expands every Helm release of the run with the pinned helm, in parallel: the chart archive, name,
 * namespace and values the program gives the release, for the cluster's Kubernetes version, with the
 * chart's CRDs unless the release skips them. Helm that cannot run is a reason, not an error; a chart
 * that fails to render is an error (the same release would fail `pulumi up`).
 */
export async function expandReleases(run: ProgramRun, helm: HelmLocator = pinnedHelm): Promise<ChartExpansion> {
  const started = process.hrtime.bigint();
  const releases = run.resources.filter((r) => r.type === HELM_RELEASE);
  if (releases.length === 0) return { expanded: [], durationMs: 0 };
  const cluster = run.resources.find((r) => r.type === EKS_CLUSTER);
  const kubernetesVersion = String(cluster?.inputs.version ?? "");
  if (!/^1\.\d+$/.test(kubernetesVersion)) throw new Error(`no Kubernetes version on the ${EKS_CLUSTER} to render charts for (got "${kubernetesVersion}")`);
  let binary: string;
  try {
    binary = await helm();
  } catch (error) {
    if (error instanceof HelmUnavailable) return { notExpanded: error.message };
    throw error;
  }
  try {
    const expanded = await Promise.all(
      releases.map(async (r): Promise<ReleaseExpansion> => {
        const name = String(r.inputs.name ?? r.name);
        const namespace = String(r.inputs.namespace ?? "default");
        const reference = String(r.inputs.chart ?? "");
        const archive = path.resolve(PROJECT_ROOT, reference);
        if (!/\.tgz$/.test(reference) || !fs.existsSync(archive)) {
          throw new Error(`Helm release ${namespace}/${name}: chart ${reference} is not a vendored archive in the project`);
        }
        const chart = readChartArchive(archive);
        const rendered = await helmTemplate(binary, {
          release: name,
          namespace,
          archive,
          values: (r.inputs.values ?? {}) as Record<string, unknown>,
          kubernetesVersion,
          includeCrds: r.inputs.skipCrds !== true,
        });
        let maskedPem = 0;
        const objects = rendered.map(({ source, object }) => {
          const masked = maskGeneratedPem(object);
          maskedPem += masked.masked;
          return { source, object: masked.value as KubeObject };
        });
        return { release: `${namespace}/${name}`, namespace, chart: chart.name, version: chart.version, archive: reference, objects, maskedPem };
      }),
    );
    return { expanded, durationMs: Number(process.hrtime.bigint() - started) / 1e6 };
  } catch (error) {
    if (error instanceof HelmUnavailable) return { notExpanded: error.message };
    throw error;
  }
}

// ---------------------------------------------------------------- files

/**
 * Built-in kinds that live outside namespaces (kubectl api-resources --namespaced=false, Kubernetes 1.35);
 * custom kinds take the scope their CRD declares.
 */
const CLUSTER_SCOPED_KINDS = new Set([
  "APIService",
  "CertificateSigningRequest",
  "ClusterRole",
  "ClusterRoleBinding",
  "ComponentStatus",
  "CSIDriver",
  "CSINode",
  "CustomResourceDefinition",
  "FlowSchema",
  "IngressClass",
  "MutatingAdmissionPolicy",
  "MutatingAdmissionPolicyBinding",
  "MutatingWebhookConfiguration",
  "Namespace",
  "Node",
  "PersistentVolume",
  "PriorityClass",
  "PriorityLevelConfiguration",
  "RuntimeClass",
  "StorageClass",
  "ValidatingAdmissionPolicy",
  "ValidatingAdmissionPolicyBinding",
  "ValidatingWebhookConfiguration",
  "VolumeAttachment",
]);

/** `group/Kind` of every cluster-scoped custom kind the given CRDs declare. */
function clusterScopedCustomKinds(crds: readonly KubeObject[]): Set<string> {
  const kinds = new Set<string>();
  for (const crd of crds) {
    const spec = crd.spec as { group?: string; scope?: string; names?: { kind?: string } } | undefined;
    if (spec?.scope === "Cluster") kinds.add(`${spec.group}/${spec.names?.kind}`);
  }
  return kinds;
}

function manifestFile(namespace: string | undefined, kind: string, name: string): string {
  return path.join(namespace ? namespace : "_cluster", `${kind}-${name}.yaml`);
}

/** apiVersion and kind first, as kubectl writes them; the rest in the order given. */
function kubectlOrder(object: KubeObject): KubeObject {
  const { apiVersion, kind, metadata, ...rest } = object;
  return { apiVersion, kind, metadata, ...rest };
}

function yamlText(body: unknown, header?: string): string {
  const text = stringify(body, { sortMapEntries: false, lineWidth: 0 });
  return header ? `# ${header}\n${text}` : text;
}

function helmReleaseBody(r: RecordedResource): KubeObject {
  return {
    kind: "HelmRelease",
    name: r.inputs.name ?? r.name,
    namespace: r.inputs.namespace,
    chart: r.inputs.chart,
    version: r.inputs.version,
    skipCrds: r.inputs.skipCrds,
    values: r.inputs.values ?? {},
  };
}

/** The objects a ConfigGroup applies (the CRDs the program takes from the charts). */
function configGroupObjects(r: RecordedResource): KubeObject[] {
  return ((r.inputs.objs as KubeObject[] | undefined) ?? []).filter((o) => o && typeof o === "object");
}

/**
 * Every Kubernetes object, keyed by its output path: the program's own objects and Helm releases, the
 * objects of its ConfigGroups, and the objects each expanded release creates (header comment: which release
 * and template). Namespaced objects a chart leaves without a namespace go to the release's, as Helm does.
 */
export function manifestFiles(run: ProgramRun, charts?: ChartExpansion): Map<string, string> {
  const files = new Map<string, string>();
  const add = (file: string, text: string) => {
    if (files.has(file)) throw new Error(`two Kubernetes objects render to ${file}`);
    files.set(file, text);
  };
  for (const r of run.resources) {
    if (r.type.startsWith("pulumi:providers:") || !r.type.startsWith("kubernetes:")) continue;
    if (r.type === CONFIG_GROUP) {
      for (const object of configGroupObjects(r)) {
        const meta = metaOf(object);
        add(manifestFile(meta.namespace, String(object.kind), String(meta.name)), yamlText(kubectlOrder(object), `Applied by the program: ConfigGroup ${r.name}`));
      }
      continue;
    }
    if (!r.custom) continue;
    if (r.type === HELM_RELEASE) {
      add(manifestFile(String(r.inputs.namespace ?? ""), "HelmRelease", String(r.inputs.name ?? r.name)), yamlText(helmReleaseBody(r)));
      continue;
    }
    const meta = metaOf(r.inputs);
    add(manifestFile(meta.namespace, r.type.split(":").pop() as string, meta.name ?? r.name), yamlText(kubectlOrder(r.inputs)));
  }
  if (charts && "expanded" in charts) {
    const crds = [
      ...run.resources.filter((r) => r.type === CONFIG_GROUP).flatMap(configGroupObjects),
      ...charts.expanded.flatMap((e) => e.objects.map((o) => o.object)),
    ].filter((o) => o.kind === "CustomResourceDefinition");
    const clusterScoped = clusterScopedCustomKinds(crds);
    for (const release of charts.expanded) {
      for (const { source, object } of release.objects) {
        const meta = metaOf(object);
        const kind = String(object.kind);
        const group = String(object.apiVersion ?? "").includes("/") ? String(object.apiVersion).split("/")[0] : "";
        const scoped = CLUSTER_SCOPED_KINDS.has(kind) || clusterScoped.has(`${group}/${kind}`);
        const namespace = scoped ? undefined : (meta.namespace ?? release.namespace);
        add(manifestFile(namespace, kind, String(meta.name)), yamlText(object, `Helm release ${release.release} (chart ${release.chart} ${release.version}): ${source}`));
      }
    }
  }
  return new Map([...files.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
}

// -------------------------------------------------------------- summary

type Annotations = Record<string, string>;

interface LoadBalancerRow {
  readonly object: string;
  readonly kind: string;
  readonly scheme: string;
  readonly targetType: string;
  readonly hostnames: string;
  /** Objects with the same key share one load balancer (an ALB's Ingress group). */
  readonly key: string;
}

/** Every load balancer the controller will create: LoadBalancer Services (NLB) and Ingresses (ALB, grouped). */
export function loadBalancers(run: ProgramRun): LoadBalancerRow[] {
  const rows: LoadBalancerRow[] = [];
  for (const r of run.resources) {
    const metadata = metaOf(r.inputs);
    const object = `${metadata.namespace ?? "default"}/${metadata.name ?? r.name}`;
    const a: Annotations = metadata.annotations ?? {};
    if (r.type === "kubernetes:core/v1:Service" && (r.inputs.spec as { type?: string } | undefined)?.type === "LoadBalancer") {
      const spec = r.inputs.spec as { loadBalancerClass?: string };
      rows.push({
        object: `Service ${object}`,
        kind: spec.loadBalancerClass === NLB_LOAD_BALANCER_CLASS ? "NLB" : `? (${spec.loadBalancerClass ?? "no class"})`,
        scheme: a["service.beta.kubernetes.io/aws-load-balancer-scheme"] ?? "internal (default)",
        targetType: a["service.beta.kubernetes.io/aws-load-balancer-nlb-target-type"] ?? "instance (default)",
        // The key the pinned ExternalDNS reads: the one the apps write.
        hostnames: a[EXTERNAL_DNS_HOSTNAME_ANNOTATION] ?? "(load balancer's own)",
        key: `Service ${object}`,
      });
    }
    if (r.type === "kubernetes:networking.k8s.io/v1:Ingress") {
      const spec = r.inputs.spec as { rules?: Array<{ host?: string }> };
      const hosts = (spec.rules ?? []).map((rule) => rule.host).filter((h): h is string => Boolean(h));
      const group = a["alb.ingress.kubernetes.io/group.name"];
      rows.push({
        object: `Ingress ${object}`,
        kind: group ? `ALB (group ${group})` : "ALB",
        scheme: a["alb.ingress.kubernetes.io/scheme"] ?? "internal (default)",
        targetType: a["alb.ingress.kubernetes.io/target-type"] ?? "instance (default)",
        hostnames: hosts.join(", ") || "(load balancer's own)",
        key: group ? `ALB group ${group}` : `Ingress ${object}`,
      });
    }
  }
  return rows;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

function table(headers: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [line(headers), line(headers.map(() => "---")), ...rows.map(line)].join("\n");
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return new Map([...counts.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
}

function countsText(counts: Map<string, number>): string {
  return [...counts.entries()].map(([k, n]) => `${k} ${n}`).join(", ");
}

/** What every summary section reads. */
export interface SummaryContext {
  readonly run: ProgramRun;
  readonly options: RenderOptions;
  readonly charts: ChartExpansion;
  /** The stack's configuration as the program saw it (Pulumi.yaml defaults, stack file, overrides). */
  readonly config: Readonly<Record<string, string>>;
}

/** A section of summary.md: a `## ` title and its body, or nothing when it has nothing to say. */
export interface SummarySection {
  readonly title: string;
  readonly body: string;
}

/** One builder per section, in the order summary.md shows them; add a section by adding a builder. */
export type SummarySectionBuilder = (ctx: SummaryContext) => SummarySection | undefined;

const ofType = (run: ProgramRun, type: string) => run.resources.filter((r) => r.type === type);

// --- network

interface SubnetFacts {
  readonly urn: string;
  readonly zone: string;
  readonly cidr: string;
  readonly public: boolean;
}

function subnets(run: ProgramRun): SubnetFacts[] {
  return ofType(run, "aws:ec2/subnet:Subnet")
    .map((r) => {
      const tags = (r.inputs.tags ?? {}) as Record<string, string>;
      return { urn: r.urn, zone: String(r.inputs.availabilityZone), cidr: String(r.inputs.cidrBlock), public: "kubernetes.io/role/elb" in tags };
    })
    .sort((a, b) => (a.zone < b.zone ? -1 : a.zone > b.zone ? 1 : Number(b.public) - Number(a.public)));
}

const networkSection: SummarySectionBuilder = ({ run, config }) => {
  const vpc = ofType(run, "aws:ec2/vpc:Vpc")[0];
  const all = subnets(run);
  const zones = [...new Set(all.map((s) => s.zone))];
  const byUrn = new Map(all.map((s) => [s.urn, s]));
  const natZones = ofType(run, "aws:ec2/natGateway:NatGateway").map(
    (nat) => nat.dependencies.map((urn) => byUrn.get(urn)?.zone).find((z): z is string => z !== undefined) ?? "?",
  );
  const nat =
    natZones.length === 0
      ? "none"
      : natZones.length === zones.length && new Set(natZones).size === zones.length
        ? `one NAT gateway per zone (${natZones.length}): each zone's egress stays in it`
        : `${natZones.length} NAT gateway${natZones.length > 1 ? "s" : ""} (in ${natZones.join(", ")}) for ${zones.length} zones: a zone's outage cuts the others' egress`;
  const cidrOf = (zone: string, isPublic: boolean) => all.find((s) => s.zone === zone && s.public === isPublic)?.cidr ?? "-";
  return {
    title: "Network",
    body: [
      `Region \`${config["aws:region"] ?? "?"}\`, zones ${zones.map((z) => `\`${z}\``).join(", ")}; VPC \`${String(vpc?.inputs.cidrBlock ?? "?")}\`; NAT: ${nat}.`,
      table(["zone", "public subnet", "private subnet"], zones.map((z) => [z, cidrOf(z, true), cidrOf(z, false)])),
    ].join("\n\n"),
  };
};

// --- cluster

const clusterSection: SummarySectionBuilder = ({ run }) => {
  const cluster = ofType(run, EKS_CLUSTER)[0];
  if (!cluster) return undefined;
  const i = cluster.inputs as {
    version?: string;
    endpointPublicAccess?: boolean;
    endpointPrivateAccess?: boolean;
    publicAccessCidrs?: string[];
    upgradePolicy?: { supportType?: string };
    enabledClusterLogTypes?: string[];
  };
  // EKS's default when unset: a public endpoint open to every address
  // (https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html).
  const cidrs = i.publicAccessCidrs ?? ["0.0.0.0/0"];
  const open = cidrs.includes("0.0.0.0/0");
  const endpoint =
    i.endpointPublicAccess === false
      ? "public endpoint off"
      : `public endpoint reachable from ${cidrs.map((c) => `\`${c}\``).join(", ")}${open ? " (**the whole internet**; callers still need IAM credentials the cluster accepts)" : ""}`;
  const addons = ofType(run, "aws:eks/addon:Addon")
    .map((a) => [String(a.inputs.addonName), a.inputs.addonVersion ? String(a.inputs.addonVersion) : "(EKS default)"])
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return {
    title: "Cluster",
    body: [
      `Kubernetes \`${i.version ?? "?"}\` (${i.upgradePolicy?.supportType ?? "EKS default"} support); API: ${endpoint}; private endpoint ${i.endpointPrivateAccess === true ? "on" : "off"}; control-plane logs: ${(i.enabledClusterLogTypes ?? []).join(", ") || "none"}.`,
      addons.length > 0 ? table(["add-on", "version"], addons) : "No managed add-ons.",
    ].join("\n\n"),
  };
};

// --- node groups

interface NodeGroupOutput {
  instanceTypes: string[];
  maxPods: number;
  kubeReservedMemory: string;
}

interface NodeGroupFacts {
  readonly name: string;
  readonly instanceTypes: string[];
  readonly capacityType: string;
  readonly scaling: { minSize?: number; desiredSize?: number; maxSize?: number };
  readonly image: string;
  readonly output?: NodeGroupOutput;
}

/**
 * Where a node group's image comes from: the launch template's imageId when there is one, else the
 * group's amiType and releaseVersion; "(not pinned)" when neither says (EKS then picks the newest image
 * at creation).
 */
function nodeImageSource(run: ProgramRun, group: RecordedResource): string {
  const byUrn = new Map(run.resources.map((r) => [r.urn, r]));
  const template = group.dependencies.map((urn) => byUrn.get(urn)).find((r) => r?.type === LAUNCH_TEMPLATE);
  const imageId = template?.inputs.imageId;
  if (typeof imageId === "string" && imageId !== "") return `\`${imageId}\` (launch template \`${template?.name}\`)`;
  const amiType = group.inputs.amiType;
  const releaseVersion = group.inputs.releaseVersion;
  if (amiType || releaseVersion) return `${String(amiType ?? "(AMI type: EKS default)")} ${releaseVersion ? `\`${String(releaseVersion)}\`` : "(release not pinned)"}`;
  return "(not pinned)";
}

function nodeGroups(run: ProgramRun): NodeGroupFacts[] {
  const outputs = (run.outputs.nodeGroups ?? {}) as Record<string, NodeGroupOutput>;
  return ofType(run, NODE_GROUP).map((g) => {
    const name = String(g.inputs.nodeGroupNamePrefix ?? g.inputs.nodeGroupName ?? g.name).replace(/-$/, "");
    return {
      name,
      instanceTypes: (g.inputs.instanceTypes as string[] | undefined) ?? [],
      capacityType: String(g.inputs.capacityType ?? "ON_DEMAND"),
      scaling: (g.inputs.scalingConfig ?? {}) as NodeGroupFacts["scaling"],
      image: nodeImageSource(run, g),
      output: outputs[name],
    };
  });
}

const nodeGroupsSection: SummarySectionBuilder = ({ run }) => ({
  title: "Node groups",
  body: table(
    ["node group", "instance types", "max pods", "kube-reserved memory", "capacity", "nodes (min / desired / max)", "image"],
    nodeGroups(run).map((g) => [
      g.name,
      g.instanceTypes.join(", "),
      String(g.output?.maxPods ?? "?"),
      g.output?.kubeReservedMemory ?? "?",
      g.capacityType,
      `${g.scaling.minSize ?? "?"} / ${g.scaling.desiredSize ?? "?"} / ${g.scaling.maxSize ?? "?"}`,
      g.image,
    ]),
  ),
});

// --- bill of materials

/**
 * What AWS charges for by the hour (or prorated hourly), counted from the graph: the EKS control plane
 * (https://aws.amazon.com/eks/pricing/), NAT gateways and public IPv4 addresses
 * (https://aws.amazon.com/vpc/pricing/), load balancers (https://aws.amazon.com/elasticloadbalancing/pricing/),
 * instances, KMS keys (https://aws.amazon.com/kms/pricing/). Counts only: prices change and differ by region.
 */
const billSection: SummarySectionBuilder = ({ run }) => {
  const clusters = ofType(run, EKS_CLUSTER).length + ofType(run, "aws:eks/cluster:Cluster").length;
  const support = String((ofType(run, EKS_CLUSTER)[0]?.inputs.upgradePolicy as { supportType?: string } | undefined)?.supportType ?? "EKS default");
  const nats = ofType(run, "aws:ec2/natGateway:NatGateway").length;
  const eips = ofType(run, "aws:ec2/eip:Eip").length;
  const kmsKeyNames = ofType(run, "aws:kms/key:Key").map((k) => `\`${k.name}\``);
  const kmsKeys = kmsKeyNames.length;
  const zones = new Set(subnets(run).filter((s) => s.public).map((s) => s.zone)).size;
  // One load balancer per Service, per Ingress group, per ungrouped Ingress.
  const lbs = [...new Map(loadBalancers(run).map((row) => [row.key, row])).values()];
  const lbKind = (row: LoadBalancerRow) => (row.kind.startsWith("ALB") ? "ALB" : row.kind);
  const lbCounts = countBy(lbs, (row) => `${lbKind(row)} ${row.scheme}`);
  const internetFacing = lbs.filter((row) => row.scheme === "internet-facing").length;
  const groups = nodeGroups(run);
  const nodeRows = groups.map((g) => [
    `Nodes: ${g.instanceTypes.join(" or ")} (${g.capacityType})`,
    String(g.scaling.desiredSize ?? "?"),
    `node group ${g.name}; scales from ${g.scaling.minSize ?? "?"} to ${g.scaling.maxSize ?? "?"}`,
  ]);
  const publicIps = eips + internetFacing * zones;
  return {
    title: "Bill of materials",
    body: [
      "What AWS charges for by the hour once deployed, counted from the resource graph (counts only; prices: the AWS pricing pages).",
      table(
        ["item", "count", "detail"],
        [
          ["EKS control plane", String(clusters), `${support} support (extended support costs more per hour)`],
          ["NAT gateways", String(nats), "plus per-GB data processing"],
          ...[...lbCounts.entries()].map(([kind, n]) => [`Load balancers: ${kind}`, String(n), "created by the load balancer controller, plus capacity units"]),
          ...nodeRows,
          ["KMS keys", String(kmsKeys), kmsKeys === 0 ? "none created by the stack" : `customer managed: ${kmsKeyNames.join(", ")}`],
          [
            "Public IPv4 addresses",
            `${publicIps}+`,
            `${eips} Elastic IP${eips === 1 ? "" : "s"} (NAT) + ${internetFacing} internet-facing load balancer${internetFacing === 1 ? "" : "s"} × ${zones} zones (an ALB may add addresses as it scales)`,
          ],
        ],
      ),
      "Not counted: charges by volume or request (EBS root volumes, data transfer, CloudWatch logs, Route 53 queries).",
    ].join("\n\n"),
  };
};

// --- load balancers, URLs

const loadBalancersSection: SummarySectionBuilder = ({ run }) => {
  const rows = loadBalancers(run);
  return {
    title: "Load balancers",
    body:
      rows.length === 0
        ? "None."
        : table(["object", "kind", "scheme", "target type", "hostnames"], rows.map((r) => [r.object, r.kind, r.scheme, r.targetType, r.hostnames])),
  };
};

const urlsSection: SummarySectionBuilder = ({ run }) => {
  const urls = (run.outputs.urls ?? {}) as Record<string, string>;
  return { title: "App URLs", body: Object.keys(urls).length === 0 ? "None." : table(["app", "URL"], Object.entries(urls)) };
};

// --- images

/** An image reference's repository, tag and digest: `[registry/]repository[:tag][@digest]`. */
export function parseImage(image: string): { repository: string; tag?: string; digest?: string } {
  const [name, digest] = image.split("@");
  const colon = name.lastIndexOf(":");
  const tag = colon > name.lastIndexOf("/") ? name.slice(colon + 1) : undefined;
  return { repository: tag === undefined ? name : name.slice(0, colon), tag, digest };
}

/** Why an image is not pinned, or undefined when it is (a tag other than latest, or a digest). */
export function unpinnedReason(image: string): string | undefined {
  const { tag, digest } = parseImage(image);
  if (digest) return undefined;
  if (tag === undefined) return "UNPINNED: no tag (pulls latest)";
  if (tag === "latest") return "UNPINNED: latest";
  return undefined;
}

interface PodSpecLike {
  containers?: Array<{ name?: string; image?: string }>;
  initContainers?: Array<{ name?: string; image?: string }>;
}

/** The pod template of a workload object, if it has one. */
function podSpec(object: KubeObject): PodSpecLike | undefined {
  const spec = object.spec as { template?: { spec?: PodSpecLike }; jobTemplate?: { spec?: { template?: { spec?: PodSpecLike } } } } | undefined;
  return spec?.template?.spec ?? spec?.jobTemplate?.spec?.template?.spec;
}

const WORKLOAD_KINDS = new Set(["Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "ReplicaSet", "Pod"]);

const imagesSection: SummarySectionBuilder = ({ run, charts }) => {
  const workloads: Array<{ object: KubeObject; origin: string }> = [
    ...run.resources.filter((r) => r.custom && r.type.startsWith("kubernetes:") && r.type !== HELM_RELEASE).map((r) => ({ object: r.inputs, origin: "program" })),
    ...("expanded" in charts ? charts.expanded.flatMap((e) => e.objects.map(({ object }) => ({ object, origin: `release ${e.release}` }))) : []),
  ].filter(({ object }) => WORKLOAD_KINDS.has(String(object.kind)) || (object.kind === undefined && podSpec(object)));
  const rows: string[][] = [];
  for (const { object, origin } of workloads) {
    const spec = object.kind === "Pod" ? (object.spec as PodSpecLike) : podSpec(object);
    const meta = metaOf(object);
    for (const c of [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])]) {
      const image = String(c.image ?? "");
      const { repository, tag, digest } = parseImage(image);
      rows.push([`${String(object.kind)} ${meta.namespace ?? "?"}/${meta.name ?? "?"}`, origin, String(c.name ?? ""), `\`${repository}\``, digest ? `\`${digest}\`` : tag ? `\`${tag}\`` : "(none)", unpinnedReason(image) ?? "pinned"]);
    }
  }
  rows.sort((a, b) => (a.join("|") < b.join("|") ? -1 : 1));
  const unpinned = rows.filter((r) => r[5] !== "pinned").length;
  return {
    title: "Images",
    body: [
      rows.length === 0 ? "None." : table(["workload", "from", "container", "image", "tag or digest", "pinned"], rows),
      ...(unpinned > 0 ? [`${unpinned} container${unpinned === 1 ? "" : "s"} run an unpinned image: what runs can change without a change here.`] : []),
      ...("notExpanded" in charts ? ["Images of the Helm charts are not listed: the charts were not expanded."] : []),
    ].join("\n\n"),
  };
};

// --- helm releases

const helmSection: SummarySectionBuilder = ({ run, charts }) => {
  const releases = ofType(run, HELM_RELEASE);
  if (releases.length === 0) return undefined;
  const crdGroups = ofType(run, CONFIG_GROUP).map((g) => [g.name, String(configGroupObjects(g).length), countsText(countBy(configGroupObjects(g), (o) => String(o.kind)))]);
  const crdText =
    crdGroups.length > 0
      ? [
          "CRDs the program applies from the chart archives before each release (Helm installs a chart's CRDs once and never upgrades them):",
          table(["ConfigGroup", "objects", "by kind"], crdGroups),
        ]
      : [];
  if ("notExpanded" in charts) {
    return {
      title: "Helm releases",
      body: [
        `Helm charts not expanded: ${charts.notExpanded}. Each release is written as its chart, version and values.`,
        table(["release", "chart", "version"], releases.map((r) => [`${String(r.inputs.namespace)}/${String(r.inputs.name ?? r.name)}`, `\`${String(r.inputs.chart)}\``, String(r.inputs.version)])),
        ...crdText,
      ].join("\n\n"),
    };
  }
  return {
    title: "Helm releases",
    body: [
      `Expanded with \`helm template\` (helm ${HELM_VERSION}), with the values the program passes; each object's file names its release and template.`,
      table(
        ["release", "chart", "version", "archive", "objects", "by kind"],
        charts.expanded.map((e) => [e.release, e.chart, e.version, `\`${e.archive}\``, String(e.objects.length), countsText(countBy(e.objects, (o) => String(o.object.kind)))]),
      ),
      ...(charts.expanded.some((e) => e.maskedPem > 0)
        ? ["Certificates and keys a chart generates at install (new on every render) are written as a fixed placeholder."]
        : []),
      ...crdText,
    ].join("\n\n"),
  };
};

// --- notes, counts

const notesSection: SummarySectionBuilder = ({ run }) => {
  const notes = run.outputs.notes as string[] | undefined;
  return notes && notes.length > 0 ? { title: "Notes", body: notes.map((n) => `- ${n}`).join("\n") } : undefined;
};

const resourcesSection: SummarySectionBuilder = ({ run }) => ({
  title: "Resources by type",
  body: table(["type", "count"], [...countBy(run.resources, (r) => r.type).entries()].map(([type, n]) => [`\`${type}\``, String(n)])),
});

// --- deploy time, guard rails, the lab

const criticalPathSection: SummarySectionBuilder = ({ run }) => ({ title: "Modelled critical path", body: criticalPathText(run) });

/** Secrets encryption, control-plane logs, node metadata, and the NetworkPolicies per namespace. */
const guardRailsSection: SummarySectionBuilder = ({ run }) => {
  const [cluster] = ofType(run, EKS_CLUSTER);
  const key = cluster?.inputs.encryptionConfigKeyArn;
  const keys = ofType(run, "aws:kms/key:Key");
  const logGroups = ofType(run, "aws:cloudwatch/logGroup:LogGroup");
  const waitsForLogs = cluster !== undefined && logGroups.every((g) => cluster.dependencies.includes(g.urn));
  const cni = ofType(run, "aws:eks/addon:Addon").find((a) => a.inputs.addonName === "vpc-cni");
  const networkPolicy = cni ? (JSON.parse(String(cni.inputs.configurationValues ?? "{}")) as { enableNetworkPolicy?: string }).enableNetworkPolicy : undefined;
  const templates = ofType(run, LAUNCH_TEMPLATE).map((t) => {
    const m = (t.inputs.metadataOptions ?? {}) as { httpTokens?: string; httpPutResponseHopLimit?: number };
    const ebs = ((t.inputs.blockDeviceMappings as Array<{ ebs?: { volumeType?: string; encrypted?: string } }> | undefined) ?? [])[0]?.ebs;
    return `\`${t.name}\`: IMDS tokens ${m.httpTokens ?? "optional"}, hop limit ${m.httpPutResponseHopLimit ?? "default"}; root volume ${ebs?.volumeType ?? "default"}, ${ebs?.encrypted === "true" ? "encrypted" : "NOT encrypted"}`;
  });
  const policies = ofType(run, "kubernetes:networking.k8s.io/v1:NetworkPolicy").map((p) => metaOf(p.inputs));
  const byNamespace = [...countBy(policies, (m) => String(m.namespace)).keys()].sort().map((ns) => [
    ns,
    policies.filter((m) => m.namespace === ns).map((m) => `\`${m.name}\``).join(", "),
  ]);
  return {
    title: "Guard rails",
    body: [
      `Kubernetes secrets: ${key ? `envelope-encrypted with ${keys.map((k) => `\`${k.name}\` (rotation ${k.inputs.enableKeyRotation === true ? "on" : "off"})`).join(", ")}` : "NOT encrypted with a key of ours"}.`,
      `Control-plane logs: ${logGroups.map((g) => `\`${String(g.inputs.name)}\`, kept ${String(g.inputs.retentionInDays)} days`).join("; ") || "no log group of ours (EKS keeps them forever)"}; ${waitsForLogs ? "created before the cluster" : "NOT before the cluster"}.`,
      `Nodes: ${templates.join("; ") || "no launch template of ours"}.`,
      `NetworkPolicies (VPC CNI network policy agent ${networkPolicy === "true" ? "on" : "OFF"}):`,
      byNamespace.length > 0 ? table(["namespace", "policies"], byNamespace) : "None.",
    ].join("\n\n"),
  };
};

/** kube-proxy's mode and the service-networking lab's objects. */
const labSection: SummarySectionBuilder = ({ run }) => {
  const kubeProxy = ofType(run, "aws:eks/addon:Addon").find((a) => a.inputs.addonName === "kube-proxy");
  const values = kubeProxy?.inputs.configurationValues;
  const mode = values ? `\`${String(values)}\`` : "iptables (the add-on's default configuration)";
  const lab = run.resources.filter((r) => r.urn.includes("eks-platform:lab:NetworkLab$") && r.custom).map((r) => {
    const m = metaOf(r.inputs);
    const spec = (r.inputs.spec ?? {}) as { type?: string; clusterIP?: string; externalName?: string; replicas?: number; ports?: Array<{ nodePort?: number }> };
    const image = podSpec(r.inputs)?.containers?.[0]?.image;
    const detail =
      spec.clusterIP === "None"
        ? "headless"
        : spec.type === "ExternalName"
          ? `ExternalName → ${String(spec.externalName)}`
          : spec.type === "NodePort"
            ? `NodePort ${spec.ports?.map((p) => p.nodePort).join(", ")}`
            : image
              ? `${spec.replicas ?? "?"} × \`${image}\``
              : "";
    return [`${r.type.split(":").pop() ?? r.type} ${m.namespace ?? "_cluster"}/${m.name ?? r.name}`, detail];
  });
  return {
    title: "kube-proxy and the service-networking lab",
    body: [`kube-proxy mode: ${mode}.`, lab.length > 0 ? table(["object", "detail"], lab) : "The lab is off (`networkLab`)."].join("\n\n"),
  };
};

/** summary.md's sections, in order. */
export const SUMMARY_SECTIONS: readonly SummarySectionBuilder[] = [
  networkSection,
  clusterSection,
  nodeGroupsSection,
  criticalPathSection,
  billSection,
  loadBalancersSection,
  urlsSection,
  imagesSection,
  helmSection,
  guardRailsSection,
  labSection,
  notesSection,
  resourcesSection,
];

/** summary.md: deterministic, so two renders of the same tree are byte-identical. */
export function summary(ctx: SummaryContext, sections: readonly SummarySectionBuilder[] = SUMMARY_SECTIONS): string {
  const overrides = Object.entries(ctx.options.config).map(([k, v]) => `\`${k}=${v}\``);
  const helm =
    "notExpanded" in ctx.charts
      ? `Helm charts not expanded: ${ctx.charts.notExpanded}.`
      : `Helm charts expanded (${ctx.charts.expanded.reduce((n, e) => n + e.objects.length, 0)} objects from ${plural(ctx.charts.expanded.length, "release")}).`;
  const parts = [
    `# Render of stack \`${ctx.options.stack}\``,
    `Cluster \`${String(ctx.run.outputs.clusterName)}\`, ${ctx.run.resources.length} resources` +
      (overrides.length > 0 ? `, with ${overrides.join(", ")}` : "") +
      `. Cloud-computed values (ids, ARNs, hostnames) are placeholders. ${helm}`,
  ];
  for (const build of sections) {
    const section = build(ctx);
    if (section) parts.push(`## ${section.title}`, section.body);
  }
  return `${parts.join("\n\n")}\n`;
}

/** Every file of a render, relative to the output folder. */
export function renderFiles(run: ProgramRun, options: RenderOptions, charts: ChartExpansion): Map<string, string> {
  const files = new Map<string, string>();
  files.set("resources.json", `${JSON.stringify(run.resources, null, 2)}\n`);
  for (const [file, text] of manifestFiles(run, charts)) files.set(path.join("manifests", file), text);
  files.set("summary.md", summary({ run, options, charts, config: stackConfig(options.stack, options.config) }));
  return files;
}

function writeFiles(outDir: string, files: Map<string, string>): void {
  // Start from an empty folder, so nothing from an earlier render lingers.
  fs.rmSync(outDir, { recursive: true, force: true });
  for (const [file, text] of files) {
    const target = path.join(outDir, file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, text);
  }
}

// ------------------------------------------------------------------ main

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/**
 * Runs a render; returns the exit code. Output goes to `out` relative to the project root. `helm` finds
 * the helm binary (default: the pinned one); a test passes one that cannot run.
 */
export async function render(
  argv: readonly string[],
  stderr: (line: string) => void,
  stdout: (line: string) => void,
  helm: HelmLocator = pinnedHelm,
): Promise<number> {
  let options: RenderOptions;
  try {
    options = parseRenderArgs(argv);
  } catch (error) {
    stderr(`render: ${error instanceof Error ? error.message : String(error)}`);
    stderr(USAGE);
    return 2;
  }
  const started = process.hrtime.bigint();
  let run: ProgramRun;
  try {
    run = await runProgram({ stack: options.stack, config: options.config, fresh: true });
  } catch (error) {
    const cause = error instanceof ProgramError ? error.error : error;
    if (cause instanceof ConfigError) {
      cause.problems.forEach((p) => stderr(p));
      return 2;
    }
    const missing = error instanceof ProgramError ? error.missingFixtures : cause instanceof MissingFixtureError ? [cause.message] : [];
    if (missing.length > 0) {
      [...new Set(missing)].forEach((m) => stderr(`render: ${m}`));
      return 2;
    }
    throw cause;
  }
  const charts = await expandReleases(run, helm);
  const outDir = path.resolve(PROJECT_ROOT, options.out);
  const files = renderFiles(run, options, charts);
  writeFiles(outDir, files);
  const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
  const manifests = [...files.keys()].filter((f) => f.startsWith(`manifests${path.sep}`)).length;
  const helmLine =
    "notExpanded" in charts
      ? `Helm charts not expanded: ${charts.notExpanded}`
      : `${charts.expanded.reduce((n, e) => n + e.objects.length, 0)} objects from ${plural(charts.expanded.length, "Helm release")}, expanded in ${seconds(charts.durationMs)}`;
  stdout(`rendered ${run.resources.length} resources, ${manifests} manifests (${helmLine}) to ${path.relative(process.cwd(), outDir) || "."} in ${seconds(durationMs)}`);
  return 0;
}

if (require.main === module) {
  render(process.argv.slice(2), (l) => process.stderr.write(`${l}\n`), (l) => process.stdout.write(`${l}\n`)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`render failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
