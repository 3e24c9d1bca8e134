/**
 * The cost change a rehearsal shows an approver: the monthly estimate of the earlier render's resources and of
 * this one's, priced alike (the same prices, the same day), and what moved, line by line.
 */
import { type CostEstimate, type CostLine, dollars, estimateHeadline } from "../summary/cost-estimate";

/** "+$86.14/month", "−$93.44/month", or "+$0.00 to +$120.00/month" when the floor and the ceiling move apart. */
export function deltaText(low: number, high: number): string {
  const signed = (usd: number) => `${usd > 0 ? "+" : usd < 0 ? "" : "±"}${dollars(usd)}`;
  return Math.abs(high - low) < 0.005 ? `${signed(low)}/month` : `${signed(low)} to ${signed(high)}/month`;
}

function lineDelta(before: CostLine | undefined, after: CostLine | undefined): string | undefined {
  const side = (l: CostLine | undefined, s: "low" | "high") => (l === undefined ? 0 : l[s]);
  const [bl, bh, al, ah] = [side(before, "low"), side(before, "high"), side(after, "low"), side(after, "high")];
  const item = (after ?? before)?.item ?? "";
  const what = `${before?.quantity ?? "none"} → ${after?.quantity ?? "none"}`;
  if (bl === null || bh === null || al === null || ah === null) {
    return before?.quantity === after?.quantity && before?.unitPrice === after?.unitPrice
      ? undefined
      : `${item}: ${what} (price unknown)`;
  }
  if (Math.abs(al - bl) < 0.005 && Math.abs(ah - bh) < 0.005) return undefined;
  return `${item}: ${what} (${deltaText(al - bl, ah - bh)})`;
}

/** The change in the monthly estimate, as changes.md's lines: the total first, then each line that moved. */
export function costChangeLines(before: CostEstimate, after: CostEstimate): string[] {
  const items = [...new Set([...after.lines, ...before.lines].map((l) => l.item))];
  const find = (e: CostEstimate, item: string) => e.lines.find((l) => l.item === item);
  const moved = items.flatMap((item) => lineDelta(find(before, item), find(after, item)) ?? []);
  const unknown =
    before.unknownLines === after.unknownLines
      ? ""
      : `; prices unknown: ${before.unknownLines} → ${after.unknownLines}, the change leaves them out`;
  const total =
    moved.length === 0
      ? `**Cost: no change** to the monthly estimate (${estimateHeadline(after)}).`
      : `**Cost: ${deltaText(after.low - before.low, after.high - before.high)}**, from ${estimateHeadline(before)} to ${estimateHeadline(after)}${unknown}.`;
  return [total, ...moved.map((m) => `- ${m}`)];
}

/** The same change in one line, for the render's output. */
export function costChangeSummary(before: CostEstimate, after: CostEstimate): string {
  return `cost ${deltaText(after.low - before.low, after.high - before.high)}: ${estimateHeadline(before)} → ${estimateHeadline(after)}`;
}
