/**
 * Max pods per node, exactly as AWS's max-pods calculator computes it
 * (awslabs/amazon-eks-ami templates/al2/runtime/max-pods-calculator.sh).
 *
 *   secondary IPs:       ENIs × (IPv4 per ENI − 1) + 2
 *   prefix delegation:   ENIs × ((IPv4 per ENI − 1) × 16) + 2   (Nitro only; each slot holds a /28)
 *   custom networking:   one ENI fewer (the primary ENI carries no pods)
 *   cap:                 110 for ≤ 30 vCPUs, 250 above (the script's "recommended" value)
 *
 * The "+ 2" are the host-network pods every node runs anyway (aws-node and kube-proxy).
 */

/** Network limits of one instance type, as the EC2 API reports them. */
export interface InstanceNetworkLimits {
  /** Maximum ENIs on the default network card (not the whole instance: only that card carries pods). */
  maxEnis: number;
  /** IPv4 addresses per ENI. */
  ipv4PerEni: number;
  /** Default vCPUs, which select the 110 or 250 cap. */
  vcpus: number;
  /** Nitro hypervisor: prefix delegation is available only there. Bare metal reports no hypervisor. */
  nitro: boolean;
}

export interface MaxPodsOptions {
  /** VPC CNI `ENABLE_PREFIX_DELEGATION`. */
  prefixDelegation: boolean;
  /** VPC CNI custom networking (pods on other subnets than the node's): one ENI fewer. */
  customNetworking?: boolean;
  /** Use at most this many ENIs (the calculator's `--cni-max-eni`). */
  maxEnis?: number;
  /** Apply the 110/250 cap (the calculator's default); false gives its `--show-max-allowed` value. */
  cap?: boolean;
}

/** IPs in one prefix-delegation slot: a /28. */
const IPS_PER_PREFIX = 16;
/** Host-network pods not counted against ENI addresses (aws-node, kube-proxy). */
const HOST_NETWORK_PODS = 2;
const MAX_PODS_CAP_LOW_CPU = 110;
const MAX_PODS_CAP_HIGH_CPU = 250;
const HIGH_CPU_THRESHOLD = 30;

export function maxPods(limits: InstanceNetworkLimits, options: MaxPodsOptions): number {
  let enis = options.maxEnis === undefined ? limits.maxEnis : Math.min(options.maxEnis, limits.maxEnis);
  if (options.customNetworking) {
    enis -= 1;
  }
  const addressesPerEni = limits.ipv4PerEni - 1;
  const uncapped =
    limits.nitro && options.prefixDelegation
      ? enis * (addressesPerEni * IPS_PER_PREFIX) + HOST_NETWORK_PODS
      : enis * addressesPerEni + HOST_NETWORK_PODS;
  if (options.cap === false) {
    return uncapped;
  }
  const ceiling = limits.vcpus > HIGH_CPU_THRESHOLD ? MAX_PODS_CAP_HIGH_CPU : MAX_PODS_CAP_LOW_CPU;
  return Math.min(ceiling, uncapped);
}

/**
 * kube-reserved memory in MiB for a node running `pods` pods: AWS's formula (11 × maxPods + 255),
 * the one AL2023's nodeadm applies to its own ENI-based maxPods. Raising maxPods without raising
 * this leaves the kubelet under-reserved. https://github.com/awslabs/amazon-eks-ami (nodeadm kubelet config)
 */
export function kubeReservedMemoryMiB(pods: number): number {
  return 11 * pods + 255;
}

/** The fields of `aws.ec2.getInstanceType` that the calculator reads. */
export interface Ec2InstanceTypeInfo {
  defaultNetworkCardIndex: number;
  networkCards: ReadonlyArray<{ index: number; maximumInterfaces: number }>;
  maximumNetworkInterfaces: number;
  maximumIpv4AddressesPerInterface: number;
  defaultVcpus: number;
  hypervisor: string;
}

/** Network limits from the EC2 API answer, reading the default network card as the calculator does. */
export function limitsFromEc2(info: Ec2InstanceTypeInfo): InstanceNetworkLimits {
  const defaultCard = info.networkCards.find((card) => card.index === info.defaultNetworkCardIndex);
  return {
    maxEnis: defaultCard?.maximumInterfaces ?? info.maximumNetworkInterfaces,
    ipv4PerEni: info.maximumIpv4AddressesPerInterface,
    vcpus: info.defaultVcpus,
    nitro: info.hypervisor === "nitro",
  };
}

/**
 * The max pods a node group uses: the smallest calculator value over its instance types (a node
 * of any of them may launch), lowered by an override where one is set.
 */
export function nodeGroupMaxPods(
  limits: readonly InstanceNetworkLimits[],
  options: MaxPodsOptions,
  override?: number,
): number {
  if (limits.length === 0) {
    throw new Error("nodeGroupMaxPods: a node group needs at least one instance type");
  }
  const computed = Math.min(...limits.map((l) => maxPods(l, options)));
  return override === undefined ? computed : override;
}

/** The highest value an override may take: the calculator's uncapped value for the smallest type. */
export function maxPodsCeiling(limits: readonly InstanceNetworkLimits[], options: MaxPodsOptions): number {
  return Math.min(...limits.map((l) => maxPods(l, { ...options, cap: false })));
}
