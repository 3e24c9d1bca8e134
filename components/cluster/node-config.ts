import { stringify } from "yaml";
import { kubeReservedMemoryMiB } from "./max-pods";

/** The node label naming a node's group: `npm run verify` matches nodes to their expected max pods by it. */
export const NODE_GROUP_LABEL = "eks-platform/node-group";

/** MIME type nodeadm reads a NodeConfig section under. https://awslabs.github.io/amazon-eks-ami/nodeadm/ */
export const NODEADM_CONTENT_TYPE = "application/node.eks.aws";

/** The multipart boundary of our user data; any token absent from the parts would do. */
const BOUNDARY = "EKS-PLATFORM-BOUNDARY";

/** What a node needs to find and trust its cluster: the fields nodeadm requires when EKS adds nothing (custom AMI). */
export interface NodeClusterDetails {
  readonly name: string;
  readonly apiServerEndpoint: string;
  /** Base64 CA bundle, as EKS reports it. */
  readonly certificateAuthority: string;
  /** The cluster's service CIDR: nodeadm derives the cluster DNS address from it. */
  readonly serviceCidr: string;
}

/**
 * The kubelet settings our NodeConfig carries: pod density and the memory reserved for it.
 *
 * Why these are the values the kubelet ends up with (awslabs/amazon-eks-ami @ 81fec2e8,
 * nodeadm/internal/kubelet/config.go): nodeadm writes its own defaults (maxPods from its ENI table,
 * kubeReserved.memory = 11 × that maxPods + 255, L277-287, L442-444) to /etc/kubernetes/kubelet/config.json,
 * and writes `spec.kubelet.config` from user data unchanged to config.json.d/40-nodeadm.conf (L334-376);
 * the kubelet merges that drop-in over the base as a JSON merge patch, so our `maxPods` replaces the
 * default and our `kubeReserved.memory` replaces nodeadm's (its cpu and ephemeral-storage stay). nodeadm
 * never recomputes kubeReserved from a user maxPods (nodeconfig_types.go L72-76), hence both are set here.
 * EKS adds no NodeConfig of its own to a launch template with a custom AMI (EKS user guide,
 * launch-templates: "If a custom AMI ID is specified ... Amazon EKS doesn't merge user data"), so nothing
 * later in the merge order (nodeadm/internal/api/merge.go: later documents win) can override these.
 */
export function kubeletConfig(maxPods: number): { maxPods: number; kubeReserved: { memory: string } } {
  return { maxPods, kubeReserved: { memory: `${kubeReservedMemoryMiB(maxPods)}Mi` } };
}

/**
 * The node's whole user data: a nodeadm MIME document with the cluster section (nodeadm needs name,
 * endpoint, CA and service CIDR when the AMI is ours, not EKS's) and the kubelet section (max pods,
 * reservation, the node group's labels). The same shape pulumi-eks v4.3.0 builds for a custom AMI
 * (pulumi/pulumi-eks @ 0f5a5447, nodejs/eks/nodes/userdata.ts createNodeadmUserData and
 * assembleNodeadmUserData), written here so the tests can read every byte the node boots with.
 */
export function nodeUserData(args: {
  cluster: NodeClusterDetails;
  maxPods: number;
  labels: Readonly<Record<string, string>>;
  /** Kernel modules to load at boot and on every later boot (IPVS's, when kube-proxy runs in that mode). */
  kernelModules?: readonly string[];
}): string {
  const skeleton = { apiVersion: "node.eks.aws/v1alpha1", kind: "NodeConfig" };
  const labels = Object.entries(args.labels).map(([key, value]) => `${key}=${value}`);
  const documents = [
    {
      ...skeleton,
      spec: {
        cluster: {
          name: args.cluster.name,
          apiServerEndpoint: args.cluster.apiServerEndpoint,
          certificateAuthority: args.cluster.certificateAuthority,
          cidr: args.cluster.serviceCidr,
        },
      },
    },
    {
      ...skeleton,
      spec: {
        kubelet: {
          config: kubeletConfig(args.maxPods),
          // With a custom AMI, EKS does not label the node: the kubelet registers it with its labels.
          ...(labels.length > 0 ? { flags: [`--node-labels=${labels.join(",")}`] } : {}),
        },
      },
    },
  ];
  const parts = documents.map(
    (doc) => `--${BOUNDARY}\nContent-Type: ${NODEADM_CONTENT_TYPE}\n\n---\n${stringify(doc)}`,
  );
  const modules = args.kernelModules ?? [];
  if (modules.length > 0) parts.push(kernelModulesPart(modules));
  return `MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="${BOUNDARY}"\n\n${parts.join("")}--${BOUNDARY}--\n`;
}

/** A MIME part that loads kernel modules now and at every later boot: cloud-init runs it; nodeadm reads only the NodeConfig parts. */
function kernelModulesPart(modules: readonly string[]): string {
  return (
    `--${BOUNDARY}\nContent-Type: text/x-shellscript; charset="us-ascii"\n\n#!/bin/bash\nset -euo pipefail\n` +
    `printf '%s\\n' ${modules.join(" ")} > /etc/modules-load.d/eks-platform.conf\n` +
    `for module in ${modules.join(" ")}; do modprobe "$module"; done\n`
  );
}

/**
 * User data that only loads kernel modules, for Karpenter's EC2NodeClass: Karpenter writes the NodeConfig itself
 * (cluster, and the kubelet from the class) and merges a MIME document it is given with its own for AL2023
 * (Karpenter docs, NodeClasses, spec.userData, "AL2023").
 */
export function kernelModulesUserData(modules: readonly string[]): string {
  return `MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="${BOUNDARY}"\n\n${kernelModulesPart(modules)}--${BOUNDARY}--\n`;
}

/** The NodeConfig documents of a nodeadm MIME user data, in order (for tests and the render). */
export function nodeConfigDocuments(userData: string): string[] {
  const boundary = /boundary="([^"]+)"/.exec(userData)?.[1];
  if (!boundary) throw new Error("user data is not a multipart MIME document");
  return userData
    .split(`--${boundary}`)
    .filter((part) => part.includes(`Content-Type: ${NODEADM_CONTENT_TYPE}`))
    .map((part) => part.slice(part.indexOf("\n\n") + 2));
}
