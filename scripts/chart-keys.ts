import * as fs from "node:fs";
import { parse } from "yaml";

// Emits the key tree of a chart's values.yaml: nested maps keep their keys, anything else (scalars,
// lists, empty maps) is a leaf that takes free-form values.
type Tree = { [key: string]: Tree | null };
function tree(v: unknown): Tree | null {
  if (v && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length > 0) {
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, x]) => [k, tree(x)]),
    );
  }
  return null;
}
const [file, source] = [process.argv[2], process.argv[3]];
process.stdout.write(
  JSON.stringify(
    {
      _source: source,
      _note:
        "Key tree of the chart's values.yaml: an object lists a map's keys; null marks a leaf (scalar, list or empty map) that takes any value.",
      keys: tree(parse(fs.readFileSync(file, "utf8"))),
    },
    null,
    1,
  ) + "\n",
);
