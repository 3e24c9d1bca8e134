/**
 * Update semantics of the AWS resource types the program declares, read from terraform-provider-aws, which
 * @pulumi/aws 7.48.0 bridges. The exact upstream commit could not be read here (pulumi/pulumi-aws and
 * hashicorp/terraform-provider-aws are over the snapshot size this workplace fetches); 7.48.0 was published
 * 2026-09-22 and bridges v6.66.0 (released 2026-09-21; its new resources and fields are in the 7.48.0 SDK).
 * Each row names the file and the version of it that was read; where that is older than v6.66.0 it says so.
 * `autoName` follows pulumi-aws: every resource whose Terraform `name` is Optional or Required is auto-named
 * unless it says otherwise (pulumi/pulumi-aws @ 0c5f6583 provider/autonaming.go L13-32; S3's `bucket` and EKS
 * node groups' `nodeGroupName` by their overrides, Route 53 records not at all, resource_overrides.go @ 015d3438).
 * `unique`: values AWS allows once at a time (an add-on per cluster, an entry per principal), from AWS's
 * behaviour rather than the schema, with what a second one meets while the first lives: a replacement created
 * first that keeps them fails, or is undone by the old one's delete. `autoName`: the input pulumi-aws names
 * by itself; set by the program, the provider deletes before replacing (render/rehearsal/semantics.ts).
 * `region` (Optional + Computed on every regional type) is left out of the rows: the program never sets it,
 * and the provider's region is compared as a whole (rehearse.ts).
 * The flow-log, default-security-group, S3 and WAFv2 rows (the security review) leave out what the versions
 * read could not settle: FlowLog tagFieldSpecifications (added after the version read), WebAcl's anti-DDoS
 * and bot-control fields, and BucketLifecycleConfiguration expectedBucketOwner's softening in v6.66 (listed
 * as ForceNew, as in the version read). The program sets none of them. The SQS, EventBridge and ec2 Tag rows
 * (Karpenter's) leave out EventTarget appsyncTarget (not in the versions read); the program does not set it.
 */
import type { TypeSemantics } from "./semantics";

export const AWS_SEMANTICS: Readonly<Record<string, TypeSemantics>> = {
  "aws:acm/certificate:Certificate": {
    source:
      "hashicorp/terraform-provider-aws internal/service/acm/certificate.go (commit 01661ea3cbe6b07ed725b03c587d24ceb464484a (2026 indexed version)), L73-L266 (schema); CustomizeDiff follows; conditional: subjectAlternativeNames: CustomizeDiff: when domainName or subjectAlternativeNames changes, domainName is added to the planned SAN set (mimicking ACM), so listing/omitting domainName in subjectAlternativeNames does not by itself cause a replacement; any other SAN change replaces (ForceNew); privateKeyWo / privateKeyWoVersion: added upstream ~v6.6x (PR #44414, write-only import of private key); ForceNew not verified in source read; cdktn 6.66 marks them Optional only; region: changing `region` forces replacement (forceNewIfRegionChanges / verify.SetRegionInState): replaced if the region actually changes; going between unset and the provider's configured region is not a change",
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
  "aws:acm/certificateValidation:CertificateValidation": {
    source:
      "hashicorp/terraform-provider-aws internal/service/acm/certificate_validation.go (commit 004eea7f9b6658d88d652e89e10c7520a10ad6b8), L39-L51; conditional: region: changing `region` forces replacement (forceNewIfRegionChanges / verify.SetRegionInState): replaced if the region actually changes; going between unset and the provider's configured region is not a change",
    forceNew: ["certificateArn", "validationRecordFqdns"],
    optionalComputed: [],
  },
  "aws:cloudwatch/logGroup:LogGroup": {
    source:
      "hashicorp/terraform-provider-aws internal/service/logs/group.go (commit 0073593e7d6993ba482409f4dc35438daaa79bb3), L44-L100; conditional: region: changing `region` forces replacement (forceNewIfRegionChanges / verify.SetRegionInState): replaced if the region actually changes; going between unset and the provider's configured region is not a change",
    forceNew: ["logGroupClass", "name", "namePrefix"],
    optionalComputed: ["logGroupClass", "name", "namePrefix", "deletionProtectionEnabled"],
    autoName: "name",
    unique: [{ fields: ["name"], clash: "CreateLogGroup answers ResourceAlreadyExistsException" }],
  },
  "aws:ec2/eip:Eip": {
    source:
      "hashicorp/terraform-provider-aws internal/service/ec2/ec2_eip.go (commit 01606926a0c0ab9174aec440f976a48b0baee722), L50-L141; conditional: region: changing `region` forces replacement (forceNewIfRegionChanges / verify.SetRegionInState): replaced if the region actually changes; going between unset and the provider's configured region is not a change",
    forceNew: ["address", "domain", "ipamPoolId", "networkBorderGroup", "publicIpv4Pool"],
    optionalComputed: ["domain", "instance", "ipamPoolId", "networkBorderGroup", "networkInterface", "publicIpv4Pool"],
    unique: [{ fields: ["address"], clash: "an Elastic IP address is allocated to one allocation at a time" }],
  },
  "aws:ec2/internetGateway:InternetGateway": {
    source:
      "hashicorp/terraform-provider-aws internal/service/ec2/vpc_internet_gateway.go (commit 08923b68b5ad6fcfdd38362fb5247e39a9b07add (older indexed version; cdktn 6.66 attribute set identical)), L39-L55; conditional: region: changing `region` forces replacement (forceNewIfRegionChanges / verify.SetRegionInState): replaced if the region actually changes; going between unset and the provider's configured region is not a change",
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
  "aws:ec2/launchTemplate:LaunchTemplate": {
    source:
      "hashicorp/terraform-provider-aws internal/service/ec2/ec2_launch_template.go (indexed file id 1700241859 (~v5.8x, aws-sdk-go-v2 era; older than v6.66)), L48-L962; conditional: region: changing `region` forces replacement (forceNewIfRegionChanges / verify.SetRegionInState): replaced if the region actually changes; going between unset and the provider's configured region is not a change",
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
  "aws:ec2/natGateway:NatGateway": {
    source:
      "hashicorp/terraform-provider-aws internal/service/ec2/vpc_nat_gateway.go (indexed file id 5469497972 (2026, with regional NAT gateway availability_mode)), L53-L206; conditional: secondaryPrivateIpAddressCount: resourceNATGatewayCustomizeDiff: ForceNew when connectivityType is 'private' and the configured count changes; availabilityZoneAddresses: regional NAT (availabilityMode=regional): going between empty and non-empty availabilityZoneAddresses (auto vs manual mode) forces replacement via internal computed regional_nat_gateway_auto_mode; region: changing `region` forces replacement (forceNewIfRegionChanges / verify.SetRegionInState): replaced if the region actually changes; going between unset and the provider's configured region is not a change",
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
  "aws:ec2/routeTable:RouteTable": {
    source:
      "hashicorp/terraform-provider-aws internal/service/ec2/vpc_route_table.go (commit 022092419b7cda11527df3c6b51cbfe1876c1722 (older indexed version; route.odb_network_arn added later)), L63-L156; conditional: region: changing `region` forces replacement (forceNewIfRegionChanges / verify.SetRegionInState): replaced if the region actually changes; going between unset and the provider's configured region is not a change",
    forceNew: ["vpcId"],
    optionalComputed: ["propagatingVgws", "routes"],
  },
  "aws:ec2/routeTableAssociation:RouteTableAssociation": {
    source:
      "hashicorp/terraform-provider-aws internal/service/ec2/vpc_route_table_association.go (commit 0be71beb458ad8875e0acc5c91519c0ceeb214aa), L29-L46; conditional: region: changing `region` forces replacement (forceNewIfRegionChanges / verify.SetRegionInState): replaced if the region actually changes; going between unset and the provider's configured region is not a change",
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
  "aws:ec2/subnet:Subnet": {
    source:
      "hashicorp/terraform-provider-aws internal/service/ec2/vpc_subnet.go (commit 00cda125a19d31754cb0d073cf551264c57955cb (2026, SchemaFunc)), L60-L193 (CustomizeDiff L195-L208); conditional: ipv6CidrBlock: CustomizeDiff: ForceNew if ipv6_cidr_block changes while the old assign_ipv6_address_on_creation is true; otherwise updated in place (disassociate/associate); region: changing `region` forces replacement (forceNewIfRegionChanges / verify.SetRegionInState): replaced if the region actually changes; going between unset and the provider's configured region is not a change",
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
  "aws:ec2/vpc:Vpc": {
    source:
      "hashicorp/terraform-provider-aws internal/service/ec2/vpc_.go (commit 00081ce41cc691433ac19bf42227cdabffd0454d), L65-L175; conditional: instanceTenancy: resourceVPCCustomizeDiff: ForceNew on any change except dedicated -> default (which is updated in place); cidrBlock: ForceNew, but when ipv4NetmaskLength is set (IPAM-allocated) a cidrBlock diff is cleared by CustomizeDiff; region: changing `region` forces replacement (forceNewIfRegionChanges / verify.SetRegionInState): replaced if the region actually changes; going between unset and the provider's configured region is not a change",
    forceNew: ["cidrBlock", "ipv4IpamPoolId", "ipv4NetmaskLength"],
    optionalComputed: [
      "cidrBlock",
      "enableDnsHostnames",
      "enableNetworkAddressUsageMetrics",
      "ipv6CidrBlock",
      "ipv6CidrBlockNetworkBorderGroup",
    ],
  },
  "aws:eks/addon:Addon": {
    source:
      "hashicorp/terraform-provider-aws internal/service/eks/addon.go (indexed file id 53297301569 (2026, with namespace_config)), L63-L161; conditional: region: changing `region` forces replacement (forceNewIfRegionChanges / verify.SetRegionInState): replaced if the region actually changes; going between unset and the provider's configured region is not a change",
    forceNew: ["addonName", "clusterName", "namespaceConfig", "namespaceConfig.namespace"],
    optionalComputed: ["addonVersion", "configurationValues", "namespaceConfig", "namespaceConfig.namespace"],
    unique: [
      {
        fields: ["clusterName", "addonName"],
        clash: "CreateAddon answers ResourceInUseException: the cluster has the add-on already",
      },
    ],
  },
  "aws:eks/podIdentityAssociation:PodIdentityAssociation": {
    source:
      "hashicorp/terraform-provider-aws internal/service/eks/pod_identity_association.go (commit 00a35305dc1b297a6fcdecdfbba33f1e63c3da39 (Plugin Framework resource)), L63-L117 (Schema method); conditional: region: changing `region` forces replacement (forceNewIfRegionChanges / verify.SetRegionInState): replaced if the region actually changes; going between unset and the provider's configured region is not a change",
    forceNew: ["clusterName", "namespace", "serviceAccount"],
    optionalComputed: [],
    unique: [
      {
        fields: ["clusterName", "namespace", "serviceAccount"],
        clash: "CreatePodIdentityAssociation answers ResourceInUseException: one role per service account per cluster",
      },
    ],
  },
  "aws:eks/accessEntry:AccessEntry": {
    source:
      "hashicorp/terraform-provider-aws internal/service/eks/access_entry.go (commit 01f431114674c27cf790fafb67ac274bf8f765e1), L48-L95; conditional: region: changing `region` forces replacement (forceNewIfRegionChanges / verify.SetRegionInState): replaced if the region actually changes; going between unset and the provider's configured region is not a change",
    forceNew: ["clusterName", "principalArn", "type"],
    optionalComputed: ["kubernetesGroups", "userName"],
    unique: [
      {
        fields: ["clusterName", "principalArn"],
        clash: "CreateAccessEntry answers ResourceInUseException: a principal has one access entry per cluster",
      },
    ],
  },
  "aws:eks/accessPolicyAssociation:AccessPolicyAssociation": {
    source:
      "hashicorp/terraform-provider-aws internal/service/eks/access_policy_association.go (indexed file id 53607496704 (2026, with resource identity)), L50-L101; conditional: region: changing `region` forces replacement (forceNewIfRegionChanges / verify.SetRegionInState): replaced if the region actually changes; going between unset and the provider's configured region is not a change",
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
  "aws:eks/cluster:Cluster": {
    source:
      "hashicorp/terraform-provider-aws internal/service/eks/cluster.go (indexed file id 4997342113 (2026, ~v6.3x; kube_*_config blocks from 6.6x not in this version)), L72-L505; conditional: bootstrapSelfManagedAddons: schema ForceNew (Default true): any change replaces the cluster; encryptionConfig: ForceNewIfChange: replacement only when encryption_config is removed (1 -> 0 blocks); adding it is an in-place update (AssociateEncryptionConfig); computeConfig.nodeRoleArn: validateAutoModeComputeConfigCustomizeDiff: ForceNew when an existing non-empty node_role_arn changes to a different value (not when disabling Auto Mode / clearing node pools); version: No CustomizeDiff forcing replacement on downgrade was found in the source read; version is Optional+Computed and updated in place (UpdateClusterVersion); downgrades fail at the API rather than replacing; kubeApiServerConfig / kubeControllerManagerConfig / kubeSchedulerConfig / outpostConfig.etcd*: added in 6.6x (PR #49412), after the source version read; ForceNew status not verified from source (reported as updatable via UpdateClusterConfig); Optional/Computed flags from cdktn 6.66; defaultAddonsToRemoves: Pulumi-only patched (deprecated) input not in upstream TF; ForceNew status not established; region: changing `region` forces replacement (forceNewIfRegionChanges / verify.SetRegionInState): replaced if the region actually changes; going between unset and the provider's configured region is not a change",
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
  "aws:eks/nodeGroup:NodeGroup": {
    source:
      "hashicorp/terraform-provider-aws internal/service/eks/node_group.go (commit 012e0a32f0686212f447447fd3d81c3d0ce256ad (older ~v5.8x; fields added later taken from cdktn 6.66)), L56-L314; conditional: region: changing `region` forces replacement (forceNewIfRegionChanges / verify.SetRegionInState): replaced if the region actually changes; going between unset and the provider's configured region is not a change",
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
  "aws:iam/role:Role": {
    source:
      "hashicorp/terraform-provider-aws internal/service/iam/role.go (indexed file id 4782037191 (2026, pre-SchemaFunc refactor of v6.48)), L77-L205",
    forceNew: ["name", "namePrefix", "path"],
    optionalComputed: ["inlinePolicies", "managedPolicyArns", "name", "namePrefix"],
    autoName: "name",
    unique: [{ fields: ["name"], clash: "CreateRole answers EntityAlreadyExists" }],
  },
  "aws:iam/rolePolicy:RolePolicy": {
    source:
      "hashicorp/terraform-provider-aws internal/service/iam/role_policy.go (indexed file id 4616927945 (2026)), L50-L84",
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
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": {
    source:
      "hashicorp/terraform-provider-aws internal/service/iam/role_policy_attachment.go (indexed file id 10922974798), L48-L60",
    forceNew: ["policyArn", "role"],
    optionalComputed: [],
    unique: [
      {
        fields: ["role", "policyArn"],
        clash: "AttachRolePolicy of an attached policy changes nothing, and the old one's delete then detaches it",
      },
    ],
  },
  "aws:kms/key:Key": {
    source:
      "hashicorp/terraform-provider-aws internal/service/kms/key.go (commit 00a35305dc1b297a6fcdecdfbba33f1e63c3da39), L53-L131; conditional: region: changing `region` forces replacement (forceNewIfRegionChanges / verify.SetRegionInState): replaced if the region actually changes; going between unset and the provider's configured region is not a change",
    forceNew: ["customKeyStoreId", "customerMasterKeySpec", "keyUsage", "multiRegion", "xksKeyId"],
    optionalComputed: ["description", "multiRegion", "policy", "rotationPeriodInDays"],
  },
  "aws:route53/record:Record": {
    source:
      "hashicorp/terraform-provider-aws internal/service/route53/record.go (commit 00655c1681ea1e49ab10cd32d3f8bee372b2095b (2026, SchemaFunc)), L62-L328",
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
  "aws:ec2/flowLog:FlowLog": {
    source:
      "hashicorp/terraform-provider-aws internal/service/ec2/vpc_flow_log.go (commit 00a35305dc1b297a6fcdecdfbba33f1e63c3da39 (2026, with regional_nat_gateway_id; tag_field_specification from PR #48913 not yet in this version)), L45-L163; conditional: destinationOptions: DiffSuppressFunc verify.SuppressMissingOptionalConfigurationBlock: removing the block produces no diff (the cloud value stays), although it is not Computed; tagFieldSpecifications: added upstream in PR #48913 (2026-07), after the source version read; ForceNew not verified; Update is 'Tags only' in the version read; trafficType: ignored for transit gateway / attachment flow logs (not sent, not read back); region: changing `region` forces replacement (forceNewIfRegionChanges / verify.SetRegionInState): replaced if the region actually changes; going between unset and the provider's configured region is not a change",
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
  "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": {
    source:
      "hashicorp/terraform-provider-aws internal/service/ec2/vpc_default_security_group.go (commit 01f431114674c27cf790fafb67ac274bf8f765e1), L41-L78 (schema; DeleteWithoutTimeout L28; create L82-L132); ingress/egress are securityGroupRuleSetNestedBlock from the aws_security_group source (indexed file id 1663588308); conditional: delete: DeleteWithoutTimeout is schema.NoopContext (L28): destroy or replacement only drops the resource from state, and the group and its current rules stay in AWS (nothing is revoked); revokeRulesOnDelete is marked '// Not used.' (L64-L69); create: adopts the VPC's existing default group (DescribeSecurityGroups group-name=default plus vpc-id, or description 'default group' when vpcId is unset), then forceRevokeSecurityGroupRules(ctx, conn, d.Id(), false) (L127) revokes ALL of that group's existing ingress/egress rules (and rules in other groups it knows about that point to it), then resourceSecurityGroupUpdate applies the configured ingress/egress; ingress/egress: Optional+Computed, ConfigMode Attr: after create, omitting them leaves whatever rules exist in AWS; an explicit empty list removes all rules; region: changing `region` forces replacement (forceNewIfRegionChanges / verify.SetRegionInState): replaced if the region actually changes; going between unset and the provider's configured region is not a change",
    forceNew: ["vpcId"],
    optionalComputed: ["egress", "ingress", "vpcId"],
    onDelete:
      "nothing is deleted in AWS (Delete is schema.NoopContext): the VPC's default security group keeps the rules last applied; the resource only leaves the state",
  },
  "aws:s3/bucket:Bucket": {
    source:
      "hashicorp/terraform-provider-aws internal/service/s3/bucket.go (indexed file id 4217687162 (~v5.9x, aws-sdk-go-v2; pre-v6 schema: `region` Computed-only, no bucket_namespace/bucket_region; older than v6.66)), resourceBucket() schema and resourceBucketDelete (line numbers not derivable with the index tools); internal/service/s3/delete.go (commit 08ab5ba85887f8ace064bba6df8db969331570eb), L21-L38 (emptyBucket); conditional: bucketNamespace: added upstream v6.37 (PR #46917); ForceNew per the upstream docs ('(Optional, Forces new resource)') and Optional+Computed per cdktn aws 6.62; not in the source version read; forceDestroy: delete calls DeleteBucket; only on BucketNotEmpty with force_destroy true in state does it call emptyBucket, which deletes every object version and then every delete marker (ListObjectVersions pages; with BypassGovernanceRetention, and removing legal holds on AccessDenied, only when state's object_lock_configuration.object_lock_enabled is Enabled), then recurses into resourceBucketDelete (DeleteBucket again) until it no longer gets BucketNotEmpty or gets another error; with force_destroy false, BucketNotEmpty is returned as an error (no emptying, no retry); after a successful DeleteBucket it waits (RetryUntilNotFound on HeadBucket, Delete timeout 60m); forceDestroy is read from the old state, so setting it in the same update that replaces or deletes the bucket has no effect; objectLockConfiguration.objectLockEnabled: deprecated block field, ForceNew; region: changing `region` forces replacement (forceNewIfRegionChanges / verify.SetRegionInState): replaced if the region actually changes; going between unset and the provider's configured region is not a change",
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
  "aws:s3/bucketPolicy:BucketPolicy": {
    source:
      "hashicorp/terraform-provider-aws internal/service/s3/bucket_policy.go (commit 0073593e7d6993ba482409f4dc35438daaa79bb3), L37-L44; conditional: delete: DeleteBucketPolicy on the bucket (NoSuchBucket ignored), then waits until GetBucketPolicy reports none; one policy per bucket: create and update are the same PutBucketPolicy; region: changing `region` forces replacement (forceNewIfRegionChanges / verify.SetRegionInState): replaced if the region actually changes; going between unset and the provider's configured region is not a change",
    forceNew: ["bucket"],
    optionalComputed: [],
    unique: [
      {
        fields: ["bucket"],
        clash: "a bucket has one policy: PutBucketPolicy overwrites it, and the old one's delete then removes it",
      },
    ],
  },
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": {
    source:
      "hashicorp/terraform-provider-aws internal/service/s3/bucket_public_access_block.go (commit 01606926a0c0ab9174aec440f976a48b0baee722), L35-L65; conditional: blockPublicAcls / blockPublicPolicy / ignorePublicAcls / restrictPublicBuckets: Optional with Default false (not Computed): removing the input sets the flag back to false; skipDestroy: when true, delete leaves the public access block in place and only drops the resource from state; region: changing `region` forces replacement (forceNewIfRegionChanges / verify.SetRegionInState): replaced if the region actually changes; going between unset and the provider's configured region is not a change",
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
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": {
    source:
      "hashicorp/terraform-provider-aws internal/service/s3/bucket_server_side_encryption_configuration.go (indexed file id 5275298015 (2026, @IdentityVersion(1), identity testing up to v6.31.0, with blocked_encryption_types)), L45-L96 (schema), L98-L114 (CustomizeDiff); conditional: expectedBucketOwner: deprecated (PR #46262); CustomizeDiff: ForceNew on any change, except going from unset to the caller's own account ID (no replacement); delete: DeleteBucketEncryption (the bucket keeps the S3 default encryption; the provider does not wait); region: changing `region` forces replacement (forceNewIfRegionChanges / verify.SetRegionInState): replaced if the region actually changes; going between unset and the provider's configured region is not a change",
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
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": {
    source:
      "hashicorp/terraform-provider-aws internal/service/s3/bucket_lifecycle_configuration.go (commit 01606926a0c0ab9174aec440f976a48b0baee722 (Plugin Framework resource; older than v6.66: expected_bucket_owner not yet deprecated)), L72-L393 (Schema method); conditional: expectedBucketOwner: RequiresReplace (plus UseStateForUnknown) in the version read; deprecated in the 7.48 SDK (PR #46262); whether v6.66 still replaces on unset -> own account ID is not verified; transitionDefaultMinimumObjectSize: Optional+Computed with a provider plan-modifier default (transitionDefaultMinimumObjectSizeDefault); rules.*: the nested Optional+Computed fields are marked '// Because of Legacy value handling' or '// Because of schema change'; region: changing `region` forces replacement (forceNewIfRegionChanges / verify.SetRegionInState): replaced if the region actually changes; going between unset and the provider's configured region is not a change",
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
  "aws:s3/bucketOwnershipControls:BucketOwnershipControls": {
    source:
      "hashicorp/terraform-provider-aws internal/service/s3/bucket_ownership_controls.go (indexed file id 1651648990 (aws-sdk-go-v2 version; the upstream-path default read, commit 01c08000ddb14181b5bd19201d8fca311dc570e4, is older aws-sdk-go v1 with the same schema)), L38-L60; conditional: delete: DeleteBucketOwnershipControls (retried on OperationAborted for 5m), then waits until none is found; region: changing `region` forces replacement (forceNewIfRegionChanges / verify.SetRegionInState): replaced if the region actually changes; going between unset and the provider's configured region is not a change",
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
  "aws:wafv2/webAcl:WebAcl": {
    source:
      "hashicorp/terraform-provider-aws internal/service/wafv2/web_acl.go (commit 0073593e7d6993ba482409f4dc35438daaa79bb3), L60-L255 (SchemaFunc); nested block helpers in internal/service/wafv2/schemas.go (indexed file id 1787882079; older than v6.66: no aws_managed_rules_anti_ddos_rule_set); conditional: rules...awsManagedRulesAntiDdosRuleSet.sensitivityToBlock / .clientSideActionConfig.challenge.sensitivity and awsManagedRulesBotControlRuleSet.enableMachineLearning: Optional+Computed in the aws_wafv2_web_acl_rule_group_association schema dump; not verified for aws_wafv2_web_acl (the schemas.go read has enableMachineLearning Optional with Default true), so left out; update: one UpdateWebACL carrying the lock token, which keeps any AWS Shield mitigation rule group already on the ACL; region: changing `region` forces replacement (forceNewIfRegionChanges / verify.SetRegionInState): replaced if the region actually changes; going between unset and the provider's configured region is not a change",
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
  "aws:sqs/queue:Queue": {
    source:
      "hashicorp/terraform-provider-aws internal/service/sqs/queue.go (commit 00a35305dc1b297a6fcdecdfbba33f1e63c3da39 (2026, @IdentityVersion(1), @CustomInherentRegionIdentity(\"url\"))), L44-L175 (queueSchema); resourceQueueCreate, resourceQueueDelete and resourceQueueCustomizeDiff follow; conditional: name: queue names are unique per account and region (AWS): CreateQueue with an existing name returns that queue's URL when all attributes match, or fails (QueueAlreadyExists) when they differ, so a create-first replacement keeping the name would either fail or adopt the same queue, which the old one's delete then deletes; after DeleteQueue, AWS refuses the same name for 60 s: create retries QueueDeletedRecently for half the create timeout (default 3m, so 90 s); fifoQueue: ForceNew (Default false); a FIFO name must end in .fifo (checked by CustomizeDiff on create); kmsDataKeyReusePeriodSeconds: DiffSuppressFunc suppresses it while neither sqsManagedSseEnabled nor kmsMasterKeyId is set; CustomizeDiff clears its diff on update when sqsManagedSseEnabled is true; policy / redrivePolicy / redriveAllowPolicy: Optional+Computed so the separate QueuePolicy / QueueRedrivePolicy / QueueRedriveAllowPolicy resources can own them; policy diffs use SuppressEquivalentPolicyDiffs; contentBasedDeduplication, delaySeconds, maxMessageSize, messageRetentionSeconds, receiveWaitTimeSeconds, visibilityTimeoutSeconds: Optional with Default (not Computed): removing the input sets the default back; every non-ForceNew change is one SetQueueAttributes, then waits for the attributes to propagate; region: changing `region` forces replacement (forceNewIfRegionChanges / verify.SetRegionInState): replaced if the region actually changes; going between unset and the provider's configured region is not a change",
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
  "aws:sqs/queuePolicy:QueuePolicy": {
    source:
      'hashicorp/terraform-provider-aws internal/service/sqs/queue_policy.go (indexed file id 4808690886 (2026, @IdentityVersion(1), @CustomInherentRegionIdentity("queue_url"))), L40-L47 (schema); policy is sdkv2.IAMPolicyDocumentSchemaRequired() from internal/sdkv2/schema.go (indexed file id 4909771373 (2026)), L78 and L139-L150 (Required, not ForceNew; SuppressEquivalentIAMPolicyDocuments, DiffSuppressOnRefresh, normalising StateFunc); create/update/delete are queueAttributeHandler.Upsert/Delete in internal/service/sqs/attribute_funcs.go (commit 364914aa270d504efb13bbe34027625d53af2dad (older than the queue_policy.go read)), L31-L64, L102-L128; conditional: create and update are the same SetQueueAttributes(Policy) (retried while AWS answers \'Invalid value for the parameter Policy\', e.g. a principal not yet propagated), so creating one overwrites whatever policy the queue has, including one set through Queue.policy; delete: SetQueueAttributes with Policy "" (QueueDoesNotExist ignored), then waits for propagation: the queue is left with no policy at all; queue.policy is Optional+Computed on the Queue, so the Queue does not fight it; region: changing `region` forces replacement (forceNewIfRegionChanges / verify.SetRegionInState): replaced if the region actually changes; going between unset and the provider\'s configured region is not a change',
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
  "aws:cloudwatch/eventRule:EventRule": {
    source:
      "hashicorp/terraform-provider-aws internal/service/events/rule.go (commit 0cdab4ae09a963535e03dde0bff4784afe8e3517 (2025, aws-sdk-go-v2, @IdentityAttribute(\"name\"))), L56-L143 (schema); resourceRuleUpdate and resourceRuleDelete follow; conditional: name: rule names are unique per event bus; PutRule creates or updates, so creating a rule whose name already exists on the bus silently overwrites that rule (AWS), and the old one's delete would then remove it; eventBusName: ForceNew with Default \"default\"; state: DiffSuppressFunc suppresses going from a set value to unset: removing `state` leaves the rule's current state in AWS; isEnabled: deprecated, ConflictsWith state; its DiffSuppressFunc suppresses the diff when it is not in the plan, so removing it also leaves the cloud value; eventPattern: JSON normalised by StateFunc (ruleEventPatternJSONDecoder), max 4096 characters; update: one PutRule with the whole rule (tags sent for ABAC), skipped when only tags or forceDestroy change; forceDestroy: read from state at delete only (DeleteRule Force, for AWS-managed rules); delete: DeleteRule retried for 5m while AWS answers 'Rule can't be deleted since it has targets'; ResourceNotFound is success; region: changing `region` forces replacement (forceNewIfRegionChanges / verify.SetRegionInState): replaced if the region actually changes; going between unset and the provider's configured region is not a change",
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
  "aws:cloudwatch/eventTarget:EventTarget": {
    source:
      "hashicorp/terraform-provider-aws internal/service/events/target.go (indexed file id 1930171273 (aws-sdk-go-v2, names.AttrRule; older than v6.66: no appsync_target, no region)), L70-L492 (schema; rule L416-L421, target_id L485-L491); resourceTargetUpdate and resourceTargetDelete follow; conditional: targetId: Optional+Computed+ForceNew; when unset, create generates one (id.UniqueId()) and keeps it in state; target IDs are unique per rule: PutTargets creates or updates, so creating a target whose targetId already exists on the rule silently overwrites it (AWS), and the old one's RemoveTargets would then remove it; update: every other change is one PutTargets of the whole target (in place), skipped when only forceDestroy changes; sagemakerPipelineTarget: DiffSuppressFunc verify.SuppressMissingOptionalConfigurationBlock: removing the block produces no diff; forceDestroy: used at delete only (RemoveTargets Force); delete: RemoveTargets by rule/targetId (ResourceNotFound ignored; FailedEntries is an error); appsyncTarget: in the 7.48 SDK but not in the source read; ForceNew not verified; region: changing `region` forces replacement (forceNewIfRegionChanges / verify.SetRegionInState): replaced if the region actually changes; going between unset and the provider's configured region is not a change",
    forceNew: ["eventBusName", "rule", "targetId"],
    optionalComputed: ["targetId"],
    unique: [
      {
        fields: ["rule", "targetId"],
        clash: "PutTargets overwrites the target of that id, which the old one's delete then removes",
      },
    ],
  },
  "aws:ec2/tag:Tag": {
    source:
      "hashicorp/terraform-provider-aws internal/generate/tagresource/resource.go.gtpl (commit 25dca6bf50f371f39f8e590471889d67bb4a5d8a (2026 template that generates internal/service/ec2/tag_gen.go; internal/service/ec2/generate.go (commit 04802e1e7e2dfe0aaaa06b27988be615145ef16f) runs it with -IDAttribName=resource_id)), L33-L48 (schema), L101-L131 (update, delete); generated internal/service/ec2/tag_gen.go read at commit 022092419b7cda11527df3c6b51cbfe1876c1722 (older, aws-sdk-go v1; same schema and CRUD); updateTags in internal/service/ec2/tags_gen.go (commit 01606926a0c0ab9174aec440f976a48b0baee722); conditional: value: Required, not ForceNew: updated in place by CreateTags (internal/service/ec2/tag_test.go TestAccEC2Tag_value, commit 021e60b20cb737cff59c270d617f8fb237dec712); create: CreateTags, retried 5m on '*.NotFound' (createTags, internal/service/ec2/tags.go); CreateTags overwrites an existing tag with the same key on that resource without error (AWS); do not manage the same key through the parent resource's own `tags` as well (perpetual diff, per the resource docs); delete: see onDelete; region: changing `region` forces replacement (forceNewIfRegionChanges / verify.SetRegionInState): replaced if the region actually changes; going between unset and the provider's configured region is not a change",
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
