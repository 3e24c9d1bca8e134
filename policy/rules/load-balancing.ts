/**
 * Load balancers made by the AWS Load Balancer Controller from Services and Ingresses (and ELB
 * listeners declared directly): who makes them, what they target, how they speak TLS.
 *
 * Annotation names, values and defaults: the controller's docs at v3.5.0 (docs/guide/service/
 * annotations.md, docs/guide/ingress/annotations.md; the project's extract is
 * test/fixtures/lbc-annotations-v3.5.0.json). The defaults that matter here: scheme `internal`,
 * target type `instance`, listen ports `[{"HTTP": 80}]` (or `[{"HTTPS": 443}]` with certificate-arn),
 * and security policy ELBSecurityPolicy-2016-08 (no TLS 1.3) when none is named.
 */

import { get, list, notApplicable, type PolicyInput, str, stringMap, type Verdict } from "./props";
import { AWS, KUBERNETES } from "./resource-types";
import { isAllowedTlsPolicy } from "./tls13-policies";

export const SERVICE_TYPE = KUBERNETES.service;
export const INGRESS_TYPE = KUBERNETES.ingress;
/** ELB listeners declared directly (aws.lb.Listener, and its aws.alb alias). */
export const LISTENER_TYPES: readonly string[] = [AWS.lbListener, AWS.albListener];

/** The loadBalancerClass the controller claims Services by (its service mutator webhook is off here). */
export const LBC_SERVICE_CLASS = "service.k8s.aws/nlb";
/** The IngressClass the controller's chart creates (values.yaml ingressClass: alb). */
export const ALB_INGRESS_CLASS = "alb";
/**
 * Every IngressClass of the controller the stack has: the chart's, and the shared games ALB's own
 * (index.ts: an IngressGroup fenced to its namespaces). A per-resource rule cannot read the IngressClass
 * objects, so the pack keeps their names; a test holds this list to the classes the program makes.
 */
export const ALB_INGRESS_CLASSES: readonly string[] = [ALB_INGRESS_CLASS, "games"];

/** Whether an Ingress is handled by the AWS Load Balancer Controller, by its class. */
function isAlbClass(className: string | undefined): boolean {
  return className !== undefined && ALB_INGRESS_CLASSES.includes(className);
}

const SVC = "service.beta.kubernetes.io/";
const ALB = "alb.ingress.kubernetes.io/";

const annotationsOf = (resource: PolicyInput): Readonly<Record<string, string>> =>
  stringMap(resource.props, "metadata", "annotations");

/** Whether the AWS Load Balancer Controller handles this LoadBalancer Service: by class, or by the legacy type annotation. */
function handledByController(resource: PolicyInput): boolean {
  const loadBalancerClass = str(resource.props, "spec", "loadBalancerClass");
  const legacyType = annotationsOf(resource)[`${SVC}aws-load-balancer-type`];
  return (
    loadBalancerClass === LBC_SERVICE_CLASS ||
    (loadBalancerClass === undefined && (legacyType === "external" || legacyType === "nlb-ip"))
  );
}

function ingressClass(resource: PolicyInput): string | undefined {
  return str(resource.props, "spec", "ingressClassName") ?? annotationsOf(resource)["kubernetes.io/ingress.class"];
}

/**
 * Internet-facing LoadBalancer Services and Ingresses go through the AWS Load Balancer Controller
 * with IP targets: traffic reaches the pod itself (readiness gates, no extra node hop, client IP
 * kept), never a node port on whatever node.
 */
export function loadBalancerIpTargets(resource: PolicyInput): Verdict {
  const annotations = annotationsOf(resource);
  if (resource.type === SERVICE_TYPE) {
    if (str(resource.props, "spec", "type") !== "LoadBalancer") return notApplicable("not a LoadBalancer Service");
    if (!handledByController(resource)) {
      // The in-tree cloud provider's default is internet-facing; it is internal only when told so.
      const internal = annotations[`${SVC}aws-load-balancer-internal`];
      if (
        (internal !== undefined && internal !== "false") ||
        annotations[`${SVC}aws-load-balancer-scheme`] === "internal"
      ) {
        return notApplicable("an internal load balancer");
      }
      const loadBalancerClass = str(resource.props, "spec", "loadBalancerClass");
      return [
        loadBalancerClass === undefined
          ? `LoadBalancer Service without spec.loadBalancerClass ${LBC_SERVICE_CLASS}: the in-tree cloud provider makes it, internet-facing, with instance targets`
          : `LoadBalancer Service of loadBalancerClass ${loadBalancerClass}: not the AWS Load Balancer Controller (${LBC_SERVICE_CLASS})`,
      ];
    }
    if (annotations[`${SVC}aws-load-balancer-scheme`] !== "internet-facing")
      return notApplicable("an internal NLB (the controller's default scheme)");
    const targetType =
      annotations[`${SVC}aws-load-balancer-nlb-target-type`] ??
      (annotations[`${SVC}aws-load-balancer-type`] === "nlb-ip" ? "ip" : undefined);
    return targetType === "ip"
      ? []
      : [
          `internet-facing NLB with ${targetType ?? "instance (the default)"} targets: set ${SVC}aws-load-balancer-nlb-target-type: ip`,
        ];
  }
  if (resource.type === INGRESS_TYPE) {
    const className = ingressClass(resource);
    if (!isAlbClass(className)) {
      const albAnnotations = Object.keys(annotations).some((key) => key.startsWith(ALB));
      return albAnnotations
        ? [
            `Ingress with ${ALB} annotations but ingressClassName ${className ?? "unset"}: the AWS Load Balancer Controller only handles classes ${ALB_INGRESS_CLASSES.join(", ")}`,
          ]
        : notApplicable(`an Ingress of class ${className ?? "unset"}, not an ALB`);
    }
    if (annotations[`${ALB}scheme`] !== "internet-facing")
      return notApplicable("an internal ALB (the controller's default scheme)");
    const targetType = annotations[`${ALB}target-type`];
    return targetType === "ip"
      ? []
      : [`internet-facing ALB with ${targetType ?? "instance (the default)"} targets: set ${ALB}target-type: ip`];
  }
  return notApplicable("not a Service or Ingress");
}

interface AlbListeners {
  readonly http: readonly number[];
  readonly https: readonly number[];
}

/** The ALB's listeners from listen-ports, or the controller's default; an error message if the annotation is not its JSON form. */
function albListeners(resource: PolicyInput): AlbListeners | string {
  const annotations = annotationsOf(resource);
  const raw = annotations[`${ALB}listen-ports`];
  if (raw === undefined) {
    return annotations[`${ALB}certificate-arn`] !== undefined ? { http: [], https: [443] } : { http: [80], https: [] };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return `${ALB}listen-ports is not JSON: ${raw}`;
  }
  const http: number[] = [];
  const https: number[] = [];
  for (const entry of Array.isArray(parsed) ? parsed : []) {
    for (const [protocol, port] of Object.entries((entry ?? {}) as Record<string, unknown>)) {
      if (protocol === "HTTP") http.push(Number(port));
      if (protocol === "HTTPS") https.push(Number(port));
    }
  }
  return { http, https };
}

/** An ALB Ingress that is meant to serve TLS: a certificate named, an HTTPS listener, or spec.tls (certificate discovery). */
function albWithTls(resource: PolicyInput): boolean {
  const annotations = annotationsOf(resource);
  const listeners = albListeners(resource);
  return (
    annotations[`${ALB}certificate-arn`] !== undefined ||
    (typeof listeners !== "string" && listeners.https.length > 0) ||
    list(resource.props, "spec", "tls").length > 0
  );
}

/**
 * An ALB with a certificate serves HTTPS, and its plain-HTTP listeners only redirect there.
 * (cdk-nag ALBHttpToHttpsRedirection, AWS Config alb-http-to-https-redirection-check.)
 */
export function albHttpsRedirect(resource: PolicyInput): Verdict {
  if (resource.type !== INGRESS_TYPE || !isAlbClass(ingressClass(resource))) return notApplicable("not an ALB Ingress");
  if (!albWithTls(resource)) return notApplicable("no certificate attached: the ALB serves plain HTTP only");
  const listeners = albListeners(resource);
  if (typeof listeners === "string") return [listeners];
  if (listeners.https.length === 0) return [`a certificate is attached but ${ALB}listen-ports opens no HTTPS listener`];
  if (listeners.http.length === 0) return [];
  const redirect = annotationsOf(resource)[`${ALB}ssl-redirect`];
  if (redirect === undefined) {
    return [
      `HTTP listener on port ${listeners.http.join(", ")} serves plain HTTP beside HTTPS: set ${ALB}ssl-redirect: "${listeners.https[0]}"`,
    ];
  }
  return listeners.https.includes(Number(redirect))
    ? []
    : [`${ALB}ssl-redirect names port ${redirect}, which is not an HTTPS listener (${listeners.https.join(", ")})`];
}

/** The ALB listener attribute that sends Strict-Transport-Security (ELB guide, header-modification.html). */
export const HSTS_ATTRIBUTE = "routing.http.response.strict_transport_security.header_value";
/** The shortest HSTS max-age accepted: a year, what browsers' preload lists ask for. */
export const HSTS_MIN_MAX_AGE_SECONDS = 31_536_000;

/** A listener-attributes annotation's pairs: `k=v` split on unescaped commas, each at its first `=` (v3.5.0 pkg/annotations/parser.go). */
export function listenerAttributes(value: string | undefined): Readonly<Record<string, string>> {
  if (!value) return {};
  return Object.fromEntries(
    value
      .split(/(?<!\\),/)
      .map((pair) => pair.replace(/\\,/g, ","))
      .filter((pair) => pair.includes("="))
      .map((pair) => [pair.slice(0, pair.indexOf("=")).trim(), pair.slice(pair.indexOf("=") + 1).trim()]),
  );
}

/**
 * Every HTTPS listener of an ALB Ingress sends Strict-Transport-Security with a max-age of a year or more
 * (`listener-attributes.HTTPS-<port>`, the controller's annotation for listener attributes, v3.5.0
 * docs/guide/ingress/annotations.md), so a browser that has once reached the site never falls back to HTTP.
 */
export function albHsts(resource: PolicyInput): Verdict {
  if (resource.type !== INGRESS_TYPE || !isAlbClass(ingressClass(resource))) return notApplicable("not an ALB Ingress");
  if (!albWithTls(resource)) return notApplicable("no certificate attached: no HTTPS listener");
  const listeners = albListeners(resource);
  if (typeof listeners === "string") return [listeners];
  return listeners.https.flatMap((port) => {
    const header = listenerAttributes(annotationsOf(resource)[`${ALB}listener-attributes.HTTPS-${port}`])[
      HSTS_ATTRIBUTE
    ];
    const maxAge = Number(/(?:^|;)\s*max-age=(\d+)/i.exec(header ?? "")?.[1] ?? Number.NaN);
    if (header === undefined)
      return [`the HTTPS listener on ${port} sends no Strict-Transport-Security (${HSTS_ATTRIBUTE})`];
    return maxAge >= HSTS_MIN_MAX_AGE_SECONDS
      ? []
      : [
          `the HTTPS listener on ${port} sends Strict-Transport-Security "${header}": max-age below ${HSTS_MIN_MAX_AGE_SECONDS} seconds`,
        ];
  });
}

/** What a TLS listener's policy check says about the policy named (undefined: none named). */
function tlsPolicyViolations(policy: string | undefined, where: string): string[] {
  if (policy === undefined)
    return [`${where} names no security policy: the default, ELBSecurityPolicy-2016-08, has no TLS 1.3`];
  return isAllowedTlsPolicy(policy)
    ? []
    : [`${where} uses ${policy}: not a TLS 1.3 policy with TLS 1.2 as its minimum`];
}

/**
 * Every TLS listener offers TLS 1.3 and accepts nothing older than TLS 1.2: ALB HTTPS listeners
 * (ssl-policy), NLB TLS listeners (ssl-negotiation-policy) and ELB listeners declared directly.
 */
export function tls13Policy(resource: PolicyInput): Verdict {
  const annotations = annotationsOf(resource);
  if (resource.type === INGRESS_TYPE) {
    if (!isAlbClass(ingressClass(resource))) return notApplicable("not an ALB Ingress");
    if (!albWithTls(resource)) return notApplicable("no certificate attached: the ALB serves plain HTTP only");
    return tlsPolicyViolations(annotations[`${ALB}ssl-policy`], `ALB HTTPS listener (${ALB}ssl-policy)`);
  }
  if (resource.type === SERVICE_TYPE) {
    if (
      str(resource.props, "spec", "type") !== "LoadBalancer" ||
      annotations[`${SVC}aws-load-balancer-ssl-cert`] === undefined
    ) {
      return notApplicable("no TLS listener (no ssl-cert)");
    }
    return tlsPolicyViolations(
      annotations[`${SVC}aws-load-balancer-ssl-negotiation-policy`],
      `NLB TLS listener (${SVC}aws-load-balancer-ssl-negotiation-policy)`,
    );
  }
  if (LISTENER_TYPES.includes(resource.type)) {
    const protocol = get(resource.props, "protocol");
    if (protocol !== "HTTPS" && protocol !== "TLS") return notApplicable("not an HTTPS or TLS listener");
    return tlsPolicyViolations(str(resource.props, "sslPolicy"), `${String(protocol)} listener (sslPolicy)`);
  }
  return notApplicable("not a load balancer listener");
}

/**
 * The controller-made load balancer a Service or Ingress stands for, with the attributes it asks for
 * (`load-balancer-attributes`, the controller's `key=value,...` form), or why the rule does not apply.
 * (This pack is installed on its own, so it reads the annotation itself rather than import the program's
 * components/edge/attributes.ts.)
 */
function controllerLoadBalancer(
  resource: PolicyInput,
): { kind: "ALB" | "NLB"; attributes: Readonly<Record<string, string>> } | { notApplicable: string } {
  const annotations = annotationsOf(resource);
  const parse = (value: string | undefined): Record<string, string> =>
    Object.fromEntries(
      (value ?? "")
        .split(",")
        .filter((pair) => pair.includes("="))
        .map((pair) => [pair.slice(0, pair.indexOf("=")).trim(), pair.slice(pair.indexOf("=") + 1).trim()]),
    );
  if (resource.type === SERVICE_TYPE) {
    if (str(resource.props, "spec", "type") !== "LoadBalancer" || !handledByController(resource))
      return { notApplicable: "not an NLB of the load balancer controller" };
    return { kind: "NLB", attributes: parse(annotations[`${SVC}aws-load-balancer-attributes`]) };
  }
  if (resource.type === INGRESS_TYPE) {
    if (!isAlbClass(ingressClass(resource))) return { notApplicable: "not an ALB Ingress" };
    return { kind: "ALB", attributes: parse(annotations[`${ALB}load-balancer-attributes`]) };
  }
  return { notApplicable: "not a Service or Ingress" };
}

/** An ALB drops HTTP header fields that are not valid before they reach the targets (request smuggling). */
export function albDropInvalidHeaders(resource: PolicyInput): Verdict {
  const lb = controllerLoadBalancer(resource);
  if ("notApplicable" in lb) return notApplicable(lb.notApplicable);
  if (lb.kind !== "ALB") return notApplicable("an NLB: no HTTP headers");
  return lb.attributes["routing.http.drop_invalid_header_fields.enabled"] === "true"
    ? []
    : [
        `the ALB keeps invalid HTTP header fields: add routing.http.drop_invalid_header_fields.enabled=true to ${ALB}load-balancer-attributes`,
      ];
}

/** Every ALB and NLB writes access logs to an S3 bucket. */
export function loadBalancerAccessLogs(resource: PolicyInput): Verdict {
  const lb = controllerLoadBalancer(resource);
  if ("notApplicable" in lb) return notApplicable(lb.notApplicable);
  if (lb.attributes["access_logs.s3.enabled"] !== "true")
    return [
      `the ${lb.kind} writes no access logs: set access_logs.s3.enabled=true and access_logs.s3.bucket in its load-balancer-attributes`,
    ];
  return lb.attributes["access_logs.s3.bucket"]
    ? []
    : [`the ${lb.kind}'s access logs name no bucket (access_logs.s3.bucket)`];
}

/** Advisory: an internet-facing ALB has no WAF web ACL (a team may rely on something else in front). */
export function albWebAcl(resource: PolicyInput): Verdict {
  const lb = controllerLoadBalancer(resource);
  if ("notApplicable" in lb) return notApplicable(lb.notApplicable);
  if (lb.kind !== "ALB") return notApplicable("an NLB: WAF protects ALBs");
  const annotations = annotationsOf(resource);
  if (annotations[`${ALB}scheme`] !== "internet-facing") return notApplicable("an internal ALB");
  // "none" is the controller's word for no web ACL (it detaches one), not an ACL.
  const acl = annotations[`${ALB}wafv2-acl-arn`];
  return (acl && acl !== "none") || annotations[`${ALB}web-acl-id`]
    ? []
    : [`the internet-facing ALB has no WAF web ACL (${ALB}wafv2-acl-arn; config webAcl)`];
}

/** Advisory: a load balancer without deletion protection (on, `pulumi destroy` needs it turned off first). */
export function loadBalancerDeletionProtection(resource: PolicyInput): Verdict {
  const lb = controllerLoadBalancer(resource);
  if ("notApplicable" in lb) return notApplicable(lb.notApplicable);
  return lb.attributes["deletion_protection.enabled"] === "true"
    ? []
    : [`the ${lb.kind} has no deletion protection (config loadBalancerDeletionProtection)`];
}
