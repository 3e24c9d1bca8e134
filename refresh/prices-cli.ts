/**
 * npm run refresh:prices: asks the AWS Price List API (GetProducts, read-only, with the caller's credentials)
 * for the prices the stack's cost estimate needs in its region, rewrites that region in data/aws/prices.json and
 * prints what changed. The other regions are left as they are.
 *
 *   npm run refresh:prices                          the dev stack's region and instance types
 *   npm run refresh:prices -- --stack prod          another stack's (Pulumi.prod.yaml)
 *   npm run refresh:prices -- --region us-east-1    another region, with the stack's instance types
 *
 * The instance types are the ones the stack can run: its managed node groups' and every type its Karpenter
 * NodePools admit (the program is run offline to read them), and those the region already has a price for.
 * docs/cost.md says where the committed prices come from and what this needs.
 */
import * as fs from "node:fs";
import { GetProductsCommand, PricingClient } from "@aws-sdk/client-pricing";
import { PULUMI_EKS } from "../components/resource-types";
import { parsePrices, pricesPath, readPrices, renderPricesFile } from "../data/aws/prices";
import { ofType, runProgram } from "../render/harness";
import { karpenterPools } from "../render/summary/karpenter";
import { collectPriceAnswers, describePriceChanges, type PricingCalls, regionPricesFromAnswers } from "./prices";

const USAGE = "usage: npm run refresh:prices [-- --stack <stack>] [-- --region <region>]";

/**
 * The Price List Query API answers in us-east-1 (and a few other regions) whatever region's prices are asked
 * for (https://docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/using-price-list-query-api.html).
 */
export const PRICING_ENDPOINT_REGION = "us-east-1";

export interface PricesArgs {
  readonly stack: string;
  readonly region: string | undefined;
}

export function parsePricesArgs(argv: readonly string[]): PricesArgs {
  let stack = "dev";
  let region: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const [arg, value] = [argv[i], argv[i + 1]];
    if ((arg === "--stack" || arg === "--region") && value && !value.startsWith("--")) {
      if (arg === "--stack") stack = value;
      else region = value;
      i++;
    } else {
      throw new Error(`unexpected argument ${JSON.stringify(arg)}\n${USAGE}`);
    }
  }
  if (region !== undefined && !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region))
    throw new Error(`--region ${region}: expected a region such as ap-northeast-2`);
  return { stack, region };
}

export function sdkPricingCalls(): PricingCalls {
  const client = new PricingClient({ region: PRICING_ENDPOINT_REGION });
  return { getProducts: (input) => client.send(new GetProductsCommand(input)) };
}

async function main(argv: readonly string[]): Promise<void> {
  const args = parsePricesArgs(argv);
  const run = await runProgram({ stack: args.stack, fresh: true });
  const region = args.region ?? run.identity.region;
  const before = readPrices();
  const types = [
    ...ofType(run, PULUMI_EKS.managedNodeGroup).flatMap((g) => (g.inputs.instanceTypes as string[] | undefined) ?? []),
    ...karpenterPools(run).flatMap((p) => p.instanceTypes),
    ...Object.keys(before.regions[region]?.ec2Linux ?? {}),
  ];
  const log = (line: string) => process.stderr.write(`${line}\n`);
  log(`Price List API (${PRICING_ENDPOINT_REGION}): prices in ${region} for ${new Set(types).size} instance types`);
  const answers = await collectPriceAnswers(sdkPricingCalls(), region, log);
  const on = new Date().toISOString().slice(0, 10);
  const prices = regionPricesFromAnswers(region, answers, types, on);
  // Checked as the committed file is, before anything is written: a price without its source stops here.
  const after = parsePrices(
    {
      ...before,
      generatedBy: `${before.generatedBy}; ${region} refreshed ${on} by npm run refresh:prices`,
      regions: { ...before.regions, [region]: prices },
    },
    "the refreshed prices",
  );
  fs.writeFileSync(pricesPath(), renderPricesFile(after));
  const changes = describePriceChanges(region, before.regions[region], prices);
  process.stdout.write(
    changes.length === 0
      ? `no price in ${region} changed\n`
      : `${changes.length} price change(s) in ${region} (data/aws/prices.json):\n${changes.map((c) => `- ${c}`).join("\n")}\n`,
  );
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`refresh:prices: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
