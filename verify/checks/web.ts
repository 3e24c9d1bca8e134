/**
 * What a browser sees: HTTPS with the ACM certificate and TLS 1.3, HTTP redirected to HTTPS on the same
 * host and path, and each game's page behind its URL. The probes that collect these facts are in
 * clients/network.ts; the judgement is here, pure.
 */
import { type CheckId, type CheckResult, fromLines, line } from "./result";

export const TLS: CheckId = {
  id: "tls",
  title: "each HTTPS URL negotiates TLS 1.3 with a trusted certificate for its host",
};
export const HTTP_REDIRECT: CheckId = {
  id: "http-redirect",
  title: "plain HTTP redirects to HTTPS on the same host and path",
};
export const GAMES: CheckId = { id: "games", title: "each game's URL serves that game's page" };

/**
 * Public ACM certificates are issued by Amazon Trust Services intermediates, whose subject organisation is
 * "Amazon" (e.g. "CN=Amazon RSA 2048 M02, O=Amazon, C=US"); ACM picks the intermediate at random, so the
 * organisation is what stays the same. https://docs.aws.amazon.com/acm/latest/userguide/acm-certificate-characteristics.html
 */
export const ACM_ISSUER_ORGANIZATION = "Amazon";
export const REQUIRED_TLS_PROTOCOL = "TLSv1.3";

/** A distinguished name as node:tls reports it (a field repeats as an array). */
export type DistinguishedName = Readonly<Record<string, string | readonly string[] | undefined>>;

/** What one TLS handshake showed (clients/network.ts `probeTls`). */
export interface TlsProbe {
  readonly host: string;
  readonly port: number;
  /** `tls.TLSSocket.getProtocol()`: "TLSv1.3", "TLSv1.2", ... */
  readonly protocol?: string | null;
  /** Whether the chain verified against the trusted CAs. */
  readonly authorized?: boolean;
  readonly authorizationError?: string;
  readonly certificate?: {
    readonly subject?: DistinguishedName;
    readonly issuer?: DistinguishedName;
    /** "DNS:example.com, DNS:*.example.com" as node reports the subjectAltName extension. */
    readonly subjectaltname?: string;
    readonly validTo?: string;
  };
  readonly error?: string;
}

function field(dn: DistinguishedName | undefined, key: string): string {
  const value = dn?.[key];
  return Array.isArray(value) ? value.join("+") : typeof value === "string" ? value : "";
}

/** DNS names in a subjectAltName string; IP and other entries are not host names. */
export function subjectAltDnsNames(subjectaltname: string | undefined): string[] {
  return (subjectaltname ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.startsWith("DNS:"))
    .map((s) => s.slice(4).toLowerCase());
}

/**
 * Whether a certificate's DNS names cover a host, as browsers match them: case-insensitive, a wildcard
 * only as the whole leftmost label and standing for exactly one label, and the subject CN ignored.
 * https://www.rfc-editor.org/rfc/rfc6125#section-6.4.3
 */
export function certificateCovers(host: string, dnsNames: readonly string[]): boolean {
  const h = host.toLowerCase().replace(/\.$/, "");
  return dnsNames.some((name) => {
    const n = name.replace(/\.$/, "");
    if (!n.startsWith("*.")) return n === h;
    const [first, ...rest] = h.split(".");
    return first !== "" && rest.length >= 2 && rest.join(".") === n.slice(2);
  });
}

export function checkTls(
  probes: readonly TlsProbe[],
  expectedIssuerOrganization: string = ACM_ISSUER_ORGANIZATION,
): CheckResult {
  const lines = probes.map((p) => {
    const who = `${p.host}:${p.port}`;
    if (p.error !== undefined) return line(false, `${who}: ${p.error}`);
    const names = subjectAltDnsNames(p.certificate?.subjectaltname);
    const issuerOrg = field(p.certificate?.issuer, "O");
    const problems = [
      p.protocol === REQUIRED_TLS_PROTOCOL
        ? ""
        : `negotiated ${p.protocol ?? "no protocol"}, not ${REQUIRED_TLS_PROTOCOL}`,
      p.authorized ? "" : `certificate not trusted (${p.authorizationError ?? "unverified"})`,
      certificateCovers(p.host, names)
        ? ""
        : `certificate does not cover ${p.host} (names: ${names.join(", ") || "none"})`,
      issuerOrg === expectedIssuerOrganization
        ? ""
        : `issuer organisation ${JSON.stringify(issuerOrg)}, expected ${JSON.stringify(expectedIssuerOrganization)}`,
    ].filter((s) => s !== "");
    const facts = `${p.protocol ?? "-"}, issuer "${field(p.certificate?.issuer, "CN")}" (O=${issuerOrg}), names ${names.join(" ") || "-"}${p.certificate?.validTo ? `, valid to ${p.certificate.validTo}` : ""}`;
    return line(problems.length === 0, `${who}: ${facts}${problems.length ? `: ${problems.join("; ")}` : ""}`);
  });
  return fromLines(TLS, `${probes.length} HTTPS endpoint(s)`, lines);
}

/** One plain-HTTP request, not followed. */
export interface RedirectProbe {
  /** The http:// URL asked. */
  readonly url: string;
  readonly status?: number;
  readonly location?: string;
  readonly error?: string;
}

/** Status codes accepted as "redirect to HTTPS": the ALB's `ssl-redirect` answers 301. */
export const REDIRECT_STATUSES: readonly number[] = [301, 302];

/**
 * The redirect must land on https, the same host and the same path and query. The ALB writes the port
 * out ("https://host:443/path", its `#{port}` placeholder set to 443), so URLs are compared parsed,
 * where the scheme's default port is no port at all.
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-listeners.html#redirect-actions
 */
export function checkRedirects(probes: readonly RedirectProbe[], httpsPort = 443): CheckResult {
  const lines = probes.map((p) => {
    if (p.error !== undefined) return line(false, `${p.url}: ${p.error}`);
    const asked = new URL(p.url);
    const want = new URL(asked.href);
    want.protocol = "https:";
    want.port = httpsPort === 443 ? "" : String(httpsPort);
    if (p.status === undefined || !REDIRECT_STATUSES.includes(p.status) || p.location === undefined) {
      return line(
        false,
        `${p.url}: answered ${p.status ?? "nothing"}${p.location ? ` -> ${p.location}` : ""}, expected ${REDIRECT_STATUSES.join("/")} to ${want.href}`,
      );
    }
    const got = URL.canParse(p.location, p.url) ? new URL(p.location, p.url) : undefined;
    // Field by field: `search` is "" both for no query and for a bare "?".
    const ok =
      got !== undefined &&
      (["protocol", "hostname", "port", "pathname", "search"] as const).every((k) => got[k] === want[k]);
    return line(ok, `${p.url}: ${p.status} -> ${p.location}${ok ? "" : `, expected ${want.href}`}`);
  });
  return fromLines(HTTP_REDIRECT, `${probes.length} plain-HTTP URL(s)`, lines);
}

/**
 * A string each game's page carries, with where it comes from: the HTML <title> of the page each image
 * serves at `/`.
 */
export const GAME_MARKERS = {
  tetris: {
    marker: "<title>Tetris</title>",
    source:
      "bsord/tetris index.html line 3 (github.com/bsord/tetris, 969687d and the later html/index.html), image bsord/tetris",
  },
  mario: {
    marker: "<title>Infinite Mario - JavaScript</title>",
    source:
      "PengBAI/mariohtml5 webapp/index.html line 4 (github.com/PengBAI/mariohtml5, 1fc352e), image pengbai/docker-supermario",
  },
  "game-2048": {
    marker: "<title>2048</title>",
    source:
      "alexwhen/docker-2048 2048/index.html line 5 (github.com/alexwhen/docker-2048, c6795ee), the game the AWS Load Balancer Controller's example image public.ecr.aws/l6m2t8p7/docker-2048 serves",
  },
} as const;
export type GameName = keyof typeof GAME_MARKERS;

/** One fetched page, after following same-host redirects. */
export interface PageProbe {
  readonly game: GameName;
  readonly url: string;
  /** Each redirect on the way: "301 /tetris -> /tetris/". */
  readonly redirects?: readonly string[];
  readonly status?: number;
  readonly body?: string;
  readonly error?: string;
}

export function checkGames(pages: readonly PageProbe[]): CheckResult {
  const lines = pages.map((p) => {
    const via = p.redirects?.length ? ` (via ${p.redirects.join(", ")})` : "";
    if (p.error !== undefined) return line(false, `${p.game} ${p.url}${via}: ${p.error}`);
    const marker = GAME_MARKERS[p.game].marker;
    const found = p.body?.includes(marker) ?? false;
    return line(
      p.status === 200 && found,
      `${p.game} ${p.url}${via}: ${p.status}, ${found ? `found ${marker}` : `no ${marker} in ${p.body?.length ?? 0} bytes`}`,
    );
  });
  return fromLines(GAMES, `${pages.length} game page(s)`, lines);
}
