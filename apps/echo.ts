import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { type AppArgs, type AppContext, loadBalancerDependencies, loadBalancerHostname } from "./app";
import { NLB_DEREGISTRATION_DELAY_SECONDS, NLB_LOAD_BALANCER_CLASS, nlbServiceAnnotations } from "./load-balancing";
import { loadBalancerSources } from "./network-policy";
import { Workload } from "./workload";
import { type ImageSecurityProfile, selectorLabels } from "./workload-spec";

export const ECHO_PORT = 8080;

/**
 * echoserver 1.5 (kubernetes/ingress images/echoheaders @ c18c8f76, FROM nginx-slim 0.17, nginx 1.13 with
 * Lua): its nginx.conf has no `user`, `pid` or log directives and listens on 8080; the compiled-in paths
 * are the pid file /run/nginx.pid and the temp dirs /var/lib/nginx/{body,proxy,fastcgi}, which nginx
 * mkdirs at start (images/nginx-slim/build.sh @ b72ee247); logs are symlinked to stdout/stderr. A master
 * that is not root skips switching users and chowning (nginx src/core/nginx.c ngx_set_user, src/os/unix/
 * ngx_process_cycle.c, release-1.13.0). So it runs restricted as nobody (65534), with emptyDirs at those two
 * places and nothing else writable.
 */
export const ECHO_SECURITY: ImageSecurityProfile = {
  level: "restricted",
  runAsUser: 65534,
  writablePaths: ["/var/lib/nginx", "/run"],
  why: "non-root nginx (nobody, 65534) on port 8080, writing only its temp directories and pid file",
};

/** What each echo pod asks for (and may use). */
export const ECHO_RESOURCES = {
  requests: { cpu: "50m", memory: "64Mi" },
  limits: { cpu: "250m", memory: "128Mi" },
} as const;

/** echo (echoserver) on an internet-facing NLB with IP targets; echoserver shows the caller's real address. */
export function deployEcho(
  context: AppContext,
  args: AppArgs,
): { url: pulumi.Output<string>; namespace: pulumi.Output<string>; selector: Record<string, string> } {
  const workload = new Workload("echo", {
    app: "echo",
    image: args.image,
    architectures: args.architectures,
    port: ECHO_PORT,
    autoscaling: { ...context.autoscaling, minReplicas: args.replicas },
    probePath: "/",
    resources: ECHO_RESOURCES,
    security: ECHO_SECURITY,
    deregistrationDelaySeconds: NLB_DEREGISTRATION_DELAY_SECONDS,
    kubernetesVersion: context.kubernetesVersion,
    provider: context.provider,
    nodes: context.nodes,
    loadBalancerSources: loadBalancerSources({
      publicSubnetCidrs: context.subnetCidrs.public,
      privateSubnetCidrs: context.subnetCidrs.private,
      behindNlbPreservingClientIp: true,
    }),
  });
  const nlb = new k8s.core.v1.Service(
    "echo-nlb",
    {
      metadata: {
        name: "echo-nlb",
        namespace: workload.namespace,
        annotations: nlbServiceAnnotations({
          name: "echo-nlb",
          crossZone: context.crossZoneLoadBalancing,
          edge: context.edge,
        }),
      },
      spec: {
        type: "LoadBalancer",
        loadBalancerClass: NLB_LOAD_BALANCER_CLASS,
        selector: { "app.kubernetes.io/name": "echo" },
        ports: [{ name: "http", port: 80, targetPort: "http", protocol: "TCP" }],
      },
    },
    workload.frontingOptions(loadBalancerDependencies(context, false)),
  );
  return {
    url: pulumi.interpolate`http://${loadBalancerHostname(nlb.status)}/`,
    // An output of the namespace, so what else lives in it (the lab's NodePort) waits for it.
    namespace: workload.namespaceName,
    selector: selectorLabels("echo"),
  };
}
