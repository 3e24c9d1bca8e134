import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { NodeArchitecture } from "./images";
import type { EdgeSettings } from "./load-balancing";
import type { AutoscalingSettings } from "./workload-spec";

/** What the configuration says of one app: its image, where that image runs, and its floor of replicas. */
export interface AppArgs {
  /** Container image reference (validated in config/schema.ts). */
  readonly image: string;
  /** The architectures the image runs on (config/resolve.ts appPlatformsOf): the pods' node affinity. */
  readonly architectures: readonly NodeArchitecture[];
  /** The floor of its HorizontalPodAutoscaler, a multiple of 3 (validated in config/schema.ts). */
  readonly replicas: number;
}

/** What every app receives from the platform. */
export interface AppContext {
  readonly provider: k8s.Provider;
  readonly kubernetesVersion: string;
  /**
   * Every object that makes a load balancer depends on it: its webhooks act on Services and Ingresses,
   * and on destroy the controller must outlive them to delete their load balancers.
   */
  readonly loadBalancerController: pulumi.Resource;
  /** The IngressClasses of shared ALBs (IngressGroups), by group name: an Ingress of one waits for its class. */
  readonly ingressClasses: Readonly<Record<string, pulumi.Resource>>;
  /** The node groups: a Deployment's rollout needs nodes to run on, nothing from the controllers. */
  readonly nodes: readonly pulumi.Resource[];
  /** With a domain: TLS and DNS names. */
  readonly dns?: {
    readonly domain: string;
    readonly certificateArn: pulumi.Output<string>;
    /**
     * ExternalDNS, held by its delete-time record check (DnsRecordCleanup): every object carrying a
     * hostname depends on it, so on destroy its records are gone before ExternalDNS is.
     */
    readonly recordCleanup: pulumi.Resource;
  };
  readonly crossZoneLoadBalancing: boolean;
  /** Every app's HorizontalPodAutoscaler ceiling and CPU target; each app's floor is its own replicas key. */
  readonly autoscaling: Omit<AutoscalingSettings, "minReplicas">;
  /** Access logs, deletion protection and the web ACL, and what a load balancer waits for before it logs. */
  readonly edge: EdgeSettings & {
    /** The log bucket's delivery policy and the web ACL: load balancers wait for them, and go before them on destroy. */
    readonly ready: readonly pulumi.Resource[];
  };
  /** The subnets' CIDRs: load balancers live in the public ones, nodes and pods in the private ones. */
  readonly subnetCidrs: { readonly public: readonly string[]; readonly private: readonly string[] };
}

/** The controllers an object waits for: LB controller, and ExternalDNS (through its record check) when it carries a hostname. */
export function loadBalancerDependencies(context: AppContext, carriesHostname: boolean): pulumi.Resource[] {
  const controllers =
    carriesHostname && context.dns
      ? [context.loadBalancerController, context.dns.recordCleanup]
      : [context.loadBalancerController];
  return [...controllers, ...context.edge.ready];
}

interface LoadBalancerStatus {
  loadBalancer?: { ingress?: Array<{ hostname?: string; ip?: string }> };
}

/** What a load balancer's hostname reads before the controller has made the load balancer (in a preview). */
export const PENDING_LOAD_BALANCER_HOSTNAME = "pending-load-balancer-hostname";

/** The hostname AWS gave a load balancer, once the controller has written it into the object's status. */
export function loadBalancerHostname(status: pulumi.Output<LoadBalancerStatus | undefined>): pulumi.Output<string> {
  return status.apply((s) => s?.loadBalancer?.ingress?.[0]?.hostname ?? PENDING_LOAD_BALANCER_HOSTNAME);
}
