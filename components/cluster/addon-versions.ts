/**
 * EKS managed add-on versions, pinned per Kubernetes version: a cluster gets the same add-ons whatever
 * day it is built, and an add-on changes only when data/aws/addon-versions.json does (or the Kubernetes
 * version). `npm run refresh` writes that file from EKS DescribeAddonVersions: per minor, EKS's default
 * version of each add-on where EKS marks one, else the newest; where each pin came from is in its `source`.
 */
import { readDataFile } from "../../data/aws";

/** The add-ons the program installs as EKS add-ons, in the order the refresh asks for them. */
export const ADDON_NAMES = ["vpc-cni", "kube-proxy", "coredns", "eks-pod-identity-agent", "metrics-server"] as const;
export type AddonName = (typeof ADDON_NAMES)[number];

const ADDON_DATA = readDataFile("addons");

export const ADDON_VERSIONS: Readonly<Record<string, Readonly<Record<AddonName, string>>>> = Object.fromEntries(
  Object.entries(ADDON_DATA.versions).map(([minor, row]) => [
    minor,
    Object.fromEntries(ADDON_NAMES.map((name) => [name, row[name].pinned])) as Record<AddonName, string>,
  ]),
);

/** Where the pins come from and when they were recorded. */
export const ADDON_VERSIONS_SOURCE = ADDON_DATA.source;

/**
 * The oldest VPC CNI that works beside kube-proxy in nftables mode (EKS best-practices guide, "Use
 * nftables with kube-proxy": VPC CNI v1.23.0 or later). Until the pinned add-on reaches it, nftables is refused.
 */
export const NFTABLES_MIN_VPC_CNI = "v1.23.0";

/** Orders add-on versions such as v1.21.1-eksbuild.7: by their semantic part, then by the EKS build. */
export function compareAddonVersions(a: string, b: string): number {
  const parts = (v: string) => {
    const [semantic, build] = v.replace(/^v/, "").split("-");
    return [...semantic.split(".").map(Number), Number(/eksbuild\.(\d+)/.exec(build ?? "")?.[1] ?? 0)];
  };
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  }
  return 0;
}

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
      `no pinned EKS add-on versions for Kubernetes ${kubernetesVersion} (pinned: ${Object.keys(ADDON_VERSIONS).join(", ")}); npm run refresh pins the add-ons of every minor EKS offers (data/aws/addon-versions.json)`,
    );
  }
  return row;
}
