/**
 * What a browser would do, done with Node's own modules: HTTP(S) requests, a TLS handshake, a DNS
 * lookup. Each probe returns the facts (never throws); checks/web.ts and friends judge them.
 *
 * `ca` and `lookup` exist for the loopback tests: trust a test certificate, and send a name to
 * 127.0.0.1. In real use both are left unset: the system's CAs and resolver.
 */
import { promises as dns } from "node:dns";
import * as http from "node:http";
import * as https from "node:https";
import type { LookupFunction } from "node:net";
import * as tls from "node:tls";
import type { EchoProbe } from "../checks/echo";
import type { DistinguishedName, GameName, PageProbe, RedirectProbe, TlsProbe } from "../checks/web";

export interface ProbeOptions {
  readonly timeoutMs: number;
  /** Trusted CAs instead of the system's (tests only). */
  readonly ca?: string | Buffer;
  /** Name resolution for connections (tests only). */
  readonly lookup?: LookupFunction;
}

export interface HttpAnswer {
  readonly status: number;
  readonly location?: string;
  readonly body: string;
}

/** Pages are small; anything past this is cut rather than held in memory. */
const MAX_BODY_BYTES = 2 * 1024 * 1024;
export const USER_AGENT = "eks-platform-verify";

function message(e: unknown): string {
  const err = e as { code?: unknown; message?: unknown };
  const text = typeof err.message === "string" ? err.message : String(e);
  return typeof err.code === "string" && !text.includes(err.code) ? `${err.code}: ${text}` : text;
}

/** One GET, redirects not followed, a fresh connection each time (no keep-alive: each request is its own sample). */
export function httpGet(url: string, options: ProbeOptions): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const module = target.protocol === "https:" ? https : http;
    const request = module.request(
      target,
      {
        method: "GET",
        agent: false,
        headers: { "user-agent": USER_AGENT, accept: "*/*", connection: "close" },
        ...(options.ca !== undefined ? { ca: options.ca } : {}),
        ...(options.lookup !== undefined ? { lookup: options.lookup } : {}),
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on("data", (chunk: Buffer) => {
          if (size < MAX_BODY_BYTES) chunks.push(chunk);
          size += chunk.length;
        });
        response.on("end", () => {
          clearTimeout(timer);
          const location = response.headers.location;
          resolve({ status: response.statusCode ?? 0, location, body: Buffer.concat(chunks).toString("utf8") });
        });
        response.on("error", (e) => {
          clearTimeout(timer);
          reject(e);
        });
      },
    );
    const timer = setTimeout(
      () => request.destroy(new Error(`timed out after ${options.timeoutMs} ms`)),
      options.timeoutMs,
    );
    request.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    request.end();
  });
}

/** The plain-HTTP twin of an HTTPS URL, asked once, its redirect not followed. */
export async function probeRedirect(
  httpsUrl: string,
  options: ProbeOptions & { httpPort?: number },
): Promise<RedirectProbe> {
  const asked = new URL(httpsUrl);
  asked.protocol = "http:";
  asked.port = options.httpPort === undefined || options.httpPort === 80 ? "" : String(options.httpPort);
  try {
    const answer = await httpGet(asked.href, options);
    return { url: asked.href, status: answer.status, location: answer.location };
  } catch (e) {
    return { url: asked.href, error: message(e) };
  }
}

/**
 * A game's page. For a URL under a prefix ("/tetris/") the page is asked without the trailing slash, as a
 * person types it, and same-host redirects are followed: that proves the ALB's redirect to "/tetris/" and
 * its rewrite to the pod's "/" together.
 */
export async function probePage(
  game: GameName,
  url: string,
  options: ProbeOptions & { maxRedirects?: number },
): Promise<PageProbe> {
  const start = new URL(url);
  if (start.pathname.length > 1 && start.pathname.endsWith("/")) start.pathname = start.pathname.slice(0, -1);
  const redirects: string[] = [];
  let current = start;
  try {
    for (let hop = 0; ; hop++) {
      const answer = await httpGet(current.href, options);
      if (
        answer.status >= 300 &&
        answer.status < 400 &&
        answer.location !== undefined &&
        hop < (options.maxRedirects ?? 3)
      ) {
        const next = new URL(answer.location, current);
        redirects.push(`${answer.status} ${current.pathname} -> ${answer.location}`);
        if (next.hostname !== current.hostname)
          return {
            game,
            url: start.href,
            redirects,
            status: answer.status,
            error: `redirected to another host: ${answer.location}`,
          };
        current = next;
        continue;
      }
      return { game, url: start.href, redirects, status: answer.status, body: answer.body };
    }
  } catch (e) {
    return { game, url: start.href, redirects, error: message(e) };
  }
}

/** echo's page through its NLB. */
export async function probeEcho(url: string, options: ProbeOptions): Promise<EchoProbe> {
  try {
    const answer = await httpGet(url, options);
    return { url, status: answer.status, body: answer.body };
  } catch (e) {
    return { url, error: message(e) };
  }
}

function dn(value: tls.Certificate | undefined): DistinguishedName | undefined {
  return value ? { ...value } : undefined;
}

/**
 * One TLS handshake with SNI for `host`, the chain checked but not enforced (so an untrusted certificate
 * is reported, not thrown), and the negotiated protocol and the leaf certificate read off it.
 */
export function probeTls(host: string, port: number, options: ProbeOptions): Promise<TlsProbe> {
  return new Promise((resolve) => {
    let done = false;
    const finish = (probe: TlsProbe): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(probe);
    };
    const socket = tls.connect({
      host,
      port,
      servername: host,
      rejectUnauthorized: false,
      ALPNProtocols: ["http/1.1"],
      ...(options.ca !== undefined ? { ca: options.ca } : {}),
      ...(options.lookup !== undefined ? { lookup: options.lookup } : {}),
    });
    const timer = setTimeout(
      () => finish({ host, port, error: `timed out after ${options.timeoutMs} ms` }),
      options.timeoutMs,
    );
    socket.once("secureConnect", () => {
      const cert = socket.getPeerCertificate();
      const hasCert = cert !== null && typeof cert === "object" && Object.keys(cert).length > 0;
      finish({
        host,
        port,
        protocol: socket.getProtocol(),
        authorized: socket.authorized,
        authorizationError:
          socket.authorizationError === undefined || socket.authorizationError === null
            ? undefined
            : String(socket.authorizationError),
        certificate: hasCert
          ? {
              subject: dn(cert.subject),
              issuer: dn(cert.issuer),
              subjectaltname: cert.subjectaltname,
              validTo: cert.valid_to,
            }
          : undefined,
      });
    });
    socket.once("error", (e) => finish({ host, port, error: message(e) }));
  });
}

export interface Resolver {
  /** IPv4 addresses of a name, CNAMEs followed. */
  resolve4(name: string): Promise<string[]>;
}

export const systemResolver: Resolver = { resolve4: (name) => dns.resolve4(name) };
