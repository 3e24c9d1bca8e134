/**
 * The DNS names the apps publish through ExternalDNS, from the domain: the apps use them for their
 * rules and annotations, and index.ts hands the same list to the delete-time record check.
 */
export function appHostnames(domain: string): {
  readonly game2048: string;
  readonly games: string;
  readonly tetris: string;
} {
  return { game2048: `2048.${domain}`, games: `games.${domain}`, tetris: `tetris.${domain}` };
}
