import { daysBetween } from "../../components/cluster/eks-versions";
import { AWS, PULUMI_EKS } from "../../components/resource-types";
import { ofType } from "../harness";
import type { SummarySectionBuilder } from "./context";
import { table } from "./markdown";

interface KubernetesSupport {
  readonly phase: "standard" | "extended" | "ended";
  readonly until?: string;
  readonly since?: string;
}

/** ", N days left" from the render's date, when a date is given. */
function daysLeft(until: string | undefined, date: string): string {
  return until ? `, ${daysBetween(date, until)} days left on ${date}` : "";
}

/** The version's support phase on the render's date and the upgrade policy, as a reviewer needs them. */
function supportText(support: KubernetesSupport | undefined, supportType: string | undefined, date: string): string {
  const policy = supportType ?? "EKS's default, EXTENDED";
  if (!support) return `upgrade policy ${policy}`;
  if (support.phase === "standard") {
    return `in standard support until ${support.until}${daysLeft(support.until, date)} (upgrade policy ${policy}: ${supportType === "STANDARD" ? "EKS upgrades the control plane to the next version then" : "extended support, at extra cost, from then"})`;
  }
  if (support.phase === "extended")
    return `in extended support, at extra cost, until ${support.until}${daysLeft(support.until, date)} (upgrade policy ${policy})`;
  return `out of support since ${support.since}`;
}

export const clusterSection: SummarySectionBuilder = ({ run, options }) => {
  const cluster = ofType(run, PULUMI_EKS.cluster)[0];
  if (!cluster) return undefined;
  const i = cluster.inputs as {
    version?: string;
    endpointPublicAccess?: boolean;
    endpointPrivateAccess?: boolean;
    publicAccessCidrs?: string[];
    upgradePolicy?: { supportType?: string };
    enabledClusterLogTypes?: string[];
  };
  // EKS's default when unset: a public endpoint open to every address
  // (https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html).
  const cidrs = i.publicAccessCidrs ?? ["0.0.0.0/0"];
  const open = cidrs.includes("0.0.0.0/0");
  const endpoint =
    i.endpointPublicAccess === false
      ? "public endpoint off"
      : `public endpoint reachable from ${cidrs.map((c) => `\`${c}\``).join(", ")}${open ? " (**the whole internet**; callers still need IAM credentials the cluster accepts)" : ""}`;
  const addons = ofType(run, AWS.eksAddon)
    .map((a) => [String(a.inputs.addonName), a.inputs.addonVersion ? String(a.inputs.addonVersion) : "(EKS default)"])
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return {
    title: "Cluster",
    body: [
      `Kubernetes \`${i.version ?? "?"}\`, ${supportText(run.outputs.kubernetesSupport as KubernetesSupport | undefined, i.upgradePolicy?.supportType, options.date)}; API: ${endpoint}; private endpoint ${i.endpointPrivateAccess === true ? "on" : "off"}; control-plane logs: ${(i.enabledClusterLogTypes ?? []).join(", ") || "none"}.`,
      addons.length > 0 ? table(["add-on", "version"], addons) : "No managed add-ons.",
    ].join("\n\n"),
  };
};
