/** The EKS cluster's physical name and what it must be. */

/** The EKS cluster's physical name: known before the cluster exists, so subnets can carry its tag. */
export function clusterNameFor(project: string, stack: string): string {
  return `${project}-${stack}`;
}

/**
 * What the cluster's name (`<project>-<stack>`) must be: EKS's rule (CreateCluster `name`: 1-100 letters,
 * digits, - or _, starting with a letter or digit), and with Karpenter SQS's too, since its interruption queue
 * takes the cluster's name as the v1.14.1 template does: at most 80 characters (CreateQueue `QueueName`).
 */
export function clusterNameProblems(clusterName: string, karpenter: boolean): string[] {
  if (!/^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/.test(clusterName))
    return [`stack name: the cluster name "${clusterName}" must be 1-100 letters, digits, - or _`];
  if (karpenter && clusterName.length > 80) {
    return [
      `stack name: the cluster name "${clusterName}" has ${clusterName.length} characters; Karpenter's interruption queue is named after it and SQS allows 80 (shorten the stack name, or set eks-platform:karpenter false)`,
    ];
  }
  return [];
}
