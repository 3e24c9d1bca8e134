/**
 * eks-platform: composes the components in order and exports the stack outputs.
 * Everything computed lives in components/ and apps/; configuration is read once in config/.
 */

import { deployEcho, ECHO_PORT } from "./apps/echo";
import { deployGame2048 } from "./apps/game-2048";
import { appHostnames } from "./apps/hostnames";
import { deployMario, MARIO_APP } from "./apps/mario";
import { GAMES_GROUP } from "./apps/prefixed-game";
import { deployTetris, TETRIS_APP } from "./apps/tetris";
import { SCALE_DOWN_STABILIZATION_SECONDS } from "./apps/workload-spec";
import { Certificate } from "./components/certificate/certificate";
import { IPVS_KERNEL_MODULES } from "./components/cluster/addon-config";
import { Cluster } from "./components/cluster/cluster";
import { controlPlaneLogGroupName } from "./components/cluster/encryption";
import { kernelModulesUserData } from "./components/cluster/node-config";
import { AccessLogBucket } from "./components/edge/access-log-bucket";
import { accessLogBucketName } from "./components/edge/log-delivery";
import { WebAcl, wafLogGroupName } from "./components/edge/web-acl";
import { DnsRecordCleanup } from "./components/external-dns/dns-record-cleanup";
import { ExternalDns } from "./components/external-dns/external-dns";
import { excludedByReason } from "./components/karpenter/density";
import { KarpenterInstancesCleanup } from "./components/karpenter/instances-cleanup";
import { Karpenter } from "./components/karpenter/karpenter";
import { KARPENTER_DISCOVERY_TAG, KarpenterAws } from "./components/karpenter/karpenter-aws";
import { KarpenterNodePools } from "./components/karpenter/node-pools";
import { SpotServiceLinkedRole } from "./components/karpenter/spot-service-linked-role";
import { LoadBalancerController } from "./components/load-balancer-controller/load-balancer-controller";
import { LogsKey } from "./components/logging/logs-key";
import { flowLogGroupName } from "./components/network/flow-log-iam";
import { Network } from "./components/network/network";
import { loadConfig, STACK_TAG_KEY } from "./config";
import { NetworkLab } from "./lab/network-lab";

export = async () => {
  const config = await loadConfig();
  const tags = { [STACK_TAG_KEY]: config.clusterName, "managed-by": "pulumi" };
  const aws = { region: config.region, partition: config.partition, accountId: config.accountId };

  // One key for the stack's log groups, usable by CloudWatch Logs for those groups alone.
  const logGroups = {
    controlPlane: controlPlaneLogGroupName(config.clusterName),
    flowLogs: flowLogGroupName(config.clusterName),
    ...(config.webAcl ? { waf: wafLogGroupName(config.clusterName) } : {}),
  };
  const logsKey = new LogsKey("logs", { ...aws, logGroupNames: Object.values(logGroups), tags });

  const network = new Network("network", {
    cidrBlock: config.vpcCidr,
    availabilityZones: config.availabilityZones,
    clusterName: config.clusterName,
    natGateways: config.natGateways,
    // Karpenter's node class finds the private subnets by this tag.
    privateSubnetTags: config.karpenter ? { [KARPENTER_DISCOVERY_TAG]: config.clusterName } : undefined,
    flowLogs: {
      ...aws,
      logGroupName: logGroups.flowLogs,
      retentionDays: config.controlPlaneLogRetentionDays,
      kmsKeyArn: logsKey.keyArn,
    },
    tags,
  });

  const cluster = new Cluster("cluster", {
    clusterName: config.clusterName,
    kubernetesVersion: config.kubernetesVersion,
    supportType: config.supportType,
    accountId: config.accountId,
    partition: config.partition,
    logRetentionDays: config.controlPlaneLogRetentionDays,
    logTypes: config.controlPlaneLogTypes,
    logsKeyArn: logsKey.keyArn,
    vpcId: network.vpcId,
    privateSubnetIds: network.privateSubnetIds,
    publicAccessCidrs: config.publicAccessCidrs,
    adminPrincipalArns: config.adminAccess.entries,
    prefixDelegation: config.prefixDelegation,
    kubeProxyMode: config.kubeProxyMode,
    nodeImage: config.nodeImage,
    nodeEgress: network.privateEgress,
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
  // Controllers start on nodes that route Services (kube-proxy) and hand out Pod Identity credentials.
  // Not on CoreDNS's add-on turning ACTIVE: it comes up beside them, and waiting for it would only
  // lengthen the deploy's critical path (see render/critical-path.ts).
  const readyNodes = [...cluster.nodeGroups, cluster.addons.kubeProxy, cluster.addons.podIdentityAgent];

  const loadBalancerController = new LoadBalancerController("lb-controller", {
    ...aws,
    clusterName: cluster.clusterName,
    vpcId: network.vpcId,
    provider: cluster.provider,
    readyNodes,
    tags,
    // The shared games ALB: only tetris's and mario's Ingresses may join it.
    ingressGroups: [{ name: GAMES_GROUP, namespaces: [TETRIS_APP, MARIO_APP] }],
  });

  // Nodes that scale: Karpenter on the managed group, launching nodes at exactly the calculator's max pods.
  const karpenter = (() => {
    if (!config.karpenter) return undefined;
    const karpenterAws = new KarpenterAws("karpenter-aws", {
      clusterName: cluster.clusterName,
      partition: config.partition,
      nodeSecurityGroupId: cluster.clusterSecurityGroupId,
      tags,
    });
    const controller = new Karpenter("karpenter", {
      ...aws,
      clusterName: cluster.clusterName,
      nodeRoleArn: karpenterAws.nodeRoleArn,
      queueName: karpenterAws.queueName,
      queueArn: karpenterAws.queueArn,
      provider: cluster.provider,
      readyNodes: [...readyNodes, ...karpenterAws.ready],
      tags,
    });
    // On destroy, after the NodePools and before the cluster and the network: no instance Karpenter launched is left.
    const instancesCleanup = new KarpenterInstancesCleanup("karpenter-instances", {
      clusterName: config.clusterName,
      region: config.region,
      credentials: config.awsCredentials,
      outlives: [network, cluster],
    });
    // Spot needs EC2 Spot's service-linked role in the account: made if missing, never deleted.
    const spotRole = config.karpenterCapacityTypes.includes("spot")
      ? new SpotServiceLinkedRole("spot-role", { region: config.region, credentials: config.awsCredentials })
      : undefined;
    return new KarpenterNodePools("karpenter-pools", {
      clusterName: cluster.clusterName,
      pools: config.karpenterPools.pools,
      nodeRoleName: karpenterAws.nodeRoleName,
      nodeImageRelease: config.nodeImageRelease,
      diskSizeGiB: config.nodeDiskSize,
      userData: config.kubeProxyMode === "ipvs" ? kernelModulesUserData(IPVS_KERNEL_MODULES) : undefined,
      capacityTypes: config.karpenterCapacityTypes,
      consolidation: config.karpenterConsolidation,
      disruptionBudget: config.karpenterDisruptionBudget,
      consolidateAfterSeconds: SCALE_DOWN_STABILIZATION_SECONDS,
      provider: cluster.provider,
      dependsOn: [
        controller.release,
        ...karpenterAws.ready,
        instancesCleanup.ready,
        ...(spotRole ? [spotRole.ready] : []),
      ],
      tags,
    });
  })();

  // TLS and DNS names need a public hosted zone; without one the stack still deploys on plain HTTP.
  const dns = (() => {
    if (config.domain === undefined || config.hostedZoneId === undefined) return undefined;
    const txtOwnerId = `${config.clusterName}-${config.region}`;
    const externalDns = new ExternalDns("external-dns", {
      ...aws,
      clusterName: cluster.clusterName,
      domain: config.domain,
      hostedZoneId: config.hostedZoneId,
      txtOwnerId,
      provider: cluster.provider,
      readyNodes,
      tags,
    });
    return {
      domain: config.domain,
      // Issued in parallel with the cluster: it waits for nothing but Route 53.
      certificate: new Certificate("certificate", {
        domain: config.domain,
        hostedZoneId: config.hostedZoneId,
        nameServers: config.hostedZoneNameServers ?? [],
        tags,
      }),
      externalDns,
      recordCleanup: new DnsRecordCleanup("dns-record-cleanup", {
        hostedZoneId: config.hostedZoneId,
        txtOwnerId,
        region: config.region,
        credentials: config.awsCredentials,
        externalDns: externalDns.release,
        keepsRunning: [cluster.addons.coredns],
      }),
    };
  })();

  // What every load balancer carries: access logs to the stack's bucket, deletion protection as configured,
  // and (config webAcl) the WAF web ACL on the internet-facing ALBs.
  const accessLogBucketNameValue = accessLogBucketName({
    clusterName: config.clusterName,
    accountId: config.accountId,
    region: config.region,
  });
  const accessLogs = new AccessLogBucket("lb-access-logs", {
    ...aws,
    bucketName: accessLogBucketNameValue,
    retentionDays: config.accessLogRetentionDays,
    tags,
  });
  const webAcl = config.webAcl
    ? new WebAcl("web-acl", {
        tags,
        logging: {
          logGroupName: wafLogGroupName(config.clusterName),
          retentionDays: config.controlPlaneLogRetentionDays,
          kmsKeyArn: logsKey.keyArn,
        },
      })
    : undefined;

  const apps = {
    provider: cluster.provider,
    kubernetesVersion: config.kubernetesVersion,
    loadBalancerController: loadBalancerController.release,
    ingressClasses: loadBalancerController.ingressClasses,
    // The apps' pods run on the managed group and on Karpenter's nodes: on destroy the apps go before the
    // NodePools, so nothing asks for a node while the pools drain theirs.
    nodes: karpenter ? [...cluster.nodeGroups, karpenter] : cluster.nodeGroups,
    dns: dns && {
      domain: dns.domain,
      certificateArn: dns.certificate.certificateArn,
      recordCleanup: dns.recordCleanup.ready,
    },
    crossZoneLoadBalancing: config.nlbCrossZoneLoadBalancing,
    // Each app scales between its replicas key and appMaxReplicas on CPU; pods above the managed nodes' room
    // go to nodes Karpenter launches (config/ refuses a ceiling beyond the group's room and its limits together).
    autoscaling: { maxReplicas: config.appMaxReplicas, targetCpuUtilization: config.appTargetCpuUtilization },
    edge: {
      accessLogBucket: accessLogBucketNameValue,
      deletionProtection: config.loadBalancerDeletionProtection,
      webAclArn: webAcl?.arn,
      ready: [...accessLogs.ready, ...(webAcl?.ready ?? [])],
    },
    subnetCidrs: network.subnetCidrs,
  };
  const tetris = deployTetris(apps, {
    image: config.tetrisImage,
    architectures: config.appPlatforms.tetris.architectures,
    replicas: config.tetrisReplicas,
  });
  const echo = deployEcho(apps, {
    image: config.echoImage,
    architectures: config.appPlatforms.echo.architectures,
    replicas: config.echoReplicas,
  });
  if (config.networkLab) {
    new NetworkLab("lab", {
      provider: cluster.provider,
      nodes: cluster.nodeGroups,
      echo: { namespace: echo.namespace, selector: echo.selector, targetPort: "http", containerPort: ECHO_PORT },
      nodeCidrs: network.subnetCidrs.private,
      gamesHostname: dns && appHostnames(dns.domain).games,
    });
  }
  const urls = {
    echo: echo.url,
    "game-2048": deployGame2048(apps, {
      image: config.game2048Image,
      architectures: config.appPlatforms["game-2048"].architectures,
      replicas: config.game2048Replicas,
    }),
    tetris: tetris.shared,
    "tetris-nlb": tetris.nlb,
    mario: deployMario(apps, {
      image: config.marioImage,
      architectures: config.appPlatforms.mario.architectures,
      replicas: config.marioReplicas,
    }).shared,
  };

  return {
    urls,
    clusterName: cluster.clusterName,
    kubeconfig: cluster.kubeconfig,
    region: config.region,
    vpcCidr: config.vpcCidr,
    domain: config.domain,
    prefixDelegation: config.prefixDelegation,
    kubeProxyMode: config.kubeProxyMode,
    networkLab: config.networkLab,
    nodeImage: config.nodeImage.name,
    nodeGroups: cluster.nodeGroupSummaries,
    // Karpenter's pools: each one's exact max pods and how many instance types it may launch (verify checks its nodes).
    karpenterNodePools:
      karpenter &&
      Object.fromEntries(
        config.karpenterPools.pools.map((p) => [
          p.name,
          { maxPods: p.maxPods, kubeReservedMemory: p.kubeReservedMemory, instanceTypes: [...p.instanceTypes] },
        ]),
      ),
    // The offline table's types no NodePool admits, by why (summary.md lists them).
    karpenterExcludedTypes: karpenter && excludedByReason(config.karpenterPools.excluded),
    // Where each app's pods may run, and why (apps/images.ts imagePlatforms): summary.md says it.
    appArchitectures: config.appPlatforms,
    // The node group's room for what the program places on it (config/capacity.ts checked that it fits).
    nodeCapacity: config.capacity,
    // The Kubernetes version's support phase on the day of the deploy, and what EKS does when it ends.
    kubernetesSupport: { ...config.kubernetesSupport, supportType: config.supportType },
    tlsAndDns: dns
      ? `on: ACM certificate for ${dns.domain} and *.${dns.domain}, records published by ExternalDNS`
      : "off",
    certificateArn: dns?.certificate.certificateArn,
    notes: [
      ...(dns
        ? []
        : [
            "TLS and DNS names are off: no domain is configured, so the apps answer plain HTTP on the load balancers' own hostnames. " +
              "Turn them on with `pulumi config set eks-platform:domain <public Route 53 zone>` and `pulumi up`.",
          ]),
      ...config.adminAccess.unmanaged.map(
        (arn) =>
          `adminPrincipalArns: ${arn} is admin through the access entry EKS made for the cluster's creator; no second one is made (a principal holds one entry).`,
      ),
    ],
  };
};
