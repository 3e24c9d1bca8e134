import { AWS, PULUMI_EKS } from "../../components/resource-types";
import { ofType } from "../harness";
import type { SummarySectionBuilder } from "./context";
import { karpenterBillRow } from "./karpenter";
import { type LoadBalancerRow, loadBalancers } from "./load-balancers";
import { countBy, table } from "./markdown";
import { subnets } from "./network";
import { nodeGroups } from "./node-groups";

/**
 * What AWS charges for by the hour (or prorated hourly), counted from the graph: the EKS control plane
 * (https://aws.amazon.com/eks/pricing/), NAT gateways and public IPv4 addresses
 * (https://aws.amazon.com/vpc/pricing/), load balancers (https://aws.amazon.com/elasticloadbalancing/pricing/),
 * instances, KMS keys (https://aws.amazon.com/kms/pricing/), WAF web ACLs and their rule groups, billed per
 * month each plus per million requests (https://aws.amazon.com/waf/pricing/). Counts only: prices change and
 * differ by region.
 */
export const billSection: SummarySectionBuilder = ({ run }) => {
  const clusters = ofType(run, PULUMI_EKS.cluster).length + ofType(run, AWS.eksCluster).length;
  const support = String(
    (ofType(run, PULUMI_EKS.cluster)[0]?.inputs.upgradePolicy as { supportType?: string } | undefined)?.supportType ??
      "EKS default",
  );
  const nats = ofType(run, AWS.natGateway).length;
  const eips = ofType(run, AWS.eip).length;
  const kmsKeyNames = ofType(run, AWS.kmsKey).map((k) => `\`${k.name}\``);
  const kmsKeys = kmsKeyNames.length;
  const zones = new Set(
    subnets(run)
      .filter((s) => s.public)
      .map((s) => s.zone),
  ).size;
  // One load balancer per Service, per Ingress group, per ungrouped Ingress.
  const lbs = [...new Map(loadBalancers(run).map((row) => [row.key, row])).values()];
  const lbKind = (row: LoadBalancerRow) => (row.kind.startsWith("ALB") ? "ALB" : row.kind);
  const lbCounts = countBy(lbs, (row) => `${lbKind(row)} ${row.scheme}`);
  const internetFacing = lbs.filter((row) => row.scheme === "internet-facing").length;
  const groups = nodeGroups(run);
  const nodeRows = groups.map((g) => [
    `Nodes: ${g.instanceTypes.join(" or ")} (${g.capacityType})`,
    String(g.scaling.desiredSize ?? "?"),
    // Nothing in the stack scales the managed group (Karpenter adds nodes of its own, below): it runs its
    // desired size; min and max only bound what a person sets.
    `node group ${g.name}; fixed at ${g.scaling.desiredSize ?? "?"} (nothing scales it; min ${g.scaling.minSize ?? "?"}, max ${g.scaling.maxSize ?? "?"} bound manual changes)`,
  ]);
  const karpenterRow = karpenterBillRow(run);
  const publicIps = eips + internetFacing * zones;
  const webAcls = ofType(run, AWS.wafv2WebAcl);
  const ruleGroups = webAcls.reduce((n, acl) => n + ((acl.inputs.rules as unknown[] | undefined) ?? []).length, 0);
  const albs = lbs.filter((row) => lbKind(row) === "ALB").length;
  return {
    title: "Bill of materials",
    body: [
      "What AWS charges for by the hour once deployed, counted from the resource graph (counts; summary.md's Cost section prices them).",
      table(
        ["item", "count", "detail"],
        [
          ["EKS control plane", String(clusters), `upgrade policy ${support} (extended support costs more per hour)`],
          ["NAT gateways", String(nats), "plus per-GB data processing"],
          ...[...lbCounts.entries()].map(([kind, n]) => [
            `Load balancers: ${kind}`,
            String(n),
            "created by the load balancer controller, plus capacity units",
          ]),
          ...nodeRows,
          ...(karpenterRow ? [karpenterRow] : []),
          [
            "KMS keys",
            String(kmsKeys),
            kmsKeys === 0 ? "none created by the stack" : `customer managed: ${kmsKeyNames.join(", ")}`,
          ],
          [
            "WAF web ACLs",
            String(webAcls.length),
            webAcls.length === 0
              ? "none (config webAcl off)"
              : `${ruleGroups} managed rule group${ruleGroups === 1 ? "" : "s"}, each billed per month beside the ACL, plus per million requests; on ${albs} ALB${albs === 1 ? "" : "s"}`,
          ],
          [
            "Public IPv4 addresses",
            `${publicIps}+`,
            `${eips} Elastic IP${eips === 1 ? "" : "s"} (NAT) + ${internetFacing} internet-facing load balancer${internetFacing === 1 ? "" : "s"} × ${zones} zones (an ALB may add addresses as it scales)`,
          ],
        ],
      ),
      "Not counted: charges by volume or request (EBS root volumes, data transfer, CloudWatch Logs ingestion and storage of the control-plane and VPC flow logs, the access-log bucket's S3 storage, Route 53 queries).",
    ].join("\n\n"),
  };
};
