/**
 * Configuration values of the EKS managed add-ons, in the shape each add-on's configuration schema
 * accepts (`aws eks describe-addon-configuration --addon-name <name> --addon-version <v>`).
 */

/** vpc-cni add-on configuration values (the add-on's JSON schema: `env`, `enableNetworkPolicy`). */
export function vpcCniConfiguration(prefixDelegation: boolean): string {
  return JSON.stringify({
    env: prefixDelegation
      ? // One spare /28 per node: pods start without waiting for an EC2 call, without hoarding addresses.
        { ENABLE_PREFIX_DELEGATION: "true", WARM_PREFIX_TARGET: "1" }
      : { ENABLE_PREFIX_DELEGATION: "false" },
    enableNetworkPolicy: "true",
  });
}

/** kube-proxy modes: iptables (EKS's default), IPVS, and nftables (GA upstream since 1.33). */
export const KUBE_PROXY_MODES = ["iptables", "ipvs", "nftables"] as const;
export type KubeProxyMode = (typeof KUBE_PROXY_MODES)[number];

/** IPVS's scheduler: round robin, the default of kube-proxy and of AWS's IPVS guide. */
export const IPVS_SCHEDULER = "rr";

/**
 * The kernel modules IPVS needs on the node, as AWS's EKS best-practices guide lists them (networking,
 * "Running kube-proxy in IPVS mode"): AL2023's image does not preload them
 * (awslabs/amazon-eks-ami templates/al2023/runtime/rootfs/etc/modules-load.d holds only iptables modules).
 */
export const IPVS_KERNEL_MODULES = [
  "ip_vs",
  "ip_vs_rr",
  "ip_vs_wrr",
  "ip_vs_lc",
  "ip_vs_wlc",
  "ip_vs_lblc",
  "ip_vs_lblcr",
  "ip_vs_sh",
  "ip_vs_dh",
  "ip_vs_sed",
  "ip_vs_nq",
  "nf_conntrack",
] as const;

/**
 * kube-proxy add-on configuration values: the schema's `mode` and, for IPVS, `ipvs.scheduler`
 * (AWS re:Post "Configure kube-proxy in IPVS mode": '{"ipvs": {"scheduler": "rr"}, "mode": "ipvs"}').
 * Always sent, iptables included: `configuration_values` is Optional + Computed in the provider
 * (terraform-provider-aws internal/service/eks/addon.go), so leaving it out after IPVS would keep IPVS.
 */
export function kubeProxyConfiguration(mode: KubeProxyMode): string {
  return JSON.stringify(mode === "ipvs" ? { mode, ipvs: { scheduler: IPVS_SCHEDULER } } : { mode });
}
