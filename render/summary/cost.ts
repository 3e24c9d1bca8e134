/**
 * summary.md's cost section and its headline figure: the monthly estimate (cost-estimate.ts) for the
 * run's region on the render's day, each line with its unit price, unknown prices said and counted.
 */
import { HOURS_PER_MONTH, isKnown, type PricesFile, readPrices } from "../../data/aws/prices";
import { offlineInstanceType } from "../../data/instance-types";
import type { ProgramRun } from "../harness";
import type { SummaryContext, SummarySectionBuilder } from "./context";
import { type CostEstimate, dollars, estimateCost, estimateHeadline, rangeText, unitPriceText } from "./cost-estimate";
import { table } from "./markdown";

/** The run's estimate on the render's day. */
export function runEstimate(ctx: Pick<SummaryContext, "run" | "options">): CostEstimate {
  return estimateCost({ resources: ctx.run.resources, region: ctx.run.identity.region, date: ctx.options.date });
}

/** The headline figure, e.g. "about $610–$968 per month (2 prices unknown)", for the summary's first lines. */
export function costHeadline(ctx: Pick<SummaryContext, "run" | "options">): string {
  return estimateHeadline(runEstimate(ctx));
}

export const costSection: SummarySectionBuilder = (ctx) => {
  const estimate = runEstimate(ctx);
  const unknown = estimate.lines.filter((l) => l.low === null || l.high === null);
  return {
    title: "Cost",
    body: [
      `**${estimateHeadline(estimate)}** in ${estimate.region} at ${HOURS_PER_MONTH} hours a month: from what the stack runs at (its floor) to the most its declared limits allow, priced from data/aws/prices.json, where each price names its source and the day it was read (docs/cost.md).` +
        (unknown.length > 0 ? ` The total leaves out what is unknown: ${unknown.map((l) => l.item).join(", ")}.` : ""),
      table(
        ["item", "quantity", "unit price", "per month", "what the range is"],
        estimate.lines.map((l) => [l.item, l.quantity, l.unitPrice, rangeText(l.low, l.high), l.detail]),
      ),
      `Not estimated, billed by volume the program does not declare: ${estimate.notEstimated.join("; ")}.`,
      "What each count is made of, resource by resource: [bill-of-materials.md](bill-of-materials.md).",
    ].join("\n\n"),
  };
};

/** A node type is worth pricing in the capacity line when it has GPUs or is this large. */
const LARGE_NODE_VCPUS = 32;

/**
 * What one node of a GPU or very large type costs an hour on demand, for the capacity line; undefined for
 * other types. "price unknown" where the region's price is not recorded.
 */
export function nodeHourlyCost(
  run: Pick<ProgramRun, "identity">,
  instanceType: string,
  file: PricesFile = readPrices(),
): string | undefined {
  const facts = offlineInstanceType(instanceType);
  const gpus = (facts?.gpuses ?? []).reduce((n, g) => n + (g.count ?? 0), 0);
  if (gpus === 0 && (facts?.defaultVcpus ?? 0) < LARGE_NODE_VCPUS) return undefined;
  const p = file.regions[run.identity.region]?.ec2Linux[instanceType];
  const what = gpus > 0 ? `${gpus} GPU${gpus === 1 ? "" : "s"}` : `${facts?.defaultVcpus} vCPUs`;
  return p && isKnown(p)
    ? `${instanceType} (${what}) costs ${unitPriceText(p)} each on demand, ${dollars(p.usd * HOURS_PER_MONTH)} a month`
    : `${instanceType} (${what}): its ${run.identity.region} price is not recorded (data/aws/prices.json)`;
}
