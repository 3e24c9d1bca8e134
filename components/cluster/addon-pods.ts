/**
 * The pods the EKS add-ons run on the managed nodes, by their requests: what a node gives them before the
 * program's own pods (components/cluster/capacity.ts). From the add-ons' manifests where AWS or the
 * project publishes them; where it does not, the best public copy of the EKS-built object, said so.
 */
import type { PlannedPods } from "./capacity";

export const ADDON_PODS: readonly PlannedPods[] = [
  // aws-node (vpc-cni v1.21.1): the aws-node and aws-eks-nodeagent containers request 25m CPU each, the
  // init container 25m, none memory; a pod's request is the larger of the init container's and the sum of
  // the others'. aws/amazon-vpc-cni-k8s v1.21.1 (e082bae7c03ddc28357b01595f3746b117ac08c7)
  // config/master/aws-k8s-cni.yaml L450-452, L546-548, L587-589 (charts/aws-vpc-cni/values.yaml L189-191).
  { workload: "kube-system/aws-node", replicas: "every node", requests: { cpuMillis: 50, memoryMiB: 0 } },
  // kube-proxy: 100m CPU, no memory. AWS publishes no manifest of the add-on; the EKS-built DaemonSet as
  // eksctl records it: eksctl-io/eksctl @ 99984adb6164ece593c0728523b7f497ea61d60e
  // pkg/addons/default/testdata/sample-1.25.json L86-93 (the upstream default is the same 100m).
  { workload: "kube-system/kube-proxy", replicas: "every node", requests: { cpuMillis: 100, memoryMiB: 0 } },
  // eks-pod-identity-agent: no requests (the chart's `resources: {}`). aws/eks-pod-identity-agent v0.1.37
  // (d4dc0f3fedd795b26ac88755238867a2110c7460) charts/eks-pod-identity-agent/values.yaml L165-175.
  { workload: "kube-system/eks-pod-identity-agent", replicas: "every node", requests: { cpuMillis: 0, memoryMiB: 0 } },
  // CoreDNS: two replicas whatever the node count (EKS user guide, managing-coredns.html), 100m CPU and
  // 70Mi each. eksctl-io/eksctl @ 99984adb pkg/addons/default/assets/coredns-1.34.json L96, L217-224
  // (image eks/coredns:v1.13.2-eksbuild.19, the add-on line pinned here).
  { workload: "kube-system/coredns", replicas: 2, requests: { cpuMillis: 100, memoryMiB: 70 } },
  // metrics-server (the community add-on): two replicas (AWS re:Post "metrics-server add-on, which by default
  // comes with 2 replicas"), 100m CPU and 200Mi each: the requests upstream's chart sets
  // (kubernetes-sigs/metrics-server @ 5ed5d3a charts/metrics-server/values.yaml L176-179, chart 3.13.1) and a
  // `kubectl describe` of the add-on's v0.8.0-eksbuild.3 Deployment shows. AWS publishes no manifest of it.
  // It serves on port 10251 (EKS user guide, metrics-server.html); the API server reaches it through the
  // cluster security group, which admits all traffic between its members (the control plane's ENIs and
  // every node: cluster.ts skips pulumi-eks's own node security groups).
  { workload: "kube-system/metrics-server", replicas: 2, requests: { cpuMillis: 100, memoryMiB: 200 } },
];
