/**
 * The node image, pinned. An EKS-optimized AL2023 AMI is named
 * `amazon-eks-node-al2023-<arch>-standard-<k8s minor>-<release>` (awslabs/amazon-eks-ami, one release
 * tag per build, e.g. v20260714), and one name is one image per region, so resolving the AMI by its
 * exact name gives the same id on every run: the launch template (and the nodes) change only when
 * `nodeImageRelease` or `kubernetesVersion` does. The "recommended" SSM parameter pulumi-eks reads
 * would roll every node on the first `pulumi up` after AWS publishes a new image.
 */

/**
 * The AL2023 release the nodes run by default: the newest in the CHANGELOG of awslabs/amazon-eks-ami
 * @ 81fec2e8 (CHANGELOG.md line 5, "v20260714"), which lists images for Kubernetes 1.33 to 1.36
 * (kubelets 1.33.13, 1.34.9, 1.35.6, 1.36.2). Upgrade: set `nodeImageRelease` to a newer tag from
 * https://github.com/awslabs/amazon-eks-ami/releases and run `pulumi up` (a rolling node replacement).
 */
export const DEFAULT_NODE_IMAGE_RELEASE = "v20260714";

/** A release tag of amazon-eks-ami: `v` and the build date. */
export const NODE_IMAGE_RELEASE_PATTERN = /^v\d{8}$/;

/** The AMI owner alias EKS-optimized images are published under (terraform-aws-eks and AWS samples look them up the same way). */
export const NODE_IMAGE_OWNER = "amazon";

/** CPU architectures of EC2 (`supportedArchitectures`) and the AMI name's architecture part. */
const AMI_ARCHITECTURE: Readonly<Record<string, string>> = { x86_64: "x86_64", arm64: "arm64" };

/**
 * The AL2023 image variants amazon-eks-ami publishes: `standard`; `nvidia` (NVIDIA driver, container toolkit)
 * for GPU instances, x86_64 and arm64; `neuron` (Neuron driver) for Inferentia and Trainium, x86_64 only.
 * Published as `amazon-eks-node-al2023-<arch>-<variant>-<minor>-<release>` (the CHANGELOG of
 * awslabs/amazon-eks-ami @ 81fec2e8 lists x86_64 standard/nvidia/neuron and arm64 standard/nvidia for
 * every release and Kubernetes version).
 */
export type NodeImageVariant = "standard" | "nvidia" | "neuron";

/**
 * Instance families with AWS Neuron devices (Inferentia, Trainium): the Neuron image's. AWS Neuron
 * documentation, supported instances; EC2 accelerated computing instance types.
 */
export const NEURON_FAMILIES: readonly string[] = ["inf1", "inf2", "trn1", "trn1n", "trn2", "trn2u"];

/** Which image an instance type needs: Neuron for Inferentia and Trainium, NVIDIA for GPUs, else standard. */
export function nodeImageVariant(instanceType: string, gpus: number): NodeImageVariant {
  if (NEURON_FAMILIES.includes(instanceType.split(".")[0])) return "neuron";
  return gpus > 0 ? "nvidia" : "standard";
}

/** The exact AMI name of the EKS-optimized AL2023 image for this Kubernetes version, architecture, variant and release. */
export function nodeImageName(args: {
  kubernetesVersion: string;
  architecture: string;
  release: string;
  variant?: NodeImageVariant;
}): string {
  const arch = AMI_ARCHITECTURE[args.architecture];
  if (!arch) throw new Error(`no EKS-optimized AL2023 image for CPU architecture ${args.architecture}`);
  if (!NODE_IMAGE_RELEASE_PATTERN.test(args.release))
    throw new Error(`node image release ${args.release} is not of the form v<YYYYMMDD>`);
  return `amazon-eks-node-al2023-${arch}-${args.variant ?? "standard"}-${args.kubernetesVersion}-${args.release}`;
}
