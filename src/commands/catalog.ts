// The words the bot understands: the few the bot itself answers, plus each feature's (declared in its Feature).
// The router, `help` and both app manifests read the same list (a test keeps the manifests in step).

export interface CommandSpec {
  /** First word typed after `/safeguarding` in Slack, or to the bot in Teams. */
  name: string;
  usage: string;
  summary: string;
  /** Shown in help only to people holding one of these roles; omitted means everyone. */
  audience?: readonly string[];
  /** Exists only in `npm run demo`: never registered, listed in help or advertised in the app manifests otherwise. */
  demoOnly?: boolean;
}

/** Commands that belong to no feature: the bot's own, and the demo's. */
export const coreCommands: readonly CommandSpec[] = [
  { name: 'help', usage: 'help', summary: 'List what the bot can do' },
  { name: 'whoami', usage: 'whoami', summary: 'Show who the bot thinks you are: roles, agency, groups' },
  {
    name: 'demo',
    usage: 'demo as agency-lead | demo advance 5 working days',
    summary: 'Demo only: act as another role (agency-lead, prg-member, chair...), or move the demo clock forward',
    demoOnly: true,
  },
];

/** Fails loudly on a name used twice, so two features can never answer the same word. */
export function assertUniqueCommands(specs: readonly CommandSpec[]): void {
  const seen = new Set<string>();
  for (const spec of specs) {
    if (seen.has(spec.name)) throw new Error(`command "${spec.name}" is declared twice`);
    seen.add(spec.name);
  }
}
