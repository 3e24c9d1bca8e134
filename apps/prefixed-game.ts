import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { type AppContext, loadBalancerDependencies, loadBalancerHostname } from "./app";
import { appHostnames } from "./hostnames";
import type { NodeArchitecture } from "./images";
import {
  ALB_DEREGISTRATION_DELAY_SECONDS,
  albIngressAnnotations,
  NLB_DEREGISTRATION_DELAY_SECONDS,
  NLB_LOAD_BALANCER_CLASS,
  NLB_PLAIN_PORT,
  NLB_TLS_PORT,
  nlbServiceAnnotations,
  prefixAnnotations,
  prefixPaths,
} from "./load-balancing";
import { loadBalancerSources } from "./network-policy";
import { Workload } from "./workload";
import type { ImageSecurityProfile } from "./workload-spec";

/** The IngressGroup the games share: one ALB for all of them. */
export const GAMES_GROUP = "games";

export interface PrefixedGameArgs {
  /** App name: also its namespace, Deployment and Service name. */
  readonly app: string;
  /** Container image reference (validated in config/schema.ts). */
  readonly image: string;
  /** The architectures the image runs on: the pods' node affinity. */
  readonly architectures: readonly NodeArchitecture[];
  /** The autoscaler's floor: a multiple of 3, one pod per zone at least. */
  readonly replicas: number;
  /** Container port, named `http`. */
  readonly port: number;
  /** The container's requests and limits (what the capacity check counts). */
  readonly resources: { readonly requests: Record<string, string>; readonly limits: Record<string, string> };
  /** How the image runs restricted: user, writable paths, capabilities (its profile beside the app). */
  readonly security: ImageSecurityProfile;
  /** Also publish the game on its own NLB (as `<app>.<domain>` with a domain). */
  readonly ownNlb: boolean;
}

export interface GameUrls {
  /** On the shared ALB, under `/<app>/`. */
  readonly shared: pulumi.Output<string>;
  readonly nlb?: pulumi.Output<string>;
}

/**
 * A game served at `/` by its image, published under `/<app>/` on the shared games ALB (HTTPS at
 * games.<domain> with a domain), and optionally on its own NLB.
 */
export function deployPrefixedGame(context: AppContext, args: PrefixedGameArgs): GameUrls {
  const workload = new Workload(args.app, {
    app: args.app,
    image: args.image,
    architectures: args.architectures,
    port: args.port,
    autoscaling: { ...context.autoscaling, minReplicas: args.replicas },
    probePath: "/",
    resources: args.resources,
    security: args.security,
    deregistrationDelaySeconds: args.ownNlb ? NLB_DEREGISTRATION_DELAY_SECONDS : ALB_DEREGISTRATION_DELAY_SECONDS,
    kubernetesVersion: context.kubernetesVersion,
    provider: context.provider,
    nodes: context.nodes,
    // Its own NLB delivers clients' own addresses; the shared ALB connects from the VPC.
    loadBalancerSources: loadBalancerSources({
      publicSubnetCidrs: context.subnetCidrs.public,
      privateSubnetCidrs: context.subnetCidrs.private,
      behindNlbPreservingClientIp: args.ownNlb,
    }),
  });
  const host = context.dns ? appHostnames(context.dns.domain).games : undefined;
  const redirectAction = `${args.app}-add-slash`;
  // The redirect rule's backend (`<app>-add-slash`, port `use-annotation`) is an ALB action, not a
  // Service. pulumi-kubernetes's Ingress await only warns about a backend without endpoints once the
  // endpoints have settled (10 s after the last event, 60 s at most) and still waits for
  // status.loadBalancer.ingress (pulumi/pulumi-kubernetes @ 94977969 provider/pkg/await/ingress.go
  // L322-335, L406-436, L498-509), so no skipAwait: the Ingress keeps waiting for its address, which
  // ExternalDNS and the outputs need.
  const ingress = new k8s.networking.v1.Ingress(
    `${args.app}-alb`,
    {
      metadata: {
        name: args.app,
        namespace: workload.namespace,
        annotations: {
          ...albIngressAnnotations({
            name: args.app,
            healthCheckPath: "/",
            group: GAMES_GROUP,
            edge: context.edge,
            tls: context.dns ? { certificateArn: context.dns.certificateArn } : undefined,
          }),
          ...prefixAnnotations(args.app, workload.serviceName, redirectAction),
        },
      },
      spec: {
        // The games' own class: the IngressGroup fenced to their namespaces (index.ts, the load balancer controller).
        ingressClassName: GAMES_GROUP,
        rules: [
          {
            ...(host ? { host } : {}),
            http: { paths: prefixPaths(args.app, workload.serviceName, workload.servicePort, redirectAction) },
          },
        ],
      },
    },
    workload.frontingOptions([
      ...loadBalancerDependencies(context, host !== undefined),
      // The webhook refuses an Ingress whose class does not exist yet.
      ...(context.ingressClasses[GAMES_GROUP] ? [context.ingressClasses[GAMES_GROUP]] : []),
    ]),
  );
  const shared = host
    ? pulumi.output(`https://${host}/${args.app}/`)
    : pulumi.interpolate`http://${loadBalancerHostname(ingress.status)}/${args.app}/`;

  if (!args.ownNlb) return { shared };
  const nlbHost = context.dns ? `${args.app}.${context.dns.domain}` : undefined;
  const nlb = new k8s.core.v1.Service(
    `${args.app}-nlb`,
    {
      metadata: {
        name: `${args.app}-nlb`,
        namespace: workload.namespace,
        annotations: nlbServiceAnnotations({
          name: `${args.app}-nlb`,
          crossZone: context.crossZoneLoadBalancing,
          edge: context.edge,
          hostname: nlbHost,
          tls: context.dns ? { certificateArn: context.dns.certificateArn } : undefined,
        }),
      },
      spec: {
        type: "LoadBalancer",
        loadBalancerClass: NLB_LOAD_BALANCER_CLASS,
        selector: { "app.kubernetes.io/name": args.app },
        // TLS with a domain (its certificate covers the name), plain TCP without one: no port speaks both.
        ports: [{ ...(context.dns ? NLB_TLS_PORT : NLB_PLAIN_PORT), targetPort: "http", protocol: "TCP" }],
      },
    },
    workload.frontingOptions(loadBalancerDependencies(context, nlbHost !== undefined)),
  );
  return {
    shared,
    nlb: nlbHost
      ? pulumi.output(`https://${nlbHost}/`)
      : pulumi.interpolate`http://${loadBalancerHostname(nlb.status)}/`,
  };
}
