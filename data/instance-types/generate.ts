/**
 * Generates instance-types.json, the offline instance table: for every instance type in the VPC CNI's
 * generated limits, what the max-pods calculation and the CPU-architecture check need.
 *
 * Inputs are two generated Go files, read from paths given on the command line (README.md says how to get
 * them at the pinned commits); only the extracted data is kept in this repository, not the Go code:
 *   - aws/amazon-vpc-cni-k8s pkg/vpc/vpc_ip_resource_limit.go (written by the CNI's scripts/gen_vpc_ip_limits.go
 *     from EC2 DescribeInstanceTypes in 17 regions): ENIs, IPv4 per ENI, network cards, hypervisor, bare metal;
 *   - kubernetes/autoscaler cluster-autoscaler/cloudprovider/aws/ec2_instance_types.go (the cluster
 *     autoscaler's static list, also from DescribeInstanceTypes): vCPUs, memory, GPUs and CPU architecture.
 *     Several versions of it may be given, in order of preference: a type's facts come from the first that
 *     lists it (a merged list first, then a newer generated one, which may lack types EC2 has retired).
 *
 *   node --import tsx data/instance-types/generate.ts \
 *     --vpc-cni <vpc_ip_resource_limit.go> --vpc-cni-commit <sha> \
 *     --autoscaler <ec2_instance_types.go> --autoscaler-commit <sha> [--autoscaler … --autoscaler-commit …] [--out <file>]
 *
 * The parsers read Go composite literals field by field (any order, any gofmt alignment, comments ignored)
 * and fail loudly, naming the instance type, when a field they need is missing or has an unexpected value:
 * a format change upstream must stop the generator, never produce a table with silent gaps.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

// ---------------------------------------------------------------- the table's shape

/** CPU architectures as EC2 names them in `SupportedArchitectures` (and `aws.ec2.getInstanceType`). */
export type Architecture = "x86_64" | "arm64";

/** EC2's `Hypervisor`: "" where EC2 reports none (bare metal, and two old types the CNI adds by hand). */
export type Hypervisor = "nitro" | "xen" | "";

/** One instance type of the offline table. */
export interface InstanceTypeRow {
  /** Architectures from the autoscaler list; null where that list lacks the type. */
  readonly architectures: readonly Architecture[] | null;
  readonly bareMetal: boolean;
  readonly defaultNetworkCardIndex: number;
  readonly hypervisor: Hypervisor;
  /** IPv4 addresses per ENI. */
  readonly ipv4PerEni: number;
  /** ENIs on the default network card: the only card the VPC CNI puts pods on. */
  readonly maxEnis: number;
  /** Maximum ENIs per network card, by card index (index = position). */
  readonly networkCards: readonly number[];
  /** Default vCPUs from the autoscaler list; null where that list lacks the type. */
  readonly vcpus: number | null;
  /** Memory in MiB from the autoscaler list (EC2 MemoryInfo.SizeInMiB); null where that list lacks the type. */
  readonly memoryMib: number | null;
  /** NVIDIA GPUs from the autoscaler list (EC2 GpuInfo); null where that list lacks the type. */
  readonly gpus: number | null;
}

/** One upstream file the table is extracted from. */
export interface UpstreamFile {
  readonly repo: string;
  readonly path: string;
  readonly commit: string;
  /** `git hash-object` of the file read: equals `git rev-parse <commit>:<path>` when the file is the right one. */
  readonly gitBlob: string;
  readonly provides: string;
  /** For an autoscaler list after the first: the types whose facts it gave (none of the lists before had them). */
  readonly factsFor?: readonly string[];
}

export interface TableSource {
  readonly description: string;
  readonly command: string;
  readonly upstream: readonly UpstreamFile[];
  readonly unknownFacts: string;
  readonly counts: {
    readonly instanceTypes: number;
    readonly withoutVcpus: number;
    readonly withoutArchitectures: number;
  };
}

export interface InstanceTable {
  readonly source: TableSource;
  readonly instanceTypes: Readonly<Record<string, InstanceTypeRow>>;
}

export const VPC_CNI_REPO = "aws/amazon-vpc-cni-k8s";
export const VPC_CNI_PATH = "pkg/vpc/vpc_ip_resource_limit.go";
export const AUTOSCALER_REPO = "kubernetes/autoscaler";
export const AUTOSCALER_PATH = "cluster-autoscaler/cloudprovider/aws/ec2_instance_types.go";
/** The Go variables holding the maps, in each file. */
const VPC_CNI_MAP = "instanceNetworkingLimits";
const AUTOSCALER_MAP = "InstanceTypes";

// ---------------------------------------------------------------- Go literal reading

/** Removes `//` and `/* *\/` comments outside string literals, keeping newlines so positions stay readable. */
export function stripGoComments(source: string): string {
  let out = "";
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (c === '"' || c === "`") {
      const end = stringEnd(source, i);
      out += source.slice(i, end);
      i = end;
    } else if (source.startsWith("//", i)) {
      const newline = source.indexOf("\n", i);
      i = newline === -1 ? source.length : newline;
    } else if (source.startsWith("/*", i)) {
      const close = source.indexOf("*/", i + 2);
      if (close === -1) throw new Error("unterminated /* comment");
      out += source.slice(i, close + 2).replace(/[^\n]/g, "");
      i = close + 2;
    } else {
      out += c;
      i += 1;
    }
  }
  return out;
}

/** Index just past the Go string literal (interpreted "..." or raw `...`) that starts at `start`. */
function stringEnd(text: string, start: number): number {
  const quote = text[start];
  let i = start + 1;
  while (i < text.length) {
    if (quote === '"' && text[i] === "\\") {
      i += 2;
      continue;
    }
    if (text[i] === quote) return i + 1;
    if (quote === '"' && text[i] === "\n") break;
    i += 1;
  }
  throw new Error(`unterminated string literal at offset ${start}`);
}

/** Index of the bracket closing the one at `open` (`{`/`}` or `[`/`]`), skipping string literals. */
function closingBracket(text: string, open: number): number {
  const stack: string[] = [];
  let i = open;
  while (i < text.length) {
    const c = text[i];
    if (c === '"' || c === "`") {
      i = stringEnd(text, i);
      continue;
    }
    if (c === "{" || c === "[" || c === "(") stack.push(c === "{" ? "}" : c === "[" ? "]" : ")");
    else if (c === "}" || c === "]" || c === ")") {
      if (stack.pop() !== c) throw new Error(`unbalanced '${c}' at offset ${i}`);
      if (stack.length === 0) return i;
    }
    i += 1;
  }
  throw new Error(`no closing bracket for the one at offset ${open}`);
}

/** A short excerpt for error messages. */
function near(text: string, at: number): string {
  return JSON.stringify(text.slice(at, at + 60));
}

/** Skips whitespace and the commas separating elements. */
function skipSeparators(text: string, at: number): number {
  let i = at;
  while (i < text.length && /[\s,]/.test(text[i])) i += 1;
  return i;
}

/**
 * The entries of `var <name> = map[string]T{ "key": {...}, ... }` (T may be a pointer; an element may
 * repeat its type, `"key": T{...}` or `&T{...}`), as key and the text inside the element's braces.
 */
export function goMapEntries(source: string, variable: string): Array<[string, string]> {
  const text = stripGoComments(source);
  const head = new RegExp(String.raw`\bvar\s+${variable}\s*=\s*map\[string\]\*?[\w.]+\s*\{`).exec(text);
  if (!head) throw new Error(`no map literal 'var ${variable} = map[string]...{' found`);
  const open = head.index + head[0].length - 1;
  const body = text.slice(open + 1, closingBracket(text, open));
  const entries: Array<[string, string]> = [];
  const seen = new Set<string>();
  const entry = /"((?:[^"\\\n]|\\.)*)"\s*:\s*(?:&?[\w.]+\s*)?\{/y;
  let at = skipSeparators(body, 0);
  while (at < body.length) {
    entry.lastIndex = at;
    const match = entry.exec(body);
    if (!match) throw new Error(`${variable}: expected '"<instance type>": {' at ${near(body, at)}`);
    const key = goString(`"${match[1]}"`, `${variable} key`);
    if (seen.has(key)) throw new Error(`${variable}: ${key} appears twice`);
    seen.add(key);
    const elementOpen = at + match[0].length - 1;
    const elementClose = closingBracket(body, elementOpen);
    entries.push([key, body.slice(elementOpen + 1, elementClose)]);
    at = skipSeparators(body, elementClose + 1);
  }
  return entries;
}

/** The fields of a keyed struct literal's body (`Name: value, ...`), each as its value's source text. */
export function goStructFields(body: string, context: string): Map<string, string> {
  const fields = new Map<string, string>();
  const fieldName = /([A-Za-z_]\w*)\s*:\s*/y;
  let at = skipSeparators(body, 0);
  while (at < body.length) {
    fieldName.lastIndex = at;
    const match = fieldName.exec(body);
    if (!match) throw new Error(`${context}: expected 'Field: value' at ${near(body, at)}`);
    const valueStart = at + match[0].length;
    let i = valueStart;
    // A value runs to the next comma outside brackets and strings (composite values contain commas); Go
    // requires that comma before a line break in a multi-line literal, so no value runs past its line unseen.
    while (i < body.length && body[i] !== ",") {
      const c = body[i];
      if (c === '"' || c === "`") i = stringEnd(body, i);
      else if (c === "{" || c === "[" || c === "(") i = closingBracket(body, i) + 1;
      else i += 1;
    }
    if (fields.has(match[1])) throw new Error(`${context}: field ${match[1]} appears twice`);
    fields.set(match[1], body.slice(valueStart, i).trim());
    at = skipSeparators(body, i);
  }
  return fields;
}

/** The element bodies of a slice literal `[]T{ {...}, {...} }` (elements may repeat their type). */
export function goSliceElements(value: string, context: string): string[] {
  const head = /^\[\]\*?[\w.]+\s*\{/.exec(value);
  if (!head) throw new Error(`${context}: expected a slice literal '[]T{...}', got ${near(value, 0)}`);
  const open = head[0].length - 1;
  const close = closingBracket(value, open);
  if (value.slice(close + 1).trim() !== "") throw new Error(`${context}: unexpected text after the slice literal`);
  const body = value.slice(open + 1, close);
  const elements: string[] = [];
  const element = /&?[\w.]*\s*\{/y;
  let at = skipSeparators(body, 0);
  while (at < body.length) {
    element.lastIndex = at;
    const match = element.exec(body);
    if (!match) throw new Error(`${context}: expected '{' at ${near(body, at)}`);
    const elementOpen = at + match[0].length - 1;
    const elementClose = closingBracket(body, elementOpen);
    elements.push(body.slice(elementOpen + 1, elementClose));
    at = skipSeparators(body, elementClose + 1);
  }
  return elements;
}

function required(fields: ReadonlyMap<string, string>, name: string, context: string): string {
  const value = fields.get(name);
  if (value === undefined) throw new Error(`${context}: field ${name} is missing`);
  return value;
}

export function goInt(value: string, context: string): number {
  if (!/^\d+$/.test(value))
    throw new Error(`${context}: expected a non-negative integer, got ${JSON.stringify(value)}`);
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new Error(`${context}: ${value} is too large`);
  return n;
}

export function goBool(value: string, context: string): boolean {
  if (value === "true") return true;
  if (value === "false") return false;
  throw new Error(`${context}: expected true or false, got ${JSON.stringify(value)}`);
}

export function goString(value: string, context: string): string {
  if (/^`[^`]*`$/.test(value)) return value.slice(1, -1);
  if (!/^"(?:[^"\\\n]|\\.)*"$/.test(value))
    throw new Error(`${context}: expected a string literal, got ${JSON.stringify(value)}`);
  // Go's common escapes are JSON's; anything else (\x, \u{...} forms JSON lacks) fails here rather than misread.
  return JSON.parse(value) as string;
}

// ---------------------------------------------------------------- the two sources

/** One entry of the VPC CNI's `instanceNetworkingLimits`, as its fields are named there (pkg/vpc/vpc.go). */
export interface VpcCniLimits {
  readonly eniLimit: number;
  readonly ipv4Limit: number;
  readonly defaultNetworkCardIndex: number;
  readonly networkCards: ReadonlyArray<{
    readonly networkCardIndex: number;
    readonly maximumNetworkInterfaces: number;
  }>;
  /** As written upstream: "nitro", "xen", or "unknown" where EC2 reported none. */
  readonly hypervisorType: string;
  readonly isBareMetal: boolean;
}

/** Parses aws/amazon-vpc-cni-k8s pkg/vpc/vpc_ip_resource_limit.go. */
export function parseVpcCniLimits(goSource: string): Map<string, VpcCniLimits> {
  const limits = new Map<string, VpcCniLimits>();
  for (const [type, body] of goMapEntries(goSource, VPC_CNI_MAP)) {
    const fields = goStructFields(body, type);
    const cards = goSliceElements(required(fields, "NetworkCards", type), `${type} NetworkCards`).map((card, n) => {
      const context = `${type} NetworkCards[${n}]`;
      const cardFields = goStructFields(card, context);
      return {
        networkCardIndex: goInt(required(cardFields, "NetworkCardIndex", context), `${context}.NetworkCardIndex`),
        maximumNetworkInterfaces: goInt(
          required(cardFields, "MaximumNetworkInterfaces", context),
          `${context}.MaximumNetworkInterfaces`,
        ),
      };
    });
    limits.set(type, {
      eniLimit: goInt(required(fields, "ENILimit", type), `${type}.ENILimit`),
      ipv4Limit: goInt(required(fields, "IPv4Limit", type), `${type}.IPv4Limit`),
      defaultNetworkCardIndex: goInt(
        required(fields, "DefaultNetworkCardIndex", type),
        `${type}.DefaultNetworkCardIndex`,
      ),
      networkCards: cards,
      hypervisorType: goString(required(fields, "HypervisorType", type), `${type}.HypervisorType`),
      isBareMetal: goBool(required(fields, "IsBareMetal", type), `${type}.IsBareMetal`),
    });
  }
  return limits;
}

/** One entry of the autoscaler's static list, with its architecture in EC2's naming. */
export interface AutoscalerInstanceType {
  readonly vcpus: number;
  readonly memoryMib: number;
  readonly gpus: number;
  readonly architecture: Architecture;
}

/**
 * The autoscaler writes Go's GOARCH names (its generator maps EC2's "x86_64" to "amd64" for node labels);
 * EC2 and `aws.ec2.getInstanceType` say "x86_64".
 */
const AUTOSCALER_ARCHITECTURES: Readonly<Record<string, Architecture>> = { amd64: "x86_64", arm64: "arm64" };

/** Parses kubernetes/autoscaler cluster-autoscaler/cloudprovider/aws/ec2_instance_types.go. */
export function parseAutoscalerInstanceTypes(goSource: string): Map<string, AutoscalerInstanceType> {
  const types = new Map<string, AutoscalerInstanceType>();
  for (const [type, body] of goMapEntries(goSource, AUTOSCALER_MAP)) {
    const fields = goStructFields(body, type);
    const named = fields.get("InstanceType");
    if (named !== undefined && goString(named, `${type}.InstanceType`) !== type) {
      throw new Error(`${type}: InstanceType says ${named}`);
    }
    const vcpus = goInt(required(fields, "VCPU", type), `${type}.VCPU`);
    if (vcpus === 0) throw new Error(`${type}: VCPU is 0`);
    const goArch = goString(required(fields, "Architecture", type), `${type}.Architecture`);
    const architecture = AUTOSCALER_ARCHITECTURES[goArch];
    if (architecture === undefined)
      throw new Error(`${type}: unexpected Architecture ${JSON.stringify(goArch)} (known: amd64, arm64)`);
    const memoryMib = goInt(required(fields, "MemoryMb", type), `${type}.MemoryMb`);
    if (memoryMib === 0) throw new Error(`${type}: MemoryMb is 0`);
    const gpus = goInt(required(fields, "GPU", type), `${type}.GPU`);
    types.set(type, { vcpus, memoryMib, gpus, architecture });
  }
  return types;
}

/**
 * The CNI's generator writes "unknown" where EC2 reports no hypervisor (scripts/gen_vpc_ip_limits.go at the
 * pinned commit: `if hypervisorType == "" { hypervisorType = "unknown" }`); EC2 and Pulumi report it as empty.
 */
const CNI_HYPERVISORS: Readonly<Record<string, Hypervisor>> = { nitro: "nitro", xen: "xen", unknown: "" };

/**
 * Joins the sources into table rows: one per type the VPC CNI lists, sorted by name, with the facts of the
 * first autoscaler list (in the order given) that holds the type.
 */
export function buildRows(
  limits: ReadonlyMap<string, VpcCniLimits>,
  cpuLists: ReadonlyArray<ReadonlyMap<string, AutoscalerInstanceType>>,
): Record<string, InstanceTypeRow> {
  const rows: Record<string, InstanceTypeRow> = {};
  for (const type of [...limits.keys()].sort()) {
    const l = limits.get(type);
    if (l === undefined) continue;
    const hypervisor = CNI_HYPERVISORS[l.hypervisorType];
    if (hypervisor === undefined)
      throw new Error(`${type}: unexpected HypervisorType ${JSON.stringify(l.hypervisorType)}`);
    // Cards are kept by position, so their indexes must be 0..n-1 (EC2 numbers them so).
    l.networkCards.forEach((card, n) => {
      if (card.networkCardIndex !== n) throw new Error(`${type}: network card ${n} has index ${card.networkCardIndex}`);
    });
    const defaultCard = l.networkCards[l.defaultNetworkCardIndex];
    if (defaultCard === undefined)
      throw new Error(`${type}: no network card ${l.defaultNetworkCardIndex} (the default)`);
    // ENILimit is the default card's count (gen_vpc_ip_limits.go); a difference means the format changed meaning.
    if (defaultCard.maximumNetworkInterfaces !== l.eniLimit) {
      throw new Error(
        `${type}: ENILimit ${l.eniLimit} differs from the default card's ${defaultCard.maximumNetworkInterfaces}`,
      );
    }
    if (l.ipv4Limit < 1 || l.eniLimit < 1) throw new Error(`${type}: no ENIs or no IPv4 addresses`);
    const cpu = cpuLists.map((list) => list.get(type)).find((found) => found !== undefined);
    rows[type] = {
      architectures: cpu ? [cpu.architecture] : null,
      bareMetal: l.isBareMetal,
      defaultNetworkCardIndex: l.defaultNetworkCardIndex,
      hypervisor,
      ipv4PerEni: l.ipv4Limit,
      maxEnis: l.eniLimit,
      networkCards: l.networkCards.map((card) => card.maximumNetworkInterfaces),
      vcpus: cpu ? cpu.vcpus : null,
      memoryMib: cpu ? cpu.memoryMib : null,
      gpus: cpu ? cpu.gpus : null,
    };
  }
  return rows;
}

/** `git hash-object` of a file's bytes, so a reader can check it is the file at the named commit. */
export function gitBlobId(bytes: Buffer): string {
  return createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
}

// ---------------------------------------------------------------- output

/** JSON with keys sorted at every level. */
function sortedJson(value: unknown, indent?: number): string {
  return JSON.stringify(
    value,
    (_key, v: unknown) => {
      if (v !== null && typeof v === "object" && !Array.isArray(v)) {
        return Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
      }
      return v;
    },
    indent,
  );
}

/**
 * The table file: the header first (so a reader sees the source before 1391 rows), then one instance type per
 * line in name order; keys sorted everywhere else. The same inputs give the same bytes.
 */
export function renderTable(table: InstanceTable): string {
  const header = sortedJson(table.source, 2).replace(/\n/g, "\n  ");
  const names = Object.keys(table.instanceTypes).sort();
  const rows = names.map((name) => `    ${JSON.stringify(name)}: ${sortedJson(table.instanceTypes[name])}`);
  return `{\n  "source": ${header},\n  "instanceTypes": {\n${rows.join(",\n")}\n  }\n}\n`;
}

/** One version of the autoscaler's list: the file's bytes and the commit it was read at. */
export interface AutoscalerInput {
  readonly source: Buffer;
  readonly commit: string;
}

export interface GenerateInputs {
  readonly vpcCniSource: Buffer;
  readonly vpcCniCommit: string;
  /** In order of preference; at least one. */
  readonly autoscaler: readonly AutoscalerInput[];
}

export function generateTable(inputs: GenerateInputs): InstanceTable {
  if (inputs.autoscaler.length === 0) throw new Error(`--autoscaler is required\n${USAGE}`);
  for (const [flag, commit] of [
    ["--vpc-cni-commit", inputs.vpcCniCommit],
    ...inputs.autoscaler.map((list) => ["--autoscaler-commit", list.commit]),
  ]) {
    // Full SHAs only: the table must name one commit, and a short SHA can become ambiguous.
    if (!/^[0-9a-f]{40}$/.test(commit))
      throw new Error(`${flag}: expected a full 40-character commit SHA, got ${JSON.stringify(commit)}`);
  }
  const limits = parseVpcCniLimits(inputs.vpcCniSource.toString("utf8"));
  const cpuLists = inputs.autoscaler.map((list) => parseAutoscalerInstanceTypes(list.source.toString("utf8")));
  const rows = buildRows(limits, cpuLists);
  const all = Object.values(rows);
  const typesGivenBy = (n: number): string[] =>
    Object.keys(rows).filter((type) => cpuLists.findIndex((list) => list.has(type)) === n);
  return {
    source: {
      description:
        "Every instance type in the VPC CNI's generated limits, with what max pods and the CPU-architecture check need. " +
        "Generated; do not edit: regenerate with the command below (data/instance-types/README.md).",
      command:
        "node --import tsx data/instance-types/generate.ts " +
        `--vpc-cni <${path.basename(VPC_CNI_PATH)}> --vpc-cni-commit ${inputs.vpcCniCommit} ` +
        inputs.autoscaler
          .map((list) => `--autoscaler <${path.basename(AUTOSCALER_PATH)}> --autoscaler-commit ${list.commit}`)
          .join(" "),
      upstream: [
        {
          repo: VPC_CNI_REPO,
          path: VPC_CNI_PATH,
          commit: inputs.vpcCniCommit,
          gitBlob: gitBlobId(inputs.vpcCniSource),
          provides:
            'the instance types; maxEnis (ENILimit), ipv4PerEni (IPv4Limit), defaultNetworkCardIndex, networkCards, hypervisor (HypervisorType, "unknown" written as ""), bareMetal (IsBareMetal)',
        },
        ...inputs.autoscaler.map((list, n) => ({
          repo: AUTOSCALER_REPO,
          path: AUTOSCALER_PATH,
          commit: list.commit,
          gitBlob: gitBlobId(list.source),
          provides:
            n === 0
              ? 'vcpus (VCPU), memoryMib (MemoryMb), gpus (GPU), architectures (Architecture, "amd64" written as "x86_64")'
              : "the same facts, for the types the lists before it lack (factsFor)",
          ...(n === 0 ? {} : { factsFor: typesGivenBy(n) }),
        })),
      ],
      unknownFacts:
        "vcpus, memoryMib, gpus and architectures are null for types no autoscaler list holds; " +
        "nothing is guessed from type names. Architectures hold x86_64 or arm64 only: EC2 also reports i386 for some " +
        "old Xen types, and x86_64_mac/arm64_mac for Mac types, which the autoscaler list does not distinguish.",
      counts: {
        instanceTypes: all.length,
        withoutVcpus: all.filter((r) => r.vcpus === null).length,
        withoutArchitectures: all.filter((r) => r.architectures === null).length,
      },
    },
    instanceTypes: rows,
  };
}

// ---------------------------------------------------------------- command line

const USAGE =
  "usage: node --import tsx data/instance-types/generate.ts --vpc-cni <vpc_ip_resource_limit.go> --vpc-cni-commit <sha> " +
  "--autoscaler <ec2_instance_types.go> --autoscaler-commit <sha> [--autoscaler <file> --autoscaler-commit <sha> …] [--out <file>]";

export interface GeneratorArgs {
  readonly vpcCni: string;
  readonly vpcCniCommit: string;
  /** Autoscaler lists in order of preference: each --autoscaler pairs with the --autoscaler-commit after it. */
  readonly autoscaler: ReadonlyArray<{ readonly file: string; readonly commit: string }>;
  readonly out: string;
}

export function parseArgs(argv: readonly string[]): GeneratorArgs {
  const single: Record<string, string> = {};
  const files: string[] = [];
  const commits: string[] = [];
  for (let i = 0; i < argv.length; i += 2) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (
      !["--vpc-cni", "--vpc-cni-commit", "--autoscaler", "--autoscaler-commit", "--out"].includes(flag) ||
      value === undefined
    ) {
      throw new Error(`unexpected argument ${JSON.stringify(flag)}\n${USAGE}`);
    }
    if (flag === "--autoscaler") files.push(value);
    else if (flag === "--autoscaler-commit") commits.push(value);
    else single[flag] = value;
  }
  const need = (flag: string): string => {
    const value = single[flag];
    if (value === undefined) throw new Error(`${flag} is required\n${USAGE}`);
    return value;
  };
  if (files.length === 0) throw new Error(`--autoscaler is required\n${USAGE}`);
  if (files.length !== commits.length)
    throw new Error(
      `each --autoscaler needs its --autoscaler-commit (${files.length} files, ${commits.length} commits)\n${USAGE}`,
    );
  return {
    vpcCni: need("--vpc-cni"),
    vpcCniCommit: need("--vpc-cni-commit"),
    autoscaler: files.map((file, n) => ({ file, commit: commits[n] })),
    out: single["--out"] ?? path.join(__dirname, "instance-types.json"),
  };
}

function main(argv: readonly string[]): void {
  const args = parseArgs(argv);
  const table = generateTable({
    vpcCniSource: fs.readFileSync(args.vpcCni),
    vpcCniCommit: args.vpcCniCommit,
    autoscaler: args.autoscaler.map((list) => ({ source: fs.readFileSync(list.file), commit: list.commit })),
  });
  fs.writeFileSync(args.out, renderTable(table));
  const { counts } = table.source;
  process.stdout.write(
    `wrote ${args.out}: ${counts.instanceTypes} instance types, ${counts.withoutVcpus} without vCPUs, ${counts.withoutArchitectures} without architectures\n`,
  );
}

if (require.main === module) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
