import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { UNKNOWN_IMAGE_ARCHITECTURES } from "../apps/images";
import { drainTiming, zoneLocalRouting } from "../apps/workload-spec";
import { parseAttributes } from "../components/edge/attributes";
import { AWS, COMMAND, KUBERNETES, PULUMI_EKS } from "../components/resource-types";
import { NETSHOOT_ARCHITECTURES, PEERS_ARCHITECTURES } from "../lab/lab-spec";
import { ALB_INGRESS_CLASSES } from "../policy/rules/load-balancing";
import { checkCustomResources, crdsApplied, violationLines } from "../render/crd-validation/run";
import {
  ofType,
  type ProgramRun,
  type RecordedResource,
  resource,
  runProgram,
  transitiveDependencies,
} from "../render/harness";
import tls13 from "./fixtures/elb-tls13-policies.json";
import externalDnsAnnotations from "./fixtures/external-dns-annotations-v0.21.0.json";
import lbcAnnotations from "./fixtures/lbc-annotations-v3.5.0.json";
import { IMAGES_ON_EVERY_ARCHITECTURE, TEAM_CHOICES } from "./shared-configs";

const SERVICE = KUBERNETES.service;
const INGRESS = KUBERNETES.ingress;
const DEPLOYMENT = KUBERNETES.deployment;
const RELEASE = KUBERNETES.helmRelease;

interface Meta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
interface IngressPath {
  path: string;
  pathType: string;
  backend: { service: { name: string; port: { number?: number; name?: string } } };
}
interface IngressSpec {
  ingressClassName: string;
  rules: Array<{ host?: string; http: { paths: IngressPath[] } }>;
}
interface ServiceSpec {
  type: string;
  loadBalancerClass?: string;
  trafficDistribution?: string;
  selector: Record<string, string>;
}
interface Container {
  readinessProbe?: unknown;
  livenessProbe?: unknown;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  lifecycle?: { preStop?: { sleep?: { seconds: number } } };
  securityContext?: { allowPrivilegeEscalation?: boolean; capabilities?: { drop?: string[] }; runAsNonRoot?: boolean };
}
interface DeploymentSpec {
  replicas?: number;
  selector: { matchLabels: Record<string, string> };
  template: {
    spec: {
      containers: Container[];
      terminationGracePeriodSeconds: number;
      securityContext?: { seccompProfile?: { type: string }; runAsNonRoot?: boolean };
      topologySpreadConstraints: Array<{ topologyKey: string; maxSkew: number; whenUnsatisfiable: string }>;
    };
  };
}

const meta = (r: RecordedResource) => r.inputs.metadata as Meta;
const annotations = (r: RecordedResource) => meta(r)?.annotations ?? {};
const loadBalancerServices = (run: ProgramRun) =>
  ofType(run, SERVICE).filter((s) => (s.inputs.spec as ServiceSpec).type === "LoadBalancer");
const ingresses = (run: ProgramRun) => ofType(run, INGRESS);
/** The apps' own Deployments (the shared Workload labels them part of eks-platform); the lab has its own tests. */
const appDeployments = (run: ProgramRun) =>
  ofType(run, DEPLOYMENT).filter((d) => meta(d).labels?.["app.kubernetes.io/part-of"] === "eks-platform");
const loadBalancerObjects = (run: ProgramRun) => [...loadBalancerServices(run), ...ingresses(run)];

/** Deregistration delay a target group in front of these pods uses, from the object's annotations. */
function deregistrationDelay(r: RecordedResource): number {
  const a = annotations(r);
  const attributes =
    a["service.beta.kubernetes.io/aws-load-balancer-target-group-attributes"] ??
    a["alb.ingress.kubernetes.io/target-group-attributes"] ??
    "";
  const match = /deregistration_delay\.timeout_seconds=(\d+)/.exec(attributes);
  // AWS's default when unset.
  return match ? Number(match[1]) : 300;
}

/**
 * What the ALB does with a request path, following the controller's rules for these Ingresses:
 * rules in order, Exact before Prefix as listed; actions.<name> redirects; transforms.<service> rewrites.
 */
function albRoute(
  group: RecordedResource[],
  path: string,
): { redirect?: string; service?: string; upstreamPath?: string } {
  for (const ingress of group) {
    const a = annotations(ingress);
    for (const p of (ingress.inputs.spec as IngressSpec).rules.flatMap((r) => r.http.paths)) {
      const base = p.path.replace(/\/$/, "");
      const matches = p.pathType === "Exact" ? path === p.path : path === base || path.startsWith(`${base}/`);
      if (!matches) continue;
      const name = p.backend.service.name;
      if (p.backend.service.port.name === "use-annotation") {
        const action = JSON.parse(a[`alb.ingress.kubernetes.io/actions.${name}`]) as {
          type: string;
          redirectConfig: { path: string };
        };
        assert.equal(action.type, "redirect");
        return { redirect: action.redirectConfig.path };
      }
      let upstreamPath = path;
      const transforms = a[`alb.ingress.kubernetes.io/transforms.${name}`];
      if (transforms) {
        for (const t of JSON.parse(transforms) as Array<{
          type: string;
          urlRewriteConfig: { rewrites: Array<{ regex: string; replace: string }> };
        }>) {
          for (const rw of t.urlRewriteConfig.rewrites)
            upstreamPath = upstreamPath.replace(new RegExp(rw.regex), rw.replace);
        }
      }
      return { service: `${meta(ingress).namespace}/${name}`, upstreamPath };
    }
  }
  return {};
}

// ------------------------------------------------------- documented annotations

/** A documented key as a pattern: `${name}` placeholders stand for any name (`${Protocol}` is upper case: HTTPS-443); passthrough prefixes (`aws-*`) are not used here. */
function keyPattern(key: string): RegExp {
  const escape = (text: string) => text.replace(/[.*+?^$()|[\]\\{}]/g, "\\$&");
  return new RegExp(
    `^${key
      .split(/\$\{[^}]+\}/)
      .map(escape)
      .join("[A-Za-z0-9-]+")}$`,
  );
}

function documented(key: string): { valueForm: string; appliesTo?: string } | undefined {
  return [...lbcAnnotations.annotations, ...externalDnsAnnotations.annotations].find(
    (entry) => !entry.key.endsWith("*") && keyPattern(entry.key).test(key),
  );
}

/** Does the value have the documented form ("internal|internet-facing", "boolean", "stringMap k=v,...", "json list ...", ...)? */
function hasDocumentedForm(form: string, value: string): boolean {
  const head = form.split(" (")[0].split(" e.g.")[0].trim();
  if (head === "boolean") return value === "true" || value === "false";
  if (head.startsWith("integer") && !head.includes("|")) return /^-?\d+$/.test(value);
  // Each pair splits at its first "=" (v3.5.0 pkg/annotations/parser.go strings.SplitN(kvPair, "=", 2)): a value may hold "=".
  if (head.startsWith("stringMap")) return /^[\w.-]+=[^,]*(,[\w.-]+=[^,]*)*$/.test(value);
  if (head.startsWith("stringList")) return value.split(",").every((v) => v.trim() !== "");
  if (head.startsWith("json")) {
    try {
      const parsed: unknown = JSON.parse(value);
      return head.startsWith("json list")
        ? Array.isArray(parsed)
        : head.startsWith("json object")
          ? typeof parsed === "object" && !Array.isArray(parsed)
          : true;
    } catch {
      return false;
    }
  }
  if (head.startsWith("comma-separated FQDN list"))
    return value.split(",").every((h) => /^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$/.test(h.trim()));
  if (head.startsWith("string")) return value.length > 0;
  if (head.includes("|")) {
    return head.split("|").some((option) => {
      const o = option.trim();
      if (o === "integer") return /^\d+$/.test(value);
      if (o === "named port" || o === "named-service-port") return /^[a-z][a-z0-9-]*$/.test(value);
      return o === value;
    });
  }
  return false;
}

// ------------------------------------------------------------ Pod Security

/** The parts of a pod the Pod Security Standards read, as the workloads here use them. */
interface PodShape {
  securityContext?: {
    runAsNonRoot?: boolean;
    runAsUser?: number;
    seccompProfile?: { type: string };
    sysctls?: Array<{ name: string }>;
  };
  hostNetwork?: boolean;
  hostPID?: boolean;
  hostIPC?: boolean;
  volumes?: Array<Record<string, unknown>>;
  containers: Array<{
    securityContext?: {
      privileged?: boolean;
      allowPrivilegeEscalation?: boolean;
      runAsNonRoot?: boolean;
      runAsUser?: number;
      capabilities?: { add?: string[]; drop?: string[] };
      seccompProfile?: { type: string };
    };
  }>;
}

// https://kubernetes.io/docs/concepts/security/pod-security-standards/ (policy version latest)
const BASELINE_CAPABILITIES = new Set([
  "AUDIT_WRITE",
  "CHOWN",
  "DAC_OVERRIDE",
  "FOWNER",
  "FSETID",
  "KILL",
  "MKNOD",
  "NET_BIND_SERVICE",
  "SETFCAP",
  "SETGID",
  "SETPCAP",
  "SETUID",
  "SYS_CHROOT",
]);
const SAFE_SYSCTLS = new Set([
  "kernel.shm_rmid_forced",
  "net.ipv4.ip_local_port_range",
  "net.ipv4.ip_unprivileged_port_start",
  "net.ipv4.tcp_syncookies",
  "net.ipv4.ping_group_range",
  "net.ipv4.ip_local_reserved_ports",
  "net.ipv4.tcp_keepalive_time",
  "net.ipv4.tcp_fin_timeout",
  "net.ipv4.tcp_keepalive_intvl",
  "net.ipv4.tcp_keepalive_probes",
]);
const RESTRICTED_VOLUMES = new Set([
  "configMap",
  "csi",
  "downwardAPI",
  "emptyDir",
  "ephemeral",
  "persistentVolumeClaim",
  "projected",
  "secret",
]);

/** The strictest Pod Security Standards level a pod meets, for the controls these workloads touch. */
function podSecurityLevel(pod: PodShape): "restricted" | "baseline" | "privileged" {
  const seccomp = (type?: string) => type === undefined || type === "RuntimeDefault" || type === "Localhost";
  const baseline =
    !pod.hostNetwork &&
    !pod.hostPID &&
    !pod.hostIPC &&
    !(pod.volumes ?? []).some((v) => "hostPath" in v) &&
    (pod.securityContext?.sysctls ?? []).every((s) => SAFE_SYSCTLS.has(s.name)) &&
    seccomp(pod.securityContext?.seccompProfile?.type) &&
    pod.containers.every(
      (c) =>
        !c.securityContext?.privileged &&
        (c.securityContext?.capabilities?.add ?? []).every((cap) => BASELINE_CAPABILITIES.has(cap)) &&
        seccomp(c.securityContext?.seccompProfile?.type),
    );
  if (!baseline) return "privileged";
  const podNonRoot = pod.securityContext?.runAsNonRoot === true;
  const restricted =
    (pod.volumes ?? []).every((v) => Object.keys(v).some((k) => RESTRICTED_VOLUMES.has(k))) &&
    pod.securityContext?.runAsUser !== 0 &&
    (pod.securityContext?.seccompProfile !== undefined ||
      pod.containers.every((c) => c.securityContext?.seccompProfile !== undefined)) &&
    pod.containers.every((c) => {
      const sc = c.securityContext ?? {};
      return (
        sc.allowPrivilegeEscalation === false &&
        (sc.runAsNonRoot === true || (podNonRoot && sc.runAsNonRoot !== false)) &&
        sc.runAsUser !== 0 &&
        (sc.capabilities?.drop ?? []).includes("ALL") &&
        (sc.capabilities?.add ?? []).every((cap) => cap === "NET_BIND_SERVICE")
      );
    });
  return restricted ? "restricted" : "baseline";
}

// --------------------------------------------------------------------- tests

describe("apps", async () => {
  // 1.33 left standard support on 2026-07-29: it runs only with extended support. Cross-zone off is among
  // the team's choices (one shared run). Asked for together, so the worker makes them back to back.
  const [withDomain, withoutDomain, k8s133, crossZoneOff] = await Promise.all([
    runProgram({ config: { domain: "example.com" } }),
    runProgram(),
    runProgram({ config: { kubernetesVersion: "1.33", supportType: "EXTENDED" } }),
    runProgram({ config: TEAM_CHOICES }),
  ]);

  it("every pod the program declares goes only to nodes of its image's architectures: the apps' unknown images to amd64, the lab's to the platforms their builds publish, a configured one to what it says", async () => {
    const expected: Record<string, readonly string[]> = {
      echo: UNKNOWN_IMAGE_ARCHITECTURES,
      "game-2048": UNKNOWN_IMAGE_ARCHITECTURES,
      tetris: UNKNOWN_IMAGE_ARCHITECTURES,
      mario: UNKNOWN_IMAGE_ARCHITECTURES,
      netshoot: NETSHOOT_ARCHITECTURES,
      peers: PEERS_ARCHITECTURES,
    };
    const placement = (run: ProgramRun) =>
      Object.fromEntries(
        run.resources
          .filter((r) =>
            ([KUBERNETES.deployment, KUBERNETES.daemonSet, KUBERNETES.statefulSet] as string[]).includes(r.type),
          )
          .map((r) => {
            const pod = (r.inputs.spec as { template: { spec: { affinity?: unknown } } }).template.spec;
            const terms = (
              pod.affinity as
                | {
                    nodeAffinity?: {
                      requiredDuringSchedulingIgnoredDuringExecution?: {
                        nodeSelectorTerms: Array<{
                          matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
                        }>;
                      };
                    };
                  }
                | undefined
            )?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
            // Every term (they are ORed) must pin the architecture, or one term lets the pod anywhere.
            const pinned = (terms ?? []).map(
              (t) => t.matchExpressions?.find((e) => e.key === "kubernetes.io/arch" && e.operator === "In")?.values,
            );
            assert.ok(
              pinned.length > 0 && pinned.every((v) => v !== undefined),
              `${meta(r).name}: no architecture pin`,
            );
            return [meta(r).name, pinned[0]];
          }),
      );
    assert.deepEqual(placement(withoutDomain), expected);
    // Images said to run on both (the Graviton group's run of cluster.test.ts): every app may go to either.
    const both = await runProgram({ config: { nodeInstanceTypes: '["m7g.large"]', ...IMAGES_ON_EVERY_ARCHITECTURE } });
    const everywhere = ["amd64", "arm64"];
    assert.deepEqual(
      (both.outputs.appArchitectures as Record<string, { why: string }>).tetris.why,
      "as `tetrisArchitectures` says",
    );
    assert.deepEqual(placement(both), {
      ...expected,
      echo: everywhere,
      "game-2048": everywhere,
      tetris: everywhere,
      mario: everywhere,
    });
  });

  it("every internet-facing load balancer uses IP targets", () => {
    for (const run of [withDomain, withoutDomain]) {
      assert.equal(loadBalancerObjects(run).length, 5);
      for (const r of loadBalancerObjects(run)) {
        const a = annotations(r);
        const scheme =
          a["service.beta.kubernetes.io/aws-load-balancer-scheme"] ?? a["alb.ingress.kubernetes.io/scheme"];
        assert.equal(scheme, "internet-facing", meta(r).name);
        assert.equal(
          a["service.beta.kubernetes.io/aws-load-balancer-nlb-target-type"] ??
            a["alb.ingress.kubernetes.io/target-type"],
          "ip",
          meta(r).name,
        );
      }
    }
  });

  it("every LoadBalancer Service names service.k8s.aws/nlb, every Ingress a class of the controller (2048 alb, the games their own)", () => {
    assert.deepEqual(
      loadBalancerServices(withDomain)
        .map((s) => meta(s).name)
        .sort(),
      ["echo-nlb", "tetris-nlb"],
    );
    for (const s of loadBalancerServices(withDomain))
      assert.equal((s.inputs.spec as ServiceSpec).loadBalancerClass, "service.k8s.aws/nlb");
    const allIngresses = ingresses(withDomain);
    assert.equal(allIngresses.length, 3, "three Ingresses: 2048, tetris, mario");
    assert.deepEqual(
      Object.fromEntries(allIngresses.map((i) => [meta(i).name, (i.inputs.spec as IngressSpec).ingressClassName])),
      { "game-2048": "alb", tetris: "games", mario: "games" },
    );
  });

  it("the echo NLB drains 60 s, preserves the client IP, health-checks the traffic port, cross-zone as configured", () => {
    const echo = (run: ProgramRun) =>
      annotations(loadBalancerServices(run).find((s) => meta(s).name === "echo-nlb") as RecordedResource);
    const a = echo(withoutDomain);
    assert.equal(
      a["service.beta.kubernetes.io/aws-load-balancer-target-group-attributes"],
      "deregistration_delay.timeout_seconds=60,preserve_client_ip.enabled=true",
    );
    assert.equal(a["service.beta.kubernetes.io/aws-load-balancer-healthcheck-port"], "traffic-port");
    const crossZone = (run: ProgramRun) =>
      parseAttributes(echo(run)["service.beta.kubernetes.io/aws-load-balancer-attributes"])[
        "load_balancing.cross_zone.enabled"
      ];
    assert.equal(crossZone(withoutDomain), "true");
    assert.equal(crossZone(crossZoneOff), "false");
  });

  it("the two games share one ALB group with their two paths, on games.<domain>, fenced to their namespaces", () => {
    const games = ingresses(withDomain).filter((i) => (i.inputs.spec as IngressSpec).ingressClassName === "games");
    assert.deepEqual(games.map((i) => meta(i).name).sort(), ["mario", "tetris"]);
    for (const i of games) {
      assert.equal(annotations(i)["alb.ingress.kubernetes.io/group.name"], undefined, "no group by annotation");
      const spec = i.inputs.spec as IngressSpec;
      assert.deepEqual(
        spec.rules.map((r) => r.host),
        ["games.example.com"],
      );
      assert.deepEqual(
        spec.rules[0].http.paths.map((p) => p.path),
        [`/${meta(i).name}`, `/${meta(i).name}/`],
      );
    }
    // The class joins every Ingress of it to the group "games", and only tetris's and mario's namespaces may use
    // it; with the annotation disabled, no Ingress joins the group any other way.
    const params = ofType(withDomain, KUBERNETES.ingressClassParams);
    assert.deepEqual(
      params.map((p) => p.inputs.spec),
      [
        {
          group: { name: "games" },
          namespaceSelector: {
            matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "In", values: ["mario", "tetris"] }],
          },
        },
      ],
    );
    const [gamesClass] = ofType(withDomain, KUBERNETES.ingressClass);
    assert.deepEqual(gamesClass.inputs.spec, {
      controller: "ingress.k8s.aws/alb",
      parameters: { apiGroup: "elbv2.k8s.aws", kind: "IngressClassParams", name: "games" },
    });
    assert.ok(gamesClass.dependencies.includes(params[0].urn), "the class after its parameters");
    for (const i of games)
      assert.ok(transitiveDependencies(withDomain, i.urn).has(gamesClass.urn), `${meta(i).name} after its class`);
    const lbc = resource(withDomain, RELEASE, "lb-controller-release");
    assert.equal(
      (lbc.inputs.values as { disableIngressGroupNameAnnotation: boolean }).disableIngressGroupNameAnnotation,
      true,
    );
    // The pack knows every class of the controller the stack has: the chart's and the fenced ones.
    assert.deepEqual(
      [...ALB_INGRESS_CLASSES].sort(),
      ["alb", ...ofType(withDomain, KUBERNETES.ingressClass).map((c) => meta(c).name)].sort(),
    );
    const game2048 = ingresses(withDomain).find((i) => meta(i).name === "game-2048") as RecordedResource;
    assert.equal(annotations(game2048)["alb.ingress.kubernetes.io/group.name"], undefined, "2048 has its own ALB");
  });

  it("both games load under their prefix: /x redirects to /x/, and /x/ and its assets reach the pod at /", () => {
    for (const run of [withDomain, withoutDomain]) {
      const group = ingresses(run).filter((i) => (i.inputs.spec as IngressSpec).ingressClassName === "games");
      for (const game of ["tetris", "mario"]) {
        assert.deepEqual(albRoute(group, `/${game}`), { redirect: `/${game}/` });
        assert.deepEqual(albRoute(group, `/${game}/`), { service: `${game}/${game}`, upstreamPath: "/" });
        assert.deepEqual(albRoute(group, `/${game}/js/app.js`), {
          service: `${game}/${game}`,
          upstreamPath: "/js/app.js",
        });
        assert.deepEqual(albRoute(group, `/${game}/index.html`), {
          service: `${game}/${game}`,
          upstreamPath: "/index.html",
        });
      }
      assert.deepEqual(albRoute(group, "/tetrisx"), {}, "a longer word is not the tetris prefix");
    }
  });

  it("HTTPS listeners use the validated certificate and a TLS 1.3 policy, and port 80 redirects", () => {
    const [validation] = ofType(withDomain, AWS.acmCertificateValidation);
    const tls13Names = new Set(tls13.policies.map((p) => p.name));
    const allIngresses = ingresses(withDomain);
    assert.equal(allIngresses.length, 3, "three Ingresses: 2048, tetris, mario");
    for (const i of allIngresses) {
      const a = annotations(i);
      assert.deepEqual(
        JSON.parse(a["alb.ingress.kubernetes.io/listen-ports"]),
        [{ HTTP: 80 }, { HTTPS: 443 }],
        meta(i).name,
      );
      assert.equal(a["alb.ingress.kubernetes.io/ssl-redirect"], "443");
      assert.ok(
        tls13Names.has(a["alb.ingress.kubernetes.io/ssl-policy"]),
        `${a["alb.ingress.kubernetes.io/ssl-policy"]} is not a TLS 1.3 policy`,
      );
      // The ARN comes from the CertificateValidation: the listener cannot exist before the certificate is issued.
      assert.equal(a["alb.ingress.kubernetes.io/certificate-arn"], validation.inputs.certificateArn);
      assert.ok(
        i.dependencies.includes(validation.urn),
        `${meta(i).name} does not wait for the certificate's validation`,
      );
    }
  });

  it("every load-balancer object depends on the controller release, and one carrying a hostname on ExternalDNS's record check", () => {
    for (const run of [withDomain, withoutDomain]) {
      const lbc = resource(run, RELEASE, "lb-controller-release");
      const externalDns = run.resources.find((r) => r.type === RELEASE && r.name === "external-dns-release");
      const recordCheck = run.resources.find(
        (r) => r.type === COMMAND.local && r.name === "dns-record-cleanup-records-gone",
      );
      assert.equal(
        recordCheck === undefined,
        externalDns === undefined,
        "a record check exactly where ExternalDNS runs",
      );
      if (recordCheck && externalDns)
        assert.ok(
          recordCheck.dependencies.includes(externalDns.urn),
          "the record check must outlive ExternalDNS's deletion order",
        );
      const objects = loadBalancerObjects(run);
      assert.equal(objects.length, 5, "five load-balancer objects: two NLB Services, three Ingresses");
      let withHostname = 0;
      for (const r of objects) {
        assert.ok(r.dependencies.includes(lbc.urn), `${meta(r).name} does not wait for the controller`);
        const hasHostname =
          annotations(r)["external-dns.alpha.kubernetes.io/hostname"] !== undefined ||
          (r.type === INGRESS && (r.inputs.spec as IngressSpec).rules.some((rule) => rule.host));
        if (hasHostname) {
          withHostname++;
          assert.ok(
            recordCheck && r.dependencies.includes(recordCheck.urn),
            `${meta(r).name} carries a hostname but does not wait for the record check`,
          );
        }
      }
      // With a domain every object but echo's NLB carries a name; without one, none does.
      assert.equal(withHostname, run === withDomain ? 4 : 0, "objects carrying a hostname");
    }
  });

  it("publishes tetris on its own NLB as tetris.<domain>, with the annotation the pinned ExternalDNS reads", () => {
    const tetrisNlb = loadBalancerServices(withDomain).find((s) => meta(s).name === "tetris-nlb") as RecordedResource;
    assert.equal(annotations(tetrisNlb)["external-dns.alpha.kubernetes.io/hostname"], "tetris.example.com");
    assert.equal(
      annotations(tetrisNlb)["external-dns.kubernetes.io/hostname"],
      undefined,
      "0.21 does not read the GA prefix",
    );
  });

  it("tetris's own NLB speaks TLS 1.3 on 443 with the validated certificate when there is a domain, plain TCP on 80 without", () => {
    const nlb = (run: ProgramRun) =>
      loadBalancerServices(run).find((s) => meta(s).name === "tetris-nlb") as RecordedResource;
    const ports = (r: RecordedResource) =>
      (r.inputs.spec as { ports: Array<{ name: string; port: number; targetPort: string }> }).ports;
    const [validation] = ofType(withDomain, AWS.acmCertificateValidation);
    const tls = annotations(nlb(withDomain));
    const [certificate] = ofType(withDomain, AWS.acmCertificate);
    assert.equal(
      tls["service.beta.kubernetes.io/aws-load-balancer-ssl-cert"],
      `arn:aws:mock:123456789012:Certificate/${certificate.name}`,
    );
    // Taken from the validation's output, so the listener is made only once ACM has issued the certificate.
    assert.ok(
      nlb(withDomain).dependencies.includes(validation.urn),
      "the NLB does not wait for the certificate's validation",
    );
    const policy = tls["service.beta.kubernetes.io/aws-load-balancer-ssl-negotiation-policy"];
    assert.ok(
      tls13.policies.some((p) => p.name === policy),
      `${policy} is not a TLS 1.3 policy`,
    );
    // ssl-ports names the one port, and that port exists: an unused entry is an error in the controller.
    assert.deepEqual(
      ports(nlb(withDomain)).map((p) => [p.name, p.port, p.targetPort]),
      [["https", 443, "http"]],
    );
    assert.equal(tls["service.beta.kubernetes.io/aws-load-balancer-ssl-ports"], "https");
    assert.equal((withDomain.outputs.urls as Record<string, string>)["tetris-nlb"], "https://tetris.example.com/");
    const plain = annotations(nlb(withoutDomain));
    assert.deepEqual(
      Object.keys(plain).filter((k) => k.includes("ssl")),
      [],
    );
    assert.deepEqual(
      ports(nlb(withoutDomain)).map((p) => [p.name, p.port]),
      [["http", 80]],
    );
  });

  it("each game's add-slash redirect and its rewrite stay in one Ingress, the Exact redirect path first", () => {
    // The controller orders the paths of one Ingress rule Exact first, then Prefix by length
    // (kubernetes-sigs/aws-load-balancer-controller pkg/ingress/model_build_listener_rules.go L88-104 @ v3.5.0
    // 11eb202c); across Ingresses only group.order and names count, so the pair must share an Ingress.
    for (const app of ["tetris", "mario"]) {
      const owners = ingresses(withDomain).filter((i) =>
        (i.inputs.spec as IngressSpec).rules.some((rule) =>
          rule.http.paths.some((p) => p.path === `/${app}` || p.path === `/${app}/`),
        ),
      );
      assert.equal(owners.length, 1, `${app}'s redirect and rewrite are in ${owners.length} Ingresses`);
      const paths = (owners[0].inputs.spec as IngressSpec).rules[0].http.paths;
      assert.deepEqual(
        paths.map((p) => [p.path, p.pathType]),
        [
          [`/${app}`, "Exact"],
          [`/${app}/`, "Prefix"],
        ],
      );
      assert.ok(
        annotations(owners[0])[`alb.ingress.kubernetes.io/actions.${app}-add-slash`],
        "the redirect action lives beside its rule",
      );
      assert.ok(
        annotations(owners[0])[`alb.ingress.kubernetes.io/transforms.${app}`],
        "the rewrite lives beside its rule",
      );
    }
  });

  it("every Ingress and LoadBalancer Service keeps Pulumi's await: it waits for its load balancer's address", () => {
    // No skipAwait or custom waitFor: the default await waits for status.loadBalancer.ingress
    // (pulumi-kubernetes provider/pkg/await/ingress.go L322-335, service.go L299-308 @ v4.32.0), which
    // the outputs and ExternalDNS need; an ALB action backend only earns a warning (ingress.go L406-436).
    for (const run of [withDomain, withoutDomain]) {
      const objects = loadBalancerObjects(run);
      assert.equal(objects.length, 5, "five load-balancer objects: two NLB Services, three Ingresses");
      for (const r of objects) {
        for (const key of ["pulumi.com/skipAwait", "pulumi.com/waitFor", "pulumi.com/timeoutSeconds"]) {
          assert.equal(annotations(r)[key], undefined, `${meta(r).name} sets ${key}`);
        }
      }
    }
  });

  it("without a domain: no HTTPS, no certificate, no hostnames; echo and 2048 on the load balancers' own names", () => {
    const objects = loadBalancerObjects(withoutDomain);
    assert.equal(objects.length, 5, "five load-balancer objects: two NLB Services, three Ingresses");
    for (const r of objects) {
      const a = annotations(r);
      for (const key of Object.keys(a))
        assert.doesNotMatch(key, /certificate-arn|ssl-redirect|ssl-policy|external-dns/, `${meta(r).name} has ${key}`);
      if (r.type === INGRESS) {
        assert.deepEqual(JSON.parse(a["alb.ingress.kubernetes.io/listen-ports"]), [{ HTTP: 80 }]);
        assert.ok((r.inputs.spec as IngressSpec).rules.every((rule) => rule.host === undefined));
      }
    }
    const urls = withoutDomain.outputs.urls as Record<string, string>;
    assert.match(urls.echo, /^http:\/\//);
    assert.match(urls["game-2048"], /^http:\/\//);
    assert.ok(!Object.values(urls).some((u) => u.startsWith("https://")));
    assert.deepEqual(withDomain.outputs.urls, {
      echo: "http://pending-load-balancer-hostname/",
      "game-2048": "https://2048.example.com/",
      mario: "https://games.example.com/mario/",
      tetris: "https://games.example.com/tetris/",
      "tetris-nlb": "https://tetris.example.com/",
    });
  });

  it("every app's Deployment is scaled by its HorizontalPodAutoscaler, from a floor in multiples of three, and declares no count of its own", () => {
    const cases = [
      { run: withDomain, floors: { echo: 3, "game-2048": 3, tetris: 3, mario: 3 }, max: 12, cpu: 70 },
      { run: crossZoneOff, floors: { echo: 6, "game-2048": 3, tetris: 3, mario: 3 }, max: 24, cpu: 50 },
    ];
    for (const { run, floors, max, cpu } of cases) {
      const deployments = appDeployments(run);
      const autoscalers = ofType(run, KUBERNETES.horizontalPodAutoscaler);
      assert.equal(deployments.length, 4);
      assert.equal(autoscalers.length, 4);
      for (const d of deployments) {
        const name = meta(d).name;
        // A declared count would fight the autoscaler on every update; the count is ignored so an older stack's is kept.
        assert.equal((d.inputs.spec as DeploymentSpec).replicas, undefined, name);
        assert.deepEqual(run.ignoreChanges.get(d.urn), ["spec.replicas"], name);
        const targeting = autoscalers.filter(
          (h) =>
            meta(h).namespace === meta(d).namespace &&
            JSON.stringify((h.inputs.spec as { scaleTargetRef: unknown }).scaleTargetRef) ===
              JSON.stringify({ apiVersion: "apps/v1", kind: "Deployment", name }),
        );
        assert.equal(targeting.length, 1, `${name}: one autoscaler`);
        const [hpa] = targeting;
        assert.deepEqual(hpa.inputs.spec, {
          scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name },
          minReplicas: floors[name as keyof typeof floors],
          maxReplicas: max,
          metrics: [
            { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: cpu } } },
          ],
          // Declared: the API leaves the scale-down window to the control plane's flags (workload-spec.ts).
          behavior: { scaleDown: { stabilizationWindowSeconds: 300 } },
        });
        assert.equal((hpa.inputs.spec as { minReplicas: number }).minReplicas % 3, 0, name);
        assert.ok(hpa.dependencies.includes(d.urn), `${name}: the autoscaler waits for its Deployment`);
        // The CPU target is a share of the request: without one the autoscaler cannot scale.
        assert.ok((d.inputs.spec as DeploymentSpec).template.spec.containers[0].resources?.requests?.cpu, name);
      }
    }
  });

  it("every replicated Deployment spreads over zones (and nodes)", () => {
    const deployments = appDeployments(withDomain);
    assert.equal(deployments.length, 4);
    for (const d of deployments) {
      const spec = d.inputs.spec as DeploymentSpec;
      const zone = spec.template.spec.topologySpreadConstraints.find(
        (c) => c.topologyKey === "topology.kubernetes.io/zone",
      );
      assert.deepEqual(
        zone && { maxSkew: zone.maxSkew, whenUnsatisfiable: zone.whenUnsatisfiable },
        { maxSkew: 1, whenUnsatisfiable: "DoNotSchedule" },
        meta(d).name,
      );
      assert.ok(spec.template.spec.topologySpreadConstraints.some((c) => c.topologyKey === "kubernetes.io/hostname"));
    }
  });

  it("ClusterIP Services keep traffic in the caller's zone with the field of the configured version", () => {
    const clusterIps = (run: ProgramRun) =>
      ofType(run, SERVICE).filter((s) => (s.inputs.spec as ServiceSpec).type === "ClusterIP");
    assert.equal(clusterIps(withDomain).length, 4);
    for (const s of clusterIps(withDomain))
      assert.equal((s.inputs.spec as ServiceSpec).trafficDistribution, "PreferSameZone", "1.35");
    assert.equal(clusterIps(k8s133).length, 4, "four ClusterIP Services on 1.33");
    for (const s of clusterIps(k8s133)) {
      assert.equal((s.inputs.spec as ServiceSpec).trafficDistribution, "PreferClose", "1.33");
      assert.equal(annotations(s)["service.kubernetes.io/topology-mode"], undefined);
    }
    assert.deepEqual(zoneLocalRouting("1.30"), { annotations: { "service.kubernetes.io/topology-mode": "Auto" } });
  });

  it("every Deployment has probes, requests, limits, a PDB, and a drain that outlasts deregistration", () => {
    const pdbs = ofType(withDomain, KUBERNETES.podDisruptionBudget);
    const deployments = appDeployments(withDomain);
    assert.equal(deployments.length, 4, "four app Deployments");
    for (const d of deployments) {
      const spec = d.inputs.spec as DeploymentSpec;
      const pod = spec.template.spec;
      const namespace = meta(d).namespace;
      assert.ok(
        pdbs.some(
          (p) =>
            meta(p).namespace === namespace &&
            JSON.stringify((p.inputs.spec as { selector: unknown }).selector) === JSON.stringify(spec.selector),
        ),
        `${meta(d).name} has no PDB`,
      );
      // Every load balancer fronting these pods: the drain must outlast the longest deregistration delay.
      const fronting = loadBalancerObjects(withDomain).filter((r) => meta(r).namespace === namespace);
      assert.ok(fronting.length > 0, `${meta(d).name} has no load balancer in front`);
      const longestDelay = Math.max(...fronting.map(deregistrationDelay));
      assert.equal(pod.containers.length, 1, `${meta(d).name} runs one container`);
      for (const c of pod.containers) {
        assert.ok(c.readinessProbe && c.livenessProbe, `${meta(d).name} lacks probes`);
        assert.ok(c.resources?.requests?.cpu && c.resources.requests.memory, `${meta(d).name} lacks requests`);
        assert.ok(c.resources?.limits?.memory, `${meta(d).name} lacks a memory limit`);
        const sleep = c.lifecycle?.preStop?.sleep?.seconds ?? 0;
        assert.ok(
          sleep > longestDelay,
          `${meta(d).name}: preStop ${sleep}s does not outlast deregistration ${longestDelay}s`,
        );
        assert.ok(pod.terminationGracePeriodSeconds > sleep, `${meta(d).name}: grace period ends the preStop pause`);
      }
    }
    assert.deepEqual(drainTiming(60), { preStopSleepSeconds: 70, terminationGracePeriodSeconds: 90 });
  });

  it("every pod runs without privilege escalation, with RuntimeDefault seccomp and all capabilities dropped first", () => {
    const deployments = appDeployments(withDomain);
    assert.equal(deployments.length, 4, "four app Deployments");
    for (const d of deployments) {
      const pod = (d.inputs.spec as DeploymentSpec).template.spec;
      assert.equal(pod.securityContext?.seccompProfile?.type, "RuntimeDefault");
      assert.equal(pod.containers.length, 1, `${meta(d).name} runs one container`);
      for (const c of pod.containers) {
        assert.equal(c.securityContext?.allowPrivilegeEscalation, false);
        assert.deepEqual(c.securityContext?.capabilities?.drop, ["ALL"]);
      }
    }
  });

  it("namespaces enforce the strictest Pod Security level their pods meet and turn on the controller's readiness gate", () => {
    const namespaces = ofType(withDomain, KUBERNETES.namespace).filter((ns) =>
      appDeployments(withDomain).some((d) => meta(d).namespace === meta(ns).name),
    );
    assert.equal(namespaces.length, 4, "four app namespaces");
    const levels: Record<string, string> = {};
    for (const ns of namespaces) {
      const labels = meta(ns).labels ?? {};
      assert.equal(labels["elbv2.k8s.aws/pod-readiness-gate-inject"], "enabled");
      const deployment = appDeployments(withDomain).find(
        (d) => meta(d).namespace === meta(ns).name,
      ) as RecordedResource;
      const pod = (deployment.inputs.spec as DeploymentSpec).template.spec as unknown as PodShape;
      levels[meta(ns).name] = labels["pod-security.kubernetes.io/enforce"];
      assert.equal(
        labels["pod-security.kubernetes.io/enforce"],
        podSecurityLevel(pod),
        `${meta(ns).name}: enforced level is not the strictest its pods meet`,
      );
    }
    assert.deepEqual(levels, {
      echo: "restricted",
      "game-2048": "restricted",
      mario: "baseline",
      tetris: "restricted",
    });
    // The evaluator itself: a privileged pod meets neither level, a root pod not restricted.
    assert.equal(podSecurityLevel({ containers: [{ securityContext: { privileged: true } }] }), "privileged");
    assert.equal(
      podSecurityLevel({ containers: [{ securityContext: { capabilities: { add: ["NET_ADMIN"] } } }] }),
      "privileged",
    );
    assert.equal(
      podSecurityLevel({
        securityContext: { seccompProfile: { type: "RuntimeDefault" } },
        containers: [{ securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } } }],
      }),
      "baseline",
    );
  });

  it("Deployments wait for the node groups they run on, not for the controller release", () => {
    const lbc = resource(withDomain, RELEASE, "lb-controller-release");
    const groups = ofType(withDomain, PULUMI_EKS.managedNodeGroup);
    assert.equal(groups.length, 1, "one managed node group");
    const deployments = appDeployments(withDomain);
    assert.equal(deployments.length, 4, "four app Deployments");
    for (const d of deployments) {
      for (const group of groups)
        assert.ok(d.dependencies.includes(group.urn), `${meta(d).name} does not wait for ${group.name}`);
      // A pod its webhook has not seen is refused and retried by the ReplicaSet: no need to wait the whole install.
      assert.ok(
        !transitiveDependencies(withDomain, d.urn).has(lbc.urn),
        `${meta(d).name} waits for the controller release`,
      );
    }
  });

  it("every annotation is one the pinned controller and ExternalDNS document, with a value of the documented form", () => {
    const checked = new Set<string>();
    for (const run of [withDomain, withoutDomain]) {
      for (const r of run.resources.filter((x) => x.type.startsWith("kubernetes:") && x.type !== RELEASE)) {
        for (const [key, value] of Object.entries(annotations(r))) {
          if (
            !/^(alb\.ingress\.kubernetes\.io|service\.beta\.kubernetes\.io\/aws-load-balancer-|external-dns)/.test(key)
          )
            continue;
          const doc = documented(key);
          assert.ok(doc, `${key} on ${meta(r).name} is not documented by the pinned versions`);
          assert.ok(
            hasDocumentedForm(doc.valueForm, value),
            `${key}=${value} is not of the documented form "${doc.valueForm}"`,
          );
          if (doc.appliesTo === "ingress") assert.equal(r.type, INGRESS, `${key} belongs on an Ingress`);
          if (doc.appliesTo === "service") assert.equal(r.type, SERVICE, `${key} belongs on a Service`);
          checked.add(key.replace(/\.(tetris|mario)(-add-slash)?$/, ".<name>"));
        }
      }
    }
    assert.ok(checked.size >= 15, `only ${checked.size} annotation keys checked`);
    // The checker itself rejects what it should.
    assert.equal(documented("alb.ingress.kubernetes.io/target-typ"), undefined);
    assert.equal(hasDocumentedForm("internal|internet-facing", "public"), false);
    assert.equal(hasDocumentedForm("stringMap k=v,... (NLB attributes)", "cross_zone"), false);
  });

  it("every rendered Kubernetes object validates against the Kubernetes schema", async () => {
    // Each kind's model module alone (kubernetes-models/<apiVersion>/<Kind>): loading a whole group costs a second.
    type Model = new (data: unknown) => { validate(): void };
    const models = new Map<string, Model | undefined>();
    const modelOf = async (apiVersion: string, kind: string): Promise<Model | undefined> => {
      const key = `${apiVersion}/${kind}`;
      if (!models.has(key)) {
        const module = (await import(`kubernetes-models/${key}`).catch(() => ({}))) as Record<string, Model>;
        models.set(key, module[kind]);
      }
      return models.get(key);
    };
    // Custom resources (Karpenter's kinds, IngressClassParams): the render's own check against the CRDs the program
    // applies, schema and CEL rules (render/crd-validation/, whose failing cases are crd-validation.test.ts's).
    let validated = 0;
    for (const run of [withDomain, withoutDomain, k8s133]) {
      const custom = checkCustomResources(run);
      assert.deepEqual(violationLines(custom), []);
      validated += custom.checked.length;
      const customKinds = new Set(
        [...crdsApplied(run).values()].flatMap((versions) => [...versions.values()].map((v) => `${v.group}/${v.kind}`)),
      );
      for (const r of run.resources.filter((x) => x.custom && x.type.startsWith("kubernetes:") && x.type !== RELEASE)) {
        const { apiVersion, kind } = r.inputs as { apiVersion: string; kind: string };
        if (r.type === KUBERNETES.configGroup || customKinds.has(`${apiVersion.split("/")[0]}/${kind}`)) continue;
        const Model = await modelOf(apiVersion, kind);
        assert.ok(Model, `no schema model for ${apiVersion} ${kind}`);
        assert.doesNotThrow(() => new Model(r.inputs).validate(), `${kind} ${meta(r).namespace}/${meta(r).name}`);
        validated++;
      }
    }
    assert.ok(validated >= 60, `validated only ${validated} objects`);
    // The schema checks do fail on a bad object.
    const Bad = (await modelOf("apps/v1", "Deployment")) as Model;
    assert.throws(() =>
      new Bad({
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "x" },
        spec: { replicas: "three" },
      }).validate(),
    );
  });
});
