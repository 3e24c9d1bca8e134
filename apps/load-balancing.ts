/**
 * Annotations for the AWS Load Balancer Controller (v3.5.0) and ExternalDNS (0.21.0): only keys those
 * versions document, with values in the documented form (a test checks every one against them).
 */
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { albAttributes, nlbAttributes } from "../components/edge/attributes";
import { accessLogPrefix } from "../components/edge/log-delivery";
import { EXTERNAL_DNS_HOSTNAME_ANNOTATION } from "../components/external-dns/values";
import { DEFAULT_SSL_POLICY } from "../components/load-balancer-controller/values";

/** Seconds a deregistered target keeps its connections: a minute on the NLBs, less for the ALBs' short web requests. */
export const NLB_DEREGISTRATION_DELAY_SECONDS = 60;
export const ALB_DEREGISTRATION_DELAY_SECONDS = 30;

export const NLB_LOAD_BALANCER_CLASS = "service.k8s.aws/nlb";

/** The ALB listener attribute that sends Strict-Transport-Security (ELB guide, header-modification.html), and for how long. */
export const HSTS_ATTRIBUTE = "routing.http.response.strict_transport_security.header_value";
export const HSTS_MAX_AGE_SECONDS = 31_536_000;
export const ALB_INGRESS_CLASS = "alb";

const SERVICE = "service.beta.kubernetes.io/";
const INGRESS = "alb.ingress.kubernetes.io/";
/** The wafv2-acl-arn value that makes the load balancer controller detach any web ACL from the ALB. */
export const WAF_NONE = "none";

/** TLS on an ALB: the validated certificate and the TLS 1.3 policy. */
export interface AlbTls {
  readonly certificateArn: pulumi.Input<string>;
}

/** What every load balancer of the stack carries (components/edge): access logs, deletion protection, the web ACL. */
export interface EdgeSettings {
  /** The stack's access-log bucket (its name is pure, components/edge/log-delivery.ts). */
  readonly accessLogBucket: string;
  readonly deletionProtection: boolean;
  /** The WAF web ACL internet-facing ALBs are associated with (config webAcl). */
  readonly webAclArn?: pulumi.Input<string>;
}

/** The NLB listener a Service gets: TLS on 443 with a certificate, plain TCP on 80 without. */
export const NLB_TLS_PORT = { name: "https", port: 443 } as const;
export const NLB_PLAIN_PORT = { name: "http", port: 80 } as const;

/**
 * An internet-facing NLB with IP targets: health-checked on the traffic port, drained for 60 s, the
 * client's own address preserved (echoserver shows it), cross-zone as configured. With TLS, the listener
 * on the `https` port terminates TLS with the certificate and the TLS 1.3 policy (the controller's own
 * default, ELBSecurityPolicy-2016-08, has no TLS 1.3); `ssl-ports` names it so no other port turns TLS.
 */
export function nlbServiceAnnotations(args: {
  name: string;
  crossZone: boolean;
  edge: EdgeSettings;
  hostname?: string;
  tls?: AlbTls;
}): Record<string, pulumi.Input<string>> {
  const accessLogs = { bucket: args.edge.accessLogBucket, prefix: accessLogPrefix("nlb", args.name) };
  return {
    [`${SERVICE}aws-load-balancer-scheme`]: "internet-facing",
    [`${SERVICE}aws-load-balancer-nlb-target-type`]: "ip",
    [`${SERVICE}aws-load-balancer-attributes`]: nlbAttributes({
      crossZone: args.crossZone,
      accessLogs,
      deletionProtection: args.edge.deletionProtection,
    }),
    [`${SERVICE}aws-load-balancer-target-group-attributes`]: `deregistration_delay.timeout_seconds=${NLB_DEREGISTRATION_DELAY_SECONDS},preserve_client_ip.enabled=true`,
    [`${SERVICE}aws-load-balancer-healthcheck-port`]: "traffic-port",
    [`${SERVICE}aws-load-balancer-healthcheck-protocol`]: "http",
    [`${SERVICE}aws-load-balancer-healthcheck-path`]: "/",
    ...(args.hostname ? { [EXTERNAL_DNS_HOSTNAME_ANNOTATION]: args.hostname } : {}),
    ...(args.tls
      ? {
          [`${SERVICE}aws-load-balancer-ssl-cert`]: args.tls.certificateArn,
          [`${SERVICE}aws-load-balancer-ssl-ports`]: NLB_TLS_PORT.name,
          [`${SERVICE}aws-load-balancer-ssl-negotiation-policy`]: DEFAULT_SSL_POLICY,
        }
      : {}),
  };
}

/**
 * An internet-facing ALB with IP targets. With TLS: HTTP on 80 redirected to HTTPS on 443, the
 * certificate and the TLS 1.3 policy. `group` names the shared ALB (an IngressGroup) an Ingress joins through
 * the group's own IngressClass (never by annotation: the controller runs with the annotation disabled): its
 * members carry the same attributes and web ACL (the controller refuses a group whose members disagree),
 * and its access logs go under the group's name.
 */
export function albIngressAnnotations(args: {
  name: string;
  healthCheckPath: string;
  edge: EdgeSettings;
  tls?: AlbTls;
  group?: string;
}): Record<string, pulumi.Input<string>> {
  const accessLogs = { bucket: args.edge.accessLogBucket, prefix: accessLogPrefix("alb", args.group ?? args.name) };
  return {
    [`${INGRESS}scheme`]: "internet-facing",
    [`${INGRESS}target-type`]: "ip",
    [`${INGRESS}load-balancer-attributes`]: albAttributes({
      accessLogs,
      deletionProtection: args.edge.deletionProtection,
    }),
    // Without a web ACL, "none" and not nothing: the controller leaves an ALB's web ACL as it is when the
    // annotation is absent, and detaches it only for "none" (aws-load-balancer-controller v3.5.0 @ 11eb202c
    // pkg/ingress/model_build_load_balancer_addons.go L62-98), so turning webAcl off would leave the ACL
    // associated and its delete failing (WAFAssociatedItemException).
    [`${INGRESS}wafv2-acl-arn`]: args.edge.webAclArn ?? WAF_NONE,
    [`${INGRESS}healthcheck-path`]: args.healthCheckPath,
    [`${INGRESS}success-codes`]: "200",
    [`${INGRESS}target-group-attributes`]: `deregistration_delay.timeout_seconds=${ALB_DEREGISTRATION_DELAY_SECONDS}`,
    ...(args.tls
      ? {
          [`${INGRESS}listen-ports`]: JSON.stringify([{ HTTP: 80 }, { HTTPS: 443 }]),
          [`${INGRESS}ssl-redirect`]: "443",
          [`${INGRESS}certificate-arn`]: args.tls.certificateArn,
          [`${INGRESS}ssl-policy`]: DEFAULT_SSL_POLICY,
          // HSTS for a year on the HTTPS listener, and for this host only: includeSubDomains would bind every
          // other name of the user's domain to HTTPS as well, which is not this stack's to decide.
          [`${INGRESS}listener-attributes.HTTPS-443`]: `${HSTS_ATTRIBUTE}=max-age=${HSTS_MAX_AGE_SECONDS}`,
        }
      : { [`${INGRESS}listen-ports`]: JSON.stringify([{ HTTP: 80 }]) }),
  };
}

/**
 * Serve an app that expects `/` under `/<prefix>/`, declaratively at the ALB (controller >= 2.14):
 * `/<prefix>` is redirected to `/<prefix>/` (so the page's relative asset URLs resolve under the
 * prefix), and `/<prefix>/...` is rewritten to `/...` on its way to the pods. Nothing inside the pods
 * changes, so a restart undoes nothing.
 */
export function prefixAnnotations(prefix: string, serviceName: string, redirectAction: string): Record<string, string> {
  return {
    [`${INGRESS}actions.${redirectAction}`]: JSON.stringify({
      type: "redirect",
      redirectConfig: { path: `/${prefix}/`, query: "#{query}", statusCode: "HTTP_301" },
    }),
    [`${INGRESS}transforms.${serviceName}`]: JSON.stringify([
      { type: "url-rewrite", urlRewriteConfig: { rewrites: [{ regex: `^/${prefix}/(.*)$`, replace: "/$1" }] } },
    ]),
  };
}

/** The rules of a prefixed app: exact `/<prefix>` to the redirect action, `/<prefix>/` onwards to the service. */
export function prefixPaths(
  prefix: string,
  serviceName: string,
  servicePort: number,
  redirectAction: string,
): k8s.types.input.networking.v1.HTTPIngressPath[] {
  return [
    {
      path: `/${prefix}`,
      pathType: "Exact",
      backend: { service: { name: redirectAction, port: { name: "use-annotation" } } },
    },
    {
      path: `/${prefix}/`,
      pathType: "Prefix",
      backend: { service: { name: serviceName, port: { number: servicePort } } },
    },
  ];
}
