import { ofType, type ProgramRun, type RecordedResource } from "../harness";
import { LAUNCH_TEMPLATE, NODE_GROUP } from "../resource-types";
import type { SummarySectionBuilder } from "./context";
import { table } from "./markdown";

interface NodeGroupOutput {
  instanceTypes: string[];
  maxPods: number;
  kubeReservedMemory: string;
}

export interface NodeGroupFacts {
  readonly name: string;
  readonly instanceTypes: string[];
  readonly capacityType: string;
  readonly scaling: { minSize?: number; desiredSize?: number; maxSize?: number };
  readonly image: string;
  readonly output?: NodeGroupOutput;
}

/**
 * Where a node group's image comes from: the launch template's imageId when there is one, else the
 * group's amiType and releaseVersion; "(not pinned)" when neither says (EKS then picks the newest image
 * at creation).
 */
function nodeImageSource(run: ProgramRun, group: RecordedResource): string {
  const byUrn = new Map(run.resources.map((r) => [r.urn, r]));
  const template = group.dependencies.map((urn) => byUrn.get(urn)).find((r) => r?.type === LAUNCH_TEMPLATE);
  const imageId = template?.inputs.imageId;
  if (typeof imageId === "string" && imageId !== "") return `\`${imageId}\` (launch template \`${template?.name}\`)`;
  const amiType = group.inputs.amiType;
  const releaseVersion = group.inputs.releaseVersion;
  if (amiType || releaseVersion) return `${String(amiType ?? "(AMI type: EKS default)")} ${releaseVersion ? `\`${String(releaseVersion)}\`` : "(release not pinned)"}`;
  return "(not pinned)";
}

export function nodeGroups(run: ProgramRun): NodeGroupFacts[] {
  const outputs = (run.outputs.nodeGroups ?? {}) as Record<string, NodeGroupOutput>;
  return ofType(run, NODE_GROUP).map((g) => {
    const name = String(g.inputs.nodeGroupNamePrefix ?? g.inputs.nodeGroupName ?? g.name).replace(/-$/, "");
    return {
      name,
      instanceTypes: (g.inputs.instanceTypes as string[] | undefined) ?? [],
      capacityType: String(g.inputs.capacityType ?? "ON_DEMAND"),
      scaling: (g.inputs.scalingConfig ?? {}) as NodeGroupFacts["scaling"],
      image: nodeImageSource(run, g),
      output: outputs[name],
    };
  });
}

export const nodeGroupsSection: SummarySectionBuilder = ({ run }) => ({
  title: "Node groups",
  body: table(
    ["node group", "instance types", "max pods", "kube-reserved memory", "capacity", "nodes (min / desired / max)", "image"],
    nodeGroups(run).map((g) => [
      g.name,
      g.instanceTypes.join(", "),
      String(g.output?.maxPods ?? "?"),
      g.output?.kubeReservedMemory ?? "?",
      g.capacityType,
      `${g.scaling.minSize ?? "?"} / ${g.scaling.desiredSize ?? "?"} / ${g.scaling.maxSize ?? "?"}`,
      g.image,
    ]),
  ),
});
