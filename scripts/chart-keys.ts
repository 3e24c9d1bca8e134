/**
 * The key tree of a chart's values.yaml, which the tests hold the program's values to (Helm ignores an unknown
 * key silently): nested maps keep their keys; anything else (scalars, lists, empty maps) is a leaf that takes
 * free-form values, and so is a map a template renders whole (`toYaml .Values.<path>`: the chart passes it on
 * as it is, so any key of the Kubernetes field it fills is taken, e.g. a container's securityContext).
 *
 *   node --import tsx scripts/chart-keys.ts charts/<chart>-<version>.tgz "<source>" > test/fixtures/charts/<chart>-<version>.keys.json
 */
import { parse } from "yaml";
import { type ChartArchive, readChartArchive } from "../charts/chart-archive";

export type KeyTree = { [key: string]: KeyTree | null };

/** The values paths the chart's templates render whole with toYaml. */
export function wholeRenderedPaths(archive: ChartArchive): Set<string> {
  const paths = new Set<string>();
  for (const [file, bytes] of archive.files) {
    if (!file.startsWith("templates/")) continue;
    const text = bytes.toString("utf8");
    for (const match of text.matchAll(/toYaml\s+\(?\s*\.Values\.([A-Za-z0-9_.]+)/g)) paths.add(match[1]);
    // `{{- with .Values.x }} ... {{- toYaml . | nindent n }}`: the same, through `with`.
    for (const match of text.matchAll(/with\s+\.Values\.([A-Za-z0-9_.]+)\s*-?}}[^{]*{{-?\s*toYaml\s+\.\s/g))
      paths.add(match[1]);
  }
  return paths;
}

/** The key tree of a parsed values.yaml, with the paths rendered whole as open leaves. */
export function keyTree(values: unknown, open: ReadonlySet<string> = new Set(), at = ""): KeyTree | null {
  if (open.has(at)) return null;
  if (values && typeof values === "object" && !Array.isArray(values) && Object.keys(values).length > 0) {
    return Object.fromEntries(
      Object.entries(values as Record<string, unknown>)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, x]) => [k, keyTree(x, open, at ? `${at}.${k}` : k)]),
    );
  }
  return null;
}

/** The key tree of a chart archive's values.yaml. */
export function archiveKeyTree(archive: ChartArchive): KeyTree | null {
  const values = archive.files.get("values.yaml");
  if (!values) throw new Error(`${archive.name}: no values.yaml`);
  return keyTree(parse(values.toString("utf8")), wholeRenderedPaths(archive));
}

if (require.main === module) {
  const [file, source] = [process.argv[2], process.argv[3]];
  process.stdout.write(
    `${JSON.stringify(
      {
        _source: source,
        _note:
          "Key tree of the chart's values.yaml: an object lists a map's keys; null marks a leaf (scalar, list, empty map, or a map a template renders whole with toYaml) that takes any value.",
        keys: archiveKeyTree(readChartArchive(file)),
      },
      null,
      1,
    )}\n`,
  );
}
