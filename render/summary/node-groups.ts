import type { GroupCapacity } from "../../components/cluster/capacity";
import { AWS, PULUMI_EKS } from "../../components/resource-types";
import { ofType, type ProgramRun, type RecordedResource } from "../harness";
import type { SummarySectionBuilder } from "./context";
import { nodeHourlyCost } from "./cost";
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
  /** The root volume as the launch template sets it, e.g. "50 GiB gp3, encrypted". */
  readonly rootVolume: string;
  readonly output?: NodeGroupOutput;
}

/**
 * Where a node group's image comes from: the launch template's imageId when there is one, else the
 * group's amiType and releaseVersion; "(not pinned)" when neither says (EKS then picks the newest image
 * at creation).
 */
function launchTemplateOf(run: ProgramRun, group: RecordedResource): RecordedResource | undefined {
  const byUrn = new Map(run.resources.map((r) => [r.urn, r]));
  return group.dependencies
    .map((urn) => byUrn.get(urn))
    .find((r): r is RecordedResource => r?.type === AWS.launchTemplate);
}

function nodeImageSource(run: ProgramRun, group: RecordedResource): string {
  const template = launchTemplateOf(run, group);
  const imageId = template?.inputs.imageId;
  // The image by its release name (what pins it), then the id EC2 resolves it to (a placeholder offline).
  const name = typeof run.outputs.nodeImage === "string" ? `${run.outputs.nodeImage} ` : "";
  if (typeof imageId === "string" && imageId !== "")
    return `${name}(\`${imageId}\`, launch template \`${template?.name}\`)`;
  const amiType = group.inputs.amiType;
  const releaseVersion = group.inputs.releaseVersion;
  if (amiType || releaseVersion)
    return `${String(amiType ?? "(AMI type: EKS default)")} ${releaseVersion ? `\`${String(releaseVersion)}\`` : "(release not pinned)"}`;
  return "(not pinned)";
}

export function nodeGroups(run: ProgramRun): NodeGroupFacts[] {
  const outputs = (run.outputs.nodeGroups ?? {}) as Record<string, NodeGroupOutput>;
  return ofType(run, PULUMI_EKS.managedNodeGroup).map((g) => {
    const name = String(g.inputs.nodeGroupNamePrefix ?? g.inputs.nodeGroupName ?? g.name).replace(/-$/, "");
    return {
      name,
      instanceTypes: (g.inputs.instanceTypes as string[] | undefined) ?? [],
      capacityType: String(g.inputs.capacityType ?? "ON_DEMAND"),
      scaling: (g.inputs.scalingConfig ?? {}) as NodeGroupFacts["scaling"],
      image: nodeImageSource(run, g),
      rootVolume: rootVolume(launchTemplateOf(run, g)),
      output: outputs[name],
    };
  });
}

function rootVolume(template: RecordedResource | undefined): string {
  const ebs = ((template?.inputs.blockDeviceMappings as
    | Array<{ ebs?: { volumeSize?: number; volumeType?: string; encrypted?: string } }>
    | undefined) ?? [])[0]?.ebs;
  if (!ebs) return "(the image's default)";
  return `${ebs.volumeSize ?? "?"} GiB ${ebs.volumeType ?? ""}, ${ebs.encrypted === "true" ? "encrypted" : "NOT encrypted"}`;
}

/** Whether the VPC CNI add-on runs with prefix delegation, from the configuration it is given. */
function prefixDelegation(run: ProgramRun): string {
  const cni = ofType(run, AWS.eksAddon).find((a) => a.inputs.addonName === "vpc-cni");
  const values = JSON.parse(String(cni?.inputs.configurationValues ?? "{}")) as {
    env?: { ENABLE_PREFIX_DELEGATION?: string };
  };
  return values.env?.ENABLE_PREFIX_DELEGATION === "true"
    ? "on (/28 prefixes per ENI slot)"
    : "off (one address per ENI slot)";
}

export const nodeGroupsSection: SummarySectionBuilder = ({ run }) => ({
  title: "Node groups",
  body: `VPC CNI prefix delegation: ${prefixDelegation(run)}.\n\n${table(
    [
      "node group",
      "instance types",
      "max pods",
      "kube-reserved memory",
      "capacity",
      "nodes (min / desired / max)",
      "root volume",
      "image",
    ],
    nodeGroups(run).map((g) => [
      g.name,
      g.instanceTypes.join(", "),
      String(g.output?.maxPods ?? "?"),
      g.output?.kubeReservedMemory ?? "?",
      g.capacityType,
      `${g.scaling.minSize ?? "?"} / ${g.scaling.desiredSize ?? "?"} / ${g.scaling.maxSize ?? "?"}`,
      g.rootVolume,
      g.image,
    ]),
  )}`,
});

/** The node group's room: what each node offers pods, what the add-ons take on each, what the rest asks, what is left. */
export const capacitySection: SummarySectionBuilder = ({ run }) => {
  const c = run.outputs.nodeCapacity as GroupCapacity | undefined;
  if (!c) return undefined;
  const row = (what: string, r: { pods: number; memoryMiB: number; cpuMillis: number }) => [
    what,
    String(r.pods),
    `${Math.round(r.memoryMiB)} MiB`,
    `${r.cpuMillis}m`,
  ];
  // A GPU or very large type is where a node count turns into money: its hourly price is said beside it.
  const price = nodeHourlyCost(run, c.node.instanceType);
  return {
    title: "Capacity",
    body: [
      `${c.nodes} × ${c.node.instanceType} (${c.node.memoryMiB} MiB, ${c.node.vcpus} vCPUs) at the desired size, counted for the group's smallest type: allocatable is memory less kube-reserved (${c.node.kubeReservedMemoryMiB} MiB for ${c.node.maxPods} pods) and the 100 MiB eviction threshold, CPU less nodeadm's kube-reserved.${price ? ` ${price}.` : ""}`,
      table(
        ["", "pods", "memory", "CPU"],
        [
          row("allocatable, per node", c.perNode),
          row("add-on DaemonSets, per node", c.daemonsPerNode),
          row("every other pod, requested in all", c.requested),
          row("left in the group", c.free),
        ],
      ),
    ].join("\n\n"),
  };
};
