/**
 * Pulumi type tokens, written once: the resources the program declares (its own components, pulumi-eks's,
 * the AWS, Kubernetes and command providers' resources), the provider functions it calls, and the engine's own.
 * Everything else names a type through these: `PULUMI_EKS.cluster` is pulumi-eks's component,
 * `AWS.eksCluster` the aws.eks.Cluster inside it.
 */

/** AWS resources (@pulumi/aws), by the service and resource they are. */
export const AWS = {
  acmCertificate: "aws:acm/certificate:Certificate",
  acmCertificateValidation: "aws:acm/certificateValidation:CertificateValidation",
  eventRule: "aws:cloudwatch/eventRule:EventRule",
  eventTarget: "aws:cloudwatch/eventTarget:EventTarget",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  defaultSecurityGroup: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
  eip: "aws:ec2/eip:Eip",
  flowLog: "aws:ec2/flowLog:FlowLog",
  internetGateway: "aws:ec2/internetGateway:InternetGateway",
  launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
  natGateway: "aws:ec2/natGateway:NatGateway",
  routeTable: "aws:ec2/routeTable:RouteTable",
  routeTableAssociation: "aws:ec2/routeTableAssociation:RouteTableAssociation",
  subnet: "aws:ec2/subnet:Subnet",
  ec2Tag: "aws:ec2/tag:Tag",
  vpc: "aws:ec2/vpc:Vpc",
  eksAccessEntry: "aws:eks/accessEntry:AccessEntry",
  eksAccessPolicyAssociation: "aws:eks/accessPolicyAssociation:AccessPolicyAssociation",
  eksAddon: "aws:eks/addon:Addon",
  eksCluster: "aws:eks/cluster:Cluster",
  eksNodeGroup: "aws:eks/nodeGroup:NodeGroup",
  eksPodIdentityAssociation: "aws:eks/podIdentityAssociation:PodIdentityAssociation",
  iamRole: "aws:iam/role:Role",
  iamRolePolicy: "aws:iam/rolePolicy:RolePolicy",
  iamRolePolicyAttachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  kmsKey: "aws:kms/key:Key",
  albListener: "aws:alb/listener:Listener",
  lbListener: "aws:lb/listener:Listener",
  route53Record: "aws:route53/record:Record",
  s3Bucket: "aws:s3/bucket:Bucket",
  s3BucketLifecycleConfiguration: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  s3BucketOwnershipControls: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
  s3BucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
  s3BucketPublicAccessBlock: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  s3BucketServerSideEncryptionConfiguration:
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  sqsQueue: "aws:sqs/queue:Queue",
  sqsQueuePolicy: "aws:sqs/queuePolicy:QueuePolicy",
  wafv2WebAcl: "aws:wafv2/webAcl:WebAcl",
  wafv2WebAclLoggingConfiguration: "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration",
} as const;

/** AWS provider functions the program calls (and the offline render answers). */
export const AWS_INVOKES = {
  getAmi: "aws:ec2/getAmi:getAmi",
  getInstanceType: "aws:ec2/getInstanceType:getInstanceType",
  getAccessEntry: "aws:eks/getAccessEntry:getAccessEntry",
  getCluster: "aws:eks/getCluster:getCluster",
  getSessionContext: "aws:iam/getSessionContext:getSessionContext",
  getAvailabilityZones: "aws:index/getAvailabilityZones:getAvailabilityZones",
  getCallerIdentity: "aws:index/getCallerIdentity:getCallerIdentity",
  getPartition: "aws:index/getPartition:getPartition",
  getRegion: "aws:index/getRegion:getRegion",
  getZone: "aws:route53/getZone:getZone",
} as const;

/** Kubernetes objects and the Kubernetes provider (@pulumi/kubernetes). */
export const KUBERNETES = {
  daemonSet: "kubernetes:apps/v1:DaemonSet",
  deployment: "kubernetes:apps/v1:Deployment",
  statefulSet: "kubernetes:apps/v1:StatefulSet",
  horizontalPodAutoscaler: "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
  namespace: "kubernetes:core/v1:Namespace",
  service: "kubernetes:core/v1:Service",
  helmRelease: "kubernetes:helm.sh/v3:Release",
  ec2NodeClass: "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass",
  ingressClass: "kubernetes:networking.k8s.io/v1:IngressClass",
  ingressClassParams: "kubernetes:elbv2.k8s.aws/v1beta1:IngressClassParams",
  nodePool: "kubernetes:karpenter.sh/v1:NodePool",
  ingress: "kubernetes:networking.k8s.io/v1:Ingress",
  networkPolicy: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
  podDisruptionBudget: "kubernetes:policy/v1:PodDisruptionBudget",
  configGroup: "kubernetes:yaml/v2:ConfigGroup",
  provider: "pulumi:providers:kubernetes",
} as const;

/** pulumi-eks's remote components (@pulumi/eks). */
export const PULUMI_EKS = {
  cluster: "eks:index:Cluster",
  managedNodeGroup: "eks:index:ManagedNodeGroup",
} as const;

/** pulumi-command's resources (@pulumi/command). */
export const COMMAND = {
  local: "command:local:Command",
} as const;

/** The engine's own resources. */
export const PULUMI = {
  stack: "pulumi:pulumi:Stack",
} as const;

/** This project's components, one per file under components/, apps/ and lab/. */
export const COMPONENTS = {
  workload: "eks-platform:apps:Workload",
  cluster: "eks-platform:cluster:Cluster",
  accessLogBucket: "eks-platform:edge:AccessLogBucket",
  webAcl: "eks-platform:edge:WebAcl",
  podIdentity: "eks-platform:iam:PodIdentity",
  karpenter: "eks-platform:karpenter:Karpenter",
  karpenterAws: "eks-platform:karpenter:KarpenterAws",
  karpenterNodePools: "eks-platform:karpenter:KarpenterNodePools",
  networkLab: "eks-platform:lab:NetworkLab",
  logsKey: "eks-platform:logging:LogsKey",
  flowLogs: "eks-platform:network:FlowLogs",
  network: "eks-platform:network:Network",
  dnsRecordCleanup: "eks-platform:platform:DnsRecordCleanup",
  karpenterInstancesCleanup: "eks-platform:karpenter:KarpenterInstancesCleanup",
  spotServiceLinkedRole: "eks-platform:karpenter:SpotServiceLinkedRole",
  externalDns: "eks-platform:platform:ExternalDns",
  loadBalancerController: "eks-platform:platform:LoadBalancerController",
  certificate: "eks-platform:tls:Certificate",
} as const;
