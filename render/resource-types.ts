/** Type tokens of the resources the render reads, as the engine records them. */
export const HELM_RELEASE = "kubernetes:helm.sh/v3:Release";
export const CONFIG_GROUP = "kubernetes:yaml/v2:ConfigGroup";
export const EKS_CLUSTER = "eks:index:Cluster";
export const NODE_GROUP = "eks:index:ManagedNodeGroup";
export const LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";
export const NODE_POOL = "kubernetes:karpenter.sh/v1:NodePool";
export const EC2_NODE_CLASS = "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass";
export const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
export const HORIZONTAL_POD_AUTOSCALER = "kubernetes:autoscaling/v2:HorizontalPodAutoscaler";
