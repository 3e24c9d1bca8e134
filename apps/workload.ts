import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { COMPONENTS } from "../components/resource-types";
import { imageDigestWaiver, type NodeArchitecture } from "./images";
import { allowDns, allowLoadBalancers, defaultDenyEgress, defaultDenyIngress, type IpBlock } from "./network-policy";
import {
  AUTOSCALED_DEPLOYMENT_FIELDS,
  type AutoscalingSettings,
  drainTiming,
  horizontalPodAutoscalerSpec,
  type ImageSecurityProfile,
  namespaceLabels,
  podSpec,
  selectorLabels,
  waiverAnnotations,
  zoneLocalRouting,
} from "./workload-spec";

export interface WorkloadArgs {
  /** App name: also its namespace, Deployment and Service name. */
  readonly app: string;
  /** Container image reference (validated in config/schema.ts). */
  readonly image: string;
  /** The architectures the image runs on: the pods' node affinity. */
  readonly architectures: readonly NodeArchitecture[];
  /** Container port, named `http`. */
  readonly port: number;
  /** The HorizontalPodAutoscaler's range and target; its floor is a multiple of 3, validated in config. */
  readonly autoscaling: AutoscalingSettings;
  /** Path answering 200, for probes (and the load balancer's health check). */
  readonly probePath: string;
  /** The container's requests and limits (what the capacity check counts). */
  readonly resources: { readonly requests: Record<string, string>; readonly limits: Record<string, string> };
  /** How the image runs restricted: user, writable paths, capabilities (its profile beside the app). */
  readonly security: ImageSecurityProfile;
  /** The longest deregistration delay of the target groups in front of it: the drain outlasts it. */
  readonly deregistrationDelaySeconds: number;
  /** Picks the Service's zone-local routing field. */
  readonly kubernetesVersion: string;
  /** The Kubernetes provider of the cluster the objects go to. */
  readonly provider: k8s.Provider;
  /**
   * The node groups the pods run on: the Deployment's rollout waits for them. Not the load balancer
   * controller: its pod-mutating webhook is `failurePolicy: Ignore` (chart 3.5.0 values.yaml
   * podMutatorWebhookConfig, templates/webhook.yaml), so a pod created before it answers is admitted
   * without the readiness gate; only a first deploy's pods can lack it (every later rollout's pods carry
   * it), and waiting for the release would put a whole Helm install on the deploy's critical path.
   */
  readonly nodes: readonly pulumi.Resource[];
  /** Where the load balancers' traffic to the pods comes from (network-policy.ts loadBalancerSources). */
  readonly loadBalancerSources: readonly IpBlock[];
}

/**
 * One app as every app here runs: its own namespace (Pod Security enforced, readiness gate on), a
 * Deployment spread over zones and nodes with probes, limits and a drain, scaled by a HorizontalPodAutoscaler,
 * a PodDisruptionBudget, and a ClusterIP Service that keeps in-cluster traffic in the caller's zone.
 */
export class Workload extends pulumi.ComponentResource {
  public readonly namespace: string;
  /** The namespace's name as an output of the Namespace: objects placed in it wait for it. */
  public readonly namespaceName: pulumi.Output<string>;
  /** The ClusterIP Service: backend of the app's Ingress rules. */
  public readonly serviceName: string;
  public readonly servicePort: number;
  private readonly provider: k8s.Provider;
  private readonly namespaceResource: k8s.core.v1.Namespace;

  constructor(name: string, args: WorkloadArgs, opts?: pulumi.ComponentResourceOptions) {
    super(COMPONENTS.workload, name, {}, opts);
    const options = { parent: this, provider: args.provider };
    const labels = { ...selectorLabels(args.app), "app.kubernetes.io/part-of": "eks-platform" };

    const namespace = new k8s.core.v1.Namespace(
      `${name}-namespace`,
      { metadata: { name: args.app, labels: namespaceLabels(args.security.level) } },
      options,
    );
    const metadata = { name: args.app, namespace: namespace.metadata.name, labels };
    // The image's own reason, when a default is kept by tag (apps/images.ts), beside the profile's waivers.
    const imageWaiver = imageDigestWaiver(args.image);
    const waivers = [...(args.security.waivers ?? []), ...(imageWaiver ? [imageWaiver] : [])];

    const deployment = new k8s.apps.v1.Deployment(
      `${name}-deployment`,
      {
        metadata: waivers.length > 0 ? { ...metadata, annotations: waiverAnnotations(waivers) } : metadata,
        spec: {
          // No replicas: the HorizontalPodAutoscaler owns the count (see ignoreChanges below).
          selector: { matchLabels: selectorLabels(args.app) },
          // Surge first: capacity never drops below the replica count during a rollout.
          strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
          template: {
            metadata: { labels },
            spec: podSpec({
              app: args.app,
              image: args.image,
              architectures: args.architectures,
              port: args.port,
              probePath: args.probePath,
              resources: args.resources,
              security: args.security,
              drain: drainTiming(args.deregistrationDelaySeconds),
            }),
          },
        },
      },
      {
        ...options,
        dependsOn: [...args.nodes],
        // The count is the autoscaler's: declared nowhere, and ignored so a stack from before the HPA keeps
        // its live count instead of falling back to 1 (docs/autoscaling.md says why, with the sources).
        ignoreChanges: [...AUTOSCALED_DEPLOYMENT_FIELDS],
      },
    );

    new k8s.autoscaling.v2.HorizontalPodAutoscaler(
      `${name}-hpa`,
      { metadata, spec: horizontalPodAutoscalerSpec(args.app, args.autoscaling) },
      { ...options, dependsOn: [deployment] },
    );

    new k8s.policy.v1.PodDisruptionBudget(
      `${name}-pdb`,
      { metadata, spec: { maxUnavailable: 1, selector: { matchLabels: selectorLabels(args.app) } } },
      options,
    );

    // Ingress is denied to every pod of the namespace but what a rule below allows.
    new k8s.networking.v1.NetworkPolicy(
      `${name}-default-deny`,
      { metadata: { name: "default-deny-ingress", namespace: namespace.metadata.name }, spec: defaultDenyIngress() },
      options,
    );
    // Egress too: the app serves and calls nothing; cluster DNS is all it may reach.
    new k8s.networking.v1.NetworkPolicy(
      `${name}-default-deny-egress`,
      { metadata: { name: "default-deny-egress", namespace: namespace.metadata.name }, spec: defaultDenyEgress() },
      options,
    );
    new k8s.networking.v1.NetworkPolicy(
      `${name}-allow-dns`,
      { metadata: { name: "allow-dns", namespace: namespace.metadata.name }, spec: allowDns() },
      options,
    );
    new k8s.networking.v1.NetworkPolicy(
      `${name}-allow-load-balancers`,
      {
        metadata: { name: "allow-load-balancers", namespace: namespace.metadata.name },
        spec: allowLoadBalancers({
          selector: selectorLabels(args.app),
          port: args.port,
          sources: args.loadBalancerSources,
        }),
      },
      options,
    );

    const routing = zoneLocalRouting(args.kubernetesVersion);
    new k8s.core.v1.Service(
      `${name}-service`,
      {
        metadata: { ...metadata, annotations: routing.annotations },
        spec: {
          type: "ClusterIP",
          selector: selectorLabels(args.app),
          ports: [{ name: "http", port: 80, targetPort: "http", protocol: "TCP" }],
          ...(routing.trafficDistribution ? { trafficDistribution: routing.trafficDistribution } : {}),
        },
      },
      options,
    );

    this.namespace = args.app;
    this.namespaceName = namespace.metadata.name;
    this.serviceName = args.app;
    this.servicePort = 80;
    this.provider = args.provider;
    this.namespaceResource = namespace;
    this.registerOutputs({});
  }

  /** Options for an object fronting this app (a load balancer): in its namespace, after `dependsOn`. */
  public frontingOptions(dependsOn: readonly pulumi.Resource[]): pulumi.CustomResourceOptions {
    return { parent: this, provider: this.provider, dependsOn: [this.namespaceResource, ...dependsOn] };
  }
}
