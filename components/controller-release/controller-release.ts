import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { stringify } from "yaml";
import { type ChartArchive, chartCrds, openVendoredChart, releaseChartReference } from "../../charts/chart-archive";
import type { PolicyDocument } from "../iam/policy-document";
import { PodIdentity } from "./pod-identity";

/** A pinned Helm chart, installed from its archive vendored in charts/ (what the tests and the render read). */
export interface ChartPin {
  readonly chart: string;
  readonly version: string;
  /** Where upstream publishes the chart: provenance, and where a bump starts (charts/README.md). */
  readonly repository: string;
  /** File name of the vendored archive in charts/. */
  readonly archive: string;
}

/** What every platform controller shares: its cluster, AWS facts, provider and the nodes it runs on. */
export interface ControllerContext {
  /** The cluster's name as an output of the cluster, so the Pod Identity association waits for it. */
  readonly clusterName: pulumi.Input<string>;
  readonly region: string;
  readonly partition: string;
  readonly accountId: string;
  /** Kubernetes provider of the cluster. */
  readonly provider: k8s.Provider;
  /** What must be ready before the controller can be: the node groups (and cluster DNS). */
  readonly readyNodes: readonly pulumi.Resource[];
  readonly tags?: Readonly<Record<string, string>>;
}

export interface ControllerReleaseArgs extends ControllerContext {
  /** The pinned chart archive (charts/), its version and repository. */
  readonly chart: ChartPin;
  /** Release name: fixed, so the chart's resource names and selectors are known. */
  readonly releaseName: string;
  /** The namespace the release and its service account go to. */
  readonly namespace: string;
  /** The Kubernetes service account, in `namespace`, the role is for. */
  readonly serviceAccount: string;
  /** Least-privilege permissions of the controller's Pod Identity role (an output where it names resources of the stack). */
  readonly policy: pulumi.Input<PolicyDocument>;
  /** The chart's values (the add-on's values.ts builds them). */
  readonly values: pulumi.Input<Record<string, unknown>>;
  /** How long Helm may wait for the controller to become ready. */
  readonly timeoutSeconds: number;
}

/**
 * A controller installed from its official chart at a pinned version, with its own IAM role bound to
 * its service account through EKS Pod Identity. The release waits until the controller is ready.
 * Concrete controllers (LoadBalancerController, ExternalDns) pass their own type token.
 */
export abstract class ControllerRelease extends pulumi.ComponentResource {
  /** Objects that rely on the controller depend on this, so destroy removes them while it still runs. */
  public readonly release: k8s.helm.v3.Release;

  protected constructor(
    type: string,
    name: string,
    args: ControllerReleaseArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super(type, name, {}, opts);
    const identity = new PodIdentity(
      `${name}-identity`,
      {
        clusterName: args.clusterName,
        namespace: args.namespace,
        serviceAccount: args.serviceAccount,
        policy: args.policy,
        partition: args.partition,
        accountId: args.accountId,
        region: args.region,
        tags: args.tags,
      },
      { parent: this },
    );
    // Helm installs a chart's crds/ on the first install only and never upgrades them
    // (https://helm.sh/docs/chart_best_practices/custom_resource_definitions/), so a chart bump would
    // leave the old schemas. The program applies them itself, server-side, from the same archive and
    // before the release. An existing CRD (an earlier Helm install) is taken over by the provider's
    // upsertExistingObjects (cluster.ts); patchForce then lets server-side apply take the fields Helm's
    // field manager holds, which otherwise conflict (pulumi-kubernetes await.go L1030-1064 @ a03ff6ba:
    // it sets Force on the apply patch; it does not make a create of an existing object succeed).
    const crdText = crdsYaml(openVendoredChart(args.chart));
    const crds =
      crdText !== ""
        ? [new k8s.yaml.v2.ConfigGroup(`${name}-crds`, { yaml: crdText }, { parent: this, provider: args.provider })]
        : [];
    this.release = new k8s.helm.v3.Release(
      `${name}-release`,
      {
        name: args.releaseName,
        namespace: args.namespace,
        chart: releaseChartReference(args.chart.archive),
        version: args.chart.version,
        skipCrds: true,
        values: args.values,
        skipAwait: false,
        timeout: args.timeoutSeconds,
        atomic: true,
      },
      // Credentials before pods; pods after nodes.
      { parent: this, provider: args.provider, dependsOn: [identity, ...crds, ...args.readyNodes] },
    );
    this.registerOutputs({ releaseStatus: this.release.status });
  }
}

/**
 * The chart's CRDs as the program applies them: each marked `pulumi.com/patchForce` (see the release above),
 * as one YAML text. The same archive always gives the same text, so it is made once per archive read.
 */
function crdsYaml(archive: ChartArchive): string {
  let text = crdTexts.get(archive);
  if (text === undefined) {
    text = chartCrds(archive)
      .map((crd) => {
        const metadata = (crd.metadata ?? {}) as { annotations?: Record<string, string> };
        return stringify({
          ...crd,
          metadata: { ...metadata, annotations: { ...metadata.annotations, "pulumi.com/patchForce": "true" } },
        });
      })
      .join("---\n");
    crdTexts.set(archive, text);
  }
  return text;
}

const crdTexts = new WeakMap<ChartArchive, string>();
