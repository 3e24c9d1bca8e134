import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import {
  EXTERNAL_DNS_CHART,
  EXTERNAL_DNS_NAMESPACE,
  EXTERNAL_DNS_RELEASE,
  EXTERNAL_DNS_SERVICE_ACCOUNT,
  externalDnsPolicy,
  externalDnsValues,
} from "./external-dns-values";
import { PodIdentity } from "./pod-identity";

const RELEASE_TIMEOUT_SECONDS = 300;

export interface ExternalDnsArgs {
  /** The cluster's name as an output of the cluster, so the Pod Identity association waits for it. */
  readonly clusterName: pulumi.Input<string>;
  /** The public hosted zone ExternalDNS may write to, and only that one. */
  readonly domain: string;
  readonly hostedZoneId: string;
  /** Unique per stack. */
  readonly txtOwnerId: string;
  readonly region: string;
  readonly partition: string;
  readonly accountId: string;
  readonly provider: k8s.Provider;
  /** The node groups it runs on. */
  readonly readyNodes: readonly pulumi.Resource[];
  readonly tags?: Readonly<Record<string, string>>;
}

/** ExternalDNS from its official chart, pinned, publishing Service and Ingress hostnames into one zone. */
export class ExternalDns extends pulumi.ComponentResource {
  /** Objects carrying a hostname depend on this, so destroy deletes their records while it still runs. */
  public readonly release: k8s.helm.v3.Release;

  constructor(name: string, args: ExternalDnsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("eks-platform:platform:ExternalDns", name, {}, opts);
    const identity = new PodIdentity(
      `${name}-identity`,
      {
        clusterName: args.clusterName,
        namespace: EXTERNAL_DNS_NAMESPACE,
        serviceAccount: EXTERNAL_DNS_SERVICE_ACCOUNT,
        policy: externalDnsPolicy(args.partition, args.hostedZoneId),
        partition: args.partition,
        accountId: args.accountId,
        region: args.region,
        tags: args.tags,
      },
      { parent: this },
    );
    this.release = new k8s.helm.v3.Release(
      `${name}-release`,
      {
        name: EXTERNAL_DNS_RELEASE,
        namespace: EXTERNAL_DNS_NAMESPACE,
        chart: EXTERNAL_DNS_CHART.chart,
        version: EXTERNAL_DNS_CHART.version,
        repositoryOpts: { repo: EXTERNAL_DNS_CHART.repository },
        values: externalDnsValues({ domain: args.domain, hostedZoneId: args.hostedZoneId, region: args.region, txtOwnerId: args.txtOwnerId }),
        skipAwait: false,
        timeout: RELEASE_TIMEOUT_SECONDS,
        atomic: true,
      },
      { parent: this, provider: args.provider, dependsOn: [identity, ...args.readyNodes] },
    );
    this.registerOutputs({ releaseStatus: this.release.status });
  }
}
