/**
 * EKS managed add-on versions, pinned per Kubernetes version: a cluster gets the same add-ons whatever
 * day it is built, and an add-on changes only when this table does (or the Kubernetes version).
 *
 * Sources (EKS user guide, add-on pages, as published in 2026; check a new row with
 * `aws eks describe-addon-versions --kubernetes-version <v> --addon-name <name>`):
 * - kube-proxy: "Manage kube-proxy", table of versions per Kubernetes version
 *   (https://docs.aws.amazon.com/eks/latest/userguide/managing-kube-proxy.html).
 * - coredns: "Manage CoreDNS" (https://docs.aws.amazon.com/eks/latest/userguide/managing-coredns.html).
 * - vpc-cni: "Manage the Amazon VPC CNI" (https://docs.aws.amazon.com/eks/latest/userguide/managing-vpc-cni.html):
 *   one version for 1.29 to 1.35.
 * - eks-pod-identity-agent: the guide lists no build per Kubernetes version (one build serves them all);
 *   v1.3.10-eksbuild.2 is what AWS's own CDK EKS Blueprints pins for 1.33, 1.34 and 1.35
 *   (awslabs/cdk-eks-blueprints @ 05d3dbd0a462409bf002c989750d0de13bf83af2
 *   lib/addons/eks-pod-identity-agent/index.ts L7-17, "EKS Kubernetes 1.35 support", 2026-04-08).
 * - metrics-server (an EKS community add-on, owner "community"; EKS user guide community-addons.html, which
 *   lists no builds): AWS publishes no table of its builds, so these are the newest per-version choice found in
 *   public code, a CDK aws-eks-v2 sample's add-on version map (v0.9.0-eksbuild.5 for 1.34 and 1.35,
 *   v0.8.1-eksbuild.14 for 1.33), beside dated `describe-addon-versions` answers of v0.9.0 builds for 1.35.
 *   Not confirmed against AWS from here: check them with the command above before a first deploy.
 * Kubernetes 1.36 has no row yet: its CoreDNS and VPC CNI builds are not published where we can source
 * them, so the config check refuses 1.36 until a row is added here.
 */
export type AddonName = "vpc-cni" | "kube-proxy" | "coredns" | "eks-pod-identity-agent" | "metrics-server";

export const ADDON_VERSIONS: Readonly<Record<string, Readonly<Record<AddonName, string>>>> = {
  "1.33": {
    "vpc-cni": "v1.21.1-eksbuild.7",
    "kube-proxy": "v1.33.10-eksbuild.13",
    coredns: "v1.13.2-eksbuild.4",
    "eks-pod-identity-agent": "v1.3.10-eksbuild.2",
    "metrics-server": "v0.8.1-eksbuild.14",
  },
  "1.34": {
    "vpc-cni": "v1.21.1-eksbuild.7",
    "kube-proxy": "v1.34.6-eksbuild.13",
    coredns: "v1.13.2-eksbuild.4",
    "eks-pod-identity-agent": "v1.3.10-eksbuild.2",
    "metrics-server": "v0.9.0-eksbuild.5",
  },
  "1.35": {
    "vpc-cni": "v1.21.1-eksbuild.7",
    "kube-proxy": "v1.35.3-eksbuild.13",
    coredns: "v1.13.2-eksbuild.4",
    "eks-pod-identity-agent": "v1.3.10-eksbuild.2",
    "metrics-server": "v0.9.0-eksbuild.5",
  },
};

/**
 * The oldest VPC CNI that works beside kube-proxy in nftables mode (EKS best-practices guide, "Use
 * nftables with kube-proxy": VPC CNI v1.23.0 or later). Until the pinned add-on reaches it, nftables is refused.
 */
export const NFTABLES_MIN_VPC_CNI = "v1.23.0";

/** Compares add-on versions such as v1.21.1-eksbuild.7 by their semantic part. */
export function versionAtLeast(version: string, minimum: string): boolean {
  const parts = (v: string) => v.replace(/^v/, "").split("-")[0].split(".").map(Number);
  const [a, b] = [parts(version), parts(minimum)];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  }
  return true;
}

/** The pinned versions for a Kubernetes version; throws naming the table when there is no row. */
export function addonVersions(kubernetesVersion: string): Readonly<Record<AddonName, string>> {
  const row = ADDON_VERSIONS[kubernetesVersion];
  if (!row) {
    throw new Error(
      `no pinned EKS add-on versions for Kubernetes ${kubernetesVersion} (pinned: ${Object.keys(ADDON_VERSIONS).join(", ")}); add a row to components/cluster/addon-versions.ts`,
    );
  }
  return row;
}
