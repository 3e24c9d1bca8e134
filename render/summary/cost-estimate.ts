/**
 * The monthly cost estimate: what AWS charges by the hour or month for what the program declares, priced from
 * data/aws/prices.json at 730 hours a month. Pure: from a resource graph (a run, or an earlier render's
 * resources.json), the region and the day, so the rehearsal prices both sides of a change the same way.
 * Each line is a range (the floor the stack runs at, the most its declared limits allow); a price the data
 * lacks makes its line unknown, counted, never guessed. Charges by volume (data processed, capacity units,
 * requests, log volume) are listed with their unit price, not estimated: the program declares no volume.
 */
import { supportPhase } from "../../components/cluster/eks-versions";
import { AWS, KUBERNETES, PULUMI_EKS } from "../../components/resource-types";
import {
  HOURS_PER_MONTH,
  isKnown,
  type KnownPrice,
  type Price,
  type PriceName,
  type PricesFile,
  type RegionPrices,
  readPrices,
} from "../../data/aws/prices";
import { offlineInstanceType } from "../../data/instance-types";
import { ofType, type RecordedResource, type ResourceGraph } from "../harness";
import { karpenterPools } from "./karpenter";
import { loadBalancers } from "./load-balancers";
import { subnets } from "./network";

/** One thing the stack pays for: its monthly cost as a range, in USD; null where a price is unknown. */
export interface CostLine {
  readonly item: string;
  /** How many, as declared (e.g. "3 × m7i.large, up to 6"). */
  readonly quantity: string;
  /** The unit prices used, e.g. "$0.1239/hour". */
  readonly unitPrice: string;
  readonly low: number | null;
  readonly high: number | null;
  /** What the range means, and why a side is unknown. */
  readonly detail: string;
}

export interface CostEstimate {
  readonly region: string;
  readonly lines: readonly CostLine[];
  /** The sums of the lines' known sides. */
  readonly low: number;
  readonly high: number;
  /** Lines with a side unknown: the total leaves them out. */
  readonly unknownLines: number;
  /** Charges by volume the program does not declare, with their unit price where known. */
  readonly notEstimated: readonly string[];
}

export interface CostInput extends ResourceGraph {
  /** The AWS provider's region (run.identity.region). */
  readonly region: string | undefined;
  /** The day the estimate is for (YYYY-MM-DD): it decides the EKS support tier. */
  readonly date: string;
}

// ------------------------------------------------------------------ formatting

/** "$1,234.56"; negative amounts with the minus sign. */
export function dollars(usd: number, decimals = 2): string {
  const text = Math.abs(usd).toLocaleString("en-US", {
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals,
  });
  return `${usd < 0 ? "−" : ""}$${text}`;
}

/** A price as it is written, with at least cents: "$0.059", "$0.10", "$1.00". */
export function priceText(usd: number): string {
  const decimals = String(usd).split(".")[1]?.length ?? 0;
  return `$${usd.toFixed(Math.max(2, decimals))}`;
}

/** A unit price as it is billed: "$0.059/hour", "$1.00/month". */
export function unitPriceText(p: Price): string {
  return isKnown(p) ? `${priceText(p.usd)}/${p.unit}` : `unknown/${p.unit}`;
}

/** A line's range: "$86.14", "$0.00 to $264.17", "$0.00 to unknown". */
export function rangeText(low: number | null, high: number | null): string {
  const side = (v: number | null) => (v === null ? "unknown" : dollars(v));
  if (low === null && high === null) return "unknown";
  return low !== null && high !== null && Math.abs(high - low) < 0.005 ? side(low) : `${side(low)} to ${side(high)}`;
}

const plural = (n: number, noun: string, many = `${noun}s`) => `${n} ${n === 1 ? noun : many}`;
const round2 = (usd: number) => Math.round(usd * 100) / 100;

// ------------------------------------------------------------------ the prices of a region

const MISSING_REGION = (region: string | undefined): Price => ({
  usd: null,
  unit: "hour",
  reason: `no prices recorded for ${region ?? "the stack's region"} (data/aws/prices.json; npm run refresh:prices)`,
});

function pricesOf(file: PricesFile, region: string | undefined): RegionPrices | undefined {
  return region === undefined ? undefined : file.regions[region];
}

/** The monthly cost of `count` of a thing billed per `price`'s unit (hours at 730 a month). */
function monthly(count: number, p: KnownPrice): number {
  return p.unit === "hour" ? count * p.usd * HOURS_PER_MONTH : count * p.usd;
}

// ------------------------------------------------------------------ the lines

function controlPlaneLines(graph: ResourceGraph, prices: (n: PriceName) => Price, date: string): CostLine[] {
  const clusters = [...ofType(graph, PULUMI_EKS.cluster), ...ofType(graph, AWS.eksCluster)];
  return clusters.map((cluster) => {
    const version = String(cluster.inputs.version ?? "");
    // Without an upgrade policy EKS applies EXTENDED ("The default value is EXTENDED", UpgradePolicyRequest).
    const policy = (cluster.inputs.upgradePolicy as { supportType?: string } | undefined)?.supportType ?? "EXTENDED";
    const phase = supportPhase(version, date);
    // A cluster pays the extended price only while its version is in extended support; with the EXTENDED policy
    // alone it pays the standard one, and a STANDARD cluster is upgraded instead
    // (https://docs.aws.amazon.com/eks/latest/userguide/enable-extended-support.html).
    const extended = phase?.phase === "extended" && policy === "EXTENDED";
    const p = prices(extended ? "eksClusterExtended" : "eksCluster");
    const cost = isKnown(p) ? round2(monthly(1, p)) : null;
    const later = prices("eksClusterExtended");
    const detail =
      phase?.phase === "standard"
        ? policy === "EXTENDED"
          ? `Kubernetes ${version} in standard support until ${phase.until}; the EXTENDED policy then keeps it at ${isKnown(later) ? `${dollars(monthly(1, later))}/month` : "the extended price (unknown)"} unless upgraded`
          : `Kubernetes ${version} in standard support until ${phase.until}; EKS upgrades it then (STANDARD policy)`
        : phase?.phase === "extended"
          ? `Kubernetes ${version} in extended support until ${phase.until}${extended ? "" : " (STANDARD policy: EKS upgrades it, at the standard price)"}`
          : `Kubernetes ${version}: ${phase ? "past extended support, EKS upgrades it" : "not in the offline calendar"}; priced at the standard tier`;
    return {
      item: "EKS control plane",
      quantity: `1 cluster, ${extended ? "extended" : "standard"} support`,
      unitPrice: unitPriceText(p),
      low: cost,
      high: cost,
      detail: isKnown(p) ? detail : `${detail}; ${p.reason}`,
    };
  });
}

/** The launch template a managed node group uses, by its dependencies. */
function launchTemplateOf(graph: ResourceGraph, group: RecordedResource): RecordedResource | undefined {
  const byUrn = new Map(graph.resources.map((r) => [r.urn, r]));
  return group.dependencies.map((urn) => byUrn.get(urn)).find((r) => r?.type === AWS.launchTemplate);
}

interface RootVolume {
  readonly gib: number;
  readonly type: string;
}

function managedRootVolume(graph: ResourceGraph, group: RecordedResource): RootVolume | undefined {
  const ebs = ((launchTemplateOf(graph, group)?.inputs.blockDeviceMappings as
    | Array<{ ebs?: { volumeSize?: number; volumeType?: string } }>
    | undefined) ?? [])[0]?.ebs;
  const diskSize = group.inputs.diskSize;
  if (ebs?.volumeSize !== undefined) return { gib: Number(ebs.volumeSize), type: ebs.volumeType ?? "gp3" };
  return typeof diskSize === "number" ? { gib: diskSize, type: "gp2" } : undefined;
}

/** The EC2 prices of some instance types: each known, or the names of those without one. */
function ec2Prices(
  region: RegionPrices | undefined,
  types: readonly string[],
): { known: Map<string, KnownPrice>; missing: string[] } {
  const known = new Map<string, KnownPrice>();
  const missing: string[] = [];
  for (const type of types) {
    const p = region?.ec2Linux[type];
    if (p && isKnown(p)) known.set(type, p);
    else missing.push(type);
  }
  return { known, missing };
}

// Spot never costs more than on-demand: without a maximum price the default one is the On-Demand price
// (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/using-spot-instances.html), so on-demand bounds it.
const SPOT_NOTE = "spot priced at its ceiling, the on-demand price; its own price moves and is not recorded";

function managedNodeLines(graph: ResourceGraph, region: RegionPrices | undefined): CostLine[] {
  return ofType(graph, PULUMI_EKS.managedNodeGroup).map((group) => {
    const name = String(group.inputs.nodeGroupNamePrefix ?? group.inputs.nodeGroupName ?? group.name).replace(/-$/, "");
    const types = (group.inputs.instanceTypes as string[] | undefined) ?? [];
    const scaling = (group.inputs.scalingConfig ?? {}) as { minSize?: number; desiredSize?: number; maxSize?: number };
    const floor = scaling.desiredSize ?? scaling.minSize ?? 0;
    const most = scaling.maxSize ?? floor;
    const spot = String(group.inputs.capacityType ?? "ON_DEMAND") === "SPOT";
    const { known, missing } = ec2Prices(region, types);
    const hourly = [...known.values()].map((p) => p.usd);
    const priced = missing.length === 0 && hourly.length > 0;
    const quantity = `${floor} × ${types.join(" or ")}, up to ${most}`;
    const detail = [
      // Nothing in the stack scales the managed group: it runs its desired size; max bounds what a person sets.
      `node group ${name} at its desired size (${floor}), and at its maximum (${most})`,
      ...(spot ? [SPOT_NOTE] : []),
      ...(priced ? [] : [`no ${region ? "" : "region "}price for ${missing.join(", ") || "its types"}`]),
    ].join("; ");
    return {
      item: `Managed nodes (${name})`,
      quantity,
      unitPrice: types.map((t) => unitPriceText(known.get(t) ?? { usd: null, unit: "hour", reason: "" })).join(" or "),
      low: priced && !spot ? round2(floor * Math.min(...hourly) * HOURS_PER_MONTH) : null,
      high: priced ? round2(most * Math.max(...hourly) * HOURS_PER_MONTH) : null,
      detail,
    };
  });
}

interface PoolCeiling {
  readonly name: string;
  /** The most the pool's nodes can cost an hour within its limits, when every type it admits has a price. */
  readonly hourly: number | null;
  readonly priced: number;
  readonly admitted: number;
  /** The most the priced types alone would cost an hour within the limits. */
  readonly pricedHourly: number | null;
  readonly rootVolume: RootVolume | undefined;
  readonly mostNodes: number;
  readonly spot: boolean;
}

/**
 * A pool's ceiling: any mix of nodes within its limits costs at most the vCPU limit at the dearest price per
 * vCPU, and at most the memory limit at the dearest price per GiB; the lesser of the two bounds it.
 */
function poolCeilings(graph: ResourceGraph, region: RegionPrices | undefined): PoolCeiling[] {
  const classes = new Map(
    ofType(graph, KUBERNETES.ec2NodeClass).map((c) => [
      String((c.inputs.metadata as { name?: string } | undefined)?.name ?? ""),
      c.inputs.spec as { blockDeviceMappings?: Array<{ ebs?: { volumeSize?: string; volumeType?: string } }> },
    ]),
  );
  const classOf = new Map(
    ofType(graph, KUBERNETES.nodePool).map((p) => [
      String((p.inputs.metadata as { name?: string } | undefined)?.name ?? ""),
      String(
        (p.inputs.spec as { template?: { spec?: { nodeClassRef?: { name?: string } } } }).template?.spec?.nodeClassRef
          ?.name ?? "",
      ),
    ]),
  );
  return karpenterPools(graph).map((pool) => {
    const { known, missing } = ec2Prices(region, pool.instanceTypes);
    const bound = (types: Iterable<[string, KnownPrice]>): number | null => {
      let perVcpu = 0;
      let perGib = 0;
      let any = false;
      for (const [type, p] of types) {
        const facts = offlineInstanceType(type);
        if (!facts?.defaultVcpus || !facts.memorySize) return null;
        perVcpu = Math.max(perVcpu, p.usd / facts.defaultVcpus);
        perGib = Math.max(perGib, p.usd / (facts.memorySize / 1024));
        any = true;
      }
      return any ? Math.min(pool.limits.cpu * perVcpu, (pool.limits.memoryMiB / 1024) * perGib) : null;
    };
    const ebs = classes.get(classOf.get(pool.name) ?? "")?.blockDeviceMappings?.[0]?.ebs;
    const gib = ebs?.volumeSize ? Number(/^(\d+)Gi$/.exec(ebs.volumeSize)?.[1] ?? Number.NaN) : Number.NaN;
    return {
      name: pool.name,
      hourly: missing.length === 0 ? bound(known) : null,
      priced: known.size,
      admitted: pool.instanceTypes.length,
      pricedHourly: bound(known),
      rootVolume: Number.isFinite(gib) ? { gib, type: ebs?.volumeType ?? "gp3" } : undefined,
      mostNodes: pool.mostNodes,
      spot: pool.capacityTypes.includes("spot"),
    };
  });
}

function karpenterLine(pools: readonly PoolCeiling[], graph: ResourceGraph): CostLine | undefined {
  if (pools.length === 0) return undefined;
  const facts = karpenterPools(graph);
  const cpu = facts.reduce((n, p) => n + p.limits.cpu, 0);
  const gib = facts.reduce((n, p) => n + p.limits.memoryMiB, 0) / 1024;
  const known = pools.every((p) => p.hourly !== null);
  const high = known ? round2(pools.reduce((n, p) => n + (p.hourly ?? 0), 0) * HOURS_PER_MONTH) : null;
  const priced = pools.reduce((n, p) => n + p.priced, 0);
  const admitted = pools.reduce((n, p) => n + p.admitted, 0);
  const pricedOnly = pools.reduce((n, p) => n + (p.pricedHourly ?? 0), 0) * HOURS_PER_MONTH;
  const ceiling = known
    ? "at its ceiling, the NodePools' limits filled at the dearest price per vCPU or per GiB among their types"
    : `ceiling unknown: ${priced} of the ${plural(admitted, "type")} the NodePools admit have a recorded price${priced > 0 ? ` (filled with those alone, the limits would cost up to ${dollars(pricedOnly)}/month)` : ""}`;
  return {
    item: "Karpenter nodes",
    quantity: `0 to ${cpu} vCPUs / ${gib} GiB`,
    unitPrice: `${priced} of ${admitted} types priced`,
    low: 0,
    high,
    detail: [`none while nothing is pending; ${ceiling}`, ...(pools.some((p) => p.spot) ? [SPOT_NOTE] : [])].join("; "),
  };
}

function natLine(graph: ResourceGraph, prices: (n: PriceName) => Price): CostLine | undefined {
  const nats = ofType(graph, AWS.natGateway).length;
  if (nats === 0) return undefined;
  const p = prices("natGateway");
  const cost = isKnown(p) ? round2(monthly(nats, p)) : null;
  return {
    item: "NAT gateways",
    quantity: plural(nats, "gateway"),
    unitPrice: unitPriceText(p),
    low: cost,
    high: cost,
    detail: isKnown(p) ? "by the hour; data processed is billed per GB beside (below)" : p.reason,
  };
}

interface LoadBalancerCount {
  readonly albs: number;
  readonly nlbs: number;
  readonly internetFacing: number;
}

/** One load balancer per LoadBalancer Service, per Ingress group, per ungrouped Ingress (the controller's rule). */
function countLoadBalancers(graph: ResourceGraph): LoadBalancerCount {
  const unique = [...new Map(loadBalancers(graph).map((row) => [row.key, row])).values()];
  return {
    albs: unique.filter((r) => r.kind.startsWith("ALB")).length,
    nlbs: unique.filter((r) => r.kind === "NLB").length,
    internetFacing: unique.filter((r) => r.scheme === "internet-facing").length,
  };
}

function loadBalancerLines(count: LoadBalancerCount, prices: (n: PriceName) => Price): CostLine[] {
  const line = (n: number, what: string, name: PriceName): CostLine[] => {
    if (n === 0) return [];
    const p = prices(name);
    const cost = isKnown(p) ? round2(monthly(n, p)) : null;
    return [
      {
        item: `${what}s`,
        quantity: plural(n, "load balancer"),
        unitPrice: unitPriceText(p),
        low: cost,
        high: cost,
        detail: isKnown(p) ? "by the hour; capacity units are billed by use beside (below)" : p.reason,
      },
    ];
  };
  return [...line(count.albs, "Application Load Balancer", "alb"), ...line(count.nlbs, "Network Load Balancer", "nlb")];
}

function publicIpv4Line(graph: ResourceGraph, count: LoadBalancerCount, prices: (n: PriceName) => Price): CostLine {
  const eips = ofType(graph, AWS.eip).length;
  const zones = new Set(
    subnets(graph)
      .filter((s) => s.public)
      .map((s) => s.zone),
  ).size;
  // An internet-facing NLB gets one Elastic IP per subnet it is in
  // (https://docs.aws.amazon.com/elasticloadbalancing/latest/network/network-load-balancers.html); an ALB a node,
  // with a public address, per zone enabled, and more as it scales; the controller puts both in every public subnet.
  const addresses = eips + count.internetFacing * zones;
  const p = prices("publicIpv4");
  const cost = isKnown(p) ? round2(monthly(addresses, p)) : null;
  return {
    item: "Public IPv4 addresses",
    quantity: `${addresses}+`,
    unitPrice: unitPriceText(p),
    low: cost,
    high: cost,
    detail: `${plural(eips, "Elastic IP")} + ${plural(count.internetFacing, "internet-facing load balancer")} × ${plural(zones, "public zone")}; an ALB adds addresses as it scales${isKnown(p) ? "" : `; ${p.reason}`}`,
  };
}

function kmsLine(graph: ResourceGraph, prices: (n: PriceName) => Price): CostLine | undefined {
  const keys = ofType(graph, AWS.kmsKey).length;
  if (keys === 0) return undefined;
  const p = prices("kmsKey");
  const cost = isKnown(p) ? round2(monthly(keys, p)) : null;
  return {
    item: "KMS keys",
    quantity: plural(keys, "key"),
    unitPrice: unitPriceText(p),
    low: cost,
    high: cost,
    detail: isKnown(p)
      ? "customer managed keys; a yearly rotation adds a key version's price, for two rotations"
      : p.reason,
  };
}

function wafLine(graph: ResourceGraph, prices: (n: PriceName) => Price): CostLine | undefined {
  const acls = ofType(graph, AWS.wafv2WebAcl);
  if (acls.length === 0) return undefined;
  const rules = acls.reduce((n, acl) => n + ((acl.inputs.rules as unknown[] | undefined) ?? []).length, 0);
  const [acl, rule] = [prices("wafWebAcl"), prices("wafRule")];
  const cost = isKnown(acl) && isKnown(rule) ? round2(monthly(acls.length, acl) + monthly(rules, rule)) : null;
  return {
    item: "AWS WAF",
    quantity: `${plural(acls.length, "web ACL")}, ${plural(rules, "rule group")}`,
    unitPrice: `${unitPriceText(acl)} + ${unitPriceText(rule)} per rule group`,
    low: cost,
    high: cost,
    detail: `each rule group, managed or not, billed as one rule; requests are billed beside (below)${cost === null ? `; ${[acl, rule].flatMap((p) => (isKnown(p) ? [] : [p.reason])).join("; ")}` : ""}`,
  };
}

function rootVolumeLine(
  graph: ResourceGraph,
  pools: readonly PoolCeiling[],
  prices: (n: PriceName) => Price,
): CostLine | undefined {
  const groups = ofType(graph, PULUMI_EKS.managedNodeGroup).map((g) => {
    const scaling = (g.inputs.scalingConfig ?? {}) as { minSize?: number; desiredSize?: number; maxSize?: number };
    const floor = scaling.desiredSize ?? scaling.minSize ?? 0;
    return { volume: managedRootVolume(graph, g), floor, most: scaling.maxSize ?? floor };
  });
  if (groups.length === 0 && pools.length === 0) return undefined;
  const p = prices("ebsGp3");
  const volumes = [
    ...groups.map((g) => ({ volume: g.volume, low: g.floor, high: g.most })),
    ...pools.map((pool) => ({ volume: pool.rootVolume, low: 0, high: pool.mostNodes })),
  ];
  const unpriced = volumes.filter((v) => v.volume?.type !== "gp3");
  const gib = (side: "low" | "high") => volumes.reduce((n, v) => n + (v.volume?.gib ?? 0) * v[side], 0);
  const known = isKnown(p) && unpriced.length === 0;
  const sizes = [...new Set(volumes.map((v) => (v.volume ? `${v.volume.gib} GiB ${v.volume.type}` : "unknown size")))];
  return {
    item: "EBS root volumes",
    quantity: `${gib("low")} to ${gib("high")} GiB`,
    unitPrice: unitPriceText(p),
    low: known && isKnown(p) ? round2(gib("low") * p.usd) : null,
    high: known && isKnown(p) ? round2(gib("high") * p.usd) : null,
    detail: [
      `${sizes.join(", ")} per node: the managed nodes at desired and at maximum, Karpenter's from none to the most its limits allow`,
      ...(isKnown(p) ? [] : [p.reason]),
      ...(unpriced.length > 0 ? ["only gp3 is priced"] : []),
    ].join("; "),
  };
}

function logsLine(graph: ResourceGraph, prices: (n: PriceName) => Price): CostLine | undefined {
  const groups = ofType(graph, AWS.logGroup);
  if (groups.length === 0) return undefined;
  const retention = [...new Set(groups.map((g) => String(g.inputs.retentionInDays ?? "never expire")))];
  const [ingest, store] = [prices("logsIngestion"), prices("logsStorage")];
  return {
    item: "CloudWatch Logs",
    quantity: `${plural(groups.length, "log group")}, kept ${retention.join(" or ")} days`,
    unitPrice: `${unitPriceText(ingest)} ingested, ${unitPriceText(store)} stored`,
    low: null,
    high: null,
    detail: `billed by the GB ingested and stored: the program declares no volume${[ingest, store].some((p) => !isKnown(p)) ? "; no price for the region recorded" : ""}`,
  };
}

function notEstimated(prices: (n: PriceName) => Price, count: LoadBalancerCount, graph: ResourceGraph): string[] {
  const with_ = (what: string, name: PriceName) => `${what} (${unitPriceText(prices(name))})`;
  return [
    ...(ofType(graph, AWS.natGateway).length > 0 ? [with_("NAT gateway data processed", "natGatewayData")] : []),
    ...(count.albs > 0 ? [with_("ALB capacity units", "albLcu")] : []),
    ...(count.nlbs > 0 ? [with_("NLB capacity units", "nlbNlcu")] : []),
    ...(ofType(graph, AWS.wafv2WebAcl).length > 0 ? [with_("WAF requests", "wafRequests")] : []),
    "data transfer out and between zones, S3 storage of the access logs, KMS and Route 53 requests",
  ];
}

/** The estimate for a resource graph in a region on a day, from the given prices (default: the committed ones). */
export function estimateCost(input: CostInput, file: PricesFile = readPrices()): CostEstimate {
  const region = pricesOf(file, input.region);
  const prices = (name: PriceName): Price => region?.[name] ?? MISSING_REGION(input.region);
  const pools = poolCeilings(input, region);
  const count = countLoadBalancers(input);
  const lines: CostLine[] = [
    ...controlPlaneLines(input, prices, input.date),
    ...managedNodeLines(input, region),
    ...[karpenterLine(pools, input)].filter((l): l is CostLine => l !== undefined),
    ...[natLine(input, prices)].filter((l): l is CostLine => l !== undefined),
    ...loadBalancerLines(count, prices),
    publicIpv4Line(input, count, prices),
    ...[
      kmsLine(input, prices),
      wafLine(input, prices),
      rootVolumeLine(input, pools, prices),
      logsLine(input, prices),
    ].filter((l): l is CostLine => l !== undefined),
  ];
  const sum = (side: "low" | "high") => round2(lines.reduce((n, l) => n + (l[side] ?? 0), 0));
  return {
    region: input.region ?? "(unknown)",
    lines,
    low: sum("low"),
    high: sum("high"),
    unknownLines: lines.filter((l) => l.low === null || l.high === null).length,
    notEstimated: notEstimated(prices, count, input),
  };
}

/** "about $512–$778 per month (2 prices unknown)": the estimate in one phrase, whole dollars. */
export function estimateHeadline(estimate: CostEstimate): string {
  const range =
    Math.round(estimate.low) === Math.round(estimate.high)
      ? dollars(estimate.low, 0)
      : `${dollars(estimate.low, 0)}–${dollars(estimate.high, 0)}`;
  const unknown = estimate.unknownLines === 0 ? "" : ` (${plural(estimate.unknownLines, "price")} unknown)`;
  return `about ${range} per month${unknown}`;
}
