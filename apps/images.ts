/**
 * The demo images and what pins them. An image by tag can be moved by whoever controls its registry; the
 * pack's mandatory `image-digest` policy (checkov CKV_K8S_43, kube-score container-image-tag) refuses one unless
 * its workload carries a written reason. Each default is pinned by digest where one is published in a source
 * that can be cited; the others keep their tag with the reason below, and config/ refuses any other image that
 * is not pinned by digest (`crane digest <image>` gives it).
 */

/**
 * registry.k8s.io/echoserver:1.5: the digest Kubernetes' own registry records for the tag (kubernetes/k8s.io
 * @ 0a04c7f8dad34bf634905cb2b2fb85977de1e39e k8s.gcr.io/images/DO-NOT-MODIFY-legacy-backfill/images.yaml,
 * `echoserver`: "sha256:feed0ca5…": ["1.5"]). That record names no platforms, so it runs as an unknown one does.
 */
export const ECHO_IMAGE =
  "registry.k8s.io/echoserver:1.5@sha256:feed0ca56bcecc621083404518aad894064760b65c1f884ddcb77d3379f7e1fc";

/** Default images kept by tag, each with why: no digest of them is published anywhere that can be cited. */
export const UNPINNED_DEFAULT_IMAGES: Readonly<Record<string, string>> = {
  "public.ecr.aws/l6m2t8p7/docker-2048:latest":
    "the AWS Load Balancer Controller's 2048 example image, published by tag only; pin game2048Image to repo@sha256",
  "bsord/tetris":
    "a community demo image published by tag only (bsord/tetris, last release 2022); pin tetrisImage to repo@sha256",
  "pengbai/docker-supermario":
    "a community demo image published by tag only (PengBAI/mariohtml5, 2018); pin marioImage to repo@sha256",
};

/** Whether an image reference names its digest. */
export function pinnedByDigest(image: string): boolean {
  return /@sha256:[0-9a-f]{64}$/.test(image);
}

/** The written reason a default image by tag carries, as a waiver of the digest checks (none for a pinned one). */
export function imageDigestWaiver(
  image: string,
): { readonly checkov: string; readonly kubeScore: string; readonly reason: string } | undefined {
  const reason = pinnedByDigest(image) ? undefined : UNPINNED_DEFAULT_IMAGES[image];
  return reason ? { checkov: "CKV_K8S_43", kubeScore: "container-image-tag", reason } : undefined;
}

/**
 * What a reviewer must read first about a default image: mario runs as root (apps/mario.ts says why), and its
 * published source builds it on `tomcat:9` as of 2018 (PengBAI/mariohtml5 @ 1fc352e3 Dockerfile L1, 2018-06-14):
 * Tomcat 9 of then runs on Debian 9 "stretch", whose long-term support ended in June 2022.
 */
export const IMAGE_WARNINGS: Readonly<Record<string, string>> = {
  "pengbai/docker-supermario":
    "mario runs as root (Pod Security baseline) in a 2018 image whose source builds on tomcat:9 of then (Debian 9, out of support since June 2022): keep it off production clusters, or set marioImage to a maintained image pinned by digest",
};

/** CPU architectures as the nodes' `kubernetes.io/arch` label names them. */
export const NODE_ARCHITECTURES = ["amd64", "arm64"] as const;
export type NodeArchitecture = (typeof NODE_ARCHITECTURES)[number];

/** Where an image runs, and why that is believed. */
export interface ImagePlatforms {
  readonly architectures: readonly NodeArchitecture[];
  readonly why: string;
}

/**
 * What an image whose platforms no citable source records is pinned to: amd64, where images are built when
 * nothing says otherwise. An image started on a node of another architecture crash-loops with `exec format
 * error`, so an unknown image must never reach an arm64 node.
 */
export const UNKNOWN_IMAGE_ARCHITECTURES: readonly NodeArchitecture[] = ["amd64"];

/**
 * The architectures an app's pods may run on: what the configuration says of its image (`key`), else amd64.
 * None of the demo apps' default images has a published platform list (UNPINNED_DEFAULT_IMAGES, ECHO_IMAGE).
 */
export function imagePlatforms(configured: readonly NodeArchitecture[], key: string): ImagePlatforms {
  if (configured.length > 0) return { architectures: [...configured].sort(), why: `as \`${key}\` says` };
  return {
    architectures: UNKNOWN_IMAGE_ARCHITECTURES,
    why: `no published platform list for the image: amd64 unless \`${key}\` says otherwise`,
  };
}
