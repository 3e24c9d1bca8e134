/**
 * The vendored Helm chart archives in this folder, read without helm: the program installs them and
 * applies their CRDs, the render expands them, and the tests read them. Pure Node (zlib and a small
 * tar reader), so `pulumi up` needs nothing that is not a runtime dependency.
 *
 * A chart archive is a gzipped tar whose entries sit under one folder named after the chart
 * (`<chart>/Chart.yaml`, `<chart>/crds/...`, `<chart>/templates/...`): Helm's own layout
 * (https://helm.sh/docs/topics/charts/#the-chart-file-structure).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as zlib from "node:zlib";
import { parse, parseAllDocuments } from "yaml";

/** This folder: where the archives live. */
export const CHARTS_DIR = __dirname;

/** A chart as pinned by the program: its name and version, and the archive file in this folder. */
export interface VendoredChart {
  readonly chart: string;
  readonly version: string;
  /** File name of the archive in charts/, e.g. `external-dns-1.21.1.tgz`. */
  readonly archive: string;
}

/** One chart archive, its files keyed by their path inside the chart (`Chart.yaml`, `crds/crds.yaml`). */
export interface ChartArchive {
  readonly name: string;
  readonly version: string;
  readonly appVersion?: string;
  readonly files: ReadonlyMap<string, Buffer>;
}

/** Absolute path of a vendored archive. */
export function chartArchivePath(archive: string): string {
  return path.join(CHARTS_DIR, archive);
}

/**
 * The chart reference a Helm release is given: the archive's path relative to the project root. `pulumi up`
 * runs the program, and starts its providers, in the project root, and Helm takes a path that exists as a
 * local chart (pulumi-kubernetes provider/pkg/provider/helm_release.go, `localChart`). Relative, so the
 * release's input is the same on every machine; an absolute path would differ per checkout and show as a
 * change to the release on every `pulumi up` from another one.
 */
export function releaseChartReference(archive: string): string {
  return `./${path.basename(CHARTS_DIR)}/${archive}`;
}

/** Entries of a tar archive (POSIX ustar, with pax and GNU long names), regular files only. */
export function untar(tar: Buffer): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const text = (block: Buffer, start: number, length: number) => {
    const raw = block.subarray(start, start + length);
    const end = raw.indexOf(0);
    return raw.subarray(0, end < 0 ? raw.length : end).toString("utf8");
  };
  let longName: string | undefined;
  for (let offset = 0; offset + 512 <= tar.length; ) {
    const header = tar.subarray(offset, offset + 512);
    // Two zero blocks end the archive.
    if (header.every((b) => b === 0)) break;
    const size = parseInt(text(header, 124, 12).trim() || "0", 8);
    const type = text(header, 156, 1) || "0";
    const prefix = text(header, 257, 6).startsWith("ustar") ? text(header, 345, 155) : "";
    const name = longName ?? (prefix ? `${prefix}/${text(header, 0, 100)}` : text(header, 0, 100));
    const body = tar.subarray(offset + 512, offset + 512 + size);
    offset += 512 + Math.ceil(size / 512) * 512;
    if (type === "x") {
      // pax extended header: "<length> path=<name>\n" records name the next entry.
      longName = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(body.toString("utf8"))?.[1];
      continue;
    }
    if (type === "L") {
      longName = text(body, 0, body.length);
      continue;
    }
    longName = undefined;
    if (type === "0" || type === "7") files.set(name, Buffer.from(body));
  }
  return files;
}

/**
 * Archives already read in this process, by path, with the size and modification time they were read at:
 * the render and the tests read the same archives many times, and a file changed since is read again.
 */
const archives = new Map<string, { readonly stamp: string; readonly archive: ChartArchive }>();

/** Reads a chart archive: its Chart.yaml, and every file by its path inside the chart. */
export function readChartArchive(file: string): ChartArchive {
  const stats = fs.statSync(file);
  const stamp = `${stats.size}:${stats.mtimeMs}`;
  const known = archives.get(path.resolve(file));
  if (known?.stamp === stamp) return known.archive;
  const archive = parseChartArchive(file);
  archives.set(path.resolve(file), { stamp, archive });
  return archive;
}

function parseChartArchive(file: string): ChartArchive {
  const entries = untar(zlib.gunzipSync(fs.readFileSync(file)));
  const roots = new Set([...entries.keys()].map((name) => name.split("/")[0]));
  if (roots.size !== 1) throw new Error(`${file}: expected one chart folder, found ${[...roots].join(", ") || "none"}`);
  const root = [...roots][0];
  const files = new Map([...entries].map(([name, body]) => [name.slice(root.length + 1), body]));
  const chartYaml = files.get("Chart.yaml");
  if (!chartYaml) throw new Error(`${file}: no ${root}/Chart.yaml`);
  const meta = parse(chartYaml.toString("utf8")) as { name?: string; version?: string; appVersion?: string };
  if (!meta.name || !meta.version) throw new Error(`${file}: Chart.yaml lacks a name or version`);
  return {
    name: meta.name,
    version: String(meta.version),
    appVersion: meta.appVersion === undefined ? undefined : String(meta.appVersion),
    files,
  };
}

/** Reads a pinned chart's archive and checks it is the chart and version pinned; throws naming the difference. */
export function openVendoredChart(pin: VendoredChart): ChartArchive {
  const archive = readChartArchive(chartArchivePath(pin.archive));
  if (archive.name !== pin.chart || archive.version !== pin.version) {
    throw new Error(
      `charts/${pin.archive} holds chart ${archive.name} ${archive.version}, but ${pin.chart} ${pin.version} is pinned`,
    );
  }
  return archive;
}

/**
 * The chart's CustomResourceDefinitions: every YAML document under `crds/`, in path order. Helm installs
 * these on a release's first install only and never upgrades or deletes them
 * (https://helm.sh/docs/chart_best_practices/custom_resource_definitions/), so whoever installs the chart
 * keeps them current.
 */
export function chartCrds(archive: ChartArchive): Record<string, unknown>[] {
  let crds = parsedCrds.get(archive);
  if (!crds) {
    crds = parseCrds(archive);
    parsedCrds.set(archive, crds);
  }
  // Parsing is the expensive part (the controller's CRDs are 125 kB of YAML); each caller gets its own copy.
  return structuredClone(crds);
}

/** CRDs already parsed, per archive read. */
const parsedCrds = new WeakMap<ChartArchive, Record<string, unknown>[]>();

function parseCrds(archive: ChartArchive): Record<string, unknown>[] {
  return [...archive.files.keys()]
    .filter((name) => name.startsWith("crds/") && /\.(ya?ml|json)$/.test(name))
    .sort()
    .flatMap((name) =>
      parseAllDocuments((archive.files.get(name) as Buffer).toString("utf8"))
        .map((doc) => doc.toJS() as Record<string, unknown> | null)
        .filter((obj): obj is Record<string, unknown> => obj !== null && typeof obj === "object"),
    );
}
