import { AWS } from "../../components/resource-types";
import { ofType } from "../harness";
import { metaOf, podSpec } from "../kube";
import type { SummarySectionBuilder } from "./context";
import { table } from "./markdown";

/** kube-proxy's mode in words, from the add-on's configuration values (`{"mode":"ipvs","ipvs":{"scheduler":"rr"}}`). */
export function proxyMode(configurationValues: string): string {
  try {
    const parsed = JSON.parse(configurationValues) as { mode?: string; ipvs?: { scheduler?: string } };
    const mode = parsed.mode ?? "iptables (the add-on's default)";
    return parsed.ipvs?.scheduler ? `${mode}, scheduler ${parsed.ipvs.scheduler}` : mode;
  } catch {
    return `\`${configurationValues}\``;
  }
}

/** kube-proxy's mode and the service-networking lab's objects. */
export const labSection: SummarySectionBuilder = ({ run }) => {
  const kubeProxy = ofType(run, AWS.eksAddon).find((a) => a.inputs.addonName === "kube-proxy");
  const values = kubeProxy?.inputs.configurationValues;
  const mode = values ? proxyMode(String(values)) : "iptables (the add-on's default: no configuration)";
  const lab = run.resources
    .filter((r) => r.urn.includes("eks-platform:lab:NetworkLab$") && r.custom)
    .map((r) => {
      const m = metaOf(r.inputs);
      const spec = (r.inputs.spec ?? {}) as {
        type?: string;
        clusterIP?: string;
        externalName?: string;
        replicas?: number;
        ports?: Array<{ nodePort?: number }>;
      };
      const image = podSpec(r.inputs)?.containers?.[0]?.image;
      const detail =
        spec.clusterIP === "None"
          ? "headless"
          : spec.type === "ExternalName"
            ? `ExternalName → ${String(spec.externalName)}`
            : spec.type === "NodePort"
              ? `NodePort ${spec.ports?.map((p) => p.nodePort).join(", ")}`
              : image
                ? `${spec.replicas ?? "?"} × \`${image}\``
                : "";
      // A cluster-scoped object (the namespace) by its name alone.
      const name = m.namespace ? `${m.namespace}/${m.name ?? r.name}` : (m.name ?? r.name);
      return [`${r.type.split(":").pop() ?? r.type} ${name}`, detail];
    });
  return {
    title: "kube-proxy and the service-networking lab",
    body: [
      `kube-proxy mode: ${mode}.`,
      lab.length > 0 ? table(["object", "detail"], lab) : "The lab is off (`networkLab`).",
    ].join("\n\n"),
  };
};
