/**
 * changes.md: the rehearsal as a document an approver signs. A headline first (the counts, the blocking
 * findings, what is replaced or deleted that holds state or traffic), then every change by danger: blocking,
 * replace, delete, update, create, each with its fields before and after; what stays the same is folded.
 * Plain Markdown lists, so it reads in a terminal as well as on GitHub.
 */

import { AWS, KUBERNETES, PULUMI_EKS } from "../../components/resource-types";
import type { RecordedResource } from "../harness";
import { planCounts } from "./plan";
import { type Change, type ChangeAction, nameOf, UNKNOWN } from "./rehearse";

/** What a resource of this kind holds, when losing it costs state or traffic. */
function holds(type: string, inputs: Record<string, unknown> | undefined): string | undefined {
  switch (type) {
    case PULUMI_EKS.cluster:
    case AWS.eksCluster:
      return "the EKS cluster";
    case PULUMI_EKS.managedNodeGroup:
    case AWS.eksNodeGroup:
      return "a node group";
    case KUBERNETES.nodePool:
      return "a Karpenter NodePool (its nodes)";
    case KUBERNETES.ingress:
      return "a load balancer (ALB)";
    case KUBERNETES.service:
      return (inputs?.spec as { type?: string } | undefined)?.type === "LoadBalancer"
        ? "a load balancer (NLB)"
        : undefined;
    case AWS.route53Record:
      return "a DNS record";
    case AWS.vpc:
    case AWS.subnet:
    case AWS.natGateway:
      return "network (traffic)";
    case KUBERNETES.namespace:
      return "a namespace (everything in it)";
    case KUBERNETES.statefulSet:
      return "data (a StatefulSet)";
    case AWS.s3Bucket:
    case AWS.kmsKey:
    case AWS.logGroup:
    case AWS.sqsQueue:
      return `data (${type.split(":").pop()})`;
    default:
      return undefined;
  }
}

/** A value as a reviewer reads it: JSON, cut to a line; unknowns as they are. */
function shown(value: unknown): string {
  if (value === UNKNOWN) return UNKNOWN;
  if (value === undefined) return "(none)";
  const text = JSON.stringify(value);
  return `\`${text.length > 100 ? `${text.slice(0, 97)}...` : text}\``;
}

const ORDER: readonly ChangeAction[] = ["replace", "delete", "update", "create"];
const HEADINGS: Readonly<Record<ChangeAction, string>> = {
  replace: "Replace",
  delete: "Delete",
  update: "Update",
  create: "Create",
  same: "Same",
};

function entry(c: Change): string[] {
  const how =
    c.action === "replace"
      ? ` · ${c.replacement === "delete-first" ? "deletes the old one first" : "creates the new one first"}`
      : "";
  const lines = [
    `- **${nameOf(c.urn)}** \`${c.type}\`${how}${c.aliasOf ? ` (was ${nameOf(c.aliasOf)}, by alias)` : ""}`,
  ];
  for (const b of c.blocking) lines.push(`  - BLOCKING: ${b}`);
  if (c.replaceBecause.length > 0)
    lines.push(`  - forces replacement: ${c.replaceBecause.map((f) => `\`${f}\``).join(", ")}`);
  for (const d of c.diff)
    lines.push(`  - \`${d.path}\`: ${shown(d.before)} → ${shown(d.after)}${d.cause ? ` (${d.cause})` : ""}`);
  for (const w of c.warnings) lines.push(`  - ${w}`);
  return lines;
}

/**
 * changes.md, for the changes of a rehearsal against `against`; `resources` are both states' (to tell load
 * balancers); `cost` the change in the monthly estimate (render/rehearsal/cost-change.ts), shown under the counts.
 */
export function changesMarkdown(
  changes: readonly Change[],
  against: string,
  resources: readonly RecordedResource[],
  notes: readonly string[] = [],
  cost: readonly string[] = [],
): string {
  const counts = planCounts(changes);
  const inputsOf = new Map(resources.map((r) => [r.urn, r.inputs]));
  const lines = [
    `# Changes against \`${against}\``,
    "",
    `What \`pulumi up\` would do from the state of the earlier render, planned as the engine plans it and decided by the providers' own rules (render/rehearsal/, with sources).`,
    "",
    `**${counts.blocking} blocking · ${counts.replace} replace · ${counts.delete} delete · ${counts.update} update · ${counts.create} create** · ${counts.same} unchanged`,
    "",
    ...(cost.length > 0 ? [...cost, ""] : []),
    ...notes.flatMap((n) => [`> ${n}`, ""]),
  ];
  const blocked = changes.filter((c) => c.blocking.length > 0);
  if (blocked.length > 0) {
    lines.push("## Blocking: this plan cannot apply as it is", "");
    for (const c of blocked) for (const b of c.blocking) lines.push(`- **${nameOf(c.urn)}** \`${c.type}\`: ${b}`);
    lines.push("");
  }
  const costly = changes
    .filter((c) => c.action === "replace" || c.action === "delete")
    .map((c) => ({ c, what: holds(c.type, inputsOf.get(c.urn) ?? inputsOf.get(c.aliasOf ?? "")) }))
    .filter((x): x is { c: Change; what: string } => x.what !== undefined);
  if (costly.length > 0) {
    lines.push("## Replaced or deleted, holding state or traffic", "");
    for (const { c, what } of costly) {
      lines.push(
        `- ${what}: **${nameOf(c.urn)}** is ${c.action === "delete" ? "deleted" : c.replacement === "delete-first" ? "replaced, deleted first" : "replaced, the new one first"}`,
      );
    }
    lines.push("");
  }
  if (counts.replace + counts.delete + counts.update + counts.create === 0 && blocked.length === 0)
    lines.push("Nothing changes.", "");
  for (const action of ORDER) {
    const of = changes.filter((c) => c.action === action);
    if (of.length === 0) continue;
    lines.push(`## ${HEADINGS[action]} (${of.length})`, "");
    for (const c of [...of.filter((x) => x.blocking.length > 0), ...of.filter((x) => x.blocking.length === 0)])
      lines.push(...entry(c));
    lines.push("");
  }
  const same = changes.filter((c) => c.action === "same");
  if (same.length > 0) {
    const noted = same.filter((c) => c.warnings.length > 0);
    lines.push(`<details><summary>Unchanged (${same.length})</summary>`, "");
    for (const c of noted) lines.push(...entry(c));
    for (const c of same.filter((x) => x.warnings.length === 0)) lines.push(`- ${nameOf(c.urn)} \`${c.type}\``);
    lines.push("", "</details>", "");
  }
  return `${lines.join("\n").replace(/\n+$/, "")}\n`;
}
