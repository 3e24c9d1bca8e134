/** `npm run render`'s command line: what it takes, and the one error it raises for a bad one. */
import * as path from "node:path";
import { parseArgs } from "node:util";
import { isCalendarDate } from "../components/cluster/eks-versions";
import { FAIL_ON, type FailOn } from "./rehearsal/plan";

export const USAGE =
  "usage: npm run render -- [--stack dev] [--out out/render] [--config key=value ...] [--date YYYY-MM-DD] [--against <earlier render> [--fail-on replace|delete|blocking] [--against-stack-rename]] [--help]";

/** `npm run render -- --help`. */
export const HELP = [
  USAGE,
  "",
  "Renders the whole stack offline: the real program under Pulumi mocks, no AWS account needed.",
  "",
  "  --stack <name>        the stack whose Pulumi.<name>.yaml is read (default: dev)",
  "  --out <folder>        where to write, relative to the project (default: out/render). Only a folder an",
  "                        earlier render made (its .eks-platform-render lists the files it wrote; a file of",
  "                        yours in it is refused, not deleted), an empty one or a new one, never in a .git;",
  "                        anything else is refused before anything is written",
  "  --config key=value    a config override, as `pulumi config set` takes it (repeatable); the way to give",
  "                        a value the stack file holds encrypted (secure:), which the render cannot decrypt",
  "  --date YYYY-MM-DD     the day the deploy is judged on (EKS's version support calendar); default: today (UTC)",
  "  --against <folder>    an earlier render of this stack: also write changes.md and changes.json, what",
  "                        `pulumi up` from that state would create, update, replace or delete, with the",
  "                        plans the cloud would refuse as blocking findings, and what the change costs a",
  "                        month (docs/cost.md). Another stack's render is refused",
  "  --fail-on <what>      with --against: exit 3 when the plan has a replace, a delete or a blocking finding",
  "                        (repeatable, or comma-separated: --fail-on replace,blocking); the files are written",
  "  --against-stack-rename  with --against: the earlier render is of this stack under its old name (after",
  "                        `pulumi stack rename`): compare as the renamed state",
  "  --help                this text",
  "",
  "Writes resources.json, render.json (project, stack, region), manifests/ and summary.md. Exit codes: 0 written,",
  "2 bad arguments, configuration, --out or --against (nothing written), 1 the program failed, 3 written, and",
  "the plan has what --fail-on names.",
].join("\n");

export interface RenderOptions {
  readonly stack: string;
  readonly out: string;
  readonly config: Record<string, string>;
  /** The day the deploy is judged on (YYYY-MM-DD). */
  readonly date: string;
  /** An earlier render's folder to rehearse the change from. */
  readonly against?: string;
  /** What in the rehearsed plan makes the command exit 3. */
  readonly failOn: readonly FailOn[];
  /** The earlier render is of this stack before `pulumi stack rename`. */
  readonly againstStackRename?: boolean;
  /** Print HELP and write nothing. */
  readonly help?: boolean;
}

/** Command-line arguments; throws a UsageError naming what is wrong. */
export function parseRenderArgs(argv: readonly string[]): RenderOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      stack: { type: "string", default: "dev" },
      out: { type: "string", default: path.join("out", "render") },
      config: { type: "string", multiple: true, default: [] },
      help: { type: "boolean", default: false },
      date: { type: "string" },
      against: { type: "string" },
      "fail-on": { type: "string", multiple: true, default: [] },
      "against-stack-rename": { type: "boolean", default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const config: Record<string, string> = {};
  for (const pair of values.config ?? []) {
    const cut = pair.indexOf("=");
    if (cut <= 0) throw new UsageError(`--config ${pair}: expected key=value (as in pulumi config set key value)`);
    config[pair.slice(0, cut)] = pair.slice(cut + 1);
  }
  const date = values.date ?? new Date().toISOString().slice(0, 10);
  if (!isCalendarDate(date)) throw new UsageError(`--date ${date}: ${notADay(date)}`);
  const failOn = (values["fail-on"] ?? []).flatMap((v) => v.split(",")).map((v) => v.trim());
  for (const v of failOn) {
    if (!(FAIL_ON as readonly string[]).includes(v))
      throw new UsageError(`--fail-on ${v}: expected one of ${FAIL_ON.join(", ")}`);
  }
  if ((failOn.length > 0 || values["against-stack-rename"]) && !values.against) {
    throw new UsageError(
      `${failOn.length > 0 ? "--fail-on" : "--against-stack-rename"} needs --against <earlier render>`,
    );
  }
  return {
    stack: values.stack ?? "dev",
    out: values.out ?? path.join("out", "render"),
    config,
    date,
    ...(values.against ? { against: values.against } : {}),
    failOn: [...new Set(failOn as FailOn[])],
    ...(values["against-stack-rename"] ? { againstStackRename: true } : {}),
    ...(values.help ? { help: true } : {}),
  };
}

export class UsageError extends Error {}

const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

/** Why a --date is not a day: the form, or the day the month does not have (2026-02-30). */
export function notADay(text: string): string {
  const expected = "expected a day of the calendar, YYYY-MM-DD, such as 2026-12-01";
  const parts = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!parts) return expected;
  const [year, month, day] = parts.slice(1).map(Number);
  if (month < 1 || month > 12) return `${expected}: there is no month ${month}`;
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day < 1 || day > days ? `${expected}: ${MONTHS[month - 1]} ${year} has ${days} days` : expected;
}
