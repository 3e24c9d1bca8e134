/**
 * What summary.md says first, one line each: what the stack costs, what of it is public, who administers the
 * cluster, whether traffic is encrypted, and what the review finds. Each line is read from the run, as the
 * sections below read it, so the two cannot disagree.
 */
import { AWS, PULUMI_EKS } from "../../components/resource-types";
import { ofType } from "../harness";
import type { SummaryContext } from "./context";
import { loadBalancers } from "./load-balancers";
import { plural } from "./markdown";
import { type PolicyOutcome, reviewVerdict } from "./review";

/** What is reachable from the internet: the API endpoint, the internet-facing load balancers, and their names. */
export function exposureLine(ctx: SummaryContext): string {
  const cluster = ofType(ctx.run, PULUMI_EKS.cluster)[0];
  const inputs = (cluster?.inputs ?? {}) as { endpointPublicAccess?: boolean; publicAccessCidrs?: string[] };
  const cidrs = inputs.publicAccessCidrs ?? [];
  const endpoint =
    inputs.endpointPublicAccess === false
      ? "the Kubernetes API endpoint is private"
      : cidrs.includes("0.0.0.0/0")
        ? "the Kubernetes API endpoint answers the whole internet (0.0.0.0/0)"
        : `the Kubernetes API endpoint answers ${cidrs.join(", ")}`;
  const rows = loadBalancers(ctx.run).filter((r) => r.scheme === "internet-facing");
  const byKey = new Map(rows.map((r) => [r.key, r]));
  const albs = [...byKey.values()].filter((r) => r.kind.startsWith("ALB")).length;
  const nlbs = [...byKey.values()].filter((r) => r.kind === "NLB").length;
  const names = [
    ...new Set(rows.flatMap((r) => (r.hostnames.startsWith("(") ? [] : r.hostnames.split(", ").map((h) => h.trim())))),
  ].sort();
  const lbs = `${plural(albs, "internet-facing ALB")} and ${plural(nlbs, "NLB")}`;
  return `**Public:** ${endpoint}; ${lbs}, ${names.length > 0 ? `named ${names.map((n) => `\`${n}\``).join(", ")}` : "on their own AWS hostnames (no domain)"}.`;
}

/** Who administers the cluster: the admins the program gives an access entry, and the creator EKS gives one. */
export function adminsLine(ctx: SummaryContext): string {
  const cluster = ofType(ctx.run, PULUMI_EKS.cluster)[0];
  const entries = Object.values(
    ((cluster?.inputs ?? {}) as { accessEntries?: Record<string, { principalArn?: string }> }).accessEntries ?? {},
  )
    .map((e) => String(e.principalArn))
    .sort();
  const admins =
    entries.length > 0
      ? `${entries.map((a) => `\`${a}\``).join(", ")} (cluster admin, \`adminPrincipalArns\`)`
      : "no one of `adminPrincipalArns`";
  return `**Admins:** ${admins}, and whoever runs the first \`pulumi up\` (EKS's entry for the cluster's creator; remove it once the admins are in place).`;
}

/** Whether the load balancers speak TLS, and why not when they do not. */
export function tlsLine(ctx: SummaryContext): string {
  const [certificate] = ofType(ctx.run, AWS.acmCertificate);
  if (!certificate)
    return "**TLS:** off: without `domain` (a public Route 53 zone) there is no certificate, and the load balancers serve plain HTTP.";
  const rows = loadBalancers(ctx.run);
  const policies = [...new Set(rows.map((r) => r.tlsPolicy).filter((p) => p !== "-"))];
  // A load balancer without a TLS listener serves plain traffic whatever the domain: say which.
  const plain = [...new Set(rows.filter((r) => r.tlsPolicy === "-").map((r) => r.object))];
  return `**TLS:** on: an ACM certificate for \`${String(certificate.inputs.domainName)}\` validated in Route 53, ${policies.map((p) => `\`${p}\``).join(", ")} on the TLS listeners, an ALB's HTTP redirected to HTTPS${plain.length > 0 ? `; plain, with no TLS listener: ${plain.map((o) => `\`${o}\``).join(", ")}` : ""}.`;
}

/** What the review finds: mandatory failures first, then advisories standing. */
export function reviewLine(ctx: SummaryContext): string {
  const { outcomes, failing, advisory, passing } = reviewVerdict(ctx.run, ctx.charts);
  const named = (list: readonly PolicyOutcome[]) => list.map((o) => `\`${o.policy.name}\``).join(", ");
  return `**Review:** ${failing.length > 0 ? `**${failing.length} mandatory failing** (${named(failing)}); ` : "nothing mandatory failing; "}${passing} of ${outcomes.length} policies pass${advisory.length > 0 ? `; advisory standing: ${named(advisory)}` : ""} (section Review).`;
}

/** The lines summary.md opens with, in order; `cost` is the cost estimate's headline (cost.ts), when there is one. */
export function glanceLines(ctx: SummaryContext, cost?: string): string[] {
  return [
    ...(cost ? [`**Cost:** ${cost} (section Cost; prices in data/aws/prices.json, each with its source).`] : []),
    exposureLine(ctx),
    adminsLine(ctx),
    tlsLine(ctx),
    reviewLine(ctx),
  ];
}
