/** summary.md: what a reviewer reads in a minute, one section per concern, in a fixed order. */
import { criticalPathText } from "../critical-path";
import { autoscalingSection } from "./autoscaling";
import { billSection } from "./bill";
import { clusterSection } from "./cluster";
import type { SummaryContext, SummarySectionBuilder } from "./context";
import { costSection } from "./cost";
import { guardRailsSection } from "./guard-rails";
import { headlineItems } from "./headline";
import { helmSection } from "./helm-releases";
import { imagesSection } from "./images";
import { karpenterSection } from "./karpenter";
import { labSection } from "./lab";
import { loadBalancersSection, urlsSection } from "./load-balancers";
import { countBy, plural, table } from "./markdown";
import { networkSection } from "./network";
import { capacitySection, nodeGroupsSection } from "./node-groups";
import { reviewSection } from "./review";

const notesSection: SummarySectionBuilder = ({ run }) => {
  const notes = run.outputs.notes as string[] | undefined;
  return notes && notes.length > 0 ? { title: "Notes", body: notes.map((n) => `- ${n}`).join("\n") } : undefined;
};

const resourcesSection: SummarySectionBuilder = ({ run }) => ({
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

/** summary.md's sections, in order. */
export const SUMMARY_SECTIONS: readonly SummarySectionBuilder[] = [
  networkSection,
  clusterSection,
  nodeGroupsSection,
  capacitySection,
  karpenterSection,
  autoscalingSection,
  criticalPathSection,
  costSection,
  billSection,
  loadBalancersSection,
  urlsSection,
  imagesSection,
  helmSection,
  guardRailsSection,
  reviewSection,
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
