/**
 * The prices the cost estimate reads (prices.json): per region, what AWS charges for what the stack declares.
 * Every price names its source (a page, or an AWS Price List answer) and the day it was read, or is null with
 * the reason no price could be cited: an unknown price is shown and counted as unknown, never guessed.
 * `npm run refresh:prices` (refresh/prices-cli.ts) rewrites a region's prices from the Price List API;
 * docs/cost.md says where the committed ones come from.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { z } from "zod";

export const PRICES_FILE = "prices.json";

/** The hours a month is priced at: 365 × 24 / 12. */
export const HOURS_PER_MONTH = 730;

/** What one price is per. */
export const PRICE_UNITS = ["hour", "month", "GB-month", "GB", "LCU-hour", "NLCU-hour", "million requests"] as const;
export type PriceUnit = (typeof PRICE_UNITS)[number];

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "expected YYYY-MM-DD");
const unit = z.enum(PRICE_UNITS);

const knownPrice = z.strictObject({
  usd: z.number().nonnegative(),
  unit,
  /** Where the price is read: a page's URL, or the Price List answer (offer file or GetProducts, with the SKU). */
  source: z.string().regex(/https:\/\/|Price List/, "expected a URL or an AWS Price List answer"),
  /** The day it was read there. */
  read: day,
  /** The transcription (a key of the file's `transcriptions`) it was read in, when not read at its source. */
  via: z.string().min(1).optional(),
  note: z.string().min(1).optional(),
});

const unknownPrice = z.strictObject({ usd: z.null(), unit, reason: z.string().min(1) });

const price = z.union([knownPrice, unknownPrice]);

const regionPrices = z.strictObject({
  /** EKS control plane, per cluster, while its version is in standard support. */
  eksCluster: price,
  /** EKS control plane, per cluster, while its version is in extended support (the whole hourly price). */
  eksClusterExtended: price,
  natGateway: price,
  natGatewayData: price,
  alb: price,
  albLcu: price,
  nlb: price,
  nlbNlcu: price,
  /** Every public IPv4 address, in use or idle. */
  publicIpv4: price,
  kmsKey: price,
  wafWebAcl: price,
  /** Each rule or rule group in a web ACL (a managed rule group counts as one). */
  wafRule: price,
  wafRequests: price,
  ebsGp3: price,
  logsIngestion: price,
  logsStorage: price,
  /** EC2 on-demand, Linux, shared tenancy, no pre-installed software, by instance type. */
  ec2Linux: z.record(z.string(), price),
});

const pricesSchema = z.strictObject({
  description: z.string().min(1),
  generatedBy: z.string().min(1),
  /** The public documents prices were transcribed from, by the name a price's `via` gives. */
  transcriptions: z.record(z.string(), z.string().min(1)),
  regions: z.record(z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, "expected a region code"), regionPrices),
});

export type KnownPrice = z.infer<typeof knownPrice>;
export type UnknownPrice = z.infer<typeof unknownPrice>;
export type Price = KnownPrice | UnknownPrice;
export type RegionPrices = z.infer<typeof regionPrices>;
export type PricesFile = z.infer<typeof pricesSchema>;
/** The prices of one region that are not per instance type. */
export type PriceName = Exclude<keyof RegionPrices, "ec2Linux">;

export function isKnown(p: Price): p is KnownPrice {
  return p.usd !== null;
}

/** Reads prices, or throws naming the first field that is not a cited price or a reasoned unknown. */
export function parsePrices(value: unknown, file: string): PricesFile {
  const parsed = pricesSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${file}: ${issue.path.join(".") || "(top)"}: ${issue.message}`);
  }
  const { transcriptions, regions } = parsed.data;
  for (const [region, prices] of Object.entries(regions)) {
    const { ec2Linux, ...named } = prices;
    const all: Array<[string, Price]> = [
      ...Object.entries(named),
      ...Object.entries(ec2Linux).map(([t, p]): [string, Price] => [`ec2Linux.${t}`, p]),
    ];
    for (const [name, p] of all) {
      if (isKnown(p) && p.via !== undefined && !(p.via in transcriptions))
        throw new Error(`${file}: regions.${region}.${name}.via: ${JSON.stringify(p.via)} is not in transcriptions`);
    }
  }
  return parsed.data;
}

export function pricesPath(): string {
  return path.join(__dirname, PRICES_FILE);
}

let cached: PricesFile | undefined;

/** The committed prices, parsed once per process. */
export function readPrices(): PricesFile {
  cached ??= parsePrices(JSON.parse(fs.readFileSync(pricesPath(), "utf8")), PRICES_FILE);
  return cached;
}

/** prices.json's bytes: two-space JSON, regions and instance types sorted, a final newline. */
export function renderPricesFile(file: PricesFile): string {
  const regions = Object.fromEntries(
    Object.keys(file.regions)
      .sort()
      .map((r) => {
        const { ec2Linux, ...rest } = file.regions[r];
        const types = Object.fromEntries(
          Object.keys(ec2Linux)
            .sort()
            .map((t) => [t, ec2Linux[t]]),
        );
        return [r, { ...rest, ec2Linux: types }];
      }),
  );
  return `${JSON.stringify({ ...file, regions }, null, 2)}\n`;
}
