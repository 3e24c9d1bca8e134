/**
 * summary.md's review table: each rule a security reviewer runs (checkov, kube-score, the EKS Best Practices
 * guide), the policy of our pack that stands for it (policy/catalog.ts), and what that policy finds on this
 * render, with the written reason for what a demo stack does not follow and every waiver a workload carries.
 * The pack's own pure rules run here over the recorded inputs, as `pulumi preview --policy-pack policy`
 * would run them over the same resources, and over the objects the Helm releases expand to, which a preview
 * cannot see (they are made inside each release).
 */

import { KUBERNETES } from "../../components/resource-types";
import { CATALOG, type CatalogPolicy } from "../../policy/catalog";
import { waivers } from "../../policy/rules/container-security";
import type { StackInput } from "../../policy/rules/props";
import type { ChartExpansion } from "../charts";
import type { ProgramRun } from "../harness";
import type { SummarySectionBuilder } from "./context";
import { loadBalancers } from "./load-balancers";
import { plural, table } from "./markdown";

/**
 * Why the dev stack leaves an advisory standing: its documented choices (Pulumi.yaml, Pulumi.dev.yaml,
 * README), shown beside the finding.
 */
export const ADVISORY_REASONS: Readonly<Record<string, string>> = {
  "alb-waf":
    "config `webAcl` is off in the dev stack: a web ACL and its managed rule groups are billed monthly plus per request (production stacks keep the default, on)",
  "elb-deletion-protection":
    "config `loadBalancerDeletionProtection` is off by default so `pulumi destroy` can delete the load balancers (docs/teardown.md)",
  "cluster-endpoint-open": "the API endpoint is public so a laptop can reach it; narrow `publicAccessCidrs`",
  "control-plane-logs": "config `controlPlaneLogTypes` sends fewer than all five",
  "nat-gateway-per-zone": "config `natGateways: single` trades zone independence for cost",
};

/** Rules a scanner also runs that the stack does not follow, on purpose, each with its reason. */
export const NOT_FOLLOWED: ReadonlyArray<readonly [string, string]> = [
  [
    "CKV_AWS_145 (S3 encrypted with KMS)",
    "the access-log bucket uses SSE-S3, the only encryption ALB log delivery supports",
  ],
  [
    "CKV_AWS_18, CKV_AWS_21 (S3 access logging, versioning)",
    "the bucket is itself a log sink whose objects expire; logging or versioning it adds cost, not evidence",
  ],
  [
    "CKV_K8S_11, kube-score container-resources (CPU limits)",
    "no container sets a CPU limit: a limit throttles a pod even on an idle node (the EKS Best Practices guide, reliability: applications, advises requests without CPU limits for most workloads); kube-score's own `--ignore-container-cpu-limit` turns its half of the check off. Every container requests CPU and has a memory limit (`workload-requests-limits`)",
  ],
  [
    "CKV_AWS_338 (log retention of a year)",
    "the dev default keeps logs 90 days (`controlPlaneLogRetentionDays`); a production stack sets 365 or more",
  ],
];

interface Outcome {
  readonly applied: boolean;
  readonly findings: readonly string[];
}

/** A chart object as the pack's rules see a resource: its type token (`apps/v1` Deployment is kubernetes:apps/v1:Deployment). */
export function chartObjectInputs(charts: ChartExpansion): StackInput[] {
  if (!("expanded" in charts)) return [];
  return charts.expanded.flatMap((release) =>
    release.objects.map(({ object }, n) => {
      const apiVersion = String(object.apiVersion ?? "");
      const groupVersion = apiVersion.includes("/") ? apiVersion : `core/${apiVersion}`;
      const name = `${release.release}:${String(object.kind)}/${String((object.metadata as { name?: string } | undefined)?.name ?? n)}`;
      return {
        type: `kubernetes:${groupVersion}:${String(object.kind)}`,
        urn: `chart:${name}`,
        name,
        props: object as Record<string, unknown>,
        dependencies: [],
      };
    }),
  );
}

/** A policy over the program's resources and the charts' objects (the stack rules see both at once: a chart's PodDisruptionBudget covers its Deployment). */
function evaluate(
  policy: CatalogPolicy,
  run: ProgramRun,
  chartObjects: readonly StackInput[],
): Outcome & { flagged: StackInput[] } {
  const program: StackInput[] = run.resources.map((r) => ({
    type: r.type,
    urn: r.urn,
    name: r.name,
    props: r.inputs,
    dependencies: r.dependencies,
  }));
  if ("stack" in policy.check) {
    return {
      applied: true,
      findings: policy.check.stack([...program, ...chartObjects]).map((v) => v.message),
      flagged: [],
    };
  }
  let applied = false;
  const findings: string[] = [];
  const flagged: StackInput[] = [];
  for (const [origin, inputs] of [
    ["", program],
    ["chart object ", chartObjects],
  ] as const) {
    for (const r of inputs) {
      const verdict = policy.check.resource({ type: r.type, props: r.props });
      if ("notApplicable" in verdict) continue;
      applied = true;
      findings.push(...verdict.map((f) => `${origin}${f}`));
      if (verdict.length > 0) flagged.push(r);
    }
  }
  return { applied, findings, flagged };
}

function ruleCell(policy: CatalogPolicy): string {
  const ids = [...policy.rules.checkov, ...policy.rules.kubeScore.map((k) => `kube-score ${k}`)];
  if (ids.length > 0) return ids.join(", ");
  return policy.rules.eksBestPractices ? `EKS BP: ${policy.rules.eksBestPractices}` : "(ours)";
}

/** The waivers the program's workloads carry: "Deployment ns/name: CKV_K8S_23 (reason)". */
export function workloadWaivers(run: ProgramRun): string[] {
  return run.resources
    .filter((r) => r.type === KUBERNETES.deployment || r.type === KUBERNETES.statefulSet)
    .flatMap((r) => {
      const meta = (r.inputs.metadata ?? {}) as { namespace?: string; name?: string };
      return [...waivers({ type: r.type, props: r.inputs })].map(
        ([check, reason]) =>
          `\`${r.type.split(":").pop()} ${meta.namespace ?? "?"}/${meta.name ?? "?"}\`: ${check}, ${reason}`,
      );
    });
}

/** What no policy here can see, and what covers it instead. */
export const OUT_OF_SIGHT =
  "What the pack cannot see at all: what the controllers create at run time (the load balancers, their listeners and security groups, made by the AWS Load Balancer Controller; Karpenter's EC2 instances and their launch templates; Route 53 records made by ExternalDNS). Those follow from what the pack does check: the Ingress and Service annotations (`lb-controller-ip-targets`, `alb-https-redirect`, `elb-tls13-policy`, `alb-drop-invalid-headers`, `elb-access-logs`, `alb-waf`), the EC2NodeClasses and their IAM, and the controllers' IAM policies, which are upstream's (tests compare them); `npm run verify` checks the live load balancers and nodes after `pulumi up`.";

/** Each policy's outcome on the render: what it found, and on how many load balancers when its findings are theirs. */
export interface PolicyOutcome {
  readonly policy: CatalogPolicy;
  readonly applied: boolean;
  readonly findings: readonly string[];
  /** The load balancers the findings concern, when every finding is on a load balancer's object (an ALB's Ingress group is one). */
  readonly loadBalancers?: number;
  /** The result as the review table shows it. */
  readonly result: string;
}

/** The review's verdict: every outcome, and those failing, standing as advisories, and passing. */
export interface ReviewVerdict {
  readonly outcomes: readonly PolicyOutcome[];
  readonly failing: readonly PolicyOutcome[];
  readonly advisory: readonly PolicyOutcome[];
  readonly passing: number;
}

/** The pack on a render, once per run and expansion: summary.md's first lines, its Review section and review.md read it. */
export function reviewVerdict(run: ProgramRun, charts: ChartExpansion): ReviewVerdict {
  const byCharts = verdicts.get(run) ?? new WeakMap<ChartExpansion, ReviewVerdict>();
  verdicts.set(run, byCharts);
  let verdict = byCharts.get(charts);
  if (!verdict) {
    const outcomes = reviewOutcomes(run, charts);
    verdict = {
      outcomes,
      failing: outcomes.filter((o) => o.policy.level === "mandatory" && o.findings.length > 0),
      advisory: outcomes.filter((o) => o.policy.level === "advisory" && o.findings.length > 0),
      passing: outcomes.filter((o) => o.applied && o.findings.length === 0).length,
    };
    byCharts.set(charts, verdict);
  }
  return verdict;
}
const verdicts = new WeakMap<ProgramRun, WeakMap<ChartExpansion, ReviewVerdict>>();

/** Every policy of the pack, run on the render. */
export function reviewOutcomes(run: ProgramRun, charts: ChartExpansion): PolicyOutcome[] {
  const chartObjects = chartObjectInputs(charts);
  const lbKeys = new Map(loadBalancers(run).map((row) => [row.object, row.key]));
  return CATALOG.map((policy) => {
    const { applied, findings, flagged } = evaluate(policy, run, chartObjects);
    // Findings on Ingresses and LoadBalancer Services count load balancers: three Ingresses of two ALBs are two.
    const keys = flagged.map((r) => lbKeys.get(lbObject(r)));
    const loadBalancerCount = flagged.length > 0 && keys.every((k) => k !== undefined) ? new Set(keys).size : undefined;
    const counted =
      loadBalancerCount !== undefined
        ? plural(loadBalancerCount, "load balancer")
        : `${findings.length} finding${findings.length === 1 ? "" : "s"}`;
    const result = !applied
      ? "nothing to check"
      : findings.length === 0
        ? "pass"
        : policy.level === "mandatory"
          ? `**FAILS** (${counted}): ${findings[0]}${findings.length > 1 ? " ..." : ""}`
          : `advisory, ${counted}: ${ADVISORY_REASONS[policy.name] ?? findings[0]}`;
    return { policy, applied, findings, loadBalancers: loadBalancerCount, result };
  });
}

/** How load-balancers.ts names a load balancer's object: "Ingress ns/name", "Service ns/name". */
function lbObject(r: { type: string; props: Record<string, unknown> }): string {
  const metadata = (r.props.metadata ?? {}) as { namespace?: string; name?: string };
  return `${r.type.split(":").pop()} ${metadata.namespace ?? "default"}/${metadata.name ?? ""}`;
}

/** summary.md's line on the review: what fails, what stands as advisory, and where the whole table is. */
export const reviewDigestSection: SummarySectionBuilder = ({ run, charts }) => {
  const { outcomes, failing, advisory, passing } = reviewVerdict(run, charts);
  return {
    title: "Review",
    body: [
      `${outcomes.length} policies of \`policy/\` (checkov, kube-score and EKS Best Practices rules) on this render: ${passing} pass, ${failing.length} mandatory failing, ${advisory.length} advisory standing. The whole table, with each rule's IDs, the workloads' waivers and what is not followed on purpose: [review.md](review.md).`,
      ...[...failing, ...advisory].map((o) => `- \`${o.policy.name}\`: ${o.result}`),
    ].join("\n\n"),
  };
};

export const reviewSection: SummarySectionBuilder = ({ run, charts }) => {
  const chartObjects = chartObjectInputs(charts);
  const rows = reviewVerdict(run, charts).outcomes.map((o) => [
    ruleCell(o.policy),
    `\`${o.policy.name}\` (${o.policy.level})`,
    o.result,
  ]);
  const excused = workloadWaivers(run);
  return {
    title: "Review",
    body: [
      `The rules a security review runs (checkov, kube-score, the EKS Best Practices guide) and the policy of \`policy/\` that stands for each, run on this render: its ${run.resources.length} resources, as \`pulumi preview --policy-pack policy\` runs them, and ${"expanded" in charts ? `the ${chartObjects.length} objects its Helm releases expand to, which a preview cannot see` : `not the Helm releases' objects (${charts.notExpanded})`}.`,
      table(["rule", "our policy", "result on this render"], rows),
      excused.length > 0
        ? `Waived by workloads, each with its reason (checkov's \`checkov.io/skipN\` annotations, which the pack honours):\n\n${excused.map((w) => `- ${w}`).join("\n")}`
        : "No workload waives a rule.",
      "Access logs: NLBs write them for TLS listeners only (an ELB rule), so a plain-TCP NLB (echo) writes none.",
      OUT_OF_SIGHT,
      `Not followed, on purpose:\n\n${NOT_FOLLOWED.map(([rule, reason]) => `- ${rule}: ${reason}`).join("\n")}`,
    ].join("\n\n"),
  };
};
