/**
 * eks-platform: composes the components in order and exports the stack outputs.
 * Everything computed lives in components/ and apps/; configuration is read once in config.ts.
 */
import { deployEcho } from "./apps/echo";
import { deployGame2048 } from "./apps/game-2048";
import { deployMario } from "./apps/mario";
import { deployTetris } from "./apps/tetris";
import { Certificate } from "./components/certificate/certificate";
import { Cluster } from "./components/cluster/cluster";
import { ExternalDns } from "./components/external-dns/external-dns";
import { LoadBalancerController } from "./components/load-balancer-controller/load-balancer-controller";
import { Network } from "./components/network/network";
import { loadConfig } from "./config";

export = async () => {
  const config = await loadConfig();
  const tags = { "eks-platform/stack": config.clusterName, "managed-by": "pulumi" };
  const aws = { region: config.region, partition: config.partition, accountId: config.accountId };

  const network = new Network("network", {
    cidrBlock: config.vpcCidr,
    availabilityZones: config.availabilityZones,
    clusterName: config.clusterName,
    natGateways: config.natGateways,
    tags,
  });

  const cluster = new Cluster("cluster", {
    clusterName: config.clusterName,
    kubernetesVersion: config.kubernetesVersion,
    vpcId: network.vpcId,
    privateSubnetIds: network.privateSubnetIds,
    publicAccessCidrs: config.publicAccessCidrs,
    adminPrincipalArns: config.adminPrincipalArns,
    prefixDelegation: config.prefixDelegation,
    nodeGroups: [
      {
        name: "general",
        instanceTypes: config.nodeInstanceTypes,
        instanceLimits: config.instanceLimits,
        minSize: config.nodeMinSize,
        desiredSize: config.nodeDesiredSize,
        maxSize: config.nodeMaxSize,
        capacityType: config.nodeCapacityType,
        diskSize: config.nodeDiskSize,
        maxPodsOverride: config.maxPodsOverride,
      },
    ],
    tags,
  });
  // Controllers start on ready nodes with cluster DNS.
  const readyNodes = [...cluster.nodeGroups, cluster.addons.coredns];

  const loadBalancerController = new LoadBalancerController("lb-controller", {
    ...aws,
    clusterName: cluster.clusterName,
    vpcId: network.vpcId,
    provider: cluster.provider,
    readyNodes,
    tags,
  });

  // TLS and DNS names need a public hosted zone; without one the stack still deploys on plain HTTP.
  const dns =
    config.domain !== undefined && config.hostedZoneId !== undefined
      ? {
          domain: config.domain,
          // Issued in parallel with the cluster: it waits for nothing but Route 53.
          certificate: new Certificate("certificate", { domain: config.domain, hostedZoneId: config.hostedZoneId, tags }),
          externalDns: new ExternalDns("external-dns", {
            ...aws,
            clusterName: cluster.clusterName,
            domain: config.domain,
            hostedZoneId: config.hostedZoneId,
            txtOwnerId: `${config.clusterName}-${config.region}`,
            provider: cluster.provider,
            readyNodes,
            tags,
          }),
        }
      : undefined;

  const apps = {
    provider: cluster.provider,
    kubernetesVersion: config.kubernetesVersion,
    loadBalancerController: loadBalancerController.release,
    dns: dns && { domain: dns.domain, certificateArn: dns.certificate.certificateArn, externalDns: dns.externalDns.release },
    crossZoneLoadBalancing: config.nlbCrossZoneLoadBalancing,
  };
  const tetris = deployTetris(apps, { image: config.tetrisImage, replicas: config.tetrisReplicas });
  const urls = {
    echo: deployEcho(apps, { image: config.echoImage, replicas: config.echoReplicas }),
    "game-2048": deployGame2048(apps, { image: config.game2048Image, replicas: config.game2048Replicas }),
    tetris: tetris.shared,
    "tetris-nlb": tetris.nlb,
    mario: deployMario(apps, { image: config.marioImage, replicas: config.marioReplicas }).shared,
  };

  return {
    urls,
    clusterName: cluster.clusterName,
    kubeconfig: cluster.kubeconfig,
    nodeGroups: cluster.nodeGroupSummaries,
    tlsAndDns: dns ? `on: ACM certificate for ${dns.domain} and *.${dns.domain}, records published by ExternalDNS` : "off",
    certificateArn: dns?.certificate.certificateArn,
    notes: dns
      ? []
      : [
          "TLS and DNS names are off: no domain is configured, so the apps answer plain HTTP on the load balancers' own hostnames. " +
            "Turn them on with `pulumi config set eks-platform:domain <public Route 53 zone>` and `pulumi up`.",
        ],
  };
};
