/**
 * Update semantics of the AWS resource types the program declares, from terraform-provider-aws. The rows follow
 * @pulumi/aws 7.48.0, which bridges terraform-provider-aws v6.66.0; each row's `sources` name the file versions
 * its rules were read at (a commit, or the release where no commit is known), and its `notes` the conditional
 * behaviours the lists cannot say and what a file older than v6.66.0 leaves open.
 * `autoName` follows pulumi-aws: every resource whose Terraform `name` is Optional or Required is auto-named
 * unless it says otherwise (pulumi/pulumi-aws @ 0c5f6583 provider/autonaming.go L13-32; S3's `bucket` and EKS
 * node groups' `nodeGroupName` by their overrides, Route 53 records not at all, resource_overrides.go @ 015d3438).
 * `unique`: values AWS allows once at a time (an add-on per cluster, an entry per principal), from AWS's
 * behaviour rather than the schema, with what a second one meets while the first lives: a replacement created
 * first that keeps them fails, or is undone by the old one's delete. `autoName`: the input pulumi-aws names
 * by itself; set by the program, the provider deletes before replacing (render/rehearsal/semantics.ts).
 * `region` (Optional + Computed on every regional type) is left out of the rows: the program never sets it, the
 * provider's region is compared as a whole (rehearse.ts), and the rule is stated once, in semantics.ts isRegional.
 * The flow-log, default-security-group, S3 and WAFv2 rows (the security review) leave out what the file versions
 * do not settle: FlowLog tagFieldSpecifications, WebAcl's anti-DDoS and bot-control fields, and
 * BucketLifecycleConfiguration expectedBucketOwner's softening in v6.66 (listed as ForceNew, as in the file).
 * The program sets none of them. The SQS, EventBridge and ec2 Tag rows (Karpenter's) leave out EventTarget
 * appsyncTarget (not in the file version); the program does not set it.
 */

import { AWS } from "../../components/resource-types";
import type { SourceRef, TypeSemantics } from "./semantics";

const TF = "hashicorp/terraform-provider-aws";
/** A terraform-provider-aws file at a commit. */
const tf = (path: string, commit: string, lines?: string): SourceRef => ({
  repository: TF,
  path,
  commit,
  ...(lines ? { lines } : {}),
});
/** A terraform-provider-aws file at a release, where its commit is not known. */
const tfRelease = (path: string, version: string, lines?: string): SourceRef => ({
  repository: TF,
  path,
  version,
  ...(lines ? { lines } : {}),
});

export const AWS_SEMANTICS: Readonly<Record<string, TypeSemantics>> = {
  [AWS.acmCertificate]: {
    sources: [tf("internal/service/acm/certificate.go", "01661ea3cbe6b07ed725b03c587d24ceb464484a", "L73-L266")],
    notes: [
      "subjectAlternativeNames: listing or leaving out domainName replaces nothing (CustomizeDiff adds it, like ACM)",
      "subjectAlternativeNames: any other change replaces",
      "privateKeyWo, privateKeyWoVersion (write-only key import, PR #44414): Optional",
      "whether privateKeyWo or privateKeyWoVersion forces a replacement is not verified in the source read",
    ],
    forceNew: [
      "certificateAuthorityArn",
      "domainName",
      "keyAlgorithm",
      "subjectAlternativeNames",
      "validationMethod",
      "validationOptions",
      "validationOptions.domainName",
      "validationOptions.validationDomain",
    ],
    optionalComputed: [
      "domainName",
      "keyAlgorithm",
      "options",
      "options.export",
      "subjectAlternativeNames",
      "validationMethod",
    ],
  },
  [AWS.acmCertificateValidation]: {
    sources: [
      tf("internal/service/acm/certificate_validation.go", "004eea7f9b6658d88d652e89e10c7520a10ad6b8", "L39-L51"),
    ],
    forceNew: ["certificateArn", "validationRecordFqdns"],
    optionalComputed: [],
  },
  [AWS.logGroup]: {
    sources: [tf("internal/service/logs/group.go", "0073593e7d6993ba482409f4dc35438daaa79bb3", "L44-L100")],
    forceNew: ["logGroupClass", "name", "namePrefix"],
    optionalComputed: ["logGroupClass", "name", "namePrefix", "deletionProtectionEnabled"],
    autoName: "name",
    unique: [{ fields: ["name"], clash: "CreateLogGroup answers ResourceAlreadyExistsException" }],
  },
  [AWS.eip]: {
    sources: [tf("internal/service/ec2/ec2_eip.go", "01606926a0c0ab9174aec440f976a48b0baee722", "L50-L141")],
    forceNew: ["address", "domain", "ipamPoolId", "networkBorderGroup", "publicIpv4Pool"],
    optionalComputed: ["domain", "instance", "ipamPoolId", "networkBorderGroup", "networkInterface", "publicIpv4Pool"],
    unique: [{ fields: ["address"], clash: "an Elastic IP address is allocated to one allocation at a time" }],
  },
  [AWS.internetGateway]: {
    sources: [
      tf("internal/service/ec2/vpc_internet_gateway.go", "08923b68b5ad6fcfdd38362fb5247e39a9b07add", "L39-L55"),
    ],
    forceNew: [],
    optionalComputed: ["vpcId"],
    unique: [
      {
        fields: ["vpcId"],
        clash:
          "a VPC has one internet gateway attached at a time: AttachInternetGateway answers Resource.AlreadyAssociated",
      },
    ],
  },
  [AWS.launchTemplate]: {
    sources: [tfRelease("internal/service/ec2/ec2_launch_template.go", "v5.8x", "L48-L962")],
    forceNew: ["name", "namePrefix"],
    optionalComputed: [
      "defaultVersion",
      "metadataOptions",
      "metadataOptions.httpEndpoint",
      "metadataOptions.httpProtocolIpv6",
      "metadataOptions.httpPutResponseHopLimit",
      "metadataOptions.httpTokens",
      "metadataOptions.instanceMetadataTags",
      "blockDeviceMappings.ebs.iops",
      "blockDeviceMappings.ebs.throughput",
      "blockDeviceMappings.ebs.volumeSize",
      "blockDeviceMappings.ebs.volumeType",
      "blockDeviceMappings.ebs.volumeInitializationRate",
      "instanceMarketOptions.spotOptions.validUntil",
      "name",
      "namePrefix",
    ],
    autoName: "name",
    unique: [
      { fields: ["name"], clash: "CreateLaunchTemplate answers InvalidLaunchTemplateName.AlreadyExistsException" },
    ],
  },
  [AWS.natGateway]: {
    sources: [tfRelease("internal/service/ec2/vpc_nat_gateway.go", "v6.x, 2026", "L53-L206")],
    notes: [
      "secondaryPrivateIpAddressCount: with connectivityType private, a change of the count replaces (CustomizeDiff)",
      "availabilityZoneAddresses: with availabilityMode regional, going between none and some replaces",
      "availabilityZoneAddresses: that switch of automatic and manual mode goes through regionalNatGatewayAutoMode",
    ],
    forceNew: ["allocationId", "availabilityMode", "connectivityType", "privateIp", "subnetId", "vpcId"],
    optionalComputed: [
      "availabilityMode",
      "availabilityZoneAddresses.availabilityZoneId",
      "privateIp",
      "secondaryAllocationIds",
      "secondaryPrivateIpAddressCount",
      "secondaryPrivateIpAddresses",
      "vpcId",
    ],
    unique: [
      {
        fields: ["allocationId"],
        clash:
          "the Elastic IP is still associated with the old NAT gateway: the new one goes to failed with Resource.AlreadyAssociated",
      },
    ],
  },
  [AWS.routeTable]: {
    sources: [tf("internal/service/ec2/vpc_route_table.go", "022092419b7cda11527df3c6b51cbfe1876c1722", "L63-L156")],
    forceNew: ["vpcId"],
    optionalComputed: ["propagatingVgws", "routes"],
  },
  [AWS.routeTableAssociation]: {
    sources: [
      tf("internal/service/ec2/vpc_route_table_association.go", "0be71beb458ad8875e0acc5c91519c0ceeb214aa", "L29-L46"),
    ],
    forceNew: ["gatewayId", "subnetId"],
    optionalComputed: [],
    unique: [
      {
        fields: ["subnetId"],
        clash:
          "a subnet is associated with one route table at a time: AssociateRouteTable answers Resource.AlreadyAssociated",
      },
      {
        fields: ["gatewayId"],
        clash:
          "a gateway is associated with one route table at a time: AssociateRouteTable answers Resource.AlreadyAssociated",
      },
    ],
  },
  [AWS.subnet]: {
    sources: [
      tf("internal/service/ec2/vpc_subnet.go", "00cda125a19d31754cb0d073cf551264c57955cb", "L60-L193"),
      tf("internal/service/ec2/vpc_subnet.go", "00cda125a19d31754cb0d073cf551264c57955cb", "L195-L208"),
    ],
    notes: [
      "ipv6CidrBlock: a change replaces while the old assignIpv6AddressOnCreation is true (CustomizeDiff)",
      "ipv6CidrBlock: otherwise it is updated in place (disassociate, then associate)",
    ],
    forceNew: [
      "availabilityZone",
      "availabilityZoneId",
      "cidrBlock",
      "ipv4IpamPoolId",
      "ipv4NetmaskLength",
      "ipv6IpamPoolId",
      "ipv6Native",
      "ipv6NetmaskLength",
      "outpostArn",
      "vpcId",
    ],
    optionalComputed: [
      "availabilityZone",
      "availabilityZoneId",
      "cidrBlock",
      "ipv6CidrBlock",
      "privateDnsHostnameTypeOnLaunch",
    ],
    unique: [
      {
        fields: ["vpcId", "cidrBlock"],
        clash: "CreateSubnet answers InvalidSubnet.Conflict: the CIDR block conflicts with the old subnet's",
      },
      {
        fields: ["vpcId", "ipv6CidrBlock"],
        clash: "CreateSubnet answers InvalidSubnet.Conflict: the IPv6 CIDR block conflicts with the old subnet's",
      },
    ],
  },
  [AWS.vpc]: {
    sources: [tf("internal/service/ec2/vpc_.go", "00081ce41cc691433ac19bf42227cdabffd0454d", "L65-L175")],
    notes: [
      "instanceTenancy: any change replaces but dedicated to default, which is updated in place (CustomizeDiff)",
      "cidrBlock: ForceNew, but CustomizeDiff clears a cidrBlock diff when ipv4NetmaskLength is set (IPAM)",
    ],
    forceNew: ["cidrBlock", "ipv4IpamPoolId", "ipv4NetmaskLength"],
    optionalComputed: [
      "cidrBlock",
      "enableDnsHostnames",
      "enableNetworkAddressUsageMetrics",
      "ipv6CidrBlock",
      "ipv6CidrBlockNetworkBorderGroup",
    ],
  },
  [AWS.eksAddon]: {
    sources: [tfRelease("internal/service/eks/addon.go", "v6.x, 2026", "L63-L161")],
    forceNew: ["addonName", "clusterName", "namespaceConfig", "namespaceConfig.namespace"],
    optionalComputed: ["addonVersion", "configurationValues", "namespaceConfig", "namespaceConfig.namespace"],
    unique: [
      {
        fields: ["clusterName", "addonName"],
        clash: "CreateAddon answers ResourceInUseException: the cluster has the add-on already",
      },
    ],
  },
  [AWS.eksPodIdentityAssociation]: {
    sources: [
      tf("internal/service/eks/pod_identity_association.go", "00a35305dc1b297a6fcdecdfbba33f1e63c3da39", "L63-L117"),
    ],
    forceNew: ["clusterName", "namespace", "serviceAccount"],
    optionalComputed: [],
    unique: [
      {
        fields: ["clusterName", "namespace", "serviceAccount"],
        clash: "CreatePodIdentityAssociation answers ResourceInUseException: one role per service account per cluster",
      },
    ],
  },
  [AWS.eksAccessEntry]: {
    sources: [tf("internal/service/eks/access_entry.go", "01f431114674c27cf790fafb67ac274bf8f765e1", "L48-L95")],
    forceNew: ["clusterName", "principalArn", "type"],
    optionalComputed: ["kubernetesGroups", "userName"],
    unique: [
      {
        fields: ["clusterName", "principalArn"],
        clash: "CreateAccessEntry answers ResourceInUseException: a principal has one access entry per cluster",
      },
    ],
  },
  [AWS.eksAccessPolicyAssociation]: {
    sources: [tfRelease("internal/service/eks/access_policy_association.go", "v6.x, 2026", "L50-L101")],
    forceNew: ["accessScope", "accessScope.namespaces", "accessScope.type", "clusterName", "policyArn", "principalArn"],
    optionalComputed: [],
    unique: [
      {
        fields: ["clusterName", "principalArn", "policyArn"],
        clash:
          "AssociateAccessPolicy on the same principal and policy updates the one association, which the old one's delete then removes",
      },
    ],
  },
  [AWS.eksCluster]: {
    sources: [tfRelease("internal/service/eks/cluster.go", "v6.3x", "L72-L505")],
    notes: [
      "bootstrapSelfManagedAddons: ForceNew (Default true): any change replaces the cluster",
      "encryptionConfig: ForceNewIfChange: removing it replaces; adding it is AssociateEncryptionConfig, in place",
      "computeConfig.nodeRoleArn: changing a non-empty value to another replaces (CustomizeDiff)",
      "computeConfig.nodeRoleArn: disabling Auto Mode or clearing the node pools does not replace",
      "version: Optional+Computed, updated in place (UpdateClusterVersion); a downgrade fails, never replaces",
      "kubeApiServerConfig, kubeControllerManagerConfig, kubeSchedulerConfig, outpostConfig.etcd*: PR #49412, v6.6x",
      "those PR #49412 fields are reported updatable in place (UpdateClusterConfig)",
      "the ForceNew and Optional+Computed flags of those fields are not verified in the source read",
      "defaultAddonsToRemoves: a deprecated input of pulumi-aws alone; whether it replaces is not established",
    ],
    forceNew: [
      "accessConfig.bootstrapClusterCreatorAdminPermissions",
      "bootstrapSelfManagedAddons",
      "kubernetesNetworkConfig.ipFamily",
      "kubernetesNetworkConfig.serviceIpv4Cidr",
      "name",
      "outpostConfig.controlPlaneInstanceType",
      "outpostConfig.controlPlanePlacement.groupName",
      "roleArn",
    ],
    optionalComputed: [
      "accessConfig",
      "accessConfig.authenticationMode",
      "computeConfig",
      "computeConfig.enabled",
      "controlPlaneScalingConfig",
      "controlPlaneScalingConfig.tier",
      "deletionProtection",
      "kubernetesNetworkConfig",
      "kubernetesNetworkConfig.elasticLoadBalancing",
      "kubernetesNetworkConfig.elasticLoadBalancing.enabled",
      "kubernetesNetworkConfig.ipFamily",
      "kubernetesNetworkConfig.serviceIpv4Cidr",
      "storageConfig",
      "storageConfig.blockStorage.enabled",
      "upgradePolicy",
      "upgradePolicy.supportType",
      "version",
      "vpcConfig.publicAccessCidrs",
      "kubeApiServerConfig.eventTtl",
      "kubeApiServerConfig.serviceNodePortRange.maxPort",
      "kubeApiServerConfig.serviceNodePortRange.minPort",
      "outpostConfig.etcdInstanceType",
      "outpostConfig.etcdPlacement.spreadLevel",
      "outpostConfig.controlPlanePlacement.spreadLevel",
      "vpcConfig.controlPlaneEgressMode",
    ],
    autoName: "name",
    unique: [{ fields: ["name"], clash: "CreateCluster answers ResourceInUseException: the cluster name is taken" }],
  },
  [AWS.eksNodeGroup]: {
    sources: [tf("internal/service/eks/node_group.go", "012e0a32f0686212f447447fd3d81c3d0ce256ad", "L56-L314")],
    notes: ["warmPoolConfig and other fields newer than this file: their flags are not verified in the source read"],
    forceNew: [
      "amiType",
      "capacityType",
      "clusterName",
      "diskSize",
      "instanceTypes",
      "launchTemplate.id",
      "launchTemplate.name",
      "nodeGroupName",
      "nodeGroupNamePrefix",
      "nodeRoleArn",
      "remoteAccess",
      "remoteAccess.ec2SshKey",
      "remoteAccess.sourceSecurityGroupIds",
      "subnetIds",
    ],
    optionalComputed: [
      "amiType",
      "capacityType",
      "diskSize",
      "instanceTypes",
      "launchTemplate.id",
      "launchTemplate.name",
      "nodeGroupName",
      "nodeGroupNamePrefix",
      "nodeRepairConfig",
      "releaseVersion",
      "updateConfig",
      "version",
      "warmPoolConfig.maxGroupPreparedCapacity",
      "warmPoolConfig.minSize",
      "warmPoolConfig.poolState",
      "warmPoolConfig.reuseOnScaleIn",
    ],
    autoName: "nodeGroupName",
    unique: [
      {
        fields: ["clusterName", "nodeGroupName"],
        clash: "CreateNodegroup answers ResourceInUseException: the node group name is taken",
      },
    ],
  },
  [AWS.iamRole]: {
    sources: [tfRelease("internal/service/iam/role.go", "v6.x before v6.48", "L77-L205")],
    forceNew: ["name", "namePrefix", "path"],
    optionalComputed: ["inlinePolicies", "managedPolicyArns", "name", "namePrefix"],
    autoName: "name",
    unique: [{ fields: ["name"], clash: "CreateRole answers EntityAlreadyExists" }],
  },
  [AWS.iamRolePolicy]: {
    sources: [tfRelease("internal/service/iam/role_policy.go", "v6.x, 2026", "L50-L84")],
    forceNew: ["name", "namePrefix", "role"],
    optionalComputed: ["name", "namePrefix"],
    autoName: "name",
    unique: [
      {
        fields: ["role", "name"],
        clash: "PutRolePolicy overwrites the role's policy of that name, which the old one's delete then removes",
      },
    ],
  },
  [AWS.iamRolePolicyAttachment]: {
    sources: [tfRelease("internal/service/iam/role_policy_attachment.go", "v6.x", "L48-L60")],
    forceNew: ["policyArn", "role"],
    optionalComputed: [],
    unique: [
      {
        fields: ["role", "policyArn"],
        clash: "AttachRolePolicy of an attached policy changes nothing, and the old one's delete then detaches it",
      },
    ],
  },
  [AWS.kmsKey]: {
    sources: [tf("internal/service/kms/key.go", "00a35305dc1b297a6fcdecdfbba33f1e63c3da39", "L53-L131")],
    forceNew: ["customKeyStoreId", "customerMasterKeySpec", "keyUsage", "multiRegion", "xksKeyId"],
    optionalComputed: ["description", "multiRegion", "policy", "rotationPeriodInDays"],
  },
  [AWS.route53Record]: {
    sources: [tf("internal/service/route53/record.go", "00655c1681ea1e49ab10cd32d3f8bee372b2095b", "L62-L328")],
    forceNew: ["name", "zoneId"],
    optionalComputed: ["allowOverwrite"],
    unique: [
      {
        fields: ["zoneId", "name", "type", "setIdentifier"],
        optional: ["setIdentifier"],
        clash:
          "ChangeResourceRecordSets CREATE answers InvalidChangeBatch (the record exists), or with allowOverwrite UPSERTs it, which the old one's delete then removes",
      },
    ],
  },
  [AWS.flowLog]: {
    sources: [tf("internal/service/ec2/vpc_flow_log.go", "00a35305dc1b297a6fcdecdfbba33f1e63c3da39", "L45-L163")],
    notes: [
      "destinationOptions: removing the block causes no diff (SuppressMissingOptionalConfigurationBlock)",
      "a removed destinationOptions leaves the cloud value, although it is not Computed",
      "tagFieldSpecifications (PR #48913): whether it forces a replacement is not verified in the source read",
      "update: tags only",
      "trafficType: ignored for transit gateway and attachment flow logs (neither sent nor read back)",
    ],
    forceNew: [
      "deliverCrossAccountRole",
      "destinationOptions",
      "destinationOptions.fileFormat",
      "destinationOptions.hiveCompatiblePartitions",
      "destinationOptions.perHourPartition",
      "eniId",
      "iamRoleArn",
      "logDestination",
      "logDestinationType",
      "logFormat",
      "maxAggregationInterval",
      "regionalNatGatewayId",
      "subnetId",
      "trafficType",
      "transitGatewayAttachmentId",
      "transitGatewayId",
      "vpcId",
    ],
    optionalComputed: ["logDestination", "logFormat"],
  },
  [AWS.defaultSecurityGroup]: {
    sources: [
      tf("internal/service/ec2/vpc_default_security_group.go", "01f431114674c27cf790fafb67ac274bf8f765e1", "L41-L78"),
      tf("internal/service/ec2/vpc_default_security_group.go", "01f431114674c27cf790fafb67ac274bf8f765e1", "L28"),
      tf("internal/service/ec2/vpc_default_security_group.go", "01f431114674c27cf790fafb67ac274bf8f765e1", "L82-L132"),
      tfRelease("internal/service/ec2/vpc_security_group.go", "v5.x", "L124-L188"),
    ],
    notes: [
      "delete is schema.NoopContext: a destroy or replacement only drops it from the state",
      "the group and its current rules stay in AWS (nothing is revoked); revokeRulesOnDelete is not used",
      "create adopts the VPC's default group: DescribeSecurityGroups by group-name default and vpc-id",
      'with vpcId unset, create looks the group up by description "default group"',
      "create then revokes ALL of that group's rules (forceRevokeSecurityGroupRules)",
      "it revokes the rules in other groups it knows of that point to it as well",
      "only then does create apply the configured ingress and egress",
      "ingress, egress: Optional+Computed, ConfigMode Attr: after create, leaving them out keeps the rules AWS has",
      "an explicit empty ingress or egress list removes all of its rules",
    ],
    forceNew: ["vpcId"],
    optionalComputed: ["egress", "ingress", "vpcId"],
    onDelete:
      "nothing is deleted in AWS (Delete is schema.NoopContext): the VPC's default security group keeps the rules last applied; the resource only leaves the state",
  },
  [AWS.s3Bucket]: {
    sources: [
      tfRelease("internal/service/s3/bucket.go", "v5.9x"),
      tf("internal/service/s3/delete.go", "08ab5ba85887f8ace064bba6df8db969331570eb", "L21-L38"),
    ],
    notes: [
      "bucketNamespace (v6.37, PR #46917): ForceNew per the provider's documentation",
      "bucketNamespace: Optional+Computed is not verified in the source read",
      "delete: DeleteBucket; on BucketNotEmpty with forceDestroy true in the state, emptyBucket, then again",
      "the delete repeats until DeleteBucket no longer answers BucketNotEmpty, or answers another error",
      "emptyBucket deletes every object version, then every delete marker (ListObjectVersions pages)",
      "with object lock Enabled in the state, it bypasses governance retention and lifts legal holds on AccessDenied",
      "with forceDestroy false, BucketNotEmpty is returned as an error (no emptying, no retry)",
      "after a successful DeleteBucket it waits until HeadBucket finds nothing (Delete timeout 60m)",
      "forceDestroy is read from the old state: set in the update that replaces or deletes the bucket, it does nothing",
      "objectLockConfiguration.objectLockEnabled: a deprecated field of the block; ForceNew",
    ],
    forceNew: [
      "bucket",
      "bucketNamespace",
      "bucketPrefix",
      "objectLockConfiguration.objectLockEnabled",
      "objectLockEnabled",
    ],
    optionalComputed: [
      "accelerationStatus",
      "acl",
      "bucket",
      "bucketNamespace",
      "bucketPrefix",
      "corsRules",
      "grants",
      "lifecycleRules",
      "lifecycleRules.id",
      "logging",
      "objectLockConfiguration",
      "objectLockEnabled",
      "policy",
      "replicationConfiguration",
      "requestPayer",
      "serverSideEncryptionConfiguration",
      "versioning",
      "website",
    ],
    autoName: "bucket",
    unique: [{ fields: ["bucket"], clash: "CreateBucket answers BucketAlreadyOwnedByYou" }],
    onDelete:
      "DeleteBucket; if the bucket is not empty: with forceDestroy true in the last applied state, every object version and delete marker is deleted (unrecoverable) and DeleteBucket retried until it succeeds or fails otherwise; with forceDestroy false the delete fails with BucketNotEmpty",
  },
  [AWS.s3BucketPolicy]: {
    sources: [tf("internal/service/s3/bucket_policy.go", "0073593e7d6993ba482409f4dc35438daaa79bb3", "L37-L44")],
    notes: [
      "delete: DeleteBucketPolicy (NoSuchBucket ignored), then waits until GetBucketPolicy reports none",
      "one policy per bucket: create and update are the same PutBucketPolicy",
    ],
    forceNew: ["bucket"],
    optionalComputed: [],
    unique: [
      {
        fields: ["bucket"],
        clash: "a bucket has one policy: PutBucketPolicy overwrites it, and the old one's delete then removes it",
      },
    ],
  },
  [AWS.s3BucketPublicAccessBlock]: {
    sources: [
      tf("internal/service/s3/bucket_public_access_block.go", "01606926a0c0ab9174aec440f976a48b0baee722", "L35-L65"),
    ],
    notes: [
      "blockPublicAcls, blockPublicPolicy, ignorePublicAcls, restrictPublicBuckets: Optional, Default false",
      "those four are not Computed: removing one sets it back to false",
      "skipDestroy: when true, delete leaves the block in place and only drops the resource from the state",
    ],
    forceNew: ["bucket"],
    optionalComputed: [],
    unique: [
      {
        fields: ["bucket"],
        clash:
          "a bucket has one public access block: the new one overwrites it, and the old one's delete then removes it",
      },
    ],
  },
  [AWS.s3BucketServerSideEncryptionConfiguration]: {
    sources: [
      tfRelease("internal/service/s3/bucket_server_side_encryption_configuration.go", "v6.x, 2026", "L45-L96"),
      tfRelease("internal/service/s3/bucket_server_side_encryption_configuration.go", "v6.x, 2026", "L98-L114"),
    ],
    notes: [
      "expectedBucketOwner (deprecated, PR #46262): any change replaces (CustomizeDiff)",
      "expectedBucketOwner going from unset to the caller's own account ID does not replace",
      "delete: DeleteBucketEncryption; the bucket keeps S3's default encryption, and the provider does not wait",
    ],
    forceNew: ["bucket"],
    optionalComputed: [],
    unique: [
      {
        fields: ["bucket"],
        clash:
          "a bucket has one encryption configuration: the new one overwrites it, and the old one's delete then resets it",
      },
    ],
  },
  [AWS.s3BucketLifecycleConfiguration]: {
    sources: [
      tf(
        "internal/service/s3/bucket_lifecycle_configuration.go",
        "01606926a0c0ab9174aec440f976a48b0baee722",
        "L72-L393",
      ),
    ],
    notes: [
      "expectedBucketOwner: RequiresReplace (with UseStateForUnknown); deprecated in @pulumi/aws 7.48.0 (PR #46262)",
      "whether v6.66.0 replaces on expectedBucketOwner unset to own account ID is not verified in the source read",
      "transitionDefaultMinimumObjectSize: Optional+Computed, its default set by a plan modifier",
      "rules.*: nested Optional+Computed fields, marked 'Because of Legacy value handling' or 'of schema change'",
    ],
    forceNew: ["bucket", "expectedBucketOwner"],
    optionalComputed: [
      "expectedBucketOwner",
      "transitionDefaultMinimumObjectSize",
      "rules.prefix",
      "rules.expiration.days",
      "rules.expiration.expiredObjectDeleteMarker",
      "rules.filter.objectSizeGreaterThan",
      "rules.filter.objectSizeLessThan",
      "rules.filter.prefix",
      "rules.filter.and.objectSizeGreaterThan",
      "rules.filter.and.objectSizeLessThan",
      "rules.filter.and.prefix",
      "rules.noncurrentVersionExpiration.newerNoncurrentVersions",
      "rules.noncurrentVersionTransitions.newerNoncurrentVersions",
      "rules.transitions.days",
    ],
    unique: [
      {
        fields: ["bucket"],
        clash:
          "a bucket has one lifecycle configuration: the new one overwrites it, and the old one's delete then removes it",
      },
    ],
  },
  [AWS.s3BucketOwnershipControls]: {
    sources: [
      tfRelease("internal/service/s3/bucket_ownership_controls.go", "v5.x", "L38-L60"),
      tf("internal/service/s3/bucket_ownership_controls.go", "01c08000ddb14181b5bd19201d8fca311dc570e4", "L30-L52"),
    ],
    notes: [
      "delete: DeleteBucketOwnershipControls (retried on OperationAborted for 5m), then waits until none is found",
    ],
    forceNew: ["bucket"],
    optionalComputed: [],
    unique: [
      {
        fields: ["bucket"],
        clash:
          "a bucket has one ownership control: the new one overwrites it, and the old one's delete then removes it",
      },
    ],
  },
  [AWS.wafv2WebAcl]: {
    sources: [
      tf("internal/service/wafv2/web_acl.go", "0073593e7d6993ba482409f4dc35438daaa79bb3", "L60-L255"),
      tfRelease("internal/service/wafv2/schemas.go", "older than v6.66.0"),
    ],
    notes: [
      "left out: awsManagedRulesAntiDdosRuleSet.sensitivityToBlock, .clientSideActionConfig.challenge.sensitivity",
      "left out: awsManagedRulesBotControlRuleSet.enableMachineLearning",
      "those are Optional+Computed in the rule group association; for the web ACL, not verified in the source read",
      "in schemas.go at that version, enableMachineLearning is Optional with Default true",
      "update: one UpdateWebACL with the lock token, which keeps any AWS Shield mitigation rule group on the ACL",
    ],
    forceNew: ["name", "namePrefix", "scope"],
    optionalComputed: [
      "name",
      "namePrefix",
      "rules.statement.managedRuleGroupStatement.managedRuleGroupConfigs.awsManagedRulesAcfpRuleSet.enableRegexInPath",
      "rules.statement.managedRuleGroupStatement.managedRuleGroupConfigs.awsManagedRulesAtpRuleSet.enableRegexInPath",
    ],
    autoName: "name",
    unique: [{ fields: ["name", "scope"], clash: "CreateWebACL answers WAFDuplicateItemException" }],
  },
  [AWS.wafv2WebAclLoggingConfiguration]: {
    sources: [
      {
        repository: "pulumi/terraform-provider-aws",
        path: "internal/service/wafv2/web_acl_logging_configuration.go",
        commit: "122a58103640826a4793ef37353289632b78452b",
        lines: "L42-L166",
      },
    ],
    notes: ["the web ACL and the destinations both force a new configuration; the filters and redactions update"],
    forceNew: ["resourceArn", "logDestinationConfigs"],
    optionalComputed: [],
  },
  [AWS.sqsQueue]: {
    sources: [tf("internal/service/sqs/queue.go", "00a35305dc1b297a6fcdecdfbba33f1e63c3da39", "L44-L175")],
    notes: [
      "name: unique per account and region",
      "CreateQueue with a taken name returns that queue's URL when all attributes match",
      "CreateQueue with a taken name fails (QueueAlreadyExists) when the attributes differ",
      "so a create-first replacement keeping the name fails, or adopts the queue the old one's delete deletes",
      "after DeleteQueue, AWS refuses the same name for 60 s",
      "create retries QueueDeletedRecently for half the create timeout (default 3m, so 90 s)",
      "fifoQueue: ForceNew (Default false); a FIFO name must end in .fifo (CustomizeDiff, on create)",
      "kmsDataKeyReusePeriodSeconds: no diff while neither sqsManagedSseEnabled nor kmsMasterKeyId is set",
      "CustomizeDiff clears its diff on update when sqsManagedSseEnabled is true",
      "policy, redrivePolicy, redriveAllowPolicy: Optional+Computed, for their own resources to own",
      "those resources are QueuePolicy, QueueRedrivePolicy and QueueRedriveAllowPolicy",
      "policy diffs use SuppressEquivalentPolicyDiffs",
      "contentBasedDeduplication, delaySeconds, maxMessageSize: Optional with Default, not Computed",
      "messageRetentionSeconds, receiveWaitTimeSeconds, visibilityTimeoutSeconds: Optional with Default too",
      "removing one of those six sets its default back",
      "update: one SetQueueAttributes for every change that does not replace, then waits for propagation",
    ],
    forceNew: ["fifoQueue", "name", "namePrefix"],
    optionalComputed: [
      "deduplicationScope",
      "fifoThroughputLimit",
      "kmsDataKeyReusePeriodSeconds",
      "name",
      "namePrefix",
      "policy",
      "redriveAllowPolicy",
      "redrivePolicy",
      "sqsManagedSseEnabled",
    ],
    autoName: "name",
    unique: [
      {
        fields: ["name"],
        clash:
          "CreateQueue answers QueueAlreadyExists (or returns the same queue, which the old one's delete then deletes)",
      },
    ],
    onDelete:
      "DeleteQueue: the queue and every message in it are deleted (unrecoverable; ignored if already gone), then waits until the queue is gone; AWS refuses a new queue of the same name for 60 s",
  },
  [AWS.sqsQueuePolicy]: {
    sources: [
      tfRelease("internal/service/sqs/queue_policy.go", "v6.x, 2026", "L40-L47"),
      tfRelease("internal/sdkv2/schema.go", "v6.x, 2026", "L78"),
      tfRelease("internal/sdkv2/schema.go", "v6.x, 2026", "L139-L150"),
      tf("internal/service/sqs/attribute_funcs.go", "364914aa270d504efb13bbe34027625d53af2dad", "L31-L64"),
      tf("internal/service/sqs/attribute_funcs.go", "364914aa270d504efb13bbe34027625d53af2dad", "L102-L128"),
    ],
    notes: [
      "policy: sdkv2.IAMPolicyDocumentSchemaRequired(): Required, not ForceNew",
      "policy: equivalent IAM documents suppressed (also on refresh), normalised by a StateFunc",
      "create and update are queueAttributeHandler.Upsert: one SetQueueAttributes(Policy)",
      "it is retried while AWS answers 'Invalid value for the parameter Policy' (a principal not yet propagated)",
      "creating one overwrites whatever policy the queue has, one set through Queue.policy included",
      "delete: SetQueueAttributes with an empty Policy (QueueDoesNotExist ignored), then waits for propagation",
      "after the delete the queue has no policy at all",
      "Queue.policy is Optional+Computed, so the Queue does not fight it",
    ],
    forceNew: ["queueUrl"],
    optionalComputed: [],
    unique: [
      {
        fields: ["queueUrl"],
        clash: "a queue has one policy: the new one overwrites it, and the old one's delete then empties it",
      },
    ],
    onDelete:
      'the queue\'s access policy is set to empty (SetQueueAttributes Policy ""): the queue stays, with no policy at all, whatever set it',
  },
  [AWS.eventRule]: {
    sources: [tf("internal/service/events/rule.go", "0cdab4ae09a963535e03dde0bff4784afe8e3517", "L56-L143")],
    notes: [
      "name: unique per event bus; PutRule creates or updates",
      "creating a rule whose name exists on the bus overwrites that rule, and the old one's delete removes it",
      'eventBusName: ForceNew with Default "default"',
      "state: going from a set value to unset is suppressed: removing state leaves the rule's state in AWS",
      "isEnabled: deprecated, ConflictsWith state; no diff when it is not in the plan",
      "removing isEnabled also leaves the cloud value",
      "eventPattern: JSON normalised by StateFunc (ruleEventPatternJSONDecoder), at most 4096 characters",
      "update: one PutRule with the whole rule (tags sent for ABAC), skipped when only tags or forceDestroy change",
      "forceDestroy: read from the state at delete only (DeleteRule Force, for AWS-managed rules)",
      "delete: DeleteRule, retried for 5m while the rule still has targets; ResourceNotFound is success",
    ],
    forceNew: ["eventBusName", "name", "namePrefix"],
    optionalComputed: ["name", "namePrefix"],
    autoName: "name",
    unique: [
      {
        fields: ["eventBusName", "name"],
        clash: "PutRule overwrites the rule of that name, which the old one's delete then deletes",
      },
    ],
  },
  [AWS.eventTarget]: {
    sources: [
      tfRelease("internal/service/events/target.go", "v5.x", "L70-L492"),
      tfRelease("internal/service/events/target.go", "v5.x", "L416-L421"),
      tfRelease("internal/service/events/target.go", "v5.x", "L485-L491"),
    ],
    notes: [
      "targetId: Optional+Computed+ForceNew; when unset, create generates one (id.UniqueId()) and keeps it",
      "target IDs are unique per rule: PutTargets creates or updates",
      "creating a target whose targetId exists on the rule overwrites it, and the old one's delete removes it",
      "update: any other change is one PutTargets of the whole target, skipped when only forceDestroy changes",
      "sagemakerPipelineTarget: removing the block causes no diff (SuppressMissingOptionalConfigurationBlock)",
      "forceDestroy: used at delete only (RemoveTargets Force)",
      "delete: RemoveTargets by rule and targetId (ResourceNotFound ignored; FailedEntries is an error)",
      "appsyncTarget (in @pulumi/aws 7.48.0): whether it forces a replacement is not verified in the source read",
    ],
    forceNew: ["eventBusName", "rule", "targetId"],
    optionalComputed: ["targetId"],
    unique: [
      {
        fields: ["rule", "targetId"],
        clash: "PutTargets overwrites the target of that id, which the old one's delete then removes",
      },
    ],
  },
  [AWS.ec2Tag]: {
    sources: [
      tf("internal/generate/tagresource/resource.go.gtpl", "25dca6bf50f371f39f8e590471889d67bb4a5d8a", "L33-L48"),
      tf("internal/generate/tagresource/resource.go.gtpl", "25dca6bf50f371f39f8e590471889d67bb4a5d8a", "L101-L131"),
      tf("internal/service/ec2/generate.go", "04802e1e7e2dfe0aaaa06b27988be615145ef16f"),
      tf("internal/service/ec2/tag_gen.go", "022092419b7cda11527df3c6b51cbfe1876c1722"),
      tf("internal/service/ec2/tags_gen.go", "01606926a0c0ab9174aec440f976a48b0baee722"),
      tf("internal/service/ec2/tags.go", "0389eecfc28a5e2ac619651541a16d7fc289abf6", "L18-L37"),
      tf("internal/service/ec2/tag_test.go", "021e60b20cb737cff59c270d617f8fb237dec712"),
    ],
    notes: [
      "tag_gen.go is generated from the tagresource template with -IDAttribName=resource_id",
      "value: Required, not ForceNew: updated in place by CreateTags (TestAccEC2Tag_value)",
      "create: CreateTags, retried for 5m on '*.NotFound' (createTags)",
      "CreateTags overwrites an existing tag with the same key on that resource without error (AWS)",
      "do not manage the same key through the parent resource's own tags too (a perpetual diff, per the docs)",
    ],
    forceNew: ["key", "resourceId"],
    optionalComputed: [],
    unique: [
      {
        fields: ["resourceId", "key"],
        clash: "CreateTags overwrites the tag, which the old one's delete then removes",
      },
    ],
    onDelete:
      "only the tag is removed: DeleteTags on resourceId with this key and the value last applied (updateTags old={key: value}, new={}); the EC2 resource and its other tags stay; because a value is sent, EC2 deletes the tag only if its current value still equals that value, so a value changed outside Pulumi is left in place",
  },
};
