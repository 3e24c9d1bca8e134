/** summary.md: what a reviewer reads in a minute, one section per concern, in a fixed order. */
import { criticalPathText } from "../critical-path";
import { autoscalingSection } from "./autoscaling";
import { billSection } from "./bill";
import { clusterSection } from "./cluster";
import type { SummaryContext, SummarySectionBuilder } from "./context";
import { costHeadline, costSection } from "./cost";
import { glanceLines } from "./glance";
import { guardRailsSection } from "./guard-rails";
import { headlineItems } from "./headline";
import { helmSection } from "./helm-releases";
import { imagesSection } from "./images";
import { KARPENTER_TYPES_FILE, karpenterSection, karpenterTypesSection } from "./karpenter";
import { labSection } from "./lab";
import { loadBalancersSection, urlsSection } from "./load-balancers";
import { countBy, plural, table } from "./markdown";
import { networkSection } from "./network";
import { capacitySection, nodeGroupsSection } from "./node-groups";
import { reviewDigestSection, reviewSection } from "./review";

const notesSection: SummarySectionBuilder = ({ run }) => {
  const notes = run.outputs.notes as string[] | undefined;
  return notes && notes.length > 0 ? { title: "Notes", body: notes.map((n) => `- ${n}`).join("\n") } : undefined;
};

export const resourcesSection: SummarySectionBuilder = ({ run }) => ({
  title: "Resources by type",
  body: table(
    ["type", "count"],
    [...countBy(run.resources, (r) => r.type).entries()].map(([type, n]) => [`\`${type}\``, String(n)]),
  ),
});

// --- deploy time

const criticalPathSection: SummarySectionBuilder = ({ run }) => ({
  title: "Modelled critical path",
  body: criticalPathText(run),
});

/**
 * summary.md's sections, in order of what a reviewer needs first: what it costs and exposes, what runs and how it
 * scales, then the guard rails and the review, then the deploy's mechanics.
 */
export const SUMMARY_SECTIONS: readonly SummarySectionBuilder[] = [
  costSection,
  loadBalancersSection,
  urlsSection,
  clusterSection,
  networkSection,
  nodeGroupsSection,
  capacitySection,
  karpenterSection,
  autoscalingSection,
  imagesSection,
  guardRailsSection,
  reviewDigestSection,
  helmSection,
  criticalPathSection,
  labSection,
  notesSection,
];

/** Files of the render beside summary.md, for what is too long to read in a minute: summary.md links each. */
export const DETAIL_FILES: ReadonlyArray<{ readonly file: string; readonly build: SummarySectionBuilder }> = [
  { file: "review.md", build: reviewSection },
  { file: "bill-of-materials.md", build: billSection },
  { file: KARPENTER_TYPES_FILE, build: karpenterTypesSection },
  { file: "resources-by-type.md", build: resourcesSection },
];

/** The detail files of a render: each a markdown page of its own, when its builder has something to say. */
export function detailFiles(ctx: SummaryContext): Map<string, string> {
  const files = new Map<string, string>();
  for (const { file, build } of DETAIL_FILES) {
    const section = build(ctx);
    if (section) files.set(file, `# ${section.title}\n\n${section.body}\n`);
  }
  return files;
}

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
    glanceLines(ctx, costHeadline(ctx)).join("\n\n"),
    `**Read first:**\n\n${headlineItems(ctx.run)
      .map((item) => `- ${item}`)
      .join("\n")}`,
  ];
  for (const build of sections) {
    const section = build(ctx);
    if (section) parts.push(`## ${section.title}`, section.body);
  }
  return `${parts.join("\n\n")}\n`;
}
