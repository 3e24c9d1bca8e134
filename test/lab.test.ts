import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { kubeProxyConfiguration } from "../components/cluster/addon-config";
import { nodeConfigDocuments } from "../components/cluster/node-config";
import { AWS, COMPONENTS, KUBERNETES } from "../components/resource-types";
import { ECHO_NODE_PORT, LAB_NAMESPACE, NETSHOOT_IMAGE, PEERS_IMAGE } from "../lab/lab-spec";
import { ofType, ProgramError, type ProgramRun, type RecordedResource, resource, runProgram } from "../render/harness";
import ipvsGuide from "./fixtures/ipvs-kernel-modules.json";

const SERVICE = KUBERNETES.service;
interface Meta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
}
interface PodTemplate {
  metadata: { labels: Record<string, string> };
  spec: {
    securityContext: { runAsNonRoot?: boolean; seccompProfile?: { type: string } };
    containers: Array<{
      image: string;
      ports?: Array<{ name: string }>;
      resources: { requests: Record<string, string>; limits: Record<string, string> };
      readinessProbe?: unknown;
      securityContext: {
        allowPrivilegeEscalation: boolean;
        readOnlyRootFilesystem: boolean;
        capabilities: { drop: string[] };
      };
    }>;
    topologySpreadConstraints: Array<{ topologyKey: string; whenUnsatisfiable: string; maxSkew: number }>;
  };
}
const meta = (r: RecordedResource) => r.inputs.metadata as Meta;
const spec = <T>(r: RecordedResource) => r.inputs.spec as T;
const named = (run: ProgramRun, type: string, name: string, namespace: string) =>
  run.resources.find(
    (r) => r.type === type && meta(r)?.name === name && meta(r)?.namespace === namespace,
  ) as RecordedResource;

describe("the service-networking lab", async () => {
  const [dev, withDomain, off] = await Promise.all([
    runProgram(),
    runProgram({ config: { domain: "example.com" } }),
    runProgram({ config: { networkLab: "false" } }),
  ]);

  it("is on in the dev stack, in its own restricted namespace, and absent when networkLab is false", () => {
    const ns = ofType(dev, KUBERNETES.namespace).find((n) => meta(n).name === LAB_NAMESPACE) as RecordedResource;
    assert.equal(meta(ns).labels?.["pod-security.kubernetes.io/enforce"], "restricted");
    assert.equal(dev.outputs.networkLab, true);
    assert.deepEqual(
      off.resources.filter((r) => r.urn.includes(COMPONENTS.networkLab)),
      [],
    );
  });

  it("a StatefulSet behind a headless Service: a DNS name per pod, the Service name resolving to every pod", () => {
    const service = named(dev, SERVICE, "peers", LAB_NAMESPACE);
    const statefulSet = named(dev, KUBERNETES.statefulSet, "peers", LAB_NAMESPACE);
    const serviceSpec = spec<{
      clusterIP: string;
      selector: Record<string, string>;
      ports: Array<{ targetPort: string }>;
    }>(service);
    const setSpec = spec<{ serviceName: string; replicas: number; template: PodTemplate }>(statefulSet);
    assert.equal(serviceSpec.clusterIP, "None");
    assert.equal(setSpec.serviceName, "peers", "pods get peers-N.peers.lab.svc.cluster.local through serviceName");
    const selector = Object.entries(serviceSpec.selector);
    assert.equal(selector.length, 2, "the headless Service selects by two labels (name, part-of)");
    for (const [k, v] of selector) assert.equal(setSpec.template.metadata.labels[k], v);
    assert.ok(
      setSpec.template.spec.containers[0].ports?.some((p) => p.name === serviceSpec.ports[0].targetPort),
      "the Service targets a port the peers name",
    );
    assert.equal(setSpec.template.spec.containers[0].image, PEERS_IMAGE);
  });

  it("an ExternalName Service aliases the games' public name with a domain, a documented public name without", () => {
    const target = (run: ProgramRun) =>
      spec<{ type: string; externalName: string }>(named(run, SERVICE, "games-external", LAB_NAMESPACE));
    assert.deepEqual(target(withDomain), { type: "ExternalName", externalName: "games.example.com" });
    assert.deepEqual(target(dev), { type: "ExternalName", externalName: "example.com" });
  });

  it("a NodePort in front of echo's own pods, on a fixed port, with no load balancer (nodes have no public address)", () => {
    const nodePort = named(dev, SERVICE, "echo-nodeport", "echo");
    const s = spec<{
      type: string;
      selector: Record<string, string>;
      ports: Array<{ nodePort: number; targetPort: string }>;
      loadBalancerClass?: string;
    }>(nodePort);
    assert.equal(s.type, "NodePort");
    assert.equal(s.loadBalancerClass, undefined);
    assert.equal(s.ports[0].nodePort, ECHO_NODE_PORT);
    assert.ok(ECHO_NODE_PORT >= 30000 && ECHO_NODE_PORT <= 32767, "the node port is in the default range");
    const echo = named(dev, KUBERNETES.deployment, "echo", "echo");
    const template = spec<{ template: PodTemplate }>(echo).template;
    const selector = Object.entries(s.selector);
    assert.equal(selector.length, 1, "the NodePort selects by one label (name)");
    for (const [k, v] of selector) assert.equal(template.metadata.labels[k], v, "the NodePort selects echo's pods");
    assert.ok(
      template.spec.containers[0].ports?.some((p) => p.name === s.ports[0].targetPort),
      "the NodePort targets a port echo names",
    );
    assert.ok(
      nodePort.dependencies.includes(resource(dev, KUBERNETES.namespace, "echo-namespace").urn),
      "it waits for echo's namespace",
    );
    // The private subnets give nodes no public address: the NodePort adds no internet exposure.
    const subnets = ofType(dev, AWS.subnet);
    assert.equal(subnets.length, 6, "six subnets: a public and a private one per zone");
    for (const subnet of subnets) assert.equal(subnet.inputs.mapPublicIpOnLaunch ?? false, false);
  });

  it("one netshoot client per zone, pinned by digest, restricted, with limits and a readiness check", () => {
    const netshoot = named(dev, KUBERNETES.deployment, "netshoot", LAB_NAMESPACE);
    const s = spec<{ replicas: number; template: PodTemplate }>(netshoot);
    assert.equal(s.replicas, 3);
    const zone = s.template.spec.topologySpreadConstraints.find((c) => c.topologyKey === "topology.kubernetes.io/zone");
    assert.deepEqual([zone?.maxSkew, zone?.whenUnsatisfiable], [1, "DoNotSchedule"]);
    const [container] = s.template.spec.containers;
    assert.equal(container.image, NETSHOOT_IMAGE);
    assert.match(container.image, /:v\d+\.\d+@sha256:[0-9a-f]{64}$/, "a release, pinned by digest");
    assert.ok(
      container.resources.limits.memory && container.resources.requests.cpu,
      "netshoot has requests and limits",
    );
    assert.ok(container.readinessProbe, "netshoot has a readiness probe");
    assert.equal(s.template.spec.securityContext.runAsNonRoot, true);
    assert.equal(s.template.spec.securityContext.seccompProfile?.type, "RuntimeDefault");
    assert.deepEqual(container.securityContext.capabilities.drop, ["ALL"]);
    assert.equal(container.securityContext.allowPrivilegeEscalation, false);
  });
});

describe("kube-proxy mode", async () => {
  const kubeProxy = (run: ProgramRun) => resource(run, AWS.eksAddon, "cluster-kube-proxy");
  const userData = (run: ProgramRun) =>
    Buffer.from(String(ofType(run, AWS.launchTemplate)[0].inputs.userData), "base64").toString("utf8");

  it("iptables by default, said to the add-on (so a switch back from IPVS reaches it), and nodes load no IPVS modules", async () => {
    const run = await runProgram();
    assert.deepEqual(JSON.parse(String(kubeProxy(run).inputs.configurationValues)), { mode: "iptables" });
    assert.equal(run.outputs.kubeProxyMode, "iptables");
    assert.doesNotMatch(userData(run), /ip_vs/);
  });

  it("ipvs: the add-on's schema keys (mode, ipvs.scheduler), and the nodes load IPVS's kernel modules at boot", async () => {
    const run = await runProgram({ config: { kubeProxyMode: "ipvs" } });
    assert.deepEqual(JSON.parse(String(kubeProxy(run).inputs.configurationValues)), {
      mode: "ipvs",
      ipvs: { scheduler: "rr" },
    });
    const text = userData(run);
    assert.match(text, /Content-Type: text\/x-shellscript/);
    // What the node's shell part really does: the modules it writes for boot, and those it loads now.
    const persisted = /printf '%s\\n' ([\w ]+) > \/etc\/modules-load\.d\/[\w-]+\.conf/.exec(text)?.[1].split(" ") ?? [];
    const loaded = /for module in ([\w ]+); do modprobe "\$module"; done/.exec(text)?.[1].split(" ") ?? [];
    // Expected from AWS's IPVS guide (fixture), and from what kube-proxy needs for the configured scheduler.
    const scheduler = (JSON.parse(String(kubeProxy(run).inputs.configurationValues)) as { ipvs: { scheduler: string } })
      .ipvs.scheduler;
    const needed = new Set([...ipvsGuide.modules, "ip_vs", `ip_vs_${scheduler}`, "nf_conntrack"]);
    assert.equal(needed.size, 12);
    for (const module of needed) {
      assert.ok(
        persisted.includes(module),
        `${module} is not written to /etc/modules-load.d/ (persisted: ${persisted.join(" ")})`,
      );
      assert.ok(loaded.includes(module), `${module} is not loaded at boot (loaded: ${loaded.join(" ")})`);
    }
    // The shell part is not a NodeConfig: nodeadm's documents are unchanged.
    assert.equal(nodeConfigDocuments(text).length, 2);
    assert.equal(kubeProxyConfiguration("nftables"), '{"mode":"nftables"}');
  });

  it("refuses nftables while the pinned VPC CNI is older than v1.23.0, and a mode that does not exist", async () => {
    for (const [mode, pattern] of [
      [
        "nftables",
        /eks-platform:kubeProxyMode: expected one of "iptables", "ipvs" \(nftables waits for the VPC CNI v1\.23\.0/,
      ],
      ["userspace", /eks-platform:kubeProxyMode: expected one of "iptables", "ipvs" /],
    ] as const) {
      const error = await runProgram({ config: { kubeProxyMode: mode } }).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(error instanceof ProgramError, `kubeProxyMode=${mode} is refused`);
      assert.match(error.message, pattern);
    }
  });
});
