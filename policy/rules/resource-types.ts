/**
 * The type tokens the policy pack reads. The pack is its own package (it runs from this folder with its own
 * node_modules, and may be published alone), so it keeps its own copy of the product's names
 * (components/resource-types.ts); a test holds every entry here equal to the product's.
 */
export const AWS = {
  defaultSecurityGroup: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
  eksCluster: "aws:eks/cluster:Cluster",
  eksNodeGroup: "aws:eks/nodeGroup:NodeGroup",
  flowLog: "aws:ec2/flowLog:FlowLog",
  iamRole: "aws:iam/role:Role",
  iamRolePolicy: "aws:iam/rolePolicy:RolePolicy",
  kmsKey: "aws:kms/key:Key",
  s3BucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
  sqsQueue: "aws:sqs/queue:Queue",
  launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
  albListener: "aws:alb/listener:Listener",
  lbListener: "aws:lb/listener:Listener",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  natGateway: "aws:ec2/natGateway:NatGateway",
  subnet: "aws:ec2/subnet:Subnet",
  vpc: "aws:ec2/vpc:Vpc",
} as const;

export const KUBERNETES = {
  deployment: "kubernetes:apps/v1:Deployment",
  ec2NodeClass: "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass",
  horizontalPodAutoscaler: "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
  ingress: "kubernetes:networking.k8s.io/v1:Ingress",
  namespace: "kubernetes:core/v1:Namespace",
  podDisruptionBudget: "kubernetes:policy/v1:PodDisruptionBudget",
  service: "kubernetes:core/v1:Service",
  statefulSet: "kubernetes:apps/v1:StatefulSet",
} as const;

export const PULUMI_EKS = {
  cluster: "eks:index:Cluster",
  managedNodeGroup: "eks:index:ManagedNodeGroup",
} as const;

/**
 * Types the pack checks that the program does not declare (so they have no entry in the product's module):
 * security groups and their rules, which a team adding one to the stack must not open to the internet.
 */
export const AWS_CHECKED_ONLY = {
  securityGroup: "aws:ec2/securityGroup:SecurityGroup",
  securityGroupRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
  securityGroupIngressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
} as const;
