/**
 * From AWS Price List API answers to a region's prices (data/aws/prices.json): pure, so a recorded answer
 * always gives the same prices and the tests can hold the reading to AWS's documented shape.
 *
 * GetProducts answers `{ FormatVersion: "aws_v1", PriceList: string[], NextToken? }`, each PriceList item a JSON
 * document of one product and its terms
 * (https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_pricing_GetProducts.html), shaped as
 * the offer files' products and terms: `product.attributes` (usagetype, instanceType, ...) and
 * `terms.OnDemand.<sku>.<offerTermCode>.priceDimensions.<rateCode>.pricePerUnit.USD`
 * (https://docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/reading-service-price-list-file-for-services.html).
 * Which product is which price is the usage type each rule below names, with its source.
 */
import type { Filter, GetProductsRequest, GetProductsResponse } from "@aws-sdk/client-pricing";
import { z } from "zod";
import {
  isKnown,
  type KnownPrice,
  type Price,
  type PriceName,
  type PriceUnit,
  type RegionPrices,
} from "../data/aws/prices";

// ---------------------------------------------------------------- one PriceList item

const dimension = z.object({
  rateCode: z.string(),
  description: z.string(),
  unit: z.string(),
  beginRange: z.string().optional(),
  endRange: z.string().optional(),
  pricePerUnit: z.record(z.string(), z.string()),
});

const term = z.object({
  offerTermCode: z.string(),
  sku: z.string(),
  effectiveDate: z.string(),
  priceDimensions: z.record(z.string(), dimension),
});

/** The fields of a PriceList item the reading uses; AWS's other fields are let through unread. */
const priceListItem = z.object({
  product: z.object({
    sku: z.string(),
    productFamily: z.string().optional(),
    attributes: z.record(z.string(), z.string()),
  }),
  serviceCode: z.string(),
  terms: z.object({ OnDemand: z.record(z.string(), z.record(z.string(), term)).optional() }),
  version: z.string(),
  publicationDate: z.string(),
});

export type PriceListItem = z.infer<typeof priceListItem>;

/** One PriceList string, parsed; throws naming the field that is not what AWS documents. */
export function parsePriceListItem(text: string): PriceListItem {
  const parsed = priceListItem.safeParse(JSON.parse(text));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`a PriceList item: ${issue.path.join(".") || "(top)"}: ${issue.message}`);
  }
  return parsed.data;
}

/** An item's on-demand price: its one on-demand term's first tier (the tier from 0; later tiers are cheaper). */
export interface OnDemandPrice {
  readonly usd: number;
  readonly unit: string;
  readonly description: string;
  readonly sku: string;
  readonly rateCode: string;
  readonly effectiveDate: string;
  readonly version: string;
  readonly publicationDate: string;
}

export function onDemandPrice(item: PriceListItem): OnDemandPrice {
  const terms = Object.values(item.terms.OnDemand ?? {}).flatMap((bySku) => Object.values(bySku));
  if (terms.length !== 1) throw new Error(`SKU ${item.product.sku}: ${terms.length} on-demand terms, expected one`);
  const [onDemand] = terms;
  const dimensions = Object.values(onDemand.priceDimensions);
  const first = dimensions.find((d) => (d.beginRange ?? "0") === "0");
  const usd = Number(first?.pricePerUnit.USD);
  if (!first || !Number.isFinite(usd)) throw new Error(`SKU ${item.product.sku}: no USD price from 0`);
  return {
    usd,
    unit: first.unit,
    description: first.description,
    sku: onDemand.sku,
    rateCode: first.rateCode,
    effectiveDate: onDemand.effectiveDate,
    version: item.version,
    publicationDate: item.publicationDate,
  };
}

// ---------------------------------------------------------------- what is asked

/** One GetProducts question: a service's products in a region, narrowed by exact attribute values. */
export interface PriceQuery {
  readonly serviceCode: string;
  readonly filters: Readonly<Record<string, string>>;
}

/** The SDK's filters for a query: every attribute matched exactly, the region by its code. */
export function sdkFilters(query: PriceQuery, region: string): Filter[] {
  return Object.entries({ regionCode: region, ...query.filters }).map(([Field, Value]) => ({
    Type: "TERM_MATCH",
    Field,
    Value,
  }));
}

/** A usage type, with or without the region's prefix (APN2-NatGateway-Hours; NatGateway-Hours in us-east-1). */
const usageType = (suffix: string) => new RegExp(`^(?:[A-Z0-9]+-)?${suffix.replace(/[.:]/g, "\\$&")}$`);

interface PriceRule {
  readonly query: PriceQuery;
  /** The product among the answer's: by its usage type (and family, where two share one). */
  readonly usagetype: RegExp;
  readonly productFamily?: string;
  readonly unit: PriceUnit;
  /** Price List units the unit may come in, and what to multiply by to get the price per `unit`. */
  readonly units: Readonly<Record<string, number>>;
}

const EC2 = "AmazonEC2";
const ELB = "AWSELB";

/**
 * Each named price's product. Usage types as AWS bills them: EKS's and IPv4's as the offer files spell them
 * (APN2-AmazonEKS-Hours:perCluster, :extendedSupport; APN2-PublicIPv4:InUseAddress); the load balancers', NAT's,
 * EBS's, KMS's, WAF's and CloudWatch Logs' as infracost's pricing rules select them
 * (https://github.com/infracost/infracost/tree/367f1fe9c7e8601f5c1b31ba8ec696593569d71b/internal/resources/aws:
 * waf_web_acl.go, cloudwatch_log_group.go, lb.go, nat_gateway.go, ebs_volume.go, kms_key.go).
 */
export const PRICE_RULES: Readonly<Record<PriceName, PriceRule>> = {
  eksCluster: {
    query: { serviceCode: "AmazonEKS", filters: {} },
    usagetype: usageType("AmazonEKS-Hours:perCluster"),
    unit: "hour",
    units: { Hrs: 1, hours: 1 },
  },
  eksClusterExtended: {
    query: { serviceCode: "AmazonEKS", filters: {} },
    usagetype: usageType("AmazonEKS-Hours:extendedSupport"),
    unit: "hour",
    units: { Hrs: 1, hours: 1 },
  },
  natGateway: {
    query: { serviceCode: EC2, filters: { productFamily: "NAT Gateway" } },
    usagetype: usageType("NatGateway-Hours"),
    unit: "hour",
    units: { Hrs: 1 },
  },
  natGatewayData: {
    query: { serviceCode: EC2, filters: { productFamily: "NAT Gateway" } },
    usagetype: usageType("NatGateway-Bytes"),
    unit: "GB",
    units: { GB: 1 },
  },
  alb: {
    query: { serviceCode: ELB, filters: { productFamily: "Load Balancer-Application" } },
    usagetype: usageType("LoadBalancerUsage"),
    unit: "hour",
    units: { Hrs: 1 },
  },
  albLcu: {
    query: { serviceCode: ELB, filters: { productFamily: "Load Balancer-Application" } },
    usagetype: usageType("LCUUsage"),
    unit: "LCU-hour",
    units: { "LCU-Hrs": 1 },
  },
  nlb: {
    query: { serviceCode: ELB, filters: { productFamily: "Load Balancer-Network" } },
    usagetype: usageType("LoadBalancerUsage"),
    unit: "hour",
    units: { Hrs: 1 },
  },
  nlbNlcu: {
    query: { serviceCode: ELB, filters: { productFamily: "Load Balancer-Network" } },
    usagetype: usageType("LCUUsage"),
    unit: "NLCU-hour",
    units: { "LCU-Hrs": 1 },
  },
  publicIpv4: {
    query: { serviceCode: "AmazonVPC", filters: {} },
    usagetype: usageType("PublicIPv4:InUseAddress"),
    unit: "hour",
    units: { Hrs: 1 },
  },
  kmsKey: {
    query: { serviceCode: "awskms", filters: {} },
    usagetype: usageType("KMS-Keys"),
    unit: "month",
    units: { Keys: 1, Mo: 1 },
  },
  wafWebAcl: {
    query: { serviceCode: "awswaf", filters: {} },
    usagetype: usageType("WebACL"),
    unit: "month",
    units: { WebACL: 1, "WebACL-Mo": 1, Mo: 1 },
  },
  wafRule: {
    query: { serviceCode: "awswaf", filters: {} },
    usagetype: usageType("Rule"),
    unit: "month",
    units: { Rule: 1, "Rule-Mo": 1, Mo: 1 },
  },
  wafRequests: {
    query: { serviceCode: "awswaf", filters: {} },
    usagetype: usageType("Request"),
    unit: "million requests",
    // The Price List prices a request; the data holds the price of a million.
    units: { Request: 1e6, Requests: 1e6 },
  },
  ebsGp3: {
    query: { serviceCode: EC2, filters: { productFamily: "Storage", volumeApiName: "gp3" } },
    usagetype: usageType("EBS:VolumeUsage.gp3"),
    unit: "GB-month",
    units: { "GB-Mo": 1 },
  },
  logsIngestion: {
    query: { serviceCode: "AmazonCloudWatch", filters: { productFamily: "Data Payload" } },
    usagetype: usageType("DataProcessing-Bytes"),
    unit: "GB",
    units: { GB: 1 },
  },
  logsStorage: {
    query: { serviceCode: "AmazonCloudWatch", filters: { productFamily: "Storage Snapshot" } },
    usagetype: usageType("TimedStorage-ByteHrs"),
    unit: "GB-month",
    units: { "GB-Mo": 1 },
  },
};

/**
 * EC2 on-demand Linux: shared tenancy, no pre-installed software, capacity used (not a reservation's unused
 * capacity), license included, plain RunInstances (the filters AWS's own GetProducts example for EC2 uses:
 * https://docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/using-the-aws-price-list-query-api.html).
 */
export const EC2_LINUX_QUERY: PriceQuery = {
  serviceCode: EC2,
  filters: {
    productFamily: "Compute Instance",
    operatingSystem: "Linux",
    tenancy: "Shared",
    preInstalledSw: "NA",
    capacitystatus: "Used",
    licenseModel: "No License required",
    operation: "RunInstances",
  },
};

/** The distinct queries the rules need (one GetProducts, paginated, each). */
export function priceQueries(): PriceQuery[] {
  const all = [...Object.values(PRICE_RULES).map((r) => r.query), EC2_LINUX_QUERY];
  return [...new Map(all.map((q) => [queryKey(q), q])).values()];
}

export function queryKey(q: PriceQuery): string {
  return `${q.serviceCode} ${JSON.stringify(Object.entries(q.filters).sort())}`;
}

// ---------------------------------------------------------------- from answers to prices

/** What each query answered: its PriceList items, every page's, as strings. */
export type PriceAnswers = ReadonlyMap<string, readonly string[]>;

function describe(query: PriceQuery, region: string, found: OnDemandPrice): string {
  const filters = Object.entries({ regionCode: region, ...query.filters })
    .map(([k, v]) => `${k}=${v}`)
    .join(", ");
  return `AWS Price List API GetProducts (ServiceCode ${query.serviceCode}; ${filters}): SKU ${found.sku}, rate code ${found.rateCode}, '${found.description}', effective ${found.effectiveDate.slice(0, 10)}, offer version ${found.version} published ${found.publicationDate}`;
}

/** A product's price in the data's unit; a unit the rule does not know makes it unknown, saying which. */
function fromItem(
  query: PriceQuery,
  region: string,
  on: string,
  unit: PriceUnit,
  units: Readonly<Record<string, number>>,
  item: PriceListItem,
): Price {
  const found = onDemandPrice(item);
  const factor = units[found.unit];
  if (factor === undefined)
    return {
      usd: null,
      unit,
      reason: `SKU ${found.sku} is priced per ${found.unit}, not a unit this refresh reads (${Object.keys(units).join(", ")}): refresh/prices.ts PRICE_RULES`,
    };
  const price: KnownPrice = {
    usd: Number((found.usd * factor).toPrecision(12)),
    unit,
    source: describe(query, region, found),
    read: on,
  };
  return price;
}

/** The one item of an answer a rule selects: none gives an unknown price with the reason; two are an error. */
function select(
  name: string,
  items: readonly PriceListItem[],
  match: (item: PriceListItem) => boolean,
): PriceListItem | undefined {
  const found = items.filter(match);
  if (found.length > 1)
    throw new Error(
      `${name}: ${found.length} products match (${found.map((i) => i.product.sku).join(", ")}), expected one`,
    );
  return found[0];
}

/**
 * A region's prices from the answers: each named price, and the on-demand Linux price of every instance type
 * asked for. A product the answers lack is unknown, with the reason; two that match one price stop the refresh.
 */
export function regionPricesFromAnswers(
  region: string,
  answers: PriceAnswers,
  instanceTypes: readonly string[],
  on: string,
): RegionPrices {
  const parsed = new Map([...answers].map(([key, texts]) => [key, texts.map(parsePriceListItem)]));
  const itemsOf = (q: PriceQuery) => parsed.get(queryKey(q)) ?? [];
  const named = Object.fromEntries(
    (Object.keys(PRICE_RULES) as PriceName[]).map((name): [PriceName, Price] => {
      const rule = PRICE_RULES[name];
      const item = select(name, itemsOf(rule.query), (i) => {
        const attrs = i.product.attributes;
        return rule.usagetype.test(attrs.usagetype ?? "") && attrs.regionCode === region;
      });
      return [
        name,
        item
          ? fromItem(rule.query, region, on, rule.unit, rule.units, item)
          : {
              usd: null,
              unit: rule.unit,
              reason: `the Price List API answered no ${rule.query.serviceCode} product with usage type ${rule.usagetype.source} in ${region} (${on})`,
            },
      ];
    }),
  ) as Record<PriceName, Price>;
  // EKS bills extended support beside the cluster's hour (APN2-AmazonEKS-Hours:extendedSupport, 0.50 USD, and
  // :perCluster, 0.10); the data holds the whole hourly price of a cluster in extended support, "a total of
  // $0.60" (https://aws.amazon.com/blogs/containers/amazon-eks-extended-support-for-kubernetes-versions-pricing/).
  const [cluster, extra] = [named.eksCluster, named.eksClusterExtended];
  if (isKnown(cluster) && isKnown(extra))
    named.eksClusterExtended = {
      ...extra,
      usd: Number((cluster.usd + extra.usd).toPrecision(12)),
      source: `${extra.source}; plus the cluster's hour: ${cluster.source}`,
    };
  const ec2Items = itemsOf(EC2_LINUX_QUERY);
  const ec2Linux = Object.fromEntries(
    [...new Set(instanceTypes)].sort().map((type): [string, Price] => {
      const item = select(`ec2 ${type}`, ec2Items, (i) => i.product.attributes.instanceType === type);
      return [
        type,
        item
          ? fromItem(EC2_LINUX_QUERY, region, on, "hour", { Hrs: 1 }, item)
          : {
              usd: null,
              unit: "hour",
              reason: `the Price List API answered no on-demand Linux price for ${type} in ${region} (${on})`,
            },
      ];
    }),
  );
  return { ...named, ec2Linux };
}

/** What a refresh changed in a region's prices, one line per price, for its output and pull request. */
export function describePriceChanges(region: string, before: RegionPrices | undefined, after: RegionPrices): string[] {
  const text = (p: Price | undefined) =>
    p === undefined ? "(none)" : p.usd === null ? "unknown" : `$${p.usd}/${p.unit}`;
  const lines: string[] = [];
  const { ec2Linux: beforeEc2 = {}, ...beforeNamed } = before ?? { ec2Linux: {} };
  const { ec2Linux: afterEc2, ...afterNamed } = after;
  const named = beforeNamed as Partial<Record<string, Price>>;
  for (const [name, p] of Object.entries(afterNamed)) {
    if (text(named[name]) !== text(p)) lines.push(`${region} ${name}: ${text(named[name])} → ${text(p)}`);
  }
  for (const type of [...new Set([...Object.keys(beforeEc2), ...Object.keys(afterEc2)])].sort()) {
    if (text(beforeEc2[type]) !== text(afterEc2[type]))
      lines.push(`${region} ${type}: ${text(beforeEc2[type])} → ${text(afterEc2[type])}`);
  }
  return lines;
}

// ---------------------------------------------------------------- asking

/** The one call the price refresh makes, typed with the SDK's request and response. */
export interface PricingCalls {
  getProducts(input: GetProductsRequest): Promise<GetProductsResponse>;
}

/** Every query's PriceList items, every page of them (GetProducts answers 100 at most a page). */
export async function collectPriceAnswers(
  calls: PricingCalls,
  region: string,
  log: (line: string) => void,
): Promise<Map<string, string[]>> {
  const answers = new Map<string, string[]>();
  for (const query of priceQueries()) {
    const items: string[] = [];
    let NextToken: string | undefined;
    do {
      const page = await calls.getProducts({
        ServiceCode: query.serviceCode,
        Filters: sdkFilters(query, region),
        FormatVersion: "aws_v1",
        MaxResults: 100,
        NextToken,
      });
      // The SDK answers each item as a LazyJsonString, a boxed string whose text is the document (@smithy/core
      // serde/lazy-json); its type admits any JSON value, so it is read as unknown and taken as text.
      const list: unknown = page.PriceList ?? [];
      if (!Array.isArray(list)) throw new Error(`GetProducts ${query.serviceCode}: PriceList is not a list`);
      items.push(...(list as unknown[]).map((item) => String(item)));
      NextToken = page.NextToken;
    } while (NextToken);
    log(`GetProducts ${query.serviceCode} ${Object.values(query.filters).join(", ")}: ${items.length} products`);
    answers.set(queryKey(query), items);
  }
  return answers;
}
