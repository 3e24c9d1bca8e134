/** Helm releases of a run, expanded offline with the pinned helm: the objects `pulumi up` would install. */
import * as fs from "node:fs";
import * as path from "node:path";
import { readChartArchive } from "../charts/chart-archive";
import { KUBERNETES, PULUMI_EKS } from "../components/resource-types";
import { PROJECT_ROOT, type ProgramRun } from "./harness";
import { type HelmLocator, HelmUnavailable, helmTemplate, maskGeneratedPem, pinnedHelm } from "./helm";
import type { KubeObject } from "./kube";

/** One Helm release expanded by `helm template`, or why it could not be. */
export interface ReleaseExpansion {
  /** `<namespace>/<name>` of the release. */
  readonly release: string;
  readonly namespace: string;
  /** Chart name and version, from the archive's Chart.yaml. */
  readonly chart: string;
  readonly version: string;
  /** The chart reference the program gives the release: the vendored archive. */
  readonly archive: string;
  readonly objects: ReadonlyArray<{ readonly source: string; readonly object: KubeObject }>;
  /** Values of generated key material replaced by a placeholder (see maskGeneratedPem). */
  readonly maskedPem: number;
}

/** Every release expanded, or the one reason none could be (helm cannot run here). */
export type ChartExpansion =
  | { readonly expanded: readonly ReleaseExpansion[]; readonly durationMs: number }
  | { readonly notExpanded: string };

/**
 * Expands every Helm release of the run with the pinned helm, in parallel: the chart archive, name,
 * namespace and values the program gives the release, for the cluster's Kubernetes version, with the
 * chart's CRDs unless the release skips them. Helm that cannot run is a reason, not an error; a chart
 * that fails to render is an error (the same release would fail `pulumi up`).
 */
export function expandReleases(run: ProgramRun, helm: HelmLocator = pinnedHelm): Promise<ChartExpansion> {
  // A run's releases expand to the same objects every time: with the pinned helm, once per run (the harness
  // keeps one run per configuration, so the render and the tests that read the same stack share it).
  if (helm !== pinnedHelm) return expand(run, helm);
  let expansion = expansions.get(run);
  if (!expansion) {
    expansion = expand(run, helm);
    expansions.set(run, expansion);
  }
  return expansion;
}
const expansions = new WeakMap<ProgramRun, Promise<ChartExpansion>>();

async function expand(run: ProgramRun, helm: HelmLocator): Promise<ChartExpansion> {
  const started = process.hrtime.bigint();
  const releases = run.resources.filter((r) => r.type === KUBERNETES.helmRelease);
  if (releases.length === 0) return { expanded: [], durationMs: 0 };
  const cluster = run.resources.find((r) => r.type === PULUMI_EKS.cluster);
  const kubernetesVersion = String(cluster?.inputs.version ?? "");
  if (!/^1\.\d+$/.test(kubernetesVersion))
    throw new Error(
      `no Kubernetes version on the ${PULUMI_EKS.cluster} to render charts for (got "${kubernetesVersion}")`,
    );
  let binary: string;
  try {
    binary = await helm();
  } catch (error) {
    if (error instanceof HelmUnavailable) return { notExpanded: error.message };
    throw error;
  }
  try {
    const expanded = await Promise.all(
      releases.map(async (r): Promise<ReleaseExpansion> => {
        const name = String(r.inputs.name ?? r.name);
        const namespace = String(r.inputs.namespace ?? "default");
        const reference = String(r.inputs.chart ?? "");
        const archive = path.resolve(PROJECT_ROOT, reference);
        if (!/\.tgz$/.test(reference) || !fs.existsSync(archive)) {
          throw new Error(
            `Helm release ${namespace}/${name}: chart ${reference} is not a vendored archive in the project`,
          );
        }
        const chart = readChartArchive(archive);
        const rendered = await helmTemplate(binary, {
          release: name,
          namespace,
          archive,
          values: (r.inputs.values ?? {}) as Record<string, unknown>,
          kubernetesVersion,
          includeCrds: r.inputs.skipCrds !== true,
        });
        let maskedPem = 0;
        const objects = rendered.map(({ source, object }) => {
          const masked = maskGeneratedPem(object);
          maskedPem += masked.masked;
          return { source, object: masked.value as KubeObject };
        });
        return {
          release: `${namespace}/${name}`,
          namespace,
          chart: chart.name,
          version: chart.version,
          archive: reference,
          objects,
          maskedPem,
        };
      }),
    );
    return { expanded, durationMs: Number(process.hrtime.bigint() - started) / 1e6 };
  } catch (error) {
    if (error instanceof HelmUnavailable) return { notExpanded: error.message };
    throw error;
  }
}
