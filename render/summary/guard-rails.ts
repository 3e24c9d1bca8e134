import { ofType } from "../harness";
import { metaOf } from "../kube";
import { EKS_CLUSTER, LAUNCH_TEMPLATE } from "../resource-types";
import type { SummarySectionBuilder } from "./context";
import { countBy, table } from "./markdown";

/** Secrets encryption, control-plane logs, node metadata, and the NetworkPolicies per namespace. */
export const guardRailsSection: SummarySectionBuilder = ({ run }) => {
  const [cluster] = ofType(run, EKS_CLUSTER);
  const key = cluster?.inputs.encryptionConfigKeyArn;
  const keys = ofType(run, "aws:kms/key:Key");
  const logGroups = ofType(run, "aws:cloudwatch/logGroup:LogGroup");
  const waitsForLogs = cluster !== undefined && logGroups.every((g) => cluster.dependencies.includes(g.urn));
  const cni = ofType(run, "aws:eks/addon:Addon").find((a) => a.inputs.addonName === "vpc-cni");
  const networkPolicy = cni ? (JSON.parse(String(cni.inputs.configurationValues ?? "{}")) as { enableNetworkPolicy?: string }).enableNetworkPolicy : undefined;
  const templates = ofType(run, LAUNCH_TEMPLATE).map((t) => {
    const m = (t.inputs.metadataOptions ?? {}) as { httpTokens?: string; httpPutResponseHopLimit?: number };
    const ebs = ((t.inputs.blockDeviceMappings as Array<{ ebs?: { volumeType?: string; encrypted?: string } }> | undefined) ?? [])[0]?.ebs;
    return `\`${t.name}\`: IMDS tokens ${m.httpTokens ?? "optional"}, hop limit ${m.httpPutResponseHopLimit ?? "default"}; root volume ${ebs?.volumeType ?? "default"}, ${ebs?.encrypted === "true" ? "encrypted" : "NOT encrypted"}`;
  });
  const policies = ofType(run, "kubernetes:networking.k8s.io/v1:NetworkPolicy").map((p) => metaOf(p.inputs));
  const byNamespace = [...countBy(policies, (m) => String(m.namespace)).keys()].sort().map((ns) => [
    ns,
    policies.filter((m) => m.namespace === ns).map((m) => `\`${m.name}\``).join(", "),
  ]);
  return {
    title: "Guard rails",
    body: [
      `Kubernetes secrets: ${key ? `envelope-encrypted with ${keys.map((k) => `\`${k.name}\` (rotation ${k.inputs.enableKeyRotation === true ? "on" : "off"})`).join(", ")}` : "NOT encrypted with a key of ours"}.`,
      `Control-plane logs: ${logGroups.map((g) => `\`${String(g.inputs.name)}\`, kept ${String(g.inputs.retentionInDays)} days`).join("; ") || "no log group of ours (EKS keeps them forever)"}; ${waitsForLogs ? "created before the cluster" : "NOT before the cluster"}.`,
      `Nodes: ${templates.join("; ") || "no launch template of ours"}.`,
      `NetworkPolicies (VPC CNI network policy agent ${networkPolicy === "true" ? "on" : "OFF"}):`,
      byNamespace.length > 0 ? table(["namespace", "policies"], byNamespace) : "None.",
    ].join("\n\n"),
  };
};
