import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import {
  allowDns,
  allowEgressToNodes,
  allowEgressToPods,
  allowPodsFrom,
  defaultDenyEgress,
  defaultDenyIngress,
} from "../apps/network-policy";
import { COMPONENTS } from "../components/resource-types";
import { KUBE_PROXY_METRICS_PORT } from "../verify/checks/kube-proxy";
import {
  ECHO_NODE_PORT,
  ECHO_NODE_PORT_SERVICE,
  EXTERNAL_NAME_SERVICE,
  externalNameTarget,
  LAB_NAMESPACE,
  LAB_REPLICAS,
  labNamespaceLabels,
  labSelector,
  NETSHOOT_NAME,
  netshootPodSpec,
  PEERS_NAME,
  PEERS_PORT,
  peerPodSpec,
} from "./lab-spec";

export interface NetworkLabArgs {
  /** The Kubernetes provider of the cluster the objects go to. */
  readonly provider: k8s.Provider;
  /** The node groups: the lab's pods need nodes, nothing else. */
  readonly nodes: readonly pulumi.Resource[];
  /** echo, whose pods the NodePort Service fronts (a Service selects pods of its own namespace only). */
  readonly echo: {
    readonly namespace: pulumi.Input<string>;
    readonly selector: Readonly<Record<string, string>>;
    readonly targetPort: string;
    /** The container port behind targetPort: what the clients' egress names (by number, as the VPC CNI maps best). */
    readonly containerPort: number;
  };
  /** The private subnets' CIDRs: the nodes' addresses, where the clients reach the NodePort and kube-proxy. */
  readonly nodeCidrs: readonly string[];
  /** The games' public name when there is a domain: the ExternalName Service aliases it. */
  readonly gamesHostname?: string;
}

/**
 * The service-networking lab (namespace `lab`): a StatefulSet behind a headless Service (a DNS name per
 * pod), an ExternalName Service (DNS aliasing, no proxy), a NodePort Service in front of echo (the
 * node-port path beside the NLB's IP targets, reachable only inside the VPC: nodes have no public
 * address), and a netshoot client in every zone to run curl and dig from.
 */
export class NetworkLab extends pulumi.ComponentResource {
  public readonly namespace: string;

  constructor(name: string, args: NetworkLabArgs, opts?: pulumi.ComponentResourceOptions) {
    super(COMPONENTS.networkLab, name, {}, opts);
    const options = { parent: this, provider: args.provider };
    const namespace = new k8s.core.v1.Namespace(
      `${name}-namespace`,
      { metadata: { name: LAB_NAMESPACE, labels: labNamespaceLabels() } },
      options,
    );
    const ns = namespace.metadata.name;

    // Headless: no virtual IP; the Service's name resolves to every ready pod, and each pod gets
    // <pod>.<service>.<namespace>.svc.cluster.local through the StatefulSet's serviceName.
    const peersService = new k8s.core.v1.Service(
      `${name}-peers`,
      {
        metadata: { name: PEERS_NAME, namespace: ns, labels: labSelector(PEERS_NAME) },
        spec: {
          clusterIP: "None",
          selector: labSelector(PEERS_NAME),
          ports: [{ name: "http", port: PEERS_PORT, targetPort: "http" }],
        },
      },
      options,
    );
    new k8s.apps.v1.StatefulSet(
      `${name}-peers`,
      {
        metadata: { name: PEERS_NAME, namespace: ns, labels: labSelector(PEERS_NAME) },
        spec: {
          serviceName: peersService.metadata.name,
          replicas: LAB_REPLICAS,
          // Peers are independent: start them together rather than one after another.
          podManagementPolicy: "Parallel",
          selector: { matchLabels: labSelector(PEERS_NAME) },
          template: { metadata: { labels: labSelector(PEERS_NAME) }, spec: peerPodSpec() },
        },
      },
      { ...options, dependsOn: [...args.nodes] },
    );

    new k8s.apps.v1.Deployment(
      `${name}-netshoot`,
      {
        metadata: { name: NETSHOOT_NAME, namespace: ns, labels: labSelector(NETSHOOT_NAME) },
        spec: {
          replicas: LAB_REPLICAS,
          selector: { matchLabels: labSelector(NETSHOOT_NAME) },
          template: { metadata: { labels: labSelector(NETSHOOT_NAME) }, spec: netshootPodSpec() },
        },
      },
      { ...options, dependsOn: [...args.nodes] },
    );
    for (const workload of [PEERS_NAME, NETSHOOT_NAME]) {
      new k8s.policy.v1.PodDisruptionBudget(
        `${name}-${workload}`,
        {
          metadata: { name: workload, namespace: ns },
          spec: { maxUnavailable: 1, selector: { matchLabels: labSelector(workload) } },
        },
        options,
      );
    }

    // Ingress denied in the lab but the clients' requests to the peers; echo lets the clients in below.
    new k8s.networking.v1.NetworkPolicy(
      `${name}-default-deny`,
      { metadata: { name: "default-deny-ingress", namespace: ns }, spec: defaultDenyIngress() },
      options,
    );
    new k8s.networking.v1.NetworkPolicy(
      `${name}-clients-to-peers`,
      {
        metadata: { name: "allow-clients-to-peers", namespace: ns },
        spec: allowPodsFrom({
          selector: labSelector(PEERS_NAME),
          port: PEERS_PORT,
          fromNamespace: LAB_NAMESPACE,
          fromPods: labSelector(NETSHOOT_NAME),
        }),
      },
      options,
    );
    // Egress denied in the lab but cluster DNS and what the walkthrough and npm run verify do from the clients:
    // the peers, echo, and on the nodes echo's NodePort and kube-proxy's /proxyMode. Nothing leaves the VPC.
    new k8s.networking.v1.NetworkPolicy(
      `${name}-default-deny-egress`,
      { metadata: { name: "default-deny-egress", namespace: ns }, spec: defaultDenyEgress() },
      options,
    );
    new k8s.networking.v1.NetworkPolicy(
      `${name}-allow-dns`,
      { metadata: { name: "allow-dns", namespace: ns }, spec: allowDns() },
      options,
    );
    new k8s.networking.v1.NetworkPolicy(
      `${name}-clients-out-to-peers`,
      {
        metadata: { name: "allow-clients-out-to-peers", namespace: ns },
        spec: allowEgressToPods({
          selector: labSelector(NETSHOOT_NAME),
          toNamespace: LAB_NAMESPACE,
          toPods: labSelector(PEERS_NAME),
          port: PEERS_PORT,
        }),
      },
      options,
    );
    new k8s.networking.v1.NetworkPolicy(
      `${name}-clients-out-to-echo`,
      {
        metadata: { name: "allow-clients-out-to-echo", namespace: ns },
        spec: pulumi.output(args.echo.namespace).apply((echoNamespace) =>
          allowEgressToPods({
            selector: labSelector(NETSHOOT_NAME),
            toNamespace: echoNamespace,
            toPods: { ...args.echo.selector },
            port: args.echo.containerPort,
          }),
        ),
      },
      options,
    );
    new k8s.networking.v1.NetworkPolicy(
      `${name}-clients-out-to-nodes`,
      {
        metadata: { name: "allow-clients-out-to-nodes", namespace: ns },
        spec: allowEgressToNodes({
          selector: labSelector(NETSHOOT_NAME),
          nodeCidrs: args.nodeCidrs,
          ports: [ECHO_NODE_PORT, KUBE_PROXY_METRICS_PORT],
        }),
      },
      options,
    );
    new k8s.networking.v1.NetworkPolicy(
      `${name}-clients-to-echo`,
      {
        metadata: { name: "allow-lab-clients", namespace: args.echo.namespace },
        spec: allowPodsFrom({
          selector: { ...args.echo.selector },
          port: args.echo.targetPort,
          fromNamespace: LAB_NAMESPACE,
          fromPods: labSelector(NETSHOOT_NAME),
        }),
      },
      options,
    );

    // DNS-level aliasing: a CNAME answered by CoreDNS, no proxying and no ports.
    new k8s.core.v1.Service(
      `${name}-external-name`,
      {
        metadata: { name: EXTERNAL_NAME_SERVICE, namespace: ns },
        spec: { type: "ExternalName", externalName: externalNameTarget(args.gamesHostname) },
      },
      options,
    );

    // In echo's namespace: a Service selects the pods of its own namespace only.
    new k8s.core.v1.Service(
      `${name}-echo-nodeport`,
      {
        metadata: {
          name: ECHO_NODE_PORT_SERVICE,
          namespace: args.echo.namespace,
          labels: { "app.kubernetes.io/part-of": "eks-platform-lab" },
        },
        spec: {
          type: "NodePort",
          // Local: the node hands the connection to its own echo pod without SNAT, so echo sees (and its
          // NetworkPolicy admits) the caller's own address: the source-IP lesson of the lab.
          externalTrafficPolicy: "Local",
          selector: { ...args.echo.selector },
          ports: [
            { name: "http", port: 80, targetPort: args.echo.targetPort, nodePort: ECHO_NODE_PORT, protocol: "TCP" },
          ],
        },
      },
      options,
    );

    this.namespace = LAB_NAMESPACE;
    this.registerOutputs({});
  }
}
