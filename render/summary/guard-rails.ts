import { AWS, KUBERNETES, PULUMI_EKS } from "../../components/resource-types";
import { ofType } from "../harness";
import { metaOf } from "../kube";
import type { SummarySectionBuilder } from "./context";
import { countBy, table } from "./markdown";

/** Secrets encryption, control-plane logs, node metadata, and the NetworkPolicies per namespace. */
export const guardRailsSection: SummarySectionBuilder = ({ run }) => {
  const [cluster] = ofType(run, PULUMI_EKS.cluster);
  const key = cluster?.inputs.encryptionConfigKeyArn;
  const keys = ofType(run, AWS.kmsKey);
  const keyName = (urn: string | undefined) => keys.find((k) => k.urn === urn)?.name;
  // A resource's key is the key it waits for (its ARN is an input): the recorded graph says which.
  const keyOf = (r: { dependencies: readonly string[] }) =>
    keyName(r.dependencies.find((d) => keys.some((k) => k.urn === d)));
  const secretsKeys = cluster ? keys.filter((k) => cluster.dependencies.includes(k.urn)) : [];
  const logGroups = ofType(run, AWS.logGroup).map((g) => {
    const name = String(g.inputs.name);
    const encryptedWith = g.inputs.kmsKeyId ? (keyOf(g) ?? "a key") : undefined;
    const beforeCluster = cluster !== undefined && cluster.dependencies.includes(g.urn);
    return `\`${name}\`, kept ${String(g.inputs.retentionInDays ?? "forever")} days, ${encryptedWith ? `encrypted with \`${encryptedWith}\`` : "NOT encrypted with a key of ours"}${beforeCluster ? ", created before the cluster" : ""}`;
  });
  const flowLogs = ofType(run, AWS.flowLog).map(
    (f) => `${String(f.inputs.trafficType)} traffic to ${String(f.inputs.logDestinationType)}`,
  );
  const defaultGroups = ofType(run, AWS.defaultSecurityGroup);
  const closed = defaultGroups.filter(
    (g) =>
      ((g.inputs.ingress as unknown[] | undefined) ?? []).length === 0 &&
      ((g.inputs.egress as unknown[] | undefined) ?? []).length === 0,
  );
  const cni = ofType(run, AWS.eksAddon).find((a) => a.inputs.addonName === "vpc-cni");
  const networkPolicy = cni
    ? (JSON.parse(String(cni.inputs.configurationValues ?? "{}")) as { enableNetworkPolicy?: string })
        .enableNetworkPolicy
    : undefined;
  const templates = ofType(run, AWS.launchTemplate).map((t) => {
    const m = (t.inputs.metadataOptions ?? {}) as { httpTokens?: string; httpPutResponseHopLimit?: number };
    const ebs = ((t.inputs.blockDeviceMappings as
      | Array<{ ebs?: { volumeType?: string; encrypted?: string } }>
      | undefined) ?? [])[0]?.ebs;
    return `\`${t.name}\`: IMDS tokens ${m.httpTokens ?? "optional"}, hop limit ${m.httpPutResponseHopLimit ?? "default"}; root volume ${ebs?.volumeType ?? "default"}, ${ebs?.encrypted === "true" ? "encrypted" : "NOT encrypted"}`;
  });
  const policies = ofType(run, KUBERNETES.networkPolicy).map((p) => metaOf(p.inputs));
  const byNamespace = [...countBy(policies, (m) => String(m.namespace)).keys()].sort().map((ns) => [
    ns,
    policies
      .filter((m) => m.namespace === ns)
      .map((m) => `\`${m.name}\``)
      .join(", "),
  ]);
  return {
    title: "Guard rails",
    body: [
      `Kubernetes secrets: ${key ? `envelope-encrypted with ${secretsKeys.map((k) => `\`${k.name}\` (rotation ${k.inputs.enableKeyRotation === true ? "on" : "off"})`).join(", ") || "a key"}` : "NOT encrypted with a key of ours"}.`,
      `Log groups: ${logGroups.join("; ") || "none of ours (EKS keeps control-plane logs forever)"}.`,
      `VPC flow logs: ${flowLogs.join("; ") || "NONE"}. The VPC's default security group: ${defaultGroups.length === 0 ? "NOT adopted (AWS's rules stay)" : closed.length === defaultGroups.length ? "adopted with no rules (allows nothing)" : "adopted WITH rules"}.`,
      `Nodes: ${templates.join("; ") || "no launch template of ours"}.`,
      `NetworkPolicies (VPC CNI network policy agent ${networkPolicy === "true" ? "on" : "OFF"}):`,
      byNamespace.length > 0 ? table(["namespace", "policies"], byNamespace) : "None.",
    ].join("\n\n"),
  };
};
